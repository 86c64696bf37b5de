//! Character folding: what one original character becomes before tokenising.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Characters that render as nothing and are used to break up words.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                  // soft hyphen
        | '\u{034F}'                // combining grapheme joiner
        | '\u{061C}'                // arabic letter mark
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // hangul fillers
        | '\u{180E}'                // mongolian vowel separator
        | '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
        | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}'   // bidi isolates
        | '\u{FE00}'..='\u{FE0F}'   // variation selectors
        | '\u{FEFF}'                // byte order mark / zero-width no-break space
        | '\u{E0000}'..='\u{E007F}' // tag characters
        | '\u{E0100}'..='\u{E01EF}' // variation selectors supplement
    )
}

/// Latin look-alikes from Cyrillic and Greek, lower case only (folding runs after lower-casing).
pub fn homoglyph(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' => 'e',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'һ' => 'h',
        'ӏ' => 'l',
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        'ζ' => 'z',
        'η' => 'n',
        _ => return None,
    })
}

/// Compatibility form folded, invisible characters gone, case kept: the text view.
pub fn fold_keep_case(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c);
        return;
    }
    if is_invisible(c) {
        return;
    }
    for d in std::iter::once(c).nfkc() {
        if let Some(lower) = single_lower(d).and_then(homoglyph) {
            // Keep the case of a look-alike capital: `Р` becomes `P`.
            out(if d.is_uppercase() {
                lower.to_ascii_uppercase()
            } else {
                lower
            });
        } else {
            out(d);
        }
    }
}

/// Compatibility form, accents stripped, lower case: the words view before tokenising.
/// Homoglyphs are folded later, per token, so Cyrillic words stay Cyrillic.
pub fn fold_lower(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    if is_invisible(c) {
        return;
    }
    for d in std::iter::once(c).nfkd() {
        if is_combining_mark(d) {
            continue;
        }
        for l in d.to_lowercase() {
            if !is_combining_mark(l) {
                out(l);
            }
        }
    }
}

fn single_lower(c: char) -> Option<char> {
    let mut it = c.to_lowercase();
    let first = it.next()?;
    it.next().is_none().then_some(first)
}
