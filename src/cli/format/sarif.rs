//! SARIF 2.1.0, the format GitHub code scanning and most CI dashboards read.

use super::{Item, RuleMeta};
use postguard::finding::Severity;
use serde_json::{Value, json};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(items: &[Item], rules: &[RuleMeta]) -> Value {
    let rule_index = |id: &str| rules.iter().position(|r| r.id == id);
    let results: Vec<Value> = items
        .iter()
        .map(|i| {
            let mut message = i.message.clone();
            if let Some(help) = &i.help {
                message.push_str(&format!(" ({help})"));
            }
            let mut result = json!({
                "ruleId": i.rule,
                "level": level(i.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&i.file) },
                        "region": {
                            "startLine": i.start.0,
                            "startColumn": i.start.1,
                            "endLine": i.end.0,
                            "endColumn": i.end.1,
                        }
                    }
                }]
            });
            if let Some(index) = rule_index(&i.rule) {
                result["ruleIndex"] = json!(index);
            }
            result
        })
        .collect();
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": r.short },
                "fullDescription": { "text": if r.full.is_empty() { &r.short } else { &r.full } },
                "help": { "text": r.help },
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "postguard",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a path (SARIF wants `/` and percent-escapes).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
