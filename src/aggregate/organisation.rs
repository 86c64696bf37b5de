//! Folding checked posts into per-employee figures and the organisation view.

use super::EmployeeStats;
use super::employee::day_of;
use super::stage::{StageAssessment, StageContext, assess};
use crate::finding::Severity;
use crate::input::{BadRecord, Post};
use crate::matcher::PostResult;
use crate::policy::schema::StageDef;
use crate::roster::{Roster, normalise_handle, normalise_platform};
use crate::time::sort_key;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

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

/// An account that wrote posts in the export but belongs to no one on the roster.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UnregisteredAccount {
    /// `platform:handle` as compared (lower case, no `@`), or the handle alone.
    pub account: String,
    /// The author as the export wrote it (the first spelling seen).
    pub author: String,
    pub platform: Option<String>,
    /// The first post seen from the account.
    pub first_post_id: String,
    pub posts: u64,
    pub findings: u64,
    pub first_post_at: Option<String>,
    pub last_post_at: Option<String>,
}

/// Collects employees in memory bounded by their number, not by posts.
#[derive(Debug, Default)]
pub struct Aggregator {
    /// By employee id (the roster's id, or the author without a roster).
    pub employees: BTreeMap<String, EmployeeStats>,
    pub bad_records: BadRecordLog,
    pub omitted: OmittedLog,
    keep_examples: usize,
    pub roster: Option<Arc<Roster>>,
    /// With a roster: accounts in the export that map to no employee, by account.
    pub unregistered: BTreeMap<String, UnregisteredAccount>,
    /// The end of the period (`--until`, else the last post), as a day, for stage windows.
    pub until_day: Option<i64>,
    /// Post ids to look out for (`--compare`: those with earlier findings), and those seen.
    pub watch: Option<std::collections::HashSet<String>>,
    pub watched_seen: std::collections::HashSet<String>,
}

impl Aggregator {
    pub fn new(keep_examples: usize) -> Self {
        Aggregator {
            keep_examples,
            ..Aggregator::default()
        }
    }

    /// With a roster every employee on it has a report, posts or not, and
    /// posts are counted under the employee who owns the account.
    pub fn with_roster(keep_examples: usize, roster: Arc<Roster>) -> Self {
        let mut agg = Aggregator::new(keep_examples);
        for e in &roster.employees {
            agg.employees
                .insert(e.id.clone(), EmployeeStats::new(&e.id));
        }
        agg.roster = Some(roster);
        agg
    }

    pub fn add(&mut self, post: &Post, result: &PostResult) {
        let keep = self.keep_examples;
        if let Some(watch) = &self.watch
            && watch.contains(&post.id)
        {
            self.watched_seen.insert(post.id.clone());
        }
        let key = match &self.roster {
            None => post.author.as_str(),
            Some(roster) => match roster.resolve(&post.author, post.platform.as_deref()) {
                Some(e) => e.id.as_str(),
                None => {
                    Self::note_unregistered(&mut self.unregistered, post, result);
                    post.author.as_str()
                }
            },
        };
        // Looked up before an entry is made: most posts are by an employee
        // already seen, and need no copy of the name.
        let stats = match self.employees.get_mut(key) {
            Some(stats) => stats,
            None => self
                .employees
                .entry(key.to_string())
                .or_insert_with_key(|k| EmployeeStats::new(k)),
        };
        if self.roster.is_some() {
            let handle = normalise_handle(&post.author);
            let account = match &post.platform {
                Some(p) => format!("{}:{handle}", normalise_platform(p)),
                None => handle,
            };
            if !stats.accounts.contains(&account) {
                stats.accounts.insert(account);
            }
        }
        stats.add(post, result, keep);
        if result.omitted > 0 {
            self.omitted.posts += 1;
            self.omitted.findings += result.omitted as u64;
            if self.omitted.first.len() < BadRecordLog::KEPT {
                self.omitted.first.push(post.id.clone());
            }
        }
    }

    /// Counts a post of an account that belongs to no one on the roster
    /// (a field, not `self`: the caller holds the roster borrowed).
    fn note_unregistered(
        unregistered: &mut BTreeMap<String, UnregisteredAccount>,
        post: &Post,
        result: &PostResult,
    ) {
        let handle = normalise_handle(&post.author);
        let platform = post.platform.as_deref().map(normalise_platform);
        let account = match &platform {
            Some(p) => format!("{p}:{handle}"),
            None => handle,
        };
        let u = unregistered
            .entry(account.clone())
            .or_insert_with(|| UnregisteredAccount {
                account,
                author: post.author.clone(),
                platform,
                first_post_id: post.id.clone(),
                ..UnregisteredAccount::default()
            });
        u.posts += 1;
        u.findings += result.findings.len() as u64;
        if let Some(at) = &post.created_at {
            let key = sort_key(at);
            if u.first_post_at.as_deref().and_then(sort_key) > key || u.first_post_at.is_none() {
                u.first_post_at = Some(at.clone());
            }
            if u.last_post_at.as_deref().and_then(sort_key) < key {
                u.last_post_at = Some(at.clone());
            }
        }
    }

    /// The day stage windows end on: `--until` if given, else the last post's day.
    pub fn end_day(&self) -> Option<i64> {
        self.until_day.or_else(|| {
            self.employees
                .values()
                .filter_map(|s| s.days.last_day())
                .max()
        })
    }

    pub fn skip(&mut self, bad: BadRecord) {
        self.bad_records.add(bad);
    }

    /// The organisation view, with each employee's stage.
    pub fn summarise(&mut self, stages: &[StageDef]) -> OrgSummary {
        self.employees
            .par_iter_mut()
            .for_each(|(_, s)| s.days.settle());
        let mut org = OrgSummary {
            stage_names: stages.iter().map(|s| s.name.clone()).collect(),
            stage_counts: vec![0; stages.len().max(1)],
            bad_records: self.bad_records.clone(),
            omitted: self.omitted.clone(),
            ..OrgSummary::default()
        };
        let end_day = self.end_day();
        let mut by_rule: BTreeMap<String, u64> = BTreeMap::new();
        // By year and month as numbers: an employee has a figure a day.
        let mut months: BTreeMap<(i64, i64), MonthFigures> = BTreeMap::new();
        // Each employee's stage (and since when) on every core: looking at
        // every day an outcome can change is most of a summary's time.
        let assessed: Vec<StageAssessment> = self
            .employees
            .par_iter()
            .map(|(author, s)| {
                let employee = self.roster.as_ref().and_then(|r| r.get(author));
                let ctx = StageContext {
                    end_day,
                    trained_day: employee
                        .and_then(|e| e.training_completed.as_deref())
                        .and_then(day_of)
                        .filter(|t| end_day.is_none_or(|end| *t <= end)),
                    roster: self.roster.is_some(),
                };
                assess(stages, s, &ctx)
            })
            .collect();
        for ((author, s), a) in self.employees.iter().zip(assessed) {
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
            for (day, f) in s.days.iter() {
                let (year, month, _) = crate::time::civil_from_days(day);
                let m = months.entry((year, month)).or_insert_with(|| MonthFigures {
                    month: crate::time::format_utc(day * 86_400)[..7].to_string(),
                    ..MonthFigures::default()
                });
                m.posts += f.posts;
                m.findings += f.findings;
                m.promotional_posts += f.promotional_posts;
                m.disclosed_posts += f.disclosed_posts;
                for (c, n) in f.by_category.iter() {
                    match m.by_category.get_mut(c) {
                        Some(total) => *total += n,
                        None => {
                            m.by_category.insert(c.to_string(), n);
                        }
                    }
                }
            }
            org.stage_counts[a.stage - 1] += 1;
            org.stages.insert(author.clone(), a);
        }
        org.months = months.into_values().collect();
        let mut top: Vec<(String, u64)> = by_rule.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        org.top_rules = top;
        if let Some(roster) = &self.roster {
            org.groups = self.rollups(roster, &org);
        }
        org
    }

    /// Employees per stage, disclosure, findings per 100 posts and top rules
    /// by team, by manager and by region. Accounts on no roster are a group of their own.
    fn rollups(&self, roster: &Roster, org: &OrgSummary) -> Vec<GroupRollup> {
        let mut out = Vec::new();
        for level in ["team", "manager", "region"] {
            let mut groups: BTreeMap<String, (GroupRollup, BTreeMap<String, u64>)> =
                BTreeMap::new();
            for (id, s) in &self.employees {
                let name = match roster.get(id) {
                    Some(e) => {
                        let v = match level {
                            "team" => &e.team,
                            "manager" => &e.manager,
                            _ => &e.region,
                        };
                        if v.is_empty() {
                            "(none)".to_string()
                        } else {
                            v.clone()
                        }
                    }
                    None => UNREGISTERED_GROUP.to_string(),
                };
                let (g, rules) = groups.entry(name.clone()).or_insert_with(|| {
                    (
                        GroupRollup {
                            level: level.to_string(),
                            name,
                            stage_counts: vec![0; org.stage_counts.len()],
                            ..GroupRollup::default()
                        },
                        BTreeMap::new(),
                    )
                });
                g.employees += 1;
                g.posts += s.posts;
                g.findings += s.findings;
                g.errors += s.errors;
                g.promotional_posts += s.promotional_posts;
                g.disclosed_posts += s.disclosed_posts;
                if let Some(a) = org.stages.get(id) {
                    g.stage_counts[a.stage - 1] += 1;
                }
                for (r, n) in &s.by_rule {
                    *rules.entry(r.clone()).or_insert(0) += n;
                }
            }
            for (_, (mut g, rules)) in groups {
                g.disclosure_rate = (g.promotional_posts > 0)
                    .then(|| g.disclosed_posts as f64 / g.promotional_posts as f64);
                g.findings_per_100_posts = if g.posts == 0 {
                    0.0
                } else {
                    (g.findings as f64 * 100.0 / g.posts as f64 * 10.0).round() / 10.0
                };
                let mut top: Vec<(String, u64)> = rules.into_iter().collect();
                top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                top.truncate(3);
                g.top_rules = top;
                out.push(g);
            }
        }
        out
    }
}

impl OrgSummary {
    /// Counts a finding made after the scan (an unregistered account).
    pub fn count_extra_finding(&mut self, f: &crate::finding::Finding) {
        self.findings += 1;
        *self
            .by_severity
            .entry(f.severity.as_str().into())
            .or_insert(0) += 1;
        *self.by_category.entry(f.category.clone()).or_insert(0) += 1;
        match self.top_rules.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, n)) => *n += 1,
            None => self.top_rules.push((f.rule.clone(), 1)),
        }
        self.top_rules
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
}

/// The group that holds the accounts on no roster.
pub const UNREGISTERED_GROUP: &str = "(unregistered)";

/// One team, manager or region.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupRollup {
    /// `team`, `manager` or `region`.
    pub level: String,
    pub name: String,
    pub employees: u64,
    /// Employees at each stage, lowest first.
    pub stage_counts: Vec<u64>,
    pub posts: u64,
    pub findings: u64,
    pub errors: u64,
    pub promotional_posts: u64,
    pub disclosed_posts: u64,
    pub disclosure_rate: Option<f64>,
    pub findings_per_100_posts: f64,
    /// The three rules that fired most.
    pub top_rules: Vec<(String, u64)>,
}

/// One calendar month (UTC) of dated posts, for trends.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    pub posts: u64,
    pub findings: u64,
    pub by_category: BTreeMap<String, u64>,
    pub promotional_posts: u64,
    pub disclosed_posts: u64,
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
    /// Posts left out by `--since`/`--until` (undated ones too, with a period).
    #[serde(skip)]
    pub posts_outside_period: u64,
    /// With a roster: roll-ups by team, manager and region.
    #[serde(skip)]
    pub groups: Vec<GroupRollup>,
    /// Dated posts by month, oldest first.
    #[serde(skip)]
    pub months: Vec<MonthFigures>,
}
