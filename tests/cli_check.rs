//! `postguard check`, `explain` and `lint` through the real binary.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use support::fixture;

fn postguard() -> Command {
    let mut cmd = Command::cargo_bin("postguard").expect("binary builds");
    // Never pick up a policy from the environment or a parent directory.
    cmd.env_remove("POSTGUARD_POLICY")
        .current_dir(std::env::temp_dir());
    cmd.arg("--color=never");
    cmd
}

fn with_test_policy() -> Command {
    let mut cmd = postguard();
    cmd.arg("--policy").arg(fixture("policy/policy.toml"));
    cmd
}

#[test]
fn exit_1_with_rule_underline_and_fix_on_stdin() {
    with_test_policy()
        .args(["check", "-"])
        .write_stdin("This fund offers guaranteed returns of 12% a year")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[test.guarantee]: Promissory claim",
        ))
        .stdout(predicate::str::contains("<stdin>:1:18"))
        .stdout(predicate::str::contains("^^^^^^^^^^^^^^^^^^"));
}

#[test]
fn exit_0_when_nothing_is_found() {
    with_test_policy()
        .args(["check", "--text", "Returns are never guaranteed."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no findings"));
}

#[test]
fn fail_on_sets_the_threshold() {
    // `test.email` is a warning: exit 0 by default, 1 with --fail-on warning.
    let text = "write to jane@gmail.com";
    with_test_policy()
        .args(["check", "--text", text])
        .assert()
        .code(0);
    with_test_policy()
        .args(["check", "--fail-on", "warning", "--text", text])
        .assert()
        .code(1);
    // --exit-zero reports but exits 0; usage errors still exit 2.
    with_test_policy()
        .args(["check", "--exit-zero", "--text", "guaranteed returns"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("test.guarantee"));
}

#[test]
fn folder_input_checks_txt_and_md_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "guaranteed returns").unwrap();
    std::fs::write(dir.path().join("b.md"), "all clean here").unwrap();
    std::fs::write(dir.path().join("c.csv"), "guaranteed returns").unwrap();
    let out = with_test_policy()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    assert_eq!(findings.len(), 1);
    assert!(findings[0]["post_id"].as_str().unwrap().ends_with("a.txt"));
}

#[test]
fn json_output_carries_the_contract_fields() {
    let out = with_test_policy()
        .args([
            "check",
            "--format",
            "json",
            "--text",
            "Line one\n🚀 guaranteed returns",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    let f = &findings[0];
    for field in [
        "post_id",
        "author",
        "rule",
        "category",
        "severity",
        "message",
        "start",
        "end",
        "line",
        "column",
        "matched",
        "reference",
    ] {
        assert!(f.get(field).is_some(), "missing {field} in {f}");
    }
    assert_eq!(f["rule"], "test.guarantee");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["matched"], "guaranteed returns");
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 3);
    assert_eq!(f["start"], "Line one\n🚀 ".len());
}

#[test]
fn verbose_says_what_cleared_a_match() {
    with_test_policy()
        .args([
            "check",
            "--verbose",
            "--text",
            "Returns are never guaranteed.",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "cleared: `guaranteed` (test.guarantee)",
        ))
        .stdout(predicate::str::contains("by `never`"));
}

#[test]
fn broken_policy_exits_2_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("broken.toml");
    std::fs::write(
        &policy,
        "[policy]\nname = \"x\"\ninclude = [\"finra\"]\n\n[disclosure]\nvisible_charz = 3\n",
    )
    .unwrap();
    postguard()
        .arg("--policy")
        .arg(&policy)
        .args(["check", "--text", "hello"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.toml:6:1"))
        .stderr(predicate::str::contains("did you mean `visible_chars`?"));
}

/// A pack file's broken pattern is an error for `check` as it is for
/// `lint`, whatever it opens on: a group of words with a list in it, one
/// word, or a class.
#[test]
fn a_pack_files_invalid_regex_stops_check_naming_its_line() {
    for pattern in ["(?:{things}) (returns", "gamma (returns", "[a-z]+ (returns"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pack.toml"),
            format!(
                "[pack]\nid = \"mine\"\nname = \"Mine\"\n\n[lists]\nthings = [\"alpha\", \"beta\"]\n\n\
                 [[rule]]\nid = \"mine.claim\"\ncategory = \"regulated-claim\"\nseverity = \"error\"\n\
                 message = \"m\"\nmatch = {{ kind = \"phrases\", phrases = ['/{pattern}/'] }}\n"
            ),
        )
        .unwrap();
        let policy = dir.path().join("policy.toml");
        std::fs::write(
            &policy,
            "[policy]\nname = \"x\"\ninclude = [\"pack.toml\"]\n",
        )
        .unwrap();
        postguard()
            .arg("--policy")
            .arg(&policy)
            .args(["check", "--text", "alpha returns"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "invalid regular expression: unclosed group",
            ))
            .stderr(predicate::str::contains("pack.toml:13:"));
    }
}

#[test]
fn unreadable_draft_is_an_input_error_but_others_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.txt"), b"ok\n\xff\xfe guaranteed").unwrap();
    std::fs::write(dir.path().join("good.txt"), "guaranteed returns").unwrap();
    with_test_policy()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::contains("good.txt"))
        .stderr(predicate::str::contains("bad.txt: line 2: invalid UTF-8"));
}

#[test]
fn default_policy_catches_the_readme_examples() {
    postguard()
        .args(["check", "-"])
        .write_stdin("This fund offers guaranteed returns of 12% a year")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("guaranteed"));
    postguard()
        .args(["check", "-"])
        .write_stdin(
            "Returns are never guaranteed; past performance is no guarantee of future results.",
        )
        .assert()
        .code(0);
}

#[test]
fn explain_shows_a_rule_and_rejects_unknown_ones() {
    with_test_policy()
        .args(["explain", "test.guarantee"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Promissory claim"))
        .stdout(predicate::str::contains("guaranteed returns"));
    with_test_policy()
        .args(["explain", "test.guarante"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `test.guarantee`?"));
}

#[test]
fn no_input_on_a_terminal_is_a_usage_error_and_bad_flags_exit_2() {
    postguard()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
    postguard().args(["frobnicate"]).assert().code(2);
}

#[test]
fn closed_stdout_is_not_an_error() {
    // `check ... | head -0`: the reader is gone before we write.
    let text = "guaranteed returns. ".repeat(2000);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("postguard"))
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .args(["check", "--text", &text])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{:?}",
        out
    );
    assert!(out.status.code() == Some(0) || out.status.code() == Some(1));
}

#[test]
fn check_compares_drafts_with_corporate_posts() {
    let corporate = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/corporate.jsonl");
    let copy = "Great news! We are proud to announce that the Brightwater Income Fund now offers monthly distributions. Learn how it can fit a diversified retirement plan";
    let out = postguard()
        .args(["check", "--format", "json", "--corporate"])
        .arg(&corporate)
        .args(["--text", copy])
        .assert()
        .get_output()
        .stdout
        .clone();
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    let f = findings
        .iter()
        .find(|f| f["rule"] == "verbatim.copy")
        .expect("copy found");
    assert_eq!(f["corporate_id"], "corp-001");
    assert!(f["similarity"].as_f64().unwrap() > 0.9);
    assert!(f["matched"].as_str().unwrap().starts_with("We are proud"));
}

#[test]
fn corporate_posts_need_no_author() {
    let dir = tempfile::tempdir().unwrap();
    let corporate = dir.path().join("corporate.csv");
    std::fs::write(
        &corporate,
        "id,text\nc1,We are proud to announce that the Brightwater Income Fund now offers monthly distributions to every investor\n",
    )
    .unwrap();
    let out = postguard()
        .args(["check", "--format", "json", "--corporate"])
        .arg(&corporate)
        .args(["--text", "We are proud to announce that the Brightwater Income Fund now offers monthly distributions to every investor"])
        .assert()
        .get_output()
        .clone();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        findings.iter().any(|f| f["corporate_id"] == "c1"),
        "{findings:?}"
    );
}

/// A draft of one claim repeated thousands of times: the output stays bounded.
fn repeated_claims(times: usize) -> String {
    "This fund offers guaranteed returns. ".repeat(times)
}

#[test]
fn findings_per_draft_are_capped_at_1000_with_a_note_on_stderr_for_json() {
    let out = with_test_policy()
        .args(["check", "-", "--format", "json"])
        .write_stdin(repeated_claims(3000))
        .assert()
        .code(1)
        .stderr(predicate::str::is_match(
            r"note: … and \d+ more findings in <stdin> not shown \(--max-findings-per-post 1000\)",
        ).unwrap())
        .get_output()
        .stdout
        .clone();
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    assert_eq!(findings.len(), 1000);
    // The first ones by position are kept, in order.
    let starts: Vec<u64> = findings
        .iter()
        .map(|f| f["start"].as_u64().unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(starts[0], 17);
}

#[test]
fn the_cap_is_configurable_and_the_human_summary_counts_the_rest() {
    let out = with_test_policy()
        .args(["check", "-", "--max-findings-per-post", "5"])
        .write_stdin(repeated_claims(40))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "note: … and 35 more findings in <stdin> not shown (--max-findings-per-post 5)",
        ))
        .stdout(predicate::str::contains(
            "found 5 findings (5 errors) in 1 draft, and 35 more not shown",
        ))
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap().matches("error[").count(), 5);
    with_test_policy()
        .args(["check", "-", "--max-findings-per-post", "0"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("must be at least 1"));
}

#[test]
fn a_finding_far_into_a_long_line_shows_an_excerpt_at_its_own_column() {
    let text = format!(
        "{}This fund offers guaranteed returns.",
        "word ".repeat(10_000)
    );
    with_test_policy()
        .args(["check", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<stdin>:1:50018"))
        .stdout(predicate::str::contains(
            "word word This fund offers guaranteed returns.",
        ))
        .stdout(predicate::str::contains("^^^^^^^^^^^^^^^^^^"));
}
