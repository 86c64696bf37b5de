//! Match: a policy compiled once into matchers, run on one post at a time.
//!
//! [`Engine::new`] turns a [`Policy`] into one Aho-Corasick automaton over
//! every phrase of every rule and two regex sets (words view, text view);
//! [`Engine::check`] runs them on a post and applies exceptions,
//! proximity and disclosure requirements. An engine is immutable and shared
//! read-only across threads.

mod compile;
mod entities;
mod evaluate;
mod expand;
mod fnv;
mod phrases;
mod validate;
pub mod verbatim;

use crate::finding::{Finding, Severity};
use crate::input::{self, BadRecord, InputError, Post, ReadOptions};
use crate::policy::schema::CopyMode;
use crate::policy::schema::{DisclosureSettings, MatchDef, RuleDef};
use crate::policy::{Diagnostic, Policy, PolicyError};
use aho_corasick::AhoCorasickKind;
use compile::{Compiled, CompiledRule};
use evaluate::Context;
use expand::{Lists, instantiate_example};
use std::path::PathBuf;
use verbatim::{CorporatePost, VerbatimIndex};

/// What checking one post produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostResult {
    /// Findings in order of position, then rule id.
    pub findings: Vec<Finding>,
    /// The post mentions the company or its products (a `requires` trigger matched).
    pub promotional: bool,
    /// A promotional post that carries an accepted disclosure.
    pub disclosed: bool,
    /// The post is a verbatim copy of corporate content.
    pub verbatim: bool,
    /// Matches that an exception or a disclosure cleared (for `--verbose`).
    pub cleared: Vec<Cleared>,
    /// Findings left out by [`PostResult::cap_findings`].
    pub omitted: usize,
}

/// Findings reported per post unless told otherwise: enough for any real post,
/// and it keeps the output of a post of repeated phrases bounded.
pub const DEFAULT_MAX_FINDINGS_PER_POST: usize = 1000;

impl PostResult {
    /// Keeps at most `max` findings (at least one): the most severe, and within
    /// a severity the first by position, still in position order. The rest are
    /// counted in `omitted`, so the exit code and the note can still tell.
    pub fn cap_findings(&mut self, max: usize) {
        let max = max.max(1);
        // Cleared matches explain findings under `--verbose`: as many will do.
        if self.cleared.len() > max {
            self.cleared.truncate(max);
            self.cleared.shrink_to_fit();
        }
        if self.findings.len() <= max {
            return;
        }
        let mut per_severity = [0usize; 3];
        for f in &self.findings {
            per_severity[f.severity as usize] += 1;
        }
        // The lowest severity that still gets a place, and how many of it fit.
        let mut room = max;
        let mut cut = (Severity::Error, 0);
        for severity in [Severity::Error, Severity::Warning, Severity::Info] {
            let n = per_severity[severity as usize];
            cut = (severity, room.min(n));
            if n >= room {
                break;
            }
            room -= n;
        }
        let mut taken_at_cut = 0;
        let before = self.findings.len();
        self.findings.retain(|f| {
            if f.severity > cut.0 {
                true
            } else if f.severity == cut.0 && taken_at_cut < cut.1 {
                taken_at_cut += 1;
                true
            } else {
                false
            }
        });
        self.omitted += before - self.findings.len();
        // The result waits in its batch until folded: without this, a post
        // of tens of thousands of matches kept their room (megabytes) there.
        self.findings.shrink_to_fit();
    }
}

/// A match that did not become a finding, and what cleared it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleared {
    pub rule: String,
    pub start: usize,
    pub end: usize,
    pub matched: String,
    /// The exception or disclosure that cleared the match, as written in the post.
    pub by: String,
}

/// A compiled policy. Build once, share read-only across threads.
/// The most phrases a batch scan searches with a DFA (see [`Engine::for_batch`]).
const DFA_MAX_PHRASES: usize = 20_000;

pub struct Engine {
    policy: Policy,
    compiled: Compiled,
    corporate: Option<VerbatimIndex>,
}

/// A rule as `explain` and listings show it.
pub struct RuleInfo<'a> {
    pub id: &'a str,
    pub category: &'a str,
    /// After the policy's overrides.
    pub severity: Severity,
    pub message: &'a str,
    pub why: &'a str,
    pub suggestion: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub kind: &'static str,
    pub pack: &'a str,
    pub def: &'a RuleDef,
}

/// An example that does not behave as its rule declares.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    pub example: String,
    pub expected_match: bool,
    /// The rules that did fire on the example.
    pub got: Vec<String>,
    pub diagnostic: Diagnostic,
}

impl Engine {
    /// Compiles a policy; any error-level problem fails it, all reported at once.
    pub fn new(policy: Policy) -> Result<Engine, PolicyError> {
        let (engine, problems) = Engine::build(policy, false)?;
        if problems.iter().any(|d| d.severity == Severity::Error) {
            return Err(PolicyError {
                diagnostics: problems,
            });
        }
        Ok(engine)
    }

    /// Compiles what can be compiled, leaving out broken rules, and returns
    /// every problem beside the engine (for `lint`, which goes on to run examples).
    pub fn new_lenient(policy: Policy) -> Result<(Engine, Vec<Diagnostic>), PolicyError> {
        Engine::build(policy, true)
    }

    /// `thorough` compiles every regex up front and tests it for breadth;
    /// otherwise each compiles when a post first needs it.
    fn build(policy: Policy, thorough: bool) -> Result<(Engine, Vec<Diagnostic>), PolicyError> {
        let mut compiled = compile::compile(&policy, thorough)?;
        let problems = std::mem::take(&mut compiled.warnings);
        let warnings = problems
            .iter()
            .filter(|d| d.severity != Severity::Error)
            .cloned()
            .collect();
        compiled.warnings = warnings;
        Ok((
            Engine {
                policy,
                compiled,
                corporate: None,
            },
            problems,
        ))
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Problems that do not stop the policy from working.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.compiled.warnings
    }

    /// Builds the phrase automaton now, as a DFA, and regexes with lazy DFAs:
    /// slower to build, faster to search. For batch scans, where the build is
    /// paid once.
    pub fn for_batch(mut self) -> Engine {
        // Past tens of thousands of phrases (an imported lexicon) a DFA costs
        // tens of bytes per state and transition class: hundreds of megabytes
        // for a little speed. A contiguous NFA keeps memory near the
        // lexicon's size.
        let kind = if self.compiled.phrases.texts().len() <= DFA_MAX_PHRASES {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        // One too large to build: a noncontiguous NFA is built on first use.
        // With the automaton built, regexes build with lazy DFAs too.
        let _ = self.compiled.phrases.build_now(kind);
        self
    }

    /// Adds official posts to compare employee posts with (verbatim rules).
    pub fn with_corporate(mut self, posts: Vec<CorporatePost>) -> Engine {
        self.corporate = Some(VerbatimIndex::build(posts, &self.policy.file.verbatim));
        self
    }

    /// The corporate index, if corporate posts were given.
    pub fn corporate(&self) -> Option<&VerbatimIndex> {
        self.corporate.as_ref()
    }

    /// Reads the policy's `[[corporate]]` sources (relative to the policy file)
    /// and `extra` files (coached copies); returns the posts and the records skipped.
    pub fn load_corporate(
        &self,
        extra: &[PathBuf],
    ) -> Result<(Vec<CorporatePost>, Vec<BadRecord>), InputError> {
        let base = self.policy.base_dir.clone().unwrap_or_default();
        let sources = self
            .policy
            .file
            .corporate
            .iter()
            .map(|s| (base.join(s.path.get_ref()), s.mode))
            .chain(extra.iter().map(|p| (p.clone(), CopyMode::Coach)));
        let mut posts = Vec::new();
        let mut skipped = Vec::new();
        // A corporate post's author does not matter: none is required.
        let opts = ReadOptions {
            author: Some("corporate".into()),
            ..ReadOptions::default()
        };
        for (path, mode) in sources {
            for record in input::open(&path, &opts)? {
                match record {
                    Ok(p) => posts.push(CorporatePost {
                        id: p.id,
                        text: p.text,
                        mode,
                    }),
                    Err(bad) => skipped.push(bad),
                }
            }
        }
        Ok((posts, skipped))
    }

    pub fn check(&self, post: &Post) -> PostResult {
        self.check_against(post, self.corporate.as_ref())
    }

    fn check_against(&self, post: &Post, corporate: Option<&VerbatimIndex>) -> PostResult {
        let mut result = PostResult::default();
        let context = Context {
            compiled: &self.compiled,
            disclosure: &self.disclosure(),
        };
        context.check(post, &mut result);
        if let Some(index) = corporate {
            context.verbatim(post, index, &mut result);
        }
        result
            .findings
            .sort_by(|a, b| (a.start, &a.rule).cmp(&(b.start, &b.rule)));
        evaluate::keep_most_specific(&self.compiled, &mut result.findings);
        crate::finding::locate_sorted(&post.text, &mut result.findings);
        result
    }

    fn disclosure(&self) -> DisclosureSettings {
        self.policy.file.disclosure.clone()
    }

    /// Number of rules in force (after `disable`).
    pub fn rule_count(&self) -> usize {
        self.compiled.rules.len()
    }

    /// The literal phrases of the automaton, normalised, one per pattern.
    pub fn phrases(&self) -> &[String] {
        self.compiled.phrases.texts()
    }

    pub fn regex_count(&self) -> usize {
        self.compiled.words_regex.regexes.len() + self.compiled.text_regex.regexes.len()
    }

    pub fn rules(&self) -> impl Iterator<Item = RuleInfo<'_>> {
        self.compiled.rules.iter().map(|r| self.info(r))
    }

    pub fn rule(&self, id: &str) -> Option<RuleInfo<'_>> {
        self.compiled
            .rules
            .iter()
            .find(|r| &*r.id == id)
            .map(|r| self.info(r))
    }

    /// Ids of every rule in the policy's packs, disabled ones included.
    pub fn all_rule_ids(&self) -> impl Iterator<Item = &str> {
        self.policy
            .packs
            .iter()
            .flat_map(|p| p.file.rules.iter().map(|r| r.id.get_ref().as_str()))
    }

    fn info<'a>(&'a self, r: &'a CompiledRule) -> RuleInfo<'a> {
        let pack = &self.policy.packs[r.pack];
        let def = pack
            .file
            .rules
            .iter()
            .find(|d| d.id.get_ref().as_str() == &*r.id)
            .expect("a compiled rule comes from its pack");
        RuleInfo {
            id: &r.id,
            category: &r.category,
            severity: r.severity,
            message: &r.message,
            why: &r.why,
            suggestion: r.suggestion.as_deref(),
            reference: r.reference.as_deref(),
            kind: match def.matcher {
                MatchDef::Phrases { .. } => "phrases",
                MatchDef::Regex { .. } => "regex",
                MatchDef::Near { .. } => "near",
                MatchDef::Requires { .. } => "requires",
                MatchDef::Verbatim { .. } => "verbatim",
            },
            pack: &pack.file.pack.id,
            def,
        }
    }

    /// An example text of a rule with `{list}` references filled in from the
    /// policy; `None` when the policy leaves a referenced list empty.
    pub fn example_text(&self, rule: &str, example: &str) -> Option<String> {
        let r = self.compiled.rules.iter().find(|r| &*r.id == rule)?;
        let lists = Lists {
            entities: &self.policy.file.entities,
            pack: &self.policy.packs[r.pack].file.lists,
            empty: &self.compiled.empty_lists,
        };
        instantiate_example(example, &lists)
    }

    /// `info` notes for `lint`: the entities the packs read that the policy
    /// leaves empty, so a team sees what it has not filled in.
    pub fn empty_entities(&self) -> Vec<Diagnostic> {
        entities::empty_notes(&self.policy, &entities::resolve(&self.policy))
    }

    /// The phrases a list of a rule stands for under this policy, for
    /// `explain`: each `{list}` replaced by its values (a whole-list entry
    /// flattened), at most `limit` strings. Also the names of lists that
    /// are empty under this policy.
    pub fn display_phrases(
        &self,
        rule: &str,
        entries: &[String],
        limit: usize,
    ) -> (Vec<String>, Vec<String>) {
        let Some(r) = self.compiled.rules.iter().find(|r| &*r.id == rule) else {
            return (entries.to_vec(), Vec::new());
        };
        let lists = Lists {
            entities: &self.policy.file.entities,
            pack: &self.policy.packs[r.pack].file.lists,
            empty: &self.compiled.empty_lists,
        };
        let mut out = Vec::new();
        let mut empty = Vec::new();
        let mut queue: std::collections::VecDeque<(String, usize)> =
            entries.iter().map(|e| (e.clone(), 0)).collect();
        while let Some((entry, depth)) = queue.pop_front() {
            if out.len() >= limit {
                break;
            }
            let names = expand::references(&entry);
            let is_pattern = entry.len() > 2 && entry.starts_with('/') && entry.ends_with('/');
            if names.is_empty() || is_pattern || depth > 4 {
                out.push(entry);
                continue;
            }
            for name in &names {
                if lists.get(name).is_some_and(|v| v.is_empty())
                    && !empty.contains(&name.to_string())
                {
                    empty.push(name.to_string());
                }
            }
            match expand::expand(&entry, &lists, &|v| v.to_string(), limit) {
                // Values may hold references of their own: expand those too.
                Ok(values) => queue.extend(values.into_iter().map(|v| (v, depth + 1))),
                Err(_) => out.push(entry),
            }
        }
        (out, empty)
    }

    /// Rules that declare no examples cannot be tested by `lint`.
    pub fn rules_without_examples(&self) -> Vec<Diagnostic> {
        self.policy
            .packs
            .iter()
            .flat_map(|p| p.file.rules.iter().map(move |r| (p, r)))
            .filter(|(_, r)| {
                r.examples.must_match.is_empty() && r.examples.must_not_match.is_empty()
            })
            .map(|(p, r)| {
                Diagnostic::warning(
                    &p.source,
                    r.id.span(),
                    format!("rule `{}` has no examples", r.id.get_ref()),
                )
                .with_help(Some(
                    "add `examples.match` and `examples.no_match` so lint can test it".into(),
                ))
                .with_code("policy.no-examples")
            })
            .collect()
    }

    /// Runs every rule's examples; returns those that do not behave as declared
    /// and the number of examples run.
    pub fn run_examples(&self) -> (Vec<ExampleFailure>, usize) {
        let mut failures = Vec::new();
        let mut ran = 0;
        for rule in self.rules() {
            // Verbatim examples run against their own corporate posts.
            let example_index = (rule.kind == "verbatim").then(|| {
                let posts = rule
                    .def
                    .examples
                    .corporate
                    .iter()
                    .enumerate()
                    .map(|(i, text)| CorporatePost {
                        id: format!("example-{}", i + 1),
                        text: text.clone(),
                        mode: CopyMode::Coach,
                    })
                    .collect();
                VerbatimIndex::build(posts, &self.policy.file.verbatim)
            });
            let pack = &self.policy.packs[self
                .compiled
                .rules
                .iter()
                .position(|r| &*r.id == rule.id)
                .map_or(0, |i| self.compiled.rules[i].pack)];
            let cases = rule
                .def
                .examples
                .must_match
                .iter()
                .map(|e| (e, true))
                .chain(rule.def.examples.must_not_match.iter().map(|e| (e, false)));
            for (example, expected) in cases {
                let Some(text) = self.example_text(rule.id, example) else {
                    continue;
                };
                ran += 1;
                let post = Post {
                    id: "example".into(),
                    author: "example".into(),
                    text,
                    ..Post::default()
                };
                let result = match &example_index {
                    Some(index) => self.check_against(&post, Some(index)),
                    None => self.check(&post),
                };
                let fired = result.findings.iter().any(|f| f.rule == rule.id);
                if fired != expected {
                    let span = pack
                        .source
                        .find(&toml_escaped(example), rule.def.id.span().start)
                        .unwrap_or_else(|| rule.def.id.span());
                    let got: Vec<String> = result.findings.iter().map(|f| f.rule.clone()).collect();
                    let message = if expected {
                        format!("example should match `{}` but does not", rule.id)
                    } else {
                        format!("example should not match `{}` but does", rule.id)
                    };
                    let help = if got.is_empty() {
                        "no rule fired".to_string()
                    } else {
                        format!("fired: {}", got.join(", "))
                    };
                    failures.push(ExampleFailure {
                        rule: rule.id.to_string(),
                        example: example.clone(),
                        expected_match: expected,
                        got,
                        diagnostic: Diagnostic::error(&pack.source, span, message)
                            .with_help(Some(help))
                            .with_code("policy.example-failed"),
                    });
                }
            }
        }
        (failures, ran)
    }
}

/// How a string looks inside a basic TOML string, to find it in the file.
fn toml_escaped(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod cap_tests {
    use super::*;

    fn result(severities: &[Severity]) -> PostResult {
        let text = "x".repeat(severities.len());
        PostResult {
            findings: severities
                .iter()
                .enumerate()
                .map(|(i, s)| Finding {
                    severity: *s,
                    ..Finding::in_text(&text, i..i + 1, "p", "a")
                })
                .collect(),
            ..PostResult::default()
        }
    }

    #[test]
    fn the_cap_keeps_the_most_severe_in_position_order() {
        use Severity::{Error as E, Info as I, Warning as W};
        let mut r = result(&[I, W, E, W, I, E, W]);
        r.cap_findings(4);
        let kept: Vec<(usize, Severity)> =
            r.findings.iter().map(|f| (f.start, f.severity)).collect();
        assert_eq!(kept, [(1, W), (2, E), (3, W), (5, E)]);
        assert_eq!(r.omitted, 3);
    }

    #[test]
    fn under_the_cap_nothing_changes_and_zero_keeps_one() {
        use Severity::{Info as I, Warning as W};
        let mut r = result(&[I, W]);
        r.cap_findings(2);
        assert_eq!((r.findings.len(), r.omitted), (2, 0));
        r.cap_findings(0);
        assert_eq!((r.findings.len(), r.omitted), (1, 1));
        assert_eq!(r.findings[0].severity, W);
    }
}
