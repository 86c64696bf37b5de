//! Verbatim corporate reposting: an index of word shingles over official
//! posts, queried once per employee post.
//!
//! Both sides are reduced to lower-cased words with URLs, hashtags, mentions,
//! emoji and punctuation dropped, so a copy survives those edits. Every run of
//! `shingle_words` words is hashed; the index maps a shingle to the corporate
//! posts that contain it. A query looks up its own shingles (cost grows with the
//! post, not the number of corporate posts), takes the posts sharing the most,
//! and measures which of its words those shared shingles cover.

use super::fnv::Fnv;
use crate::normalise::fold_lower;
use crate::policy::schema::{CopyMode, VerbatimSettings};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// Keys here are already well-mixed 64-bit hashes (or small post indices):
/// hashing them again with SipHash would only cost time.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_u32(&mut self, n: u32) {
        // Spread small indices over the table's buckets.
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<PassThrough>>;

/// An official post.
#[derive(Debug, Clone)]
pub struct CorporatePost {
    pub id: String,
    pub text: String,
    pub mode: CopyMode,
}

/// How an employee post copies a corporate post.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbatimMatch {
    pub corporate_id: String,
    pub mode: CopyMode,
    /// Share of the employee post's words that are copied (0..1).
    pub similarity: f64,
    /// Copied words.
    pub copied_words: usize,
    /// Byte span of the employee text from the first to the last copied word.
    pub copied: Range<usize>,
    /// Words added or changed inside the copied span, as byte spans.
    pub edits: Vec<Range<usize>>,
}

/// A shingle shared by more corporate posts than this is boilerplate
/// ("learn more at our website") and says nothing about which post was copied.
const STOP_SHINGLE_POSTS: usize = 50;
/// Marks a postings value that indexes `shared` rather than naming a post.
const SHARED: u32 = 1 << 31;
/// Candidates verified per query, best first.
const CANDIDATES: usize = 3;

pub struct VerbatimIndex {
    /// Id, mode and number of words of each corporate post.
    posts: Vec<(String, CopyMode, usize)>,
    /// Shingle hash → the post containing it, or (top bit set) an index into
    /// `shared`: most shingles occur in one post, and storing those inline
    /// keeps the index near 20 bytes a shingle.
    postings: FastMap<u64, u32>,
    /// Sorted post lists of the shingles found in more than one post.
    shared: Vec<Vec<u32>>,
    k: usize,
    min_similarity: f64,
    min_copied_words: usize,
    min_corporate_share: f64,
}

/// A word of a post and where it is.
#[derive(Debug, Clone)]
struct Word {
    hash: u64,
    span: Range<usize>,
}

impl VerbatimIndex {
    pub fn build(posts: Vec<CorporatePost>, settings: &VerbatimSettings) -> VerbatimIndex {
        let k = settings.shingle_words.max(1);
        let mut postings: FastMap<u64, u32> = FastMap::default();
        let mut shared: Vec<Vec<u32>> = Vec::new();
        let mut meta = Vec::with_capacity(posts.len());
        for (i, post) in posts.into_iter().enumerate() {
            let i = i as u32;
            let words = words(&post.text);
            for h in shingles(&words, k) {
                match postings.entry(h) {
                    Entry::Vacant(e) => {
                        e.insert(i);
                    }
                    Entry::Occupied(mut e) => {
                        let v = *e.get();
                        if v & SHARED != 0 {
                            let list = &mut shared[(v & !SHARED) as usize];
                            if list.last() != Some(&i) {
                                list.push(i);
                            }
                        } else if v != i {
                            e.insert(SHARED | shared.len() as u32);
                            shared.push(vec![v, i]);
                        }
                    }
                }
            }
            meta.push((post.id, post.mode, words.len()));
        }
        // Boilerplate shingles are dropped; lists stay sorted by construction.
        postings.retain(|_, v| {
            *v & SHARED == 0 || shared[(*v & !SHARED) as usize].len() <= STOP_SHINGLE_POSTS
        });
        postings.shrink_to_fit();
        VerbatimIndex {
            posts: meta,
            postings,
            shared,
            k,
            min_similarity: settings.min_similarity,
            min_copied_words: settings.min_copied_words,
            min_corporate_share: settings.min_corporate_share,
        }
    }

    pub fn len(&self) -> usize {
        self.posts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// Approximate heap bytes of the index.
    pub fn heap_bytes(&self) -> usize {
        // A table slot holds the key, the value and a control byte.
        self.postings.capacity() * (8 + 4 + 1)
            + self
                .shared
                .iter()
                .map(|v| v.capacity() * 4 + 24)
                .sum::<usize>()
            + self
                .posts
                .iter()
                .map(|(id, _, _)| id.capacity() + 40)
                .sum::<usize>()
    }

    /// The corporate post this text copies most, if it passes the thresholds.
    pub fn best_match(&self, text: &str) -> Option<VerbatimMatch> {
        let words = words(text);
        if words.len() < self.k || words.len() < self.min_copied_words {
            return None;
        }
        let hashes: Vec<u64> = shingles(&words, self.k).collect();
        let mut votes: FastMap<u32, u32> = FastMap::default();
        for h in &hashes {
            for &p in self.posts_of(*h) {
                *votes.entry(p).or_insert(0) += 1;
            }
        }
        let mut ranked: Vec<(u32, u32)> = votes.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut best: Option<(usize, u32, Vec<bool>)> = None;
        for &(post, _) in ranked.iter().take(CANDIDATES) {
            let covered = self.coverage(&hashes, words.len(), post);
            let n = covered.iter().filter(|c| **c).count();
            if best
                .as_ref()
                .is_none_or(|(m, p, _)| n > *m || (n == *m && post < *p))
            {
                best = Some((n, post, covered));
            }
        }
        let (copied_words, post, covered) = best?;
        let similarity = copied_words as f64 / words.len() as f64;
        let (id, mode, corporate_words) = &self.posts[post as usize];
        let corporate_share = copied_words as f64 / (*corporate_words).max(1) as f64;
        if copied_words < self.min_copied_words
            || similarity < self.min_similarity
            || corporate_share < self.min_corporate_share
        {
            return None;
        }
        let first = covered.iter().position(|c| *c)?;
        let last = covered.iter().rposition(|c| *c)?;
        let mut edits = Vec::new();
        let mut run: Option<Range<usize>> = None;
        for i in first..=last {
            if covered[i] {
                if let Some(r) = run.take() {
                    edits.push(r);
                }
            } else {
                let span = words[i].span.clone();
                run = Some(match run {
                    Some(r) => r.start..span.end,
                    None => span,
                });
            }
        }
        Some(VerbatimMatch {
            corporate_id: id.clone(),
            mode: *mode,
            similarity,
            copied_words,
            copied: words[first].span.start..words[last].span.end,
            edits,
        })
    }

    /// The posts that contain a shingle, in index order.
    fn posts_of(&self, shingle: u64) -> &[u32] {
        match self.postings.get(&shingle) {
            None => &[],
            Some(v) if v & SHARED != 0 => &self.shared[(v & !SHARED) as usize],
            Some(v) => std::slice::from_ref(v),
        }
    }

    /// Which words of the query the shingles it shares with `post` cover.
    fn coverage(&self, hashes: &[u64], n: usize, post: u32) -> Vec<bool> {
        let mut covered = vec![false; n];
        for (i, h) in hashes.iter().enumerate() {
            let shared = self.posts_of(*h).binary_search(&post).is_ok();
            if shared {
                for c in &mut covered[i..i + self.k] {
                    *c = true;
                }
            }
        }
        covered
    }
}

fn shingles(words: &[Word], k: usize) -> impl Iterator<Item = u64> + '_ {
    words.windows(k).map(|w| {
        w.iter().fold(0x9e37_79b9_7f4a_7c15u64, |h, word| {
            (h.rotate_left(17) ^ word.hash).wrapping_mul(0x0100_0000_01b3)
        })
    })
}

/// Words as the index sees them: URLs, hashtags, mentions, emoji and
/// punctuation dropped, lower-cased and folded.
///
/// One pass over the text: words are read and hashed as whitespace-separated
/// chunks go by, and a chunk that turns out to be a link or a tag gives its
/// words back. Only a chunk holding `#`, `@`, `/` or `.` can be one.
fn words(text: &str) -> Vec<Word> {
    const NONE: usize = usize::MAX;
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5);
    // The chunk being read: where it starts (NONE: between chunks), the
    // words it began at, and whether it could be a link or a tag.
    let (mut chunk, mut chunk_words, mut may_link) = (NONE, 0, false);
    // The word being read: where it starts (NONE: between words) and ends, and its hash.
    let (mut start, mut end) = (NONE, 0);
    let mut hasher = Fnv::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            // Most text: no decoding, no Unicode tables.
            if chunk == NONE {
                (chunk, chunk_words) = (i, out.len());
            }
            if start == NONE {
                (start, hasher) = (i, Fnv::default());
            }
            hasher.write_u8(b.to_ascii_lowercase());
            i += 1;
            end = i;
            continue;
        }
        let (c, width) = if b.is_ascii() {
            (char::from(b), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        };
        let alphanumeric = !b.is_ascii() && c.is_alphanumeric();
        if c.is_whitespace() || (start != NONE && !alphanumeric && c != '\'' && c != '\u{2019}') {
            // A word ends here; an apostrophe inside one ("it's") keeps it one.
            if start != NONE {
                out.push(Word {
                    hash: hasher.finish(),
                    span: start..end,
                });
                start = NONE;
            }
        }
        if c.is_whitespace() {
            if chunk != NONE && may_link && is_link_or_tag(&text[chunk..i]) {
                out.truncate(chunk_words);
            }
            (chunk, may_link) = (NONE, false);
            i += width;
            continue;
        }
        if chunk == NONE {
            (chunk, chunk_words) = (i, out.len());
        }
        may_link |= matches!(b, b'#' | b'@' | b'/' | b'.');
        if alphanumeric {
            if start == NONE {
                (start, hasher) = (i, Fnv::default());
            }
            fold_lower(c, &mut |d| {
                hasher.write(d.encode_utf8(&mut [0; 4]).as_bytes())
            });
            end = i + width;
        }
        i += width;
    }
    if start != NONE {
        out.push(Word {
            hash: hasher.finish(),
            span: start..end,
        });
    }
    if chunk != NONE && may_link && is_link_or_tag(&text[chunk..]) {
        out.truncate(chunk_words);
    }
    out
}

/// URLs (with tracking parameters or shorteners), bare domains with a path,
/// hashtags and mentions: added or removed freely when relaying a post.
fn is_link_or_tag(chunk: &str) -> bool {
    let c = chunk.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '#' && c != '@');
    if c.starts_with('#') || c.starts_with('@') {
        return true;
    }
    let starts = |prefix: &str| {
        c.as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if starts("http://") || starts("https://") || starts("www.") {
        return true;
    }
    // brightwater.example/income, bit.ly/x
    match c.split_once('/') {
        Some((host, _)) => {
            host.contains('.')
                && host
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of a text as first written: chunks split on whitespace,
    /// links and tags dropped, then each chunk's words. The one-pass
    /// [`words`] must give exactly these.
    fn words_by_chunks(text: &str) -> Vec<(u64, Range<usize>)> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let rest = &text[at..];
            let Some(skip) = rest.find(|c: char| !c.is_whitespace()) else {
                break;
            };
            let begin = at + skip;
            let len = text[begin..]
                .find(char::is_whitespace)
                .unwrap_or(text.len() - begin);
            let chunk = &text[begin..begin + len];
            if !is_link_or_tag(chunk) {
                let mut word: Option<(usize, usize, Fnv)> = None;
                for (i, c) in chunk.char_indices() {
                    if c.is_alphanumeric() {
                        let (_, end, hasher) = word.get_or_insert((i, i, Fnv::default()));
                        fold_lower(c, &mut |d| {
                            hasher.write(d.encode_utf8(&mut [0; 4]).as_bytes())
                        });
                        *end = i + c.len_utf8();
                    } else if c != '\''
                        && c != '\u{2019}'
                        && let Some((s, e, h)) = word.take()
                    {
                        out.push((h.finish(), begin + s..begin + e));
                    }
                }
                if let Some((s, e, h)) = word {
                    out.push((h.finish(), begin + s..begin + e));
                }
            }
            at = begin + len;
        }
        out
    }

    fn one_pass(text: &str) -> Vec<(u64, Range<usize>)> {
        words(text).into_iter().map(|w| (w.hash, w.span)).collect()
    }

    #[test]
    fn one_pass_words_are_the_words_of_each_chunk() {
        let mut texts = crate::test_texts::labelled_texts();
        texts.extend(crate::test_texts::texts_of(&[
            "corpus/posts.jsonl",
            "corpus/corporate.jsonl",
        ]));
        // Every sequence of up to four pieces of a tricky alphabet.
        let pieces = [
            "a", "Z9", " ", "#", "@", "/", ".", "'", "\u{2019}", "é", "É", "ß", "🎉", "\u{a0}",
            "\u{b}", "\n", "http://", "www.", "x.y/", "-", "\u{200b}", "ﬁ",
        ];
        let mut stack = vec![(String::new(), 0)];
        while let Some((text, n)) = stack.pop() {
            if n < 4 {
                for p in pieces {
                    stack.push((format!("{text}{p}"), n + 1));
                }
            }
            texts.push(text);
        }
        assert!(texts.len() > 200_000, "{}", texts.len());
        for text in &texts {
            assert_eq!(one_pass(text), words_by_chunks(text), "{text:?}");
        }
    }

    #[test]
    fn words_drop_links_tags_and_punctuation() {
        let w = words(
            "Great news! 🎉 See https://bit.ly/x?utm=1 #Brightwater @bw brightwater.example/income It’s here.",
        );
        assert_eq!(w.len(), 5, "{w:?}"); // great news see it's here
    }
}
