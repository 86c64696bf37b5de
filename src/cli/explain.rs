//! `postguard explain RULE`: what a rule checks, why, its source and examples.

use super::{ColorWhen, Failure, Outcome, PolicyChoice, style};
use clap::Args;
use postguard::matcher::Engine;
use postguard::policy::did_you_mean;
use postguard::policy::schema::{
    MatchDef, RequireCheck, Scope, Side, Validator, VerbatimCheck, View,
};
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
    writeln!(
        out,
        "{b}Matches{r}\n  {}\n",
        describe(&engine, rule.id, &rule.def.matcher)
    )?;
    if let Some(c) = &rule.def.context {
        let place = match c.scope {
            Scope::Post => "anywhere in the post".to_string(),
            Scope::Sentence if c.sentences == 0 => "in the sentence of the match".to_string(),
            Scope::Sentence => format!("{} of the match", sentences(c.sentences)),
        };
        writeln!(
            out,
            "{b}Only with{r} ({place})\n  {}\n",
            phrases(&engine, rule.id, &c.phrases)
        )?;
    }
    for u in &rule.def.unless {
        let place = match (u.scope, u.sentences) {
            (Scope::Post, _) => "anywhere in the post".to_string(),
            (_, Some(0)) => "in the sentence of the match".to_string(),
            (_, Some(n)) => format!("{} of the match", sentences(n)),
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
            phrases(&engine, rule.id, &u.phrases)
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
            writeln!(out, "  {mark} {}", indented(&text))?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Phrases as written, quoted; at most a dozen shown.
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

/// A rule's phrase list as the policy fills it in: each `{list}` replaced by
/// its values, and lists left empty named.
fn phrases(engine: &Engine, rule: &str, list: &[String]) -> String {
    let (values, empty) = engine.display_phrases(rule, list, 1_000);
    let mut s = if values.is_empty() {
        "nothing".to_string()
    } else {
        quoted(&values)
    };
    for name in empty {
        s.push_str(&format!(" (`{name}` is empty under this policy)"));
    }
    s
}

fn sentences(n: u32) -> String {
    match n {
        0 => "in the same sentence".into(),
        1 => "within 1 sentence".into(),
        n => format!("within {n} sentences"),
    }
}

/// A multi-line example, its lines after the first indented under it.
fn indented(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| if l.trim().is_empty() { "" } else { l })
        .collect::<Vec<_>>()
        .join("\n    ")
        .replace("\n    \n", "\n\n")
}

/// What a rule matches, in plain words, with the policy's lists filled in.
pub(crate) fn describe(engine: &Engine, rule: &str, m: &MatchDef) -> String {
    let p = |list: &[String]| phrases(engine, rule, list);
    match m {
        MatchDef::Phrases { phrases, variants } => format!(
            "any of {}{}",
            p(phrases),
            if variants.is_some() {
                " (and their abbreviations and look-alike spellings)"
            } else {
                ""
            }
        ),
        MatchDef::Regex {
            patterns,
            view,
            validate,
            exempt,
        } => {
            let view = match view {
                View::Words => "the normalised words (lower case, accents and look-alikes folded)",
                View::Text => "the text as written (case kept)",
            };
            let validate = match validate {
                None => "",
                Some(Validator::Luhn) => {
                    ", kept only if it passes the Luhn checksum of card numbers"
                }
                Some(Validator::Iban) => ", kept only if it passes the IBAN checksum",
                Some(Validator::Ssn) => ", kept only if it is a possible US social security number",
                Some(Validator::Phone) => {
                    ", kept only if it has 7 to 15 digits and is not shaped like a date"
                }
            };
            let exempt = if exempt.is_empty() {
                String::new()
            } else {
                format!("\n  except {}", p(exempt))
            };
            format!(
                "patterns on {view}{validate}:\n  {}{exempt}",
                patterns
                    .iter()
                    .map(|x| format!("`{x}`"))
                    .collect::<Vec<_>>()
                    .join("\n  ")
            )
        }
        MatchDef::Near { a, b, within } => {
            format!("{}\n  within {within} words of {}", p(a), p(b))
        }
        MatchDef::Requires {
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
                format!("\n  with one of {} {}", p(cues), sentences(*cue_sentences))
            };
            let alone = if alone.is_empty() {
                String::new()
            } else {
                format!("\n  or posts with any of {}", p(alone))
            };
            let reports = match check {
                RequireCheck::Missing => "a promotion that carries no disclosure at all",
                RequireCheck::Ambiguous => "a promotion whose only disclosure is ambiguous",
                RequireCheck::Buried => {
                    "a disclosure past the visible \"…more\" cut or inside a closing wall of hashtags"
                }
            };
            format!(
                "posts mentioning {}{promoted}{alone}\n  must carry one of {}\n  ambiguous disclosures: {}\n  this rule reports {reports}",
                p(when),
                p(accepted),
                p(ambiguous)
            )
        }
        MatchDef::Verbatim { check } => match check {
            VerbatimCheck::Copy => "plain copies of official corporate posts".into(),
            VerbatimCheck::Edit => {
                "copies of official corporate posts with words added or changed".into()
            }
        },
    }
}
