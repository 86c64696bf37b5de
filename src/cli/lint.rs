//! `postguard lint [POLICY]`: validate a policy and its packs, run every rule's examples.

use super::check::Format;
use super::format::{Item, RuleMeta, github, junit, sarif};
use super::{ColorWhen, FailOn, Failure, Outcome, Talk, render, style};
use clap::Args;
use postguard::finding::Severity;
use postguard::finding::line_column;
use postguard::matcher::Engine;
use postguard::policy::{Diagnostic, Policy};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct LintArgs {
    /// Policy file to lint (else --policy, else the policy `check` would use).
    #[arg(id = "policy_file", value_name = "POLICY")]
    pub policy: Option<PathBuf>,
    /// Print every literal phrase the policy compiles (normalised), one per line, and exit.
    #[arg(long)]
    pub list_phrases: bool,
    /// Print every rule in force with its severity and category, and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// Lowest severity of a policy problem that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(global_policy: Option<&Path>, color: ColorWhen, talk: Talk, args: LintArgs) -> Outcome {
    let flag = args.policy.as_deref().or(global_policy);
    if let Some(p) = flag
        && !p.is_file()
    {
        return Err(Failure::Message(format!(
            "{}: no such policy file",
            p.display()
        )));
    }
    let env = std::env::var_os("POSTGUARD_POLICY").map(PathBuf::from);
    let cwd = std::env::current_dir()?;
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut examples_run = 0;
    let mut engine_out = None;
    let located = Policy::locate(flag, env.as_deref(), &cwd);
    if talk.verbose {
        let shown = located.as_ref().map_or_else(
            || "the built-in default policy".to_string(),
            |p| p.display().to_string(),
        );
        writeln!(super::stderr(color), "policy: {shown}")?;
    }
    let loaded = match located {
        Some(path) => Policy::load_lenient(&path),
        None => Policy::builtin_default().map(|p| (p, Vec::new())),
    };
    match loaded {
        Err(e) => diagnostics.extend(e.diagnostics),
        Ok((policy, load_problems)) => match Engine::new_lenient(policy) {
            Err(e) => {
                diagnostics.extend(load_problems);
                diagnostics.extend(e.diagnostics);
            }
            Ok((engine, problems)) => {
                diagnostics.extend(load_problems);
                diagnostics.extend(problems);
                diagnostics.extend(engine.rules_without_examples());
                diagnostics.extend(engine.empty_entities());
                let (failures, ran) = engine.run_examples();
                examples_run = ran;
                diagnostics.extend(failures.into_iter().map(|f| f.diagnostic));
                engine_out = Some(engine);
            }
        },
    }
    if let Some(engine) = &engine_out
        && (args.list_phrases || args.list_rules)
    {
        let mut out = super::stdout(color);
        if args.list_phrases {
            for p in engine.phrases() {
                writeln!(out, "{p}")?;
            }
        }
        if args.list_rules {
            for r in engine.rules() {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    r.id, r.severity, r.category, r.message
                )?;
            }
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }

    let threshold = Severity::from(args.fail_on);
    let failing = diagnostics.iter().any(|d| d.severity >= threshold);
    let code = ExitCode::from(u8::from(failing));
    let mut out = super::stdout(color);
    if args.format != Format::Human {
        machine(&mut out, args.format, &diagnostics)?;
        out.flush()?;
        return Ok(code);
    }
    // Quiet: problems only, no notes and no summary.
    for d in diagnostics
        .iter()
        .filter(|d| !(talk.quiet && d.severity == Severity::Info))
    {
        writeln!(out, "{}\n", render::diagnostic(d, color))?;
    }
    if talk.quiet {
        out.flush()?;
        return Ok(code);
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let notes = diagnostics.len() - errors - warnings;
    match &engine_out {
        Some(engine) => writeln!(
            out,
            "{}{} rules, {} phrases, {} regexes; {examples_run} examples run{}",
            style::BOLD.render(),
            engine.rule_count(),
            engine.phrases().len(),
            engine.regex_count(),
            style::BOLD.render_reset()
        )?,
        None => writeln!(
            out,
            "{}the policy could not be compiled{}",
            style::BOLD.render(),
            style::BOLD.render_reset()
        )?,
    }
    let summary_style = if errors > 0 {
        style::ERROR
    } else if warnings > 0 {
        style::WARNING
    } else {
        style::GOOD
    };
    let notes = match notes {
        0 => String::new(),
        1 => ", 1 note".to_string(),
        n => format!(", {n} notes"),
    };
    writeln!(
        out,
        "{}{errors} error{}, {warnings} warning{}{notes}{}",
        summary_style.render(),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        summary_style.render_reset()
    )?;
    out.flush()?;
    Ok(code)
}

fn machine(
    out: &mut super::Stdout,
    format: Format,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let items: Vec<Item> = diagnostics
        .iter()
        .map(|d| Item {
            file: d.file.name.clone(),
            rule: d.code.to_string(),
            severity: d.severity,
            message: d.message.clone(),
            start: line_column(&d.file.text, d.span.start),
            end: line_column(&d.file.text, d.span.end),
            help: d.help.clone(),
        })
        .collect();
    match format {
        Format::Human => {}
        Format::Json => {
            let json: Vec<serde_json::Value> = items
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "file": i.file, "code": i.rule, "severity": i.severity, "message": i.message,
                        "line": i.start.0, "column": i.start.1, "help": i.help,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Sarif => {
            let mut codes: Vec<&str> = items.iter().map(|i| i.rule.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            let rules: Vec<RuleMeta> = codes
                .iter()
                .map(|c| RuleMeta {
                    id: c.to_string(),
                    short: format!("policy problem {c}"),
                    full: String::new(),
                    help: "run `postguard lint` locally for details".into(),
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &sarif::render(&items, &rules))?;
            writeln!(out)?;
        }
        Format::Github => write!(out, "{}", github::render(&items))?,
        Format::Junit => {
            let mut files: Vec<String> = items.iter().map(|i| i.file.clone()).collect();
            files.dedup();
            write!(out, "{}", junit::render("postguard lint", &files, &items))?;
        }
    }
    Ok(())
}
