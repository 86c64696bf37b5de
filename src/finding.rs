//! The records the engine produces: severities and findings.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is. Ordered: `info < warning < error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Error];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}` (expected info, warning or error)"
            )),
        }
    }
}

/// The built-in categories. A policy may add its own, so categories are strings.
pub const BUILTIN_CATEGORIES: [&str; 5] = [
    "disclosure",
    "regulated-claim",
    "verbatim-repost",
    "confidential",
    "privacy",
];

/// One violation in one post: the contract's finding record.
///
/// `start`/`end` are byte offsets into the original text (end exclusive);
/// `line` and `column` are 1-based, the column counted in Unicode scalar values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub post_id: String,
    pub author: String,
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    pub message: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub matched: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corporate_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
}

impl Finding {
    /// The located part of a finding on `text[span]`: offsets, line, column
    /// and matched text. Callers fill in the rule with struct update syntax.
    pub fn in_text(
        text: &str,
        span: std::ops::Range<usize>,
        post_id: &str,
        author: &str,
    ) -> Finding {
        let (line, column) = line_column(text, span.start);
        Finding {
            line,
            column,
            ..Finding::unlocated(text, span, post_id, author)
        }
    }

    /// Like [`Finding::in_text`] without the line and column, which
    /// [`locate_sorted`] fills in for all the findings of a text at once.
    pub fn unlocated(
        text: &str,
        span: std::ops::Range<usize>,
        post_id: &str,
        author: &str,
    ) -> Finding {
        let (line, column) = (0, 0);
        Finding {
            post_id: post_id.to_string(),
            author: author.to_string(),
            rule: String::new(),
            category: String::new(),
            severity: Severity::Info,
            message: String::new(),
            matched: text[span.clone()].to_string(),
            start: span.start,
            end: span.end,
            line,
            column,
            suggestion: None,
            reference: None,
            corporate_id: None,
            similarity: None,
        }
    }
}

/// FNV-1a 64 over parts separated by NUL: stable across platforms and
/// releases (unlike std's hasher), for fingerprints and file names.
pub fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(&[0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Fills in the line and column of findings sorted by start, in one pass
/// over the text however many there are.
pub fn locate_sorted(text: &str, findings: &mut [Finding]) {
    let (mut at, mut line, mut column) = (0usize, 1usize, 1usize);
    for f in findings.iter_mut() {
        if f.start < at {
            (f.line, f.column) = line_column(text, f.start);
            continue;
        }
        for c in text[at..f.start].chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        at = f.start;
        (f.line, f.column) = (line, column);
    }
}

/// 1-based line and column (in chars) of byte offset `at` in `text`.
pub fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locating_in_one_pass_agrees_with_line_column() {
        let text = "héllo\n🚀 guaranteed\n\nrisk-free 🚀 returns";
        let mut findings: Vec<Finding> = ["guaranteed", "risk-free", "returns", "héllo"]
            .iter()
            .map(|w| {
                let at = text.find(w).unwrap();
                Finding::in_text(text, at..at + w.len(), "p", "a")
            })
            .collect();
        let expected: Vec<(usize, usize)> = findings.iter().map(|f| (f.line, f.column)).collect();
        findings.sort_by_key(|f| f.start);
        let sorted_expected: Vec<(usize, usize)> =
            findings.iter().map(|f| (f.line, f.column)).collect();
        for f in &mut findings {
            (f.line, f.column) = (0, 0);
        }
        locate_sorted(text, &mut findings);
        let got: Vec<(usize, usize)> = findings.iter().map(|f| (f.line, f.column)).collect();
        assert_eq!(got, sorted_expected);
        assert_eq!(expected.len(), 4);
    }

    #[test]
    fn line_column_counts_chars_not_bytes() {
        let text = "héllo\n🚀 guaranteed";
        let at = text.find("guaranteed").unwrap();
        assert_eq!(line_column(text, at), (2, 3));
        assert_eq!(line_column(text, 0), (1, 1));
    }

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Error);
        assert_eq!("warning".parse::<Severity>(), Ok(Severity::Warning));
        assert!("fatal".parse::<Severity>().is_err());
    }
}
