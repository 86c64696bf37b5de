//! Match: a policy compiled once into matchers, run on one post at a time.

use crate::finding::Finding;
use crate::input::Post;

/// What checking one post produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostResult {
    /// Findings in order of position, then rule id.
    pub findings: Vec<Finding>,
    /// The post mentions the company or its products (a `requires` trigger matched).
    pub promotional: bool,
    /// A promotional post that carries an accepted disclosure.
    pub disclosed: bool,
    /// The post is a verbatim copy of corporate content.
    pub verbatim: bool,
    /// Matches that an exception or a disclosure cleared (for `--verbose`).
    pub cleared: Vec<Cleared>,
}

/// A match that did not become a finding, and what cleared it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleared {
    pub rule: String,
    pub start: usize,
    pub end: usize,
    pub matched: String,
    /// The exception or disclosure that cleared the match, as written in the post.
    pub by: String,
}

/// A compiled policy. Build once, share read-only across threads.
pub struct Engine {}

impl Engine {
    pub fn check(&self, _post: &Post) -> PostResult {
        PostResult::default()
    }
}
