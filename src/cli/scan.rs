//! `postguard scan`: a batch of exported posts, per-employee reports.

use super::{ColorWhen, FailOn, Failure, Outcome, PolicyChoice, inputs, style};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use postguard::aggregate::Aggregator;
use postguard::compare::{self, FindingKey, Previous};
use postguard::finding::Severity;
use postguard::input::{self, InputFormat, ReadOptions};
use postguard::matcher::DEFAULT_MAX_FINDINGS_PER_POST;
use postguard::pipeline::{ScanError, ScanOptions, Watch, run_scan};
use postguard::report::{self, AtomicFile, ReportFolder, RuleNote, RunInfo, RunMeta};
use postguard::roster::Roster;
use signal_hook::consts::{SIGINT, SIGTERM};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Exported posts: JSONL, CSV, LinkedIn Shares.csv, X tweets.js, Facebook or Instagram JSON (gzip too); `-` for stdin; a folder is searched for export files.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Input format of the files named here, instead of detecting it (files in a folder are recognised by name).
    #[arg(long, value_name = "FORMAT", value_parser = input_formats(), ignore_case = true)]
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
    /// Write employees/ab/<author>.json (256 subfolders by a hash of the name);
    /// done anyway past 10,000 employees.
    #[arg(long, conflicts_with = "no_employee_files")]
    pub shard_employee_files: bool,
    /// Bytes of post text checked together (a batch ends at either bound).
    #[arg(long, value_name = "BYTES", default_value_t = ScanOptions::default().batch_bytes, hide = true)]
    pub batch_bytes: usize,
    /// Findings reported per post: the most severe first; the rest are counted
    /// in summary.json (`findings_not_listed`) and the report.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_FINDINGS_PER_POST, value_parser = super::at_least_one)]
    pub max_findings_per_post: usize,
    /// Only these rules: a rule id, an id prefix (`finra.`) or a category. Repeatable or comma-separated.
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Not these rules (same forms as --select; wins over it).
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Print every finding to stdout, for piping; the summary then goes to stderr (-q: none).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ScanFormat>,
    /// From the global -q/--quiet: no progress bar, summary or notes.
    #[arg(skip)]
    pub quiet: bool,
    /// From the global -v/--verbose: the policy in use.
    #[arg(skip)]
    pub verbose: bool,
    /// Employee roster CSV (id, name, team, manager, region, accounts,
    /// start_date, training_completed): one report per employee across their
    /// accounts; accounts on no roster are listed as unregistered. Default:
    /// the policy's `[roster] path`.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// Each account in the export that is on no roster is an error finding.
    #[arg(long)]
    pub unregistered_is_finding: bool,
    /// Only posts from this date or time on (YYYY-MM-DD or RFC 3339); undated posts are left out.
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<Bound>,
    /// Only posts up to this date (the whole day) or time; stage windows end here.
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<Bound>,
    /// An earlier report folder: who moved up or down a stage, new and resolved
    /// findings per employee and team (first in the summary, the HTML and summary.json).
    #[arg(long, value_name = "PREVIOUS_OUT_DIR")]
    pub compare: Option<PathBuf>,
    /// Employees shown in full in report.html: the lowest stages with the most
    /// findings; the others are counted by stage and team (all are in the CSV and JSON).
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub html_employees: usize,
}

/// A finding in findings.jsonl with the employee it counts for (with a roster).
#[derive(serde::Serialize)]
struct WithEmployee<'a> {
    employee: &'a str,
    #[serde(flatten)]
    finding: &'a postguard::finding::Finding,
}

/// A period bound as given and as seconds since 1970.
#[derive(Debug, Clone)]
pub struct Bound {
    pub text: String,
    pub secs: i64,
}

fn parse_since(s: &str) -> Result<Bound, String> {
    postguard::time::sort_key(s)
        .map(|secs| Bound {
            text: s.to_string(),
            secs,
        })
        .ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD) or an RFC 3339 time"))
}

fn parse_until(s: &str) -> Result<Bound, String> {
    let mut b = parse_since(s)?;
    // A date alone means through the end of that day.
    if s.trim().len() == 10 {
        b.secs += 86_399;
    }
    Ok(b)
}

/// How `scan --format` prints findings on stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanFormat {
    /// One line per finding: `post author severity[rule]: message ("matched")`.
    Human,
    /// One JSON array of findings.
    Json,
    /// One finding per line, as JSON.
    Jsonl,
}

/// The format names, listed by `--help` and checked by clap.
fn input_formats() -> impl clap::builder::TypedValueParser<Value = InputFormat> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(InputFormat::NAMES)
        .try_map(|s| s.parse::<InputFormat>())
}

pub fn run(policy: &PolicyChoice, color: ColorWhen, args: ScanArgs) -> Outcome {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| Failure::Message(format!("cannot start {n} threads: {e}")))?;
    }
    let (engine, origin) = policy.engine_with_corporate(color, &args.corporate)?;
    if args.verbose {
        writeln!(super::stderr(color), "policy: {origin}")?;
    }
    let engine = engine.for_batch();
    let base = ReadOptions {
        format: args.input_format,
        max_post_bytes: args.max_post_bytes,
        max_gzip_bytes: args.max_gzip_bytes,
        ..ReadOptions::default()
    };
    // A report folder inside a walked folder is not an export.
    let exclude: Vec<PathBuf> = args.out.iter().cloned().collect();
    let selection = input::select(&args.inputs, &args.map, &args.author, &base, &exclude)
        .map_err(Failure::Message)?;
    if !args.quiet {
        inputs::note_skipped(&selection.skipped, color)?;
    }
    // Every input opened up front: a missing file is reported before any work.
    let (records, mut opened) = inputs::open_all(&selection, args.strict)?;
    // SIGINT or SIGTERM: stop reading, keep no partial report (see below).
    let interrupt = Interrupt::register()?;
    let records = records.take_while(|_| interrupt.signal().is_none());
    // Posts outside --since/--until are left out as they are checked (on
    // the worker threads, which parse them), and counted.
    let outside = std::sync::atomic::AtomicU64::new(0);
    let period = (
        args.since.as_ref().map(|b| b.secs),
        args.until.as_ref().map(|b| b.secs),
    );
    let in_period = |post: &postguard::input::Post| {
        let (since, until) = period;
        if since.is_none() && until.is_none() {
            return true;
        }
        let at = post
            .created_at
            .as_deref()
            .and_then(postguard::time::sort_key);
        let inside =
            at.is_some_and(|t| since.is_none_or(|s| t >= s) && until.is_none_or(|u| t <= u));
        if !inside {
            outside.fetch_add(1, Ordering::Relaxed);
        }
        inside
    };
    let roster_path = args.roster.clone().or_else(|| {
        let policy = engine.policy();
        policy.file.roster.path.as_ref().map(|p| {
            policy
                .base_dir
                .clone()
                .unwrap_or_default()
                .join(p.get_ref())
        })
    });
    let roster = match &roster_path {
        Some(path) => Some(Arc::new(Roster::load(path).map_err(Failure::Message)?)),
        None => None,
    };
    // Read before --out is replaced: the previous folder may be the same one.
    let previous = match &args.compare {
        Some(dir) => Some(Previous::load(dir).map_err(Failure::Message)?),
        None => None,
    };
    let mut current: HashMap<FindingKey, String> = HashMap::new();
    let unregistered_is_finding =
        args.unregistered_is_finding || engine.policy().file.roster.unregistered_is_finding;

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
        batch_bytes: args.batch_bytes,
        strict: args.strict,
        ..ScanOptions::default()
    };
    let threshold = Severity::from(args.fail_on);
    let mut failing = false;
    let mut aggregator = match &roster {
        Some(r) => Aggregator::with_roster(scan_opts.examples_per_employee, Arc::clone(r)),
        None => Aggregator::new(scan_opts.examples_per_employee),
    };
    aggregator.until_day = args.until.as_ref().map(|b| b.secs.div_euclid(86_400));
    aggregator.watch = previous.as_ref().map(|p| p.post_ids.clone());
    let mut line = Vec::with_capacity(512);
    let mut printed = 0u64;
    // Findings carry no colour; the sink runs on another thread, so no lock is held.
    let mut stdout = args
        .format
        .map(|_| std::io::BufWriter::new(std::io::stdout()));
    if let (Some(out), Some(ScanFormat::Json)) = (stdout.as_mut(), args.format) {
        write!(out, "[")?;
    }
    let result = run_scan(
        records,
        |post| {
            if !in_period(post) {
                return None;
            }
            let mut result = engine.check(post);
            result.cap_findings(args.max_findings_per_post);
            Some(result)
        },
        &scan_opts,
        &mut aggregator,
        &mut |post, f| {
            failing |= f.severity >= threshold;
            // With a roster each finding names the employee it counts for.
            let employee = roster.as_ref().map(|r| {
                r.resolve(&post.author, post.platform.as_deref())
                    .map_or_else(|| post.author.clone(), |e| e.id.clone())
            });
            if previous.is_some() {
                current.insert(
                    FindingKey {
                        post_id: f.post_id.clone(),
                        rule: f.rule.clone(),
                        start: f.start,
                        end: f.end,
                    },
                    employee.clone().unwrap_or_else(|| f.author.clone()),
                );
            }
            if let Some(file) = findings_file.as_mut() {
                line.clear();
                match &employee {
                    Some(employee) => serde_json::to_writer(
                        &mut line,
                        &WithEmployee {
                            employee,
                            finding: f,
                        },
                    )?,
                    None => serde_json::to_writer(&mut line, f)?,
                }
                line.push(b'\n');
                file.write_all(&line)?;
            }
            if let (Some(out), Some(format)) = (stdout.as_mut(), args.format) {
                print_finding(out, format, f, printed)?;
                printed += 1;
            }
            Ok(())
        },
        Watch {
            progress: &mut |n| bar.set_position(n),
            record: &mut |input, record| opened.count(input, record),
        },
    );
    bar.finish_and_clear();
    if let Some(mut out) = stdout.take() {
        if args.format == Some(ScanFormat::Json) {
            writeln!(out, "{}]", if printed > 0 { "\n" } else { "" })?;
        }
        out.flush()?;
    }
    if let Some((name, code)) = interrupt.signal() {
        // Dropping the findings file and the staged folder removes them.
        drop(findings_file);
        drop(folder);
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

    for (name, flag) in opened.cut_short.clone() {
        if flag.load(std::sync::atomic::Ordering::Relaxed) {
            let message = format!(
                "{name}: decompressed input is over {} bytes (--max-gzip-bytes); the posts before that point are in the reports, the rest of the file was not read",
                args.max_gzip_bytes
            );
            if args.strict {
                return Err(Failure::Message(message));
            }
            opened.add_error(message);
        }
    }
    let stages = &engine.policy().file.stages;
    let mut org = aggregator.summarise(stages);
    org.posts_outside_period = outside.load(Ordering::Relaxed);
    if unregistered_is_finding && roster.is_some() {
        for u in aggregator.unregistered.values() {
            let f = report::unregistered_finding(u);
            failing |= f.severity >= threshold;
            org.count_extra_finding(&f);
            if previous.is_some() {
                let key = FindingKey {
                    post_id: f.post_id.clone(),
                    rule: f.rule.clone(),
                    start: f.start,
                    end: f.end,
                };
                current.insert(key, f.author.clone());
            }
            if let Some(file) = findings_file.as_mut() {
                let with = WithEmployee {
                    employee: &f.author,
                    finding: &f,
                };
                serde_json::to_writer(&mut *file, &with).map_err(std::io::Error::from)?;
                file.write_all(b"\n")?;
            }
        }
    }
    let progress = previous.as_ref().map(|p| {
        compare::progress(
            p,
            &org,
            &current,
            &aggregator.watched_seen,
            roster.as_deref(),
        )
    });
    let rules: HashMap<String, RuleNote> = engine
        .rules()
        .map(|r| {
            (
                r.id.to_string(),
                RuleNote {
                    why: r.why.to_string(),
                    reference: r.reference.map(str::to_string),
                },
            )
        })
        .chain([(
            report::UNREGISTERED_RULE.to_string(),
            RuleNote {
                why: "An account posting about the firm must be registered to the employee who runs it, so it can be supervised.".to_string(),
                reference: None,
            },
        )])
        .collect();
    let meta = RunMeta::new(
        engine.policy(),
        args.since.as_ref().map(|b| b.text.clone()),
        args.until.as_ref().map(|b| b.text.clone()),
    )
    .with_posts(&aggregator);
    let run = RunInfo {
        policy: &engine.policy().file.policy.name,
        inputs: &opened.names,
        stages,
        employee_files: !args.no_employee_files,
        shard_employee_files: args.shard_employee_files,
        roster: roster.as_deref(),
        meta: &meta,
        progress: progress.as_ref(),
        rules: &rules,
        html_employees: args.html_employees,
    };
    match (&args.out, folder, findings_file) {
        (Some(dir), Some(folder), Some(file)) => {
            let fail = |e: std::io::Error| Failure::Message(format!("{}: {e}", dir.display()));
            file.commit().map_err(fail)?;
            report::write_reports(folder.path(), &run, &aggregator, &org).map_err(fail)?;
            folder.commit().map_err(fail)?;
            if !args.quiet {
                let mut err = super::stderr(color);
                if let Some(p) = &progress {
                    write!(err, "{}", report::progress_text(p))?;
                }
                writeln!(
                    err,
                    "{}scanned{} {} by {}: {}, {} skipped; reports in {}",
                    style::GOOD.render(),
                    style::GOOD.render_reset(),
                    report::plural(org.posts, "post"),
                    report::plural(org.employees, "employee"),
                    report::plural(org.findings, "finding"),
                    report::plural(org.bad_records.count, "record"),
                    dir.display()
                )?;
                if run.roster.is_some() {
                    write!(err, "{}", report::roster_text(&aggregator, &org))?;
                }
            }
        }
        _ => {
            if args.quiet {
            } else if args.format.is_some() {
                // Findings own stdout: the summary is a message.
                write!(
                    super::stderr(color),
                    "{}",
                    report::summary_text(&run, &aggregator, &org)
                )?;
            } else {
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
    let unreadable = opened.errors();
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

/// One finding on stdout in the `--format` asked for; `n` findings came before.
fn print_finding(
    out: &mut impl Write,
    format: ScanFormat,
    f: &postguard::finding::Finding,
    n: u64,
) -> std::io::Result<()> {
    match format {
        ScanFormat::Human => writeln!(
            out,
            "{}:{}:{}: {} {}[{}]: {} (\"{}\")",
            f.post_id, f.line, f.column, f.author, f.severity, f.rule, f.message, f.matched
        ),
        ScanFormat::Jsonl => {
            serde_json::to_writer(&mut *out, f)?;
            writeln!(out)
        }
        ScanFormat::Json => {
            write!(out, "{}\n  ", if n == 0 { "" } else { "," })?;
            serde_json::to_writer(&mut *out, f).map_err(std::io::Error::from)
        }
    }
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
