//! A record as a reader hands it on: parsed already, or a line still to
//! parse. A batch scan parses lines on its worker threads, so the one thread
//! that reads the input is not what bounds a scan on many cores.

use super::Record;
use super::jsonl::LineParser;
use std::sync::Arc;

pub struct Pending {
    inner: Inner,
    /// Which input of a scan it came from (see [`Pending::with_input`]).
    input: u32,
}

enum Inner {
    Parsed(Record),
    Line {
        bytes: Vec<u8>,
        at: u64,
        parser: Arc<LineParser>,
    },
}

impl From<Record> for Pending {
    fn from(record: Record) -> Pending {
        Pending {
            inner: Inner::Parsed(record),
            input: 0,
        }
    }
}

impl Pending {
    /// Line number `at` of an input, to parse with `parser`.
    pub(super) fn line(bytes: Vec<u8>, at: u64, parser: Arc<LineParser>) -> Pending {
        Pending {
            inner: Inner::Line { bytes, at, parser },
            input: 0,
        }
    }

    /// The record, parsed now if it was not, times in RFC 3339 UTC.
    pub fn parse(self) -> Record {
        let record = match self.inner {
            Inner::Parsed(record) => record,
            Inner::Line { bytes, at, parser } => parser.parse(&bytes, at),
        };
        record.map(super::open::utc_times)
    }

    /// Bytes it holds in memory (0 for a bad record).
    pub fn held(&self) -> usize {
        match &self.inner {
            Inner::Parsed(Ok(post)) => post.text.len() + post.id.len() + post.author.len(),
            Inner::Parsed(Err(_)) => 0,
            Inner::Line { bytes, .. } => bytes.len(),
        }
    }

    /// Tags it with the index of the input it came from.
    pub fn with_input(mut self, input: u32) -> Pending {
        self.input = input;
        self
    }

    /// The index given by [`Pending::with_input`] (0 if none was).
    pub fn input(&self) -> u32 {
        self.input
    }
}
