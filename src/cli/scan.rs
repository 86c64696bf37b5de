//! `postguard scan`: a batch of exported posts, per-employee reports.

use super::{ColorWhen, FailOn, Failure, Outcome, PolicyChoice, style};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use postguard::aggregate::Aggregator;
use postguard::finding::Severity;
use postguard::input::{self, BadRecord, ColumnMap, InputFormat, ReadOptions, Record};
use postguard::matcher::DEFAULT_MAX_FINDINGS_PER_POST;
use postguard::pipeline::{ScanError, ScanOptions, run_scan};
use postguard::report::{self, AtomicFile, RunInfo};
use signal_hook::consts::{SIGINT, SIGTERM};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Exported posts: JSONL, CSV, LinkedIn Shares.csv, X tweets.js, Facebook or Instagram JSON (gzip too); `-` for stdin.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Input format, instead of detecting it from each file.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub input_format: Option<InputFormat>,
    /// CSV columns for post fields, e.g. `id=Post ID,author=Employee,text=Body`.
    #[arg(long, value_name = "FIELD=COLUMN,...", value_parser = parse_map)]
    pub map: Option<ColumnMap>,
    /// Author of exports that name none (LinkedIn, X, Facebook, Instagram); default: the file name.
    #[arg(long, value_name = "ID")]
    pub author: Option<String>,
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
    /// A gzipped input stops being read past this many decompressed bytes (exit 2, naming the file).
    #[arg(long, value_name = "BYTES", default_value_t = input::DEFAULT_MAX_GZIP_BYTES)]
    pub max_gzip_bytes: u64,
    /// Records checked together.
    #[arg(long, value_name = "N", default_value_t = 2048, hide = true)]
    pub batch_size: usize,
    /// Do not write employees/<author>.json (employees.csv still lists every employee).
    #[arg(long)]
    pub no_employee_files: bool,
    /// Bytes of post text checked together (a batch ends at either bound).
    #[arg(long, value_name = "BYTES", default_value_t = 16 << 20, hide = true)]
    pub batch_bytes: usize,
    /// Findings reported per post: the most severe first; the rest are counted
    /// in summary.json (`findings_not_listed`) and the report.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_FINDINGS_PER_POST, value_parser = super::at_least_one)]
    pub max_findings_per_post: usize,
}

fn parse_format(s: &str) -> Result<InputFormat, String> {
    s.parse()
}

fn parse_map(s: &str) -> Result<ColumnMap, String> {
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
    let opts = ReadOptions {
        format: args.input_format,
        map: args.map.clone(),
        author: args.author.clone(),
        max_post_bytes: args.max_post_bytes,
        max_gzip_bytes: args.max_gzip_bytes,
    };
    let names: Vec<String> = args
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    // Every input opened up front: a missing file is reported before any work.
    let mut sources: Vec<Box<dyn Iterator<Item = Record> + Send>> = Vec::new();
    // An input that cannot be opened is an input error (exit 2), but the
    // others are still scanned and reported.
    let mut unreadable = Vec::new();
    let mut cut_short = Vec::new();
    for path in &args.inputs {
        match input::open(path, &opts) {
            Ok(records) => {
                cut_short.push((path.display().to_string(), records.cut_short()));
                sources.push(Box::new(records));
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
    // SIGINT or SIGTERM: stop reading, keep no partial report (see below).
    let interrupt = Interrupt::register()?;
    let records = sources
        .into_iter()
        .flatten()
        .take_while(|_| interrupt.signal().is_none());

    let mut findings_file = match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::Message(format!("{}: {e}", dir.display())))?;
            Some(
                AtomicFile::create(&dir.join("findings.jsonl"))
                    .map_err(|e| Failure::Message(format!("{}: {e}", dir.display())))?,
            )
        }
        None => None,
    };
    let bar = progress_bar(args.quiet);
    let scan_opts = ScanOptions {
        batch_size: args.batch_size,
        batch_bytes: args.batch_bytes,
        strict: args.strict,
        ..ScanOptions::default()
    };
    let threshold = Severity::from(args.fail_on);
    let mut failing = false;
    let mut aggregator = Aggregator::new(scan_opts.examples_per_employee);
    let mut line = Vec::with_capacity(512);
    let result = run_scan(
        records,
        |post| {
            let mut result = engine.check(post);
            result.cap_findings(args.max_findings_per_post);
            result
        },
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
    if let Some((name, code)) = interrupt.signal() {
        // Dropping the findings file removes its temporary file.
        drop(findings_file);
        let mut err = super::stderr(color);
        writeln!(
            err,
            "interrupted by {name}: stopped reading; no report written"
        )?;
        return Ok(ExitCode::from(code));
    }
    match result {
        Ok(()) => {}
        Err(ScanError::Strict(bad)) => {
            return Err(Failure::Message(format!("{bad} (--strict)")));
        }
        Err(ScanError::Sink(e)) => return Err(e.into()),
    }

    for (name, flag) in &cut_short {
        if flag.load(std::sync::atomic::Ordering::Relaxed) {
            let message = format!(
                "{name}: decompressed input is over {} bytes (--max-gzip-bytes); the posts before that point are in the reports, the rest of the file was not read",
                args.max_gzip_bytes
            );
            if args.strict {
                return Err(Failure::Message(message));
            }
            unreadable.push(message);
        }
    }
    let stages = &engine.policy().file.stages;
    let org = aggregator.summarise(stages);
    let run = RunInfo {
        policy: &engine.policy().file.policy.name,
        inputs: &names,
        stages,
        employee_files: !args.no_employee_files,
    };
    match (&args.out, findings_file) {
        (Some(dir), Some(file)) => {
            let fail = |e: std::io::Error| Failure::Message(format!("{}: {e}", dir.display()));
            file.commit().map_err(fail)?;
            report::write_reports(dir, &run, &aggregator, &org).map_err(fail)?;
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
    if org.omitted.findings > 0 && !args.quiet {
        let mut err = super::stderr(color);
        writeln!(
            err,
            "note: … and {} more findings in {} posts not listed (--max-findings-per-post {}); first: {}",
            org.omitted.findings,
            org.omitted.posts,
            args.max_findings_per_post,
            org.omitted.first.join(", ")
        )?;
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

/// SIGINT and SIGTERM, caught so a scan can stop cleanly.
struct Interrupt {
    int: Arc<AtomicBool>,
    term: Arc<AtomicBool>,
}

impl Interrupt {
    fn register() -> Result<Self, Failure> {
        let int = Arc::new(AtomicBool::new(false));
        let term = Arc::new(AtomicBool::new(false));
        for (signal, flag) in [(SIGINT, &int), (SIGTERM, &term)] {
            signal_hook::flag::register(signal, Arc::clone(flag))
                .map_err(|e| Failure::Message(format!("cannot handle signals: {e}")))?;
        }
        Ok(Interrupt { int, term })
    }

    /// The signal received, if any, and the exit code it calls for (128 + its number).
    fn signal(&self) -> Option<(&'static str, u8)> {
        if self.int.load(Ordering::Relaxed) {
            Some(("SIGINT", 130))
        } else if self.term.load(Ordering::Relaxed) {
            Some(("SIGTERM", 143))
        } else {
            None
        }
    }
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
