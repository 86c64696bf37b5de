//! `postguard scan` through the real binary: golden report files, the same
//! bytes for any thread count, escaping, safe file names, bad input.
//!
//! Regenerate the golden files after an intended change with
//! `UPDATE_GOLDEN=1 cargo test --test scan_reports`, and review the diff.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn scan(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        // Reports carry their generation time: fixed here so runs compare byte for byte.
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .current_dir(fixture("scan"))
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .args(["scan", "posts.jsonl", "--out"])
        .arg(out)
        .args(extra)
        .assert()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn report_files_match_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    scan(dir.path(), &["--quiet"]).code(1);
    for name in [
        "summary.json",
        "employees.csv",
        "findings.jsonl",
        "employees/ana.json",
    ] {
        let got = read(&dir.path().join(name));
        let golden = fixture("scan/golden").join(name.replace('/', "-"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &got).unwrap();
        }
        assert_eq!(
            got,
            read(&golden),
            "{name} differs from {}",
            golden.display()
        );
    }
}

#[test]
fn output_is_byte_identical_for_any_thread_count_and_batch_size() {
    let runs: Vec<_> = [("1", "1"), ("2", "3"), ("4", "2048")]
        .iter()
        .map(|(threads, batch)| {
            let dir = tempfile::tempdir().unwrap();
            scan(
                dir.path(),
                &["--quiet", "--threads", threads, "--batch-size", batch],
            )
            .code(1);
            dir
        })
        .collect();
    for name in [
        "summary.json",
        "employees.csv",
        "findings.jsonl",
        "report.html",
    ] {
        let first = read(&runs[0].path().join(name));
        for other in &runs[1..] {
            assert_eq!(first, read(&other.path().join(name)), "{name}");
        }
    }
}

#[test]
fn html_is_self_contained_and_escapes_every_text() {
    let dir = tempfile::tempdir().unwrap();
    scan(dir.path(), &["--quiet"]).code(1);
    let html = read(&dir.path().join("report.html"));
    assert!(!html.contains("<script>alert"), "post text must stay text");
    assert!(!html.contains("<img src=x"), "author ids must stay text");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; <mark>guaranteed returns</mark>"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("<svg"), "charts are inline SVG");
    assert!(
        !html.contains("http://")
            || html
                .matches("http://")
                .all(|_| html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
    );
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no external resources"
    );
    assert_eq!(
        html.matches("<table").count(),
        html.matches("</table>").count()
    );
}

#[test]
fn hostile_author_ids_stay_inside_the_report_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    scan(&out, &["--quiet"]).code(1);
    assert!(!dir.path().join("escape.json").exists());
    let names: Vec<String> = std::fs::read_dir(out.join("employees"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| !n.contains('/') && !n.starts_with('.')),
        "{names:?}"
    );
    let csv = read(&out.join("employees.csv"));
    assert!(csv.contains("../escape,"), "the CSV keeps the real id");
}

#[test]
fn stages_and_their_reasons_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    scan(dir.path(), &["--quiet"]).code(1);
    let ben: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("employees/ben.json"))).unwrap();
    assert_eq!(ben["stage"]["stage"], 1);
    assert_eq!(ben["stage"]["next"], "Policy");
    let reasons: Vec<&str> = ben["stage"]["blocked_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("1 error finding (")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("disclosure rate 0%")),
        "{reasons:?}"
    );
    let cara: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("employees/cara.json"))).unwrap();
    assert_eq!(
        (
            cara["stage"]["stage"].as_u64(),
            cara["stage"]["next"].is_null()
        ),
        (Some(3), true)
    );
    assert_eq!(cara["first_post_at"], "2026-03-01T08:00:00Z");
}

#[test]
fn bad_records_are_counted_and_strict_stops() {
    let dir = tempfile::tempdir().unwrap();
    scan(dir.path(), &[])
        .code(1)
        .stderr(predicate::str::contains(
            "posts.jsonl:13: no `text` field (fields: author, id)",
        ));
    let summary: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("summary.json"))).unwrap();
    assert_eq!(summary["bad_records"]["count"], 1);
    assert_eq!(summary["posts"], 12);
    let strict = tempfile::tempdir().unwrap();
    scan(strict.path(), &["--strict"])
        .code(2)
        .stderr(predicate::str::contains("posts.jsonl:13"));
}

#[test]
fn terminal_summary_without_out() {
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .arg("scan")
        .arg(fixture("scan/posts.jsonl"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("12 posts by 6 employees"))
        .stdout(predicate::str::contains("stages:"));
}

#[test]
fn the_sample_corpus_scans_with_the_example_policy() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::cargo_bin("postguard")
        .unwrap()
        .current_dir(root)
        .args([
            "--color=never",
            "scan",
            "corpus/posts.jsonl",
            "--policy",
            "policies/brightwater.toml",
            "--roster",
            "corpus/roster.csv",
            "--quiet",
            "--exit-zero",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .code(0);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("summary.json"))).unwrap();
    assert!(summary["posts"].as_u64().unwrap() >= 500);
    assert!(summary["employees"].as_u64().unwrap() >= 30);
    for category in [
        "disclosure",
        "regulated-claim",
        "verbatim-repost",
        "confidential",
        "privacy",
    ] {
        assert!(
            summary["by_category"][category].as_u64().unwrap_or(0) > 0,
            "no {category} finding"
        );
    }
    // The roster merges two X handles into their owners and leaves one unregistered.
    let unregistered = summary["unregistered_accounts"].as_array().unwrap();
    assert_eq!(unregistered.len(), 1);
    assert_eq!(unregistered[0]["author"], "@GraceLeeWealth");
    assert_eq!(summary["roster_employees"], 37);
    let employees = read(&dir.path().join("employees.csv"));
    assert!(
        employees.contains("maria.lopez x:marialopezcfp"),
        "two accounts, one employee"
    );
    assert!(read(&dir.path().join("teams.csv")).contains("team,Wealth Advisory,"));
    assert!(summary["months"].as_array().unwrap().len() >= 10);
    let stages = summary["stages"].as_array().unwrap();
    assert!(
        stages.iter().all(|s| s["employees"].as_u64().unwrap() > 0),
        "every stage is populated: {stages:?}"
    );
}

#[test]
fn several_inputs_of_different_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .arg("scan")
        .arg(fixture("scan/posts.jsonl"))
        .arg(fixture("input/posts.jsonl.gz"))
        .arg(fixture("input/tweets.js"))
        .args(["--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .code(1);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("summary.json"))).unwrap();
    assert_eq!(summary["posts"], 12 + 2 + 2);
    assert_eq!(summary["inputs"].as_array().unwrap().len(), 3);
}

#[test]
fn a_missing_input_is_an_input_error_but_the_others_are_scanned() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .arg("scan")
        .arg(fixture("scan/posts.jsonl"))
        .arg("/no/such/export.jsonl")
        .args(["--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/no/such/export.jsonl"));
    let summary: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("summary.json"))).unwrap();
    assert_eq!(summary["posts"], 12);
}

#[test]
fn an_employee_report_names_its_author_once() {
    let dir = tempfile::tempdir().unwrap();
    scan(dir.path(), &["--quiet"]).code(1);
    let text = read(&dir.path().join("employees/ana.json"));
    // serde_json keeps the last of duplicate keys, so count them in the text.
    let top_level = text
        .lines()
        .filter(|l| l.starts_with("  \"author\":"))
        .count();
    assert_eq!(top_level, 1, "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["author"], "ana");
}

#[test]
fn employees_csv_cells_never_start_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts.jsonl");
    let authors = [
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\tTAB",
        "\rCR",
    ];
    let lines: Vec<String> = authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::json!({"id": i.to_string(), "author": a, "text": "Our fund offers guaranteed returns"})
                .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .arg("scan")
        .arg(&input)
        .args(["--quiet", "--exit-zero", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let mut csv = csv::Reader::from_path(out.join("employees.csv")).unwrap();
    let mut rows = 0;
    for row in csv.records() {
        let row = row.unwrap();
        rows += 1;
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a spreadsheet would run {cell:?}"
            );
        }
        // The id stays readable after the quote.
        assert!(authors.contains(&&row[0][1..]), "{:?}", &row[0]);
    }
    assert_eq!(rows, authors.len());
}

#[test]
fn every_report_writes_times_as_rfc3339_utc() {
    // Three exports, three time formats: RFC 3339 with an offset, LinkedIn's
    // `2026-01-15 09:30:00` and X's `Wed Mar 04 10:00:00 +0000 2026`.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts.jsonl");
    std::fs::write(
        &input,
        r#"{"id": "1", "author": "Shares", "text": "Our fund offers guaranteed returns", "created_at": "2026-03-01T10:00:00+01:00"}"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .arg("scan")
        .arg(&input)
        .arg(fixture("input/Shares.csv"))
        .arg(fixture("input/tweets.js"))
        .args(["--quiet", "--exit-zero", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let utc = |s: &str| {
        s.len() == 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T' && crate_time_digits(s)
    };
    let mut csv = csv::Reader::from_path(out.join("employees.csv")).unwrap();
    let headers = csv.headers().unwrap().clone();
    let (first, last) = (
        headers.iter().position(|h| h == "first_post_at").unwrap(),
        headers.iter().position(|h| h == "last_post_at").unwrap(),
    );
    let mut files = Vec::new();
    for row in csv.records() {
        let row = row.unwrap();
        assert!(utc(&row[first]) && utc(&row[last]), "{row:?}");
        files.push(row[row.len() - 1].to_string());
    }
    assert!(!files.is_empty());
    let mut times = Vec::new();
    for file in &files {
        let report: serde_json::Value = serde_json::from_str(&read(&out.join(file))).unwrap();
        times.push(report["first_post_at"].as_str().unwrap().to_string());
        times.push(report["last_post_at"].as_str().unwrap().to_string());
        for post in report["offending_posts"].as_array().unwrap() {
            times.push(post["post"]["created_at"].as_str().unwrap().to_string());
        }
    }
    for t in &times {
        assert!(utc(t), "{t}");
    }
    assert!(
        times.iter().any(|t| t == "2026-03-01T09:00:00Z"),
        "{times:?}"
    );
    let html = read(&out.join("report.html"));
    for raw in ["+01:00", "2026-01-15 09:30", "+0000 2026"] {
        assert!(!html.contains(raw), "report.html shows {raw}");
    }
    assert!(html.contains("2026-01-15T09:30:00Z"));
}

/// `2026-03-01T09:00:00Z` has digits where the date and time go.
fn crate_time_digits(s: &str) -> bool {
    s.char_indices().all(|(i, c)| match i {
        4 | 7 => c == '-',
        13 | 16 => c == ':',
        10 => c == 'T',
        19 => c == 'Z',
        _ => c.is_ascii_digit(),
    })
}

fn scan_file(input: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .arg("scan")
        .arg(input)
        .args(["--quiet", "--exit-zero", "--out"])
        .arg(out)
        .args(extra)
        .assert()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_rerun_replaces_the_whole_report_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    scan(&out, &["--quiet"]).code(1);
    assert_eq!(names(&out.join("employees")).len(), 6);
    // A later export with one employee: the other five reports must go.
    let one = dir.path().join("one.jsonl");
    std::fs::write(
        &one,
        r#"{"id": "1", "author": "dan", "text": "Lovely walk today"}"#,
    )
    .unwrap();
    scan_file(&one, &out, &[]).code(0);
    assert_eq!(names(&out.join("employees")), ["dan.json"]);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(summary["employees"], 1);
    assert_eq!(
        names(dir.path()),
        ["one.jsonl", "out"],
        "no staging left beside it"
    );
    // A failed run (--strict on a bad record) leaves the last reports whole.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{not json\n").unwrap();
    scan_file(&bad, &out, &["--strict"]).code(2);
    assert_eq!(names(&out.join("employees")), ["dan.json"]);
    assert_eq!(names(dir.path()), ["bad.jsonl", "one.jsonl", "out"]);
}

#[test]
fn a_folder_that_is_not_a_report_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("thesis.docx"), "years of work").unwrap();
    scan(&mine, &["--quiet"])
        .code(2)
        .stderr(predicate::str::contains("not a postguard report"))
        .stderr(predicate::str::contains("mine"));
    assert_eq!(names(&mine), ["thesis.docx"]);
    // Someone else's summary.json is not ours either.
    std::fs::write(mine.join("summary.json"), r#"{"total": 3}"#).unwrap();
    scan(&mine, &["--quiet"]).code(2);
    assert_eq!(names(&mine), ["summary.json", "thesis.docx"]);
    // An empty folder is fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    scan(&empty, &["--quiet"]).code(1);
    assert!(empty.join("summary.json").exists());
}

#[test]
fn findings_past_the_per_post_cap_are_counted_not_listed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts.jsonl");
    let big = "This fund offers guaranteed returns. ".repeat(50);
    std::fs::write(
        &input,
        format!(
            "{}\n{}\n",
            serde_json::json!({"id": "big", "author": "ana", "text": big}),
            serde_json::json!({"id": "small", "author": "bo", "text": "This fund offers guaranteed returns."}),
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("postguard")
        .unwrap()
        .env_remove("POSTGUARD_POLICY")
        .args(["--color=never", "--policy"])
        .arg(fixture("policy/policy.toml"))
        .arg("scan")
        .arg(&input)
        .args(["--max-findings-per-post", "10", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "note: … and 40 more findings in 1 posts not listed (--max-findings-per-post 10); first: big",
        ));
    let findings = read(&out.join("findings.jsonl"));
    assert_eq!(
        findings
            .lines()
            .filter(|l| l.contains(r#""post_id":"big""#))
            .count(),
        10
    );
    assert_eq!(
        findings
            .lines()
            .filter(|l| l.contains(r#""post_id":"small""#))
            .count(),
        1
    );
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(
        summary["findings_not_listed"],
        serde_json::json!({"posts": 1, "findings": 40, "first": ["big"]})
    );
    assert_eq!(summary["findings"], 11);
    assert!(read(&out.join("report.html")).contains("… and 40 more findings in 1 posts"));
}

/// Gzips `text` into `path`.
fn gzip(path: &Path, text: &str) {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
}

#[test]
fn a_gzip_input_past_max_gzip_bytes_is_cut_with_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let line = |id: &str| {
        format!(
            "{}\n",
            serde_json::json!({"id": id, "author": "ana", "text": "We met the team in Denver today."})
        )
    };
    let text = format!("{}{}{}", line("1"), line("2"), line("3"));
    let first_two = line("1").len() + line("2").len();
    let bomb = dir.path().join("bomb.jsonl.gz");
    gzip(&bomb, &text);
    let run = |max: usize, out: &Path| {
        Command::cargo_bin("postguard")
            .unwrap()
            .env_remove("POSTGUARD_POLICY")
            .args(["--color=never", "--policy"])
            .arg(fixture("policy/policy.toml"))
            .arg("scan")
            .arg(&bomb)
            .args(["--max-gzip-bytes", &max.to_string(), "--out"])
            .arg(out)
            .assert()
    };
    let out = dir.path().join("cut");
    run(first_two + 5, &out)
        .code(2)
        .stderr(predicate::str::contains(format!(
            "bomb.jsonl.gz: decompressed input is over {} bytes (--max-gzip-bytes)",
            first_two + 5
        )));
    // The posts before the limit are kept and the cut is a located bad record.
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(summary["posts"], 2);
    assert_eq!(summary["bad_records"]["count"], 1);
    assert!(
        summary["bad_records"]["first"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("--max-gzip-bytes")
    );
    // A file of exactly the limit is read whole.
    let out = dir.path().join("whole");
    run(text.len(), &out).code(0);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(
        (
            summary["posts"].as_u64(),
            summary["bad_records"]["count"].as_u64()
        ),
        (Some(3), Some(0))
    );
}

#[test]
fn employee_files_can_be_switched_off_and_the_csv_still_lists_everyone() {
    let with = tempfile::tempdir().unwrap();
    let without = tempfile::tempdir().unwrap();
    scan(with.path(), &["--quiet"]).code(1);
    scan(without.path(), &["--quiet", "--no-employee-files"]).code(1);
    assert!(with.path().join("employees").is_dir());
    assert!(!without.path().join("employees").exists());
    let rows = |dir: &Path| -> Vec<String> {
        read(&dir.join("employees.csv"))
            .lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect()
    };
    assert_eq!(rows(with.path()), rows(without.path()));
    assert!(
        read(&without.path().join("employees.csv"))
            .lines()
            .skip(1)
            .all(|l| l.ends_with(','))
    );
    assert_eq!(
        read(&with.path().join("summary.json")),
        read(&without.path().join("summary.json"))
    );
}

/// The report column of `employees.csv`, one link per employee.
fn report_links(dir: &Path) -> Vec<String> {
    let mut csv = csv::Reader::from_path(dir.join("employees.csv")).unwrap();
    csv.records()
        .map(|r| r.unwrap().iter().next_back().unwrap().to_string())
        .collect()
}

fn is_shard(name: &str) -> bool {
    name.len() == 2
        && name
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[test]
fn employee_files_can_be_sharded_into_subfolders_with_the_same_content() {
    let flat = tempfile::tempdir().unwrap();
    let sharded = tempfile::tempdir().unwrap();
    scan(flat.path(), &["--quiet"]).code(1);
    scan(sharded.path(), &["--quiet", "--shard-employee-files"]).code(1);
    let flat_links = report_links(flat.path());
    let sharded_links = report_links(sharded.path());
    assert_eq!(flat_links.len(), 6);
    for (f, s) in flat_links.iter().zip(&sharded_links) {
        // employees/ana.json -> employees/xy/ana.json, same bytes.
        let (shard, name) = s
            .strip_prefix("employees/")
            .unwrap()
            .split_once('/')
            .unwrap();
        assert!(is_shard(shard), "{s}");
        assert_eq!(f, &format!("employees/{name}"));
        assert_eq!(
            read(&flat.path().join(f)),
            read(&sharded.path().join(s)),
            "{s}"
        );
    }
    // Only shard folders directly under employees/.
    for name in names(&sharded.path().join("employees")) {
        assert!(is_shard(&name), "{name}");
        assert!(sharded.path().join("employees").join(&name).is_dir());
    }
    // A rerun puts every file in the same place.
    let again = tempfile::tempdir().unwrap();
    scan(again.path(), &["--quiet", "--shard-employee-files"]).code(1);
    assert_eq!(report_links(again.path()), sharded_links);
    scan(
        sharded.path(),
        &["--shard-employee-files", "--no-employee-files"],
    )
    .code(2)
    .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn employee_files_are_sharded_past_ten_thousand_authors() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let authors = 10_001;
    let lines: String = (0..authors)
        .map(|i| format!("{{\"id\":\"{i}\",\"author\":\"u{i}\",\"text\":\"Lovely walk today\"}}\n"))
        .collect();
    std::fs::write(&input, lines).unwrap();
    let out = dir.path().join("out");
    scan_file(&input, &out, &[]).code(0);
    let people = out.join("employees");
    let shards = names(&people);
    assert!(
        shards.len() <= 256 && shards.len() > 200,
        "{}",
        shards.len()
    );
    let mut files = 0;
    for shard in &shards {
        assert!(is_shard(shard), "{shard}");
        files += names(&people.join(shard)).len();
    }
    assert_eq!(files, authors);
    let links = report_links(&out);
    assert_eq!(links.len(), authors);
    assert!(links.iter().all(|l| out.join(l).is_file()));
}
