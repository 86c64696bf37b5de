//! `check` end to end on one draft: the default policy with a corporate
//! library (verbatim copies), the findings cap and the JSON record of
//! every finding. Spans must stay on the text's char
//! boundaries and the cap must keep its count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postguard::input::Post;
use postguard::matcher::Engine;
use postguard::matcher::verbatim::CorporatePost;
use postguard::policy::Policy;
use postguard::policy::schema::CopyMode;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let corporate = [
        (
            "c1",
            "We are proud to announce our new partnership with Acme Corp, building the future of payments together.",
            CopyMode::Coach,
        ),
        (
            "c2",
            "Join us at the Spring Summit in Berlin to see what our platform team has been building this year.",
            CopyMode::Approved,
        ),
        (
            "c3",
            "Our quarterly results are out: read the full letter to shareholders on our investor site.",
            CopyMode::Ignore,
        ),
    ];
    Engine::new(Policy::builtin_default().unwrap())
        .unwrap()
        .with_corporate(
            corporate
                .into_iter()
                .map(|(id, text, mode)| CorporatePost {
                    id: id.into(),
                    text: text.into(),
                    mode,
                })
                .collect(),
        )
});

fuzz_target!(|data: &[u8]| {
    // A draft file that is not UTF-8 is refused before checking, as by `check`.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let post = Post {
        id: "draft.md".into(),
        author: "ana".into(),
        text: postguard::input::repair_mojibake(text).into_owned(),
        platform: Some("linkedin".into()),
        ..Post::default()
    };
    let mut result = ENGINE.check(&post);
    let total = result.findings.len() + result.omitted;
    result.cap_findings(5);
    assert!(result.findings.len() <= 5);
    assert_eq!(result.findings.len() + result.omitted, total);
    for f in &result.findings {
        assert!(
            post.text.is_char_boundary(f.start) && post.text.is_char_boundary(f.end),
            "{f:?}"
        );
        assert_eq!(f.matched, post.text[f.start..f.end]);
        let json = serde_json::to_string(f).unwrap();
        let back: postguard::finding::Finding = serde_json::from_str(&json).unwrap();
        assert_eq!(back.start, f.start);
    }
});
