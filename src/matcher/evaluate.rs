//! Checking one post against the compiled rules.

use super::compile::{
    Compiled, CompiledRule, GatedSearch, NO_LAZY_DFA_MAX_BYTES, Owner, RegexGroup, Role, RuleKind,
};
use super::validate;
use super::verbatim::VerbatimIndex;
use super::{Cleared, PostResult};
use crate::aggregate::time;
use crate::finding::Finding;
use crate::input::Post;
use crate::normalise::{TextView, Words};
use crate::policy::schema::{
    CopyMode, DisclosureSettings, RequireCheck, Scope, Side, VerbatimCheck, View,
};
use rayon::prelude::*;
use regex_automata::{Anchored, Input};
use std::ops::Range;

/// A phrase occurrence in the words view.
#[derive(Debug, Clone, Copy)]
struct Hit {
    rule: u32,
    role: Role,
    start: usize,
    end: usize,
}

/// A match that becomes a finding unless an exception clears it.
struct Candidate {
    rule: u32,
    /// Original byte range.
    span: Range<usize>,
    /// Words-view range, for exceptions and context; `None` when the match
    /// covers no word.
    words: Option<Range<usize>>,
    /// Exceptions and context were already applied (disclosure requirements).
    settled: bool,
    /// Words-view ranges of the matched phrases (two for `near`): an
    /// exception inside one of them is part of the claim.
    parts: [Range<usize>; 2],
    /// What the finding's message adds: the cue that made a mention a promotion.
    note: Option<String>,
}

pub struct Context<'a> {
    pub compiled: &'a Compiled,
    pub disclosure: &'a DisclosureSettings,
}

/// `SleepWell Pro's`: the words view drops the apostrophe, so a phrase is
/// followed by an `s` that the original text set off as a possessive.
fn possessive(words: &Words, text: &str, start: usize, end: usize) -> bool {
    let bytes = words.text.as_bytes();
    let starts = start == 0 || matches!(bytes[start - 1], b' ' | b'\n' | b'#' | b'@' | b'$');
    if !starts || bytes.get(end) != Some(&b's') {
        return false;
    }
    let ends = bytes.get(end + 1).is_none_or(|b| matches!(b, b' ' | b'\n'));
    let s_at = words.source_range(end..end + 1).start;
    ends && (text[..s_at].ends_with('\'') || text[..s_at].ends_with('\u{2019}'))
}

/// A phrase starts a word (or follows `#`, `@`, `$`) and ends one.
fn on_word_boundary(text: &[u8], start: usize, end: usize) -> bool {
    let before = start == 0 || matches!(text[start - 1], b' ' | b'\n' | b'#' | b'@' | b'$');
    let after = end == text.len() || matches!(text[end], b' ' | b'\n');
    before && after
}

/// Whether `rule` is checked in this reading of a post: a second reading
/// (see `Context::check`) checks no `requires` rule.
fn checked_in(rule: &CompiledRule, second: bool) -> bool {
    !(second && matches!(rule.kind, RuleKind::Requires { .. }))
}

/// Records a match of a words-view regex: a hit for the rule's phrase
/// logic, or a candidate of a regex rule.
fn word_match(
    words: &Words,
    hits: &mut Vec<Hit>,
    candidates: &mut Vec<Candidate>,
    owner: Owner,
    range: Range<usize>,
) {
    match owner {
        Owner::Hit(rule, role) => hits.push(Hit {
            rule,
            role,
            start: range.start,
            end: range.end,
        }),
        Owner::Rule(rule) => candidates.push(Candidate {
            rule,
            span: words.source_range(range.clone()),
            words: Some(range.clone()),
            settled: false,
            parts: [range.clone(), range],
            note: None,
        }),
    }
}

impl Context<'_> {
    pub fn check(&self, post: &Post, result: &mut PostResult) {
        let words = Words::new(&post.text);
        let second = (words.ambiguous || words.camel).then(|| Words::other_reading(&post.text));
        self.check_words(post, &words, result, false);
        if let Some(other) = second {
            // Both readings of "a s u r e" and "#CuresMyInsomnia": keep what
            // the second adds. Disclosure is judged on the first reading only:
            // split apart, `#TeamAcme` would name the company and lose the tag.
            let mut extra = PostResult::default();
            self.check_words(post, &other, &mut extra, true);
            // Spans already found, by rule and start, so each lookup is a search.
            let mut known: Vec<(String, usize, usize)> = result
                .findings
                .iter()
                .map(|g| (g.rule.clone(), g.start, g.end))
                .collect();
            known.sort();
            for f in extra.findings {
                let at = known.partition_point(|(r, start, _)| {
                    (r.as_str(), *start) < (f.rule.as_str(), f.end)
                });
                let overlaps = known[..at]
                    .iter()
                    .rev()
                    .take_while(|(r, _, _)| *r == f.rule)
                    .take(64)
                    .any(|(_, _, end)| *end > f.start);
                if !overlaps {
                    result.findings.push(f);
                }
            }
        }
    }

    fn check_words(&self, post: &Post, words: &Words, result: &mut PostResult, second: bool) {
        let c = self.compiled;
        // Room for what a typical post yields, so that they are not grown
        // step by step (4, 8, 16, ... a reallocation each) post after post.
        let mut hits = Vec::with_capacity(32);
        // Gated word patterns whose literals the automaton found, and where.
        let mut gates: Vec<(u32, u32)> = Vec::with_capacity(64);
        let bytes = words.text.as_bytes();
        // Found in no particular order: gates and hits are sorted below.
        c.phrases.for_each(&words.text, |pattern, start, end| {
            for &g in &c.phrase_gates[pattern] {
                if c.words_regex.gate_context[g as usize].holds(bytes, start, end) {
                    gates.push((g, start as u32));
                }
            }
            if !on_word_boundary(bytes, start, end) && !possessive(words, &post.text, start, end) {
                return;
            }
            for &(rule, role) in &c.phrase_roles[pattern] {
                hits.push(Hit {
                    rule,
                    role,
                    start,
                    end,
                });
            }
        });
        gates.sort_unstable();
        gates.dedup();
        let mut candidates = Vec::new();
        // Each rule's needs that the hits meet, once asked.
        let mut seen: Option<Vec<u8>> = None;
        // Word patterns first: `/regex/` list entries are hits like phrases.
        // Those that count only once a rule's needs are met wait for the
        // others, and run only for a rule the post can still give a finding.
        let group = &c.words_regex;
        if !group.regexes.is_empty() {
            let (now, mut later): (Vec<usize>, Vec<usize>) = runnable(group, bytes, &gates)
                .into_iter()
                .partition(|&i| !group.deferred[i]);
            self.run_regexes(
                View::Words,
                bytes,
                post,
                &gates,
                &now,
                &mut |owner, range| word_match(words, &mut hits, &mut candidates, owner, range),
            );
            if !later.is_empty() {
                let seen = seen.get_or_insert_with(|| needs_seen(c, &hits));
                later.retain(|&i| serves_live(c, &group.owner[i], seen, second));
                self.run_regexes(
                    View::Words,
                    bytes,
                    post,
                    &gates,
                    &later,
                    &mut |owner, range| word_match(words, &mut hits, &mut candidates, owner, range),
                );
            }
        }
        hits.sort_unstable_by_key(|h| (h.rule, h.role, h.start, std::cmp::Reverse(h.end)));

        for group in hits.chunk_by(|a, b| a.rule == b.rule) {
            let rule = &c.rules[group[0].rule as usize];
            if !checked_in(rule, second) {
                continue;
            }
            self.phrase_rule(rule, group, words, post, &mut candidates, result);
        }
        // Fullwidth forms and other digits fold to ASCII in the text view, so
        // a post with any of them runs it too.
        let text_may_match = || match &c.text_regex.runs_when {
            None => true,
            Some(literals) => {
                let text = &post.text;
                literals.iter().any(|l| text.contains(l.as_str()))
                    || text.bytes().any(|b| b.is_ascii_digit())
                    || (!text.is_ascii()
                        && text
                            .chars()
                            .any(|c| c.is_numeric() || ('\u{FF01}'..='\u{FF5E}').contains(&c)))
            }
        };
        if !c.text_regex.regexes.is_empty() && text_may_match() {
            let view = TextView::new(&post.text);
            let group = &c.text_regex;
            let haystack = view.text.as_bytes();
            let runnable: Vec<usize> = runnable(group, haystack, &[])
                .into_iter()
                .filter(|&i| {
                    !group.deferred[i] || {
                        let seen = seen.get_or_insert_with(|| needs_seen(c, &hits));
                        serves_live(c, &group.owner[i], seen, second)
                    }
                })
                .collect();
            self.run_regexes(
                View::Text,
                haystack,
                post,
                &[],
                &runnable,
                &mut |owner, range| {
                    if let Owner::Rule(rule) = owner {
                        let span = view.source_range(range);
                        let in_words = words.range_of_source(span.clone());
                        let part = in_words.clone().unwrap_or(0..0);
                        candidates.push(Candidate {
                            rule,
                            words: in_words,
                            span,
                            settled: false,
                            parts: [part.clone(), part],
                            note: None,
                        });
                    }
                },
            );
        }

        candidates.sort_by_key(|k| (k.rule, k.span.start, std::cmp::Reverse(k.span.end)));
        let mut last: Option<(u32, usize)> = None;
        for cand in candidates {
            // One finding per rule per stretch of text.
            if let Some((rule, end)) = last
                && rule == cand.rule
                && cand.span.start < end
            {
                continue;
            }
            let rule = &c.rules[cand.rule as usize];
            if !cand.settled {
                let rule_hits = hits_of(&hits, cand.rule);
                if !in_context(rule, cand.words.as_ref(), rule_hits, words) {
                    continue;
                }
                let by = exception(rule, cand.words.as_ref(), &cand.parts, rule_hits, words)
                    .or_else(|| self.announced(rule, post, rule_hits, words));
                if let Some(by) = by {
                    result.cleared.push(Cleared {
                        rule: rule.id.to_string(),
                        start: cand.span.start,
                        end: cand.span.end,
                        matched: post.text[cand.span.clone()].to_string(),
                        by: post.text[by].to_string(),
                    });
                    continue;
                }
            }
            last = Some((cand.rule, cand.span.end));
            let mut f = finding(rule, post, cand.span);
            if let Some(note) = cand.note {
                f.message = format!("{} ({note})", f.message);
            }
            result.findings.push(f);
        }
    }

    fn phrase_rule(
        &self,
        rule: &CompiledRule,
        hits: &[Hit],
        words: &Words,
        post: &Post,
        out: &mut Vec<Candidate>,
        result: &mut PostResult,
    ) {
        let of = |role: Role| hits.iter().filter(move |h| h.role == role);
        let candidate = |h: &Hit| Candidate {
            rule: h.rule,
            span: words.source_range(h.start..h.end),
            words: Some(h.start..h.end),
            settled: false,
            parts: [h.start..h.end, h.start..h.end],
            note: None,
        };
        match &rule.kind {
            RuleKind::Phrases => out.extend(of(Role::Hit).map(candidate)),
            RuleKind::Near { within } => {
                let bs = role_hits(hits, Role::NearB);
                for a in of(Role::NearA) {
                    let ta = words.token_span(a.start..a.end);
                    let window = token_window(words, &ta, *within as usize);
                    let near = starting_in(bs, window).iter().find(|b| {
                        let tb = words.token_span(b.start..b.end);
                        same_sentence(words, &ta, &tb) && token_gap(&ta, &tb) <= *within as usize
                    });
                    if let Some(b) = near {
                        let (start, end) = (a.start.min(b.start), a.end.max(b.end));
                        out.push(Candidate {
                            rule: a.rule,
                            span: words.source_range(start..end),
                            words: Some(start..end),
                            settled: false,
                            parts: [a.start..a.end, b.start..b.end],
                            note: None,
                        });
                    }
                }
            }
            RuleKind::Requires { check, cues } => {
                // A promotion: a `when` phrase with a cue near it (when the
                // rule has cues), or a phrase that promotes on its own; a
                // context the rule excepts (a job post, a fraud warning)
                // clears it.
                let cue_hits = role_hits(hits, Role::Cue);
                // A cue in a sentence the rule excepts ("Update the app to
                // version 3.2", "join the best team, we're hiring") promotes
                // nothing, wherever the subject is.
                let live_cue = |w: &Hit| {
                    let tw = words.token_span(w.start..w.end);
                    let window = sentence_window(words, &tw, cues.unwrap_or(0) as usize);
                    starting_in(cue_hits, window).iter().find(|cue| {
                        let part = cue.start..cue.end;
                        exception(
                            rule,
                            Some(&part),
                            &[part.clone(), part.clone()],
                            hits,
                            words,
                        )
                        .is_none()
                    })
                };
                let cued = |w: &&Hit| cues.is_none() || live_cue(w).is_some();
                let mut cleared = None;
                let trigger = of(Role::When)
                    .filter(cued)
                    .chain(of(Role::Alone))
                    .filter(|t| {
                        let part = t.start..t.end;
                        match exception(
                            rule,
                            Some(&part),
                            &[part.clone(), part.clone()],
                            hits,
                            words,
                        ) {
                            Some(by) => {
                                cleared.get_or_insert((t.start..t.end, by));
                                false
                            }
                            None => in_context(rule, Some(&(t.start..t.end)), hits, words),
                        }
                    })
                    .min_by_key(|h| h.start);
                let Some(trigger) = trigger else {
                    if let Some((t, by)) = cleared
                        && *check == RequireCheck::Missing
                    {
                        let span = words.source_range(t);
                        result.cleared.push(Cleared {
                            rule: rule.id.to_string(),
                            start: span.start,
                            end: span.end,
                            matched: post.text[span].to_string(),
                            by: post.text[by].to_string(),
                        });
                    }
                    return;
                };
                let settled = |h: &Hit| Candidate {
                    settled: true,
                    ..candidate(h)
                };
                result.promotional = true;
                let accepted: Vec<&Hit> = of(Role::Accepted).collect();
                let ambiguous = of(Role::Ambiguous).find(|a| {
                    // `#sp` inside an accepted `#sp #ad` pair is not on its own.
                    !accepted
                        .iter()
                        .any(|d| d.start <= a.start && a.end <= d.end)
                });
                let visible = accepted.iter().find(|d| !self.buried(d, words, post));
                if !accepted.is_empty() {
                    result.disclosed = true;
                }
                // Name what made the mention a promotion: the cue near it, or
                // the paid or gifted wording itself.
                let original = |h: &Hit| post.text[words.source_range(h.start..h.end)].to_string();
                let note = if trigger.role == Role::Alone {
                    format!("paid or gifted: \"{}\"", original(trigger))
                } else {
                    match live_cue(trigger) {
                        Some(cue) => format!(
                            "\"{}\" promoted by \"{}\"",
                            original(trigger),
                            original(cue)
                        ),
                        None => format!("promotes \"{}\"", original(trigger)),
                    }
                };
                match check {
                    RequireCheck::Missing if accepted.is_empty() && ambiguous.is_none() => {
                        out.push(Candidate {
                            note: Some(note),
                            ..settled(trigger)
                        });
                    }
                    RequireCheck::Missing => {
                        if let Some(d) = accepted.first().copied().or(ambiguous) {
                            let span = words.source_range(d.start..d.end);
                            let trig = words.source_range(trigger.start..trigger.end);
                            result.cleared.push(Cleared {
                                rule: rule.id.to_string(),
                                start: trig.start,
                                end: trig.end,
                                matched: post.text[trig].to_string(),
                                by: post.text[span].to_string(),
                            });
                        }
                    }
                    RequireCheck::Ambiguous if accepted.is_empty() => {
                        out.extend(ambiguous.map(settled));
                    }
                    RequireCheck::Buried if visible.is_none() => {
                        out.extend(accepted.first().map(|d| settled(d)));
                    }
                    _ => {}
                }
            }
            RuleKind::Regex(_) | RuleKind::Verbatim(_) => {}
        }
    }

    /// Copies of corporate posts: the copy itself (coached sources) and the
    /// words added or changed inside it (any source that is not ignored).
    pub fn verbatim(&self, post: &Post, index: &VerbatimIndex, result: &mut PostResult) {
        let c = self.compiled;
        if c.verbatim_rules.is_empty() {
            return;
        }
        let Some(m) = index.best_match(&post.text) else {
            return;
        };
        if m.mode == CopyMode::Ignore {
            return;
        }
        result.verbatim = true;
        let mut add = |rule: &CompiledRule, span: Range<usize>| {
            let mut f = finding(rule, post, span);
            f.corporate_id = Some(m.corporate_id.clone());
            f.similarity = Some((m.similarity * 1000.0).round() / 1000.0);
            result.findings.push(f);
        };
        for &(rule, check) in &c.verbatim_rules {
            let rule = &c.rules[rule as usize];
            match check {
                VerbatimCheck::Copy if m.mode == CopyMode::Coach => add(rule, m.copied.clone()),
                VerbatimCheck::Edit => {
                    for e in &m.edits {
                        add(rule, e.clone());
                    }
                }
                VerbatimCheck::Copy => {}
            }
        }
    }

    /// The announcement a post names, when the post is dated on or after it.
    fn announced(
        &self,
        rule: &CompiledRule,
        post: &Post,
        hits: &[Hit],
        words: &Words,
    ) -> Option<Range<usize>> {
        if !rule.public_once_announced {
            return None;
        }
        let posted = post.created_at.as_deref().and_then(time::sort_key)?;
        hits.iter()
            .find(|h| match h.role {
                Role::Announcement(n) => self
                    .compiled
                    .announced_at
                    .get(usize::from(n))
                    .copied()
                    .flatten()
                    .is_some_and(|at| at <= posted),
                _ => false,
            })
            .map(|h| words.source_range(h.start..h.end))
    }

    /// A disclosure past the "…more" cut, or inside a closing wall of hashtags.
    fn buried(&self, d: &Hit, words: &Words, post: &Post) -> bool {
        let span = words.source_range(d.start..d.end);
        let hidden: usize = post
            .hidden
            .iter()
            .filter(|h| h.start < span.start && h.end <= post.text.len())
            .map(|h| post.text[h.start..h.end.min(span.start)].chars().count())
            .sum();
        let chars_before = post.text[..span.start]
            .chars()
            .count()
            .saturating_sub(hidden);
        if chars_before >= self.disclosure.visible_chars {
            return true;
        }
        let wall = words
            .tokens
            .iter()
            .rev()
            .take_while(|t| words.text.as_bytes()[t.start as usize] == b'#')
            .count();
        let first_of_wall = words.tokens.len() - wall;
        wall >= self.disclosure.hashtag_wall.max(1) && words.token_at(d.start) >= first_of_wall
    }

    /// Runs the regexes `list` of one view, handing each located match to
    /// `found`. `gates` are those of [`runnable`].
    fn run_regexes(
        &self,
        view: View,
        haystack: &[u8],
        post: &Post,
        gates: &[(u32, u32)],
        list: &[usize],
        found: &mut dyn FnMut(Owner, Range<usize>),
    ) {
        let c = self.compiled;
        let group = if view == View::Words {
            &c.words_regex
        } else {
            &c.text_regex
        };
        let gated_at = |i: usize| {
            let start = gates.partition_point(|g| (g.0 as usize) < i);
            let end = start + gates[start..].partition_point(|g| g.0 as usize == i);
            &gates[start..end]
        };
        // Regexes compile on first use; a draft that needs several (the
        // first posts of a scan, a one-draft `check`) builds them on every core.
        // Regexes with lazy DFAs once the engine searches many texts (its
        // phrase automaton is built) or a long one.
        let fast = c.phrases.automaton_built() || haystack.len() > NO_LAZY_DFA_MAX_BYTES;
        // A regex whose required literals are not there is neither searched
        // nor, on a one-draft `check`, built.
        let wanted = |i: usize| {
            group.required[i]
                .as_ref()
                .is_none_or(|literals| literals.in_text(haystack))
        };
        let unbuilt = list
            .iter()
            .filter(|&&i| !group.regexes[i].is_built(fast) && wanted(i));
        if unbuilt.take(2).count() > 1 {
            list.par_iter().filter(|&&i| wanted(i)).for_each(|&i| {
                group.regexes[i].get(fast);
            });
        }
        let mut ranges = Vec::new();
        for &i in list {
            if !wanted(i) {
                continue;
            }
            let Some(re) = group.regexes[i].get(fast) else {
                continue;
            };
            ranges.clear();
            let search = match group.search[i] {
                GatedSearch::LineStart => GatedSearch::LineStart,
                search if group.gated[i] && view == View::Words => search,
                _ => GatedSearch::Post,
            };
            gated_matches(re, haystack, gated_at(i), search, &mut ranges);
            for m in &ranges {
                if m.is_empty() || (view == View::Text && post.text.len() < m.end) {
                    continue;
                }
                for &owner in &group.owner[i] {
                    if let Owner::Rule(rule) = owner {
                        let RuleKind::Regex(spec) = &c.rules[rule as usize].kind else {
                            continue;
                        };
                        let Ok(text) = std::str::from_utf8(&haystack[m.clone()]) else {
                            continue;
                        };
                        if spec.validate.is_some_and(|v| !validate::passes(v, text)) {
                            continue;
                        }
                        if spec.exempt.iter().any(|e| same_contact(e, text)) {
                            continue;
                        }
                    }
                    found(owner, m.clone());
                }
            }
        }
    }
}

/// By rule, the needs ([`Role::need_bit`]) that `hits` meet.
fn needs_seen(c: &Compiled, hits: &[Hit]) -> Vec<u8> {
    let mut seen = vec![0u8; c.rules.len()];
    for h in hits {
        seen[h.rule as usize] |= h.role.need_bit();
    }
    seen
}

/// Whether a waiting regex serves a rule that can still give a finding: one
/// [`checked_in`] this reading whose every need ([`CompiledRule::needs`])
/// the hits meet (`seen`, from [`needs_seen`]). Only the owners are asked.
fn serves_live(c: &Compiled, owners: &[Owner], seen: &[u8], second: bool) -> bool {
    owners.iter().any(|o| {
        let rule = &c.rules[o.rule() as usize];
        let seen = seen[o.rule() as usize];
        checked_in(rule, second) && rule.needs().all(|need| need & seen != 0)
    })
}

/// The regexes of `group` that can match `haystack`, in index order: those
/// its set finds, and the gated ones whose literals (`gates`, sorted: each
/// gated regex with a place where the phrase automaton found one of its
/// literals) or enough digits are there.
fn runnable(group: &RegexGroup, haystack: &[u8], gates: &[(u32, u32)]) -> Vec<usize> {
    let mut matched: Vec<usize> = match group.set.as_ref().and_then(|s| s.get()) {
        Some(set) => set
            .matches(haystack)
            .into_iter()
            .map(|i| group.in_set[i])
            .collect(),
        None => group.in_set.clone(),
    };
    // A pattern runs only on a text with as many digits as its matches hold.
    let digits = haystack.iter().filter(|b| b.is_ascii_digit()).count();
    let enough = |i: usize| group.min_digits[i] as usize <= digits;
    let mut alone: Vec<usize> = gates
        .chunk_by(|a, b| a.0 == b.0)
        .map(|g| g[0].0 as usize)
        .filter(|&i| enough(i))
        .collect();
    if digits > 0 && !group.digit_only.is_empty() {
        alone.extend(group.digit_only.iter().copied().filter(|&i| enough(i)));
        alone.sort_unstable();
    }
    matched.extend(alone);
    matched
}

/// The matches of a gated regex, found where `search` says they can be given
/// the places (`gates`, sorted) where its literals are: the same matches, in
/// the same order, as a search of the whole haystack.
fn gated_matches(
    re: &regex_automata::meta::Regex,
    haystack: &[u8],
    gates: &[(u32, u32)],
    search: GatedSearch,
    ranges: &mut Vec<Range<usize>>,
) {
    match search {
        GatedSearch::AtLiteral => {
            anchored_at(re, haystack, gates.iter().map(|g| g.1 as usize), ranges);
        }
        GatedSearch::AtWordLiteral => {
            // `\b` holds where a word character meets a non-word one (ASCII,
            // as the patterns are built).
            let word = |k: usize| {
                haystack
                    .get(k)
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
            };
            let starts = gates.iter().map(|g| g.1 as usize);
            let on_boundary = starts.filter(|&at| (at > 0 && word(at - 1)) != word(at));
            anchored_at(re, haystack, on_boundary, ranges);
        }
        GatedSearch::LineStart => {
            let newlines = (0..haystack.len()).filter(|&k| haystack[k] == b'\n');
            anchored_at(re, haystack, std::iter::once(0).chain(newlines), ranges);
        }
        GatedSearch::Sentence => {
            let mut searched = 0..0;
            for &(_, at) in gates {
                let at = at as usize;
                if searched.contains(&at) {
                    continue;
                }
                let start = haystack[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |k| k + 1);
                let end = haystack[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(haystack.len(), |k| at + k);
                searched = start..end;
                let input = Input::new(haystack).range(start..end);
                ranges.extend(re.find_iter(input).map(|m| m.range()));
            }
        }
        GatedSearch::Post => ranges.extend(re.find_iter(haystack).map(|m| m.range())),
    }
}

/// The matches of a regex whose every match starts at one of `starts`
/// (ascending): the first match at or after the end of the last is the one a
/// search of the whole text gives.
fn anchored_at(
    re: &regex_automata::meta::Regex,
    haystack: &[u8],
    starts: impl Iterator<Item = usize>,
    ranges: &mut Vec<Range<usize>>,
) {
    let mut from = 0;
    for at in starts {
        if at < from {
            continue;
        }
        let input = Input::new(haystack).range(at..).anchored(Anchored::Yes);
        if let Some(m) = re.search(&input).filter(|m| !m.is_empty()) {
            from = m.end();
            ranges.push(m.range());
        }
    }
}

/// The hits of one rule: they sort together.
fn hits_of(hits: &[Hit], rule: u32) -> &[Hit] {
    let start = hits.partition_point(|h| h.rule < rule);
    let end = start + hits[start..].partition_point(|h| h.rule == rule);
    &hits[start..end]
}

/// A rule with a `context` counts a match only with a context phrase near it.
fn in_context(
    rule: &CompiledRule,
    cand: Option<&Range<usize>>,
    hits: &[Hit],
    words: &Words,
) -> bool {
    let Some(window) = rule.context else {
        return true;
    };
    let context = role_hits(hits, Role::Context);
    let Some(window) = window else {
        return !context.is_empty();
    };
    let Some(cand) = cand else {
        return false;
    };
    let tc = words.token_span(cand.clone());
    !starting_in(context, sentence_window(words, &tc, window as usize)).is_empty()
}

/// The exception that clears a candidate, as an original byte range. Each
/// `unless` table looks only at its hits inside its window, so a post with
/// many matches costs no more per match than a post with one.
fn exception(
    rule: &CompiledRule,
    cand: Option<&Range<usize>>,
    parts: &[Range<usize>; 2],
    hits: &[Hit],
    words: &Words,
) -> Option<Range<usize>> {
    if rule.exceptions.is_empty() {
        return None;
    }
    let cand = cand?;
    let tc = words.token_span(cand.clone());
    for (n, e) in rule.exceptions.iter().enumerate() {
        let Ok(n) = u8::try_from(n) else {
            break;
        };
        let all = role_hits(hits, Role::Exception(n));
        if all.is_empty() {
            continue;
        }
        let window = match (e.scope, e.sentences) {
            (Scope::Post, _) => 0..words.text.len(),
            (Scope::Sentence, Some(s)) => sentence_window(words, &tc, s as usize),
            (Scope::Sentence, None) => token_window(words, &tc, e.within as usize),
        };
        let window = match e.side {
            Side::Either => window,
            Side::Before => window.start..window.end.min(cand.start),
            Side::After => window.start.max(cand.end)..window.end,
            Side::Start => cand.start..cand.start + 1,
        };
        let found = starting_in(all, window).iter().find(|h| {
            // An exception inside the match is part of it: "no risk" is not
            // negated by its "no", nor "you won't ever lose" by its "won't".
            if e.side == Side::Start {
                return h.start == cand.start;
            }
            if parts.iter().any(|p| p.start <= h.start && h.end <= p.end) {
                return false;
            }
            let placed = match e.side {
                Side::Either => true,
                Side::Before => h.end <= cand.start,
                Side::After => h.start >= cand.end,
                Side::Start => true,
            };
            let te = words.token_span(h.start..h.end);
            placed
                && match (e.scope, e.sentences) {
                    (Scope::Post, _) => true,
                    (Scope::Sentence, Some(s)) => sentence_distance(words, &tc, &te) <= s as usize,
                    (Scope::Sentence, None) => {
                        same_sentence(words, &tc, &te) && token_gap(&tc, &te) <= e.within as usize
                    }
                }
        });
        if let Some(h) = found {
            return Some(words.source_range(h.start..h.end));
        }
    }
    None
}

/// The hits of one role among one rule's hits, which sort by role, then start.
fn role_hits(hits: &[Hit], role: Role) -> &[Hit] {
    let start = hits.partition_point(|h| h.role < role);
    let end = start + hits[start..].partition_point(|h| h.role == role);
    &hits[start..end]
}

/// Hits (sorted by start) that start inside a words-view byte range.
fn starting_in(hits: &[Hit], range: Range<usize>) -> &[Hit] {
    let start = hits.partition_point(|h| h.start < range.start);
    let end = start + hits[start..].partition_point(|h| h.start < range.end);
    &hits[start..end]
}

/// Longest phrase, in words, that a window must reach back for.
const PHRASE_REACH: usize = 16;

/// Words-view bytes within `n` words of a token range (and a phrase's length
/// more before it, where a phrase that ends near the range may start).
fn token_window(words: &Words, tc: &Range<usize>, n: usize) -> Range<usize> {
    let Some(last) = words.tokens.len().checked_sub(1) else {
        return 0..0;
    };
    let first = tc.start.saturating_sub(n + PHRASE_REACH).min(last);
    let end = (tc.end + n).min(last);
    words.tokens[first].start as usize..words.tokens[end].end as usize
}

/// Words-view bytes of the sentences within `n` of a token range's sentence.
fn sentence_window(words: &Words, tc: &Range<usize>, n: usize) -> Range<usize> {
    let Some(token) = words.tokens.get(tc.start) else {
        return 0..0;
    };
    let s = token.sentence as usize;
    let from = words
        .tokens
        .partition_point(|t| (t.sentence as usize) < s.saturating_sub(n));
    let to = words
        .tokens
        .partition_point(|t| (t.sentence as usize) <= s + n);
    match (
        words.tokens.get(from),
        to.checked_sub(1).and_then(|i| words.tokens.get(i)),
    ) {
        (Some(a), Some(b)) => a.start as usize..b.end as usize,
        _ => 0..0,
    }
}

/// Sentences between two token ranges: 0 in the same sentence.
fn sentence_distance(words: &Words, a: &Range<usize>, b: &Range<usize>) -> usize {
    let sentence = |r: &Range<usize>| words.tokens.get(r.start).map_or(0, |t| t.sentence as usize);
    sentence(a).abs_diff(sentence(b))
}

fn same_sentence(words: &Words, a: &Range<usize>, b: &Range<usize>) -> bool {
    let sentence = |r: &Range<usize>| words.tokens.get(r.start).map(|t| t.sentence);
    sentence(a) == sentence(b)
}

/// Words strictly between two token ranges; 0 when they touch or overlap.
fn token_gap(a: &Range<usize>, b: &Range<usize>) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// An allowed contact: phone numbers compare by digits (a country code may be
/// left out), `@domain` allows every address there, anything else compares
/// case-insensitively.
fn same_contact(allowed: &str, matched: &str) -> bool {
    if let Some(domain) = allowed.trim().strip_prefix('@')
        && let Some((_, at)) = matched.trim().rsplit_once('@')
    {
        return at.eq_ignore_ascii_case(domain);
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (a, m) = (digits(allowed), digits(matched));
    if a.len() >= 7 && m.len() >= 7 {
        let (long, short) = if a.len() >= m.len() {
            (&a, &m)
        } else {
            (&m, &a)
        };
        return long.ends_with(short.as_str()) && long.len() - short.len() <= 3;
    }
    allowed.trim().eq_ignore_ascii_case(matched.trim())
}

pub fn finding(rule: &CompiledRule, post: &Post, span: Range<usize>) -> Finding {
    Finding {
        rule: rule.id.to_string(),
        category: rule.category.to_string(),
        severity: rule.severity,
        message: rule.message.to_string(),
        suggestion: rule.suggestion.as_deref().map(str::to_string),
        reference: rule.reference.as_deref().map(str::to_string),
        ..Finding::unlocated(&post.text, span, &post.id, &post.author)
    }
}

/// How much a pattern rule's match is worth against an overlapping one of the
/// same category: a checksum (IBAN, card) beats a shape check (SSN, phone),
/// which beats a bare pattern. `None` for rules that are not patterns.
fn specificity(rule: &CompiledRule) -> Option<u8> {
    use crate::policy::schema::Validator;
    match &rule.kind {
        RuleKind::Regex(r) => Some(match r.validate {
            Some(Validator::Iban | Validator::Luhn) => 3,
            Some(Validator::Ssn) => 2,
            Some(Validator::Phone) => 1,
            None => 0,
        }),
        _ => None,
    }
}

/// Overlapping matches of two pattern rules of one category (an IBAN whose
/// digits also read as a phone number) are one piece of data: keep the more
/// specific finding, or the one whose span holds the other. `findings` are
/// sorted by start.
pub fn keep_most_specific(compiled: &Compiled, findings: &mut Vec<Finding>) {
    let overlapping = |a: &Finding, b: &Finding| {
        a.rule != b.rule && a.category == b.category && a.start < b.end && b.start < a.end
    };
    // Most posts have no overlapping pair: look up rules only when one exists.
    let any = findings.iter().enumerate().any(|(i, a)| {
        findings[i + 1..]
            .iter()
            .take_while(|b| b.start < a.end)
            .any(|b| overlapping(a, b))
    });
    if !any {
        return;
    }
    let rank = |f: &Finding| {
        compiled
            .rules
            .iter()
            .find(|r| *r.id == *f.rule)
            .and_then(specificity)
    };
    let ranks: Vec<Option<u8>> = findings.iter().map(rank).collect();
    let beats = |b: usize, a: usize| -> bool {
        let (fa, fb) = (&findings[a], &findings[b]);
        let (Some(ra), Some(rb)) = (ranks[a], ranks[b]) else {
            return false;
        };
        if !overlapping(fa, fb) {
            return false;
        }
        let b_holds_a = fb.start <= fa.start && fa.end <= fb.end;
        let a_holds_b = fa.start <= fb.start && fb.end <= fa.end;
        rb > ra || (rb == ra && b_holds_a && !a_holds_b)
    };
    let keep: Vec<bool> = (0..findings.len())
        .map(|a| !(0..findings.len()).any(|b| b != a && beats(b, a)))
        .collect();
    let mut i = 0;
    findings.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::{GatedSearch, gated_matches};
    use crate::input::Post;
    use crate::matcher::Engine;
    use crate::normalise::{TextView, Words};
    use crate::policy::Policy;
    use crate::test_texts::labelled_texts;
    use std::path::Path;

    /// A short draft's phrases are found one by one rather than with the
    /// automaton; on every labelled post (two readings each) both find the
    /// same occurrences.
    #[test]
    fn direct_phrase_search_finds_what_the_automaton_finds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let policy = Policy::load(&root.join("policies/brightwater.toml")).unwrap();
        let direct = Engine::new(policy).unwrap();
        let policy = Policy::load(&root.join("policies/brightwater.toml")).unwrap();
        let automaton = Engine::new(policy).unwrap().for_batch();
        let found = |engine: &Engine, text: &str| {
            let mut all = Vec::new();
            engine
                .compiled
                .phrases
                .for_each(text, |p, start, end| all.push((p, start, end)));
            all.sort_unstable();
            all
        };
        let mut occurrences = 0;
        for text in labelled_texts() {
            for words in [Words::new(&text), Words::other_reading(&text)] {
                let mut mine = Vec::new();
                direct
                    .compiled
                    .phrases
                    .search_directly(&words.text, |p, start, end| mine.push((p, start, end)));
                mine.sort_unstable();
                let want = found(&automaton, &words.text);
                assert_eq!(mine, want, "{:?}", words.text);
                occurrences += want.len();
            }
        }
        assert!(occurrences > 10_000, "{occurrences}");
    }

    /// Regexes that wait for their rules' needs run only where the rest of
    /// the post meets them: on every labelled post (and the policy's deferred
    /// regexes are many), checking with them deferred gives exactly what
    /// running them all gives, cleared matches included.
    #[test]
    fn deferred_regexes_change_no_result() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let load = || Policy::load(&root.join("policies/brightwater.toml")).unwrap();
        let deferring = Engine::new(load()).unwrap().for_batch();
        let mut eager = Engine::new(load()).unwrap().for_batch();
        let deferred = |engine: &Engine| {
            let c = &engine.compiled;
            [&c.words_regex, &c.text_regex]
                .iter()
                .map(|g| g.deferred.iter().filter(|&&d| d).count())
                .sum::<usize>()
        };
        assert!(deferred(&deferring) >= 20, "{}", deferred(&deferring));
        for group in [
            &mut eager.compiled.words_regex,
            &mut eager.compiled.text_regex,
        ] {
            group.deferred.iter_mut().for_each(|d| *d = false);
        }
        assert_eq!(deferred(&eager), 0);
        let (mut findings, mut cleared) = (0, 0);
        for text in labelled_texts() {
            let post = Post {
                id: "p".into(),
                author: "a".into(),
                text,
                ..Post::default()
            };
            let want = eager.check(&post);
            assert_eq!(deferring.check(&post), want, "{:?}", post.text);
            findings += want.findings.len();
            cleared += want.cleared.len();
        }
        assert!(findings > 1000 && cleared > 50, "{findings} {cleared}");
    }

    /// Gated patterns search only near their literals; on every labelled
    /// post (two readings each), that finds exactly what a search of the
    /// whole words view finds, and a pattern whose literals are absent has
    /// no match at all.
    #[test]
    fn gated_search_finds_what_a_whole_text_search_finds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let policy = Policy::load(&root.join("policies/brightwater.toml")).unwrap();
        let engine = Engine::new(policy).unwrap();
        let c = &engine.compiled;
        let group = &c.words_regex;
        let texts = labelled_texts();
        let (mut compared, mut matched, mut line_starts, mut prefiltered) = (0, 0, 0, 0);
        let mut needed_digits = 0;
        for text in &texts {
            for words in [Words::new(text), Words::other_reading(text)] {
                let haystack = words.text.as_bytes();
                let mut gates: Vec<(u32, u32)> = Vec::new();
                c.phrases.for_each(&words.text, |pattern, start, end| {
                    gates.extend(
                        c.phrase_gates[pattern]
                            .iter()
                            .filter(|&&g| {
                                group.gate_context[g as usize].holds(haystack, start, end)
                            })
                            .map(|&g| (g, start as u32)),
                    );
                });
                gates.sort_unstable();
                gates.dedup();
                for (i, regex) in group.regexes.iter().enumerate() {
                    let re = regex.get(true).unwrap();
                    let whole: Vec<_> = re.find_iter(haystack).map(|m| m.range()).collect();
                    // A text with fewer digits than the pattern needs has no match.
                    let digits = haystack.iter().filter(|b| b.is_ascii_digit()).count();
                    assert!(whole.is_empty() || digits >= group.min_digits[i] as usize);
                    needed_digits += usize::from(!whole.is_empty() && group.min_digits[i] > 1);
                    // A prefilter never skips a text the regex matches.
                    if let Some(literals) = &group.required[i] {
                        assert!(whole.is_empty() || literals.in_text(haystack), "{i}");
                        prefiltered += 1;
                    }
                    if !group.gated[i] && group.search[i] != GatedSearch::LineStart {
                        continue;
                    }
                    let mine: Vec<_> = gates
                        .iter()
                        .filter(|g| g.0 as usize == i)
                        .copied()
                        .collect();
                    let mut found = Vec::new();
                    gated_matches(re, haystack, &mine, group.search[i], &mut found);
                    assert_eq!(found, whole, "pattern {i} on {:?}", words.text);
                    compared += 1;
                    matched += usize::from(!whole.is_empty());
                    line_starts += usize::from(group.search[i] == GatedSearch::LineStart);
                }
            }
        }
        assert!(matched > 500, "{matched} of {compared} searches matched");
        assert!(line_starts > 0 && prefiltered > 0 && needed_digits > 0);
        // The text view's patterns (phones, cards, IBANs) likewise.
        let text = &c.text_regex;
        let mut text_matches = 0;
        for post in &texts {
            let view = TextView::new(post);
            let haystack = view.text.as_bytes();
            let digits = haystack.iter().filter(|b| b.is_ascii_digit()).count();
            for (i, regex) in text.regexes.iter().enumerate() {
                if regex.get(true).unwrap().is_match(haystack) {
                    assert!(digits >= text.min_digits[i] as usize, "{i} on {post:?}");
                    text_matches += usize::from(text.min_digits[i] > 1);
                }
            }
        }
        assert!(text_matches > 100, "{text_matches}");
    }
}
