//! Opening an input: stdin or a file, gzip or not, in a detected or given format.

use super::format::{InputFormat, detect_format};
use super::{BadRecord, Record, exports, jsonl, table};
use flate2::read::MultiGzDecoder;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// How to read inputs; see the `scan` flags of the same names.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Overrides detection.
    pub format: Option<InputFormat>,
    /// CSV column names for the post fields.
    pub map: Option<ColumnMap>,
    /// Author of exports that carry none (LinkedIn, X, Facebook, Instagram).
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
    /// The column for a post field, if mapped.
    pub fn column(&self, field: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.as_str())
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
    inner: Box<dyn Iterator<Item = Record> + Send>,
    cut_short: Arc<AtomicBool>,
}

impl Records {
    pub fn format(&self) -> InputFormat {
        self.format
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

impl Iterator for Records {
    type Item = Record;
    fn next(&mut self) -> Option<Record> {
        self.inner.next()
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
    let inner: Box<dyn Iterator<Item = Record> + Send> = match format {
        InputFormat::Jsonl => Box::new(jsonl::JsonlRecords::new(
            reader,
            name.clone(),
            opts.max_post_bytes,
        )),
        InputFormat::Csv | InputFormat::LinkedinShares => {
            table::records(reader, name.clone(), stem, format, opts).map_err(fail)?
        }
        InputFormat::TwitterArchive | InputFormat::FacebookPosts | InputFormat::InstagramPosts => {
            exports::records(reader, name.clone(), stem, format, opts)
        }
    };
    Ok(Records {
        format,
        inner,
        cut_short,
    })
}

/// The file name without `.gz` and extension: the default author and id prefix.
fn file_stem(path: &Path) -> String {
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
