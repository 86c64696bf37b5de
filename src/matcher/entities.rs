//! Which entities the included packs read, and what the policy says of them.
//!
//! A pack reads `{name}` references; a name that is neither one of the pack's
//! own lists nor a policy entity is an entity the policy has not filled in and
//! stands for an empty list, so a policy naming only `company` and `products`
//! runs. A policy entity that nothing reads is most likely a typo: it is
//! reported once, at the policy's line, against the names the packs read.

use super::expand::references;
use crate::policy::schema::{MatchDef, PackFile};
use crate::policy::{Diagnostic, Pack, Policy, did_you_mean};
use std::collections::{BTreeMap, BTreeSet};

/// The entities of a policy as its packs use them.
pub struct Resolution {
    /// Names read by a pack and defined nowhere: each stands for an empty list.
    pub empty: BTreeSet<String>,
    /// Unknown entities (errors), unused ones (warnings).
    pub diagnostics: Vec<Diagnostic>,
    /// Each entity name the packs read (their own non-empty lists left out), with the
    /// packs (index) that read it.
    pub read: BTreeMap<String, BTreeSet<usize>>,
}

/// Every string of a pack that may hold references.
fn pack_strings(pack: &PackFile) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for values in pack.lists.values() {
        out.extend(values.iter().map(|v| v.get_ref().as_str()));
    }
    for rule in &pack.rules {
        let lists: Vec<&Vec<String>> = match &rule.matcher {
            MatchDef::Phrases { phrases, .. } => vec![phrases],
            MatchDef::Regex {
                patterns, exempt, ..
            } => vec![patterns, exempt],
            MatchDef::Near { a, b, .. } => vec![a, b],
            MatchDef::Requires {
                when,
                cues,
                alone,
                accepted,
                ambiguous,
                ..
            } => vec![when, cues, alone, accepted, ambiguous],
            MatchDef::Verbatim { .. } => Vec::new(),
        };
        for list in lists {
            out.extend(list.iter().map(String::as_str));
        }
        for u in &rule.unless {
            out.extend(u.phrases.iter().map(String::as_str));
        }
        if let Some(c) = &rule.context {
            out.extend(c.phrases.iter().map(String::as_str));
        }
        let e = &rule.examples;
        for s in e
            .must_match
            .iter()
            .chain(&e.must_not_match)
            .chain(&e.corporate)
        {
            out.push(s);
        }
    }
    out
}

/// Every name a pack refers to, its own lists included.
fn pack_references(pack: &Pack) -> BTreeSet<String> {
    pack_strings(&pack.file)
        .into_iter()
        .flat_map(references)
        .map(str::to_string)
        .collect()
}

pub fn resolve(policy: &Policy) -> Resolution {
    let entities = &policy.file.entities;
    // Names read by packs, and by the policy itself (entities that refer to
    // entities, announcement phrases).
    let mut read_all: BTreeSet<String> = BTreeSet::new();
    let mut read: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    // Undefined names, with the packs (index) that read them.
    let mut undefined: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, pack) in policy.packs.iter().enumerate() {
        for name in pack_references(pack) {
            read_all.insert(name.clone());
            // A pack list left empty is a placeholder for the policy to fill.
            if pack.file.lists.get(&name).is_some_and(|l| !l.is_empty()) {
                continue;
            }
            read.entry(name.clone()).or_default().insert(i);
            if !entities.contains_key(&name) && !pack.file.lists.contains_key(&name) {
                undefined.entry(name).or_default().push(i);
            }
        }
    }
    let policy_strings = entities
        .values()
        .flatten()
        .map(|v| v.get_ref().as_str())
        .chain(
            policy
                .file
                .announcements
                .iter()
                .flat_map(|a| a.phrases.iter().map(String::as_str)),
        );
    for s in policy_strings {
        read_all.extend(references(s).into_iter().map(str::to_string));
    }

    let mut diagnostics = Vec::new();
    let names_read = || {
        let names: Vec<&str> = read.keys().map(String::as_str).collect();
        if names.is_empty() {
            "included packs read no entities".to_string()
        } else {
            format!("included packs read: {}", names.join(", "))
        }
    };
    for name in entities.keys() {
        if read_all.contains(name) {
            continue;
        }
        let span = entity_key_span(&policy.source.text, name)
            .or_else(|| policy.source.find(name, 0))
            .unwrap_or(0..0);
        let unfilled = read
            .keys()
            .map(String::as_str)
            .filter(|n| !entities.contains_key(*n));
        let guess = did_you_mean(name, unfilled);
        // A pack the user wrote that reads the guessed name.
        let user_pack = guess.and_then(|g| {
            read[g]
                .iter()
                .copied()
                .find(|&i| !is_builtin(&policy.packs[i]))
        });
        match (guess, user_pack) {
            // The typo may be in the user's pack as well as in the policy:
            // it is shown where that pack reads the name.
            (Some(g), Some(i)) => {
                let pack = &policy.packs[i];
                let at = pack.source.find(&format!("{{{g}}}"), 0).unwrap_or(0..0);
                diagnostics.push(
                    Diagnostic::error(&pack.source, at, format!("unknown list `{{{g}}}`"))
                        .with_help(Some(format!("did you mean `{{{name}}}`?")))
                        .with_code("policy.unknown-list"),
                );
            }
            (Some(g), None) => diagnostics.push(
                Diagnostic::error(&policy.source, span, format!("unknown entity `{name}`"))
                    .with_help(Some(format!("did you mean `{g}`? The {}", names_read())))
                    .with_code("policy.unknown-entity"),
            ),
            (None, _) => diagnostics.push(
                Diagnostic::warning(
                    &policy.source,
                    span,
                    format!("entity `{name}` is read by no included pack"),
                )
                .with_help(Some(names_read()))
                .with_code("policy.unused-entity"),
            ),
        }
    }
    // A reference close to one of its own pack's lists is the pack's typo.
    for (name, readers) in &undefined {
        for &i in readers {
            let pack = &policy.packs[i];
            if let Some(g) = did_you_mean(name, pack.file.lists.keys().map(String::as_str)) {
                let at = pack.source.find(&format!("{{{name}}}"), 0).unwrap_or(0..0);
                diagnostics.push(
                    Diagnostic::error(&pack.source, at, format!("unknown list `{{{name}}}`"))
                        .with_help(Some(format!("did you mean `{{{g}}}`?")))
                        .with_code("policy.unknown-list"),
                );
            }
        }
    }
    Resolution {
        empty: undefined.into_keys().collect(),
        diagnostics,
        read,
    }
}

fn is_builtin(pack: &Pack) -> bool {
    pack.source.name.starts_with("<builtin>")
}

/// The span of `name = ` as a key under `[entities]`, so the message points
/// at the user's line rather than at a value that happens to contain the name.
pub fn entity_key_span(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let section = text.find("[entities]")?;
    let mut next = section;
    for line in text[section..].split_inclusive('\n') {
        let start = next;
        next += line.len();
        if start == section {
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            break;
        }
        let key_len = trimmed.find(['=', ' ', '\t']).unwrap_or(0);
        if trimmed[..key_len].trim_matches('"') == name {
            let at = start + (line.len() - trimmed.len());
            return Some(at..at + key_len);
        }
    }
    None
}

/// `info` notes for `lint`: every entity the packs read that is empty.
pub fn empty_notes(policy: &Policy, resolution: &Resolution) -> Vec<Diagnostic> {
    let entities = &policy.file.entities;
    let header = policy.source.find("[entities]", 0).unwrap_or(0..0);
    resolution
        .read
        .iter()
        .filter(|(name, _)| entities.get(*name).is_none_or(Vec::is_empty))
        .map(|(name, packs)| {
            let span = entity_key_span(&policy.source.text, name).unwrap_or(header.clone());
            let packs: Vec<&str> = packs
                .iter()
                .map(|&i| policy.packs[i].file.pack.id.as_str())
                .collect();
            Diagnostic::info(
                &policy.source,
                span,
                format!(
                    "entity `{name}` is empty: rules of {} that read it find nothing through it",
                    packs.join(", ")
                ),
            )
            .with_help(Some(format!("fill in `{name} = [...]` under [entities]")))
            .with_code("policy.empty-entity")
        })
        .collect()
}
