//! The anchor of `benches/serve.sh`: `Engine::check` of the load test's
//! draft in process, with the same policy, so the served time can be given
//! as a ratio of it.
//!
//! `cargo bench --bench engine_check`

use postguard::input::Post;
use postguard::matcher::Engine;
use postguard::policy::Policy;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policy = Policy::load(&root.join("policies/brightwater.toml")).expect("policy loads");
    // As `serve` builds it: the automata of a batch scan.
    let engine = Engine::new(policy).expect("policy compiles").for_batch();
    let text = std::fs::read_to_string(root.join("benches/serve_draft.txt")).expect("draft");
    let post = Post {
        id: "draft".into(),
        author: String::new(),
        text,
        platform: Some("linkedin".into()),
        created_at: None,
        url: None,
        hidden: Vec::new(),
    };
    let findings = engine.check(&post).findings.len();
    const N: u32 = 100_000;
    let mut runs = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        for _ in 0..N {
            black_box(engine.check(black_box(&post)));
        }
        runs.push(started.elapsed().as_secs_f64() / f64::from(N) * 1e6);
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "engine_check: {:.2} µs per check (median of 5 × {N}; {} chars, {findings} findings)",
        runs[2],
        post.text.chars().count()
    );
}
