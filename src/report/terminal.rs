//! The summary printed when `scan` writes no report folder.

use super::RunInfo;
use crate::aggregate::{Aggregator, OrgSummary};
use crate::compare::Progress;
use std::fmt::Write;

pub fn summary_text(run: &RunInfo<'_>, agg: &Aggregator, org: &OrgSummary) -> String {
    let mut s = String::new();
    if let Some(p) = run.progress {
        s.push_str(&progress_text(p));
    }
    let _ = writeln!(
        s,
        "policy: {} ({}) · period {} · postguard {}",
        run.policy,
        run.meta.policy_hash,
        run.meta.period(),
        run.meta.postguard_version
    );
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
    if run.roster.is_some() {
        let _ = write!(s, "{}", roster_text(agg, org));
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

/// Unregistered accounts and the team roll-up, for a scan with a roster.
pub fn roster_text(agg: &Aggregator, org: &OrgSummary) -> String {
    let mut s = String::new();
    if agg.unregistered.is_empty() {
        let _ = writeln!(s, "\nunregistered accounts: none");
    } else {
        let _ = writeln!(
            s,
            "\nunregistered accounts ({}): on no employee's roster entry",
            agg.unregistered.len()
        );
        for u in agg.unregistered.values().take(10) {
            let _ = writeln!(
                s,
                "  {:<32} {:>4} posts {:>4} findings",
                u.account, u.posts, u.findings
            );
        }
        if agg.unregistered.len() > 10 {
            let _ = writeln!(s, "  … and {} more", agg.unregistered.len() - 10);
        }
    }
    let teams: Vec<_> = org.groups.iter().filter(|g| g.level == "team").collect();
    if !teams.is_empty() {
        let stages: Vec<String> = (1..=org.stage_counts.len())
            .map(|i| format!("S{i}"))
            .collect();
        let _ = writeln!(
            s,
            "\nby team:\n  {:<22} {:>5} {:>14} {:>10} {:>12}  top rule",
            "team",
            "empl.",
            stages.join("/"),
            "disclosed",
            "findings/100"
        );
        for g in teams {
            let counts: Vec<String> = g.stage_counts.iter().map(u64::to_string).collect();
            let _ = writeln!(
                s,
                "  {:<22} {:>5} {:>14} {:>10} {:>12.1}  {}",
                g.name,
                g.employees,
                counts.join("/"),
                g.disclosure_rate
                    .map_or("n/a".to_string(), |r| format!("{:.0}%", r * 100.0)),
                g.findings_per_100_posts,
                g.top_rules.first().map_or("", |(r, _)| r.as_str())
            );
        }
    }
    s
}

/// Progress since the previous report, shown first.
pub fn progress_text(p: &Progress) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "since the last review ({}{}): {} moved up a stage, {} moved down; {} new findings, {} resolved",
        p.previous,
        p.previous_generated_at
            .as_deref()
            .map(|g| format!(", {g}"))
            .unwrap_or_default(),
        p.moved_up.len(),
        p.moved_down.len(),
        p.new_findings,
        p.resolved_findings
    );
    for (arrow, moves) in [("up", &p.moved_up), ("down", &p.moved_down)] {
        for m in moves.iter().take(10) {
            let who = if m.name.is_empty() {
                m.employee.clone()
            } else {
                format!("{} ({})", m.name, m.employee)
            };
            let _ = writeln!(
                s,
                "  {arrow:<4} {who:<36} {}. {} → {}. {}",
                m.from, m.from_name, m.to, m.to_name
            );
        }
        if moves.len() > 10 {
            let _ = writeln!(s, "  … and {} more moved {arrow}", moves.len() - 10);
        }
    }
    if !p.by_team.is_empty() {
        let _ = writeln!(s, "  by team (new / resolved findings, up / down):");
        for t in &p.by_team {
            let _ = writeln!(
                s,
                "    {:<24} {:>4} / {:<4} {:>3} / {}",
                t.name, t.new, t.resolved, t.moved_up, t.moved_down
            );
        }
    }
    s.push('\n');
    s
}
