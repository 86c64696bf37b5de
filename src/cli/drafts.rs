//! Drafts for `check`: files, folders of `.txt`/`.md` (respecting
//! `.gitignore`), standard input, or `--text`. Each draft is one post.

use std::io::Read;
use std::path::Path;

pub struct Draft {
    /// How the draft is named in output: its path, `<stdin>` or `<text>`.
    pub name: String,
    pub text: String,
    pub author: Option<String>,
    pub platform: Option<String>,
    pub date: Option<String>,
    /// Byte ranges a reader does not see: front matter, comments.
    pub hidden: Vec<std::ops::Range<usize>>,
}

/// Extensions of drafts found by walking a folder.
const DRAFT_EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// Reads every draft; unreadable ones are returned as messages naming the file,
/// so the others are still checked.
pub fn collect(
    inputs: &[String],
    text: Option<&str>,
    selection: Option<&ignore::overrides::Override>,
    no_ignore: bool,
) -> (Vec<Draft>, Vec<String>) {
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    if let Some(t) = text {
        drafts.push(Draft::new("<text>".into(), t.to_string(), false));
    }
    for input in inputs {
        if input == "-" {
            let mut buf = Vec::new();
            match std::io::stdin().read_to_end(&mut buf) {
                Ok(_) => match String::from_utf8(buf) {
                    Ok(t) => drafts.push(Draft::new("<stdin>".into(), t, false)),
                    Err(e) => errors.push(format!(
                        "<stdin>: {}",
                        utf8_error(e.utf8_error(), e.as_bytes())
                    )),
                },
                Err(e) => errors.push(format!("<stdin>: {e}")),
            }
            continue;
        }
        let path = Path::new(input);
        if path.is_dir() {
            walk(path, selection, no_ignore, &mut drafts, &mut errors);
        } else {
            read_file(path, &mut drafts, &mut errors);
        }
    }
    (drafts, errors)
}

/// Include and exclude globs of a repository's `postguard.toml`, relative to its folder.
pub fn selection(
    root: &Path,
    include: &[String],
    exclude: &[String],
) -> Result<Option<ignore::overrides::Override>, String> {
    if include.is_empty() && exclude.is_empty() {
        return Ok(None);
    }
    let mut builder = ignore::overrides::OverrideBuilder::new(root);
    for glob in include {
        builder
            .add(glob)
            .map_err(|e| format!("postguard.toml: include `{glob}`: {e}"))?;
    }
    for glob in exclude {
        builder
            .add(&format!("!{glob}"))
            .map_err(|e| format!("postguard.toml: exclude `{glob}`: {e}"))?;
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| format!("postguard.toml: {e}"))
}

fn walk(
    dir: &Path,
    selection: Option<&ignore::overrides::Override>,
    no_ignore: bool,
    drafts: &mut Vec<Draft>,
    errors: &mut Vec<String>,
) {
    let mut builder = ignore::WalkBuilder::new(dir);
    if no_ignore {
        // ripgrep's --no-ignore: every draft, ignored or hidden.
        builder.standard_filters(false);
    }
    builder
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b));
    if let Some(o) = selection {
        builder.overrides(o.clone());
    }
    let walker = builder.build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_draft = e.file_type().is_some_and(|t| t.is_file())
                    && e.path()
                        .extension()
                        .and_then(|x| x.to_str())
                        .is_some_and(|x| {
                            DRAFT_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
                        });
                if is_draft {
                    read_file(e.path(), drafts, errors);
                }
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
}

fn read_file(path: &Path, drafts: &mut Vec<Draft>, errors: &mut Vec<String>) {
    let shown = path.strip_prefix(".").unwrap_or(path);
    let name = shown.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let markdown = path.extension().is_some_and(|x| {
                    x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("markdown")
                });
                drafts.push(Draft::new(name, text, markdown));
            }
            Err(e) => errors.push(format!(
                "{name}: {}",
                utf8_error(e.utf8_error(), e.as_bytes())
            )),
        },
        Err(e) => errors.push(format!("{name}: {e}")),
    }
}

fn utf8_error(e: std::str::Utf8Error, bytes: &[u8]) -> String {
    let at = e.valid_up_to();
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    format!("line {line}: invalid UTF-8 at byte {at}")
}

impl Draft {
    fn new(name: String, mut text: String, markdown: bool) -> Draft {
        let mut draft = Draft {
            name,
            text: String::new(),
            author: None,
            platform: None,
            date: None,
            hidden: Vec::new(),
        };
        if markdown && let Some(end) = front_matter_end(&text) {
            for line in text[..end].lines().skip(1) {
                if let Some((key, value)) = line.split_once(':') {
                    let value = value.trim().trim_matches(['"', '\'']).to_string();
                    match key.trim() {
                        "author" => draft.author = Some(value),
                        "platform" => draft.platform = Some(value),
                        "date" => draft.date = Some(value),
                        _ => {}
                    }
                }
            }
            // Blank the front matter but keep its bytes, so positions stay file positions.
            let mut blanked = String::with_capacity(end);
            for c in text[..end].chars() {
                match c {
                    '\n' | '\r' => blanked.push(c),
                    _ => blanked.extend(std::iter::repeat_n(' ', c.len_utf8())),
                }
            }
            text.replace_range(..end, &blanked);
            draft.hidden.push(0..end);
        }
        if markdown {
            draft.hidden.extend(comments(&text));
        }
        draft.text = text;
        draft
    }
}

/// The `<!-- … -->` comments of a text, which Markdown never shows.
pub fn comments(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("<!--").map(|i| i + from) {
        let Some(close) = text[open + 4..].find("-->").map(|i| i + open + 7) else {
            break;
        };
        out.push(open..close);
        from = close;
    }
    out
}

/// Byte offset just past a leading `---` … `---` block.
fn front_matter_end(text: &str) -> Option<usize> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut at = text.len() - rest.len();
    for line in rest.split_inclusive('\n') {
        at += line.len();
        if line.trim_end() == "---" {
            return Some(at);
        }
    }
    None
}
