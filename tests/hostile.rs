//! Hostile inputs through the real binary, one table: each with its exit
//! code, the message that names file and line, and the posts still counted
//! (nothing else lost).

use assert_cmd::Command;
use std::io::Write;
use std::path::{Path, PathBuf};

const OK: &str = r#"{"id":"1","author":"a","text":"We met the team in Denver."}"#;
const OK2: &str = r#"{"id":"2","author":"a","text":"We met the team in Denver."}"#;

struct Case {
    name: &'static str,
    /// Writes the input into the folder and returns its file name.
    input: fn(&Path) -> &'static str,
    code: i32,
    /// Printed on stderr ("" for nothing in particular).
    message: &'static str,
    /// Posts and skipped records in summary.json.
    posts: u64,
    skipped: u64,
}

fn write(dir: &Path, name: &'static str, bytes: &[u8]) -> &'static str {
    std::fs::write(dir.join(name), bytes).unwrap();
    name
}

fn gzip(text: &str) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap()
}

const CASES: &[Case] = &[
    Case {
        name: "invalid UTF-8 mid-file",
        input: |d| {
            let mut b = format!("{OK}\n").into_bytes();
            b.extend_from_slice(b"{\"id\":\"x\",\"author\":\"a\",\"text\":\"bad \xff\xfe\"}\n");
            b.extend_from_slice(format!("{OK2}\n").as_bytes());
            write(d, "utf8.jsonl", &b)
        },
        code: 0,
        message: "utf8.jsonl:2: invalid UTF-8 at byte 35 of the line",
        posts: 2,
        skipped: 1,
    },
    Case {
        name: "a NUL byte in a post",
        input: |d| {
            let mut b = format!("{OK}\n").into_bytes();
            b.extend_from_slice(b"{\"id\":\"x\",\"author\":\"a\",\"text\":\"nul \x00 here\"}\n");
            write(d, "nul.jsonl", &b)
        },
        code: 0,
        message: "nul.jsonl:2: invalid JSON: control character",
        posts: 1,
        skipped: 1,
    },
    Case {
        name: "a byte order mark",
        input: |d| write(d, "bom.jsonl", format!("\u{feff}{OK}\n{OK2}\n").as_bytes()),
        code: 0,
        message: "",
        posts: 2,
        skipped: 0,
    },
    Case {
        name: "CRLF line ends",
        input: |d| write(d, "crlf.jsonl", format!("{OK}\r\n{OK2}\r\n").as_bytes()),
        code: 0,
        message: "",
        posts: 2,
        skipped: 0,
    },
    Case {
        name: "a truncated gzip",
        input: |d| {
            let whole = gzip(&format!("{OK}\n{OK2}\n"));
            write(d, "cut.jsonl.gz", &whole[..30])
        },
        code: 2,
        message: "error: cut.jsonl.gz: cannot read: incomplete deflate stream",
        posts: 0,
        skipped: 1,
    },
    Case {
        name: "a gzip cut in its trailer",
        input: |d| {
            let long = "We met the team in Denver. ".repeat(4000);
            let text = format!(
                "{OK}\n{}\n",
                serde_json::json!({"id": "2", "author": "a", "text": long})
            );
            let whole = gzip(&text);
            write(d, "cut2.jsonl.gz", &whole[..whole.len() - 8])
        },
        code: 0,
        message: "cut2.jsonl.gz:3: read error: unexpected end of file",
        posts: 2,
        skipped: 1,
    },
    Case {
        name: "an empty file",
        input: |d| write(d, "empty.jsonl", b""),
        code: 0,
        message: "",
        posts: 0,
        skipped: 0,
    },
    Case {
        name: "a directory as input",
        input: |d| {
            std::fs::create_dir(d.join("adir")).unwrap();
            "adir"
        },
        code: 2,
        // A folder is walked for exports; an empty one is an input error.
        message: "error: adir: no export file in this folder",
        posts: 0,
        skipped: 0,
    },
    Case {
        name: "duplicate post ids",
        input: |d| write(d, "dup.jsonl", format!("{OK}\n{OK}\n").as_bytes()),
        code: 0,
        message: "",
        posts: 2,
        skipped: 0,
    },
    Case {
        name: "numbers where strings are expected",
        input: |d| {
            write(
                d,
                "num.jsonl",
                format!("{OK}\n{{\"id\":\"2\",\"author\":\"a\",\"text\":3}}\n").as_bytes(),
            )
        },
        code: 0,
        message: "num.jsonl:2: invalid JSON: invalid type: integer `3`, expected a string",
        posts: 1,
        skipped: 1,
    },
    Case {
        name: "a post of one claim repeated",
        input: |d| {
            let text = "This fund offers guaranteed returns. ".repeat(2000);
            let line = serde_json::json!({"id": "r", "author": "a", "text": text});
            write(d, "repeat.jsonl", format!("{line}\n{OK2}\n").as_bytes())
        },
        code: 1,
        message: "more findings in 1 posts not listed (--max-findings-per-post 1000); first: r",
        posts: 2,
        skipped: 0,
    },
];

fn policy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy/policy.toml")
}

#[test]
fn every_hostile_scan_input_gets_its_code_and_message_and_loses_nothing_else() {
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        let input = (case.input)(dir.path());
        let out = dir.path().join("out");
        let output = Command::cargo_bin("postguard")
            .unwrap()
            .env_remove("POSTGUARD_POLICY")
            .current_dir(dir.path())
            .args(["--color=never", "--policy"])
            .arg(policy())
            .args(["scan", input, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(case.code),
            "{}: {stderr}",
            case.name
        );
        assert!(stderr.contains(case.message), "{}: {stderr}", case.name);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        assert_eq!(summary["posts"], case.posts, "{}", case.name);
        assert_eq!(
            summary["bad_records"]["count"], case.skipped,
            "{}",
            case.name
        );
    }
}

#[test]
fn a_symlink_loop_in_a_checked_folder_still_checks_every_draft() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    std::fs::create_dir(&drafts).unwrap();
    std::fs::write(drafts.join("a.txt"), "This fund offers guaranteed returns.").unwrap();
    std::os::unix::fs::symlink("..", drafts.join("up")).unwrap();
    std::os::unix::fs::symlink(".", drafts.join("self")).unwrap();
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .current_dir(dir.path())
        .args(["--color=never", "--policy"])
        .arg(policy())
        .args(["check", "drafts"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("drafts/a.txt:1:18"))
        .stdout(predicates::str::contains("in 1 draft"));
}
