//! Reviewed findings: inline `<!-- postguard-ignore RULE: reason -->`
//! suppressions in Markdown drafts, and baseline files of reviewed findings.

use postguard::finding::{Finding, Severity, stable_hash};
use postguard::matcher::PostResult;
use postguard::normalise::normalise_phrase;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

/// Rule id of a suppression that is malformed, has no reason or names no rule.
pub const INVALID_IGNORE: &str = "postguard.invalid-ignore";
/// Rule id of a suppression or baseline entry that no longer matches anything.
pub const UNUSED_IGNORE: &str = "postguard.unused-ignore";

/// postguard's own findings (about suppressions), which no baseline records or hides.
pub fn is_meta(rule: &str) -> bool {
    rule.starts_with("postguard.")
}

const DIRECTIVE: &str = "postguard-ignore";

/// One `<!-- postguard-ignore RULE: reason -->` in a draft.
#[derive(Debug, Clone)]
pub struct Suppression {
    pub rule: String,
    /// The comment itself, in the draft.
    pub comment: Range<usize>,
    /// The paragraph it covers: from the comment to the next blank line.
    pub covers: Range<usize>,
    pub used: bool,
}

/// Finds the directives of a draft, blanks them out of `text` (keeping byte
/// positions) so their words are not checked, and returns the problems found.
pub fn take_suppressions(
    name: &str,
    text: &mut String,
    rule_exists: &dyn Fn(&str) -> bool,
) -> (Vec<Suppression>, Vec<Finding>) {
    let mut suppressions = Vec::new();
    let mut problems = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("<!--").map(|i| i + from) {
        let Some(close) = text[open..].find("-->").map(|i| i + open + 3) else {
            break;
        };
        from = close;
        let body = text[open + 4..close - 3].trim();
        let Some(rest) = body.strip_prefix(DIRECTIVE) else {
            continue;
        };
        let problem = |message: String| Finding {
            rule: INVALID_IGNORE.into(),
            category: "suppression".into(),
            severity: Severity::Error,
            message,
            suggestion: Some(format!(
                "write `<!-- {DIRECTIVE} RULE: why this is acceptable -->`"
            )),
            ..Finding::in_text(text, open..close, name, "")
        };
        let (rule, reason) = match rest.split_once(':') {
            Some((r, reason)) => (r.trim(), reason.trim()),
            None => (rest.trim(), ""),
        };
        if rule.is_empty() || rule.contains(char::is_whitespace) {
            problems.push(problem(format!(
                "malformed suppression: expected `{DIRECTIVE} RULE: reason`"
            )));
        } else if !rule_exists(rule) {
            problems.push(problem(format!(
                "suppression names rule `{rule}`, which the policy does not have"
            )));
        } else if reason.is_empty() {
            problems.push(problem(format!("suppression of `{rule}` gives no reason")));
        } else {
            suppressions.push(Suppression {
                rule: rule.to_string(),
                comment: open..close,
                covers: close..paragraph_end(text, close),
                used: false,
            });
        }
    }
    // Blank every directive so `postguard-ignore finra.x: guaranteed…` is not itself checked.
    for s in suppressions
        .iter()
        .map(|s| s.comment.clone())
        .chain(problems.iter().map(|p| p.start..p.end))
    {
        let blank: String = text[s.clone()]
            .chars()
            .flat_map(|c| {
                std::iter::repeat_n(
                    if c == '\n' { '\n' } else { ' ' },
                    if c == '\n' { 1 } else { c.len_utf8() },
                )
            })
            .collect();
        text.replace_range(s, &blank);
    }
    (suppressions, problems)
}

/// End of the paragraph that starts after `at`: the first blank line after some text.
fn paragraph_end(text: &str, at: usize) -> usize {
    let mut seen_text = false;
    let mut pos = at;
    for line in text[at..].split_inclusive('\n') {
        if line.trim().is_empty() {
            if seen_text {
                return pos;
            }
        } else {
            seen_text = true;
        }
        pos += line.len();
    }
    text.len()
}

/// Removes findings covered by a suppression; marks the suppressions used.
pub fn apply_suppressions(findings: &mut Vec<Finding>, suppressions: &mut [Suppression]) {
    findings.retain(|f| {
        let hit = suppressions
            .iter_mut()
            .find(|s| s.rule == f.rule && s.covers.contains(&f.start));
        match hit {
            Some(s) => {
                s.used = true;
                false
            }
            None => true,
        }
    });
}

/// A file of reviewed findings that later runs do not report again.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    /// The draft file or post id the finding is in.
    pub file: String,
    pub matched: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: invalid baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })
    }

    /// Writes the baseline whole or not at all.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let json = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = dir.join(format!(
            ".{}.tmp{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("baseline"),
            std::process::id()
        ));
        std::fs::write(&tmp, json + "\n")
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                format!("{}: {e}", path.display())
            })
    }
}

impl Baseline {
    /// Removes the findings the baseline records as reviewed; returns the
    /// entries that matched nothing (fixed since, or stale).
    pub fn filter(&self, results: &mut [PostResult]) -> Vec<BaselineEntry> {
        let all: Vec<Finding> = results.iter().flat_map(|r| r.findings.clone()).collect();
        let prints = fingerprints(&all);
        let known: HashSet<&str> = self
            .entries
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let mut used = HashSet::new();
        let mut prints = prints.iter();
        for result in results {
            result.findings.retain(|f| {
                let print = prints.next().map_or("", String::as_str);
                let reviewed = known.contains(print) && !is_meta(&f.rule);
                if reviewed {
                    used.insert(print.to_string());
                }
                !reviewed
            });
        }
        self.entries
            .iter()
            .filter(|e| !used.contains(&e.fingerprint))
            .cloned()
            .collect()
    }
}

/// Fingerprints that survive unrelated edits: the rule, the file, the matched
/// words as normalised, and which occurrence of those it is — no line numbers.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let key = (
                f.rule.clone(),
                f.post_id.clone(),
                normalise_phrase(&f.matched),
            );
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let hash = stable_hash(&[
                key.0.as_bytes(),
                key.1.as_bytes(),
                key.2.as_bytes(),
                n.to_string().as_bytes(),
            ]);
            format!("{hash:016x}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_covers_the_next_paragraph_only() {
        let mut text = "<!-- postguard-ignore x.rule: approved by legal -->\nline one\nline two\n\nnext paragraph".to_string();
        let (s, problems) = take_suppressions("d.md", &mut text, &|r| r == "x.rule");
        assert!(problems.is_empty());
        assert!(s[0].covers.contains(&text.find("line two").unwrap()));
        assert!(!s[0].covers.contains(&text.find("next").unwrap()));
        assert!(!text.contains("postguard-ignore"), "directive is blanked");
    }

    #[test]
    fn bad_suppressions_are_reported() {
        for (comment, expect) in [
            ("<!-- postguard-ignore x.rule -->", "gives no reason"),
            ("<!-- postguard-ignore nope.rule: fine -->", "does not have"),
            ("<!-- postguard-ignore : fine -->", "malformed"),
        ] {
            let mut text = comment.to_string();
            let (s, problems) = take_suppressions("d.md", &mut text, &|r| r == "x.rule");
            assert!(s.is_empty());
            assert!(
                problems[0].message.contains(expect),
                "{comment}: {}",
                problems[0].message
            );
        }
    }

    #[test]
    fn fingerprints_ignore_position_and_spacing() {
        let f = |start, matched: &str| Finding {
            post_id: "a.md".into(),
            author: String::new(),
            rule: "r".into(),
            category: "c".into(),
            severity: Severity::Error,
            message: String::new(),
            start,
            end: start + 1,
            line: 1,
            column: 1,
            matched: matched.into(),
            suggestion: None,
            reference: None,
            corporate_id: None,
            similarity: None,
        };
        assert_eq!(
            fingerprints(&[f(3, "Guaranteed  returns")]),
            fingerprints(&[f(90, "guaranteed returns")])
        );
        let two = fingerprints(&[f(3, "x"), f(9, "x")]);
        assert_ne!(two[0], two[1]);
    }
}
