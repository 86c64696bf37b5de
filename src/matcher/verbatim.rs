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
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 5);
    for (chunk_start, chunk) in split_whitespace_indices(text) {
        if !is_link_or_tag(chunk) {
            chunk_words(chunk, chunk_start, &mut out);
        }
    }
    out
}

/// The words of one whitespace-free chunk, hashed as they are read.
fn chunk_words(chunk: &str, offset: usize, out: &mut Vec<Word>) {
    const NONE: usize = usize::MAX;
    let bytes = chunk.as_bytes();
    // The word being read: where it starts (NONE: between words) and ends, and its hash.
    let (mut start, mut end) = (NONE, 0);
    let mut hasher = Fnv::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (alphanumeric, apostrophe, width) = if b.is_ascii() {
            // Most text is ASCII: no decoding, no Unicode tables.
            let alphanumeric = b.is_ascii_alphanumeric();
            if alphanumeric {
                if start == NONE {
                    (start, hasher) = (i, Fnv::default());
                }
                hasher.write_u8(b.to_ascii_lowercase());
                i += 1;
                end = i;
                continue;
            }
            (false, b == b'\'', 1)
        } else {
            let c = chunk[i..].chars().next().unwrap_or(' ');
            if c.is_alphanumeric() {
                if start == NONE {
                    (start, hasher) = (i, Fnv::default());
                }
                fold_lower(c, &mut |d| {
                    hasher.write(d.encode_utf8(&mut [0; 4]).as_bytes())
                });
            }
            (c.is_alphanumeric(), c == '\u{2019}', c.len_utf8())
        };
        if alphanumeric {
            end = i + width;
        } else if start != NONE && !apostrophe {
            // An apostrophe inside a word ("it's") keeps it one word.
            out.push(Word {
                hash: hasher.finish(),
                span: offset + start..offset + end,
            });
            start = NONE;
        }
        i += width;
    }
    if start != NONE {
        out.push(Word {
            hash: hasher.finish(),
            span: offset + start..offset + end,
        });
    }
}

/// Whitespace-separated chunks and where they start.
fn split_whitespace_indices(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        // Skip whitespace, then take the chunk up to the next.
        let start = loop {
            let (c, width) = char_at(text, bytes, at)?;
            if !c.is_whitespace() {
                break at;
            }
            at += width;
        };
        while let Some((c, width)) = char_at(text, bytes, at) {
            if c.is_whitespace() {
                break;
            }
            at += width;
        }
        Some((start, &text[start..at]))
    })
}

/// The character at byte `at` and its width, reading ASCII without decoding.
fn char_at(text: &str, bytes: &[u8], at: usize) -> Option<(char, usize)> {
    match *bytes.get(at)? {
        b if b.is_ascii() => Some((b as char, 1)),
        _ => text[at..].chars().next().map(|c| (c, c.len_utf8())),
    }
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

    #[test]
    fn words_drop_links_tags_and_punctuation() {
        let w = words(
            "Great news! 🎉 See https://bit.ly/x?utm=1 #Brightwater @bw brightwater.example/income It’s here.",
        );
        assert_eq!(w.len(), 5, "{w:?}"); // great news see it's here
    }
}
