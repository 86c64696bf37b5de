//! `postguard check`: drafts before they are published.

use super::drafts::{self, Draft};
use super::{ColorWhen, FailOn, Failure, Outcome, PolicyChoice, render, style};
use clap::{Args, ValueEnum};
use postguard::finding::{Finding, Severity};
use postguard::input::Post;
use postguard::matcher::PostResult;
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Draft files, folders of .txt/.md drafts, or `-` for standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Check this text instead of (or besides) files.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// Also show matches that an exception or a disclosure cleared, and the policy in use.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(policy: &PolicyChoice, color: ColorWhen, mut args: CheckArgs) -> Outcome {
    let (engine, origin) = policy.engine(color)?;
    if args.inputs.is_empty() && args.text.is_none() {
        if std::io::stdin().is_terminal() {
            return Err(Failure::Message(
                "no drafts to check: give files or folders, `-` for standard input, or --text"
                    .into(),
            ));
        }
        args.inputs.push("-".into());
    }
    let (drafts, errors) = drafts::collect(&args.inputs, args.text.as_deref());
    let results: Vec<PostResult> = drafts
        .par_iter()
        .map(|d| engine.check(&to_post(d)))
        .collect();

    let mut out = super::stdout(color);
    match args.format {
        Format::Human => {
            if args.verbose {
                writeln!(
                    out,
                    "{}policy:{} {origin}",
                    style::DIM.render(),
                    style::DIM.render_reset()
                )?;
            }
            human(&mut out, &drafts, &results, args.verbose, color)?;
        }
        Format::Json => {
            let findings: Vec<&Finding> = results.iter().flat_map(|r| &r.findings).collect();
            serde_json::to_writer_pretty(&mut out, &findings).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    drop(out);

    let mut err = super::stderr(color);
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
    let threshold = Severity::from(args.fail_on);
    let failing = results
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity >= threshold);
    Ok(ExitCode::from(u8::from(failing)))
}

fn to_post(d: &Draft) -> Post {
    Post {
        id: d.name.clone(),
        author: d.author.clone().unwrap_or_default(),
        text: d.text.clone(),
        platform: d.platform.clone(),
        created_at: d.date.clone(),
        url: None,
    }
}

fn human(
    out: &mut super::Stdout,
    drafts: &[Draft],
    results: &[PostResult],
    verbose: bool,
    color: ColorWhen,
) -> std::io::Result<()> {
    let mut counts = [0usize; 3];
    for (draft, result) in drafts.iter().zip(results) {
        for f in &result.findings {
            writeln!(
                out,
                "{}\n",
                render::finding(f, &draft.name, &draft.text, color)
            )?;
            counts[f.severity as usize] += 1;
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
        writeln!(
            out,
            "{}found {total} finding{} ({}) in {} {drafts_word}{}",
            style::BOLD.render(),
            if total == 1 { "" } else { "s" },
            parts.join(", "),
            drafts.len(),
            style::BOLD.render_reset()
        )?;
    }
    Ok(())
}
