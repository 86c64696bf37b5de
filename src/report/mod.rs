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
pub use terminal::summary_text;

/// `1 post`, `2 posts`.
pub fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

use crate::aggregate::{Aggregator, EmployeeStats, OrgSummary, StageAssessment};
use crate::finding::stable_hash;
use crate::policy::schema::StageDef;
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
}

/// Past this many employees their files go into 256 subfolders, so no folder
/// holds more entries than file managers and `ls` handle well.
pub const SHARD_EMPLOYEES_PAST: usize = 10_000;

/// The subfolder of `employees/` for a file when sharded: two hex digits of
/// a stable hash of its name, so a file keeps its place from run to run.
pub fn employee_shard(file: &str) -> String {
    format!("{:02x}", stable_hash(&[file.as_bytes()]) >> 56)
}

pub fn summary_json(run: &RunInfo<'_>, org: &OrgSummary) -> serde_json::Value {
    let stages: Vec<serde_json::Value> = run
        .stages
        .iter()
        .zip(&org.stage_counts)
        .enumerate()
        .map(|(i, (s, n))| json!({"stage": i + 1, "name": s.name, "description": s.description, "employees": n}))
        .collect();
    let rate = (org.promotional_posts > 0)
        .then(|| org.disclosed_posts as f64 / org.promotional_posts as f64);
    json!({
        "generator": GENERATOR,
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
    })
}

#[derive(Serialize)]
struct EmployeeReport<'a> {
    author: &'a str,
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
    let summary = serde_json::to_vec_pretty(&summary_json(run, org))?;
    write_atomic(&dir.join("summary.json"), &summary)?;

    let people = dir.join("employees");
    if run.employee_files {
        std::fs::create_dir_all(&people)?;
    }
    let shard = run.shard_employee_files || agg.employees.len() > SHARD_EMPLOYEES_PAST;
    let mut shard_made = [false; 256];
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
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
    ])?;
    for (author, s) in &agg.employees {
        let Some(stage) = org.stages.get(author) else {
            continue;
        };
        let file = format!("{}.json", safe_file_name(author));
        let report = EmployeeReport {
            author,
            stage,
            figures: s,
            disclosure_rate: s.disclosure_rate(),
            verbatim_share: s.verbatim_share(),
            offending_posts: &s.examples,
            offending_posts_not_shown: s.examples_dropped,
        };
        let link = if run.employee_files {
            let rel = if shard {
                let sub = employee_shard(&file);
                let i = usize::from_str_radix(&sub, 16).unwrap_or(0);
                if !shard_made[i] {
                    std::fs::create_dir_all(people.join(&sub))?;
                    shard_made[i] = true;
                }
                format!("{sub}/{file}")
            } else {
                file
            };
            write_atomic(&people.join(&rel), &serde_json::to_vec_pretty(&report)?)?;
            format!("employees/{rel}")
        } else {
            String::new()
        };
        let top = s
            .top_rules(1)
            .first()
            .map(|(r, _)| r.to_string())
            .unwrap_or_default();
        csv.write_record([
            spreadsheet_safe(author).as_ref(),
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
        ])?;
    }
    let csv = csv.into_inner().map_err(|e| e.into_error())?;
    write_atomic(&dir.join("employees.csv"), &csv)?;
    let mut page = AtomicFile::create(&dir.join("report.html"))?;
    html::render(&mut page, run, agg, org)?;
    page.commit()?;
    Ok(())
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
