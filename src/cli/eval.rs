//! `postguard eval`: the policy run over labelled posts, with precision and
//! recall per category and rule, and every miss and false alarm explained.

use super::{ColorWhen, Failure, Outcome, PolicyChoice, style};
use clap::{Args, ValueEnum};
use postguard::aggregate::Aggregator;
use postguard::aggregate::eval::{
    Counts, Evaluation, Floor, FloorResult, Measure, Mistake, check_floors, evaluate,
};
use postguard::finding::{BUILTIN_CATEGORIES, Finding, Severity};
use postguard::input::labels::{Label, read_labels};
use postguard::input::{self, BadRecord, InputFormat, Pending, ReadOptions};
use postguard::matcher::Cleared;
use postguard::pipeline::{ScanError, ScanOptions, Watch, run_scan};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Labelled posts (JSONL): `{"id", "text", "author"?, "created_at"?, "categories": [...]}`.
    #[arg(value_name = "LABELLED", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Official corporate posts (any `scan` input format), for verbatim-repost detection.
    #[arg(long, value_name = "FILE")]
    pub corporate: Vec<PathBuf>,
    /// Lowest severity that flags a post; `info` notes are coaching, not violations.
    #[arg(long, value_enum, default_value_t = MinSeverity::Warning, value_name = "SEVERITY")]
    pub min_severity: MinSeverity,
    /// Exit 1 when precision falls below this: `0.9` for every category, or `CATEGORY=0.9` (repeatable).
    #[arg(long, value_name = "[CATEGORY=]MIN")]
    pub min_precision: Vec<String>,
    /// Exit 1 when recall falls below this: `0.9` for every category, or `CATEGORY=0.9` (repeatable).
    #[arg(long, value_name = "[CATEGORY=]MIN")]
    pub min_recall: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Human)]
    pub format: EvalFormat,
    /// Only the tables: no list of misses and false alarms.
    #[arg(long)]
    pub summary: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MinSeverity {
    Info,
    Warning,
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    Human,
    Json,
}

pub fn run(policy: &PolicyChoice, color: ColorWhen, args: EvalArgs) -> Outcome {
    let floors = floors(&args)?;
    let (engine, _) = policy.engine_with_corporate(color, &args.corporate)?;
    let engine = engine.for_batch();

    // Categories a label may name: the built-in ones and any the policy's rules add.
    let mut categories: Vec<String> = BUILTIN_CATEGORIES.iter().map(|c| c.to_string()).collect();
    for rule in engine.rules() {
        if !categories.iter().any(|c| c == rule.category) {
            categories.push(rule.category.to_string());
        }
    }
    let known: Vec<&str> = categories.iter().map(String::as_str).collect();

    let labels = read_all_labels(&args.inputs, &known, color)?;

    // The same reader and pipeline as `scan`, so corporate sources, thresholds
    // and timestamps behave exactly as in a scan.
    let opts = ReadOptions {
        format: Some(InputFormat::Jsonl),
        ..ReadOptions::default()
    };
    let mut sources: Vec<Box<dyn Iterator<Item = Pending> + Send>> = Vec::new();
    for path in &args.inputs {
        let records = input::open(path, &opts).map_err(|e| Failure::Message(e.to_string()))?;
        sources.push(records.pending());
    }
    let cleared: Mutex<HashMap<String, Vec<Cleared>>> = Mutex::new(HashMap::new());
    let mut findings: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    let mut aggregator = Aggregator::new(0);
    let result = run_scan(
        sources.into_iter().flatten(),
        |post| {
            let result = engine.check(post);
            if !result.cleared.is_empty()
                && let Ok(mut map) = cleared.lock()
            {
                map.insert(post.id.clone(), result.cleared.clone());
            }
            Some(result)
        },
        &ScanOptions {
            strict: true,
            ..ScanOptions::default()
        },
        &mut aggregator,
        &mut |_, f| {
            findings
                .entry(f.post_id.clone())
                .or_default()
                .push(f.clone());
            Ok(())
        },
        Watch {
            progress: &mut |_| {},
            record: &mut |_, _| {},
        },
    );
    match result {
        Ok(()) => {}
        Err(ScanError::Strict(bad)) => return Err(bad_input(&[bad], color)),
        Err(ScanError::Sink(e)) => return Err(e.into()),
    }

    let min_severity = match args.min_severity {
        MinSeverity::Info => Severity::Info,
        MinSeverity::Warning => Severity::Warning,
        MinSeverity::Error => Severity::Error,
    };
    let cleared = cleared.into_inner().unwrap_or_default();
    let eval = evaluate(&labels, &findings, &known, min_severity);
    let floor_results = check_floors(&eval, &floors);

    let mut out = super::stdout(color);
    match args.format {
        EvalFormat::Json => {
            let mistakes = |list: &[Mistake]| -> Vec<serde_json::Value> {
                list.iter()
                    .map(|m| {
                        let mut v = serde_json::to_value(m).unwrap_or_default();
                        v["cleared"] = cleared_json(cleared.get(&m.id));
                        v
                    })
                    .collect()
            };
            let mut value = serde_json::to_value(&eval).map_err(io_error)?;
            value["policy"] = engine.policy().file.policy.name.clone().into();
            value["misses"] = mistakes(&eval.misses).into();
            value["false_alarms"] = mistakes(&eval.false_alarms).into();
            value["floors"] = serde_json::to_value(&floor_results).map_err(io_error)?;
            serde_json::to_writer_pretty(&mut out, &value).map_err(io_error)?;
            writeln!(out)?;
        }
        EvalFormat::Human => {
            let name = &engine.policy().file.policy.name;
            human(&mut out, &eval, name, &cleared, args.summary)?;
            floors_human(&mut out, &floor_results)?;
        }
    }
    out.flush()?;
    let failed = floor_results.iter().any(|f| !f.ok);
    Ok(ExitCode::from(u8::from(failed)))
}

fn io_error(e: serde_json::Error) -> Failure {
    Failure::Message(e.to_string())
}

fn floors(args: &EvalArgs) -> Result<Vec<Floor>, Failure> {
    let precision = args
        .min_precision
        .iter()
        .map(|s| (Measure::Precision, "--min-precision", s));
    let recall = args
        .min_recall
        .iter()
        .map(|s| (Measure::Recall, "--min-recall", s));
    precision
        .chain(recall)
        .map(|(measure, flag, s)| {
            Floor::parse(measure, s).map_err(|e| Failure::Message(format!("{flag}: {e}")))
        })
        .collect()
}

fn read_all_labels(
    inputs: &[PathBuf],
    known: &[&str],
    color: ColorWhen,
) -> Result<Vec<Label>, Failure> {
    let mut labels = Vec::new();
    let mut problems = Vec::new();
    let mut first: HashMap<String, (String, u64)> = HashMap::new();
    for path in inputs {
        let name = path.display().to_string();
        let file =
            std::fs::File::open(path).map_err(|e| Failure::Message(format!("{name}: {e}")))?;
        match read_labels(BufReader::new(file), &name, known) {
            Ok(read) => {
                for label in read {
                    if let Some((file, line)) = first.get(&label.id) {
                        problems.push(BadRecord {
                            file: label.file.clone(),
                            line: label.line,
                            reason: format!("duplicate id `{}` (first in {file}:{line})", label.id),
                        });
                        continue;
                    }
                    first.insert(label.id.clone(), (label.file.clone(), label.line));
                    labels.push(label);
                }
            }
            Err(bad) => problems.extend(bad),
        }
    }
    if problems.is_empty() {
        Ok(labels)
    } else {
        Err(bad_input(&problems, color))
    }
}

fn bad_input(problems: &[BadRecord], color: ColorWhen) -> Failure {
    let mut err = super::stderr(color);
    for p in problems {
        let _ = writeln!(
            err,
            "{}error:{} {p}",
            style::ERROR.render(),
            style::ERROR.render_reset()
        );
    }
    let _ = writeln!(
        err,
        "{}error:{} the labelled set has {} problem{}; every post needs a readable label",
        style::ERROR.render(),
        style::ERROR.render_reset(),
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    Failure::Reported
}

fn cleared_json(cleared: Option<&Vec<Cleared>>) -> serde_json::Value {
    cleared
        .into_iter()
        .flatten()
        .map(|c| {
            serde_json::json!({
                "rule": c.rule, "start": c.start, "end": c.end, "matched": c.matched, "by": c.by,
            })
        })
        .collect::<Vec<_>>()
        .into()
}

fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{v:.3}"))
}

fn counts_row(out: &mut super::Stdout, name: &str, c: &Counts) -> std::io::Result<()> {
    writeln!(
        out,
        "{name:<18} {:>6} {:>6} {:>6} {:>6} {:>10} {:>7} {:>7}",
        c.positives,
        c.tp,
        c.fp,
        c.fn_,
        figure(c.precision()),
        figure(c.recall()),
        figure(c.f1())
    )
}

/// The text on one line, control characters made visible.
fn one_line(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => s.push_str(" ⏎ "),
            c if c.is_control() => s.extend(c.escape_default()),
            c => s.push(c),
        }
    }
    s
}

fn human(
    out: &mut super::Stdout,
    eval: &Evaluation,
    policy: &str,
    cleared: &HashMap<String, Vec<Cleared>>,
    summary: bool,
) -> std::io::Result<()> {
    let bold = |s: &str| format!("{}{s}{}", style::BOLD.render(), style::BOLD.render_reset());
    writeln!(
        out,
        "{} posts ({} clean) · policy \"{policy}\" · a post is flagged by a finding at {} or above\n",
        eval.posts, eval.clean, eval.min_severity
    )?;
    writeln!(
        out,
        "{}",
        bold(&format!(
            "{:<18} {:>6} {:>6} {:>6} {:>6} {:>10} {:>7} {:>7}",
            "category", "posts", "TP", "FP", "FN", "precision", "recall", "F1"
        ))
    )?;
    for (name, c) in &eval.categories {
        if c.positives + c.fp > 0 {
            counts_row(out, name, c)?;
        }
    }
    counts_row(out, "all", &eval.overall)?;

    let columns: Vec<&str> = std::iter::once("nothing")
        .chain(eval.categories.keys().map(String::as_str))
        .filter(|c| eval.confusion.values().any(|row| row.contains_key(*c)))
        .collect();
    writeln!(
        out,
        "\n{}",
        bold("labelled (rows) × flagged (columns), in posts")
    )?;
    write!(out, "{:<18}", "")?;
    for c in &columns {
        write!(out, " {:>15}", c)?;
    }
    writeln!(out)?;
    let rows = std::iter::once("clean").chain(eval.categories.keys().map(String::as_str));
    for row in rows {
        let Some(cells) = eval.confusion.get(row) else {
            continue;
        };
        write!(out, "{row:<18}")?;
        for c in &columns {
            write!(out, " {:>15}", cells.get(*c).copied().unwrap_or(0))?;
        }
        writeln!(out)?;
    }

    writeln!(
        out,
        "\n{}",
        bold(&format!(
            "{:<36} {:>6} {:>6} {:>7}",
            "rule", "true", "false", "missed"
        ))
    )?;
    for (rule, r) in &eval.rules {
        writeln!(
            out,
            "{rule:<36} {:>6} {:>6} {:>7}",
            r.true_hits, r.false_hits, r.missed
        )?;
    }

    if !eval.families.is_empty() {
        let mut families: Vec<_> = eval.families.iter().collect();
        families.sort_by_key(|(name, f)| (std::cmp::Reverse(f.posts - f.right), *name));
        writeln!(
            out,
            "\n{}",
            bold(&format!(
                "{:<44} {:>6} {:>6} {:>7} {:>7}",
                "family (most wrong first)", "posts", "right", "misses", "alarms"
            ))
        )?;
        for (name, f) in families {
            writeln!(
                out,
                "{name:<44} {:>6} {:>6} {:>7} {:>7}",
                f.posts, f.right, f.misses, f.false_alarms
            )?;
        }
    }
    if summary {
        return Ok(());
    }
    for (title, list) in [
        ("missed", &eval.misses),
        ("false alarm", &eval.false_alarms),
    ] {
        let mut by_category: BTreeMap<&str, Vec<&Mistake>> = BTreeMap::new();
        for m in list.iter() {
            by_category.entry(&m.category).or_default().push(m);
        }
        for (category, mistakes) in by_category {
            writeln!(
                out,
                "\n{}",
                bold(&format!("{title}: {category} ({})", mistakes.len()))
            )?;
            for m in mistakes {
                mistake(out, m, cleared.get(&m.id))?;
            }
        }
    }
    Ok(())
}

fn mistake(
    out: &mut super::Stdout,
    m: &Mistake,
    cleared: Option<&Vec<Cleared>>,
) -> std::io::Result<()> {
    let family = m
        .family
        .as_deref()
        .map(|f| format!(", {f}"))
        .unwrap_or_default();
    writeln!(
        out,
        "  {} ({}{family}) {}:{}",
        m.id, m.author, m.file, m.line
    )?;
    writeln!(out, "    {}", one_line(&m.text))?;
    for f in &m.fired {
        writeln!(
            out,
            "    {}fired:{} {} ({}) `{}`",
            style::severity(f.severity).render(),
            style::severity(f.severity).render_reset(),
            f.rule,
            f.severity,
            one_line(&f.matched)
        )?;
    }
    for c in cleared.into_iter().flatten() {
        writeln!(
            out,
            "    {}cleared:{} {} `{}` by `{}`",
            style::GOOD.render(),
            style::GOOD.render_reset(),
            c.rule,
            one_line(&c.matched),
            one_line(&c.by)
        )?;
    }
    if let Some(note) = &m.note {
        writeln!(out, "    note: {}", one_line(note))?;
    }
    Ok(())
}

fn floors_human(out: &mut super::Stdout, results: &[FloorResult]) -> std::io::Result<()> {
    if results.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    for r in results {
        let measure = match r.measure {
            Measure::Precision => "precision",
            Measure::Recall => "recall",
        };
        let (s, word) = if r.ok {
            (style::GOOD, "ok")
        } else {
            (style::ERROR, "below floor")
        };
        writeln!(
            out,
            "{}{word}:{} {measure} of {} is {} (floor {:.3})",
            s.render(),
            s.render_reset(),
            r.category,
            figure(r.value),
            r.min
        )?;
    }
    Ok(())
}
