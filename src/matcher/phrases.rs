//! Every occurrence of every policy phrase in a words view.
//!
//! A batch scan searches with an Aho-Corasick automaton built once. A
//! one-draft `check` would spend most of its time building that automaton
//! (thousands of phrases) to search a few hundred bytes, so short texts are
//! searched phrase by phrase through an index of the text's own byte pairs,
//! until enough texts have been checked that the automaton pays for itself.
//!
//! Most phrases count only where they start a word. The automaton is fed a
//! marker byte after every byte that is not a letter or digit, and those
//! phrases carry the marker in front: it never follows them into the middle
//! of a word, where a large dictionary of words keeps it in deep states that
//! miss the cache, and it reports a third of the occurrences it would.

use aho_corasick::automaton::Automaton;
use aho_corasick::{AhoCorasickKind, Anchored, MatchKind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Texts longer than this are searched with the automaton: the direct search
/// grows with phrases × text, the automaton's only with the text.
const DIRECT_MAX_BYTES: usize = 4096;
/// Texts searched directly before the automaton is built: building it costs
/// about as much as searching this many short texts phrase by phrase.
const DIRECT_MAX_TEXTS: usize = 64;

pub struct PhraseSearch {
    texts: Vec<String>,
    /// Texts that count only where they start a word: at the start of the
    /// text or after a byte that is not an ASCII letter or digit.
    word_start: Vec<bool>,
    automaton: OnceLock<Option<Searcher>>,
    /// Texts searched directly so far.
    direct: AtomicUsize,
}

impl PhraseSearch {
    /// Phrases searched directly until an automaton pays off; `word_start`
    /// marks, by index, the texts wanted only where they start a word (it
    /// applies to those that open on an ASCII letter or digit).
    pub fn new(texts: Vec<String>, word_start: Vec<bool>) -> PhraseSearch {
        debug_assert_eq!(texts.len(), word_start.len());
        let word_start = texts
            .iter()
            .zip(word_start)
            .map(|(t, w)| w && t.bytes().next().is_some_and(|b| !splits_words(b)))
            .collect();
        PhraseSearch {
            texts,
            word_start,
            automaton: OnceLock::new(),
            direct: AtomicUsize::new(0),
        }
    }

    /// Builds the automaton now, of the given kind (a batch scan pays for
    /// the fastest search once).
    pub fn build_now(&mut self, kind: AhoCorasickKind) -> Result<(), aho_corasick::BuildError> {
        let automaton = Searcher::build(&self.texts, &self.word_start, kind)?;
        self.automaton = OnceLock::from(automaton);
        Ok(())
    }

    /// Whether the automaton was built (or tried): the engine searches many
    /// texts, or a long one.
    pub fn automaton_built(&self) -> bool {
        self.automaton.get().is_some()
    }

    /// The phrases, by pattern index.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// Calls `found(pattern, start, end)` for every occurrence of every
    /// phrase in `text`, overlapping ones included, in no particular order;
    /// for a `word_start` phrase, only the occurrences that start a word.
    pub fn for_each(&self, text: &str, found: impl FnMut(usize, usize, usize)) {
        if self.texts.is_empty() {
            return;
        }
        let automaton = match self.automaton.get() {
            Some(built) => built.as_ref(),
            None if text.len() > DIRECT_MAX_BYTES
                || self.direct.fetch_add(1, Ordering::Relaxed) >= DIRECT_MAX_TEXTS =>
            {
                // A build that fails (a lexicon too large for the automaton's
                // state ids) leaves the direct search: slower, as exact.
                self.automaton
                    .get_or_init(|| {
                        Searcher::build(
                            &self.texts,
                            &self.word_start,
                            AhoCorasickKind::NoncontiguousNFA,
                        )
                        .ok()
                        .flatten()
                    })
                    .as_ref()
            }
            None => None,
        };
        match automaton {
            Some(automaton) => automaton.for_each(text, &self.texts, found),
            None => self.search_directly(text, found),
        }
    }

    /// The direct search, automaton or not.
    pub(super) fn search_directly(&self, text: &str, mut found: impl FnMut(usize, usize, usize)) {
        let bytes = text.as_bytes();
        // Every position keyed by the two bytes it starts with, sorted: the
        // places a phrase can start are one run of it.
        let mut starts: Vec<(u16, u32)> = (0..bytes.len())
            .map(|i| (pair(bytes, i), i as u32))
            .collect();
        starts.sort_unstable();
        for (p, phrase) in self.texts.iter().enumerate() {
            let pb = phrase.as_bytes();
            let (low, high) = match pb {
                // An empty phrase (compile warns of one and leaves it out)
                // is found nowhere, by either search.
                [] => continue,
                [one] => (u16::from(*one) << 8, u16::from(*one) << 8 | 0xFF),
                _ => (pair(pb, 0), pair(pb, 0)),
            };
            let word_start = self.word_start[p];
            let from = starts.partition_point(|&(k, _)| k < low);
            for &(k, at) in &starts[from..] {
                if k > high {
                    break;
                }
                let at = at as usize;
                if word_start && at > 0 && !splits_words(bytes[at - 1]) {
                    continue;
                }
                if bytes[at..].starts_with(pb) {
                    found(p, at, at + pb.len());
                }
            }
        }
    }
}

/// The byte at `i` and the one after it (0 past the end).
fn pair(bytes: &[u8], i: usize) -> u16 {
    u16::from(bytes[i]) << 8 | u16::from(bytes.get(i + 1).copied().unwrap_or(0))
}

/// Fed to the automaton after every byte that splits words; never in UTF-8.
const MARK: u8 = 0xFF;

/// A byte after which a word can start: anything but an ASCII letter or
/// digit. Wider than the engine's own boundaries (space, newline, `#`, `@`,
/// `$`, and `\b` for gates), which it still checks on what is found.
fn splits_words(b: u8) -> bool {
    !b.is_ascii_alphanumeric()
}

/// A phrase as the automaton sees it: [`MARK`] after every byte that splits
/// words, and in front when it counts only at the start of a word.
fn marked(text: &str, word_start: bool) -> Vec<u8> {
    if text.is_empty() {
        // Two markers in a row are never fed: an empty phrase matches nowhere.
        return vec![MARK, MARK];
    }
    let mut out = Vec::with_capacity(text.len() + 4);
    if word_start {
        out.push(MARK);
    }
    for b in text.bytes() {
        out.push(b);
        if splits_words(b) {
            out.push(MARK);
        }
    }
    out
}

/// The phrase automaton of a batch scan, searched byte by byte so that the
/// marker can be fed between a text's bytes without copying the text.
enum Searcher {
    Dfa(aho_corasick::dfa::DFA),
    Contiguous(aho_corasick::nfa::contiguous::NFA),
    Noncontiguous(aho_corasick::nfa::noncontiguous::NFA),
}

impl Searcher {
    fn build(
        phrases: &[String],
        word_start: &[bool],
        kind: AhoCorasickKind,
    ) -> Result<Option<Searcher>, aho_corasick::BuildError> {
        if phrases.is_empty() {
            return Ok(None);
        }
        let patterns: Vec<Vec<u8>> = phrases
            .iter()
            .zip(word_start)
            .map(|(p, &w)| marked(p, w))
            .collect();
        // No prefilter: it would skip ahead in the text, past the markers.
        Ok(Some(match kind {
            AhoCorasickKind::DFA => Searcher::Dfa(
                aho_corasick::dfa::Builder::new()
                    .match_kind(MatchKind::Standard)
                    .prefilter(false)
                    .build(&patterns)?,
            ),
            AhoCorasickKind::ContiguousNFA => Searcher::Contiguous(
                aho_corasick::nfa::contiguous::Builder::new()
                    .match_kind(MatchKind::Standard)
                    .prefilter(false)
                    .build(&patterns)?,
            ),
            _ => Searcher::Noncontiguous(
                aho_corasick::nfa::noncontiguous::Builder::new()
                    .match_kind(MatchKind::Standard)
                    .prefilter(false)
                    .build(&patterns)?,
            ),
        }))
    }

    fn for_each(&self, text: &str, phrases: &[String], found: impl FnMut(usize, usize, usize)) {
        match self {
            Searcher::Dfa(a) => search(a, text, phrases, found),
            Searcher::Contiguous(a) => search(a, text, phrases, found),
            Searcher::Noncontiguous(a) => search(a, text, phrases, found),
        }
    }
}

/// Every occurrence in `text` (with markers fed where words can start) of
/// the automaton's phrases, overlapping ones included.
fn search<A: Automaton>(
    automaton: &A,
    text: &str,
    phrases: &[String],
    mut found: impl FnMut(usize, usize, usize),
) {
    // An unanchored search of an automaton built without a prefilter
    // has a start state; it cannot fail.
    let Ok(mut state) = automaton.start_state(Anchored::No) else {
        return;
    };
    // Match states are special states (the automaton has no prefilter, so
    // its start state is not one): one comparison a byte in the common case.
    let mut report = |state, end: usize| {
        if automaton.is_match(state) {
            for i in 0..automaton.match_len(state) {
                let p = automaton.match_pattern(state, i).as_usize();
                found(p, end - phrases[p].len(), end);
            }
        }
    };
    // The start of the text is where a word can start.
    state = automaton.next_state(Anchored::No, state, MARK);
    if automaton.is_special(state) {
        report(state, 0);
    }
    for (i, &b) in text.as_bytes().iter().enumerate() {
        state = automaton.next_state(Anchored::No, state, b);
        if automaton.is_special(state) {
            report(state, i + 1);
        }
        if splits_words(b) {
            state = automaton.next_state(Anchored::No, state, MARK);
            if automaton.is_special(state) {
                report(state, i + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(search: &PhraseSearch, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        search.for_each(text, |p, s, e| out.push((p, s, e)));
        out.sort_unstable();
        out
    }

    #[test]
    fn direct_search_finds_what_the_automaton_finds() {
        let phrases: Vec<String> = [
            "a",
            "aa",
            "guarant",
            "guaranteed returns",
            "returns",
            "s",
            "x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let direct = PhraseSearch::new(phrases.clone(), vec![false; phrases.len()]);
        let mut built = PhraseSearch::new(phrases.clone(), vec![false; phrases.len()]);
        built.build_now(AhoCorasickKind::DFA).unwrap();
        for text in [
            "",
            "a",
            "aaa",
            "guaranteed returns, guaranteed\nreturns",
            "xs s",
            "é aa",
        ] {
            let want = all(&built, text);
            assert_eq!(all(&direct, text), want, "{text:?}");
        }
        assert_eq!(
            all(&direct, "aaa"),
            [(0, 0, 1), (0, 1, 2), (0, 2, 3), (1, 0, 2), (1, 1, 3)]
        );
    }

    /// Phrases wanted only at the start of a word are found there by every
    /// kind of automaton and by the direct search, and nowhere else; the
    /// others everywhere, as before.
    #[test]
    fn word_start_phrases_are_found_only_where_a_word_starts() {
        let phrases: Vec<String> = [
            "plan", "plan", "an", "#ad", " plan", "ré", "é", "n b", "b", "ab ", "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let word_start = vec![
            true, false, true, true, true, true, true, true, true, true, false,
        ];
        let text = "plan explanation #ad #plan\nplan é ré-plan an b ab ab";
        let bytes = text.as_bytes();
        let mut want = Vec::new();
        for (p, phrase) in phrases.iter().enumerate() {
            // The empty phrase is found nowhere.
            for (at, _) in text
                .match_indices(phrase.as_str())
                .filter(|_| !phrase.is_empty())
            {
                let opens_word = phrase.as_bytes()[0].is_ascii_alphanumeric();
                if !(word_start[p] && opens_word)
                    || at == 0
                    || !bytes[at - 1].is_ascii_alphanumeric()
                {
                    want.push((p, at, at + phrase.len()));
                }
            }
        }
        want.sort_unstable();
        // Mid-word occurrences are left out: `plan` in `explanation`.
        assert!(!want.contains(&(0, 7, 11)) && want.contains(&(1, 7, 11)));
        assert!(want.contains(&(0, 22, 26)) && want.contains(&(3, 17, 20)));
        // `é` does not open on an ASCII letter: it is found inside `ré`.
        assert!(want.contains(&(6, 36, 38)));
        let direct = PhraseSearch::new(phrases.clone(), word_start.clone());
        assert_eq!(all(&direct, text), want, "direct");
        for kind in [
            AhoCorasickKind::DFA,
            AhoCorasickKind::ContiguousNFA,
            AhoCorasickKind::NoncontiguousNFA,
        ] {
            let mut built = PhraseSearch::new(phrases.clone(), word_start.clone());
            built.build_now(kind).unwrap();
            assert_eq!(all(&built, text), want, "{kind:?}");
        }
    }

    #[test]
    fn long_texts_and_many_texts_switch_to_the_automaton() {
        let search = PhraseSearch::new(vec!["ab".to_string()], vec![false]);
        assert!(search.automaton.get().is_none());
        let long = "ab ".repeat(DIRECT_MAX_BYTES);
        assert_eq!(all(&search, &long).len(), DIRECT_MAX_BYTES);
        assert!(search.automaton.get().is_some());

        let search = PhraseSearch::new(vec!["ab".to_string()], vec![false]);
        for _ in 0..DIRECT_MAX_TEXTS {
            assert_eq!(all(&search, "xab ab"), [(0, 1, 3), (0, 4, 6)]);
        }
        assert!(search.automaton.get().is_none());
        assert_eq!(all(&search, "xab ab"), [(0, 1, 3), (0, 4, 6)]);
        assert!(search.automaton.get().is_some());
    }
}
