//! Problems found in a policy or pack, located by file, line and column.

use crate::finding::{Severity, line_column};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A policy or pack file, kept whole so problems can be shown in context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user would type it, or `<builtin>/name.toml`.
    pub name: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
        })
    }

    /// Byte range of the first `needle` at or after `from`, for values that
    /// carry no span of their own (strings inside arrays of the match table).
    pub fn find(&self, needle: &str, from: usize) -> Option<Range<usize>> {
        let from = from.min(self.text.len());
        let at = self.text.get(from..)?.find(needle)? + from;
        Some(at..at + needle.len())
    }
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Arc<SourceFile>,
    /// Byte range in `file.text`.
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    /// A stable name for the kind of problem (`policy.unknown-key`), for CI formats.
    pub code: &'static str,
}

impl Diagnostic {
    pub fn error(file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: Arc::clone(file),
            span: clamp(span, &file.text),
            message: message.into(),
            help: None,
            code: "policy.invalid",
        }
    }

    pub fn warning(file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, span, message)
        }
    }

    pub fn info(file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            ..Diagnostic::error(file, span, message)
        }
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_column(&self) -> (usize, usize) {
        line_column(&self.file.text, self.span.start)
    }
}

fn clamp(span: Range<usize>, text: &str) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = self.line_column();
        write!(f, "{}:{line}:{column}: {}", self.file.name, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Everything wrong with a policy, reported at once.
#[derive(Debug, Clone)]
pub struct PolicyError {
    pub diagnostics: Vec<Diagnostic>,
}

impl PolicyError {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

impl From<Diagnostic> for PolicyError {
    fn from(d: Diagnostic) -> Self {
        PolicyError {
            diagnostics: vec![d],
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, c)| d > 0 && d <= (c.chars().count().max(3) / 3).max(1) + 1)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// A `toml` decoding error as a located diagnostic, with "did you mean" for unknown keys.
pub fn from_toml_error(file: &Arc<SourceFile>, err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim().to_string();
    let mut span = err.span().unwrap_or(0..0);
    let mut help = None;
    if let Some((word, expected)) = unknown_name(&message) {
        help = did_you_mean(word, expected.iter().copied()).map(|s| format!("did you mean `{s}`?"));
        // Inside a tagged table the span is the table; point at the key itself.
        if let Some(at) = find_key(&file.text, word, span.start) {
            span = at;
        }
    }
    let code = if message.starts_with("unknown field") {
        "policy.unknown-key"
    } else {
        "policy.syntax"
    };
    Diagnostic::error(file, span, message)
        .with_help(help)
        .with_code(code)
}

/// `unknown field `x`, expected one of `a`, `b`` → ("x", ["a", "b"]).
fn unknown_name(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (word, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).collect();
    Some((word, expected))
}

fn find_key(text: &str, key: &str, from: usize) -> Option<Range<usize>> {
    let mut at = from.min(text.len());
    while let Some(i) = text.get(at..)?.find(key) {
        let start = at + i;
        let end = start + key.len();
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '{' || c == ',' || c == '"');
        let after = text[end..].trim_start_matches(['"', ' ', '\t']);
        if before_ok
            && (after.starts_with('=') || after.starts_with(',') || after.starts_with('\n'))
        {
            return Some(start..end);
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("severty", ["severity", "message"]),
            Some("severity")
        );
        assert_eq!(did_you_mean("fnra", ["finra", "ftc"]), Some("finra"));
        assert_eq!(did_you_mean("colour", ["id", "kind"]), None);
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            severity: String,
        }
        let text = "severty = \"error\"\n";
        let file = SourceFile::new("p.toml", text);
        let err = toml::from_str::<T>(text).unwrap_err();
        let d = from_toml_error(&file, &err);
        assert_eq!(d.line_column(), (1, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `severity`?"));
    }
}
