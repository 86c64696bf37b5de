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
