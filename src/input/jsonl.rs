//! JSON Lines: one post per line, read with a bounded buffer. Lines are
//! handed on unparsed ([`Pending`]): a batch scan parses them on its worker
//! threads, so the thread that reads does no more than find line ends.

use super::open::{ColumnMap, ReadOptions, check_text};
use super::{BadRecord, Pending, Post, Record};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::io::BufRead;
use std::sync::Arc;

/// The record as written, when no `--map` renames its fields; ids may be
/// numbers, times may be Unix seconds, unknown fields are ignored.
#[derive(Deserialize)]
struct RawPost {
    id: Option<Value>,
    author: Option<Value>,
    text: Option<String>,
    platform: Option<String>,
    created_at: Option<Value>,
    url: Option<String>,
}

pub struct JsonlRecords<R> {
    reader: R,
    parser: Arc<LineParser>,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

/// How one input's lines become records, shared with the lines handed on.
pub struct LineParser {
    file: String,
    /// The id prefix of records that carry none.
    stem: String,
    max_post_bytes: usize,
    /// Field names for post fields (`--map text=body`).
    map: Option<ColumnMap>,
    /// Author of records that name none (`--author`).
    author: Option<String>,
}

impl<R: BufRead> JsonlRecords<R> {
    pub fn new(
        reader: R,
        file: String,
        stem: String,
        opts: &ReadOptions,
        map: Option<ColumnMap>,
    ) -> Self {
        JsonlRecords {
            reader,
            parser: Arc::new(LineParser {
                file,
                stem,
                max_post_bytes: opts.max_post_bytes,
                map,
                author: opts.author.clone(),
            }),
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl LineParser {
    fn bad(&self, line: u64, reason: String) -> BadRecord {
        BadRecord {
            file: self.file.clone(),
            line,
            reason,
        }
    }

    /// The record that line number `at` holds.
    pub fn parse(&self, buf: &[u8], at: u64) -> Record {
        let bad = |reason: String| self.bad(at, reason);
        let line = std::str::from_utf8(buf).map_err(|e| {
            bad(format!(
                "invalid UTF-8 at byte {} of the line",
                e.valid_up_to()
            ))
        })?;
        let raw = match &self.map {
            // The common case reads straight into the record's fields.
            None => serde_json::from_str::<RawPost>(line)
                .map_err(|e| bad(format!("invalid JSON: {e}")))?,
            Some(map) => self.mapped(line, map, at)?,
        };
        let object = || serde_json::from_str::<Map<String, Value>>(line).unwrap_or_default();
        let Some(body) = raw.text else {
            return Err(bad(self.missing("text", &object())));
        };
        check_text(&body, &self.file, at, self.max_post_bytes)?;
        let id = match raw.id {
            Some(Value::String(s)) if !s.is_empty() => s,
            Some(Value::Number(n)) => n.to_string(),
            None | Some(Value::Null) => format!("{}:{}", self.stem, at),
            Some(Value::String(_)) => format!("{}:{}", self.stem, at),
            Some(_) => return Err(bad(self.not_a("id", "string or a number"))),
        };
        let author = match raw.author {
            Some(Value::String(s)) if !s.trim().is_empty() => s,
            Some(Value::Number(n)) => n.to_string(),
            None | Some(Value::Null) | Some(Value::String(_)) => match &self.author {
                Some(a) => a.clone(),
                None => return Err(bad(self.missing("author", &object()))),
            },
            Some(_) => return Err(bad(self.not_a("author", "string or a number"))),
        };
        let created_at = match raw.created_at {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => return Err(bad(self.not_a("created_at", "string or a number"))),
        };
        Ok(Post {
            id,
            author,
            text: body,
            platform: raw.platform,
            created_at,
            url: raw.url,
            hidden: Vec::new(),
        })
    }

    /// The record's fields under their mapped names.
    fn mapped(&self, line: &str, map: &ColumnMap, at: u64) -> Result<RawPost, BadRecord> {
        let mut object: Map<String, Value> =
            serde_json::from_str(line).map_err(|e| self.bad(at, format!("invalid JSON: {e}")))?;
        let mut take = |field: &str| object.remove(map.column(field).unwrap_or(field));
        let (id, author, text, platform, created_at, url) = (
            take("id"),
            take("author"),
            take("text"),
            take("platform"),
            take("created_at"),
            take("url"),
        );
        let string = |field: &str, v: Option<Value>| match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.bad(at, self.not_a(field, "string"))),
        };
        Ok(RawPost {
            id,
            author,
            text: string("text", text)?,
            platform: string("platform", platform)?,
            created_at,
            url: string("url", url)?,
        })
    }

    fn name_of(&self, field: &str) -> String {
        let name = self
            .map
            .as_ref()
            .and_then(|m| m.column(field))
            .unwrap_or(field);
        if name == field {
            format!("`{field}`")
        } else {
            format!("`{name}` (mapped to `{field}`)")
        }
    }

    fn not_a(&self, field: &str, kind: &str) -> String {
        format!("{} is not a {kind}", self.name_of(field))
    }

    /// Why a required field is missing, with the `--map` that would fix it
    /// when a field of the record looks like the one wanted.
    fn missing(&self, field: &str, object: &Map<String, Value>) -> String {
        let mapped = self.map.as_ref().and_then(|m| m.column(field)).is_some();
        if !mapped && let Some(guess) = guess_field(field, object) {
            return format!("no `{field}` field; use --map {field}={guess}");
        }
        let fields: Vec<&str> = object.keys().map(String::as_str).collect();
        let fix = match field {
            "author" => "map one with --map author=FIELD or give --author ID".to_string(),
            _ => format!("map one with --map {field}=FIELD"),
        };
        if fields.is_empty() {
            format!("no {} field; {fix}", self.name_of(field))
        } else {
            format!(
                "no {} field (fields: {}); {fix}",
                self.name_of(field),
                fields.join(", ")
            )
        }
    }
}

/// A field of the record that probably holds `field`: a usual name for it,
/// or for the text, the longest string that reads like prose.
fn guess_field(field: &str, object: &Map<String, Value>) -> Option<String> {
    let usual: &[&str] = match field {
        "text" => &[
            "body",
            "content",
            "message",
            "post",
            "full_text",
            "caption",
            "commentary",
            "status",
            "description",
        ],
        "author" => &[
            "user",
            "username",
            "user_name",
            "screen_name",
            "handle",
            "employee",
            "owner",
            "creator",
            "poster",
            "name",
        ],
        _ => &[],
    };
    let named = usual.iter().find_map(|u| {
        object
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(u) && (v.is_string() || v.is_number()))
            .map(|(k, _)| k.clone())
    });
    if named.is_some() || field != "text" {
        return named;
    }
    object
        .iter()
        .filter_map(|(k, v)| Some((k, v.as_str()?)))
        .filter(|(_, v)| v.trim().contains(' '))
        .max_by_key(|(_, v)| v.len())
        .map(|(k, _)| k.clone())
}

impl<R: BufRead + Send> Iterator for JsonlRecords<R> {
    type Item = Pending;

    fn next(&mut self) -> Option<Pending> {
        // JSON escapes can make a line several times longer than its text.
        let limit = self
            .parser
            .max_post_bytes
            .saturating_mul(6)
            .saturating_add(1 << 16);
        while !self.done {
            self.line += 1;
            self.buf.clear();
            let bad = |reason| Some(Pending::from(Err(self.parser.bad(self.line, reason))));
            match read_line_bounded(&mut self.reader, &mut self.buf, limit) {
                Ok(Line::End) => {
                    self.done = true;
                    return None;
                }
                Ok(Line::TooLong(len)) => {
                    return bad(format!(
                        "record is {len} bytes, over the limit for a post of {} bytes",
                        self.parser.max_post_bytes
                    ));
                }
                Ok(Line::Read) => {
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    // A copy the size of the line; the buffer keeps its room.
                    return Some(Pending::line(
                        self.buf.clone(),
                        self.line,
                        Arc::clone(&self.parser),
                    ));
                }
                Err(e) => {
                    self.done = true;
                    return bad(format!("read error: {e}"));
                }
            }
        }
        None
    }
}

enum Line {
    Read,
    End,
    /// The line was longer than the limit; it was skipped whole.
    TooLong(usize),
}

/// Reads one line into `buf` (without the newline), keeping at most `limit`
/// bytes in memory however long the line is.
fn read_line_bounded(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Line> {
    let mut total = 0usize;
    let mut any = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(if !any {
                Line::End
            } else if total > limit {
                Line::TooLong(total)
            } else {
                Line::Read
            });
        }
        any = true;
        let (part, found) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        total += part.len();
        if total <= limit {
            buf.extend_from_slice(part);
        } else {
            buf.clear();
        }
        let used = found.unwrap_or(chunk.len());
        r.consume(used);
        if found.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(if total > limit {
                Line::TooLong(total)
            } else {
                Line::Read
            });
        }
    }
}
