//! `postguard eval` through the real binary: figures, floors, bad labels, and
//! a recount of its figures from `scan --out`'s findings.jsonl.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn postguard() -> Command {
    let mut cmd = Command::cargo_bin("postguard").expect("binary builds");
    cmd.env_remove("POSTGUARD_POLICY")
        .current_dir(std::env::temp_dir());
    cmd.arg("--color=never");
    cmd
}

fn brightwater() -> PathBuf {
    root().join("policies/brightwater.toml")
}

/// `postguard --policy brightwater.toml eval`.
fn eval() -> Command {
    let mut cmd = postguard();
    cmd.arg("--policy").arg(brightwater()).arg("eval");
    cmd
}

fn labelled_set() -> PathBuf {
    root().join("corpus/labelled/posts.jsonl")
}

fn write(dir: &Path, name: &str, lines: &[&str]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

const SMALL: &[&str] = &[
    r#"{"id": "claim", "author": "a", "text": "This fund offers guaranteed returns of 12% a year", "categories": ["regulated-claim"]}"#,
    r#"{"id": "clean", "author": "a", "text": "Lovely walk by the lake this morning", "categories": []}"#,
    r#"{"id": "phone", "author": "b", "text": "Call my neighbour Jo on 415-555-0199 tonight", "categories": ["privacy"]}"#,
];

#[test]
fn prints_the_table_and_meets_floors() {
    let dir = tempfile::tempdir().unwrap();
    let set = write(dir.path(), "set.jsonl", SMALL);
    eval()
        .arg(&set)
        .args([
            "--min-precision",
            "0.5",
            "--min-recall",
            "regulated-claim=1",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("category"))
        .stdout(predicate::str::contains("regulated-claim"))
        .stdout(predicate::str::contains(
            "ok: recall of regulated-claim is 1.000",
        ));
}

#[test]
fn a_figure_below_its_floor_exits_1_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    // Labelled as a claim, but the policy sees nothing in it.
    let set = write(
        dir.path(),
        "set.jsonl",
        &[
            r#"{"id": "x", "author": "a", "text": "Lovely walk by the lake this morning", "categories": ["regulated-claim"]}"#,
        ],
    );
    eval()
        .arg(&set)
        .args(["--min-recall", "regulated-claim=0.9"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "below floor: recall of regulated-claim is 0.000 (floor 0.900)",
        ))
        .stdout(predicate::str::contains("missed: regulated-claim (1)"))
        .stdout(predicate::str::contains("set.jsonl:1"));
}

#[test]
fn an_unknown_category_exits_2_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let set = write(
        dir.path(),
        "set.jsonl",
        &[
            SMALL[0],
            r#"{"id": "y", "author": "a", "text": "hi", "categories": ["secret"]}"#,
        ],
    );
    eval()
        .arg(&set)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "set.jsonl:2: unknown category `secret`",
        ));
}

#[test]
fn unreadable_input_and_bad_floors_exit_2() {
    postguard()
        .args(["eval", "/no/such/labels.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/no/such/labels.jsonl"));
    let dir = tempfile::tempdir().unwrap();
    let set = write(dir.path(), "set.jsonl", SMALL);
    postguard()
        .arg("eval")
        .arg(&set)
        .args(["--min-recall", "privacy=2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--min-recall"));
}

#[test]
fn info_notes_do_not_flag_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    // A disclosed promotion whose disclosure sits in a closing hashtag wall:
    // the buried-disclosure note is coaching (info), not a violation.
    let set = write(
        dir.path(),
        "set.jsonl",
        &[
            r#"{"id": "wall", "author": "a", "text": "Try VitaLume with me this month! #morning #wellness #energy #ad #habits", "categories": []}"#,
        ],
    );
    let run = |extra: &[&str]| -> Value {
        let out = eval()
            .arg(&set)
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(run(&[])["categories"]["disclosure"]["fp"], 0);
    assert_eq!(
        run(&["--min-severity", "info"])["categories"]["disclosure"]["fp"],
        1
    );
}

/// The figures `eval --format json` reports equal a recount of the same posts
/// from the findings.jsonl that `scan --out` writes.
#[test]
fn json_counts_equal_a_recount_from_scan_findings() {
    let set = labelled_set();
    let out = eval()
        .arg(&set)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let eval: Value = serde_json::from_slice(&out.stdout).unwrap();

    let dir = tempfile::tempdir().unwrap();
    postguard()
        .arg("--policy")
        .arg(brightwater())
        .arg("scan")
        .arg(&set)
        .arg("--out")
        .arg(dir.path())
        .args(["--quiet", "--exit-zero"])
        .assert()
        .code(0);

    // Categories flagged per post at warning or above.
    let mut flagged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let findings = std::fs::read_to_string(dir.path().join("findings.jsonl")).unwrap();
    for line in findings.lines() {
        let f: Value = serde_json::from_str(line).unwrap();
        if f["severity"] == "info" {
            continue;
        }
        flagged
            .entry(f["post_id"].as_str().unwrap().to_string())
            .or_default()
            .insert(f["category"].as_str().unwrap().to_string());
    }
    let labels = std::fs::read_to_string(&set).unwrap();
    let mut recount: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    let mut posts = 0;
    for line in labels.lines().filter(|l| !l.trim().is_empty()) {
        posts += 1;
        let post: Value = serde_json::from_str(line).unwrap();
        let id = post["id"].as_str().unwrap();
        let truth: BTreeSet<String> = post["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        let got = flagged.get(id).cloned().unwrap_or_default();
        for category in [
            "disclosure",
            "regulated-claim",
            "verbatim-repost",
            "confidential",
            "privacy",
        ] {
            let c = recount.entry(category.to_string()).or_default();
            let (is, flag) = (truth.contains(category), got.contains(category));
            c[0] += u64::from(is);
            c[1] += u64::from(is && flag);
            c[2] += u64::from(!is && flag);
            c[3] += u64::from(is && !flag);
        }
    }
    assert_eq!(eval["posts"], posts);
    assert!(posts >= 800, "the development set has {posts} posts");
    for (category, [positives, tp, fp, fn_]) in &recount {
        let got = &eval["categories"][category];
        assert_eq!(got["positives"], *positives, "{category}");
        assert_eq!(got["tp"], *tp, "{category}");
        assert_eq!(got["fp"], *fp, "{category}");
        assert_eq!(got["fn"], *fn_, "{category}");
        assert!(*positives >= 100, "{category} has {positives} positives");
    }
    assert_eq!(
        eval["misses"].as_array().unwrap().len() as u64,
        recount.values().map(|c| c[3]).sum::<u64>()
    );
}
