//! Report: the files of `scan --out DIR` and the terminal summary.
//!
//! `findings.jsonl` is streamed during the scan ([`AtomicFile`]); the rest is
//! written from the aggregates at the end, each file whole or not at all, and
//! the whole set replaces the report folder at once ([`ReportFolder`]).

mod files;
mod folder;
mod html;
mod terminal;

pub use files::{AtomicFile, safe_file_name, write_atomic};
pub use folder::{FolderError, GENERATOR, ReportFolder};
pub use html::escape as escape_markup;
pub use terminal::{progress_text, roster_text, summary_text};

/// `1 post`, `2 posts`.
pub fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

use crate::aggregate::{
    Aggregator, EmployeeStats, OrgSummary, StageAssessment, UnregisteredAccount,
};
use crate::compare::Progress;
use crate::finding::{Finding, Severity, stable_hash};
use crate::policy::Policy;
use crate::policy::schema::StageDef;
use crate::roster::{Employee, Roster};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::io;
use std::path::Path;

/// What the reports say about the run itself.
pub struct RunInfo<'a> {
    pub policy: &'a str,
    pub inputs: &'a [String],
    pub stages: &'a [StageDef],
    /// Write `employees/<author>.json`; off, `employees.csv` and the
    /// other files still hold every employee's figures.
    pub employee_files: bool,
    /// Write them as `employees/ab/<author>.json` whatever their number
    /// (they are anyway past [`SHARD_EMPLOYEES_PAST`] employees).
    pub shard_employee_files: bool,
    /// The roster, when one was given: reports name people, list
    /// unregistered accounts and roll up by team, manager and region.
    pub roster: Option<&'a Roster>,
    /// The audit trail every report file carries.
    pub meta: &'a RunMeta,
    /// `--compare`: progress since the previous report.
    pub progress: Option<&'a Progress>,
    /// Why each rule exists and its reference, for the HTML.
    pub rules: &'a std::collections::HashMap<String, RuleNote>,
    /// Employees shown in full in the HTML (the worst first); the rest are counted.
    pub html_employees: usize,
}

/// Past this many employees their files go into 256 subfolders, so no folder
/// holds more entries than file managers and `ls` handle well.
pub const SHARD_EMPLOYEES_PAST: usize = 10_000;

/// The subfolder of `employees/` for a file when sharded: two hex digits of
/// a stable hash of its name, so a file keeps its place from run to run.
pub fn employee_shard(file: &str) -> String {
    format!("{:02x}", stable_hash(&[file.as_bytes()]) >> 56)
}

/// What the report says about a rule beside its findings.
#[derive(Debug, Clone, Default)]
pub struct RuleNote {
    pub why: String,
    pub reference: Option<String>,
}

/// Which run made a report: when, by which version, under which policy
/// (name and content hash, so findings trace back to the rules that made
/// them), over which period.
#[derive(Debug, Clone, Serialize)]
pub struct RunMeta {
    pub generated_at: String,
    pub postguard_version: &'static str,
    pub policy: String,
    /// FNV-1a 64 of the policy file and every pack it includes, in order:
    /// any change to a rule changes it.
    pub policy_hash: String,
    /// `--since` / `--until` as given; `null` when open.
    pub since: Option<String>,
    pub until: Option<String>,
    /// The first and last dated post scanned.
    pub first_post_at: Option<String>,
    pub last_post_at: Option<String>,
}

impl RunMeta {
    /// `SOURCE_DATE_EPOCH`, when set, stands for the current time, so a
    /// report can be reproduced byte for byte.
    pub fn new(policy: &Policy, since: Option<String>, until: Option<String>) -> RunMeta {
        let now = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
        RunMeta {
            generated_at: crate::time::format_utc(now),
            postguard_version: env!("CARGO_PKG_VERSION"),
            policy: policy.file.policy.name.clone(),
            policy_hash: policy_hash(policy),
            since,
            until,
            first_post_at: None,
            last_post_at: None,
        }
    }

    /// Fills in the first and last post from the aggregates.
    pub fn with_posts(mut self, agg: &Aggregator) -> RunMeta {
        let key = |s: &Option<String>| s.as_deref().and_then(crate::time::sort_key);
        self.first_post_at = agg
            .employees
            .values()
            .filter(|e| e.first_post_at.is_some())
            .min_by_key(|e| key(&e.first_post_at))
            .and_then(|e| e.first_post_at.clone());
        self.last_post_at = agg
            .employees
            .values()
            .filter(|e| e.last_post_at.is_some())
            .max_by_key(|e| key(&e.last_post_at))
            .and_then(|e| e.last_post_at.clone());
        self
    }

    /// "2026-01-01 – 2026-11-30", the period in words.
    pub fn period(&self) -> String {
        let day = |s: &Option<String>| s.as_deref().map(|s| s.chars().take(10).collect::<String>());
        let from = day(&self.since).or_else(|| day(&self.first_post_at));
        let to = day(&self.until).or_else(|| day(&self.last_post_at));
        match (from, to) {
            (Some(a), Some(b)) => format!("{a} – {b}"),
            (Some(a), None) => format!("from {a}"),
            (None, Some(b)) => format!("until {b}"),
            (None, None) => "no dated posts".to_string(),
        }
    }
}

/// The content hash of a policy and its packs.
pub fn policy_hash(policy: &Policy) -> String {
    let mut parts: Vec<&[u8]> = vec![policy.source.text.as_bytes()];
    // Contents only: where the files sit (a checkout's path) is no part of
    // which rules ran; the include list is in the policy's own text.
    for pack in &policy.packs {
        parts.push(pack.source.text.as_bytes());
    }
    format!("fnv1a64:{:016x}", stable_hash(&parts))
}

/// The rule id of the finding an unregistered account makes.
pub const UNREGISTERED_RULE: &str = "roster.unregistered-account";

/// An account on no roster as a finding (`--unregistered-is-finding`): in a
/// regulated firm an unregistered business account is itself a finding.
pub fn unregistered_finding(u: &UnregisteredAccount) -> Finding {
    Finding {
        rule: UNREGISTERED_RULE.to_string(),
        category: "unregistered-account".to_string(),
        severity: Severity::Error,
        message: format!(
            "account `{}` posted {} time{} but belongs to no employee on the roster",
            u.account,
            u.posts,
            if u.posts == 1 { "" } else { "s" }
        ),
        suggestion: Some(
            "Register the account to its owner in the roster, or have it closed.".to_string(),
        ),
        ..Finding::unlocated("", 0..0, &u.first_post_id, &u.author)
    }
}

pub fn summary_json(run: &RunInfo<'_>, agg: &Aggregator, org: &OrgSummary) -> serde_json::Value {
    let stages: Vec<serde_json::Value> = run
        .stages
        .iter()
        .zip(&org.stage_counts)
        .enumerate()
        .map(|(i, (s, n))| json!({"stage": i + 1, "name": s.name, "description": s.description, "employees": n}))
        .collect();
    let rate = (org.promotional_posts > 0)
        .then(|| org.disclosed_posts as f64 / org.promotional_posts as f64);
    let mut summary = json!({
        "generator": GENERATOR,
        "run": run.meta,
        "policy": run.policy,
        "inputs": run.inputs,
        "employees": org.employees,
        "posts": org.posts,
        "findings": org.findings,
        "by_severity": org.by_severity,
        "by_category": org.by_category,
        "top_rules": org.top_rules.iter().take(20).map(|(r, n)| json!({"rule": r, "findings": n})).collect::<Vec<_>>(),
        "promotional_posts": org.promotional_posts,
        "disclosed_posts": org.disclosed_posts,
        "disclosure_rate": rate,
        "verbatim_posts": org.verbatim_posts,
        "stages": stages,
        "bad_records": org.bad_records,
        "findings_not_listed": org.omitted,
    });
    if let (Some(roster), Some(map)) = (run.roster, summary.as_object_mut()) {
        map.insert("roster_employees".into(), json!(roster.employees.len()));
        map.insert(
            "unregistered_accounts".into(),
            json!(agg.unregistered.values().collect::<Vec<_>>()),
        );
        map.insert("groups".into(), json!(org.groups));
    }
    if let Some(map) = summary.as_object_mut() {
        if let Some(p) = run.progress {
            map.insert("compare".into(), json!(p));
        }
        map.insert("months".into(), json!(org.months));
        map.insert(
            "posts_outside_period".into(),
            json!(org.posts_outside_period),
        );
    }
    summary
}

#[derive(Serialize)]
struct EmployeeReport<'a> {
    run: &'a RunMeta,
    author: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    employee: Option<&'a Employee>,
    /// With a roster: false for an account on no roster.
    #[serde(skip_serializing_if = "Option::is_none")]
    registered: Option<bool>,
    stage: &'a StageAssessment,
    #[serde(flatten)]
    figures: &'a EmployeeStats,
    disclosure_rate: Option<f64>,
    verbatim_share: f64,
    offending_posts: &'a [crate::aggregate::OffendingPost],
    offending_posts_not_shown: u64,
}

/// Writes `summary.json`, `employees.csv`, `employees/<author>.json` and
/// `report.html` into `dir` (which must exist).
pub fn write_reports(
    dir: &Path,
    run: &RunInfo<'_>,
    agg: &Aggregator,
    org: &OrgSummary,
) -> io::Result<()> {
    let summary = serde_json::to_vec_pretty(&summary_json(run, agg, org))?;
    write_atomic(&dir.join("summary.json"), &summary)?;

    let people = dir.join("employees");
    if run.employee_files {
        std::fs::create_dir_all(&people)?;
    }
    let shard = run.shard_employee_files || agg.employees.len() > SHARD_EMPLOYEES_PAST;
    let assessed: Vec<(&String, &EmployeeStats, &StageAssessment)> = agg
        .employees
        .iter()
        .filter_map(|(author, s)| org.stages.get(author).map(|stage| (author, s, stage)))
        .collect();
    if run.employee_files {
        employee_files(&people, shard, run, &assessed)?;
    }
    let mut csv = csv::Writer::from_writer(Vec::new());
    let people_columns: &[&str] = if run.roster.is_some() {
        &[
            "name",
            "team",
            "manager",
            "region",
            "accounts",
            "registered",
        ]
    } else {
        &[]
    };
    let columns = [
        "author",
        "stage",
        "stage_name",
        "posts",
        "findings",
        "errors",
        "warnings",
        "infos",
        "promotional_posts",
        "disclosed_posts",
        "disclosure_rate",
        "verbatim_posts",
        "verbatim_share",
        "first_post_at",
        "last_post_at",
        "top_rule",
        "blocked_by",
        "report",
    ];
    csv.write_record(
        columns[..1]
            .iter()
            .chain(people_columns)
            .chain(&columns[1..]),
    )?;
    for (author, s, stage) in &assessed {
        let employee = run.roster.and_then(|r| r.get(author));
        let link = if run.employee_files {
            format!("employees/{}", employee_path(author, shard))
        } else {
            String::new()
        };
        let top = s
            .top_rules(1)
            .first()
            .map(|(r, _)| r.to_string())
            .unwrap_or_default();
        let mut row: Vec<String> = vec![spreadsheet_safe(author).into_owned()];
        if run.roster.is_some() {
            let e = employee.cloned().unwrap_or_default();
            let accounts: Vec<&str> = s.accounts.iter().map(String::as_str).collect();
            for cell in [&e.name, &e.team, &e.manager, &e.region, &accounts.join(" ")] {
                row.push(spreadsheet_safe(cell).into_owned());
            }
            row.push(employee.is_some().to_string());
        }
        csv.write_record(
            row.iter().map(String::as_str).chain([
                &stage.stage.to_string(),
                spreadsheet_safe(&stage.name).as_ref(),
                &s.posts.to_string(),
                &s.findings.to_string(),
                &s.errors.to_string(),
                &s.warnings.to_string(),
                &s.infos.to_string(),
                &s.promotional_posts.to_string(),
                &s.disclosed_posts.to_string(),
                &s.disclosure_rate()
                    .map(|r| format!("{r:.3}"))
                    .unwrap_or_default(),
                &s.verbatim_posts.to_string(),
                &format!("{:.3}", s.verbatim_share()),
                spreadsheet_safe(s.first_post_at.as_deref().unwrap_or("")).as_ref(),
                spreadsheet_safe(s.last_post_at.as_deref().unwrap_or("")).as_ref(),
                spreadsheet_safe(&top).as_ref(),
                spreadsheet_safe(&stage.blocked_by.join("; ")).as_ref(),
                &link,
            ]),
        )?;
    }
    let csv = csv.into_inner().map_err(|e| e.into_error())?;
    write_atomic(&dir.join("employees.csv"), &csv)?;
    if run.roster.is_some() {
        write_atomic(&dir.join("unregistered.csv"), &unregistered_csv(agg)?)?;
        write_atomic(&dir.join("teams.csv"), &teams_csv(org)?)?;
    }
    let mut page = AtomicFile::create(&dir.join("report.html"))?;
    html::render(&mut page, run, agg, org)?;
    page.commit()?;
    Ok(())
}

/// An employee's file name: `<author>.json`, made safe.
fn employee_file(author: &str) -> String {
    format!("{}.json", safe_file_name(author))
}

/// An employee's file in `employees/`: [`employee_file`], in its shard's
/// subfolder when `shard`.
fn employee_path(author: &str, shard: bool) -> String {
    let file = employee_file(author);
    if shard {
        format!("{}/{file}", employee_shard(&file))
    } else {
        file
    }
}

/// Writes each employee's file (see [`employee_path`]) on every core: at
/// thousands of employees this is most of a report's time. Paths are made
/// again where they are needed rather than held for every employee at once.
fn employee_files(
    people: &Path,
    shard: bool,
    run: &RunInfo<'_>,
    assessed: &[(&String, &EmployeeStats, &StageAssessment)],
) -> io::Result<()> {
    if shard {
        let shards: std::collections::BTreeSet<String> = assessed
            .iter()
            .map(|(author, ..)| employee_shard(&employee_file(author)))
            .collect();
        for sub in shards {
            std::fs::create_dir_all(people.join(sub))?;
        }
    }
    assessed.par_iter().try_for_each(|(author, s, stage)| {
        let employee = run.roster.and_then(|r| r.get(author));
        let report = EmployeeReport {
            run: run.meta,
            author,
            employee,
            registered: run.roster.map(|_| employee.is_some()),
            stage,
            figures: s,
            disclosure_rate: s.disclosure_rate(),
            verbatim_share: s.verbatim_share(),
            offending_posts: &s.examples,
            offending_posts_not_shown: s.examples_dropped,
        };
        let path = people.join(employee_path(author, shard));
        write_atomic(&path, &serde_json::to_vec_pretty(&report)?)
    })
}

/// `unregistered.csv`: each account in the export that is on no roster.
pub fn unregistered_csv(agg: &Aggregator) -> io::Result<Vec<u8>> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "account",
        "author",
        "platform",
        "posts",
        "findings",
        "first_post_id",
        "first_post_at",
        "last_post_at",
    ])?;
    for u in agg.unregistered.values() {
        csv.write_record([
            spreadsheet_safe(&u.account).as_ref(),
            spreadsheet_safe(&u.author).as_ref(),
            spreadsheet_safe(u.platform.as_deref().unwrap_or("")).as_ref(),
            &u.posts.to_string(),
            &u.findings.to_string(),
            spreadsheet_safe(&u.first_post_id).as_ref(),
            spreadsheet_safe(u.first_post_at.as_deref().unwrap_or("")).as_ref(),
            spreadsheet_safe(u.last_post_at.as_deref().unwrap_or("")).as_ref(),
        ])?;
    }
    csv.into_inner().map_err(|e| e.into_error())
}

/// `teams.csv`: one row per team, manager and region.
pub fn teams_csv(org: &OrgSummary) -> io::Result<Vec<u8>> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["level", "name", "employees"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend((1..=org.stage_counts.len()).map(|i| format!("stage_{i}")));
    header.extend(
        [
            "posts",
            "findings",
            "errors",
            "findings_per_100_posts",
            "promotional_posts",
            "disclosed_posts",
            "disclosure_rate",
            "top_rules",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    csv.write_record(&header)?;
    for g in &org.groups {
        let mut row = vec![
            g.level.clone(),
            spreadsheet_safe(&g.name).into_owned(),
            g.employees.to_string(),
        ];
        row.extend(g.stage_counts.iter().map(u64::to_string));
        let top: Vec<String> = g
            .top_rules
            .iter()
            .map(|(r, n)| format!("{r} ({n})"))
            .collect();
        row.extend([
            g.posts.to_string(),
            g.findings.to_string(),
            g.errors.to_string(),
            format!("{:.1}", g.findings_per_100_posts),
            g.promotional_posts.to_string(),
            g.disclosed_posts.to_string(),
            g.disclosure_rate
                .map(|r| format!("{r:.3}"))
                .unwrap_or_default(),
            spreadsheet_safe(&top.join("; ")).into_owned(),
        ]);
        csv.write_record(&row)?;
    }
    csv.into_inner().map_err(|e| e.into_error())
}

/// A text cell a spreadsheet will show as text. Excel, LibreOffice and Google
/// Sheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (tab
/// and carriage return lead there too), so such a cell gets a leading `'`,
/// as OWASP's advice on CSV injection says. Number cells are written by
/// us and never need it.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for cell in [
            "=1+1",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(spreadsheet_safe(cell), format!("'{cell}"));
        }
        for cell in ["ana", "", "a=b", "O'Neil"] {
            assert_eq!(spreadsheet_safe(cell), cell);
        }
    }
}
