//! Every occurrence of every policy phrase in a words view.
//!
//! A batch scan searches with an Aho-Corasick automaton built once. A
//! one-draft `check` would spend most of its time building that automaton
//! (thousands of phrases) to search a few hundred bytes, so short texts are
//! searched phrase by phrase through an index of the text's own byte pairs,
//! until enough texts have been checked that the automaton pays for itself.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
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
    automaton: OnceLock<Option<AhoCorasick>>,
    /// Texts searched directly so far.
    direct: AtomicUsize,
}

impl PhraseSearch {
    /// Phrases searched directly until an automaton pays off.
    pub fn new(texts: Vec<String>) -> PhraseSearch {
        PhraseSearch {
            texts,
            automaton: OnceLock::new(),
            direct: AtomicUsize::new(0),
        }
    }

    /// Builds the automaton now, of the given kind (a batch scan pays for
    /// the fastest search once).
    pub fn build_now(&mut self, kind: AhoCorasickKind) -> Result<(), aho_corasick::BuildError> {
        let automaton = build_automaton(&self.texts, kind)?;
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
    /// phrase in `text`, overlapping ones included, in no particular order.
    pub fn for_each(&self, text: &str, mut found: impl FnMut(usize, usize, usize)) {
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
                        build_automaton(&self.texts, AhoCorasickKind::NoncontiguousNFA)
                            .ok()
                            .flatten()
                    })
                    .as_ref()
            }
            None => None,
        };
        match automaton {
            Some(automaton) => {
                for m in automaton.find_overlapping_iter(text) {
                    found(m.pattern().as_usize(), m.start(), m.end());
                }
            }
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
                [] => {
                    // An empty pattern matches everywhere, as the automaton has it.
                    (0..=bytes.len()).for_each(|at| found(p, at, at));
                    continue;
                }
                [one] => (u16::from(*one) << 8, u16::from(*one) << 8 | 0xFF),
                _ => (pair(pb, 0), pair(pb, 0)),
            };
            let from = starts.partition_point(|&(k, _)| k < low);
            for &(k, at) in &starts[from..] {
                if k > high {
                    break;
                }
                let at = at as usize;
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

pub fn build_automaton(
    phrases: &[String],
    kind: AhoCorasickKind,
) -> Result<Option<AhoCorasick>, aho_corasick::BuildError> {
    if phrases.is_empty() {
        return Ok(None);
    }
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(phrases)
        .map(Some)
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
        let direct = PhraseSearch::new(phrases.clone());
        let mut built = PhraseSearch::new(phrases);
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

    #[test]
    fn long_texts_and_many_texts_switch_to_the_automaton() {
        let search = PhraseSearch::new(vec!["ab".to_string()]);
        assert!(search.automaton.get().is_none());
        let long = "ab ".repeat(DIRECT_MAX_BYTES);
        assert_eq!(all(&search, &long).len(), DIRECT_MAX_BYTES);
        assert!(search.automaton.get().is_some());

        let search = PhraseSearch::new(vec!["ab".to_string()]);
        for _ in 0..DIRECT_MAX_TEXTS {
            assert_eq!(all(&search, "xab ab"), [(0, 1, 3), (0, 4, 6)]);
        }
        assert!(search.automaton.get().is_none());
        assert_eq!(all(&search, "xab ab"), [(0, 1, 3), (0, 4, 6)]);
        assert!(search.automaton.get().is_some());
    }
}
