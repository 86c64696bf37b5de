//! Detection quality: the findings of a scan compared with the categories a
//! labeller gave each post, as precision and recall per category, per rule
//! and per family of cases.

use crate::finding::{Finding, Severity};
use crate::input::labels::Label;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// True and false positives and negatives of one category (or all together).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Posts labelled with the category.
    pub positives: u64,
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Counts {
    /// Share of flagged posts that truly violate; `None` when nothing was flagged.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Share of violating posts that were flagged; `None` when there were none.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> Option<f64> {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    fn add(&mut self, other: Counts) {
        self.positives += other.positives;
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// How often a rule fired on posts that violate its category, and on others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleCounts {
    pub category: String,
    /// Posts where it fired and the post is labelled with the rule's category
    /// (or names the rule, when the label lists rules).
    pub true_hits: u64,
    pub false_hits: u64,
    /// Posts whose label names the rule but where it did not fire.
    pub missed: u64,
}

/// Results for one family of cases (`finance/prediction`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FamilyCounts {
    pub posts: u64,
    /// Posts whose flagged categories equal their labels.
    pub right: u64,
    /// Labelled categories not flagged.
    pub misses: u64,
    /// Flagged categories not labelled.
    pub false_alarms: u64,
}

/// One post the policy got wrong in one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mistake {
    pub id: String,
    pub file: String,
    pub line: u64,
    pub author: String,
    pub category: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub text: String,
    /// Every finding on the post at or above the threshold.
    pub fired: Vec<Finding>,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub posts: u64,
    pub clean: u64,
    pub min_severity: Severity,
    /// Per category, in the order given to [`evaluate`].
    pub categories: BTreeMap<String, Counts>,
    /// Summed over categories.
    pub overall: Counts,
    /// True category (`clean` for none) → flagged category (`nothing` for none) → posts.
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
    pub rules: BTreeMap<String, RuleCounts>,
    pub families: BTreeMap<String, FamilyCounts>,
    pub misses: Vec<Mistake>,
    pub false_alarms: Vec<Mistake>,
}

/// Compares each label with the findings on its post. `findings` holds, per
/// post id, every finding of the scan; those below `min_severity` are coaching
/// notes and do not flag a post.
pub fn evaluate(
    labels: &[Label],
    findings: &BTreeMap<String, Vec<Finding>>,
    categories: &[&str],
    min_severity: Severity,
) -> Evaluation {
    let mut eval = Evaluation {
        posts: labels.len() as u64,
        clean: labels.iter().filter(|l| l.categories.is_empty()).count() as u64,
        min_severity,
        categories: categories
            .iter()
            .map(|c| (c.to_string(), Counts::default()))
            .collect(),
        overall: Counts::default(),
        confusion: BTreeMap::new(),
        rules: BTreeMap::new(),
        families: BTreeMap::new(),
        misses: Vec::new(),
        false_alarms: Vec::new(),
    };
    let none = Vec::new();
    for label in labels {
        let fired: Vec<&Finding> = findings
            .get(&label.id)
            .unwrap_or(&none)
            .iter()
            .filter(|f| f.severity >= min_severity)
            .collect();
        let flagged: BTreeSet<&str> = fired.iter().map(|f| f.category.as_str()).collect();
        let truth: BTreeSet<&str> = label.categories.iter().map(String::as_str).collect();
        let mistake = |category: &str| Mistake {
            id: label.id.clone(),
            file: label.file.clone(),
            line: label.line,
            author: label.author.clone(),
            category: category.to_string(),
            family: label.family.clone(),
            note: label.note.clone(),
            text: label.text.clone(),
            fired: fired.iter().map(|f| (*f).clone()).collect(),
        };
        for (category, counts) in eval.categories.iter_mut() {
            let (is, got) = (
                truth.contains(category.as_str()),
                flagged.contains(category.as_str()),
            );
            counts.positives += u64::from(is);
            match (is, got) {
                (true, true) => counts.tp += 1,
                (false, true) => {
                    counts.fp += 1;
                    eval.false_alarms.push(mistake(category));
                }
                (true, false) => {
                    counts.fn_ += 1;
                    eval.misses.push(mistake(category));
                }
                (false, false) => {}
            }
        }

        let rows = if truth.is_empty() {
            vec!["clean"]
        } else {
            truth.iter().copied().collect()
        };
        let columns = if flagged.is_empty() {
            vec!["nothing"]
        } else {
            flagged.iter().copied().collect()
        };
        for row in &rows {
            let row = eval.confusion.entry(row.to_string()).or_default();
            for column in &columns {
                *row.entry(column.to_string()).or_default() += 1;
            }
        }

        let named = label.rules.as_ref();
        let fired_rules: BTreeSet<(&str, &str)> = fired
            .iter()
            .map(|f| (f.rule.as_str(), f.category.as_str()))
            .collect();
        for (rule, category) in &fired_rules {
            let counts = eval.rules.entry(rule.to_string()).or_default();
            counts.category = category.to_string();
            let expected = match named {
                Some(rules) => rules.iter().any(|r| r == rule),
                None => truth.contains(category),
            };
            if expected {
                counts.true_hits += 1;
            } else {
                counts.false_hits += 1;
            }
        }
        for rule in named.into_iter().flatten() {
            if !fired_rules.iter().any(|(r, _)| r == rule) {
                eval.rules.entry(rule.clone()).or_default().missed += 1;
            }
        }

        if let Some(family) = &label.family {
            let fam = eval.families.entry(family.clone()).or_default();
            fam.posts += 1;
            let relevant = |c: &&str| categories.contains(c);
            let flagged: BTreeSet<&str> = flagged.iter().copied().filter(relevant).collect();
            fam.misses += truth.difference(&flagged).count() as u64;
            fam.false_alarms += flagged.difference(&truth).count() as u64;
            fam.right += u64::from(flagged == truth);
        }
    }
    for counts in eval.categories.values() {
        eval.overall.add(*counts);
    }
    eval
}

/// A lowest acceptable figure: `--min-recall 0.9` or `--min-recall privacy=0.93`.
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    pub measure: Measure,
    /// `None` applies to every category with labelled posts or findings.
    pub category: Option<String>,
    pub min: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    Precision,
    Recall,
}

/// A floor checked against one category's figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FloorResult {
    pub measure: Measure,
    pub category: String,
    pub min: f64,
    /// `None` when the figure is undefined (nothing flagged, or nothing to find).
    pub value: Option<f64>,
    pub ok: bool,
}

impl Floor {
    /// Parses `0.9` or `category=0.9`.
    pub fn parse(measure: Measure, s: &str) -> Result<Floor, String> {
        let (category, value) = match s.split_once('=') {
            Some((c, v)) => (Some(c.trim().to_string()), v),
            None => (None, s),
        };
        let min: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("`{value}` is not a number between 0 and 1"))?;
        if !(0.0..=1.0).contains(&min) {
            return Err(format!("`{value}` is not a number between 0 and 1"));
        }
        Ok(Floor {
            measure,
            category,
            min,
        })
    }
}

/// Every floor against the figures; an undefined figure passes (recall
/// catches a policy that flags nothing where there is something to find).
pub fn check_floors(eval: &Evaluation, floors: &[Floor]) -> Vec<FloorResult> {
    let mut out = Vec::new();
    for floor in floors {
        let categories: Vec<&String> = match &floor.category {
            Some(c) => eval.categories.keys().filter(|k| *k == c).collect(),
            None => eval
                .categories
                .iter()
                .filter(|(_, n)| n.positives + n.fp > 0)
                .map(|(k, _)| k)
                .collect(),
        };
        for category in categories {
            let counts = eval.categories[category];
            let value = match floor.measure {
                Measure::Precision => counts.precision(),
                Measure::Recall => counts.recall(),
            };
            out.push(FloorResult {
                measure: floor.measure,
                category: category.clone(),
                min: floor.min,
                value,
                ok: value.is_none_or(|v| v + 1e-9 >= floor.min),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATS: &[&str] = &["disclosure", "privacy"];

    fn label(id: &str, categories: &[&str], family: &str) -> Label {
        Label {
            id: id.into(),
            file: "set.jsonl".into(),
            line: 1,
            text: format!("text of {id}"),
            author: "a".into(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            rules: None,
            family: Some(family.into()),
            note: None,
        }
    }

    fn finding(post: &str, rule: &str, category: &str, severity: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            category: category.into(),
            severity,
            ..Finding::in_text("text", 0..4, post, "a")
        }
    }

    fn sample() -> Evaluation {
        let labels = [
            label("tp", &["privacy"], "f1"),
            label("fn", &["privacy"], "f1"),
            label("fp", &[], "f2"),
            label("both", &["disclosure", "privacy"], "f2"),
            label("note", &["disclosure"], "f2"),
        ];
        let mut findings = BTreeMap::new();
        findings.insert(
            "tp".into(),
            vec![finding("tp", "privacy.phone", "privacy", Severity::Error)],
        );
        findings.insert(
            "fp".into(),
            vec![finding("fp", "privacy.phone", "privacy", Severity::Warning)],
        );
        findings.insert(
            "both".into(),
            vec![
                finding("both", "ftc.missing", "disclosure", Severity::Error),
                finding("both", "privacy.email", "privacy", Severity::Error),
            ],
        );
        // An info note is coaching: it does not flag the post.
        findings.insert(
            "note".into(),
            vec![finding("note", "ftc.buried", "disclosure", Severity::Info)],
        );
        evaluate(&labels, &findings, CATS, Severity::Warning)
    }

    #[test]
    fn counts_per_category_and_overall() {
        let e = sample();
        let p = e.categories["privacy"];
        assert_eq!((p.positives, p.tp, p.fp, p.fn_), (3, 2, 1, 1));
        assert_eq!(p.precision(), Some(2.0 / 3.0));
        assert_eq!(p.recall(), Some(2.0 / 3.0));
        let d = e.categories["disclosure"];
        assert_eq!((d.positives, d.tp, d.fp, d.fn_), (2, 1, 0, 1));
        assert_eq!(e.overall.tp, 3);
        assert_eq!(e.overall.fn_, 2);
        assert_eq!((e.posts, e.clean), (5, 1));
        assert_eq!(e.misses.len(), 2);
        assert_eq!(e.false_alarms.len(), 1);
        assert_eq!(e.false_alarms[0].id, "fp");
        assert_eq!(e.false_alarms[0].fired[0].rule, "privacy.phone");
    }

    #[test]
    fn confusion_rules_and_families() {
        let e = sample();
        assert_eq!(e.confusion["clean"]["privacy"], 1);
        assert_eq!(e.confusion["privacy"]["nothing"], 1);
        assert_eq!(e.confusion["disclosure"]["nothing"], 1);
        assert_eq!(e.rules["privacy.phone"].true_hits, 1);
        assert_eq!(e.rules["privacy.phone"].false_hits, 1);
        assert!(!e.rules.contains_key("ftc.buried"));
        assert_eq!(e.families["f1"].right, 1);
        assert_eq!(e.families["f1"].misses, 1);
        assert_eq!(e.families["f2"].false_alarms, 1);
        assert_eq!(e.families["f2"].right, 1);
    }

    #[test]
    fn a_lower_threshold_counts_notes() {
        let labels = [label("note", &["disclosure"], "f")];
        let mut findings = BTreeMap::new();
        findings.insert(
            "note".into(),
            vec![finding("note", "ftc.buried", "disclosure", Severity::Info)],
        );
        let e = evaluate(&labels, &findings, CATS, Severity::Info);
        assert_eq!(e.categories["disclosure"].tp, 1);
    }

    #[test]
    fn floors_per_category_and_global() {
        let e = sample();
        let floors = [
            Floor::parse(Measure::Recall, "0.5").unwrap(),
            Floor::parse(Measure::Precision, "privacy=0.7").unwrap(),
        ];
        let results = check_floors(&e, &floors);
        assert_eq!(results.len(), 3);
        assert!(results[0].ok && results[1].ok, "{results:?}");
        assert!(!results[2].ok);
        assert_eq!(results[2].category, "privacy");
        assert!(Floor::parse(Measure::Recall, "x=1.5").is_err());
        assert!(Floor::parse(Measure::Recall, "high").is_err());
    }
}
