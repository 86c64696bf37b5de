//! Input formats and how they are recognised from a file's name and first bytes.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One post record per line (the contract's record).
    Jsonl,
    /// CSV with a header; columns mapped with `--map`.
    Csv,
    /// LinkedIn data export `Shares.csv`.
    LinkedinShares,
    /// X/Twitter archive `tweets.js`.
    TwitterArchive,
    /// Facebook export `your_posts_1.json`.
    FacebookPosts,
    /// Instagram export `posts_1.json`.
    InstagramPosts,
}

impl InputFormat {
    pub const NAMES: &'static [&'static str] = &[
        "jsonl",
        "csv",
        "linkedin",
        "twitter",
        "facebook",
        "instagram",
    ];

    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Jsonl => "jsonl",
            InputFormat::Csv => "csv",
            InputFormat::LinkedinShares => "linkedin",
            InputFormat::TwitterArchive => "twitter",
            InputFormat::FacebookPosts => "facebook",
            InputFormat::InstagramPosts => "instagram",
        }
    }

    pub fn platform(self) -> Option<&'static str> {
        match self {
            InputFormat::LinkedinShares => Some("linkedin"),
            InputFormat::TwitterArchive => Some("x"),
            InputFormat::FacebookPosts => Some("facebook"),
            InputFormat::InstagramPosts => Some("instagram"),
            InputFormat::Jsonl | InputFormat::Csv => None,
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let all = [
            InputFormat::Jsonl,
            InputFormat::Csv,
            InputFormat::LinkedinShares,
            InputFormat::TwitterArchive,
            InputFormat::FacebookPosts,
            InputFormat::InstagramPosts,
        ];
        all.into_iter()
            .find(|f| f.name() == s.to_ascii_lowercase())
            .ok_or_else(|| {
                format!(
                    "unknown input format `{s}` (one of {})",
                    Self::NAMES.join(", ")
                )
            })
    }
}

/// The format of a file, from its name (a `.gz` suffix ignored) and its first
/// bytes (already decompressed).
pub fn detect_format(path: &Path, head: &[u8]) -> Option<InputFormat> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let head_text = String::from_utf8_lossy(&head[..head.len().min(8192)]);
    let trimmed = head_text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("window.YTD.") || name == "tweets.js" || name.ends_with("tweets.js") {
        return Some(InputFormat::TwitterArchive);
    }
    if name.ends_with(".csv") || name.ends_with(".tsv") {
        let header = trimmed.lines().next().unwrap_or("");
        return Some(if header.contains("ShareCommentary") {
            InputFormat::LinkedinShares
        } else {
            InputFormat::Csv
        });
    }
    if trimmed.starts_with('[') || name.ends_with(".json") {
        if trimmed.contains("\"media\"")
            || name.starts_with("posts_") && trimmed.contains("creation_timestamp")
        {
            return Some(InputFormat::InstagramPosts);
        }
        if trimmed.contains("\"timestamp\"") || trimmed.contains("\"data\"") {
            return Some(InputFormat::FacebookPosts);
        }
        return None;
    }
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") || trimmed.starts_with('{') {
        return Some(InputFormat::Jsonl);
    }
    if trimmed.contains("ShareCommentary") {
        return Some(InputFormat::LinkedinShares);
    }
    None
}
