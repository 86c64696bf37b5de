//! Facebook and Instagram exports write UTF-8 bytes as `\u00e2\u0080\u0099`:
//! each byte became a character. Undo that when the result is valid UTF-8.

use std::borrow::Cow;

pub fn repair(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || s.chars().any(|c| c as u32 > 0xFF) {
        return Cow::Borrowed(s);
    }
    let bytes: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
    match String::from_utf8(bytes) {
        Ok(fixed) if fixed != s => Cow::Owned(fixed),
        _ => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn repairs_utf8_read_as_latin1_and_leaves_real_latin1() {
        assert_eq!(
            repair("It\u{e2}\u{80}\u{99}s great \u{f0}\u{9f}\u{9a}\u{80}"),
            "It’s great 🚀"
        );
        assert_eq!(repair("caf\u{e9}"), "café"); // not valid UTF-8 as bytes: left alone
        assert_eq!(repair("plain"), "plain");
        assert_eq!(repair("déjà 🚀"), "déjà 🚀");
    }
}
