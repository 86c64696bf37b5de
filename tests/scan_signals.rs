//! `postguard scan --out` stopped by SIGINT or SIGTERM, through the real
//! binary: it exits 128 + the signal's number and leaves no temporary file
//! and no partial report behind.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A file of `n` posts, one in ten with a claim: long enough that the scan is
/// still running when the signal comes.
fn posts(path: &Path, n: usize) {
    let mut text = String::with_capacity(n * 120);
    for i in 0..n {
        let body = if i % 10 == 0 {
            "This fund offers guaranteed returns of 12% a year"
        } else {
            "We met the team in Denver today to plan the spring volunteer day"
        };
        text.push_str(&format!(
            "{{\"id\":\"p{i}\",\"author\":\"a{}\",\"text\":\"{body}\"}}\n",
            i % 97
        ));
    }
    std::fs::write(path, text).unwrap();
}

fn interrupted_scan(signal: &str, expected: i32) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts.jsonl");
    posts(&input, 400_000);
    let out = dir.path().join("out");
    let child = Command::new(assert_cmd::cargo::cargo_bin("postguard"))
        .env_remove("POSTGUARD_POLICY")
        .args(["--color=never", "--policy"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy/policy.toml"))
        .arg("scan")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the scan writes findings, then interrupt it.
    let started = Instant::now();
    // Reports are staged beside `out` and swapped in at the end.
    let staging = dir.path().join(format!(".out.{}.tmp", child.id()));
    // The findings file's temporary name: `.findings.jsonl.<pid>.<n>.tmp`.
    let findings_written = || {
        std::fs::read_dir(&staging)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with(&format!(".findings.jsonl.{}.", child.id()))
                    && name.ends_with(".tmp")
                    && e.metadata().is_ok_and(|m| m.len() > 0)
            })
    };
    while !findings_written() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the scan never wrote findings"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(expected), "{stderr}");
    assert!(
        stderr.contains("stopped reading; no report written"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != "posts.jsonl")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn sigint_exits_130_and_leaves_nothing() {
    interrupted_scan("-INT", 130);
}

#[test]
fn sigterm_exits_143_and_leaves_nothing() {
    interrupted_scan("-TERM", 143);
}
