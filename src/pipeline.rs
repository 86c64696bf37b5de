//! The batch scan: records read in batches, checked in parallel with rayon,
//! folded in input order, so output is the same whatever the thread count and
//! memory is bounded by the batch, not the input.

use crate::aggregate::Aggregator;
use crate::finding::Finding;
use crate::input::{BadRecord, Post, Record};
use crate::matcher::PostResult;
use rayon::prelude::*;

#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Records checked together; one batch is read while the previous one is checked.
    pub batch_size: usize,
    /// Stop at the first bad record.
    pub strict: bool,
    /// Offending posts kept per employee for the report.
    pub examples_per_employee: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            batch_size: 2048,
            strict: false,
            examples_per_employee: 10,
        }
    }
}

#[derive(Debug)]
pub enum ScanError {
    /// `strict` and a record was bad.
    Strict(BadRecord),
    /// The findings sink failed (disk full, closed pipe).
    Sink(std::io::Error),
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::Strict(bad) => write!(f, "{bad} (--strict stops at the first bad record)"),
            ScanError::Sink(e) => write!(f, "cannot write findings: {e}"),
        }
    }
}

impl std::error::Error for ScanError {}

/// Scans `records`, feeding every finding to `sink` in input order and every
/// post to the aggregator; `progress` gets the number of records read so far.
pub fn run_scan<I, F>(
    records: I,
    check: F,
    opts: &ScanOptions,
    aggregator: &mut Aggregator,
    sink: &mut dyn FnMut(&Finding) -> std::io::Result<()>,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ScanError>
where
    I: Iterator<Item = Record> + Send,
    F: Fn(&Post) -> PostResult + Sync,
{
    let batch_size = opts.batch_size.max(1);
    let mut records = records;
    let mut read = 0u64;
    let mut batch: Vec<Record> = records.by_ref().take(batch_size).collect();
    while !batch.is_empty() {
        read += batch.len() as u64;
        // Read the next batch on this thread while the pool checks this one.
        let (next, results) = rayon::join(
            || records.by_ref().take(batch_size).collect::<Vec<Record>>(),
            || {
                batch
                    .par_iter()
                    .map(|r| r.as_ref().ok().map(&check))
                    .collect::<Vec<Option<PostResult>>>()
            },
        );
        for (record, result) in batch.into_iter().zip(results) {
            match (record, result) {
                (Ok(post), Some(result)) => {
                    for f in &result.findings {
                        sink(f).map_err(ScanError::Sink)?;
                    }
                    aggregator.add(&post, &result);
                }
                (Err(bad), _) => {
                    if opts.strict {
                        return Err(ScanError::Strict(bad));
                    }
                    aggregator.skip(bad);
                }
                // Every post is checked; a post without a result has nothing to fold.
                (Ok(_), None) => {}
            }
        }
        progress(read);
        batch = next;
    }
    Ok(())
}
