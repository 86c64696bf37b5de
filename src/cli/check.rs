//! `postguard check`: drafts before they are published.

use super::drafts::{self, Draft};
use super::format::{Item, RuleMeta, github, junit, sarif};
use super::review::{self, Baseline, BaselineEntry};
use super::{ColorWhen, FailOn, Failure, Outcome, PolicyChoice, render, style};
use clap::{Args, ValueEnum};
use postguard::finding::{Finding, Severity};
use postguard::input::Post;
use postguard::matcher::{DEFAULT_MAX_FINDINGS_PER_POST, PostResult};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Draft files, folders of .txt/.md drafts, or `-` for standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Check this text instead of (or besides) files.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// Output format [default: human, or `format` in postguard.toml].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Lowest severity that makes the exit code 1 [default: error, or `fail-on` in postguard.toml].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Do not report findings recorded in this baseline file (reviewed findings).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report suppressions and baseline entries that no longer match anything.
    #[arg(long)]
    pub report_unused_ignores: bool,
    /// Exit 0 even when findings reach --fail-on (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Official corporate posts (any `scan` input format), for verbatim-repost detection.
    #[arg(long, value_name = "FILE")]
    pub corporate: Vec<PathBuf>,
    /// Findings reported per draft: the most severe first; the rest are counted in a note.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_FINDINGS_PER_POST,
          value_parser = super::at_least_one)]
    pub max_findings_per_post: usize,
    /// Only these rules: a rule id, an id prefix (`finra.`) or a category. Repeatable or comma-separated.
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Not these rules (same forms as --select; wins over it).
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Walk folders without respecting .gitignore, .ignore and hidden files.
    #[arg(long)]
    pub no_ignore: bool,
    /// From the global -v/--verbose.
    #[arg(skip)]
    pub verbose: bool,
    /// From the global -q/--quiet.
    #[arg(skip)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

/// Drafts past which `check` builds the automata of a batch scan.
const MANY_DRAFTS: usize = 256;

pub fn run(policy: &PolicyChoice, color: ColorWhen, mut args: CheckArgs) -> Outcome {
    let (engine, origin) = policy.engine_with_corporate(color, &args.corporate)?;
    let config = &engine.policy().file.check;
    let config_dir = engine.policy().config_dir.clone();
    let format = match (args.format, &config.format) {
        (Some(f), _) => f,
        (None, Some(name)) => Format::from_str(name, true).map_err(|_| {
            Failure::Message(format!(
                "postguard.toml: unknown format `{name}` (human, json, sarif, github, junit)"
            ))
        })?,
        (None, None) => Format::Human,
    };
    let threshold = args
        .fail_on
        .map(Severity::from)
        .or(config.fail_on)
        .unwrap_or(Severity::Error);
    let selection = match &config_dir {
        Some(root) => {
            drafts::selection(root, &config.include, &config.exclude).map_err(Failure::Message)?
        }
        None => None,
    };
    let implicit_stdin = args.inputs.is_empty() && args.text.is_none() && config_dir.is_none();
    if args.inputs.is_empty() && args.text.is_none() {
        if let Some(root) = config_dir.as_ref() {
            // In a configured repository, `postguard check` checks the repository.
            let here = std::env::current_dir().ok();
            let same =
                here.as_deref().and_then(|h| h.canonicalize().ok()) == root.canonicalize().ok();
            args.inputs.push(if same {
                ".".into()
            } else {
                root.display().to_string()
            });
        } else if std::io::stdin().is_terminal() {
            return Err(Failure::Message(
                "no drafts to check: give files or folders, `-` for standard input, or --text"
                    .into(),
            ));
        } else {
            args.inputs.push("-".into());
        }
    }
    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::load(path).map_err(Failure::Message)?),
        None => None,
    };
    let (mut drafts, errors) = drafts::collect(
        &args.inputs,
        args.text.as_deref(),
        selection.as_ref(),
        args.no_ignore,
    );
    // A job that pipes nothing into `postguard check` has nothing to check:
    // an empty standard input read by default is not a draft.
    if implicit_stdin && drafts.first().is_some_and(|d| d.text.trim().is_empty()) {
        drafts.clear();
    }
    if drafts.is_empty() && errors.is_empty() {
        let what = if implicit_stdin {
            "standard input is empty".to_string()
        } else {
            format!("no .txt or .md drafts in {}", args.inputs.join(", "))
        };
        return Err(Failure::Message(format!(
            "nothing to check: {what} (give files or folders of drafts, `-` for standard input, or --text)"
        )));
    }
    let rule_exists = |id: &str| engine.all_rule_ids().any(|r| r == id);
    let mut suppressions = Vec::with_capacity(drafts.len());
    let mut problems = Vec::with_capacity(drafts.len());
    for d in &mut drafts {
        let (s, p) = review::take_suppressions(&d.name, &mut d.text, &rule_exists);
        // A suppression is read by postguard, not by the post's readers.
        for range in s
            .iter()
            .map(|s| s.comment.clone())
            .chain(p.iter().map(|p| p.start..p.end))
        {
            if !d.hidden.contains(&range) {
                d.hidden.push(range);
            }
        }
        suppressions.push(s);
        problems.push(p);
    }
    // Hundreds of drafts repay the automata a batch scan builds.
    let engine = if drafts.len() > MANY_DRAFTS {
        engine.for_batch()
    } else {
        engine
    };
    let mut results: Vec<PostResult> = drafts
        .par_iter()
        .map(|d| engine.check(&to_post(d)))
        .collect();
    for ((result, s), p) in results.iter_mut().zip(&mut suppressions).zip(problems) {
        review::apply_suppressions(&mut result.findings, s);
        result.findings.extend(p);
        result
            .findings
            .sort_by(|a, b| (a.start, &a.rule).cmp(&(b.start, &b.rule)));
    }

    if let Some(path) = &args.write_baseline {
        return write_baseline(path, baseline.as_ref(), &results, color);
    }
    let unused_entries = match &baseline {
        Some(baseline) => baseline.filter(&mut results),
        None => Vec::new(),
    };
    for result in &mut results {
        result.cap_findings(args.max_findings_per_post);
    }
    if args.report_unused_ignores {
        for ((result, s), d) in results.iter_mut().zip(&suppressions).zip(&drafts) {
            for unused in s.iter().filter(|s| !s.used) {
                result.findings.push(unused_suppression(d, unused));
            }
        }
    }

    // Stale baseline entries reach CI formats too, located at their file.
    let stale: Vec<Item> = if args.report_unused_ignores {
        unused_entries.iter().map(stale_entry).collect()
    } else {
        Vec::new()
    };
    let mut out = super::stdout(color);
    let items = || {
        let mut all = items(&drafts, &results);
        all.extend(stale.iter().cloned());
        all
    };
    match format {
        Format::Human => {
            if args.verbose {
                writeln!(
                    out,
                    "{}policy:{} {origin}",
                    style::DIM.render(),
                    style::DIM.render_reset()
                )?;
            }
            human(
                &mut out,
                &drafts,
                &results,
                args.verbose,
                args.max_findings_per_post,
                if args.quiet {
                    Summary::None
                } else if !errors.is_empty() {
                    // Inputs that could not be read are errors below: no "ok" above them.
                    Summary::NoOk
                } else {
                    Summary::Full
                },
                color,
            )?;
        }
        Format::Json => {
            let findings: Vec<&Finding> = results.iter().flat_map(|r| &r.findings).collect();
            serde_json::to_writer_pretty(&mut out, &findings).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Sarif => {
            let rules: Vec<RuleMeta> = engine
                .rules()
                .map(|r| RuleMeta {
                    id: r.id.to_string(),
                    short: r.message.to_string(),
                    full: r.why.trim().to_string(),
                    help: [r.suggestion, r.reference.filter(|x| !x.is_empty())]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" — source: "),
                })
                .chain(meta_rules())
                .collect();
            serde_json::to_writer_pretty(&mut out, &sarif::render(&items(), &rules))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Github => write!(out, "{}", github::render(&items()))?,
        Format::Junit => {
            let mut files: Vec<String> = drafts.iter().map(|d| d.name.clone()).collect();
            for i in &stale {
                if !files.contains(&i.file) {
                    files.push(i.file.clone());
                }
            }
            write!(
                out,
                "{}",
                junit::render("postguard check", &files, &items())
            )?;
        }
    }
    out.flush()?;
    drop(out);

    let mut err = super::stderr(color);
    if format != Format::Human {
        for (d, r) in drafts.iter().zip(&results) {
            if r.omitted > 0 {
                writeln!(
                    err,
                    "{}",
                    omitted_note(r.omitted, &d.name, args.max_findings_per_post)
                )?;
            }
        }
    }
    if args.report_unused_ignores {
        for e in &unused_entries {
            writeln!(
                err,
                "{}warning:{} baseline entry {} ({} in {}: `{}`) no longer matches anything",
                style::WARNING.render(),
                style::WARNING.render_reset(),
                e.fingerprint,
                e.rule,
                e.file,
                e.matched
            )?;
        }
    }
    for e in &errors {
        writeln!(
            err,
            "{}error:{} {e}",
            style::ERROR.render(),
            style::ERROR.render_reset()
        )?;
    }
    if !errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let failing = results
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity >= threshold)
        || (args.report_unused_ignores
            && !unused_entries.is_empty()
            && Severity::Warning >= threshold);
    Ok(ExitCode::from(u8::from(failing && !args.exit_zero)))
}

fn write_baseline(
    path: &std::path::Path,
    previous: Option<&Baseline>,
    results: &[PostResult],
    color: ColorWhen,
) -> Outcome {
    // A suppression without a reason is a problem of the draft, not a
    // reviewed finding: it is never recorded.
    let all: Vec<Finding> = results
        .iter()
        .flat_map(|r| {
            r.findings
                .iter()
                .filter(|f| !review::is_meta(&f.rule))
                .cloned()
        })
        .collect();
    let prints = review::fingerprints(&all);
    // Keep the reviewer, date and reason already recorded for a finding.
    let old = |fp: &str| previous.and_then(|b| b.entries.iter().find(|e| e.fingerprint == fp));
    let entries = all
        .iter()
        .zip(prints)
        .map(|(f, fingerprint)| {
            let kept = old(&fingerprint);
            BaselineEntry {
                rule: f.rule.clone(),
                file: f.post_id.clone(),
                matched: f.matched.clone(),
                reviewer: kept.and_then(|e| e.reviewer.clone()),
                date: kept.and_then(|e| e.date.clone()),
                reason: kept.and_then(|e| e.reason.clone()),
                fingerprint,
            }
        })
        .collect::<Vec<_>>();
    let count = entries.len();
    Baseline {
        version: 1,
        entries,
    }
    .save(path)
    .map_err(Failure::Message)?;
    let mut err = super::stderr(color);
    writeln!(
        err,
        "wrote {count} reviewed finding{} to {}",
        if count == 1 { "" } else { "s" },
        path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// A baseline entry that matched nothing, as a CI item at the top of its file.
fn stale_entry(e: &BaselineEntry) -> Item {
    Item {
        file: e.file.clone(),
        rule: review::UNUSED_IGNORE.into(),
        severity: Severity::Warning,
        message: format!(
            "baseline entry {} ({} `{}`) no longer matches anything",
            e.fingerprint, e.rule, e.matched
        ),
        start: (1, 1),
        end: (1, 1),
        help: Some("remove the entry from the baseline".into()),
    }
}

/// The rules of postguard's own findings, so SARIF results can point at them.
fn meta_rules() -> [RuleMeta; 2] {
    let meta = |id: &str, short: &str, help: &str| RuleMeta {
        id: id.into(),
        short: short.into(),
        full: String::new(),
        help: help.into(),
    };
    [
        meta(
            review::INVALID_IGNORE,
            "A postguard-ignore comment without a reason or naming an unknown rule",
            "Write `<!-- postguard-ignore RULE: reason -->` with a rule in force.",
        ),
        meta(
            review::UNUSED_IGNORE,
            "A suppression or baseline entry that no longer matches anything",
            "Remove the comment or the baseline entry.",
        ),
    ]
}

fn unused_suppression(d: &Draft, s: &review::Suppression) -> Finding {
    Finding {
        rule: review::UNUSED_IGNORE.into(),
        category: "suppression".into(),
        severity: Severity::Warning,
        message: format!("suppression of `{}` matches nothing", s.rule),
        suggestion: Some("remove the comment".into()),
        ..Finding::in_text(
            &d.text,
            s.comment.clone(),
            &d.name,
            d.author.as_deref().unwrap_or(""),
        )
    }
}

fn items(drafts: &[Draft], results: &[PostResult]) -> Vec<Item> {
    let mut out = Vec::new();
    for (d, r) in drafts.iter().zip(results) {
        for f in &r.findings {
            out.push(Item {
                file: d.name.clone(),
                rule: f.rule.clone(),
                severity: f.severity,
                message: f.message.clone(),
                start: (f.line, f.column),
                end: postguard::finding::line_column(&d.text, f.end.min(d.text.len())),
                help: f.suggestion.clone(),
            });
        }
    }
    out
}

fn to_post(d: &Draft) -> Post {
    Post {
        id: d.name.clone(),
        author: d.author.clone().unwrap_or_default(),
        text: d.text.clone(),
        platform: d.platform.clone(),
        created_at: d.date.clone(),
        url: None,
        hidden: d.hidden.clone(),
    }
}

/// The note for a draft whose findings went past the cap.
fn omitted_note(omitted: usize, name: &str, max: usize) -> String {
    format!(
        "note: … and {omitted} more finding{} in {name} not shown (--max-findings-per-post {max})",
        if omitted == 1 { "" } else { "s" }
    )
}

/// The closing line of human output.
enum Summary {
    Full,
    /// No "ok": some input could not be read.
    NoOk,
    /// `--quiet`: findings only.
    None,
}

fn human(
    out: &mut super::Stdout,
    drafts: &[Draft],
    results: &[PostResult],
    verbose: bool,
    max_findings: usize,
    summary: Summary,
    color: ColorWhen,
) -> std::io::Result<()> {
    let mut counts = [0usize; 3];
    let mut omitted = 0;
    for (draft, result) in drafts.iter().zip(results) {
        for f in &result.findings {
            writeln!(
                out,
                "{}\n",
                render::finding(f, &draft.name, &draft.text, color)
            )?;
            counts[f.severity as usize] += 1;
        }
        if result.omitted > 0 {
            omitted += result.omitted;
            writeln!(
                out,
                "{}\n",
                omitted_note(result.omitted, &draft.name, max_findings)
            )?;
        }
        if verbose {
            for c in &result.cleared {
                writeln!(
                    out,
                    "{}cleared:{} `{}` ({}) in {} by `{}`",
                    style::GOOD.render(),
                    style::GOOD.render_reset(),
                    c.matched,
                    c.rule,
                    draft.name,
                    c.by
                )?;
            }
        }
    }
    let total: usize = counts.iter().sum();
    let drafts_word = if drafts.len() == 1 { "draft" } else { "drafts" };
    if total == 0 {
        if !matches!(summary, Summary::Full) {
            return Ok(());
        }
        writeln!(
            out,
            "{}ok:{} no findings in {} {drafts_word}",
            style::GOOD.render(),
            style::GOOD.render_reset(),
            drafts.len()
        )?;
    } else {
        let parts: Vec<String> = [
            (Severity::Error, "error"),
            (Severity::Warning, "warning"),
            (Severity::Info, "info"),
        ]
        .iter()
        .filter(|(s, _)| counts[*s as usize] > 0)
        .map(|(s, name)| {
            let n = counts[*s as usize];
            format!(
                "{n} {name}{}",
                if n == 1 || *name == "info" { "" } else { "s" }
            )
        })
        .collect();
        let more = if omitted > 0 {
            format!(", and {omitted} more not shown")
        } else {
            String::new()
        };
        if matches!(summary, Summary::None) {
            return Ok(());
        }
        writeln!(
            out,
            "{}found {total} finding{} ({}) in {} {drafts_word}{more}{}",
            style::BOLD.render(),
            if total == 1 { "" } else { "s" },
            parts.join(", "),
            drafts.len(),
            style::BOLD.render_reset()
        )?;
    }
    Ok(())
}
