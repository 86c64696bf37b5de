//! Folding checked posts into per-employee figures and the organisation view.

use super::EmployeeStats;
use super::stage::{StageAssessment, assess};
use crate::finding::Severity;
use crate::input::{BadRecord, Post};
use crate::matcher::PostResult;
use crate::policy::schema::StageDef;
use serde::Serialize;
use std::collections::BTreeMap;

/// Skipped records: all counted, the first few kept to show.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BadRecordLog {
    pub count: u64,
    pub first: Vec<BadRecord>,
}

impl BadRecordLog {
    pub const KEPT: usize = 20;

    pub fn add(&mut self, bad: BadRecord) {
        self.count += 1;
        if self.first.len() < Self::KEPT {
            self.first.push(bad);
        }
    }
}

/// Findings past the per-post cap: counted, not listed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OmittedLog {
    /// Posts that had more findings than the cap.
    pub posts: u64,
    /// Findings left out of those posts.
    pub findings: u64,
    /// The first few such posts by id.
    pub first: Vec<String>,
}

/// Collects employees in memory bounded by their number, not by posts.
#[derive(Debug, Default)]
pub struct Aggregator {
    pub employees: BTreeMap<String, EmployeeStats>,
    pub bad_records: BadRecordLog,
    pub omitted: OmittedLog,
    keep_examples: usize,
}

impl Aggregator {
    pub fn new(keep_examples: usize) -> Self {
        Aggregator {
            keep_examples,
            ..Aggregator::default()
        }
    }

    pub fn add(&mut self, post: &Post, result: &PostResult) {
        let keep = self.keep_examples;
        self.employees
            .entry(post.author.clone())
            .or_insert_with(|| EmployeeStats::new(&post.author))
            .add(post, result, keep);
        if result.omitted > 0 {
            self.omitted.posts += 1;
            self.omitted.findings += result.omitted as u64;
            if self.omitted.first.len() < BadRecordLog::KEPT {
                self.omitted.first.push(post.id.clone());
            }
        }
    }

    pub fn skip(&mut self, bad: BadRecord) {
        self.bad_records.add(bad);
    }

    /// The organisation view, with each employee's stage.
    pub fn summarise(&self, stages: &[StageDef]) -> OrgSummary {
        let mut org = OrgSummary {
            stage_names: stages.iter().map(|s| s.name.clone()).collect(),
            stage_counts: vec![0; stages.len().max(1)],
            bad_records: self.bad_records.clone(),
            omitted: self.omitted.clone(),
            ..OrgSummary::default()
        };
        let mut by_rule: BTreeMap<String, u64> = BTreeMap::new();
        for (author, s) in &self.employees {
            org.employees += 1;
            org.posts += s.posts;
            org.findings += s.findings;
            *org.by_severity
                .entry(Severity::Error.as_str().into())
                .or_insert(0) += s.errors;
            *org.by_severity
                .entry(Severity::Warning.as_str().into())
                .or_insert(0) += s.warnings;
            *org.by_severity
                .entry(Severity::Info.as_str().into())
                .or_insert(0) += s.infos;
            for (c, n) in &s.by_category {
                *org.by_category.entry(c.clone()).or_insert(0) += n;
            }
            for (r, n) in &s.by_rule {
                *by_rule.entry(r.clone()).or_insert(0) += n;
            }
            org.promotional_posts += s.promotional_posts;
            org.disclosed_posts += s.disclosed_posts;
            org.verbatim_posts += s.verbatim_posts;
            let a = assess(stages, s);
            org.stage_counts[a.stage - 1] += 1;
            org.stages.insert(author.clone(), a);
        }
        let mut top: Vec<(String, u64)> = by_rule.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        org.top_rules = top;
        org
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OrgSummary {
    pub employees: u64,
    pub posts: u64,
    pub findings: u64,
    pub by_severity: BTreeMap<String, u64>,
    pub by_category: BTreeMap<String, u64>,
    /// Every rule that fired, most findings first.
    pub top_rules: Vec<(String, u64)>,
    pub promotional_posts: u64,
    pub disclosed_posts: u64,
    pub verbatim_posts: u64,
    /// Stage names in order, and how many employees are at each.
    pub stage_names: Vec<String>,
    pub stage_counts: Vec<u64>,
    pub bad_records: BadRecordLog,
    /// Findings past `--max-findings-per-post`, not in the other figures.
    pub omitted: OmittedLog,
    /// Each employee's stage, by author.
    #[serde(skip)]
    pub stages: BTreeMap<String, StageAssessment>,
}
