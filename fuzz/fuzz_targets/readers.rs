//! Every export reader on any bytes: the first byte picks the reader (or
//! detection from the file's name and head), the rest is the file, gzipped
//! or not. Reading must end with posts and located bad records, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postguard::input::{InputFormat, ReadOptions, open};
use std::path::PathBuf;
use std::sync::LazyLock;

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("postguard-fuzz-readers-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("ana/data")).unwrap();
    dir
});

// Names under which detection picks each reader.
const FILES: [(&str, Option<InputFormat>); 7] = [
    ("posts.jsonl", Some(InputFormat::Jsonl)),
    ("posts.csv", Some(InputFormat::Csv)),
    ("ana/Shares.csv", Some(InputFormat::LinkedinShares)),
    ("ana/data/tweets.js", Some(InputFormat::TwitterArchive)),
    ("ana/your_posts_1.json", Some(InputFormat::FacebookPosts)),
    ("ana/posts_1.json", Some(InputFormat::InstagramPosts)),
    ("input.dat", None),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let (name, format) = FILES[pick as usize % FILES.len()];
    let path = DIR.join(name);
    std::fs::write(&path, body).unwrap();
    let opts = ReadOptions {
        format,
        max_post_bytes: 64 << 10,
        max_gzip_bytes: 4 << 20,
        ..ReadOptions::default()
    };
    let Ok(records) = open(&path, &opts) else {
        return;
    };
    for record in records.take(100_000) {
        match record {
            Ok(post) => assert!(
                post.text.len() <= opts.max_post_bytes,
                "{}",
                post.text.len()
            ),
            Err(bad) => assert!(!bad.reason.is_empty()),
        }
    }
});
