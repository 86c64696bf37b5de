//! Opening an input: stdin or a file, gzip or not, in a detected or given format.

use super::format::{InputFormat, detect_format};
use super::{BadRecord, Pending, Post, Record, exports, jsonl, table};
use flate2::read::MultiGzDecoder;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// How to read one input; see the `scan` flags of the same names.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Overrides detection.
    pub format: Option<InputFormat>,
    /// Column (CSV) or field (JSONL) names for the post fields, given for
    /// this input: applies to CSV, JSONL and LinkedIn `Shares.csv`.
    pub map: Option<ColumnMap>,
    /// Names given for every input (a plain `--map`): apply to CSV and JSONL
    /// only, as the platform exports have fixed columns. `map` wins field by field.
    pub default_map: Option<ColumnMap>,
    /// Author of records that name none. Without it, the platform exports
    /// (LinkedIn, X, Facebook, Instagram) take the name of their archive's
    /// folder ([`export_owner`]).
    pub author: Option<String>,
    /// A longer post is skipped as a bad record.
    pub max_post_bytes: usize,
    /// A gzipped input stops being read past this many decompressed bytes
    /// ([`Records::cut_short`] tells).
    pub max_gzip_bytes: u64,
}

/// Decompressed bytes read from one gzipped input unless told otherwise.
pub const DEFAULT_MAX_GZIP_BYTES: u64 = 4 << 30;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            map: None,
            default_map: None,
            author: None,
            max_post_bytes: 1 << 20,
            max_gzip_bytes: DEFAULT_MAX_GZIP_BYTES,
        }
    }
}

/// `--map id=Post ID,author=Employee,text=Body`: CSV columns for post fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    pub pairs: Vec<(String, String)>,
}

pub const POST_FIELDS: &[&str] = &["id", "author", "text", "platform", "created_at", "url"];

impl ColumnMap {
    /// The column for a post field, if mapped (the last mapping of a field wins).
    pub fn column(&self, field: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.as_str())
    }

    /// This map with `over`'s fields taking precedence.
    pub fn then(&self, over: &ColumnMap) -> ColumnMap {
        ColumnMap {
            pairs: self.pairs.iter().chain(&over.pairs).cloned().collect(),
        }
    }
}

impl FromStr for ColumnMap {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut pairs = Vec::new();
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let (field, column) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not FIELD=COLUMN"))?;
            let field = field.trim().to_ascii_lowercase();
            if !POST_FIELDS.contains(&field.as_str()) {
                return Err(format!(
                    "unknown field `{field}` (fields: {})",
                    POST_FIELDS.join(", ")
                ));
            }
            pairs.push((field, column.trim().to_string()));
        }
        Ok(ColumnMap { pairs })
    }
}

/// A whole input that cannot be read.
#[derive(Debug)]
pub struct InputError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for InputError {}

/// The records of one input, in file order.
pub struct Records {
    format: InputFormat,
    name: String,
    inner: Box<dyn Iterator<Item = Pending> + Send>,
    cut_short: Arc<AtomicBool>,
}

impl Records {
    pub fn format(&self) -> InputFormat {
        self.format
    }

    /// The input as its bad records name it (`<stdin>` for `-`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Set once a gzipped input went past `max_gzip_bytes` and its reading
    /// stopped there (the reader also yields a bad record at that line).
    pub fn cut_short(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cut_short)
    }
}

/// A decompressing reader that fails past `max` bytes, so a small file that
/// expands without end cannot keep a scan busy or fill a disk.
struct Capped<R> {
    inner: R,
    read: u64,
    max: u64,
    cut_short: Arc<AtomicBool>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read >= self.max && !buf.is_empty() {
            // One byte more tells a file of exactly `max` bytes from a longer one.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.cut_short.store(true, Ordering::Relaxed);
            return Err(io::Error::other(format!(
                "decompressed input is over {} bytes (--max-gzip-bytes); the rest of the file is not read",
                self.max
            )));
        }
        let room = usize::try_from(self.max - self.read).unwrap_or(usize::MAX);
        let n = buf.len().min(room);
        let got = self.inner.read(&mut buf[..n])?;
        self.read += got as u64;
        Ok(got)
    }
}

impl Records {
    /// The records unparsed where parsing can wait (JSONL lines), for a
    /// batch scan to parse on its worker threads.
    pub fn pending(self) -> Box<dyn Iterator<Item = Pending> + Send> {
        self.inner
    }
}

impl Iterator for Records {
    type Item = Record;
    fn next(&mut self) -> Option<Record> {
        self.inner.next().map(Pending::parse)
    }
}

/// Opens an input (`-` is standard input); gzip is recognised by its magic bytes.
pub fn open(path: &Path, opts: &ReadOptions) -> Result<Records, InputError> {
    let name = if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let fail = |message: String| InputError {
        file: name.clone(),
        message,
    };
    let raw: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path).map_err(|e| fail(e.to_string()))?)
    };
    let mut raw = BufReader::with_capacity(1 << 16, raw);
    let gzip = raw
        .fill_buf()
        .map_err(|e| fail(e.to_string()))?
        .starts_with(&[0x1f, 0x8b]);
    let cut_short = Arc::new(AtomicBool::new(false));
    let mut reader: Box<dyn BufRead + Send> = if gzip {
        Box::new(BufReader::with_capacity(
            1 << 16,
            Capped {
                inner: MultiGzDecoder::new(raw),
                read: 0,
                max: opts.max_gzip_bytes,
                cut_short: Arc::clone(&cut_short),
            },
        ))
    } else {
        Box::new(raw)
    };
    // A UTF-8 byte order mark (editors on Windows write one) is not content.
    if reader
        .fill_buf()
        .map_err(|e| fail(format!("cannot read: {e}")))?
        .starts_with(b"\xef\xbb\xbf")
    {
        reader.consume(3);
    }
    let head = reader
        .fill_buf()
        .map_err(|e| fail(format!("cannot read: {e}")))?
        .to_vec();
    let format = match opts.format {
        Some(f) => f,
        None => detect_format(path, &head).ok_or_else(|| {
            fail(format!(
                "cannot tell the format; give --input-format ({})",
                InputFormat::NAMES.join(", ")
            ))
        })?,
    };
    let stem = file_stem(path);
    let map = match format {
        InputFormat::Csv | InputFormat::Jsonl => match (&opts.default_map, &opts.map) {
            (Some(all), Some(this)) => Some(all.then(this)),
            (all, this) => this.clone().or_else(|| all.clone()),
        },
        InputFormat::LinkedinShares => opts.map.clone(),
        _ if opts.map.is_some() => {
            return Err(fail(format!(
                "--map does not apply to a {format} export, whose fields are fixed"
            )));
        }
        _ => None,
    };
    let inner: Box<dyn Iterator<Item = Pending> + Send> = match format {
        InputFormat::Jsonl => Box::new(jsonl::JsonlRecords::new(
            reader,
            name.clone(),
            stem,
            opts,
            map,
        )),
        InputFormat::Csv | InputFormat::LinkedinShares => {
            let owner = export_owner(path, &stem);
            Box::new(
                table::records(reader, name.clone(), stem, owner, format, map, opts)
                    .map_err(fail)?
                    .map(Pending::from),
            )
        }
        InputFormat::TwitterArchive | InputFormat::FacebookPosts | InputFormat::InstagramPosts => {
            let owner = export_owner(path, &stem);
            Box::new(
                exports::records(reader, name.clone(), stem, owner, format, opts)
                    .map(Pending::from),
            )
        }
    };
    Ok(Records {
        format,
        name,
        inner,
        cut_short,
    })
}

/// `created_at` as RFC 3339 UTC when its shape is one postguard reads;
/// otherwise kept as written: one time format in everything downstream
/// (reports, announcements). Applied as each record is parsed.
pub(super) fn utc_times(mut post: Post) -> Post {
    if let Some(utc) = post
        .created_at
        .as_deref()
        .and_then(crate::time::to_rfc3339_utc)
    {
        post.created_at = Some(utc);
    }
    post
}

/// Folders that platform exports create inside the archive: the archive's
/// own folder is the first one above the file that is not one of these.
pub const EXPORT_INNER_FOLDERS: &[&str] = &[
    "data",
    "posts",
    "content",
    "your_activity_across_facebook",
    "your_facebook_activity",
    "your_instagram_activity",
];

/// Who wrote a platform export that names no author: the name of the
/// archive's folder (`li/ana/Shares.csv` and `x/ana/data/tweets.js` are
/// `ana`'s), skipping the folders the export creates inside itself
/// ([`EXPORT_INNER_FOLDERS`]). Standard input, or a file at the root of the
/// file system, falls back to the file name.
pub fn export_owner(path: &Path, stem: &str) -> String {
    if path == Path::new("-") {
        return stem.to_string();
    }
    let full = std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf());
    full.ancestors()
        .skip(1)
        .filter_map(|dir| dir.file_name()?.to_str())
        .find(|name| {
            !EXPORT_INNER_FOLDERS
                .iter()
                .any(|inner| name.eq_ignore_ascii_case(inner))
        })
        .unwrap_or(stem)
        .to_string()
}

/// The file name without `.gz` and extension: the id prefix of records without one.
fn file_stem(path: &Path) -> String {
    if path == Path::new("-") {
        return "stdin".into();
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("stdin");
    let name = name.strip_suffix(".gz").unwrap_or(name);
    name.rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_string()
}

/// The checks every reader applies to a post's text.
pub fn check_text(text: &str, file: &str, line: u64, max: usize) -> Result<(), BadRecord> {
    let bad = |reason: String| BadRecord {
        file: file.to_string(),
        line,
        reason,
    };
    if text.trim().is_empty() {
        return Err(bad("empty post".into()));
    }
    if text.len() > max {
        return Err(bad(format!(
            "post is {} bytes, over the {} byte limit",
            text.len(),
            max
        )));
    }
    Ok(())
}
