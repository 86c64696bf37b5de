//! Machine formats for CI: SARIF 2.1.0, GitHub Actions annotations, JUnit XML.
//! `check` and `lint` both describe what they found as [`Item`]s.

pub mod github;
pub mod junit;
pub mod sarif;

use postguard::finding::Severity;

/// One located problem, in any file, in the shape every CI format needs.
#[derive(Debug, Clone)]
pub struct Item {
    pub file: String,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// 1-based line and column (Unicode code points) of the first character.
    pub start: (usize, usize),
    /// 1-based line and column just past the last character.
    pub end: (usize, usize),
    pub help: Option<String>,
}

/// What a rule is, for formats that describe rules apart from results.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub id: String,
    pub short: String,
    pub full: String,
    pub help: String,
}
