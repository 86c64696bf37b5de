//! Whole-file JSON exports: the X/Twitter archive `tweets.js`, Facebook's
//! `your_posts_1.json` and Instagram's `posts_1.json`.

use super::format::InputFormat;
use super::mojibake::repair;
use super::open::{ReadOptions, check_text};
use super::{BadRecord, Post, Record};
use crate::time::format_utc;
use serde_json::Value;
use std::io::BufRead;

pub fn records(
    mut reader: Box<dyn BufRead + Send>,
    file: String,
    stem: String,
    owner: String,
    format: InputFormat,
    opts: &ReadOptions,
) -> Box<dyn Iterator<Item = Record> + Send> {
    let mut bytes = Vec::new();
    let whole = |reason: String, line: u64| -> Box<dyn Iterator<Item = Record> + Send> {
        Box::new(std::iter::once(Err(BadRecord {
            file: file.clone(),
            line,
            reason,
        })))
    };
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return whole(format!("read error: {e}"), 0);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            return whole("invalid UTF-8".into(), line);
        }
    };
    // tweets.js: `window.YTD.tweets.part0 = [ ... ]`
    let json_start = if format == InputFormat::TwitterArchive {
        text.find('[').unwrap_or(text.len())
    } else {
        0
    };
    let body = &text[json_start..];
    let offset_line = text[..json_start].matches('\n').count() as u64;
    let items: Vec<Value> = match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(items)) => items,
        Ok(Value::Object(mut o)) => {
            match o.remove("status_updates").or_else(|| o.remove("posts")) {
                Some(Value::Array(items)) => items,
                _ => return whole("expected a list of posts".into(), 1),
            }
        }
        Ok(_) => return whole("expected a list of posts".into(), 1),
        Err(e) => return whole(format!("invalid JSON: {e}"), e.line() as u64 + offset_line),
    };
    let lines = element_lines(body);
    let author = opts.author.clone().unwrap_or(owner);
    let max = opts.max_post_bytes;
    let out: Vec<Record> = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let line = lines.get(i).copied().unwrap_or(1) + offset_line;
            let bad = |reason: &str| BadRecord {
                file: file.clone(),
                line,
                reason: reason.to_string(),
            };
            let post = match format {
                InputFormat::TwitterArchive => tweet(&item, &author),
                InputFormat::FacebookPosts => facebook(&item, &author, &stem, i),
                _ => instagram(&item, &author, &stem, i),
            }
            .ok_or_else(|| bad("no post text in this entry"))?;
            check_text(&post.text, &file, line, max)?;
            Ok(post)
        })
        .collect();
    Box::new(out.into_iter())
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn tweet(item: &Value, author: &str) -> Option<Post> {
    let t = item.get("tweet").unwrap_or(item);
    let id = str_at(t, &["id_str"])
        .or_else(|| str_at(t, &["id"]))?
        .to_string();
    Some(Post {
        url: Some(format!("https://x.com/i/web/status/{id}")),
        hidden: Vec::new(),
        id,
        author: author.to_string(),
        text: str_at(t, &["full_text"])
            .or_else(|| str_at(t, &["text"]))?
            .to_string(),
        platform: Some("x".into()),
        created_at: str_at(t, &["created_at"]).map(str::to_string),
    })
}

fn facebook(item: &Value, author: &str, stem: &str, i: usize) -> Option<Post> {
    let text = item
        .get("data")?
        .as_array()?
        .iter()
        .find_map(|d| d.get("post").and_then(Value::as_str))?;
    let ts = item.get("timestamp").and_then(Value::as_i64);
    Some(Post {
        id: ts.map_or_else(|| format!("{stem}:{i}"), |t| format!("fb-{t}-{i}")),
        author: author.to_string(),
        text: repair(text).into_owned(),
        platform: Some("facebook".into()),
        created_at: ts.map(format_utc),
        url: None,
        hidden: Vec::new(),
    })
}

fn instagram(item: &Value, author: &str, stem: &str, i: usize) -> Option<Post> {
    let media = item
        .get("media")
        .and_then(Value::as_array)
        .and_then(|m| m.first());
    let text = str_at(item, &["title"])
        .filter(|t| !t.is_empty())
        .or_else(|| media.and_then(|m| str_at(m, &["title"])))?;
    let ts = item
        .get("creation_timestamp")
        .or_else(|| media.and_then(|m| m.get("creation_timestamp")))
        .and_then(Value::as_i64);
    Some(Post {
        id: ts.map_or_else(|| format!("{stem}:{i}"), |t| format!("ig-{t}-{i}")),
        author: author.to_string(),
        text: repair(text).into_owned(),
        platform: Some("instagram".into()),
        created_at: ts.map(format_utc),
        url: None,
        hidden: Vec::new(),
    })
}

/// The 1-based line of each top-level element of a JSON array.
fn element_lines(json: &str) -> Vec<u64> {
    let mut lines = Vec::new();
    let (mut depth, mut line, mut in_string, mut escaped) = (0i32, 1u64, false, false);
    for b in json.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                if depth == 1 {
                    lines.push(line);
                }
                in_string = true;
            }
            b'[' | b'{' => {
                if depth == 1 {
                    lines.push(line);
                }
                depth += 1;
            }
            b']' | b'}' => depth -= 1,
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_lines_skip_nested_and_strings() {
        let json = "[\n {\"a\": \"[{\"},\n {\"b\": [1, {}]}\n]";
        assert_eq!(element_lines(json), vec![2, 3]);
    }
}
