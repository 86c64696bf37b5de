//! The inputs of `scan`: every file opened up front, each one's records
//! counted as they are parsed, so an input of which no record could be read
//! is reported as misread rather than as empty of posts.

use super::{ColorWhen, Failure, style};
use postguard::input::{self, BadRecord, Pending, Record, Selection};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// What the scan needs to know about its inputs once the records are read.
pub struct Inputs {
    /// The files read, as named in the reports.
    pub names: Vec<String>,
    /// Inputs that could not be opened or walked.
    unreadable: Vec<String>,
    /// By input index ([`Pending::input`]); inputs that could not be opened have none.
    tallies: Vec<(String, Tally)>,
    /// Each gzipped input's flag, set if it went past `--max-gzip-bytes`.
    pub cut_short: Vec<(String, Arc<AtomicBool>)>,
}

/// Opens every selected file. An input that cannot be opened is an input
/// error (exit 2 at the end, or at once with `strict`), but the others are
/// still scanned and reported. Records come unparsed where they can, each
/// tagged with its input's index for [`Inputs::count`].
pub fn open_all(
    selection: &Selection,
    strict: bool,
) -> Result<(impl Iterator<Item = Pending> + Send + use<>, Inputs), Failure> {
    let mut sources: Vec<Box<dyn Iterator<Item = Pending> + Send>> = Vec::new();
    let mut unreadable: Vec<String> = Vec::new();
    for e in &selection.errors {
        if strict {
            return Err(Failure::Message(e.to_string()));
        }
        unreadable.push(e.to_string());
    }
    let mut tallies = Vec::new();
    let mut cut_short = Vec::new();
    for file in &selection.files {
        match input::open(&file.path, &file.opts) {
            Ok(records) => {
                cut_short.push((records.name().to_string(), records.cut_short()));
                let index = tallies.len() as u32;
                tallies.push((records.name().to_string(), Tally::default()));
                sources.push(Box::new(
                    records.pending().map(move |p| p.with_input(index)),
                ));
            }
            Err(e) if strict => return Err(Failure::Message(e.to_string())),
            Err(e) => {
                unreadable.push(e.to_string());
                let bad = Pending::from(Err(BadRecord {
                    file: e.file,
                    line: 0,
                    reason: e.message,
                }));
                sources.push(Box::new(std::iter::once(bad.with_input(u32::MAX))));
            }
        }
    }
    let names = selection
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let inputs = Inputs {
        names,
        unreadable,
        tallies,
        cut_short,
    };
    Ok((sources.into_iter().flatten(), inputs))
}

impl Inputs {
    /// Counts a record of input `input` as the scan folds it, in input order.
    pub fn count(&mut self, input: u32, record: &Record) {
        let Some((_, tally)) = self.tallies.get_mut(input as usize) else {
            return;
        };
        match record {
            Ok(_) => tally.posts += 1,
            Err(bad) => {
                tally.bad += 1;
                match &tally.first {
                    None => {
                        tally.first = Some(bad.clone());
                        tally.same = true;
                    }
                    Some(first) => tally.same &= first.reason == bad.reason,
                }
            }
        }
    }

    /// An input error found after the scan (a gzip bomb cut short).
    pub fn add_error(&mut self, message: String) {
        self.unreadable.push(message);
    }

    /// After the scan: the inputs that could not be read, and those none of
    /// whose records could be (misread, not empty of posts), with the reason.
    pub fn errors(&self) -> Vec<String> {
        let mut errors = self.unreadable.clone();
        for (name, tally) in &self.tallies {
            if let (0, Some(first)) = (tally.posts, &tally.first) {
                errors.push(if tally.same {
                    format!(
                        "{name}: none of its {} could be read: {}",
                        plural(tally.bad, "record"),
                        first.reason
                    )
                } else {
                    format!(
                        "{name}: none of its {} could be read; the first, line {}: {}",
                        plural(tally.bad, "record"),
                        first.line,
                        first.reason
                    )
                });
            }
        }
        errors
    }
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Files of walked folders that are not exports, named on stderr (the first few).
pub fn note_skipped(skipped: &[(PathBuf, String)], color: ColorWhen) -> std::io::Result<()> {
    const SHOWN: usize = 10;
    let mut err = super::stderr(color);
    for (path, why) in skipped.iter().take(SHOWN) {
        writeln!(
            err,
            "{}note:{} skipped {}: {why}",
            style::INFO.render(),
            style::INFO.render_reset(),
            path.display()
        )?;
    }
    if skipped.len() > SHOWN {
        writeln!(
            err,
            "{}note:{} … and {} more files that are not exports",
            style::INFO.render(),
            style::INFO.render_reset(),
            skipped.len() - SHOWN
        )?;
    }
    Ok(())
}

/// How many of one input's records were posts and which were not.
#[derive(Default)]
struct Tally {
    posts: u64,
    bad: u64,
    first: Option<BadRecord>,
    /// Every bad record gave the first one's reason.
    same: bool,
}
