//! Compiling a policy: every phrase into one Aho-Corasick automaton, every
//! regular expression into a set per view, every problem into a diagnostic.

use super::entities;
use super::expand::{Lists, expand, references};
use super::fnv::FnvBuild;
use super::phrases::PhraseSearch;
use crate::aggregate::time;
use crate::finding::Severity;
use crate::normalise::normalise_phrase;
use crate::policy::schema::{
    MatchDef, RequireCheck, Scope, Side, Validator, Variants, VerbatimCheck, View,
};
use crate::policy::{Diagnostic, Pack, Policy, PolicyError, SourceFile, did_you_mean};
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use rayon::prelude::*;
use regex::bytes::{RegexSet, RegexSetBuilder};
use regex_automata::meta::Regex;
use regex_syntax::hir::Hir;
use std::collections::{BTreeSet, HashMap};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

/// Most strings one phrase with references may expand to.
const EXPANSION_LIMIT: usize = 10_000;
/// Posts no sensible rule flags; a regex that matches most of them is too broad.
const ORDINARY_POSTS: &[&str] = &[
    "Great to see the team at the conference today!",
    "We are hiring engineers in Lisbon, come join us.",
    "Happy holidays from all of us.",
    "Lovely walk along the river this morning",
    "Thanks everyone for a wonderful year",
    "Reading a good book about history.",
    "Coffee first, then meetings",
    "Proud of my daughter's graduation",
];

/// Compiled size limit per regular expression, against patterns that explode.
const REGEX_SIZE_LIMIT: usize = 2 << 20;
/// Up to this many always-run patterns, each runs alone rather than in a set.
const SET_THRESHOLD: usize = 8;
/// Lazy DFA cache per regex set and thread.
const DFA_CACHE_LIMIT: usize = 16 << 20;

/// What a phrase occurrence means for the rule that owns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Hit,
    NearA,
    NearB,
    /// A phrase of the rule's n-th `unless` table.
    Exception(u8),
    /// A phrase of the rule's `context`.
    Context,
    /// A phrase naming the policy's n-th `[[announcement]]`.
    Announcement(u16),
    When,
    Cue,
    Alone,
    Accepted,
    Ambiguous,
}

impl CompiledRule {
    /// What the rule needs among a post's hits before any match of it can
    /// count: sets of roles (bits of [`Role::need_bit`]), one role of each
    /// present. A post without them skips the rule's other patterns.
    pub fn needs(&self) -> impl Iterator<Item = u8> + use<> {
        let context = self.context.map(|_| Role::Context.need_bit());
        let kind = match self.kind {
            RuleKind::Near { .. } => [Some(Role::NearA.need_bit()), Some(Role::NearB.need_bit())],
            RuleKind::Requires { .. } => {
                [Some(Role::When.need_bit() | Role::Alone.need_bit()), None]
            }
            _ => [None, None],
        };
        context.into_iter().chain(kind.into_iter().flatten())
    }
}

impl Owner {
    /// The rule the matches count for.
    pub fn rule(self) -> u32 {
        match self {
            Owner::Rule(rule) | Owner::Hit(rule, _) => rule,
        }
    }
}

impl Role {
    /// The role as a bit of a [`CompiledRule::needs`] set; 0 for the roles
    /// no rule waits on.
    pub fn need_bit(self) -> u8 {
        match self {
            Role::Context => 1,
            Role::When => 2,
            Role::Alone => 4,
            Role::NearA => 8,
            Role::NearB => 16,
            _ => 0,
        }
    }
}

/// One `unless` table, compiled.
#[derive(Debug, Clone, Copy)]
pub struct Exception {
    pub within: u32,
    pub scope: Scope,
    pub sentences: Option<u32>,
    pub side: Side,
}

/// Who a words-view regex works for: a `regex` rule's matches, or a phrase
/// list entry written as `/regex/` whose matches are hits like any phrase's.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Rule(u32),
    Hit(u32, Role),
}

#[derive(Debug, Clone)]
pub enum RuleKind {
    Phrases,
    Near {
        within: u32,
    },
    Regex(RegexRule),
    Requires {
        check: RequireCheck,
        /// `when` phrases need a cue this many sentences away at most.
        cues: Option<u32>,
    },
    Verbatim(VerbatimCheck),
}

#[derive(Debug, Clone)]
pub struct RegexRule {
    pub validate: Option<Validator>,
    pub exempt: Vec<String>,
}

/// A rule ready to run; texts shared with findings.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub id: Arc<str>,
    pub category: Arc<str>,
    pub severity: Severity,
    pub message: Arc<str>,
    pub suggestion: Option<Arc<str>>,
    pub reference: Option<Arc<str>>,
    pub why: String,
    pub kind: RuleKind,
    pub exceptions: Vec<Exception>,
    /// Sentences around a match where a `context` phrase must be (`None`: the post).
    pub context: Option<Option<u32>>,
    /// Announced news named in a post dated after it clears a match.
    pub public_once_announced: bool,
    pub pack: usize,
}

pub struct Compiled {
    pub rules: Vec<CompiledRule>,
    /// The normalised phrases (and gate literals), found in every words view.
    pub phrases: PhraseSearch,
    /// For each automaton pattern, the rules and roles it serves.
    pub phrase_roles: Vec<Vec<(u32, Role)>>,
    /// For each automaton pattern, the words-view regexes it is a required
    /// prefix of: a gated regex runs only on posts where one was found.
    pub phrase_gates: Vec<Vec<u32>>,
    pub words_regex: RegexGroup,
    pub text_regex: RegexGroup,
    /// The rules that report verbatim copies, found once rather than per post.
    pub verbatim_rules: Vec<(u32, VerbatimCheck)>,
    /// When each `[[announcement]]` became public (seconds since 1970).
    pub announced_at: Vec<Option<i64>>,
    pub warnings: Vec<Diagnostic>,
    /// Entities the packs read that the policy leaves out: empty lists.
    pub empty_lists: BTreeSet<String>,
}

/// Texts up to this long are searched as fast without a lazy DFA as the
/// lazy DFA takes to build.
pub const NO_LAZY_DFA_MAX_BYTES: usize = 16 * 1024;

/// A regex compiled on first use and shared by every thread: a one-draft
/// `check` compiles only the patterns its text can match.
///
/// Two builds: without a lazy DFA the regex builds in about two thirds of
/// the time (no reverse automaton) but searches tens of times slower per
/// byte, which suits a few short drafts; an engine that searches many texts,
/// or a long one, gets the lazy DFA.
pub struct LazyRegex {
    source: String,
    /// Searched in every whole post (neither gated by the automaton nor
    /// waiting for a digit): worth a literal prefilter.
    prefilter: bool,
    /// The analysis's parse of `source`, kept so that the first build need
    /// not parse it again (regex-syntax spends about 1,000 instructions a byte).
    parsed: Mutex<Option<Hir>>,
    /// Built without a lazy DFA.
    light: OnceLock<Option<Regex>>,
    /// Built with one.
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    fn new(source: String) -> LazyRegex {
        LazyRegex {
            source,
            prefilter: false,
            parsed: Mutex::new(None),
            light: OnceLock::new(),
            compiled: OnceLock::new(),
        }
    }

    /// The compiled regex, with a lazy DFA if `fast` or if one was built
    /// already; `None` if it is over the size limit (which `lint` reports).
    pub fn get(&self, fast: bool) -> Option<&Regex> {
        if fast || self.compiled.get().is_some() {
            return self.compiled.get_or_init(|| self.build(true)).as_ref();
        }
        self.light.get_or_init(|| self.build(false)).as_ref()
    }

    /// Whether [`LazyRegex::get`] has its regex at hand.
    pub fn is_built(&self, fast: bool) -> bool {
        self.compiled.get().is_some() || (!fast && self.light.get().is_some())
    }

    fn build(&self, lazy_dfa: bool) -> Option<Regex> {
        let parsed = self.parsed.lock().ok().and_then(|mut p| p.take());
        build_regex(&self.source, parsed.as_ref(), self.prefilter, lazy_dfa).ok()
    }
}

/// Posts are short and most patterns run only where their literals gate them
/// in, so those skip the literal prefilters whose extraction from
/// alternations of hundreds of phrases costs more to build than it saves.
/// The few that search every post keep theirs. `parsed`, when given, is
/// `source` already parsed with the same syntax options.
fn build_regex(
    source: &str,
    parsed: Option<&Hir>,
    prefilter: bool,
    lazy_dfa: bool,
) -> Result<Regex, Box<regex_automata::meta::BuildError>> {
    let mut builder = Regex::builder();
    builder
        .syntax(
            regex_automata::util::syntax::Config::new()
                .unicode(false)
                .utf8(false),
        )
        .configure(
            Regex::config()
                .auto_prefilter(prefilter)
                .hybrid(lazy_dfa)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .utf8_empty(false),
        );
    match parsed {
        Some(hir) => builder.build_from_hir(hir),
        None => builder.build(source),
    }
    .map_err(Box::new)
}

/// The parser whose output [`build_regex`] takes: the same syntax options.
fn parser() -> regex_syntax::Parser {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
}

/// The always-run patterns of a group as one set, built on first use.
#[derive(Default)]
pub struct LazySet {
    sources: Vec<String>,
    compiled: OnceLock<Option<RegexSet>>,
}

impl LazySet {
    pub fn get(&self) -> Option<&RegexSet> {
        self.compiled
            .get_or_init(|| {
                // A lazy DFA whose cache is too small for the set rebuilds its
                // states post after post; a larger cache is paid once per thread.
                RegexSetBuilder::new(&self.sources)
                    .unicode(false)
                    .size_limit(REGEX_SIZE_LIMIT * 8)
                    .dfa_size_limit(DFA_CACHE_LIMIT)
                    .build()
                    .ok()
            })
            .as_ref()
    }
}

/// What compiling a pattern learns about it, for the group it joins.
#[derive(Default)]
struct GroupBuilder {
    sources: Vec<String>,
    regexes: Vec<LazyRegex>,
    owners: Vec<Vec<Owner>>,
    literals: Vec<Option<Vec<String>>>,
    min_digits: Vec<u32>,
    search: Vec<GatedSearch>,
    required: Vec<Option<Vec<Vec<u8>>>>,
    gate_context: Vec<GateContext>,
}

/// Where a gated words-view pattern needs to look, given where the phrase
/// automaton found its literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GatedSearch {
    /// Every match starts with one of the literals: an anchored search at
    /// each place one was found.
    AtLiteral,
    /// The same, and the pattern opens on `\b`: only where one of the
    /// literals starts on a word boundary (not `our` inside `your`).
    AtWordLiteral,
    /// No match crosses a sentence end: the sentences holding a literal.
    Sentence,
    /// Every match opens the text or a line (`(?:^|\n)…`): an anchored
    /// search at each; gated or not.
    LineStart,
    /// Anywhere in the post.
    #[default]
    Post,
}

#[derive(Default)]
pub struct RegexGroup {
    /// The regexes that run on every post, searched together when they are
    /// many (`None`: each runs alone).
    pub set: Option<LazySet>,
    /// Index in `regexes` of each always-run pattern.
    pub in_set: Vec<usize>,
    pub regexes: Vec<LazyRegex>,
    /// What each regex is for (one pattern may serve several rules).
    pub owner: Vec<Vec<Owner>>,
    /// Regexes that run only when the automaton found one of their literals.
    pub gated: Vec<bool>,
    /// The fewest ASCII digits a match of each regex holds: a post with
    /// fewer skips it (a year does not run the card and phone patterns).
    pub min_digits: Vec<u32>,
    /// How far a gated regex searches around its literals.
    pub search: Vec<GatedSearch>,
    /// The ungated regexes that need a digit, in order.
    pub digit_only: Vec<usize>,
    /// For an ungated regex, literals one of which is in every match: a
    /// text with none of them skips it.
    pub required: Vec<Option<Required>>,
    /// What must surround a gate literal for a match of the regex to hold it.
    pub gate_context: Vec<GateContext>,
    /// The group can match only in a text with a digit or one of these
    /// literals (`None`: any text).
    pub runs_when: Option<Vec<String>>,
    /// Regexes whose matches count only for rules that need other hits
    /// first ([`CompiledRule::needs`]) and that give none of those: they run
    /// after the others, and only for a rule whose needs the post meets.
    pub deferred: Vec<bool>,
}

struct Builder<'p> {
    policy: &'p Policy,
    diagnostics: Vec<Diagnostic>,
    phrase_index: HashMap<String, usize, FnvBuild>,
    phrase_texts: Vec<String>,
    phrase_roles: Vec<Vec<(u32, Role)>>,
    phrase_gates: Vec<Vec<u32>>,
    words: GroupBuilder,
    text: GroupBuilder,
    /// Compile every regex now and test it on ordinary posts (`lint`).
    thorough: bool,
    /// Each list as a regex alternation, by pack, name and view: lists such
    /// as the disease lexicon appear in many patterns.
    alternations: std::cell::RefCell<HashMap<(String, String, bool), Option<String>>>,
    /// The same lists as plain phrases, when they hold no regex entries:
    /// what a pattern's skeleton stands for.
    plain_lists: std::cell::RefCell<HashMap<ListKey, Option<Arc<Vec<String>>>>>,
    /// Each phrase in its words-view form.
    normalised: HashMap<String, String, FnvBuild>,
    /// Patterns whose parse is put off (see `analyse_pending`).
    pending: Vec<PendingAnalysis>,
    /// Parses running on other threads: how many, and their results.
    spawned: usize,
    analysed: (Sender<Analysed>, Receiver<Analysed>),
    empty_lists: BTreeSet<String>,
}

/// A pattern's group (words view or not), its index there, and what its parse said.
type Analysed = (bool, usize, Result<Analysis, Diagnostic>);

/// Compiles what can be compiled; `warnings` holds every problem, errors
/// included. `thorough` also compiles every regex up front and tests it for
/// breadth (for `lint`); otherwise regexes compile on first use.
pub fn compile(policy: &Policy, thorough: bool) -> Result<Compiled, PolicyError> {
    let resolution = entities::resolve(policy);
    let mut b = Builder {
        policy,
        diagnostics: resolution.diagnostics,
        empty_lists: resolution.empty,
        phrase_index: HashMap::default(),
        phrase_texts: Vec::new(),
        phrase_roles: Vec::new(),
        phrase_gates: Vec::new(),
        words: Default::default(),
        text: Default::default(),
        thorough,
        alternations: Default::default(),
        plain_lists: Default::default(),
        normalised: HashMap::default(),
        pending: Vec::new(),
        spawned: 0,
        analysed: std::sync::mpsc::channel(),
    };
    let rules = b.rules();
    b.analyse_pending();
    // Word patterns with a finite set of prefixes run only where the phrase
    // automaton saw one: most posts then pay for no regex at all.
    let mut gated = vec![false; b.words.sources.len()];
    for (i, literals) in std::mem::take(&mut b.words.literals)
        .into_iter()
        .enumerate()
    {
        if let Some(literals) = literals {
            for literal in literals {
                let index = b.pattern_index(literal);
                b.phrase_gates[index].push(i as u32);
            }
            gated[i] = true;
        }
    }
    let words = std::mem::take(&mut b.words);
    let mut words_regex = regex_group(words, gated);
    // A phrase counts only where it starts a word (see `on_word_boundary`),
    // and so does a gate literal whose pattern puts a boundary or a space
    // before it.
    let word_start = b
        .phrase_gates
        .iter()
        .map(|gates| {
            gates
                .iter()
                .all(|&g| words_regex.gate_context[g as usize].before != Edge::Any)
        })
        .collect();
    let mut phrases = PhraseSearch::new(std::mem::take(&mut b.phrase_texts), word_start);
    // `lint` proves the automaton builds; otherwise it is built when it pays.
    if thorough && let Err(e) = phrases.build_now(AhoCorasickKind::NoncontiguousNFA) {
        b.diagnostics.push(Diagnostic::error(
            &policy.source,
            0..0,
            format!("cannot build the phrase automaton: {e}"),
        ));
    }
    let text = std::mem::take(&mut b.text);
    let text_len = text.sources.len();
    // A post runs the text view only if it has a digit or a literal that one
    // of the text patterns without a digit requires.
    let text_literals: Option<Vec<String>> = (0..text_len)
        .filter(|&i| text.min_digits[i] == 0)
        .map(|i| text.literals[i].clone())
        .collect::<Option<Vec<Vec<String>>>>()
        .map(|sets| sets.into_iter().flatten().collect());
    let mut text_regex = regex_group(text, vec![false; text_len]);
    text_regex.runs_when = text_literals;
    let verbatim_rules = rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r.kind {
            RuleKind::Verbatim(check) => Some((i as u32, check)),
            _ => None,
        })
        .collect();
    let announced_at = policy
        .file
        .announcements
        .iter()
        .map(|a| {
            let date = a.date.get_ref();
            let at = if date.len() == 10 {
                time::sort_key(&format!("{date}T00:00:00Z"))
            } else {
                time::sort_key(date)
            };
            if at.is_none() {
                b.diagnostics.push(
                    Diagnostic::error(
                        &policy.source,
                        a.date.span(),
                        format!("announcement date `{date}` is not a date (2026-04-14 or an RFC 3339 time)"),
                    )
                    .with_code("policy.bad-date"),
                );
            }
            at
        })
        .collect();
    defer(&mut words_regex, &rules);
    defer(&mut text_regex, &rules);
    Ok(Compiled {
        announced_at,
        verbatim_rules,
        rules,
        phrases,
        phrase_roles: b.phrase_roles,
        phrase_gates: b.phrase_gates,
        words_regex,
        text_regex,
        warnings: b.diagnostics,
        empty_lists: b.empty_lists,
    })
}

impl Builder<'_> {
    fn rules(&mut self) -> Vec<CompiledRule> {
        let policy = self.policy;
        let overrides = &policy.file.rules;
        let mut seen: HashMap<String, (Arc<SourceFile>, std::ops::Range<usize>)> = HashMap::new();
        let mut rules = Vec::new();
        for (pack_index, pack) in policy.packs.iter().enumerate() {
            for def in &pack.file.rules {
                let id = def.id.get_ref().clone();
                if let Some((file, _)) = seen.get(&id) {
                    let message =
                        format!("duplicate rule id `{id}` (also defined in {})", file.name);
                    self.diagnostics.push(
                        Diagnostic::error(&pack.source, def.id.span(), message)
                            .with_code("policy.duplicate-rule"),
                    );
                    continue;
                }
                seen.insert(id.clone(), (Arc::clone(&pack.source), def.id.span()));
                if overrides.disable.iter().any(|d| d.get_ref() == &id) {
                    continue;
                }
                let severity = overrides
                    .severity
                    .iter()
                    .find(|(k, _)| k.get_ref() == &id)
                    .map_or(def.severity, |(_, s)| *s);
                let rule_index = rules.len() as u32;
                let kind = self.rule_kind(pack, def, rule_index);
                let at = def.id.span().start;
                let mut exceptions = Vec::new();
                for (n, u) in def.unless.iter().enumerate().take(usize::from(u8::MAX)) {
                    self.add_phrases(pack, at, &u.phrases, rule_index, Role::Exception(n as u8));
                    exceptions.push(Exception {
                        within: u.within,
                        scope: u.scope,
                        sentences: u.sentences,
                        side: u.side,
                    });
                }
                let context = def.context.as_ref().map(|c| {
                    self.add_phrases(pack, at, &c.phrases, rule_index, Role::Context);
                    (c.scope == Scope::Sentence).then_some(c.sentences)
                });
                if def.public_once_announced {
                    for (n, a) in policy
                        .file
                        .announcements
                        .iter()
                        .enumerate()
                        .take(usize::from(u16::MAX))
                    {
                        self.add_phrases(
                            pack,
                            at,
                            &a.phrases,
                            rule_index,
                            Role::Announcement(n as u16),
                        );
                    }
                }
                rules.push(CompiledRule {
                    id: id.into(),
                    category: def.category.as_str().into(),
                    severity,
                    message: def.message.as_str().into(),
                    suggestion: def.suggestion.as_deref().map(Into::into),
                    reference: Some(def.reference.as_str())
                        .filter(|r| !r.is_empty())
                        .map(Into::into),
                    why: def.why.clone(),
                    kind,
                    exceptions,
                    context,
                    public_once_announced: def.public_once_announced,
                    pack: pack_index,
                });
            }
        }
        // Overrides that name no rule are typos that would silently do nothing.
        let known: Vec<&str> = seen.keys().map(String::as_str).collect();
        let unknown = overrides
            .disable
            .iter()
            .map(|d| (d, "disabled"))
            .chain(overrides.severity.keys().map(|k| (k, "overridden")));
        for (name, what) in unknown {
            if !seen.contains_key(name.get_ref()) {
                let help = did_you_mean(name.get_ref(), known.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"));
                self.diagnostics.push(
                    Diagnostic::error(
                        &policy.source,
                        name.span(),
                        format!("{what} rule `{}` does not exist", name.get_ref()),
                    )
                    .with_help(help)
                    .with_code("policy.unknown-rule"),
                );
            }
        }
        rules
    }

    fn rule_kind(
        &mut self,
        pack: &Pack,
        def: &crate::policy::schema::RuleDef,
        rule: u32,
    ) -> RuleKind {
        let at = def.id.span().start;
        match &def.matcher {
            MatchDef::Phrases { phrases, variants } => {
                match variants {
                    Some(Variants::Codename) => {
                        let mut all = Vec::new();
                        for p in phrases {
                            for v in self.expand_or_report(pack, at, p, &|v| v.to_string()) {
                                all.extend(codename_variants(&v));
                            }
                        }
                        self.add_phrases(pack, at, &all, rule, Role::Hit);
                    }
                    None => self.add_phrases(pack, at, phrases, rule, Role::Hit),
                }
                RuleKind::Phrases
            }
            MatchDef::Near { a, b, within } => {
                self.add_phrases(pack, at, a, rule, Role::NearA);
                self.add_phrases(pack, at, b, rule, Role::NearB);
                RuleKind::Near { within: *within }
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
                self.add_phrases(pack, at, when, rule, Role::When);
                self.add_phrases(pack, at, cues, rule, Role::Cue);
                self.add_phrases(pack, at, alone, rule, Role::Alone);
                self.add_phrases(pack, at, accepted, rule, Role::Accepted);
                self.add_phrases(pack, at, ambiguous, rule, Role::Ambiguous);
                RuleKind::Requires {
                    check: *check,
                    cues: (!cues.is_empty()).then_some(*cue_sentences),
                }
            }
            MatchDef::Regex {
                patterns,
                view,
                validate,
                exempt,
            } => {
                for pattern in patterns {
                    self.add_regex(pack, at, pattern, *view, Owner::Rule(rule));
                }
                let mut exempt_values = Vec::new();
                for e in exempt {
                    exempt_values.extend(self.expand_or_report(pack, at, e, &|v| v.to_string()));
                }
                RuleKind::Regex(RegexRule {
                    validate: *validate,
                    exempt: exempt_values,
                })
            }
            MatchDef::Verbatim { check } => RuleKind::Verbatim(*check),
        }
    }

    fn lists<'a>(&'a self, pack: &'a Pack) -> Lists<'a> {
        Lists {
            entities: &self.policy.file.entities,
            pack: &pack.file.lists,
            empty: &self.empty_lists,
        }
    }

    /// Expands references; an unknown one is reported at the string in the pack.
    fn expand_or_report(
        &mut self,
        pack: &Pack,
        at: usize,
        s: &str,
        value: &dyn Fn(&str) -> String,
    ) -> Vec<String> {
        let lists = self.lists(pack);
        match expand(s, &lists, value, EXPANSION_LIMIT) {
            Ok(v) => v,
            Err(name) => {
                let names: Vec<&str> = lists.names().collect();
                let help = did_you_mean(&name, names.iter().copied())
                    .map(|s| format!("did you mean `{{{s}}}`?"))
                    .or_else(|| {
                        Some(format!(
                            "define `{name}` under [entities] in the policy or [lists] in the pack"
                        ))
                    });
                let span = pack
                    .source
                    .find(&format!("{{{name}}}"), at)
                    .unwrap_or(at..at);
                self.diagnostics.push(
                    Diagnostic::error(&pack.source, span, format!("unknown list `{{{name}}}`"))
                        .with_help(help)
                        .with_code("policy.unknown-list"),
                );
                Vec::new()
            }
        }
    }

    fn add_phrases(&mut self, pack: &Pack, at: usize, phrases: &[String], rule: u32, role: Role) {
        let mut literal = Vec::new();
        let mut patterns = Vec::new();
        for phrase in phrases {
            self.entries(pack, at, phrase, 0, &mut literal, &mut patterns);
        }
        for pattern in patterns {
            self.add_regex(pack, at, &pattern, View::Words, Owner::Hit(rule, role));
        }
        for (phrase, expanded) in literal {
            // The same list serves several rules and roles: normalise it once.
            let normal = match self.normalised.get(&expanded) {
                Some(n) => n.clone(),
                None => {
                    let n = normalise_phrase(&expanded);
                    self.normalised.insert(expanded.clone(), n.clone());
                    n
                }
            };
            if normal.is_empty() {
                let span = pack.source.find(&phrase, at).unwrap_or(at..at);
                self.diagnostics.push(
                    Diagnostic::warning(
                        &pack.source,
                        span,
                        format!("phrase `{expanded}` has no words and can never match"),
                    )
                    .with_code("policy.empty-phrase"),
                );
                continue;
            }
            // `#GuaranteedReturns` and `vitalume` are the squashed forms of
            // `guaranteed returns` and `Vita Lume`.
            let squashed: String = normal.chars().filter(|c| *c != ' ').collect();
            let multi_word = normal.contains(' ');
            self.add_pattern(normal, rule, role);
            if multi_word
                && squashed.chars().count() >= 6
                && squashed.chars().all(char::is_alphanumeric)
            {
                self.add_pattern(squashed, rule, role);
            }
        }
    }

    /// Sorts the strings a list entry stands for into literal phrases (with
    /// the entry they came from) and `/regex/` patterns; a whole-list
    /// reference (`"{cues}"`) may hold both.
    fn entries(
        &mut self,
        pack: &Pack,
        at: usize,
        entry: &str,
        depth: usize,
        literal: &mut Vec<(String, String)>,
        patterns: &mut Vec<String>,
    ) {
        if let Some(pattern) = regex_entry(entry) {
            patterns.push(pattern.to_string());
            return;
        }
        if depth < 4
            && let Some(name) = whole_reference(entry)
            && let Some(values) = self.lists(pack).get(name)
        {
            let values: Vec<String> = values.into_iter().map(str::to_string).collect();
            for v in values {
                self.entries(pack, at, &v, depth + 1, literal, patterns);
            }
            return;
        }
        for expanded in self.expand_or_report(pack, at, entry, &|v| v.to_string()) {
            literal.push((entry.to_string(), expanded));
        }
    }

    /// The automaton pattern for a text, added if new.
    fn pattern_index(&mut self, text: String) -> usize {
        if let Some(&index) = self.phrase_index.get(&text) {
            return index;
        }
        self.phrase_texts.push(text.clone());
        self.phrase_roles.push(Vec::new());
        self.phrase_gates.push(Vec::new());
        self.phrase_index.insert(text, self.phrase_texts.len() - 1);
        self.phrase_texts.len() - 1
    }

    fn add_pattern(&mut self, text: String, rule: u32, role: Role) {
        let index = self.pattern_index(text);
        let roles = &mut self.phrase_roles[index];
        if !roles.contains(&(rule, role)) {
            roles.push((rule, role));
        }
    }

    fn add_regex(
        &mut self,
        pack: &Pack,
        at: usize,
        pattern: &str,
        view: View,
        owner: Owner,
    ) -> Vec<usize> {
        let expanded = match self.regex_source(pack, pattern, view, 0) {
            Ok(Some(e)) => e,
            // A list left empty by the policy: the pattern can never match.
            Ok(None) => return Vec::new(),
            Err(_) => {
                self.expand_or_report(pack, at, pattern, &|v| v.to_string());
                return Vec::new();
            }
        };
        // Located only when there is a problem to report.
        let span = || locate(&pack.source, pattern, at);
        let group = if view == View::Words {
            &mut self.words
        } else {
            &mut self.text
        };
        // The same pattern in several rules (or roles) runs once.
        if let Some(i) = group.sources.iter().position(|p| *p == expanded) {
            group.owners[i].push(owner);
            return vec![i];
        }
        if view == View::Words
            && let Some(c) = unfolded_letter(pattern)
        {
            self.diagnostics.push(
                Diagnostic::warning(
                    &pack.source,
                    span(),
                    format!(
                        "`{c}` never occurs in the words view, which is lower case without accents"
                    ),
                )
                .with_help(Some(
                    "write the pattern in lower case, accents removed (`für` as `fur`)".into(),
                ))
                .with_code("policy.unfolded-pattern"),
            );
        }
        // The skeleton is enough to find the literals; `lint` parses (and
        // compiles) the whole pattern anyway.
        let skeleton = if self.thorough {
            None
        } else {
            self.skeleton(pack, pattern, view)
        };
        let parsed = skeleton.as_ref().map_or(expanded.as_str(), |(s, _)| s);
        // Most patterns of the built-in packs open on a group of plain
        // words: their literals are those words, with no parse at all. The
        // packs' tests compile every pattern, so a parse would find no error
        // in them; a pattern from a file is parsed, which checks its syntax.
        if pack.builtin
            && let Some((_, s)) = &skeleton
            && let Some(words) = leading_words(parsed)
        {
            let min = if view == View::Words { MIN_GATE_LEN } else { 1 };
            let set: Option<Vec<Vec<u8>>> = words
                .iter()
                .map(|w| s.literals(w.as_bytes()))
                .collect::<Option<Vec<_>>>()
                .map(|sets| sets.concat());
            if let Some(set) = set.filter(|set| usable_gates(set, min)) {
                let analysis = Analysis {
                    literals: set.into_iter().map(|l| String::from_utf8(l).ok()).collect(),
                    min_digits: 0,
                    search: if parsed.starts_with("\\b") {
                        GatedSearch::AtWordLiteral
                    } else {
                        GatedSearch::AtLiteral
                    },
                    required: None,
                    gate_context: GateContext::default(),
                    parsed: None,
                };
                let group = self.group(view);
                group.push(expanded.clone(), LazyRegex::new(expanded), owner, analysis);
                return vec![group.regexes.len() - 1];
            }
        }
        let lazy = LazyRegex::new(expanded.clone());
        let pending = PendingAnalysis {
            words_view: view == View::Words,
            index: 0,
            parsed: parsed.to_string(),
            whole: parsed == expanded,
            skeleton: skeleton.map(|(_, s)| s),
            file: Arc::clone(&pack.source),
            pattern: pattern.to_string(),
            at,
        };
        if self.thorough {
            let analysis = match pending.run() {
                Ok(analysis) => analysis,
                Err(problem) => {
                    self.diagnostics.push(problem);
                    return Vec::new();
                }
            };
            let re = match build_regex(&expanded, analysis.parsed.as_ref(), false, false) {
                Ok(re) => re,
                Err(e) => {
                    self.diagnostics
                        .push(invalid_regex(&pack.source, span(), &e.to_string()));
                    return Vec::new();
                }
            };
            if let Some(problem) = too_broad(&re, view) {
                self.diagnostics.push(problem(&pack.source, span()));
                return Vec::new();
            }
            let _ = lazy.light.set(Some(re));
            let group = self.group(view);
            group.push(expanded, lazy, owner, analysis);
            return vec![group.regexes.len() - 1];
        }
        // The parse runs on another core while the rules go on compiling (a
        // one-draft `check` spends a fifth of its time here); inside a rayon
        // pool, it waits for `analyse_pending` instead, so that a busy pool
        // cannot leave this thread waiting on work queued behind it.
        let group = self.group(view);
        group.push(expanded, lazy, owner, Analysis::default());
        let index = group.regexes.len() - 1;
        let pending = PendingAnalysis { index, ..pending };
        if rayon::current_thread_index().is_none() {
            let sender = self.analysed.0.clone();
            rayon::spawn(move || {
                let result = pending.run();
                let _ = sender.send((pending.words_view, pending.index, result));
            });
            self.spawned += 1;
        } else {
            self.pending.push(pending);
        }
        vec![index]
    }

    fn group(&mut self, view: View) -> &mut GroupBuilder {
        if view == View::Words {
            &mut self.words
        } else {
            &mut self.text
        }
    }

    /// Parses the patterns whose analysis was put off, in parallel, and
    /// records what each one's syntax says (or why it has none).
    fn analyse_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        let mut results: Vec<Analysed> = pending
            .par_iter()
            .map(|p| (p.words_view, p.index, p.run()))
            .collect();
        results.extend(self.analysed.1.iter().take(self.spawned));
        self.spawned = 0;
        // In pattern order, whichever thread finished first.
        results.sort_by_key(|(words, index, _)| (!words, *index));
        for (words_view, index, result) in results {
            match result {
                Ok(analysis) => {
                    let group = if words_view {
                        &mut self.words
                    } else {
                        &mut self.text
                    };
                    group.literals[index] = analysis.literals;
                    group.min_digits[index] = analysis.min_digits;
                    group.search[index] = analysis.search;
                    group.required[index] = analysis.required;
                    group.gate_context[index] = analysis.gate_context;
                    group.regexes[index].parsed = Mutex::new(analysis.parsed);
                }
                Err(problem) => self.diagnostics.push(problem),
            }
        }
    }
}

/// What a pattern's syntax says about where it can match.
#[derive(Default)]
struct Analysis {
    /// One of these is in every match (`None`: no usable set).
    literals: Option<Vec<String>>,
    /// The fewest ASCII digits a match holds.
    min_digits: u32,
    search: GatedSearch,
    /// A set of literals, however short, one of which is in every match.
    required: Option<Vec<Vec<u8>>>,
    gate_context: GateContext,
    /// The parse of the whole pattern, for its build (`None` when a skeleton
    /// was parsed).
    parsed: Option<Hir>,
}

/// A pattern waiting for its parse.
struct PendingAnalysis {
    words_view: bool,
    /// Its index in its group.
    index: usize,
    /// The skeleton (or the whole pattern, when it has none).
    parsed: String,
    /// `parsed` is the whole pattern.
    whole: bool,
    skeleton: Option<Skeleton>,
    /// Where the pattern is written, found only to report a problem.
    file: Arc<SourceFile>,
    pattern: String,
    at: usize,
}

/// Where a pattern is written in its pack, searching from `at`.
fn locate(file: &SourceFile, pattern: &str, at: usize) -> std::ops::Range<usize> {
    file.find(&pattern.replace('\\', "\\\\"), at)
        .or_else(|| file.find(pattern, at))
        .unwrap_or(at..at)
}

impl PendingAnalysis {
    fn run(&self) -> Result<Analysis, Diagnostic> {
        let hir = parser().parse(&self.parsed).map_err(|e| {
            let span = locate(&self.file, &self.pattern, self.at);
            invalid_regex(&self.file, span, &e.to_string())
        })?;
        // Words-view literals gate through the phrase automaton and must be
        // distinctive; a text-view literal is a cheap byte search, so `@` will do.
        let min = if self.words_view { MIN_GATE_LEN } else { 1 };
        let literal = |l: &[u8]| match &self.skeleton {
            Some(s) => s.literals(l),
            None => Some(vec![l.to_vec()]),
        };
        // A words-view pattern whose every match opens on one of a set of
        // literals searches only there, anchored; otherwise its rarest
        // required set gates a search of the sentence or the post.
        let opening = self
            .words_view
            .then(|| prefix_literals(&hir, &literal))
            .flatten()
            .filter(|set| usable_gates(set, min));
        let opens = opening.is_some();
        let (literals, search) = match opening {
            Some(set) if opens_on_word_boundary(&hir) => (Some(set), GatedSearch::AtWordLiteral),
            Some(set) => (Some(set), GatedSearch::AtLiteral),
            None => (
                required_literals(&hir, min, &literal),
                if opens_line(&hir) {
                    GatedSearch::LineStart
                } else if may_match_newline(&hir) {
                    GatedSearch::Post
                } else {
                    GatedSearch::Sentence
                },
            ),
        };
        let gate_context = match &literals {
            Some(set) if self.words_view && !opens => gate_context(&hir, set, &literal),
            _ => GateContext::default(),
        };
        let literals: Option<Vec<String>> =
            literals.and_then(|set| set.into_iter().map(|l| String::from_utf8(l).ok()).collect());
        let min_digits = min_digits(&hir);
        // Patterns that search every post get a prefilter of their own.
        let required = (literals.is_none() && min_digits == 0)
            .then(|| prefilter_literals(&hir, &literal))
            .flatten();
        Ok(Analysis {
            literals,
            min_digits,
            search,
            required,
            gate_context,
            parsed: self.whole.then_some(hir),
        })
    }
}

impl GroupBuilder {
    fn push(&mut self, source: String, regex: LazyRegex, owner: Owner, analysis: Analysis) {
        self.sources.push(source);
        self.regexes.push(regex);
        self.owners.push(vec![owner]);
        self.literals.push(analysis.literals);
        self.min_digits.push(analysis.min_digits);
        self.search.push(analysis.search);
        self.required.push(analysis.required);
        self.gate_context.push(analysis.gate_context);
    }
}

/// A regex that matches the empty string or most ordinary posts.
#[allow(clippy::type_complexity)]
fn too_broad(
    re: &Regex,
    view: View,
) -> Option<Box<dyn Fn(&Arc<SourceFile>, std::ops::Range<usize>) -> Diagnostic>> {
    if re.is_match(b"") {
        return Some(Box::new(|file, span| {
            Diagnostic::error(file, span, "regular expression matches the empty string")
                .with_code("policy.broad-regex")
        }));
    }
    let hits = ORDINARY_POSTS.iter().filter(|p| {
        let p = if view == View::Words {
            normalise_phrase(p)
        } else {
            p.to_string()
        };
        re.is_match(p.as_bytes())
    });
    (hits.count() * 2 > ORDINARY_POSTS.len()).then(
        || -> Box<dyn Fn(&Arc<SourceFile>, std::ops::Range<usize>) -> Diagnostic> {
            Box::new(|file, span| {
                Diagnostic::error(file, span, "regular expression matches nearly every post")
                    .with_help(Some(
                        "it matched most of a set of ordinary posts; anchor it on specific words"
                            .into(),
                    ))
                    .with_code("policy.broad-regex")
            })
        },
    )
}

fn invalid_regex(file: &Arc<SourceFile>, span: std::ops::Range<usize>, detail: &str) -> Diagnostic {
    let last = detail
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    Diagnostic::error(
        file,
        span,
        format!(
            "invalid regular expression: {}",
            last.trim().trim_start_matches("error: ")
        ),
    )
    .with_code("policy.invalid-regex")
}

impl Builder<'_> {
    /// A pattern with its references replaced: a list becomes one alternation
    /// of its values (phrases normalised and escaped, `/regex/` values as
    /// written), a `{:class}` its regular expression. `Ok(None)` when a
    /// referenced list is empty; `Err(name)` for an unknown reference.
    fn regex_source(
        &self,
        pack: &Pack,
        pattern: &str,
        view: View,
        depth: usize,
    ) -> Result<Option<String>, String> {
        let lists = self.lists(pack);
        let mut out = String::with_capacity(pattern.len());
        for piece in pattern_pieces(pattern) {
            let name = match piece {
                Piece::Text(text) => {
                    out.push_str(text);
                    continue;
                }
                Piece::List(name) => name,
            };
            let key = (
                pack.file.pack.id.clone(),
                name.to_string(),
                view == View::Words,
            );
            if let Some(cached) = self.alternations.borrow().get(&key) {
                match cached {
                    Some(alternation) => out.push_str(alternation),
                    None => return Ok(None),
                }
                continue;
            }
            let values = lists.get(name).ok_or_else(|| name.to_string())?;
            let mut alternatives = Vec::new();
            let mut plain = Some(Vec::new());
            for v in values {
                if let Some(inner) = regex_entry(v) {
                    plain = None;
                    if depth >= 4 {
                        return Err(name.to_string());
                    }
                    match self.regex_source(pack, inner, view, depth + 1)? {
                        Some(src) => alternatives.push(src),
                        None => continue,
                    }
                    continue;
                }
                for e in expand(v, &lists, &|x| x.to_string(), EXPANSION_LIMIT)? {
                    let e = if view == View::Words {
                        normalise_phrase(&e)
                    } else {
                        e
                    };
                    if !e.is_empty() {
                        alternatives.push(regex::escape(&e));
                        if let Some(plain) = plain.as_mut() {
                            plain.push(e);
                        }
                    }
                }
            }
            if alternatives.is_empty() {
                self.alternations.borrow_mut().insert(key, None);
                return Ok(None);
            }
            self.plain_lists
                .borrow_mut()
                .insert(key.clone(), plain.map(Arc::new));
            let alternation = format!("(?:{})", alternatives.join("|"));
            out.push_str(&alternation);
            self.alternations
                .borrow_mut()
                .insert(key, Some(alternation));
        }
        Ok(Some(out))
    }
}

impl Builder<'_> {
    /// The pattern with each `{list}` written as a placeholder word, and the
    /// phrases each placeholder stands for. Parsing this small pattern finds
    /// the same required literals as parsing the expanded one, at a fraction
    /// of the cost a one-draft `check` pays on every run. `None` when a list
    /// holds regex entries (or was never expanded).
    fn skeleton(&self, pack: &Pack, pattern: &str, view: View) -> Option<(String, Skeleton)> {
        let mut out = String::with_capacity(pattern.len());
        let mut lists = Vec::new();
        for piece in pattern_pieces(pattern) {
            let name = match piece {
                Piece::Text(text) => {
                    out.push_str(text);
                    continue;
                }
                Piece::List(name) => name,
            };
            let key = (
                pack.file.pack.id.clone(),
                name.to_string(),
                view == View::Words,
            );
            let phrases = self.plain_lists.borrow().get(&key)?.clone()?;
            out.push_str(&placeholder(lists.len()));
            lists.push(phrases);
        }
        Some((out, Skeleton { lists }))
    }
}

/// A piece of a word pattern: regex text (token classes already expanded)
/// or a `{list}` reference.
enum Piece<'a> {
    Text(&'a str),
    List(&'a str),
}

/// A pattern split at its `{list}` references; `{:class}` token classes
/// become their regex, and counted repetitions such as `{2,3}` stay text.
fn pattern_pieces(pattern: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        pieces.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 1..];
        let close = after.find('}');
        let name = close.map(|c| &after[..c]).unwrap_or("");
        if let Some(class) = name.strip_prefix(':').and_then(token_class) {
            pieces.extend([Piece::Text("(?:"), Piece::Text(class), Piece::Text(")")]);
            rest = &after[name.len() + 1..];
        } else if close.is_none() || references(&rest[open..open + name.len() + 2]).is_empty() {
            pieces.push(Piece::Text("{"));
            rest = after;
        } else {
            pieces.push(Piece::List(name));
            rest = &after[name.len() + 1..];
        }
    }
    pieces.push(Piece::Text(rest));
    pieces
}

/// What the placeholders of a pattern's skeleton stand for.
struct Skeleton {
    lists: Vec<Arc<Vec<String>>>,
}

const PLACEHOLDER_MARK: &str = "qqzx";

/// A word no phrase contains: `qqzx` + the index in letters + `xzqq`.
fn placeholder(mut i: usize) -> String {
    let mut out = String::from(PLACEHOLDER_MARK);
    loop {
        out.push((b'a' + (i % 26) as u8) as char);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    out.push_str("xzqq");
    out
}

impl Skeleton {
    /// The literals a skeleton literal stands for: every combination of its
    /// placeholders' phrases, or `None` past `MAX_GATES`.
    fn literals(&self, literal: &[u8]) -> Option<Vec<Vec<u8>>> {
        let mut out: Vec<Vec<u8>> = vec![Vec::new()];
        let mut rest = literal;
        while let Some(at) = find_bytes(rest, PLACEHOLDER_MARK.as_bytes()) {
            let after = &rest[at + PLACEHOLDER_MARK.len()..];
            let end = find_bytes(after, b"xzqq")?;
            let mut index = 0usize;
            for &b in after[..end].iter().rev() {
                index = index * 26 + usize::from(b - b'a');
            }
            let phrases = self.lists.get(index)?;
            if out.len() * phrases.len() > MAX_GATES {
                return None;
            }
            out = out
                .iter()
                .flat_map(|head| {
                    phrases.iter().map(move |p| {
                        let mut l = head.clone();
                        l.extend_from_slice(&rest[..at]);
                        l.extend_from_slice(p.as_bytes());
                        l
                    })
                })
                .collect();
            rest = &after[end + 4..];
        }
        for l in &mut out {
            l.extend_from_slice(rest);
        }
        Some(out)
    }
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A list as one pack and view see it: (pack id, list name, words view).
type ListKey = (String, String, bool);

/// A set of byte literals, one of which every match contains.
type Literals = Vec<Vec<u8>>;

/// `/pattern/` in a phrase list is a regular expression on the words view.
fn regex_entry(s: &str) -> Option<&str> {
    s.strip_prefix('/')
        .and_then(|r| r.strip_suffix('/'))
        .filter(|r| !r.is_empty())
}

/// `"{name}"` and nothing else.
fn whole_reference(s: &str) -> Option<&str> {
    let name = s.strip_prefix('{')?.strip_suffix('}')?;
    (references(s) == [name]).then_some(name)
}

/// Token classes a words-view pattern can use as `{:name}`. Words are lower
/// case and separated by one space, sentences by a newline; `%` and a leading
/// `$` stay on their number.
pub const TOKEN_CLASSES: &[(&str, &str, &str)] = &[
    ("w", r"[^ \n]+", "one word"),
    (
        "num",
        r"(?:\$|€|£)?\d+(?:[.,]\d+)*(?:k|m|mm|bn|b)?(?:%|€|£)?",
        "a number, with a `$`, `€`, `%` or k/m/bn if written",
    ),
    (
        "percent",
        r"\d+(?:[.,]\d+)?(?:%| percent| per cent| pct| pour cent| por ciento| prozent)",
        "a percentage: `12%`, `12.5 percent`",
    ),
    (
        "money",
        r"(?:\$|€|£)\d+(?:[.,]\d+)*(?:k|m|mm|bn|b)?|\d+(?:[.,]\d+)*(?:k|m|mm|bn|b)?(?:€|£| ?(?:dollars|usd|euros?|eur|million|billion|thousand|grand|millionen|mil|millones|mille))",
        "an amount of money: `$150k`, `2.4 million`, `500 euros`, `50 000 €`",
    ),
    ("year", r"(?:19|20)\d\d", "a year: `2027`"),
];

fn token_class(name: &str) -> Option<&'static str> {
    TOKEN_CLASSES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, re, _)| *re)
}

/// The spellings of a codename: as written, its leading generic word
/// abbreviated (`Proj. Nightjar`, `Prj Nightjar`, `P. Nightjar`), and every
/// `l` also as the `i` that a `1` reads as (`Kestre1`, `Nightjar` → no `l`).
fn codename_variants(name: &str) -> Vec<String> {
    const GENERIC: &[&str] = &["project", "operation", "program", "programme", "initiative"];
    let mut out = vec![name.to_string()];
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() >= 2 && GENERIC.contains(&words[0].to_lowercase().as_str()) {
        let rest = words[1..].join(" ");
        let first = words[0].to_lowercase();
        for short in [&first[..4.min(first.len())], &first[..1], "prj", "proj"] {
            out.push(format!("{short} {rest}"));
        }
        // `Nightjar Project`, `#nightjarproject`: the generic word after.
        out.push(format!("{rest} {}", words[0]));
    }
    // `Night-jar`, `night jar`: a long word written in two.
    let whole: Vec<String> = out.clone();
    for v in whole {
        let words: Vec<&str> = v.split_whitespace().collect();
        for (k, w) in words.iter().enumerate() {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() < 7 {
                continue;
            }
            for cut in 3..=chars.len() - 3 {
                let mut parts = words.clone();
                let split = format!(
                    "{} {}",
                    chars[..cut].iter().collect::<String>(),
                    chars[cut..].iter().collect::<String>()
                );
                parts[k] = &split;
                out.push(parts.join(" "));
            }
        }
    }
    // `0rca`: a digit for the first letter, which leetspeak between letters
    // does not read.
    let first: Vec<String> = out.clone();
    for v in first {
        let lower = v.to_lowercase();
        let digit = match lower.chars().next() {
            Some('o') => '0',
            Some('l') | Some('i') => '1',
            Some('e') => '3',
            Some('a') => '4',
            Some('s') => '5',
            _ => continue,
        };
        out.push(format!("{digit}{}", &lower[1..]));
    }
    let with_l: Vec<String> = out.clone();
    for v in with_l {
        let lower = v.to_lowercase();
        if lower.contains('l') && lower.matches('l').count() <= 3 {
            // Between letters a `1` reads as `i`; at a word's end it stays `1`.
            out.push(lower.replace('l', "i"));
            out.push(lower.replace('l', "1"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A letter a words-view pattern can never meet: upper case (outside an
/// escape such as `\b`) or accented.
fn unfolded_letter(pattern: &str) -> Option<char> {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if c.is_uppercase() || (c.is_alphabetic() && !c.is_ascii()) {
            return Some(c);
        }
    }
    None
}

const MIN_GATE_LEN: usize = 3;
const MAX_GATES: usize = 256;

/// The alternatives of a pattern that opens on `\b(?:word|word …)` (or
/// `(?:…)`) of plain words and placeholders: every match starts with one.
fn leading_words(pattern: &str) -> Option<Vec<&str>> {
    let rest = pattern.strip_prefix("\\b").unwrap_or(pattern);
    let body = rest.strip_prefix("(?:")?;
    let end = body.find(')')?;
    let group = &body[..end];
    let plain = |w: &str| {
        !w.is_empty()
            && w.bytes().all(|b| {
                b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || matches!(b, b' ' | b'\'' | b'-' | b'&' | b'@' | b'#' | b'%')
            })
    };
    let words: Vec<&str> = group.split('|').collect();
    // `(?:a|b)?` or `(?:a|b)*` is optional; `(?:a|b){2}` is not worth the case.
    let tail = &body[end + 1..];
    let optional = matches!(tail.chars().next(), Some('?' | '*' | '{'));
    (words.iter().all(|w| plain(w)) && !optional && !top_level_alternation(tail)).then_some(words)
}

/// A `|` outside every group and class: the pattern has another way to match.
fn top_level_alternation(pattern: &str) -> bool {
    let (mut depth, mut class, mut escaped) = (0usize, false, false);
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' if !class => class = true,
            ']' if class => class = false,
            '(' if !class => depth += 1,
            ')' if !class => depth = depth.saturating_sub(1),
            '|' if !class && depth == 0 => return true,
            _ => {}
        }
    }
    false
}

fn usable_gates(set: &[Vec<u8>], min: usize) -> bool {
    !set.is_empty()
        && set.len() <= MAX_GATES
        && set.iter().all(|l| {
            let core = l.trim_ascii();
            // A short word is common; two characters with a digit or a
            // symbol (`#1`, `5%`) are as rare as a longer one.
            let distinctive = core.len() >= min
                || (core.len() >= 2
                    && core
                        .iter()
                        .any(|&b| b.is_ascii_digit() || matches!(b, b'@' | b'#' | b'$' | b'%')));
            // A lone `.` or `,` is in nearly every post: no gate at all.
            distinctive && (core.len() > 1 || matches!(core[0], b'@' | b'#' | b'$' | b'%'))
        })
}

/// The literals every match of `hir` starts with (`None`: it may start
/// otherwise, or with nothing).
fn prefix_literals(
    hir: &regex_syntax::hir::Hir,
    literal: &dyn Fn(&[u8]) -> Option<Literals>,
) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Literal(l) => literal(&l.0),
        HirKind::Capture(c) => prefix_literals(&c.sub, literal),
        HirKind::Repetition(r) if r.min >= 1 => prefix_literals(&r.sub, literal),
        // What opens the first part that reads a character (`\b` reads none).
        HirKind::Concat(parts) => {
            let first = parts
                .iter()
                .find(|p| !matches!(p.kind(), HirKind::Look(_)))?;
            prefix_literals(first, literal)
        }
        HirKind::Alternation(branches) => union_of(branches, |b| prefix_literals(b, literal)),
        _ => None,
    }
}

/// Literals one of which every match of a words-view pattern contains, so
/// that a post with none of them cannot match: the best required set of the
/// pattern's parts (a concatenation needs each of its parts; an alternation
/// one of its branches), when its literals are few and at least three bytes.
fn required_literals(
    hir: &regex_syntax::hir::Hir,
    min: usize,
    literal: &dyn Fn(&[u8]) -> Option<Literals>,
) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::HirKind;
    let usable = |set: &Vec<Vec<u8>>| usable_gates(set, min);
    let set = match hir.kind() {
        HirKind::Literal(l) => literal(&l.0),
        HirKind::Capture(c) => required_literals(&c.sub, min, literal),
        HirKind::Repetition(r) if r.min >= 1 => required_literals(&r.sub, min, literal),
        // The part whose literals are longest and fewest.
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(|p| required_literals(p, min, literal))
            .filter(usable)
            .max_by_key(|set| best_literals(set)),
        HirKind::Alternation(branches) => {
            union_of(branches, |b| required_literals(b, min, literal))
        }
        _ => None,
    }?;
    usable(&set).then_some(set)
}

/// The literals of every branch, or `None` when a branch has none.
fn union_of(
    branches: &[regex_syntax::hir::Hir],
    each: impl Fn(&regex_syntax::hir::Hir) -> Option<Literals>,
) -> Option<Literals> {
    let mut all = Vec::new();
    for b in branches {
        all.extend(each(b)?);
    }
    all.sort();
    all.dedup();
    Some(all)
}

/// Ranks literal sets: longest shortest literal, then fewest.
fn best_literals(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(0).min(8);
    (shortest, std::cmp::Reverse(set.len()))
}

/// Like [`required_literals`] with no length floor, but joining parts that
/// match only a few strings each (` ` then `(?:com|io)` is ` com`, ` io`):
/// a byte prefilter for a regex, never gates for the automaton.
fn prefilter_literals(
    hir: &regex_syntax::hir::Hir,
    literal: &dyn Fn(&[u8]) -> Option<Literals>,
) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::HirKind;
    let HirKind::Concat(parts) = hir.kind() else {
        return required_literals(hir, 1, literal);
    };
    let mut candidates: Vec<Vec<Vec<u8>>> = parts
        .iter()
        .filter_map(|p| required_literals(p, 1, literal))
        .collect();
    let mut run: Option<Vec<Vec<u8>>> = None;
    for part in parts {
        run = match (run.take(), exact_literals(part, literal)) {
            (Some(before), Some(next)) if before.len() * next.len() <= MAX_GATES => Some(
                before
                    .iter()
                    .flat_map(|b| next.iter().map(move |n| [b.as_slice(), n].concat()))
                    .collect(),
            ),
            (before, next) => {
                candidates.extend(before);
                next
            }
        };
    }
    candidates.extend(run);
    candidates
        .into_iter()
        .filter(|set| usable_gates(set, 1))
        .max_by_key(|set| best_literals(set))
}

/// Every string `hir` matches, when it matches only literals.
fn exact_literals(
    hir: &regex_syntax::hir::Hir,
    literal: &dyn Fn(&[u8]) -> Option<Literals>,
) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Literal(l) => literal(&l.0),
        HirKind::Capture(c) => exact_literals(&c.sub, literal),
        HirKind::Alternation(branches) => {
            union_of(branches, |b| exact_literals(b, literal)).filter(|all| all.len() <= MAX_GATES)
        }
        _ => None,
    }
}

fn regex_group(mut group: GroupBuilder, gated: Vec<bool>) -> RegexGroup {
    for (i, regex) in group.regexes.iter_mut().enumerate() {
        regex.prefilter = !gated[i] && group.min_digits[i] == 0;
    }
    // A few short literals are a cheap byte search; more, or one byte that
    // is in every other post, would cost what they save.
    let required = group
        .required
        .into_iter()
        .enumerate()
        .map(|(i, set)| {
            let set = set.filter(|set| {
                !gated[i]
                    && set.len() <= 16
                    && set
                        .iter()
                        .all(|l| l.trim_ascii().len() >= 2 || l.first() == Some(&b'$'))
            })?;
            match set.as_slice() {
                [one] if one.len() == 1 => Some(Required::Byte(one[0])),
                _ => AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&set)
                    .ok()
                    .map(Required::Literals),
            }
        })
        .collect();
    let min_digits = group.min_digits;
    let search = group.search;
    let digit_only = (0..min_digits.len())
        .filter(|&i| min_digits[i] > 0 && !gated[i])
        .collect();
    let in_set: Vec<usize> = (0..group.sources.len())
        .filter(|&i| !gated[i] && min_digits[i] == 0)
        .collect();
    // A few patterns run faster alone, each with its own literal prefilter,
    // than as a set that must try every one at every byte.
    let set = (in_set.len() > SET_THRESHOLD).then(|| LazySet {
        sources: in_set.iter().map(|&i| group.sources[i].clone()).collect(),
        compiled: OnceLock::new(),
    });
    RegexGroup {
        set,
        in_set,
        regexes: group.regexes,
        owner: group.owners,
        gated,
        min_digits,
        search,
        digit_only,
        required,
        gate_context: group.gate_context,
        runs_when: None,
        deferred: Vec::new(),
    }
}

/// Literals one of which every match of an ungated regex holds.
pub enum Required {
    /// A single byte (`$`): a byte search, not an automaton.
    Byte(u8),
    Literals(AhoCorasick),
}

impl Required {
    pub fn in_text(&self, text: &[u8]) -> bool {
        match self {
            Required::Byte(b) => text.contains(b),
            Required::Literals(literals) => literals.is_match(text),
        }
    }
}

/// Marks the regexes of `group` that can wait (see [`RegexGroup::deferred`]).
fn defer(group: &mut RegexGroup, rules: &[CompiledRule]) {
    let waits = |owner: &Owner| {
        let needs = rules[owner.rule() as usize]
            .needs()
            .fold(0, |all, need| all | need);
        let gives = match *owner {
            Owner::Rule(_) => 0,
            Owner::Hit(_, role) => role.need_bit(),
        };
        needs != 0 && gives & needs == 0
    };
    group.deferred = group
        .owner
        .iter()
        .map(|owners| !owners.is_empty() && owners.iter().all(waits))
        .collect();
}

/// What a match needs on one side of a gate literal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Edge {
    #[default]
    Any,
    /// A word boundary (`\b`).
    Boundary,
    /// A space.
    Space,
}

/// What must surround a gate literal for a match to hold it: a literal
/// list written as ` (?:plan|budget)\b` holds no `plan` inside `explanation`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GateContext {
    pub before: Edge,
    pub after: Edge,
}

impl GateContext {
    /// Whether the literal found at `start..end` of `text` stands where a
    /// match could hold it.
    pub fn holds(self, text: &[u8], start: usize, end: usize) -> bool {
        let word = |k: usize| {
            text.get(k)
                .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        };
        let before = match self.before {
            Edge::Any => true,
            Edge::Boundary => (start > 0 && word(start - 1)) != word(start),
            Edge::Space => start > 0 && text[start - 1] == b' ',
        };
        before
            && match self.after {
                Edge::Any => true,
                Edge::Boundary => (end > 0 && word(end - 1)) != word(end),
                Edge::Space => text.get(end) == Some(&b' '),
            }
    }
}

/// The context of the gate literals `set` when they are exactly what one
/// part of the pattern's top-level sequence matches.
fn gate_context(
    hir: &regex_syntax::hir::Hir,
    set: &[Vec<u8>],
    literal: &dyn Fn(&[u8]) -> Option<Literals>,
) -> GateContext {
    use regex_syntax::hir::{Hir, HirKind, Look};
    let HirKind::Concat(parts) = hir.kind() else {
        return GateContext::default();
    };
    let exact = |p: &Hir| {
        exact_literals(p, literal).map(|mut l| {
            l.sort();
            l.dedup();
            l
        })
    };
    let Some(i) = parts.iter().position(|p| exact(p).as_deref() == Some(set)) else {
        return GateContext::default();
    };
    // The part before must end with a space for `Space`, the part after
    // start with one.
    let edge = |part: Option<&Hir>, before: bool| match part.map(Hir::kind) {
        Some(HirKind::Look(Look::WordAscii)) => Edge::Boundary,
        Some(HirKind::Literal(l))
            if (if before { l.0.last() } else { l.0.first() }) == Some(&b' ') =>
        {
            Edge::Space
        }
        _ => Edge::Any,
    };
    GateContext {
        before: edge(i.checked_sub(1).and_then(|k| parts.get(k)), true),
        after: edge(parts.get(i + 1), false),
    }
}

/// Whether `hir` opens on `\b`, so that every match starts on a word boundary.
fn opens_on_word_boundary(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{HirKind, Look};
    match hir.kind() {
        HirKind::Concat(parts) => {
            matches!(
                parts.first().map(|p| p.kind()),
                Some(HirKind::Look(Look::WordAscii))
            )
        }
        _ => false,
    }
}

/// Whether every match of `hir` opens the text or starts with a newline.
fn opens_line(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{HirKind, Look};
    match hir.kind() {
        HirKind::Look(Look::Start) => true,
        HirKind::Literal(l) => l.0.first() == Some(&b'\n'),
        HirKind::Capture(c) => opens_line(&c.sub),
        HirKind::Repetition(r) => r.min >= 1 && opens_line(&r.sub),
        HirKind::Concat(parts) => parts.first().is_some_and(opens_line),
        HirKind::Alternation(branches) => branches.iter().all(opens_line),
        _ => false,
    }
}

/// Whether a match of a pattern may contain a newline, which in the words
/// view ends a sentence.
fn may_match_newline(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(l) => l.0.contains(&b'\n'),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| (r.start()..=r.end()).contains(&b'\n')),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| (r.start()..=r.end()).contains(&'\n')),
        HirKind::Capture(c) => may_match_newline(&c.sub),
        HirKind::Repetition(r) => may_match_newline(&r.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(may_match_newline),
    }
}

/// The fewest ASCII digits a match of a pattern holds (phone numbers,
/// amounts, ids): most posts have none, or too few, and skip such patterns.
fn min_digits(hir: &regex_syntax::hir::Hir) -> u32 {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Literal(l) => l.0.iter().filter(|b| b.is_ascii_digit()).count() as u32,
        HirKind::Class(Class::Bytes(c)) => u32::from(
            c.ranges()
                .iter()
                .all(|r| r.start() >= b'0' && r.end() <= b'9'),
        ),
        HirKind::Class(Class::Unicode(c)) => u32::from(
            c.ranges()
                .iter()
                .all(|r| r.start() >= '0' && r.end() <= '9'),
        ),
        HirKind::Capture(c) => min_digits(&c.sub),
        HirKind::Repetition(r) => r.min.saturating_mul(min_digits(&r.sub)),
        HirKind::Concat(parts) => parts
            .iter()
            .fold(0, |all, part| all.saturating_add(min_digits(part))),
        HirKind::Alternation(branches) => branches.iter().map(min_digits).min().unwrap_or(0),
        HirKind::Empty | HirKind::Look(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::{Edge, GateContext, gate_context, min_digits, parser, usable_gates};

    #[test]
    fn min_digits_counts_the_digits_every_match_holds() {
        for (pattern, want) in [
            (r"\b\d{3}-\d{2}-\d{4}\b", 9),
            (r"(?:\+1 )?\(?\d{3}\)? ?\d{3}-\d{4}", 10),
            (r"\bq[1-4] 20\d\d\b", 5),
            (r"(?:\d{4}|fy\d{2})", 2),
            (r"\d+(?:\.\d+)?%", 1),
            (r"[0-9a-f]{8}", 0),
            (r"(?:up|down) \d*", 0),
        ] {
            let hir = parser().parse(pattern).unwrap();
            assert_eq!(min_digits(&hir), want, "{pattern}");
        }
    }

    fn context_of(pattern: &str, set: &[&str]) -> GateContext {
        let hir = parser().parse(pattern).unwrap();
        let mut set: Vec<Vec<u8>> = set.iter().map(|l| l.as_bytes().to_vec()).collect();
        set.sort();
        gate_context(&hir, &set, &|l| Some(vec![l.to_vec()]))
    }

    #[test]
    fn short_gate_literals_count_only_with_a_digit_or_a_symbol() {
        let usable = |set: &[&str], min: usize| {
            let set: Vec<Vec<u8>> = set.iter().map(|l| l.as_bytes().to_vec()).collect();
            usable_gates(&set, min)
        };
        // The words view's floor of three characters.
        assert!(usable(&["#1", "number one"], 3));
        assert!(usable(&["5%"], 3));
        assert!(usable(&["fund", "funds"], 3));
        // Two letters are a common word; one symbol is too short.
        assert!(!usable(&["#1", "no"], 3));
        assert!(!usable(&["a."], 3));
        assert!(!usable(&["$"], 3));
        // The text view takes a lone symbol, never a lone `.` or `,`.
        assert!(usable(&["$"], 1));
        assert!(!usable(&[","], 1));
    }

    #[test]
    fn gate_literals_keep_the_edges_the_pattern_gives_them() {
        let c = context_of(
            r"\b(?:sales|growth)(?: [^ \n]+){0,4} (?:plan|budget)\b",
            &["budget", "plan"],
        );
        assert_eq!((c.before, c.after), (Edge::Space, Edge::Boundary));
        let text = b"sales are ahead of plan. an explanation of the budgets";
        let at = |w: &[u8]| text.windows(w.len()).position(|x| x == w).unwrap();
        assert!(c.holds(text, at(b"plan."), at(b"plan.") + 4));
        assert!(!c.holds(text, at(b"planation"), at(b"planation") + 4));
        assert!(!c.holds(text, at(b"budgets"), at(b"budgets") + 6));
        // Inside a group, or with something optional around it: no edge.
        let c = context_of(r"(?:up|down)?(?:plan|budget)s", &["budget", "plan"]);
        assert_eq!((c.before, c.after), (Edge::Any, Edge::Any));
    }
}
