//! `{name}` references in phrases, patterns and examples.

use std::collections::{BTreeMap, BTreeSet};

/// The named lists a rule can refer to: the policy's entities over its pack's
/// lists, then the entities the policy leaves out (empty).
pub struct Lists<'a> {
    pub entities: &'a BTreeMap<String, Vec<toml::Spanned<String>>>,
    pub pack: &'a BTreeMap<String, Vec<toml::Spanned<String>>>,
    pub empty: &'a BTreeSet<String>,
}

impl Lists<'_> {
    pub fn get(&self, name: &str) -> Option<Vec<&str>> {
        let Some(list) = self.entities.get(name).or_else(|| self.pack.get(name)) else {
            return self.empty.contains(name).then(Vec::new);
        };
        Some(list.iter().map(|s| s.get_ref().as_str()).collect())
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entities
            .keys()
            .chain(self.pack.keys())
            .map(String::as_str)
    }
}

/// The `{name}` references in a string; `{2,3}` regex counts are not references.
pub fn references(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            out.push(name);
        }
        rest = &after[close..];
    }
    out
}

/// Every string `s` stands for, each reference replaced by each value of its list
/// (values mapped through `value`). Unknown references are left to the caller.
pub fn expand(
    s: &str,
    lists: &Lists<'_>,
    value: &dyn Fn(&str) -> String,
    limit: usize,
) -> Result<Vec<String>, String> {
    expand_nested(s, lists, value, limit, 0)
}

/// Lists may refer to lists (`"i work at {company}"`); deeper than this is a cycle.
const MAX_DEPTH: usize = 4;

fn expand_nested(
    s: &str,
    lists: &Lists<'_>,
    value: &dyn Fn(&str) -> String,
    limit: usize,
    depth: usize,
) -> Result<Vec<String>, String> {
    let mut out = vec![s.to_string()];
    for name in references(s) {
        let Some(raw) = lists.get(name) else {
            return Err(name.to_string());
        };
        if depth >= MAX_DEPTH {
            return Err(format!("{name}` refers back to itself, `{name}"));
        }
        let mut values = Vec::new();
        for v in raw {
            values.extend(expand_nested(v, lists, value, limit, depth + 1)?);
        }
        let token = format!("{{{name}}}");
        let mut next = Vec::new();
        for partial in &out {
            for v in &values {
                next.push(partial.replacen(&token, &value(v), 1));
                if next.len() >= limit {
                    break;
                }
            }
        }
        out = next;
    }
    Ok(out)
}

/// An example text with each reference replaced by the first value of its list.
pub fn instantiate_example(s: &str, lists: &Lists<'_>) -> Option<String> {
    let mut out = s.to_string();
    for _ in 0..=MAX_DEPTH {
        let names: Vec<String> = references(&out).into_iter().map(str::to_string).collect();
        if names.is_empty() {
            return Some(out);
        }
        for name in names {
            let first = lists.get(&name)?.first()?.to_string();
            out = out.replacen(&format!("{{{name}}}"), &first, 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_not_counts() {
        assert_eq!(references(r"i work at {company} \d{3}"), vec!["company"]);
        assert!(references("{2,3}").is_empty());
    }
}
