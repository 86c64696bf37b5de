//! The README's "Input formats" section against the readers: every format,
//! every column name the CSV reader accepts, every folder skipped when
//! finding an export's owner, and every example time it gives.

use postguard::input::{CSV_COLUMNS, EXPORT_INNER_FOLDERS, InputFormat, POST_FIELDS};

fn section() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("\n## Input formats\n")
        .expect("README has an Input formats section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    rest[..end].to_string()
}

/// The `code` spans of a text.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[test]
fn every_format_field_and_column_is_documented() {
    let doc = section();
    let spans = code_spans(&doc);
    for name in [
        "JSONL",
        "CSV",
        "Shares.csv",
        "tweets.js",
        "your_posts_1.json",
        "posts_1.json",
    ] {
        assert!(doc.contains(name), "format {name} is not documented");
    }
    assert_eq!(InputFormat::NAMES.len(), 6, "a new format needs its row");
    for field in POST_FIELDS {
        assert!(
            spans.contains(field),
            "post field `{field}` is not documented"
        );
    }
    for (field, columns) in CSV_COLUMNS {
        for column in *columns {
            assert!(
                spans.contains(column),
                "CSV column `{column}` (for {field}) is not documented"
            );
        }
    }
    for folder in EXPORT_INNER_FOLDERS {
        assert!(
            spans.contains(folder),
            "inner folder `{folder}` is not documented"
        );
    }
    for flag in [
        "--map INPUT:FIELD=NAME,...",
        "--author INPUT:ID",
        "--strict",
    ] {
        assert!(doc.contains(flag), "{flag} is not documented");
    }
}

#[test]
fn every_time_the_readme_shows_is_read() {
    let doc = section();
    let times = doc
        .split("\n\n")
        .find(|p| p.starts_with("**Times.**"))
        .expect("a Times paragraph");
    let examples: Vec<&str> = code_spans(times)
        .into_iter()
        .filter(|s| s.chars().filter(char::is_ascii_digit).count() >= 8)
        .collect();
    assert!(examples.len() >= 3, "{examples:?}");
    for example in examples {
        assert!(
            postguard::time::to_rfc3339_utc(example).is_some(),
            "the README shows `{example}`, which is not read"
        );
    }
    assert!(times.contains("RFC 3339 UTC"));
}
