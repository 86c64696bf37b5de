//! CSV with a header (columns mapped with `--map`) and LinkedIn's `Shares.csv`.

use super::format::InputFormat;
use super::open::{ColumnMap, ReadOptions, check_text};
use super::{BadRecord, Post, Record};
use std::io::BufRead;

/// The CSV columns read for each post field without a `--map`, first found wins.
pub const CSV_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id", "post_id"]),
    ("author", &["author", "employee"]),
    ("text", &["text", "body", "content", "message"]),
    ("platform", &["platform", "network"]),
    ("created_at", &["created_at", "date", "timestamp"]),
    ("url", &["url", "link"]),
];

fn column_names(field: &str) -> &'static [&'static str] {
    CSV_COLUMNS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(&[], |(_, names)| names)
}

/// Column index per post field.
struct Columns {
    id: Option<usize>,
    author: Option<usize>,
    text: usize,
    platform: Option<usize>,
    created_at: Option<usize>,
    url: Option<usize>,
}

pub fn records(
    reader: Box<dyn BufRead + Send>,
    file: String,
    stem: String,
    owner: String,
    format: InputFormat,
    map: Option<ColumnMap>,
    opts: &ReadOptions,
) -> Result<Box<dyn Iterator<Item = Record> + Send>, String> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let headers: Vec<String> = csv
        .byte_headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect();
    let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let field = |field: &str, default: &[&str]| -> Result<Option<usize>, String> {
        match map.as_ref().and_then(|m| m.column(field)) {
            Some(col) => find(col).map(Some).ok_or_else(|| {
                format!(
                    "no column `{col}` for `{field}` (columns: {})",
                    headers.join(", ")
                )
            }),
            None => Ok(default.iter().find_map(|d| find(d))),
        }
    };
    let linkedin = format == InputFormat::LinkedinShares;
    let columns = if linkedin {
        Columns {
            id: field("id", &["ShareLink"])?,
            author: field("author", &[])?,
            text: field("text", &["ShareCommentary"])?.ok_or("no ShareCommentary column")?,
            platform: None,
            created_at: field("created_at", &["Date"])?,
            url: field("url", &["ShareLink"])?,
        }
    } else {
        Columns {
            id: field("id", column_names("id"))?,
            author: match field("author", column_names("author"))? {
                Some(column) => Some(column),
                None if opts.author.is_some() => None,
                None => {
                    return Err(format!(
                        "no `author` column; map one with --map author=COLUMN or give --author ID (columns: {})",
                        headers.join(", ")
                    ));
                }
            },
            text: field("text", column_names("text"))?.ok_or_else(|| {
                format!(
                    "no `text` column; map one with --map text=COLUMN (columns: {})",
                    headers.join(", ")
                )
            })?,
            platform: field("platform", column_names("platform"))?,
            created_at: field("created_at", column_names("created_at"))?,
            url: field("url", column_names("url"))?,
        }
    };
    // Shares.csv names no author: the archive's folder does.
    let default_author = opts.author.clone().unwrap_or(owner);
    let platform = format.platform().map(str::to_string);
    let max = opts.max_post_bytes;
    let mut record = csv::ByteRecord::new();
    let mut done = false;
    let iter = std::iter::from_fn(move || {
        if done {
            return None;
        }
        match csv.read_byte_record(&mut record) {
            Ok(false) => {
                done = true;
                None
            }
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                Some(to_post(
                    &record,
                    &columns,
                    &file,
                    line,
                    &stem,
                    &default_author,
                    &platform,
                    max,
                ))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    done = true;
                }
                Some(Err(BadRecord {
                    file: file.clone(),
                    line,
                    reason: format!("malformed CSV record: {e}"),
                }))
            }
        }
    });
    Ok(Box::new(iter))
}

#[allow(clippy::too_many_arguments)]
fn to_post(
    record: &csv::ByteRecord,
    columns: &Columns,
    file: &str,
    line: u64,
    stem: &str,
    default_author: &str,
    platform: &Option<String>,
    max: usize,
) -> Record {
    let bad = |reason: String| BadRecord {
        file: file.to_string(),
        line,
        reason,
    };
    let get = |i: Option<usize>| -> Result<Option<String>, BadRecord> {
        match i.and_then(|i| record.get(i)) {
            None => Ok(None),
            Some(bytes) => std::str::from_utf8(bytes)
                .map(|s| Some(s.to_string()).filter(|s| !s.trim().is_empty()))
                .map_err(|e| {
                    bad(format!(
                        "invalid UTF-8 at byte {} of a field",
                        e.valid_up_to()
                    ))
                }),
        }
    };
    let text = get(Some(columns.text))?.unwrap_or_default();
    check_text(&text, file, line, max)?;
    Ok(Post {
        id: get(columns.id)?.unwrap_or_else(|| format!("{stem}:{line}")),
        author: get(columns.author)?.unwrap_or_else(|| default_author.to_string()),
        text,
        platform: get(columns.platform)?.or_else(|| platform.clone()),
        created_at: get(columns.created_at)?,
        url: get(columns.url)?,
        hidden: Vec::new(),
    })
}
