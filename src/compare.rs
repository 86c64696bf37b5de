//! Progress since the last review: a scan compared with an earlier report
//! folder (`scan --compare DIR`). Stage moves come from the two
//! `employees.csv`, new and resolved findings from the two `findings.jsonl`.

use crate::aggregate::OrgSummary;
use crate::roster::Roster;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

/// A finding's identity across scans: the same post, rule and span.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FindingKey {
    pub post_id: String,
    pub rule: String,
    pub start: usize,
    pub end: usize,
}

/// What an earlier report folder says.
#[derive(Debug, Default)]
pub struct Previous {
    pub dir: String,
    pub generated_at: Option<String>,
    /// Employee → (stage number, stage name).
    pub stages: HashMap<String, (usize, String)>,
    /// Finding → employee (the `employee` field of a scan with a roster, else the author).
    pub findings: HashMap<FindingKey, String>,
    /// The posts those findings were on: only a post scanned again can have a resolved finding.
    pub post_ids: HashSet<String>,
}

impl Previous {
    /// Reads `summary.json`, `employees.csv` and `findings.jsonl` of a report folder.
    pub fn load(dir: &Path) -> Result<Previous, String> {
        let name = |f: &str| dir.join(f).display().to_string();
        let summary: serde_json::Value = std::fs::read(dir.join("summary.json"))
            .map_err(|e| {
                format!(
                    "{}: {e} (--compare needs an earlier --out folder)",
                    name("summary.json")
                )
            })
            .and_then(|b| {
                serde_json::from_slice(&b).map_err(|e| format!("{}: {e}", name("summary.json")))
            })?;
        if summary.get("generator").and_then(|g| g.as_str()) != Some(crate::report::GENERATOR) {
            return Err(format!("{}: not a postguard report", name("summary.json")));
        }
        let mut prev = Previous {
            dir: dir.display().to_string(),
            generated_at: summary
                .pointer("/run/generated_at")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            ..Previous::default()
        };
        let mut csv = csv::Reader::from_path(dir.join("employees.csv"))
            .map_err(|e| format!("{}: {e}", name("employees.csv")))?;
        let headers = csv
            .headers()
            .map_err(|e| format!("{}:1: {e}", name("employees.csv")))?
            .clone();
        let col = |c: &str| headers.iter().position(|h| h == c);
        let (Some(author), Some(stage), Some(stage_name)) =
            (col("author"), col("stage"), col("stage_name"))
        else {
            return Err(format!(
                "{}:1: no author, stage and stage_name columns",
                name("employees.csv")
            ));
        };
        for row in csv.records() {
            let row = row.map_err(|e| format!("{}: {e}", name("employees.csv")))?;
            let line = row.position().map_or(0, |p| p.line());
            let get = |i: usize| row.get(i).unwrap_or("");
            let n: usize = get(stage).parse().map_err(|_| {
                format!(
                    "{}:{line}: stage `{}` is not a number",
                    name("employees.csv"),
                    get(stage)
                )
            })?;
            // Cells that looked like formulas were written with a leading `'`.
            let id = unquote(get(author));
            prev.stages.insert(id, (n, unquote(get(stage_name))));
        }
        let file = std::fs::File::open(dir.join("findings.jsonl"))
            .map_err(|e| format!("{}: {e}", name("findings.jsonl")))?;
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| format!("{}:{}: {e}", name("findings.jsonl"), i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(&line)
                .map_err(|e| format!("{}:{}: {e}", name("findings.jsonl"), i + 1))?;
            let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            let num = |k: &str| v.get(k).and_then(|x| x.as_u64()).unwrap_or(0) as usize;
            let key = FindingKey {
                post_id: text("post_id"),
                rule: text("rule"),
                start: num("start"),
                end: num("end"),
            };
            let employee = v
                .get("employee")
                .and_then(|x| x.as_str())
                .map(str::to_string)
                .unwrap_or_else(|| text("author"));
            prev.post_ids.insert(key.post_id.clone());
            prev.findings.insert(key, employee);
        }
        Ok(prev)
    }
}

fn unquote(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StageMove {
    pub employee: String,
    pub name: String,
    pub from: usize,
    pub from_name: String,
    pub to: usize,
    pub to_name: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingChange {
    /// An employee id, or a team name.
    pub name: String,
    pub new: u64,
    pub resolved: u64,
    pub moved_up: u64,
    pub moved_down: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Progress {
    pub previous: String,
    pub previous_generated_at: Option<String>,
    pub moved_up: Vec<StageMove>,
    pub moved_down: Vec<StageMove>,
    /// Employees in this scan and not in the previous one.
    pub new_employees: u64,
    pub new_findings: u64,
    /// Findings of the previous scan on posts scanned again that no longer fire.
    pub resolved_findings: u64,
    /// Employees with new or resolved findings or a stage move, most new findings first.
    pub by_employee: Vec<FindingChange>,
    /// With a roster: the same by team.
    pub by_team: Vec<FindingChange>,
}

/// Compares this scan with the previous one. `current` holds this scan's
/// findings with their employee; `scanned` tells whether a post was scanned now.
pub fn progress(
    prev: &Previous,
    org: &OrgSummary,
    current: &HashMap<FindingKey, String>,
    scanned: &HashSet<String>,
    roster: Option<&Roster>,
) -> Progress {
    let mut p = Progress {
        previous: prev.dir.clone(),
        previous_generated_at: prev.generated_at.clone(),
        ..Progress::default()
    };
    let display = |id: &str| {
        roster
            .and_then(|r| r.get(id))
            .map_or(String::new(), |e| e.name.clone())
    };
    let mut by_employee: BTreeMap<String, FindingChange> = BTreeMap::new();
    fn change<'m>(map: &'m mut BTreeMap<String, FindingChange>, id: &str) -> &'m mut FindingChange {
        map.entry(id.to_string()).or_insert_with(|| FindingChange {
            name: id.to_string(),
            ..FindingChange::default()
        })
    }
    for (id, a) in &org.stages {
        match prev.stages.get(id) {
            None => p.new_employees += 1,
            Some((from, from_name)) if *from != a.stage => {
                let m = StageMove {
                    employee: id.clone(),
                    name: display(id),
                    from: *from,
                    from_name: from_name.clone(),
                    to: a.stage,
                    to_name: a.name.clone(),
                };
                if a.stage > *from {
                    change(&mut by_employee, id).moved_up += 1;
                    p.moved_up.push(m);
                } else {
                    change(&mut by_employee, id).moved_down += 1;
                    p.moved_down.push(m);
                }
            }
            Some(_) => {}
        }
    }
    for (key, employee) in current {
        if !prev.findings.contains_key(key) {
            p.new_findings += 1;
            change(&mut by_employee, employee).new += 1;
        }
    }
    for (key, employee) in &prev.findings {
        if scanned.contains(&key.post_id) && !current.contains_key(key) {
            p.resolved_findings += 1;
            change(&mut by_employee, employee).resolved += 1;
        }
    }
    let mut rows: Vec<FindingChange> = by_employee.into_values().collect();
    if let Some(roster) = roster {
        let mut teams: BTreeMap<String, FindingChange> = BTreeMap::new();
        for r in &rows {
            let team = match roster.get(&r.name) {
                Some(e) if !e.team.is_empty() => e.team.clone(),
                Some(_) => "(none)".to_string(),
                None => crate::aggregate::UNREGISTERED_GROUP.to_string(),
            };
            let t = teams.entry(team.clone()).or_insert_with(|| FindingChange {
                name: team,
                ..FindingChange::default()
            });
            t.new += r.new;
            t.resolved += r.resolved;
            t.moved_up += r.moved_up;
            t.moved_down += r.moved_down;
        }
        p.by_team = teams.into_values().collect();
    }
    rows.sort_by(|a, b| {
        b.new
            .cmp(&a.new)
            .then(b.resolved.cmp(&a.resolved))
            .then(a.name.cmp(&b.name))
    });
    p.by_employee = rows;
    p
}
