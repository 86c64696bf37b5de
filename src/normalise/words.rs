//! The words view: lower-cased, folded tokens that phrases and word regexes match.
//!
//! Tokens are joined by `' '` inside a sentence and by `'\n'` across a sentence
//! end, so a phrase never spans two sentences. Every output byte maps back to
//! the original character it came from.

use super::fold::{fold_lower, homoglyph};
use std::ops::Range;

/// One token of the words view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte range in [`Words::text`].
    pub start: u32,
    pub end: u32,
    /// Index of the sentence the token belongs to.
    pub sentence: u32,
}

/// The normalised words of a text, with a map back to the original bytes.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub text: String,
    /// For each byte of `text`, the original byte range of the character it came from.
    pub(super) src: Vec<(u32, u32)>,
    pub tokens: Vec<Token>,
    /// Spaced letters followed a one-letter word, which may belong to them.
    pub ambiguous: bool,
    /// A hashtag is written in camel case (`#CuresMyInsomnia`): its words
    /// can also be read apart.
    pub camel: bool,
}

#[derive(Clone, Copy)]
struct Unit {
    ch: char,
    start: u32,
    end: u32,
    /// The original character was upper case (for camel-case hashtags).
    upper: bool,
    /// `ch` is alphabetic; alphanumeric (looked up once: outside ASCII
    /// the Unicode tables cost hundreds of instructions a call).
    alpha: bool,
    word: bool,
}

impl Unit {
    fn new(ch: char, start: u32, end: u32, upper: bool) -> Unit {
        let alpha = !is_pictograph(ch) && ch.is_alphabetic();
        Unit {
            ch,
            start,
            end,
            upper,
            alpha,
            word: alpha || (!is_pictograph(ch) && ch.is_numeric()),
        }
    }
}

/// Emoji and other pictographs, the commonest characters outside ASCII in
/// posts: none is a letter or a digit, which this says without a table.
pub(super) fn is_pictograph(c: char) -> bool {
    // Not U+2776..U+2793, dingbat digits such as `❶`.
    matches!(c, '\u{2600}'..='\u{2775}' | '\u{2794}'..='\u{27BF}' | '\u{1F300}'..='\u{1FAFF}')
}

/// What separates two tokens.
#[derive(Clone, Copy, Default)]
struct Gap {
    /// A sentence end or a blank line.
    hard: bool,
    /// Exactly one space, hyphen, dot, underscore or similar: spaced letters may join across it.
    joinable: bool,
    /// A dot after a one-letter word, read as an initial's: it ends the
    /// sentence after all when the letters join into a word (`K e i n e.`).
    initial_dot: bool,
}

impl Words {
    pub fn new(text: &str) -> Words {
        Words::build(text, false)
    }

    /// The other reading of a text: spaced letters after a one-letter word
    /// split off (`a s u r e` as "a sure") and camel-case hashtags read as
    /// words (`#CuresMyInsomnia` as "#cures my insomnia"); only differs when
    /// [`Words::ambiguous`] or [`Words::camel`].
    pub fn other_reading(text: &str) -> Words {
        Words::build(text, true)
    }

    fn build(text: &str, other: bool) -> Words {
        // Most posts are plain ASCII: one pass over the bytes reads them,
        // unless they hold spaced letters to join.
        if !other && let Some(words) = super::plain::words(text) {
            return words;
        }
        Words::build_full(text, other)
    }

    /// The words view through folded characters: any text, either reading.
    fn build_full(text: &str, other: bool) -> Words {
        let (mut chars, mut tokens, mut gaps) = if text.is_ascii() {
            tokenise(&AsciiUnits(text.as_bytes()))
        } else {
            // 16 bytes a character: gone before the view is rendered, so a
            // 1 MB post does not hold it twice over.
            tokenise(&fold_units(text).as_slice())
        };
        let mut ambiguous = false;
        join_spaced_letters(&mut chars, &mut tokens, &mut gaps, other, &mut ambiguous);
        let camel = split_camel_hashtags(&chars, &mut tokens, &mut gaps, other);
        for t in &tokens {
            decode_token(&mut chars[t.clone()]);
        }
        let mut words = render(&chars, &tokens, &gaps);
        words.ambiguous = ambiguous;
        words.camel = camel;
        words
    }

    /// The full tokeniser's view, never the one-pass one (for tests).
    #[cfg(test)]
    pub(super) fn full(text: &str) -> Words {
        Words::build_full(text, false)
    }

    /// The original byte range of a range of `text`.
    pub fn source_range(&self, r: Range<usize>) -> Range<usize> {
        if r.is_empty() || r.end > self.src.len() {
            let at = self.src.get(r.start).map_or(0, |s| s.0 as usize);
            return at..at;
        }
        self.src[r.start].0 as usize..self.src[r.end - 1].1 as usize
    }

    /// The range of `text` whose tokens came from an original byte range
    /// (a text-view match), or `None` when it covers no word.
    pub fn range_of_source(&self, r: Range<usize>) -> Option<Range<usize>> {
        let source = |t: &Token| {
            (
                self.src[t.start as usize].0 as usize,
                self.src[t.end as usize - 1].1 as usize,
            )
        };
        let first = self.tokens.partition_point(|t| source(t).1 <= r.start);
        let last = self.tokens.partition_point(|t| source(t).0 < r.end);
        (first < last)
            .then(|| self.tokens[first].start as usize..self.tokens[last - 1].end as usize)
    }

    /// Index of the token that contains byte `at` of `text`, or the next one.
    pub fn token_at(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| (t.end as usize) <= at)
    }

    /// Tokens covered by a byte range of `text`.
    pub fn token_span(&self, r: Range<usize>) -> Range<usize> {
        let first = self.token_at(r.start);
        let last = self.token_at(r.end.saturating_sub(1).max(r.start));
        first..(last + 1).min(self.tokens.len()).max(first)
    }
}

/// The folded characters of a text, by index: what the tokeniser reads.
trait Units {
    fn len(&self) -> usize;
    fn get(&self, i: usize) -> Option<Unit>;

    fn at(&self, i: usize) -> Unit {
        self.get(i).expect("a unit inside the text")
    }
}

impl Units for &[Unit] {
    fn len(&self) -> usize {
        <[Unit]>::len(self)
    }

    fn get(&self, i: usize) -> Option<Unit> {
        <[Unit]>::get(self, i).copied()
    }
}

/// An ASCII text, one unit a byte, folded as it is read.
struct AsciiUnits<'t>(&'t [u8]);

impl Units for AsciiUnits<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }

    #[inline]
    fn get(&self, i: usize) -> Option<Unit> {
        let b = *self.0.get(i)?;
        let lower = b.to_ascii_lowercase();
        let alpha = lower.is_ascii_lowercase();
        Some(Unit {
            ch: char::from(lower),
            start: i as u32,
            end: i as u32 + 1,
            upper: b.is_ascii_uppercase(),
            alpha,
            word: alpha || b.is_ascii_digit(),
        })
    }
}

fn fold_units(text: &str) -> Vec<Unit> {
    let mut units = Vec::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII, most of any post, folds to itself in lower case.
        if b.is_ascii() {
            units.push(Unit::new(
                char::from(b.to_ascii_lowercase()),
                i as u32,
                i as u32 + 1,
                b.is_ascii_uppercase(),
            ));
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let (start, end) = (i as u32, (i + c.len_utf8()) as u32);
        let mut upper = c.is_uppercase();
        fold_lower(c, &mut |ch| {
            units.push(Unit::new(ch, start, end, upper));
            upper = false;
        });
        i = end as usize;
    }
    units
}

pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '`')
}

pub(super) fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ';' | '\u{2026}' | '\u{3002}' | '\u{FF01}' | '\u{FF1F}' | '\u{061F}'
    )
}

pub(super) fn is_joiner(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '.'
            | '_'
            | '*'
            | '/'
            | '\u{00B7}'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
    )
}

/// Symbols that stand for a letter when written between letters (`gu@rantee`, `ri$k`).
pub(super) fn leet_symbol(c: char) -> Option<char> {
    Some(match c {
        '@' => 'a',
        '$' => 's',
        '!' => 'i',
        '|' => 'l',
        _ => return None,
    })
}

pub(super) fn leet_digit(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        _ => return None,
    })
}

/// Splits units into token characters, token ranges and the gaps between tokens.
fn tokenise<U: Units>(units: &U) -> (Vec<Unit>, Vec<Range<usize>>, Vec<Gap>) {
    let mut chars: Vec<Unit> = Vec::with_capacity(units.len());
    // Words average five or six characters: room for them all at once.
    let mut tokens: Vec<Range<usize>> = Vec::with_capacity(units.len() / 4 + 1);
    // gaps[i] separates tokens[i] and tokens[i + 1].
    let mut gaps: Vec<Gap> = Vec::with_capacity(units.len() / 4 + 1);
    let mut in_token = false;
    let mut token_start = 0;
    let mut gap = Gap::default();
    let mut gap_units = 0usize;
    let mut gap_newlines = 0usize;
    let alpha = |i: usize| units.get(i).is_some_and(|u| u.alpha);
    let digit = |i: usize| units.get(i).is_some_and(|u| u.ch.is_ascii_digit());
    let word = |i: usize| units.get(i).is_some_and(|u| u.word);
    // `12.5%`, `1,000`, `40€` and `#tag`, `@handle`, `$TICKER`, `€40` stay one token.
    let keeps_number_or_prefix = |c: char, in_token: bool, i: usize| {
        let after_digit = i > 0 && digit(i - 1);
        (in_token && matches!(c, '.' | ',') && after_digit && digit(i + 1))
            || (in_token && is_unit_sign(c) && after_digit)
            || (!in_token && matches!(c, '#' | '@' | '$' | '€' | '£') && word(i + 1))
    };
    // `50 000 €`: a space (or a no-break space) between digit groups of three
    // is a thousands separator, read as `50,000`.
    let thousands_space = |i: usize, in_token: bool| {
        in_token
            && matches!(units.at(i).ch, ' ' | '\u{00A0}' | '\u{202F}')
            && i > 0
            && digit(i - 1)
            && (1..=3).all(|k| digit(i + k))
            && !units.get(i + 4).is_some_and(|u| u.word)
    };

    let mut i = 0;
    while i < units.len() {
        let u = units.at(i);
        let c = u.ch;
        let prev_alpha = i > 0 && alpha(i - 1);
        let keep = if u.word {
            Some(c)
        } else if in_token && prev_alpha && alpha(i + 1) && leet_symbol(c).is_some() {
            leet_symbol(c)
        } else if in_token && is_apostrophe(c) && prev_alpha && alpha(i + 1) {
            // `can't` is one word: the apostrophe is dropped, not a break.
            i += 1;
            continue;
        } else if keeps_number_or_prefix(c, in_token, i) {
            Some(c)
        } else if thousands_space(i, in_token) {
            Some(',')
        } else {
            None
        };
        match keep {
            Some(ch) => {
                if !in_token {
                    if !tokens.is_empty() {
                        gap.hard |= gap_newlines >= 2;
                        gap.joinable = gap_units == 1;
                        gaps.push(gap);
                    }
                    in_token = true;
                    token_start = chars.len();
                }
                chars.push(if ch == c {
                    u
                } else {
                    Unit::new(ch, u.start, u.end, u.upper)
                });
                // The rest of a word needs none of the checks above.
                if u.word {
                    while let Some(next) = units.get(i + 1).filter(|n| n.word) {
                        chars.push(next);
                        i += 1;
                    }
                }
            }
            None => {
                // `12 %` is `12%` and `120 €` is `120€`: the sign one space after a number joins it.
                if is_unit_sign(c)
                    && !in_token
                    && gap_units == 1
                    && tokens.last().is_some_and(|t| {
                        t.end == chars.len() && chars[t.end - 1].ch.is_ascii_digit()
                    })
                {
                    chars.push(Unit { ch: c, ..u });
                    if let Some(t) = tokens.last_mut() {
                        t.end += 1;
                    }
                    i += 1;
                    continue;
                }
                if in_token {
                    tokens.push(token_start..chars.len());
                    in_token = false;
                    gap = Gap::default();
                    gap_units = 0;
                    gap_newlines = 0;
                }
                gap_units += 1;
                if c == '\n' {
                    gap_newlines += 1;
                } else if is_sentence_end(c)
                    && !(c == '.'
                        && tokens.last().is_some_and(|t| {
                            abbreviation(&chars[t.clone()])
                                // "No. 1" abbreviates; "No. Next question." answers.
                                && (!is_no(&chars[t.clone()]) || number_follows(units, i + 1))
                        }))
                    // `brightwater.example/app`, `bit.ly`, `?utm=`: a mark
                    // between two letters with no space is a link's, not a stop.
                    && !(gap_units == 1 && prev_alpha && word(i + 1))
                {
                    gap.hard = true;
                } else if c == '.' {
                    gap.initial_dot = true;
                }
                if !is_joiner(c) {
                    gap_units += 1; // never joinable
                }
            }
        }
        i += 1;
    }
    if in_token {
        tokens.push(token_start..chars.len());
    }
    (chars, tokens, gaps)
}

/// A sign that belongs to the number before it.
fn is_unit_sign(c: char) -> bool {
    matches!(c, '%' | '€' | '£')
}

fn is_no(token: &[Unit]) -> bool {
    matches!(token, [n, o] if n.ch == 'n' && o.ch == 'o')
}

/// The next character after spaces is a digit or `#`.
fn number_follows<U: Units>(units: &U, from: usize) -> bool {
    (from..units.len())
        .map(|i| units.at(i))
        .find(|u| u.ch != ' ')
        .is_some_and(|u| u.ch.is_ascii_digit() || u.ch == '#')
}

/// A word whose dot does not end a sentence: an initial (`P. Nightjar`) or
/// a common abbreviation (`Proj.`, `Dr.`, `vs.`).
fn abbreviation(token: &[Unit]) -> bool {
    match token {
        [u] => u.alpha,
        _ if token.len() <= 6 => ABBREVIATIONS
            .iter()
            .any(|a| a.chars().eq(token.iter().map(|u| u.ch))),
        _ => false,
    }
}

/// Words whose dot ends no sentence.
pub(super) const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "vs", "proj", "prj", "inc", "co", "ltd", "jr", "sr", "no",
    "approx", "dept", "corp", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "ave", "blvd", "rd", "apt", "ste", "fig", "est",
];

fn single_letter(chars: &[Unit], t: &Range<usize>) -> bool {
    // `#P r o j e c t`: a hashtag's first letter starts spaced letters too.
    let t = match t.len() {
        2 if chars[t.start].ch == '#' => t.start + 1..t.end,
        _ => t.clone(),
    };
    t.len() == 1 && {
        let c = chars[t.start].ch;
        c.is_alphabetic() || leet_digit(c).is_some()
    }
}

/// Whether a hashtag is in camel case; with `split`, its words become tokens
/// of their own (`#CuresMyInsomnia` → `#cures my insomnia`).
fn split_camel_hashtags(
    chars: &[Unit],
    tokens: &mut Vec<Range<usize>>,
    gaps: &mut Vec<Gap>,
    split: bool,
) -> bool {
    let breaks = |t: &Range<usize>| {
        let end = t.end;
        // `aB` starts a word, and so does `Bc` after a capital (`ABad`).
        (t.start + 2..end).filter(move |&k| {
            let lower = |u: &Unit| u.alpha && !u.upper;
            chars[k].upper
                && chars[k - 1].alpha
                && (lower(&chars[k - 1]) || chars.get(k + 1).is_some_and(lower) && k + 1 < end)
        })
    };
    let camel = |t: &Range<usize>| chars[t.start].ch == '#' && breaks(t).next().is_some();
    if !tokens.iter().any(camel) {
        return false;
    }
    if !split {
        return true;
    }
    let mut out_tokens = Vec::with_capacity(tokens.len() + 4);
    let mut out_gaps = Vec::with_capacity(gaps.len() + 4);
    for (i, t) in tokens.iter().enumerate() {
        let mut start = t.start;
        if camel(t) {
            for k in breaks(t) {
                out_tokens.push(start..k);
                out_gaps.push(Gap::default());
                start = k;
            }
        }
        out_tokens.push(start..t.end);
        if let Some(g) = gaps.get(i) {
            out_gaps.push(*g);
        }
    }
    *tokens = out_tokens;
    *gaps = out_gaps;
    true
}

/// `g u a r a n t e e d`, `g-u-a-r-a-n-t-e-e-d` become one token.
fn join_spaced_letters(
    chars: &mut [Unit],
    tokens: &mut Vec<Range<usize>>,
    gaps: &mut Vec<Gap>,
    split_leading: bool,
    ambiguous: &mut bool,
) {
    // Most posts have no two one-letter words in a row: nothing to join.
    let has_pair = tokens
        .windows(2)
        .any(|w| single_letter(chars, &w[0]) && single_letter(chars, &w[1]));
    if !has_pair {
        return;
    }
    let mut out_tokens = Vec::with_capacity(tokens.len());
    let mut out_gaps = Vec::with_capacity(gaps.len());
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        while j + 1 < tokens.len()
            && single_letter(chars, &tokens[j])
            && single_letter(chars, &tokens[j + 1])
            && gaps[j].joinable
        {
            j += 1;
        }
        // "a s u r e thing" or "a n n o u n c e d"? A leading one-letter word
        // may be an article or the spaced word's first letter: note it, and
        // let the caller try the other reading.
        if j - i >= 4 && matches!(chars[tokens[i].start].ch, 'a' | 'i' | 'y' | 'o' | 'e') {
            *ambiguous = true;
            if split_leading {
                out_tokens.push(tokens[i].clone());
                out_gaps.push(gaps[i]);
                i += 1;
            }
        }
        let letters = (i..=j).filter(|&k| chars[tokens[k].start].alpha).count();
        if j - i >= 2 && letters >= 2 {
            out_tokens.push(tokens[i].start..tokens[j].end);
            // A joined word keeps the hard/soft status of the gap after it.
            if j < gaps.len() {
                let mut gap = gaps[j];
                gap.hard |= gap.initial_dot;
                out_gaps.push(gap);
            }
            i = j + 1;
        } else {
            out_tokens.push(tokens[i].clone());
            if i < gaps.len() {
                out_gaps.push(gaps[i]);
            }
            i += 1;
        }
    }
    *tokens = out_tokens;
    *gaps = out_gaps;
}

/// Leetspeak digits between letters become letters; look-alike letters in a
/// Latin word become Latin.
fn decode_token(t: &mut [Unit]) {
    // Leetspeak digits are ASCII digits, and look-alikes are not ASCII: a
    // token with neither, the vast majority, needs nothing.
    if !t.iter().any(|u| u.ch.is_ascii_digit() || !u.ch.is_ascii()) {
        return;
    }
    let letters = t.iter().filter(|u| u.alpha).count();
    if letters >= 2 {
        for k in 0..t.len() {
            if leet_digit(t[k].ch).is_none() || k == 0 {
                continue;
            }
            let before = t[k - 1].alpha;
            let after = t[k + 1..]
                .iter()
                .find(|u| leet_digit(u.ch).is_none())
                .is_some_and(|u| u.alpha);
            if before && after {
                let u = t[k];
                t[k] = Unit::new(leet_digit(u.ch).unwrap_or(u.ch), u.start, u.end, u.upper);
            }
        }
    }
    if t.iter().any(|u| u.ch.is_ascii_alphabetic()) && t.iter().any(|u| homoglyph(u.ch).is_some()) {
        for u in t.iter_mut() {
            if let Some(l) = homoglyph(u.ch) {
                *u = Unit::new(l, u.start, u.end, u.upper);
            }
        }
    }
}

fn render(chars: &[Unit], tokens: &[Range<usize>], gaps: &[Gap]) -> Words {
    // Bytes, made a string once at the end: most are ASCII, pushed one at a time.
    let mut text: Vec<u8> = Vec::with_capacity(chars.len() + tokens.len());
    let mut src = Vec::with_capacity(chars.len() + tokens.len());
    let mut out_tokens = Vec::with_capacity(tokens.len());
    let mut sentence = 0u32;
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 {
            let hard = gaps.get(k - 1).is_some_and(|g| g.hard);
            if hard {
                sentence += 1;
            }
            let prev_end = src.last().map_or((0, 0), |s: &(u32, u32)| (s.1, s.1));
            text.push(if hard { b'\n' } else { b' ' });
            src.push(prev_end);
        }
        let start = text.len() as u32;
        let token = &chars[t.clone()];
        if token.iter().all(|u| u.ch.is_ascii()) {
            text.extend(token.iter().map(|u| u.ch as u8));
            src.extend(token.iter().map(|u| (u.start, u.end)));
        } else {
            for u in token {
                if u.ch.is_ascii() {
                    text.push(u.ch as u8);
                    src.push((u.start, u.end));
                } else {
                    text.extend_from_slice(u.ch.encode_utf8(&mut [0; 4]).as_bytes());
                    for _ in 0..u.ch.len_utf8() {
                        src.push((u.start, u.end));
                    }
                }
            }
        }
        out_tokens.push(Token {
            start,
            end: text.len() as u32,
            sentence,
        });
    }
    Words {
        text: String::from_utf8(text).expect("the view is built from whole characters"),
        src,
        tokens: out_tokens,
        ambiguous: false,
        camel: false,
    }
}

/// The words view of a phrase as a rule writes it (no offsets needed).
pub fn normalise_phrase(phrase: &str) -> String {
    if is_plain_phrase(phrase) {
        return phrase.to_string();
    }
    Words::new(phrase).text.replace('\n', " ")
}

/// Lower-case ASCII words joined by single spaces, no two of them single
/// letters in a row (which would join as spaced letters): most phrases of a
/// policy, and already their own words view.
fn is_plain_phrase(phrase: &str) -> bool {
    let mut single = false;
    !phrase.is_empty()
        && phrase.split(' ').all(|w| {
            let one = w.len() == 1;
            let plain =
                !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()) && !(one && single);
            single = one;
            plain
        })
}

#[cfg(test)]
mod tests {
    use super::{Words, is_pictograph, is_plain_phrase};

    #[test]
    fn plain_phrases_are_their_own_words_view() {
        let words = [
            "a",
            "i",
            "x",
            "no",
            "guaranteed",
            "returns",
            "b",
            "risk",
            "e",
        ];
        let mut checked = 0;
        // Every phrase of up to four of these words, with one or two spaces.
        let mut phrases = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for p in &phrases {
                for w in words {
                    for sep in [" ", "  "] {
                        next.push(if p.is_empty() {
                            w.to_string()
                        } else {
                            format!("{p}{sep}{w}")
                        });
                    }
                }
            }
            for p in &next {
                if is_plain_phrase(p) {
                    assert_eq!(Words::new(p).text.replace('\n', " "), *p, "{p:?}");
                    checked += 1;
                }
            }
            phrases = next;
        }
        assert!(checked > 1000, "{checked}");
        assert!(!is_plain_phrase("a b c"));
        assert!(!is_plain_phrase("no  risk"));
        assert!(!is_plain_phrase("Risk"));
    }

    #[test]
    fn pictographs_are_neither_letters_nor_digits() {
        let all = (0..=0x10FFFF).filter_map(char::from_u32);
        for c in all.filter(|&c| is_pictograph(c)) {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
    }
}
