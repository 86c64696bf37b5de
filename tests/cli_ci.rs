//! CI use: lint of policies, machine formats, suppressions and baselines,
//! all through the real binary on fixture repositories.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;
use support::fixture;

fn postguard(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("postguard").expect("binary builds");
    cmd.env_remove("POSTGUARD_POLICY")
        .current_dir(dir)
        .arg("--color=never");
    cmd.arg("--policy").arg(fixture("policy/policy.toml"));
    cmd
}

fn stdout(cmd: &mut Command, code: i32) -> String {
    String::from_utf8(cmd.assert().code(code).get_output().stdout.clone()).unwrap()
}

/// A repository of drafts: one ignored by .gitignore, one with front matter.
fn drafts_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("drafts/old")).unwrap();
    std::fs::write(p.join(".gitignore"), "drafts/old/\n").unwrap();
    std::fs::write(p.join("drafts/old/ignored.md"), "guaranteed returns").unwrap();
    std::fs::write(
        p.join("drafts/launch.md"),
        "---\nauthor: maria.lopez\nplatform: linkedin\n---\nBig week!\nOur fund has guaranteed returns.\n",
    )
    .unwrap();
    std::fs::write(p.join("drafts/clean.txt"), "Team offsite was great.").unwrap();
    dir
}

#[test]
fn folders_respect_gitignore_and_front_matter_keeps_file_positions() {
    let repo = drafts_repo();
    let out = stdout(
        postguard(repo.path()).args(["check", "--format", "json", "drafts"]),
        1,
    );
    let findings: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(findings.len(), 1, "{out}");
    let f = &findings[0];
    assert!(f["post_id"].as_str().unwrap().ends_with("launch.md"));
    assert_eq!(f["author"], "maria.lopez");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(6), Some(14))
    );
}

#[test]
fn sarif_has_the_structure_code_scanning_needs() {
    let repo = drafts_repo();
    let out = stdout(
        postguard(repo.path()).args(["check", "--format", "sarif", "drafts"]),
        1,
    );
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "postguard");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        for key in ["id", "shortDescription", "fullDescription", "help"] {
            assert!(r.get(key).is_some(), "rule lacks {key}: {r}");
        }
    }
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "test.guarantee");
    assert_eq!(result["level"], "error");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "test.guarantee");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "drafts/launch.md");
    let region = &loc["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(6), Some(14))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(6), Some(32))
    );
}

#[test]
fn github_annotations_and_junit() {
    let repo = drafts_repo();
    let gh = stdout(
        postguard(repo.path()).args(["check", "--format", "github", "drafts"]),
        1,
    );
    assert_eq!(
        gh.trim(),
        "::error file=drafts/launch.md,line=6,col=14,endLine=6,endColumn=32,title=test.guarantee::Promissory claim"
    );
    let junit = stdout(
        postguard(repo.path()).args(["check", "--format", "junit", "drafts"]),
        1,
    );
    assert!(junit.starts_with("<?xml"));
    assert_eq!(
        junit.matches("<testcase ").count(),
        2,
        "one test case per file: {junit}"
    );
    assert_eq!(junit.matches("<failure ").count(), 1);
    assert!(junit.contains("tests=\"2\" failures=\"1\""));
}

#[test]
fn suppressions_need_a_known_rule_and_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("post.md");
    std::fs::write(
        &draft,
        "<!-- postguard-ignore test.guarantee: approved by legal, ticket 42 -->\nguaranteed returns\n\nguaranteed again\n",
    )
    .unwrap();
    // The covered paragraph is quiet; the next one is not.
    let out = stdout(
        postguard(dir.path()).args(["check", "--format", "json", "post.md"]),
        1,
    );
    let findings: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 4);

    std::fs::write(
        &draft,
        "<!-- postguard-ignore test.guarantee -->\nguaranteed returns\n",
    )
    .unwrap();
    let out = stdout(
        postguard(dir.path()).args(["check", "--format", "json", "post.md"]),
        1,
    );
    let rules: Vec<String> = serde_json::from_str::<Vec<Value>>(&out)
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, ["postguard.invalid-ignore", "test.guarantee"]);

    std::fs::write(
        &draft,
        "<!-- postguard-ignore test.nothing: fine -->\nhello\n",
    )
    .unwrap();
    postguard(dir.path())
        .args(["check", "post.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("does not have"));

    std::fs::write(
        &draft,
        "<!-- postguard-ignore test.guarantee: ok -->\nhello\n",
    )
    .unwrap();
    postguard(dir.path())
        .args(["check", "post.md"])
        .assert()
        .code(0);
    postguard(dir.path())
        .args([
            "check",
            "--report-unused-ignores",
            "--fail-on",
            "warning",
            "post.md",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("postguard.unused-ignore"));
}

#[test]
fn baseline_survives_an_unrelated_edit_above_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("post.txt");
    std::fs::write(&draft, "Our fund: guaranteed returns.").unwrap();
    postguard(dir.path())
        .args(["check", "--write-baseline", "baseline.json", "post.txt"])
        .assert()
        .code(0);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["entries"][0]["rule"], "test.guarantee");

    std::fs::write(
        &draft,
        "A new opening line.\n\nOur fund:   GUARANTEED returns.",
    )
    .unwrap();
    postguard(dir.path())
        .args(["check", "--baseline", "baseline.json", "post.txt"])
        .assert()
        .code(0);
    // A new finding is still reported.
    std::fs::write(&draft, "Our fund: guaranteed returns. Also risk-free!").unwrap();
    let out = stdout(
        postguard(dir.path()).args([
            "check",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
            "post.txt",
        ]),
        1,
    );
    let findings: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["matched"], "risk-free");
    // Fixed: the entry is stale, and says so when asked.
    std::fs::write(&draft, "Our fund has a long record.").unwrap();
    postguard(dir.path())
        .args([
            "check",
            "--baseline",
            "baseline.json",
            "--report-unused-ignores",
            "post.txt",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("no longer matches anything"));
}

#[test]
fn lint_locates_every_problem_at_once() {
    let dir = std::env::temp_dir();
    let out = stdout(
        Command::cargo_bin("postguard")
            .unwrap()
            .current_dir(&dir)
            .args(["--color=never", "lint", "--format", "json"])
            .arg(fixture("lint/broken-policy.toml")),
        1,
    );
    let problems: Vec<Value> = serde_json::from_str(&out).unwrap();
    let has = |code: &str, file: &str, line: u64| {
        problems.iter().any(|p| {
            p["code"] == code && p["file"].as_str().unwrap().ends_with(file) && p["line"] == line
        })
    };
    assert!(has("policy.unknown-pack", "broken-policy.toml", 4), "{out}");
    assert!(
        has("policy.unknown-rule", "broken-policy.toml", 10),
        "{out}"
    );
    assert!(has("policy.unknown-list", "broken-pack.toml", 11), "{out}");
    assert!(
        has("policy.duplicate-rule", "broken-pack.toml", 16),
        "{out}"
    );
    assert!(has("policy.invalid-regex", "broken-pack.toml", 29), "{out}");
    assert!(has("policy.broad-regex", "broken-pack.toml", 37), "{out}");
    assert!(has("policy.no-examples", "broken-pack.toml", 40), "{out}");
    assert!(
        has("policy.example-failed", "broken-pack.toml", 12),
        "{out}"
    );
    assert!(
        has("policy.example-failed", "broken-pack.toml", 13),
        "{out}"
    );
    let unknown = stdout(
        Command::cargo_bin("postguard")
            .unwrap()
            .args(["--color=never", "lint"])
            .arg(fixture("lint/unknown-key.toml")),
        1,
    );
    assert!(unknown.contains("unknown-key.toml:7:1"), "{unknown}");
    assert!(unknown.contains("did you mean `min_posts`?"), "{unknown}");
}

#[test]
fn lint_passes_on_every_shipped_policy() {
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    for entry in std::fs::read_dir(policies).unwrap() {
        let path = entry.unwrap().path();
        Command::cargo_bin("postguard")
            .unwrap()
            .args(["--color=never", "lint"])
            .arg(&path)
            .assert()
            .code(0);
    }
}

#[test]
fn lint_of_a_missing_file_is_a_usage_error() {
    Command::cargo_bin("postguard")
        .unwrap()
        .args(["lint", "/no/such/policy.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such policy file"));
}

#[test]
fn repository_config_sets_policy_threshold_format_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("drafts/archive")).unwrap();
    std::fs::create_dir_all(p.join("policy")).unwrap();
    for f in ["policy.toml", "pack.toml"] {
        std::fs::copy(fixture(&format!("policy/{f}")), p.join("policy").join(f)).unwrap();
    }
    std::fs::write(
        p.join("postguard.toml"),
        "[check]\npolicy = \"policy/policy.toml\"\nfail-on = \"warning\"\nformat = \"github\"\nexclude = [\"drafts/archive/**\"]\n",
    )
    .unwrap();
    std::fs::write(p.join("drafts/a.md"), "mail jane@gmail.com").unwrap();
    std::fs::write(p.join("drafts/archive/old.md"), "guaranteed returns").unwrap();
    let mut cmd = Command::cargo_bin("postguard").unwrap();
    cmd.env_remove("POSTGUARD_POLICY")
        .current_dir(p)
        .arg("check");
    let out = stdout(&mut cmd, 1);
    assert_eq!(
        out.trim(),
        "::warning file=drafts/a.md,line=1,col=6,endLine=1,endColumn=20,title=test.email::E-mail address"
    );
    // Flags win over the file.
    let mut cmd = Command::cargo_bin("postguard").unwrap();
    cmd.env_remove("POSTGUARD_POLICY").current_dir(p).args([
        "--color=never",
        "check",
        "--fail-on",
        "error",
        "--format",
        "json",
    ]);
    let out = stdout(&mut cmd, 0);
    assert_eq!(serde_json::from_str::<Vec<Value>>(&out).unwrap().len(), 1);
}
