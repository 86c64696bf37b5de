//! `scan --roster` through the real binary: accounts mapped to people (case,
//! `@`, platforms), unregistered accounts, roll-ups, stage windows and
//! training, the period, and the CSVs.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// A scan of the roster fixture under `policy`, reports in `out`.
fn scan(policy: &str, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .current_dir(fixture("roster"))
        .args(["--color=never", "--policy"])
        .arg(fixture(policy))
        .args(["scan", "posts.jsonl", "--out"])
        .arg(out)
        .args(extra)
        .assert()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join("summary.json"))).unwrap()
}

#[test]
fn accounts_map_to_employees_by_case_at_and_platform() {
    let dir = tempfile::tempdir().unwrap();
    scan(
        "policy/policy.toml",
        dir.path(),
        &["--quiet", "--roster", "roster.csv"],
    )
    .code(1);
    let rows = csv_rows(&dir.path().join("employees.csv"));
    let by: std::collections::HashMap<_, _> =
        rows.iter().map(|r| (r["author"].clone(), r)).collect();
    // Ana.Lopez on LinkedIn, @AnaL on X and ANA.LOPEZ on "LinkedIn" are one person.
    assert_eq!(by["E1"]["posts"], "3");
    assert_eq!(by["E1"]["accounts"], "linkedin:ana.lopez x:anal");
    assert_eq!(by["E1"]["name"], "Ana Lopez");
    assert_eq!(by["E1"]["team"], "Wealth");
    // A handle registered without a platform matches on every platform.
    assert_eq!(by["E2"]["accounts"], "instagram:bo.chen x:bo.chen");
    // On the roster with no posts: still a report.
    assert_eq!(by["E3"]["posts"], "0");
    assert_eq!(by["E3"]["registered"], "true");
    // AnaL is registered on X only: `anal` on LinkedIn is someone else.
    assert_eq!(by["anal"]["registered"], "false");
    assert_eq!(by["ghost_trader"]["registered"], "false");
    assert_eq!(rows.len(), 5);

    let employee: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("employees/E1.json"))).unwrap();
    assert_eq!(employee["employee"]["manager"], "Kim Park");
    assert_eq!(employee["registered"], true);
    assert_eq!(employee["run"]["policy"], "Engine test policy");
}

#[test]
fn unregistered_accounts_are_listed_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    scan(
        "policy/policy.toml",
        dir.path(),
        &["--roster", "roster.csv"],
    )
    .code(1)
    .stderr(predicate::str::contains("unregistered accounts (2)"))
    .stderr(predicate::str::contains("linkedin:anal"))
    .stderr(predicate::str::contains("x:ghost_trader"));
    let rows = csv_rows(&dir.path().join("unregistered.csv"));
    let accounts: Vec<&str> = rows.iter().map(|r| r["account"].as_str()).collect();
    assert_eq!(accounts, ["linkedin:anal", "x:ghost_trader"]);
    assert_eq!(rows[0]["first_post_id"], "p4");
    assert_eq!(rows[0]["findings"], "1");
    let s = summary(dir.path());
    assert_eq!(s["unregistered_accounts"].as_array().unwrap().len(), 2);
    assert_eq!(s["roster_employees"], 3);
    let html = read(&dir.path().join("report.html"));
    assert!(html.contains("Unregistered accounts (2)"));
    assert!(html.contains("x:ghost_trader"));
    // Not a finding unless asked.
    assert!(!read(&dir.path().join("findings.jsonl")).contains("roster.unregistered-account"));
}

#[test]
fn unregistered_accounts_can_be_findings() {
    let dir = tempfile::tempdir().unwrap();
    // ghost_trader's post is clean: only the unregistered account fails the scan.
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .current_dir(fixture("roster"))
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .args(["scan", "posts.jsonl", "--roster", "roster.csv", "--quiet"])
        .args(["--since", "2026-06-01", "--until", "2026-06-01", "--out"])
        .arg(dir.path())
        .assert()
        .code(0);
    let dir2 = tempfile::tempdir().unwrap();
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .current_dir(fixture("roster"))
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .args(["scan", "posts.jsonl", "--roster", "roster.csv", "--quiet"])
        .args(["--since", "2026-06-01", "--until", "2026-06-01"])
        .args(["--unregistered-is-finding", "--out"])
        .arg(dir2.path())
        .assert()
        .code(1);
    let findings = read(&dir2.path().join("findings.jsonl"));
    let f: serde_json::Value = serde_json::from_str(findings.lines().next().unwrap()).unwrap();
    assert_eq!(f["rule"], "roster.unregistered-account");
    assert_eq!(f["post_id"], "p5");
    assert_eq!(f["severity"], "error");
    let s = summary(dir2.path());
    assert_eq!(s["findings"], 1);
    assert_eq!(s["by_category"]["unregistered-account"], 1);
}

#[test]
fn roll_ups_by_team_manager_and_region() {
    let dir = tempfile::tempdir().unwrap();
    scan(
        "policy/policy.toml",
        dir.path(),
        &["--quiet", "--roster", "roster.csv"],
    )
    .code(1);
    let rows = csv_rows(&dir.path().join("teams.csv"));
    let wealth = rows
        .iter()
        .find(|r| r["level"] == "team" && r["name"] == "Wealth")
        .unwrap();
    // E1 (3 posts, 2 findings) and E3 (no posts), both at stage 1.
    assert_eq!(wealth["employees"], "2");
    assert_eq!(wealth["stage_1"], "2");
    assert_eq!(wealth["posts"], "3");
    assert_eq!(wealth["findings_per_100_posts"], "66.7");
    assert!(
        rows.iter()
            .any(|r| r["level"] == "manager" && r["name"] == "Raj Patel")
    );
    assert!(
        rows.iter()
            .any(|r| r["level"] == "region" && r["name"] == "APAC")
    );
    assert!(rows.iter().any(|r| r["name"] == "(unregistered)"));
    let s = summary(dir.path());
    assert!(s["groups"].as_array().unwrap().len() >= 9);
    let html = read(&dir.path().join("report.html"));
    for id in ["by-team", "by-manager", "by-region"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
}

#[test]
fn windows_let_a_stage_be_earned_back_and_training_counts() {
    let dir = tempfile::tempdir().unwrap();
    // The policy names its roster ([roster] path, relative to the policy file).
    scan("roster/policy.toml", dir.path(), &["--quiet"]).code(1);
    let rows = csv_rows(&dir.path().join("employees.csv"));
    let by: std::collections::HashMap<_, _> =
        rows.iter().map(|r| (r["author"].clone(), r)).collect();
    // E1's error of 12 January is outside the 90 days before 20 June, and E1 is trained.
    assert_eq!(by["E1"]["stage_name"], "Social Selling Training");
    // E2 is clean but has no training on the roster.
    assert_eq!(by["E2"]["stage"], "2");
    assert!(by["E2"]["blocked_by"].contains("no social media training"));
    let e1: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("employees/E1.json"))).unwrap();
    assert_eq!(e1["stage"]["since"], "2026-05-15");

    // Ending the period on 31 March puts the error back in the window.
    let dir = tempfile::tempdir().unwrap();
    scan(
        "roster/policy.toml",
        dir.path(),
        &["--quiet", "--until", "2026-03-31"],
    )
    .code(1);
    let rows = csv_rows(&dir.path().join("employees.csv"));
    let e1 = rows.iter().find(|r| r["author"] == "E1").unwrap();
    assert_eq!(e1["stage"], "1");
    assert!(
        e1["blocked_by"].contains("in the last 90 days"),
        "{}",
        e1["blocked_by"]
    );
    let s = summary(dir.path());
    assert_eq!(s["run"]["until"], "2026-03-31");
    // p5, p6 and p7 are after 31 March.
    assert_eq!(s["posts_outside_period"], 3);
    assert_eq!(s["posts"], 4);
}

#[test]
fn every_report_names_its_run() {
    let dir = tempfile::tempdir().unwrap();
    scan(
        "roster/policy.toml",
        dir.path(),
        &["--quiet", "--since", "2026-01-01"],
    )
    .code(1);
    let s = summary(dir.path());
    let run = &s["run"];
    assert_eq!(run["generated_at"], "2026-09-21T14:13:20Z");
    assert_eq!(run["policy"], "Roster test policy");
    assert!(run["policy_hash"].as_str().unwrap().starts_with("fnv1a64:"));
    assert_eq!(run["postguard_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["since"], "2026-01-01");
    assert_eq!(run["first_post_at"], "2026-01-10T10:00:00Z");
    let months: Vec<&str> = s["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2026-01", "2026-03", "2026-05", "2026-06"]);
    let html = read(&dir.path().join("report.html"));
    assert!(html.contains("period 2026-01-01 – 2026-06-20"));
    assert!(html.contains(run["policy_hash"].as_str().unwrap()));
}

#[test]
fn a_changed_rule_changes_the_policy_hash() {
    let tmp = tempfile::tempdir().unwrap();
    let policy = read(&fixture("roster/policy.toml"))
        .replace(
            "../policy/pack.toml",
            &fixture("policy/pack.toml").display().to_string(),
        )
        .replace(
            "roster.csv",
            &fixture("roster/roster.csv").display().to_string(),
        );
    let hash = |text: &str| {
        std::fs::write(tmp.path().join("p.toml"), text).unwrap();
        let out = tmp.path().join("out");
        let _ = std::fs::remove_dir_all(&out);
        scan(
            tmp.path().join("p.toml").to_str().unwrap(),
            &out,
            &["--quiet"],
        );
        summary(&out)["run"]["policy_hash"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let a = hash(&policy);
    assert_eq!(a, hash(&policy));
    assert_ne!(
        a,
        hash(&policy.replace("window_days = 90", "window_days = 91"))
    );
}

#[test]
fn bad_rosters_name_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    for (csv, want) in [
        (
            "id,accounts\nE1,x:ana\nE2,@ANA\n",
            "roster.csv:3: account `ana` of `E2` is already registered to `E1` (line 2)",
        ),
        (
            "id,accounts\nE1,ana\nE1,bo\n",
            "roster.csv:3: employee `E1` is already on line 2",
        ),
        (
            "id,team\nE1,x\n",
            "roster.csv:1: a roster needs the columns `id` and `accounts`",
        ),
        (
            "id,accounts,training_completed\nE1,a,last year\n",
            "roster.csv:2: `training_completed` `last year` is not a date",
        ),
    ] {
        let path = tmp.path().join("roster.csv");
        std::fs::write(&path, csv).unwrap();
        let out = tmp.path().join("out");
        Command::cargo_bin("postguard")
            .unwrap()
            .env_remove("POSTGUARD_POLICY")
            .current_dir(tmp.path())
            .args(["--color=never", "--policy"])
            .arg(fixture("policy/policy.toml"))
            .arg("scan")
            .arg(fixture("roster/posts.jsonl"))
            .args(["--roster", "roster.csv", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(want));
        assert!(!out.exists(), "no report for a bad roster");
    }
}

#[test]
fn without_a_roster_there_are_no_roster_files_or_fields() {
    let dir = tempfile::tempdir().unwrap();
    scan("policy/policy.toml", dir.path(), &["--quiet"]).code(1);
    assert!(!dir.path().join("unregistered.csv").exists());
    assert!(!dir.path().join("teams.csv").exists());
    let s = summary(dir.path());
    assert!(s.get("unregistered_accounts").is_none());
    assert!(read(&dir.path().join("employees.csv")).starts_with("author,stage,"));
    // Each handle is its own employee, as before.
    assert!(read(&dir.path().join("employees.csv")).contains("\n'@AnaL,"));
}

#[test]
fn compare_shows_stage_moves_and_new_and_resolved_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let before = tmp.path().join("before");
    // The first review ends on 31 March: E1's error is within the window.
    scan(
        "roster/policy.toml",
        &before,
        &["--quiet", "--until", "2026-03-31"],
    )
    .code(1);
    // Since then: p2's rule no longer fires (its text here stands for a
    // corrected rule), p8 is a new offending post, and p4 is not in the export.
    let posts: Vec<String> = read(&fixture("roster/posts.jsonl"))
        .lines()
        .filter(|l| !l.contains("\"p4\""))
        .map(|l| {
            if l.contains("\"p2\"") {
                l.replace("This fund offers guaranteed returns of 12% a year", "Markets were calm.")
            } else {
                l.to_string()
            }
        })
        .chain([r#"{"id":"p8","author":"bo.chen","platform":"x","text":"Guaranteed returns here","created_at":"2026-06-21T10:00:00Z"}"#.to_string()])
        .collect();
    let export = tmp.path().join("posts2.jsonl");
    std::fs::write(&export, posts.join("\n") + "\n").unwrap();
    let after = tmp.path().join("after");
    let out = Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .current_dir(fixture("roster"))
        .args(["--color=never", "--policy", "policy.toml", "scan"])
        .arg(&export)
        .arg("--compare")
        .arg(&before)
        .arg("--out")
        .arg(&after)
        .assert()
        .code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with("since the last review"),
        "progress comes first: {stderr}"
    );
    assert!(stderr.contains("1 new findings, 2 resolved"), "{stderr}");
    let s = summary(&after);
    let c = &s["compare"];
    let up: Vec<&str> = c["moved_up"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["employee"].as_str().unwrap())
        .collect();
    assert!(up.contains(&"E1"), "{c}");
    assert_eq!(c["moved_up"][0]["to_name"], "Social Selling Training");
    assert_eq!(c["new_findings"], 1);
    // p2's two findings resolved; p4's finding is on a post not scanned again.
    assert_eq!(c["resolved_findings"], 2);
    let e = |id: &str| {
        c["by_employee"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(e("E2")["new"], 1);
    assert_eq!(e("E1")["resolved"], 2);
    let health = c["by_team"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Health")
        .cloned()
        .unwrap();
    assert_eq!(health["new"], 1);
    let html = read(&after.join("report.html"));
    assert!(html.find("Since the last review").unwrap() < html.find("Employees by stage").unwrap());
    // findings.jsonl names the employee each finding counts for.
    assert!(read(&after.join("findings.jsonl")).contains("\"employee\":\"E2\""));

    // Comparing with the report folder being replaced works too.
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .current_dir(fixture("roster"))
        .args([
            "--color=never",
            "--policy",
            "policy.toml",
            "scan",
            "posts.jsonl",
            "--quiet",
        ])
        .arg("--compare")
        .arg(&after)
        .arg("--out")
        .arg(&after)
        .assert()
        .code(1);
    assert!(
        summary(&after)["compare"]["new_findings"]
            .as_u64()
            .is_some()
    );

    // Not a report folder: a clear error.
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .current_dir(fixture("roster"))
        .args([
            "--color=never",
            "--policy",
            "policy.toml",
            "scan",
            "posts.jsonl",
            "--quiet",
        ])
        .arg("--compare")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("summary.json"));
}

#[test]
fn html_has_legend_filters_references_trends_and_a_limit() {
    let dir = tempfile::tempdir().unwrap();
    scan("roster/policy.toml", dir.path(), &["--quiet"]).code(1);
    let html = read(&dir.path().join("report.html"));
    // The stage legend: names, descriptions and what each stage counts.
    assert!(html.contains("id=\"legend\""));
    assert!(html.contains("<b>Social Selling Training</b>"));
    assert!(html.contains("counts the last 90 days"));
    // Filters over every employee row and offending-post block.
    for id in ["f-stage", "f-team", "f-cat", "f-rule", "f-q"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(html.contains("<option>Health</option>"));
    assert!(html.contains(
        "data-stage=\"3\" data-team=\"Wealth\" data-cats=\" regulated-claim \" data-rules=\" test.guarantee test.percent \" data-q=\"e1 ana lopez linkedin:ana.lopez x:anal\""
    ));
    // Each finding links to its rule, which says why and cites its reference.
    assert!(html.contains("<a href=\"#rule-test.guarantee\">"));
    assert!(html.contains("<tr id=\"rule-test.guarantee\">"));
    // Monthly trends.
    assert!(html.contains("id=\"trends\""));
    assert!(html.contains("<title>2026-01 posts: 2</title>"));
    assert!(!html.contains("id=\"not-shown\""));

    // Past --html-employees the worst are shown and the rest counted.
    let dir = tempfile::tempdir().unwrap();
    scan(
        "roster/policy.toml",
        dir.path(),
        &["--quiet", "--html-employees", "2"],
    )
    .code(1);
    let html = read(&dir.path().join("report.html"));
    assert!(html.contains("id=\"not-shown\""));
    assert!(html.contains("3 more employees"));
    // Stage 1 with the most errors first: E1 is at stage 3 now, so the two
    // shown are stage-1 employees (E3 without posts, anal with an error).
    assert!(html.contains("href=\"#e-anal\""));
    assert!(!html.contains("href=\"#e-E1\""));
    let rows = csv_rows(&dir.path().join("employees.csv"));
    assert_eq!(rows.len(), 5, "the CSV keeps everyone");
}
