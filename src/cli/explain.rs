//! `postguard explain RULE`: what a rule checks, why, its source and examples.

use super::{ColorWhen, Failure, Outcome, PolicyChoice, style};
use clap::Args;
use postguard::policy::did_you_mean;
use postguard::policy::schema::{Scope, Side};
use std::io::Write;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Rule id, e.g. `finra.guaranteed-returns`.
    pub rule: String,
}

pub fn run(policy: &PolicyChoice, color: ColorWhen, args: ExplainArgs) -> Outcome {
    let (engine, _) = policy.engine(color)?;
    let Some(rule) = engine.rule(&args.rule) else {
        let disabled = engine.all_rule_ids().any(|id| id == args.rule);
        let message = if disabled {
            format!("rule `{}` is disabled by the policy", args.rule)
        } else {
            let hint = did_you_mean(&args.rule, engine.rules().map(|r| r.id))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| "; `postguard lint --list-rules` lists them".into());
            format!("no rule `{}` in the policy{hint}", args.rule)
        };
        return Err(Failure::Message(message));
    };
    let (b, r) = (style::BOLD.render(), style::BOLD.render_reset());
    let sev = style::severity(rule.severity);
    let mut out = super::stdout(color);
    writeln!(
        out,
        "{b}{}{r}  {}{}{}  {}  pack {}",
        rule.id,
        sev.render(),
        rule.severity,
        sev.render_reset(),
        rule.category,
        rule.pack
    )?;
    writeln!(out, "{}\n", rule.message)?;
    if !rule.why.is_empty() {
        writeln!(out, "{b}Why{r}\n  {}\n", rule.why.trim())?;
    }
    if let Some(reference) = rule.reference {
        writeln!(out, "{b}Source{r}\n  {reference}\n")?;
    }
    if let Some(s) = rule.suggestion {
        writeln!(out, "{b}Fix{r}\n  {s}\n")?;
    }
    writeln!(out, "{b}Matches{r}\n  {}\n", describe(&rule.def.matcher))?;
    if let Some(c) = &rule.def.context {
        let place = match c.scope {
            Scope::Post => "anywhere in the post".to_string(),
            Scope::Sentence => format!("within {} sentence(s) of the match", c.sentences),
        };
        writeln!(out, "{b}Only with{r} ({place})\n  {}\n", quoted(&c.phrases))?;
    }
    for u in &rule.def.unless {
        let place = match (u.scope, u.sentences) {
            (Scope::Post, _) => "anywhere in the post".to_string(),
            (_, Some(n)) => format!("within {n} sentence(s) of the match"),
            _ => format!("within {} words in the same sentence", u.within),
        };
        let side = match u.side {
            Side::Either => "",
            Side::Before => ", before the match",
            Side::After => ", after the match",
            Side::Start => ", where the match begins",
        };
        writeln!(
            out,
            "{b}Unless{r} ({place}{side})\n  {}\n",
            quoted(&u.phrases)
        )?;
    }
    let examples = &rule.def.examples;
    for (title, list, mark) in [
        ("Flags", &examples.must_match, "✗"),
        ("Leaves alone", &examples.must_not_match, "✓"),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "{b}{title}{r}")?;
        for e in list {
            let text = engine.example_text(rule.id, e).unwrap_or_else(|| e.clone());
            writeln!(out, "  {mark} {text}")?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn quoted(list: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut s: Vec<String> = list
        .iter()
        .take(SHOWN)
        .map(|p| format!("\"{p}\""))
        .collect();
    if list.len() > SHOWN {
        s.push(format!("… {} more", list.len() - SHOWN));
    }
    s.join(", ")
}

pub(super) fn describe(m: &postguard::policy::schema::MatchDef) -> String {
    use postguard::policy::schema::MatchDef::*;
    match m {
        Phrases { phrases, variants } => format!(
            "any of {}{}",
            quoted(phrases),
            if variants.is_some() {
                " (and their abbreviations and look-alike spellings)"
            } else {
                ""
            }
        ),
        Regex {
            patterns,
            view,
            validate,
            ..
        } => format!(
            "regular expressions on the {:?} view{}: {}",
            view,
            validate
                .map(|v| format!(" checked with {v:?}"))
                .unwrap_or_default(),
            patterns
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Near { a, b, within } => format!("{} within {within} words of {}", quoted(a), quoted(b)),
        Requires {
            when,
            cues,
            cue_sentences,
            alone,
            accepted,
            ambiguous,
            check,
        } => {
            let promoted = if cues.is_empty() {
                String::new()
            } else {
                format!(
                    "\n  with one of {} within {cue_sentences} sentence(s)",
                    quoted(cues)
                )
            };
            let alone = if alone.is_empty() {
                String::new()
            } else {
                format!("\n  or posts with any of {}", quoted(alone))
            };
            format!(
                "posts mentioning {}{promoted}{alone}\n  must carry one of {}\n  ambiguous: {}\n  this rule reports: {check:?}",
                quoted(when),
                quoted(accepted),
                quoted(ambiguous)
            )
        }
        Verbatim { check } => format!("copies of official corporate posts ({check:?})"),
    }
}
