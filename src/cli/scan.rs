//! `postguard scan`: a batch of exported posts, per-employee reports.

use super::{ColorWhen, FailOn, Failure, Outcome, PolicyChoice, style};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use postguard::aggregate::Aggregator;
use postguard::finding::Severity;
use postguard::input::{self, BadRecord, InputFormat, ReadOptions, Record};
use postguard::pipeline::{ScanError, ScanOptions, run_scan};
use postguard::report::{self, AtomicFile, ReportFolder, RunInfo};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Exported posts: JSONL, CSV, LinkedIn Shares.csv, X tweets.js, Facebook or Instagram JSON (gzip too); `-` for stdin; a folder is searched for export files.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Input format of the files named here, instead of detecting it (files in a folder are recognised by name).
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub input_format: Option<InputFormat>,
    /// CSV column or JSONL field names for post fields, e.g. `text=Body,author=Employee`,
    /// for every CSV and JSONL input; `INPUT:text=Body,...` for one input (a path as given
    /// here, or a file or folder inside one). Repeatable.
    #[arg(long, value_name = "[INPUT:]FIELD=NAME,...")]
    pub map: Vec<String>,
    /// Author of records that name none; `INPUT:ID` for one input. Default for
    /// LinkedIn, X, Facebook and Instagram exports: the export's folder (`li/ana/Shares.csv` is ana's). Repeatable.
    #[arg(long, value_name = "[INPUT:]ID")]
    pub author: Vec<String>,
    /// Official corporate posts (any input format), for verbatim-repost detection.
    #[arg(long, value_name = "FILE")]
    pub corporate: Vec<PathBuf>,
    /// Write summary.json, findings.jsonl, employees.csv, employees/ and report.html here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Threads that check posts [default: one per core]; reading and
    /// report-folding run beside them on their own threads.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Stop with exit code 2 at the first malformed record.
    #[arg(long)]
    pub strict: bool,
    /// No progress bar and no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// Exit 0 even when findings reach --fail-on (errors still exit 2), for a
    /// job whose product is the reports.
    #[arg(long)]
    pub exit_zero: bool,
    /// A longer post is skipped and counted as a bad record.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    pub max_post_bytes: usize,
    /// Records checked together.
    #[arg(long, value_name = "N", default_value_t = 2048, hide = true)]
    pub batch_size: usize,
}

fn parse_format(s: &str) -> Result<InputFormat, String> {
    s.parse()
}

pub fn run(policy: &PolicyChoice, color: ColorWhen, args: ScanArgs) -> Outcome {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| Failure::Message(format!("cannot start {n} threads: {e}")))?;
    }
    let (engine, _) = policy.engine_with_corporate(color, &args.corporate)?;
    let engine = engine.for_batch();
    let base = ReadOptions {
        format: args.input_format,
        max_post_bytes: args.max_post_bytes,
        ..ReadOptions::default()
    };
    // A report folder inside a walked folder is not an export.
    let exclude: Vec<PathBuf> = args.out.iter().cloned().collect();
    let selection = input::select(&args.inputs, &args.map, &args.author, &base, &exclude)
        .map_err(Failure::Message)?;
    if !args.quiet {
        note_skipped(&selection.skipped, color)?;
    }
    let names: Vec<String> = selection
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    // Every input opened up front: a missing file is reported before any work.
    let mut sources: Vec<Box<dyn Iterator<Item = Record> + Send>> = Vec::new();
    // An input that cannot be opened is an input error (exit 2), but the
    // others are still scanned and reported.
    let mut unreadable: Vec<String> = Vec::new();
    for e in &selection.errors {
        if args.strict {
            return Err(Failure::Message(e.to_string()));
        }
        unreadable.push(e.to_string());
    }
    let mut tallies = Vec::new();
    for file in &selection.files {
        match input::open(&file.path, &file.opts) {
            Ok(records) => {
                let tally = Arc::new(Mutex::new(Tally::default()));
                tallies.push((records.name().to_string(), tally.clone()));
                sources.push(Box::new(Counted {
                    inner: records,
                    tally,
                }));
            }
            Err(e) if args.strict => return Err(Failure::Message(e.to_string())),
            Err(e) => {
                unreadable.push(e.to_string());
                sources.push(Box::new(std::iter::once(Err(BadRecord {
                    file: e.file,
                    line: 0,
                    reason: e.message,
                }))));
            }
        }
    }
    let records = sources.into_iter().flatten();

    // The reports are written beside the folder and replace it at the end:
    // nothing of an earlier run survives, and a failed run leaves it whole.
    let folder = match &args.out {
        Some(dir) => Some(ReportFolder::prepare(dir).map_err(|e| Failure::Message(e.to_string()))?),
        None => None,
    };
    let mut findings_file = match &folder {
        Some(folder) => Some(
            AtomicFile::create(&folder.path().join("findings.jsonl"))
                .map_err(|e| Failure::Message(format!("{}: {e}", folder.path().display())))?,
        ),
        None => None,
    };
    let bar = progress_bar(args.quiet);
    let scan_opts = ScanOptions {
        batch_size: args.batch_size,
        strict: args.strict,
        ..ScanOptions::default()
    };
    let threshold = Severity::from(args.fail_on);
    let mut failing = false;
    let mut aggregator = Aggregator::new(scan_opts.examples_per_employee);
    let mut line = Vec::with_capacity(512);
    let result = run_scan(
        records,
        |post| engine.check(post),
        &scan_opts,
        &mut aggregator,
        &mut |f| {
            failing |= f.severity >= threshold;
            if let Some(file) = findings_file.as_mut() {
                line.clear();
                serde_json::to_writer(&mut line, f)?;
                line.push(b'\n');
                file.write_all(&line)?;
            }
            Ok(())
        },
        &mut |n| bar.set_position(n),
    );
    bar.finish_and_clear();
    match result {
        Ok(()) => {}
        Err(ScanError::Strict(bad)) => {
            return Err(Failure::Message(format!("{bad} (--strict)")));
        }
        Err(ScanError::Sink(e)) => return Err(e.into()),
    }

    let stages = &engine.policy().file.stages;
    let org = aggregator.summarise(stages);
    let run = RunInfo {
        policy: &engine.policy().file.policy.name,
        inputs: &names,
        stages,
    };
    match (&args.out, folder, findings_file) {
        (Some(dir), Some(folder), Some(file)) => {
            let fail = |e: std::io::Error| Failure::Message(format!("{}: {e}", dir.display()));
            file.commit().map_err(fail)?;
            report::write_reports(folder.path(), &run, &aggregator, &org).map_err(fail)?;
            folder.commit().map_err(fail)?;
            if !args.quiet {
                let mut err = super::stderr(color);
                writeln!(
                    err,
                    "{}scanned{} {} posts by {} employees: {} findings, {} records skipped; reports in {}",
                    style::GOOD.render(),
                    style::GOOD.render_reset(),
                    org.posts,
                    org.employees,
                    org.findings,
                    org.bad_records.count,
                    dir.display()
                )?;
            }
        }
        _ => {
            if !args.quiet {
                let mut out = super::stdout(color);
                write!(out, "{}", report::summary_text(&run, &aggregator, &org))?;
                out.flush()?;
            }
        }
    }
    if org.bad_records.count > 0 && !args.quiet {
        let mut err = super::stderr(color);
        for b in &org.bad_records.first {
            writeln!(
                err,
                "{}skipped:{} {b}",
                style::WARNING.render(),
                style::WARNING.render_reset()
            )?;
        }
        if org.bad_records.count > org.bad_records.first.len() as u64 {
            writeln!(
                err,
                "… and {} more (all counted in summary.json)",
                org.bad_records.count - org.bad_records.first.len() as u64
            )?;
        }
    }
    // An input none of whose records could be read was misread, not empty
    // of posts: say why, and fail.
    for (name, tally) in &tallies {
        let tally = tally.lock().unwrap_or_else(|e| e.into_inner());
        if let (0, Some(first)) = (tally.posts, &tally.first) {
            unreadable.push(if tally.same {
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
    if !unreadable.is_empty() {
        let mut err = super::stderr(color);
        for e in &unreadable {
            writeln!(
                err,
                "{}error:{} {e}",
                style::ERROR.render(),
                style::ERROR.render_reset()
            )?;
        }
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::from(u8::from(failing && !args.exit_zero)))
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(8));
    bar.set_style(
        ProgressStyle::with_template("{spinner} {human_pos} posts scanned ({per_sec}) {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Files of walked folders that are not exports, named on stderr (the first few).
fn note_skipped(skipped: &[(PathBuf, String)], color: ColorWhen) -> std::io::Result<()> {
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

/// An input's records, counted as the reader thread goes.
struct Counted<I> {
    inner: I,
    tally: Arc<Mutex<Tally>>,
}

impl<I: Iterator<Item = Record>> Iterator for Counted<I> {
    type Item = Record;
    fn next(&mut self) -> Option<Record> {
        let record = self.inner.next()?;
        let mut tally = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        match &record {
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
        Some(record)
    }
}
