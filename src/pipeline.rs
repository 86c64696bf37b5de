//! The batch scan: records read in batches, parsed and checked in parallel
//! with rayon, folded in input order, so output is the same whatever the
//! thread count and memory is bounded by the batch, not the input.

use crate::aggregate::Aggregator;
use crate::finding::Finding;
use crate::input::{BadRecord, Pending, Post, Record};
use crate::matcher::PostResult;
use rayon::prelude::*;

#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Records checked together; one batch is read while the previous one is checked.
    pub batch_size: usize,
    /// A batch also ends once its posts hold this many bytes, so a file of
    /// 1 MB posts holds no more in memory than a file of short ones.
    pub batch_bytes: usize,
    /// A post this large is checked in a batch of its own, so on one thread:
    /// checking needs about 36 bytes per byte of text for a moment, which
    /// several cores at once would multiply.
    pub large_post_bytes: usize,
    /// Stop at the first bad record.
    pub strict: bool,
    /// Offending posts kept per employee for the report.
    pub examples_per_employee: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            batch_size: 2048,
            // 2,048 ordinary posts hold well under 1 MB; this bounds a batch
            // of 1 MB posts, of which three are in memory at once.
            batch_bytes: 4 << 20,
            large_post_bytes: 256 << 10,
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

/// Where findings go as the scan produces them, in input order.
pub type FindingSink<'a> = dyn FnMut(&Post, &Finding) -> std::io::Result<()> + Send + 'a;

/// What the fold tells the caller besides findings: the records read so
/// far (once a batch), and each record as parsed, with the input it came
/// from ([`Pending::input`]), in input order.
pub struct Watch<'a> {
    pub progress: &'a mut dyn FnMut(u64),
    pub record: &'a mut (dyn FnMut(u32, &Record) + Send),
}

/// Scans `records`, feeding every finding to `sink` in input order and every
/// post that `check` checks to the aggregator (`check` returns `None` for a
/// post it leaves out, such as one outside the scan's period).
///
/// Three stages overlap: a reader thread reads the next batch, the rayon
/// pool parses and checks the current one, and this thread folds the
/// previous one into the aggregates and the sink.
pub fn run_scan<I, F>(
    records: I,
    check: F,
    opts: &ScanOptions,
    aggregator: &mut Aggregator,
    sink: &mut FindingSink<'_>,
    watch: Watch<'_>,
) -> Result<(), ScanError>
where
    I: Iterator<Item = Pending> + Send,
    F: Fn(&Post) -> Option<PostResult> + Sync,
{
    let Watch { progress, record } = watch;
    let bounds = BatchBounds {
        posts: opts.batch_size.max(1),
        bytes: opts.batch_bytes.max(1),
        large_post: opts.large_post_bytes.max(1),
    };
    std::thread::scope(|scope| {
        // Two batches in flight at most: memory stays bounded.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Pending>>(2);
        scope.spawn(move || {
            let mut records = records.peekable();
            loop {
                let batch = next_batch(&mut records, &bounds);
                // A closed channel means the scan stopped (--strict): stop reading.
                if batch.is_empty() || tx.send(batch).is_err() {
                    break;
                }
            }
        });
        let mut read = 0u64;
        let mut checked: Option<Checked> = None;
        loop {
            let next = rx.recv().ok();
            let (now_checked, folded) = rayon::join(
                || {
                    next.map(|batch| {
                        // A task parses its run of records, then checks them:
                        // each phase's code stays in the instruction cache
                        // for a whole run (alternating the two per post
                        // missed it several hundred times a post).
                        runs(batch, RUN)
                            .into_par_iter()
                            .map(|run| {
                                let parsed: Vec<(u32, Record)> =
                                    run.into_iter().map(|p| (p.input(), p.parse())).collect();
                                parsed
                                    .into_iter()
                                    .map(|(input, record)| {
                                        let result = record.as_ref().ok().and_then(&check);
                                        (input, record, result)
                                    })
                                    .collect()
                            })
                            .collect::<Checked>()
                    })
                },
                || match checked.take() {
                    Some(batch) => fold(batch, opts.strict, aggregator, sink, &mut *record),
                    None => Ok(()),
                },
            );
            folded?;
            match now_checked {
                Some(c) => {
                    read += c.iter().map(Vec::len).sum::<usize>() as u64;
                    progress(read);
                    checked = Some(c);
                }
                None => return Ok(()),
            }
        }
    })
}

struct BatchBounds {
    posts: usize,
    bytes: usize,
    large_post: usize,
}

/// Up to `posts` records, fewer once they hold `bytes` bytes of post text;
/// a large post alone.
fn next_batch<I: Iterator<Item = Pending>>(
    records: &mut std::iter::Peekable<I>,
    bounds: &BatchBounds,
) -> Vec<Pending> {
    // Sized once: grown record by record, a batch was copied a dozen times
    // and its fresh pages zeroed each time.
    let mut batch = Vec::with_capacity(bounds.posts.min(1 << 14));
    let mut bytes = 0;
    while batch.len() < bounds.posts && bytes < bounds.bytes {
        let Some(next) = records.peek() else { break };
        let size = next.held();
        if size >= bounds.large_post && !batch.is_empty() {
            break;
        }
        batch.extend(records.next());
        bytes += size;
        if size >= bounds.large_post {
            break;
        }
    }
    batch
}

/// Records parsed, then checked, by one task.
const RUN: usize = 64;

/// `batch` cut into runs of `len` records, in order.
fn runs(batch: Vec<Pending>, len: usize) -> Vec<Vec<Pending>> {
    let mut records = batch.into_iter();
    std::iter::from_fn(|| {
        let run: Vec<Pending> = records.by_ref().take(len).collect();
        (!run.is_empty()).then_some(run)
    })
    .collect()
}

/// A batch's records, each with its input and the result of checking it, in
/// runs: collected run by run, the batch is never copied to grow.
type Checked = Vec<Vec<(u32, Record, Option<PostResult>)>>;

fn fold(
    batch: Checked,
    strict: bool,
    aggregator: &mut Aggregator,
    sink: &mut FindingSink<'_>,
    watch: &mut (dyn FnMut(u32, &Record) + Send),
) -> Result<(), ScanError> {
    for (input, record, result) in batch.into_iter().flatten() {
        watch(input, &record);
        match (record, result) {
            (Ok(post), Some(result)) => {
                for f in &result.findings {
                    sink(&post, f).map_err(ScanError::Sink)?;
                }
                aggregator.add(&post, &result);
            }
            (Err(bad), _) => {
                if strict {
                    return Err(ScanError::Strict(bad));
                }
                aggregator.skip(bad);
            }
            // Left out by `check`.
            (Ok(_), None) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn records() -> Vec<Record> {
        (0..9)
            .map(|i| {
                if i == 4 {
                    Err(BadRecord {
                        file: "f".into(),
                        line: 5,
                        reason: "broken".into(),
                    })
                } else {
                    Ok(Post {
                        id: i.to_string(),
                        author: format!("a{}", i % 2),
                        text: "x".into(),
                        ..Post::default()
                    })
                }
            })
            .collect()
    }

    /// The records as a reader hands them on, each from input `i % 3`.
    fn pending(records: Vec<Record>) -> impl Iterator<Item = Pending> + Send {
        records
            .into_iter()
            .enumerate()
            .map(|(i, r)| Pending::from(r).with_input(i as u32 % 3))
    }

    /// Flags every post with one finding naming it.
    fn fake_check(post: &Post) -> Option<PostResult> {
        Some(PostResult {
            findings: vec![Finding {
                rule: "fake".into(),
                severity: Severity::Error,
                ..Finding::in_text(&post.text, 0..1, &post.id, &post.author)
            }],
            ..PostResult::default()
        })
    }

    /// What a scan of test records gave.
    struct Outcome {
        result: Result<(), ScanError>,
        /// Post ids of the findings, in the order the sink got them.
        seen: Vec<String>,
        aggregator: Aggregator,
        progress: Vec<u64>,
        /// Each record's input and whether it was a post, as watched.
        watched: Vec<(u32, bool)>,
    }

    fn scan(
        records: Vec<Record>,
        check: impl Fn(&Post) -> Option<PostResult> + Sync,
        opts: &ScanOptions,
    ) -> Outcome {
        let mut aggregator = Aggregator::new(10);
        let (mut seen, mut progress, mut watched) = (Vec::new(), Vec::new(), Vec::new());
        let result = run_scan(
            pending(records),
            check,
            opts,
            &mut aggregator,
            &mut |_, f| {
                seen.push(f.post_id.clone());
                Ok(())
            },
            Watch {
                progress: &mut |n| progress.push(n),
                record: &mut |input, record| watched.push((input, record.is_ok())),
            },
        );
        Outcome {
            result,
            seen,
            aggregator,
            progress,
            watched,
        }
    }

    fn run(
        batch_size: usize,
        strict: bool,
    ) -> (Result<(), ScanError>, Vec<String>, Aggregator, Vec<u64>) {
        run_with(batch_size, usize::MAX, strict)
    }

    fn run_with(
        batch_size: usize,
        batch_bytes: usize,
        strict: bool,
    ) -> (Result<(), ScanError>, Vec<String>, Aggregator, Vec<u64>) {
        let opts = ScanOptions {
            batch_size,
            batch_bytes,
            strict,
            ..ScanOptions::default()
        };
        let o = scan(records(), fake_check, &opts);
        (o.result, o.seen, o.aggregator, o.progress)
    }

    #[test]
    fn findings_come_in_input_order_and_bad_records_are_counted() {
        for batch in [1, 2, 4, 100] {
            let (result, seen, agg, progress) = run(batch, false);
            assert!(result.is_ok());
            assert_eq!(
                seen,
                ["0", "1", "2", "3", "5", "6", "7", "8"],
                "batch {batch}"
            );
            assert_eq!(agg.bad_records.count, 1);
            assert_eq!(agg.employees["a0"].posts + agg.employees["a1"].posts, 8);
            assert_eq!(progress.last(), Some(&9));
        }
    }

    #[test]
    fn batches_end_at_the_byte_bound_as_well_as_the_post_count() {
        // Each post holds 4 bytes (id, author, text): at 6 a batch has two,
        // and the bad record (the fifth) holds none.
        let (result, seen, _, progress) = run_with(100, 6, false);
        assert!(result.is_ok());
        assert_eq!(seen.len(), 8);
        assert_eq!(progress, [2, 4, 7, 9]);
        let (_, _, _, progress) = run_with(100, usize::MAX, false);
        assert_eq!(progress, [9]);
    }

    #[test]
    fn a_large_post_is_checked_in_a_batch_of_its_own() {
        // Each post holds 4 bytes (id, author, text); post 2 holds 8, and
        // from 7 on a post is large.
        let mut records = records();
        if let Ok(post) = &mut records[2] {
            post.text = "large".into();
        }
        let opts = ScanOptions {
            batch_size: 100,
            large_post_bytes: 7,
            ..ScanOptions::default()
        };
        let o = scan(records, fake_check, &opts);
        assert!(o.result.is_ok());
        // [0, 1], [2], [3..8]
        assert_eq!(o.progress, [2, 3, 9]);
    }

    /// Posts `check` leaves out are neither findings nor aggregated; every
    /// record is still watched, in input order, with its input.
    #[test]
    fn left_out_posts_are_not_folded_and_every_record_is_watched() {
        for batch_size in [1, 4, 100] {
            let opts = ScanOptions {
                batch_size,
                ..ScanOptions::default()
            };
            let o = scan(
                records(),
                |post: &Post| (post.id != "6").then(|| fake_check(post)).flatten(),
                &opts,
            );
            assert!(o.result.is_ok());
            assert_eq!(o.seen, ["0", "1", "2", "3", "5", "7", "8"]);
            assert_eq!(o.aggregator.employees["a0"].posts, 3, "0, 2, 8");
            let want: Vec<(u32, bool)> = (0..9).map(|i| (i % 3, i != 4)).collect();
            assert_eq!(o.watched, want, "batch {batch_size}");
        }
    }

    #[test]
    fn strict_stops_at_the_first_bad_record() {
        let (result, seen, _, _) = run(2, true);
        match result {
            Err(ScanError::Strict(bad)) => assert_eq!(bad.line, 5),
            other => panic!("{other:?}"),
        }
        assert_eq!(seen, ["0", "1", "2", "3"]);
    }
}
