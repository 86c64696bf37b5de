//! Shared helpers for integration tests.
#![allow(dead_code)]

use postguard::input::Post;
use postguard::matcher::{Engine, PostResult};
use postguard::policy::Policy;
use std::path::Path;

pub fn fixture(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// The engine of the small test policy in tests/fixtures/policy.
pub fn test_engine() -> Engine {
    let policy = Policy::load(&fixture("policy/policy.toml")).expect("test policy loads");
    Engine::new(policy).expect("test policy compiles")
}

pub fn check(engine: &Engine, text: &str) -> PostResult {
    engine.check(&Post {
        id: "p1".into(),
        author: "tester".into(),
        text: text.into(),
        ..Post::default()
    })
}

/// Rule ids that fired on `text`.
pub fn rules(engine: &Engine, text: &str) -> Vec<String> {
    check(engine, text)
        .findings
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

/// The engine of the example firm's policy, built once per test binary.
pub fn brightwater() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/brightwater.toml");
        Engine::new(Policy::load(&path).expect("policy loads")).expect("policy compiles")
    })
}

/// Whether a post dated `created_at` gets a finding of `category` at warning or above.
pub fn flags(engine: &Engine, category: &str, text: &str, created_at: Option<&str>) -> bool {
    engine
        .check(&Post {
            id: "p".into(),
            author: "a".into(),
            text: text.into(),
            created_at: created_at.map(str::to_string),
            ..Post::default()
        })
        .findings
        .iter()
        .any(|f| f.category == category && f.severity >= postguard::finding::Severity::Warning)
}

/// Checks a table of (post, expected) for one category and reports every
/// row that is wrong at once.
pub fn category_table(category: &str, rows: &[(&str, bool)]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter(|(text, expected)| flags(brightwater(), category, text, None) != *expected)
        .map(|(text, expected)| format!("  expected {expected}: {text:?}"))
        .collect();
    assert!(wrong.is_empty(), "{category}:\n{}", wrong.join("\n"));
}
