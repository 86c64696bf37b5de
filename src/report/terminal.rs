//! The summary printed when `scan` writes no report folder.

use super::RunInfo;
use crate::aggregate::{Aggregator, OrgSummary};
use std::fmt::Write;

pub fn summary_text(run: &RunInfo<'_>, agg: &Aggregator, org: &OrgSummary) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "policy: {}", run.policy);
    let _ = writeln!(
        s,
        "{} by {}: {} ({}, {}, {} info)",
        super::plural(org.posts, "post"),
        super::plural(org.employees, "employee"),
        super::plural(org.findings, "finding"),
        super::plural(*org.by_severity.get("error").unwrap_or(&0), "error"),
        super::plural(*org.by_severity.get("warning").unwrap_or(&0), "warning"),
        org.by_severity.get("info").unwrap_or(&0)
    );
    if org.omitted.findings > 0 {
        let _ = writeln!(
            s,
            "… and {} more findings in {} posts not listed (--max-findings-per-post)",
            org.omitted.findings, org.omitted.posts
        );
    }
    if org.bad_records.count > 0 {
        let _ = writeln!(s, "{} records skipped:", org.bad_records.count);
        for b in org.bad_records.first.iter().take(5) {
            let _ = writeln!(s, "  {b}");
        }
    }
    if !org.by_category.is_empty() {
        let _ = writeln!(s, "\nfindings by category:");
        for (c, n) in &org.by_category {
            let _ = writeln!(s, "  {c:<18} {n:>8}");
        }
    }
    if !org.top_rules.is_empty() {
        let _ = writeln!(s, "\ntop rules:");
        for (r, n) in org.top_rules.iter().take(5) {
            let _ = writeln!(s, "  {r:<32} {n:>8}");
        }
    }
    let _ = writeln!(s, "\nstages:");
    for (name, n) in org.stage_names.iter().zip(&org.stage_counts) {
        let word = if *n == 1 { "employee" } else { "employees" };
        let _ = writeln!(s, "  {name:<24} {n:>6} {word}");
    }
    let mut worst: Vec<_> = agg.employees.values().filter(|e| e.errors > 0).collect();
    worst.sort_by(|a, b| b.errors.cmp(&a.errors).then(a.author.cmp(&b.author)));
    if !worst.is_empty() {
        let _ = writeln!(s, "\nmost errors:");
        for e in worst.iter().take(5) {
            let _ = writeln!(
                s,
                "  {:<28} {:>4} {} in {}",
                e.author,
                e.errors,
                if e.errors == 1 { "error" } else { "errors" },
                super::plural(e.posts, "post")
            );
        }
    }
    s
}
