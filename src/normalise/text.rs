//! The text view: the original text with invisible characters removed and
//! compatibility forms and look-alike letters folded, case kept. Personal-data
//! patterns run on it.

use super::fold::{fold_keep_case, is_invisible};
use std::borrow::Cow;
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct TextView<'a> {
    pub text: Cow<'a, str>,
    /// Original byte range per byte of `text`; `None` when `text` is the original.
    src: Option<Vec<(u32, u32)>>,
}

impl<'a> TextView<'a> {
    pub fn new(original: &'a str) -> TextView<'a> {
        let plain = original.is_ascii() || !original.chars().any(needs_folding);
        if plain {
            return TextView {
                text: Cow::Borrowed(original),
                src: None,
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut src = Vec::with_capacity(original.len());
        for (i, c) in original.char_indices() {
            let (start, end) = (i as u32, (i + c.len_utf8()) as u32);
            fold_keep_case(c, &mut |d| {
                text.push(d);
                for _ in 0..d.len_utf8() {
                    src.push((start, end));
                }
            });
        }
        TextView {
            text: Cow::Owned(text),
            src: Some(src),
        }
    }

    /// The original byte range of a range of `text`.
    pub fn source_range(&self, r: Range<usize>) -> Range<usize> {
        match &self.src {
            None => r,
            Some(src) if r.is_empty() || r.end > src.len() => {
                let at = src.get(r.start).map_or(0, |s| s.0 as usize);
                at..at
            }
            Some(src) => src[r.start].0 as usize..src[r.end - 1].1 as usize,
        }
    }
}

fn needs_folding(c: char) -> bool {
    !c.is_ascii()
        && (is_invisible(c) || {
            let mut changed = false;
            fold_keep_case(c, &mut |d| changed |= d != c);
            changed
        })
}
