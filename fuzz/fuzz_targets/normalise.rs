//! The normaliser through the check of one text with the default policy:
//! every finding's span lies on char boundaries of the original text and
//! `matched` is exactly the text there; the words and text views map every
//! byte back inside the original.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postguard::input::Post;
use postguard::matcher::Engine;
use postguard::normalise::{TextView, Words};
use postguard::policy::Policy;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> =
    LazyLock::new(|| Engine::new(Policy::builtin_default().unwrap()).unwrap());

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for words in [Words::new(text), Words::other_reading(text)] {
        for t in &words.tokens {
            let r = words.source_range(t.start as usize..t.end as usize);
            assert!(r.start <= r.end && r.end <= text.len(), "{r:?}");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
    let view = TextView::new(text);
    let r = view.source_range(0..view.text.len());
    assert!(r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end));

    let post = Post {
        id: "p".into(),
        author: "a".into(),
        text: text.to_string(),
        ..Post::default()
    };
    let result = ENGINE.check(&post);
    for f in &result.findings {
        assert!(f.start <= f.end && f.end <= text.len(), "{f:?}");
        assert!(
            text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
            "{f:?}"
        );
        assert_eq!(f.matched, text[f.start..f.end], "{f:?}");
        assert_eq!(
            (f.line, f.column),
            postguard::finding::line_column(text, f.start),
            "{f:?}"
        );
    }
});
