//! The policy loader on any TOML text: parsing and compiling either give a
//! policy that checks a post, or diagnostics; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postguard::input::Post;
use postguard::matcher::Engine;
use postguard::policy::{Policy, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("fuzz.toml", text);
    let Ok((policy, _)) = Policy::parse_lenient(source, None) else {
        return;
    };
    let Ok((engine, _)) = Engine::new_lenient(policy) else {
        return;
    };
    let _ = engine.run_examples();
    let post = Post {
        id: "p".into(),
        author: "a".into(),
        text: "Guaranteed returns! Call 555-0100, mail ana@example.com #ad".into(),
        ..Post::default()
    };
    let result = engine.check(&post);
    for f in &result.findings {
        assert_eq!(f.matched, post.text[f.start..f.end]);
    }
});
