//! JSON Lines: one post per line, read with a bounded buffer.

use super::open::check_text;
use super::{BadRecord, Post, Record};
use serde::Deserialize;
use std::io::BufRead;

/// The record as written; ids may be numbers, unknown fields are ignored.
#[derive(Deserialize)]
struct RawPost {
    id: Option<serde_json::Value>,
    author: Option<String>,
    text: Option<String>,
    platform: Option<String>,
    created_at: Option<String>,
    url: Option<String>,
}

pub struct JsonlRecords<R> {
    reader: R,
    file: String,
    line: u64,
    max_post_bytes: usize,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonlRecords<R> {
    pub fn new(reader: R, file: String, max_post_bytes: usize) -> Self {
        JsonlRecords {
            reader,
            file,
            line: 0,
            max_post_bytes,
            buf: Vec::new(),
            done: false,
        }
    }

    fn bad(&self, reason: String) -> BadRecord {
        BadRecord {
            file: self.file.clone(),
            line: self.line,
            reason,
        }
    }

    fn parse(&self) -> Record {
        let text = std::str::from_utf8(&self.buf).map_err(|e| {
            self.bad(format!(
                "invalid UTF-8 at byte {} of the line",
                e.valid_up_to()
            ))
        })?;
        let raw: RawPost =
            serde_json::from_str(text).map_err(|e| self.bad(format!("invalid JSON: {e}")))?;
        let body = raw
            .text
            .ok_or_else(|| self.bad("missing field `text`".into()))?;
        check_text(&body, &self.file, self.line, self.max_post_bytes)?;
        let id = match raw.id {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => return Err(self.bad("missing field `id`".into())),
        };
        Ok(Post {
            id,
            author: raw
                .author
                .ok_or_else(|| self.bad("missing field `author`".into()))?,
            text: body,
            platform: raw.platform,
            created_at: raw.created_at,
            url: raw.url,
        })
    }
}

impl<R: BufRead + Send> Iterator for JsonlRecords<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        // JSON escapes can make a line several times longer than its text.
        let limit = self
            .max_post_bytes
            .saturating_mul(6)
            .saturating_add(1 << 16);
        while !self.done {
            self.line += 1;
            self.buf.clear();
            match read_line_bounded(&mut self.reader, &mut self.buf, limit) {
                Ok(Line::End) => {
                    self.done = true;
                    return None;
                }
                Ok(Line::TooLong(len)) => {
                    return Some(Err(self.bad(format!(
                        "record is {len} bytes, over the limit for a post of {} bytes",
                        self.max_post_bytes
                    ))));
                }
                Ok(Line::Read) => {
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(self.parse());
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.bad(format!("read error: {e}"))));
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
