//! Input: reading posts from drafts and exports into [`Post`] records.
//!
//! Every reader yields [`Record`]s in file order: a post, or a [`BadRecord`]
//! naming the file and line of what it had to skip, so one bad line never
//! loses the rest of the input.

mod exports;
mod format;
mod jsonl;
pub mod labels;
mod mojibake;
mod open;
mod pending;
mod post;
mod select;
mod table;

pub use format::{InputFormat, detect_format};
pub use mojibake::repair as repair_mojibake;
pub use open::{
    ColumnMap, DEFAULT_MAX_GZIP_BYTES, EXPORT_INNER_FOLDERS, InputError, POST_FIELDS, ReadOptions,
    Records, export_owner, open,
};
pub use pending::Pending;
pub use post::Post;
pub use select::{Selected, Selection, export_by_name, select};
pub use table::CSV_COLUMNS;

/// A record a reader could not turn into a [`Post`]. The scan counts it and goes on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BadRecord {
    /// The input file as the user named it.
    pub file: String,
    /// 1-based line of the record in that file (0 when the whole file is unreadable).
    pub line: u64,
    /// What is wrong, in words a user can act on.
    pub reason: String,
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// What a reader yields: a post, or a record it had to skip.
pub type Record = Result<Post, BadRecord>;
