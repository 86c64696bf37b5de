//! `postguard scan` on exports as a new team brings them: JSONL with its own
//! field names, a mapping per input, folders of platform exports whose files
//! name no author. Through the real binary, in a scratch folder.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// `postguard scan ARGS --out out` run in `dir` with the test policy.
fn scan(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .current_dir(dir)
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .arg("scan")
        .args(args)
        .args(["--exit-zero", "--out", "out"])
        .assert()
}

fn put(dir: &Path, path: &str, contents: &[u8]) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

fn copy(dir: &Path, fixture_name: &str, to: &str) {
    put(dir, to, &std::fs::read(fixture(fixture_name)).unwrap());
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out/summary.json")).unwrap()).unwrap()
}

/// The author column of employees.csv, sorted.
fn employees(dir: &Path) -> Vec<String> {
    let mut csv = csv::Reader::from_path(dir.join("out/employees.csv")).unwrap();
    let mut authors: Vec<String> = csv.records().map(|r| r.unwrap()[0].to_string()).collect();
    authors.sort();
    authors
}

const OWN_FIELDS: &str = r#"{"post": "p1", "user": "ana", "body": "Our fund offers guaranteed returns", "ts": "2026-03-01T10:00:00Z"}
{"post": "p2", "user": "ben", "body": "Lovely walk today", "ts": 1772355600}
"#;

#[test]
fn jsonl_fields_are_mapped_like_csv_columns() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "crm.jsonl", OWN_FIELDS.as_bytes());
    scan(
        dir.path(),
        &[
            "crm.jsonl",
            "--map",
            "id=post,author=user,text=body,created_at=ts",
        ],
    )
    .code(0);
    assert_eq!(summary(dir.path())["posts"], 2);
    assert_eq!(employees(dir.path()), ["ana", "ben"]);
    let ben: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/employees/ben.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(ben["first_post_at"], "2026-03-01T09:00:00Z");
}

#[test]
fn an_input_none_of_whose_records_can_be_read_exits_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "crm.jsonl", OWN_FIELDS.as_bytes());
    copy(dir.path(), "input/tweets.js", "x/eve/data/tweets.js");
    scan(dir.path(), &["crm.jsonl", "x/eve/data/tweets.js"])
        .code(2)
        .stderr(predicate::str::contains(
            "crm.jsonl: none of its 2 records could be read: no `text` field; use --map text=body",
        ));
    // The other input is still scanned and reported.
    assert_eq!(summary(dir.path())["posts"], 2);
    assert_eq!(employees(dir.path()), ["eve"]);
    // Mapped, the author is missing next; its fix is named too.
    scan(dir.path(), &["crm.jsonl", "--map", "text=body"])
        .code(2)
        .stderr(predicate::str::contains(
            "no `author` field; use --map author=user",
        ));
}

#[test]
fn a_mapped_csv_and_shares_csv_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "input/crm-export.csv", "run=3/crm.csv");
    copy(dir.path(), "input/Shares.csv", "li/ana/Shares.csv");
    // A mapping for one input, whose path holds `=`; Shares.csv keeps its own columns.
    scan(
        dir.path(),
        &[
            "run=3/crm.csv",
            "li/ana/Shares.csv",
            "--map",
            "run=3/crm.csv:id=Post ID,author=Employee,text=Post Copy,created_at=Posted",
        ],
    )
    .code(0);
    assert_eq!(summary(dir.path())["posts"], 4);
    assert_eq!(employees(dir.path()), ["ana", "tom.becker"]);
    // A plain mapping applies to the CSV and leaves Shares.csv's layout alone.
    scan(
        dir.path(),
        &[
            "run=3/crm.csv",
            "li/ana/Shares.csv",
            "--map",
            "id=Post ID,author=Employee,text=Post Copy",
        ],
    )
    .code(0);
    assert_eq!(summary(dir.path())["posts"], 4);
    // A mapping for an export whose fields are fixed is an error, not ignored.
    copy(dir.path(), "input/tweets.js", "x/eve/data/tweets.js");
    scan(
        dir.path(),
        &[
            "x/eve/data/tweets.js",
            "--map",
            "x/eve/data/tweets.js:text=body",
        ],
    )
    .code(2)
    .stderr(predicate::str::contains(
        "x/eve/data/tweets.js: --map does not apply to a twitter export",
    ));
    // A folder's mapping applies to its CSV files and leaves tweets.js alone.
    scan(
        dir.path(),
        &[
            "run=3",
            "x",
            "--map",
            "run=3:id=Post ID,author=Employee,text=Post Copy",
        ],
    )
    .code(0);
    assert_eq!(summary(dir.path())["posts"], 4);
    // A mapping for a path that is not an input is a usage error that says so.
    scan(
        dir.path(),
        &["run=3/crm.csv", "--map", "run=4/crm.csv:text=Post Copy"],
    )
    .code(2)
    .stderr(predicate::str::contains("`run=4/crm.csv` is not an input"));
}

#[test]
fn exports_without_an_author_belong_to_their_folder() {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "input/Shares.csv", "li/ana/Shares.csv");
    copy(dir.path(), "input/Shares.csv", "li/ben/Shares.csv");
    copy(
        dir.path(),
        "input/your_posts_1.json",
        "fb/cara/your_activity_across_facebook/posts/your_posts_1.json",
    );
    copy(
        dir.path(),
        "input/posts_1.json",
        "ig/dan/content/posts_1.json",
    );
    scan(
        dir.path(),
        &[
            "li/ana/Shares.csv",
            "li/ben/Shares.csv",
            "fb/cara/your_activity_across_facebook/posts/your_posts_1.json",
            "ig/dan/content/posts_1.json",
        ],
    )
    .code(0);
    assert_eq!(employees(dir.path()), ["ana", "ben", "cara", "dan"]);
    // --author per input; a plain --author for the rest.
    scan(
        dir.path(),
        &[
            "li/ana/Shares.csv",
            "li/ben/Shares.csv",
            "ig/dan/content/posts_1.json",
            "--author",
            "li/ana/Shares.csv:maria.lopez",
            "--author",
            "urn:li:person:7",
        ],
    )
    .code(0);
    assert_eq!(employees(dir.path()), ["maria.lopez", "urn:li:person:7"]);
    // For a folder inside a walked folder.
    scan(dir.path(), &["li", "--author", "li/ben:benjamin"]).code(0);
    assert_eq!(employees(dir.path()), ["ana", "benjamin"]);
}

#[test]
fn a_folder_of_exports_is_walked_and_other_files_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy(d, "input/Shares.csv", "exports/li/ana/Shares.csv");
    put(
        d,
        "exports/li/ana/Connections.csv",
        b"First Name,Last Name\nJo,Lee\n",
    );
    copy(d, "input/tweets.js", "exports/x/eve/data/tweets.js");
    put(
        d,
        "exports/x/eve/data/like.js",
        b"window.YTD.like.part0 = []",
    );
    copy(
        d,
        "input/posts_1.json",
        "exports/ig/dan/content/posts_1.json",
    );
    copy(d, "input/posts.jsonl.gz", "exports/crm/posts.jsonl.gz");
    put(d, "exports/README.txt", b"exports of March");
    scan(d, &["exports"])
        .code(0)
        .stderr(predicate::str::contains(
            "skipped exports/li/ana/Connections.csv",
        ))
        .stderr(predicate::str::contains(
            "skipped exports/x/eve/data/like.js",
        ))
        .stderr(predicate::str::contains("skipped exports/README.txt"));
    assert_eq!(summary(d)["posts"], 2 + 2 + 2 + 2);
    assert_eq!(employees(d), ["ana", "dan", "eve", "maria.lopez"]);
    assert_eq!(summary(d)["inputs"].as_array().unwrap().len(), 4);
    // The report folder inside the walked folder is not read as an export.
    for _ in 0..2 {
        Command::cargo_bin("postguard")
            .unwrap()
            .env_remove("POSTGUARD_POLICY")
            .current_dir(d)
            .args(["--color=never", "--policy"])
            .arg(fixture("policy/policy.toml"))
            .args(["scan", ".", "--exit-zero", "--quiet", "--out", "out"])
            .assert()
            .code(0);
        assert_eq!(summary(d)["posts"], 2 + 2 + 2 + 2);
    }
    // A folder with no export in it is an input error.
    put(d, "empty/notes.txt", b"nothing here");
    scan(d, &["empty"]).code(2).stderr(predicate::str::contains(
        "empty: no export file in this folder",
    ));
}
