//! Each reader on a small real-shaped fixture, malformed input, and no panic on
//! arbitrary bytes in any format.

use postguard::input::{self, ColumnMap, InputFormat, Post, ReadOptions, Record};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/input")
        .join(name)
}

fn read(name: &str, opts: &ReadOptions) -> (InputFormat, Vec<Record>) {
    let records = input::open(&fixture(name), opts).unwrap_or_else(|e| panic!("{e}"));
    let format = records.format();
    (format, records.collect())
}

fn posts(records: &[Record]) -> Vec<&Post> {
    records.iter().filter_map(|r| r.as_ref().ok()).collect()
}

#[test]
fn jsonl_keeps_going_past_a_bad_line_and_names_it() {
    let (format, records) = read("posts.jsonl", &ReadOptions::default());
    assert_eq!(format, InputFormat::Jsonl);
    let ok = posts(&records);
    assert_eq!(
        ok.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["1", "2"]
    );
    assert!(ok[0].text.ends_with("🚀"));
    let bad: Vec<_> = records.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].line, 2);
    assert!(bad[0].file.ends_with("posts.jsonl") && bad[0].reason.contains("invalid JSON"));
}

#[test]
fn invalid_utf8_and_empty_posts_are_bad_records_with_lines() {
    let (_, records) = read("invalid-utf8.jsonl", &ReadOptions::default());
    let ids: Vec<&str> = posts(&records).iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["a", "d"]);
    let bad: Vec<(u64, &str)> = records
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|b| (b.line, b.reason.as_str()))
        .collect();
    assert_eq!(bad.len(), 2);
    assert_eq!(bad[0].0, 2);
    assert!(bad[0].1.contains("invalid UTF-8"));
    assert_eq!(bad[1], (3, "empty post"));
}

#[test]
fn oversized_posts_are_skipped_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let huge = "x".repeat(3000);
    std::fs::write(&path, format!("{{\"id\":\"1\",\"author\":\"a\",\"text\":\"{huge}\"}}\n{{\"id\":\"2\",\"author\":\"a\",\"text\":\"ok\"}}\n")).unwrap();
    let opts = ReadOptions {
        max_post_bytes: 1000,
        ..ReadOptions::default()
    };
    let records: Vec<Record> = input::open(&path, &opts).unwrap().collect();
    assert!(records[0].as_ref().unwrap_err().reason.contains("over"));
    assert_eq!(records[1].as_ref().unwrap().id, "2");
}

#[test]
fn gzip_is_read_transparently() {
    let (format, records) = read("posts.jsonl.gz", &ReadOptions::default());
    assert_eq!(format, InputFormat::Jsonl);
    assert_eq!(posts(&records).len(), 2);
    assert!(records.iter().all(Result::is_ok));
}

#[test]
fn csv_with_a_column_map() {
    let opts = ReadOptions {
        map: Some(
            "id=Post ID,author=Employee,text=Post Copy,platform=Network,created_at=Posted"
                .parse::<ColumnMap>()
                .unwrap(),
        ),
        ..ReadOptions::default()
    };
    let (format, records) = read("crm-export.csv", &opts);
    assert_eq!(format, InputFormat::Csv);
    let p = posts(&records);
    assert_eq!(
        (p[0].id.as_str(), p[0].author.as_str()),
        ("p1", "tom.becker")
    );
    assert_eq!(p[0].text, "Our fund is risk-free, honestly");
    assert_eq!(p[1].platform.as_deref(), Some("x"));
    // Without a map the text column cannot be guessed: a clear error.
    let err = input::open(&fixture("crm-export.csv"), &ReadOptions::default())
        .err()
        .unwrap();
    assert!(err.to_string().contains("--map text=COLUMN"), "{err}");
    assert!(
        "bogus=X"
            .parse::<ColumnMap>()
            .unwrap_err()
            .contains("unknown field")
    );
}

#[test]
fn linkedin_shares_with_multiline_commentary() {
    let opts = ReadOptions {
        author: Some("maria.lopez".into()),
        ..ReadOptions::default()
    };
    let (format, records) = read("Shares.csv", &opts);
    assert_eq!(format, InputFormat::LinkedinShares);
    let p = posts(&records);
    assert_eq!(p.len(), 2);
    assert_eq!(
        p[0].text,
        "Big week.\nOur fund offers guaranteed returns, ask me!"
    );
    assert_eq!(p[0].author, "maria.lopez");
    assert_eq!(p[0].platform.as_deref(), Some("linkedin"));
    assert_eq!(p[0].created_at.as_deref(), Some("2026-01-15T09:30:00Z"));
    assert_eq!(p[1].text, "Great \"team\" offsite");
    // Without --author the export's folder names its owner.
    let (_, records) = read("Shares.csv", &ReadOptions::default());
    assert_eq!(posts(&records)[0].author, "input");
}

#[test]
fn twitter_archive() {
    let (format, records) = read("tweets.js", &ReadOptions::default());
    assert_eq!(format, InputFormat::TwitterArchive);
    let p = posts(&records);
    assert_eq!(
        (p[0].id.as_str(), p[0].text.as_str()),
        ("1790", "VitaLume cured my insomnia! #health")
    );
    assert_eq!(p[0].platform.as_deref(), Some("x"));
    assert_eq!(p[1].created_at.as_deref(), Some("2026-03-05T10:00:00Z"));
}

#[test]
fn facebook_export_with_mojibake_repaired() {
    let (format, records) = read("your_posts_1.json", &ReadOptions::default());
    assert_eq!(format, InputFormat::FacebookPosts);
    let p = posts(&records);
    assert_eq!(
        p[0].text,
        "It’s official: Brightwater Health’s VitaLume cures fatigue 💪"
    );
    assert_eq!(p[0].created_at.as_deref(), Some("2026-01-01T00:00:00Z"));
    // The second entry has no text: skipped with its line.
    let bad: Vec<_> = records.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(bad.len(), 1);
    assert!(bad[0].line > 1);
}

#[test]
fn instagram_export_with_mojibake_repaired() {
    let (format, records) = read("posts_1.json", &ReadOptions::default());
    assert_eq!(format, InputFormat::InstagramPosts);
    let p = posts(&records);
    assert_eq!(p[0].text, "Morning run 🏃‍♀️ before work");
    assert_eq!(p[1].text, "New CardioSense is FDA approved ❤️");
}

#[test]
fn missing_files_and_unknown_formats_are_errors_naming_the_file() {
    let err = input::open(Path::new("/no/such/posts.jsonl"), &ReadOptions::default())
        .err()
        .unwrap();
    assert!(err.to_string().starts_with("/no/such/posts.jsonl:"));
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("notes.bin");
    std::fs::write(&odd, "hello").unwrap();
    let err = input::open(&odd, &ReadOptions::default()).err().unwrap();
    assert!(err.to_string().contains("--input-format"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_reader_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000), which in 0usize..6) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input");
        std::fs::write(&path, &bytes).unwrap();
        let format: InputFormat = InputFormat::NAMES[which].parse().unwrap();
        let opts = ReadOptions { format: Some(format), ..ReadOptions::default() };
        if let Ok(records) = input::open(&path, &opts) {
            for p in records.take(10_000).flatten() {
                prop_assert!(!p.text.trim().is_empty());
            }
        }
    }
}
