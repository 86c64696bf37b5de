//! One employee's figures.

use super::time::{is_canonical, sort_key};
use crate::finding::{Finding, Severity};
use crate::input::Post;
use crate::matcher::PostResult;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A post with findings, kept for the report (a bounded number per employee).
#[derive(Debug, Clone, Serialize)]
pub struct OffendingPost {
    pub post: Post,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EmployeeStats {
    /// Not serialised: the report names the employee once, beside the figures.
    #[serde(skip)]
    pub author: String,
    pub posts: u64,
    pub findings: u64,
    pub errors: u64,
    pub warnings: u64,
    pub infos: u64,
    pub by_category: BTreeMap<String, u64>,
    pub by_rule: BTreeMap<String, u64>,
    /// Posts that promote the company or a product (a disclosure requirement applied).
    pub promotional_posts: u64,
    /// Promotional posts that carry an accepted disclosure.
    pub disclosed_posts: u64,
    /// Posts copied from an official corporate post.
    pub verbatim_posts: u64,
    pub first_post_at: Option<String>,
    pub last_post_at: Option<String>,
    /// Offending posts kept for the report, first ones first.
    #[serde(skip)]
    pub examples: Vec<OffendingPost>,
    /// How many offending posts were not kept.
    #[serde(skip)]
    pub examples_dropped: u64,
    /// The accounts whose posts were counted here (with a roster only).
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub accounts: BTreeSet<String>,
    /// Figures per day (days since 1970-01-01 UTC) of dated posts, for stage
    /// windows, "since when" and monthly trends.
    #[serde(skip)]
    pub days: BTreeMap<i64, Figures>,
}

/// The figures the stage criteria read, for one day or a span of days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub posts: u64,
    pub findings: u64,
    pub errors: u64,
    pub warnings: u64,
    pub promotional_posts: u64,
    pub disclosed_posts: u64,
    pub verbatim_posts: u64,
    pub by_category: BTreeMap<String, u64>,
}

impl Figures {
    pub fn add(&mut self, other: &Figures) {
        self.posts += other.posts;
        self.findings += other.findings;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.promotional_posts += other.promotional_posts;
        self.disclosed_posts += other.disclosed_posts;
        self.verbatim_posts += other.verbatim_posts;
        for (c, n) in &other.by_category {
            *self.by_category.entry(c.clone()).or_insert(0) += n;
        }
    }

    pub fn sub(&mut self, other: &Figures) {
        self.posts -= other.posts;
        self.findings -= other.findings;
        self.errors -= other.errors;
        self.warnings -= other.warnings;
        self.promotional_posts -= other.promotional_posts;
        self.disclosed_posts -= other.disclosed_posts;
        self.verbatim_posts -= other.verbatim_posts;
        for (c, n) in &other.by_category {
            if let Some(m) = self.by_category.get_mut(c) {
                *m -= n;
            }
        }
    }

    /// An employee's figures as stats the stage criteria can read.
    pub fn as_stats(&self, author: &str) -> EmployeeStats {
        EmployeeStats {
            posts: self.posts,
            findings: self.findings,
            errors: self.errors,
            warnings: self.warnings,
            promotional_posts: self.promotional_posts,
            disclosed_posts: self.disclosed_posts,
            verbatim_posts: self.verbatim_posts,
            by_category: self.by_category.clone(),
            ..EmployeeStats::new(author)
        }
    }
}

impl EmployeeStats {
    pub fn new(author: &str) -> Self {
        EmployeeStats {
            author: author.to_string(),
            ..EmployeeStats::default()
        }
    }

    pub fn add(&mut self, post: &Post, result: &PostResult, keep_examples: usize) {
        self.posts += 1;
        for f in &result.findings {
            self.findings += 1;
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            *self.by_category.entry(f.category.clone()).or_insert(0) += 1;
            *self.by_rule.entry(f.rule.clone()).or_insert(0) += 1;
        }
        self.promotional_posts += u64::from(result.promotional);
        self.disclosed_posts += u64::from(result.promotional && result.disclosed);
        self.verbatim_posts += u64::from(result.verbatim);
        if let Some(day) = post.created_at.as_deref().and_then(day_of) {
            let d = self.days.entry(day).or_default();
            d.posts += 1;
            for f in &result.findings {
                d.findings += 1;
                match f.severity {
                    Severity::Error => d.errors += 1,
                    Severity::Warning => d.warnings += 1,
                    Severity::Info => {}
                }
                *d.by_category.entry(f.category.clone()).or_insert(0) += 1;
            }
            d.promotional_posts += u64::from(result.promotional);
            d.disclosed_posts += u64::from(result.promotional && result.disclosed);
            d.verbatim_posts += u64::from(result.verbatim);
        }
        if let Some(at) = &post.created_at {
            if earlier(at, self.first_post_at.as_deref()) {
                self.first_post_at = Some(at.clone());
            }
            if later(at, self.last_post_at.as_deref()) {
                self.last_post_at = Some(at.clone());
            }
        }
        if !result.findings.is_empty() {
            if self.examples.len() < keep_examples {
                self.examples.push(OffendingPost {
                    post: post.clone(),
                    findings: result.findings.clone(),
                });
            } else {
                self.examples_dropped += 1;
            }
        }
    }

    /// The figures the stage criteria read, without the kept posts.
    pub fn clone_figures(&self) -> EmployeeStats {
        EmployeeStats {
            posts: self.posts,
            findings: self.findings,
            errors: self.errors,
            warnings: self.warnings,
            infos: self.infos,
            promotional_posts: self.promotional_posts,
            disclosed_posts: self.disclosed_posts,
            verbatim_posts: self.verbatim_posts,
            by_category: self.by_category.clone(),
            ..EmployeeStats::new(&self.author)
        }
    }

    /// Share of promotional posts that carry a disclosure; `None` without promotional posts.
    pub fn disclosure_rate(&self) -> Option<f64> {
        (self.promotional_posts > 0)
            .then(|| self.disclosed_posts as f64 / self.promotional_posts as f64)
    }

    /// Share of posts copied verbatim from corporate posts.
    pub fn verbatim_share(&self) -> f64 {
        if self.posts == 0 {
            0.0
        } else {
            self.verbatim_posts as f64 / self.posts as f64
        }
    }

    /// The rules that fired most, most first (ties by id).
    pub fn top_rules(&self, n: usize) -> Vec<(&str, u64)> {
        let mut rules: Vec<(&str, u64)> =
            self.by_rule.iter().map(|(r, c)| (r.as_str(), *c)).collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rules.truncate(n);
        rules
    }
}

fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    if is_canonical(a) && is_canonical(b) {
        return a.cmp(b);
    }
    match (sort_key(a), sort_key(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

fn earlier(a: &str, than: Option<&str>) -> bool {
    than.is_none_or(|b| compare(a, b).is_lt())
}

fn later(a: &str, than: Option<&str>) -> bool {
    than.is_none_or(|b| compare(a, b).is_gt())
}

/// Days since 1970-01-01 UTC of a post time.
pub fn day_of(at: &str) -> Option<i64> {
    sort_key(at).map(|secs| secs.div_euclid(86_400))
}
