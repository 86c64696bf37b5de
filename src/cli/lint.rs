//! `postguard lint [POLICY]`: validate a policy and its packs, run every rule's examples.

use super::{ColorWhen, FailOn, Failure, Outcome, render, style};
use clap::Args;
use postguard::finding::Severity;
use postguard::matcher::Engine;
use postguard::policy::{Diagnostic, Policy};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct LintArgs {
    /// Policy file to lint (else the policy `check` would use).
    #[arg(value_name = "POLICY")]
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
}

pub fn run(global_policy: Option<&Path>, color: ColorWhen, args: LintArgs) -> Outcome {
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
    match Policy::discover(flag, env.as_deref(), &cwd) {
        Err(e) => diagnostics.extend(e.diagnostics),
        Ok((policy, _)) => match Engine::new(policy) {
            Err(e) => diagnostics.extend(e.diagnostics),
            Ok(engine) => {
                diagnostics.extend(engine.warnings().iter().cloned());
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

    let mut out = super::stdout(color);
    for d in &diagnostics {
        writeln!(out, "{}\n", render::diagnostic(d, color))?;
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
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
    writeln!(
        out,
        "{}{errors} error{}, {warnings} warning{}{}",
        summary_style.render(),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        summary_style.render_reset()
    )?;
    out.flush()?;
    let threshold = Severity::from(args.fail_on);
    let failing = diagnostics.iter().any(|d| d.severity >= threshold);
    Ok(ExitCode::from(u8::from(failing)))
}
