//! What a new team meets in its first hour: a minimal policy, a typo in an
//! entity, CI runs with nothing to check, suppressions, baselines, flags.
//! Every test runs the real binary.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn postguard(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("postguard").expect("binary builds");
    cmd.env_remove("POSTGUARD_POLICY").current_dir(dir);
    cmd.arg("--color=never");
    cmd
}

const PACKS: &str =
    r#"include = ["ftc", "finra", "health", "privacy", "confidential", "verbatim"]"#;

/// A policy for a firm other than the example one, with only these entities.
fn policy(dir: &Path, entities: &str) -> std::path::PathBuf {
    let path = dir.join("policy.toml");
    std::fs::write(
        &path,
        format!("[policy]\nname = \"Lumen\"\n{PACKS}\n\n[entities]\n{entities}"),
    )
    .unwrap();
    path
}

const MINIMAL: &str = "company = [\"Lumen Naturals\"]\nproducts = [\"ZenRest\", \"SaveSmart\"]\n";

#[test]
fn minimal_policy_runs_and_lint_notes_empty_entities() {
    let dir = tempfile::tempdir().unwrap();
    let path = policy(dir.path(), MINIMAL);
    postguard(dir.path())
        .arg("--policy")
        .arg(&path)
        .args(["check", "-"])
        .write_stdin("I love ZenRest, best sleep ever, get yours now")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ftc.missing-disclosure"))
        .stderr(predicate::str::contains("unknown list").not());
    let out = stdout_of(postguard(dir.path()).arg("lint").arg(&path), 0);
    for name in ["handles", "employee_tags", "codenames", "allowed_contacts"] {
        assert!(
            out.contains(&format!("info: entity `{name}` is empty")),
            "{name}: {out}"
        );
    }
    assert!(!out.contains("entity `company` is empty"), "{out}");
    assert!(out.contains("0 errors"), "{out}");
}

#[test]
fn readme_smallest_policy_lints_clean() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("<!-- smallest-policy -->")
        .expect("README shows the smallest working policy");
    let block = &readme[start..];
    let open = block.find("```toml\n").unwrap() + "```toml\n".len();
    let close = block[open..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("postguard.toml");
    std::fs::write(&path, &block[open..open + close]).unwrap();
    postguard(dir.path())
        .arg("lint")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings"));
}

#[test]
fn entity_typo_is_reported_once_at_the_users_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = policy(
        dir.path(),
        &format!("{MINIMAL}employe_tags = [\"#LumenEmployee\"]\n"),
    );
    let out = postguard(dir.path())
        .arg("--policy")
        .arg(&path)
        .args(["check", "-"])
        .write_stdin("hello")
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert_eq!(err.matches("error: unknown entity").count(), 1, "{err}");
    assert!(
        err.contains("error: unknown entity `employe_tags`"),
        "{err}"
    );
    assert!(err.contains("policy.toml:8:1"), "{err}");
    assert!(err.contains("did you mean `employee_tags`?"), "{err}");
    assert!(err.contains("handles"), "names the entities read: {err}");
    assert!(!err.contains("<builtin>"), "{err}");
    assert!(err.contains("the policy has 1 error"), "{err}");
}

#[test]
fn check_with_nothing_to_check_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    // No input and an empty, non-terminal standard input (a CI job).
    postguard(dir.path())
        .arg("check")
        .write_stdin("")
        .assert()
        .code(2)
        .stdout(predicate::str::contains("ok:").not())
        .stderr(predicate::str::contains("nothing to check"));
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    postguard(dir.path())
        .args(["check", "drafts"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("ok:").not())
        .stderr(predicate::str::contains("nothing to check"));
}

#[test]
fn check_of_a_missing_path_prints_no_ok() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fine.md"), "A walk by the river.\n").unwrap();
    for args in [
        &["check", "missing.md"][..],
        &["check", "fine.md", "missing.md"],
    ] {
        postguard(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stdout(predicate::str::contains("ok:").not())
            .stderr(predicate::str::contains("missing.md"));
    }
}

fn stdout_of(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_suppression_without_reason_is_never_baselined() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("post.md");
    std::fs::write(
        &draft,
        "<!-- postguard-ignore finra.guaranteed-returns -->\nOur fund: guaranteed returns.\n",
    )
    .unwrap();
    postguard(dir.path())
        .args(["check", "--write-baseline", "baseline.json", "post.md"])
        .assert()
        .code(0);
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(!baseline.contains("postguard.invalid-ignore"), "{baseline}");
    assert!(baseline.contains("finra.guaranteed-returns"), "{baseline}");
    // Checked against that baseline, the reviewed finding is quiet and the
    // suppression problem is still reported.
    let out = stdout_of(
        postguard(dir.path()).args([
            "check",
            "--baseline",
            "baseline.json",
            "--format",
            "github",
            "post.md",
        ]),
        1,
    );
    assert!(out.contains("postguard.invalid-ignore"), "{out}");
    assert!(!out.contains("finra.guaranteed-returns::"), "{out}");
}

#[test]
fn stale_baseline_entries_reach_ci_formats_and_sarif_knows_meta_rules() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("post.md");
    std::fs::write(&draft, "Our fund: guaranteed returns.\n").unwrap();
    postguard(dir.path())
        .args(["check", "--write-baseline", "baseline.json", "post.md"])
        .assert()
        .code(0);
    std::fs::write(&draft, "Our fund has a long record.\n").unwrap();
    let run = |format: &str| {
        stdout_of(
            postguard(dir.path()).args([
                "check",
                "--baseline",
                "baseline.json",
                "--report-unused-ignores",
                "--format",
                format,
                "post.md",
            ]),
            0,
        )
    };
    let github = run("github");
    assert!(
        github.contains("::warning file=post.md") && github.contains("no longer matches"),
        "{github}"
    );
    let junit = run("junit");
    assert!(
        junit.contains("postguard.unused-ignore") && junit.contains("failures=\"1\""),
        "{junit}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let run0 = &sarif["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{sarif}");
    assert_eq!(results[0]["ruleId"], "postguard.unused-ignore");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let index = results[0]["ruleIndex"].as_u64().expect("rule index") as usize;
    assert_eq!(rules[index]["id"], "postguard.unused-ignore");
    assert!(
        rules.iter().any(|r| r["id"] == "postguard.invalid-ignore"),
        "{sarif}"
    );
}

/// Two employees, a phone number and a guarantee, as JSONL.
fn posts(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("posts.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"id":"p1","author":"ana","text":"Call me on (212) 555-0199 about it"}"#,
            "\n",
            r#"{"id":"p2","author":"ben","text":"This fund has guaranteed returns"}"#,
            "\n",
        ),
    )
    .unwrap();
    path
}

#[test]
fn global_flags_work_after_the_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    policy(dir.path(), MINIMAL);
    // Before and after the subcommand alike.
    for args in [
        vec!["lint", "--policy", "policy.toml"],
        vec!["--policy", "policy.toml", "lint"],
    ] {
        postguard(dir.path())
            .args(&args)
            .assert()
            .code(0)
            .stdout(predicate::str::contains("entity `handles` is empty"));
    }
    for command in ["check", "scan", "lint", "explain", "eval", "serve"] {
        for flag in ["-q", "--quiet", "-v", "--verbose"] {
            let help = stdout_of(postguard(dir.path()).args([command, flag, "--help"]), 0);
            assert!(
                help.contains("--quiet") && help.contains("--verbose"),
                "{command}"
            );
        }
    }
    postguard(dir.path())
        .args(["scan", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "[possible values: jsonl, csv, linkedin, twitter, facebook, instagram]",
        ));
    // Quiet lint: problems only, no notes and no summary.
    postguard(dir.path())
        .args(["lint", "-q", "--policy", "policy.toml"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_empty());
    postguard(dir.path())
        .args(["lint", "-v", "--policy", "policy.toml"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("policy: policy.toml"));
}

#[test]
fn check_select_ignore_and_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Our fund: guaranteed returns. Call me on (212) 555-0199";
    let rules = |extra: &[&str]| {
        let out = postguard(dir.path())
            .args(["check", "--format", "json", "--text", text])
            .args(extra)
            .assert()
            .get_output()
            .stdout
            .clone();
        let found: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
        let mut ids: Vec<String> = found
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        ids.dedup();
        ids
    };
    let all = rules(&[]);
    assert!(all.iter().any(|r| r.starts_with("finra.")), "{all:?}");
    assert!(all.iter().any(|r| r == "privacy.phone-number"), "{all:?}");
    for sel in ["finra.", "finra", "regulated-claim"] {
        let only = rules(&["--select", sel]);
        assert!(
            !only.is_empty() && only.iter().all(|r| !r.starts_with("privacy.")),
            "{sel}: {only:?}"
        );
    }
    let ignored = rules(&["--ignore", "privacy.phone-number"]);
    assert!(
        !ignored.contains(&"privacy.phone-number".to_string()),
        "{ignored:?}"
    );
    assert!(
        ignored.iter().any(|r| r.starts_with("finra.")),
        "{ignored:?}"
    );
    postguard(dir.path())
        .args(["check", "--select", "fnra.", "--text", text])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `finra.`?"));
    // Quiet: findings, no closing summary.
    postguard(dir.path())
        .args(["check", "-q", "--text", text])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("privacy.phone-number"))
        .stdout(predicate::str::contains("found ").not());
    postguard(dir.path())
        .args(["check", "--quiet", "--text", "A walk by the river."])
        .assert()
        .code(0)
        .stdout(predicate::str::is_empty());
}

#[test]
fn check_no_ignore_walks_ignored_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    std::fs::create_dir(&drafts).unwrap();
    std::fs::write(drafts.join(".ignore"), "old.md\n").unwrap();
    std::fs::write(drafts.join("new.md"), "A walk by the river.\n").unwrap();
    std::fs::write(drafts.join("old.md"), "Our fund: guaranteed returns.\n").unwrap();
    postguard(dir.path())
        .args(["check", "drafts"])
        .assert()
        .code(0);
    postguard(dir.path())
        .args(["check", "--no-ignore", "drafts"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("old.md"));
}

#[test]
fn scan_prints_findings_for_piping_and_counts_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    posts(dir.path());
    let out = postguard(dir.path())
        .args(["scan", "posts.jsonl", "--format", "jsonl"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|f| f["rule"] == "privacy.phone-number" && f["author"] == "ana")
    );
    assert!(lines.iter().any(|f| f["author"] == "ben"));
    // The summary is a message: on stderr.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("2 posts by 2 employees"), "{stderr}");
    let json = postguard(dir.path())
        .args([
            "scan",
            "-q",
            "posts.jsonl",
            "--format",
            "json",
            "--select",
            "privacy",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::is_empty())
        .get_output()
        .stdout
        .clone();
    let all: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    assert!(
        !all.is_empty() && all.iter().all(|f| f["category"] == "privacy"),
        "{all:?}"
    );
    let human = postguard(dir.path())
        .args([
            "scan",
            "posts.jsonl",
            "--format",
            "human",
            "--ignore",
            "privacy",
        ])
        .assert()
        .get_output()
        .stdout
        .clone();
    let human = String::from_utf8(human).unwrap();
    assert!(human.contains("p2:1:") && human.contains("ben"), "{human}");
    assert!(!human.contains("privacy."), "{human}");
    // One post by one employee, in the singular.
    std::fs::write(
        dir.path().join("one.jsonl"),
        r#"{"id":"p1","author":"ana","text":"A walk by the river"}"#,
    )
    .unwrap();
    postguard(dir.path())
        .args(["scan", "one.jsonl"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 post by 1 employee: 0 findings"));
}

#[test]
fn explain_shows_list_contents_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let brightwater = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/brightwater.toml");
    let out = stdout_of(
        postguard(dir.path())
            .arg("--policy")
            .arg(&brightwater)
            .args(["explain", "ftc.buried-disclosure"]),
        0,
    );
    for raw in [
        "{disclosures}",
        "{promotion_subjects}",
        "Buried",
        "sentence(s)",
    ] {
        assert!(!out.contains(raw), "`{raw}` shown raw:\n{out}");
    }
    // The lists' contents under this policy: disclosures, the firm's names.
    assert!(out.contains("\"#ad\""), "{out}");
    assert!(out.contains("\"Brightwater Growth Fund\""), "{out}");
    assert!(
        out.contains("this rule reports a disclosure past the visible"),
        "{out}"
    );
    // A multi-line example keeps its lines under its mark.
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("The team spent two long years"))
        .unwrap();
    assert!(lines[at].starts_with("    "), "{out}");
    let examples = &out[out.find("Flags").unwrap()..];
    for line in examples.lines().skip(1) {
        assert!(
            line.is_empty() || line.starts_with("  ") || line == "Leaves alone",
            "example line out of its block: {line:?}\n{out}"
        );
    }
    // Under a policy that leaves a list empty, explain says so.
    policy(dir.path(), MINIMAL);
    let out = stdout_of(
        postguard(dir.path()).args(["--policy", "policy.toml", "explain", "privacy.phone-number"]),
        0,
    );
    assert!(
        out.contains("`allowed_contacts` is empty under this policy"),
        "{out}"
    );
    assert!(
        !out.contains("Phone:") && !out.contains("Text view"),
        "{out}"
    );
    assert!(out.contains("the text as written"), "{out}");
}

#[test]
fn comments_and_front_matter_do_not_count_as_visible_text() {
    let dir = tempfile::tempdir().unwrap();
    let brightwater = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/brightwater.toml");
    // `#ad` starts at character 110: visible under the default cut of 125.
    let body = "Loving the new Brightwater Growth Fund, the best thing I have tried this year. \
                Honestly a game changer for me. #ad";
    assert!(body.find("#ad").unwrap() < 125);
    let drafts = [
        ("plain.md", body.to_string()),
        (
            "suppressed.md",
            format!(
                "<!-- postguard-ignore finra.guaranteed-returns: reviewed by legal on 2026-11-01 -->\n{body}\n"
            ),
        ),
        (
            "front-matter.md",
            format!(
                "---\nauthor: ana\nplatform: linkedin\ndate: 2026-11-01\n---\n<!-- draft 3 -->\n{body}\n"
            ),
        ),
        (
            "suppressed.txt",
            format!(
                "<!-- postguard-ignore finra.guaranteed-returns: reviewed by legal in November -->\n{body}\n"
            ),
        ),
    ];
    for (name, text) in &drafts {
        std::fs::write(dir.path().join(name), text).unwrap();
        let out = stdout_of(
            postguard(dir.path())
                .arg("--policy")
                .arg(&brightwater)
                .args(["check", "--fail-on", "info", "--format", "json", name]),
            0,
        );
        assert!(!out.contains("ftc.buried-disclosure"), "{name}: {out}");
    }
    // Positions stay file positions, and a disclosure really past the cut is still buried.
    let late = format!(
        "<!-- postguard-ignore finra.guaranteed-returns: reviewed -->\n{} #ad\n",
        body.trim_end_matches(" #ad").repeat(2)
    );
    std::fs::write(dir.path().join("late.md"), &late).unwrap();
    let out = stdout_of(
        postguard(dir.path())
            .arg("--policy")
            .arg(&brightwater)
            .args(["check", "--fail-on", "info", "--format", "json", "late.md"]),
        1,
    );
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let buried = findings
        .iter()
        .find(|f| f["rule"] == "ftc.buried-disclosure")
        .expect("still buried");
    assert_eq!(
        buried["start"].as_u64().unwrap() as usize,
        late.rfind("#ad").unwrap()
    );
}
