//! The corporate index at scale: build time and memory for 100,000 corporate
//! posts, and query speed against an anchor measured in the same run (the
//! time to read the same posts' words with the normaliser).
//!
//! `cargo bench --bench verbatim_index`

use postguard::matcher::verbatim::{CorporatePost, VerbatimIndex};
use postguard::normalise::Words;
use postguard::policy::schema::{CopyMode, VerbatimSettings};
use std::hint::black_box;
use std::time::Instant;

/// Syllables for a vocabulary of some 8,000 pseudo-words, about what a
/// company's posts use; a tiny vocabulary would make every shingle common.
const SYLLABLES: &[&str] = &[
    "ba", "ri", "to", "men", "sa", "lo", "ven", "ka", "dor", "pe", "lu", "gra", "tis", "mo", "ne",
    "char", "fi", "stra", "on", "el",
];

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn word(&mut self) -> String {
        let n = 2 + (self.next() % 2) as usize;
        (0..n)
            .map(|_| SYLLABLES[(self.next() % SYLLABLES.len() as u64) as usize])
            .collect()
    }
    fn text(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.word())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let mut rng = Rng(0x5eed);
    let corporate: Vec<CorporatePost> = (0..100_000)
        .map(|i| CorporatePost {
            id: format!("corp-{i}"),
            text: rng.text(30 + (i % 40)),
            mode: CopyMode::Coach,
        })
        .collect();
    let employee: Vec<String> = (0..100_000)
        .map(|i| {
            if i % 20 == 0 {
                format!("Great news! {}", corporate[(i * 7) % corporate.len()].text)
            } else {
                rng.text(25 + i % 30)
            }
        })
        .collect();
    let rss_before = peak_rss_mb();

    let t = Instant::now();
    let index = VerbatimIndex::build(corporate, &VerbatimSettings::default());
    let build = t.elapsed();
    let rss_after = peak_rss_mb();

    let t = Instant::now();
    let tokens: usize = employee
        .iter()
        .map(|p| black_box(Words::new(p)).tokens.len())
        .sum();
    let anchor = t.elapsed();

    let t = Instant::now();
    let found = employee
        .iter()
        .filter(|p| black_box(index.best_match(p)).is_some())
        .count();
    let query = t.elapsed();

    println!("corporate index over {} posts", index.len());
    println!("  build:            {:.2} s", build.as_secs_f64());
    println!(
        "  index heap:       {:.1} MB (approx.), peak RSS grew {:.1} MB",
        index.heap_bytes() as f64 / 1e6,
        rss_after - rss_before
    );
    println!(
        "queries: {} employee posts ({tokens} words), {found} copies found",
        employee.len()
    );
    println!(
        "  anchor (normalise words): {:.0} posts/s",
        employee.len() as f64 / anchor.as_secs_f64()
    );
    println!(
        "  verbatim best_match:      {:.0} posts/s ({:.2}x the anchor's time)",
        employee.len() as f64 / query.as_secs_f64(),
        query.as_secs_f64() / anchor.as_secs_f64()
    );
}
