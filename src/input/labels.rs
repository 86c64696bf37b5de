//! Labelled posts for `eval`: a JSONL post with the categories it truly violates.
//!
//! The post fields are read by the ordinary JSONL reader during the scan; this
//! reader takes the labels beside them, strictly: a labelled set with a broken
//! line would measure the wrong thing, so every problem is an error.

use super::BadRecord;
use serde::Deserialize;
use std::collections::HashMap;
use std::io::BufRead;

/// The expectations of one labelled post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub id: String,
    /// The file and line it came from.
    pub file: String,
    pub line: u64,
    pub text: String,
    pub author: String,
    /// Categories the post truly violates; empty means clean.
    pub categories: Vec<String>,
    /// Rules expected to fire, when the labeller named them.
    pub rules: Option<Vec<String>>,
    /// The kind of case (`finance/prediction`), for results by family.
    pub family: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize)]
struct RawLabel {
    id: Option<serde_json::Value>,
    #[serde(default)]
    author: Option<String>,
    text: Option<String>,
    categories: Option<Vec<String>>,
    #[serde(default)]
    rules: Option<Vec<String>>,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// Reads every label of a file; `known` are the categories a label may name.
/// Returns all problems at once, each naming the file and line.
pub fn read_labels(
    reader: impl BufRead,
    file: &str,
    known: &[&str],
) -> Result<Vec<Label>, Vec<BadRecord>> {
    let mut labels = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (index, line) in reader.lines().enumerate() {
        let line_no = index as u64 + 1;
        let bad = |reason: String| BadRecord {
            file: file.to_string(),
            line: line_no,
            reason,
        };
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                problems.push(bad(format!("cannot read the line: {e}")));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match parse(&line, known) {
            Ok(mut label) => {
                if let Some(first) = seen.insert(label.id.clone(), line_no) {
                    problems.push(bad(format!(
                        "duplicate id `{}` (first on line {first})",
                        label.id
                    )));
                    continue;
                }
                label.file = file.to_string();
                label.line = line_no;
                labels.push(label);
            }
            Err(reason) => problems.push(bad(reason)),
        }
    }
    if problems.is_empty() {
        Ok(labels)
    } else {
        Err(problems)
    }
}

fn parse(line: &str, known: &[&str]) -> Result<Label, String> {
    let raw: RawLabel = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let id = match raw.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err("missing field `id`".into()),
    };
    let text = raw.text.ok_or("missing field `text`")?;
    let mut categories = raw
        .categories
        .ok_or("missing field `categories` (use [] for a clean post)")?;
    if let Some(unknown) = categories.iter().find(|c| !known.contains(&c.as_str())) {
        return Err(format!(
            "unknown category `{unknown}` (expected one of: {})",
            known.join(", ")
        ));
    }
    categories.sort();
    categories.dedup();
    Ok(Label {
        id,
        file: String::new(),
        line: 0,
        text,
        author: raw.author.unwrap_or_default(),
        categories,
        rules: raw.rules,
        family: raw.family,
        note: raw.note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["disclosure", "privacy"];

    fn read(s: &str) -> Result<Vec<Label>, Vec<BadRecord>> {
        read_labels(s.as_bytes(), "set.jsonl", KNOWN)
    }

    #[test]
    fn reads_labels_with_optional_fields() {
        let labels = read(concat!(
            r#"{"id": "a", "author": "x", "text": "hi", "categories": []}"#,
            "\n\n",
            r#"{"id": 7, "text": "t", "categories": ["privacy", "disclosure", "privacy"], "family": "f", "rules": ["r"]}"#,
        ))
        .unwrap();
        assert_eq!(labels.len(), 2);
        assert!(labels[0].categories.is_empty());
        assert_eq!(labels[1].id, "7");
        assert_eq!(labels[1].line, 3);
        assert_eq!(labels[1].categories, ["disclosure", "privacy"]);
        assert_eq!(labels[1].family.as_deref(), Some("f"));
        assert_eq!(labels[1].rules.as_deref(), Some(&["r".to_string()][..]));
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let problems = read(concat!(
            r#"{"id": "a", "text": "hi", "categories": ["secret"]}"#,
            "\n",
            r#"{"id": "b", "text": "hi"}"#,
            "\n",
            "not json\n",
            r#"{"id": "c", "text": "hi", "categories": []}"#,
            "\n",
            r#"{"id": "c", "text": "hi", "categories": []}"#,
        ))
        .unwrap_err();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 2, 3, 5]);
        assert!(problems[0].reason.contains("unknown category `secret`"));
        assert!(problems[1].reason.contains("categories"));
        assert!(
            problems[3]
                .reason
                .contains("duplicate id `c` (first on line 4)")
        );
        assert_eq!(problems[0].to_string().split(':').next(), Some("set.jsonl"));
    }
}
