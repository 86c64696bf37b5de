//! postguard checks employee social media posts against a corporate social media policy.
//!
//! Data flows one way: [`input`] → [`normalise`] → [`matcher`] → [`aggregate`] → [`report`],
//! with [`policy`] compiled once into the matcher. The library never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod aggregate;
pub mod compare;
pub mod finding;
pub mod input;
pub mod matcher;
pub mod normalise;
pub mod pipeline;
pub mod policy;
pub mod report;
pub mod roster;
pub mod time;

/// Post texts of the corpus files, for tests that hold two ways of doing
/// one thing equal on real posts.
#[cfg(test)]
pub(crate) mod test_texts {
    /// The texts of the posts of JSONL files under the project root.
    pub fn texts_of(files: &[&str]) -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for file in files {
            let data = std::fs::read_to_string(root.join(file)).unwrap();
            for line in data.lines().filter(|l| !l.trim().is_empty()) {
                let post: serde_json::Value = serde_json::from_str(line).unwrap();
                texts.push(post["text"].as_str().unwrap_or("").to_string());
            }
        }
        texts
    }

    /// Every labelled post.
    pub fn labelled_texts() -> Vec<String> {
        let texts = texts_of(&[
            "corpus/labelled/posts.jsonl",
            "corpus/labelled/independent/regulated.jsonl",
            "corpus/labelled/independent/disclosure.jsonl",
            "corpus/labelled/independent/confidential_privacy.jsonl",
        ]);
        assert!(texts.len() > 1500);
        texts
    }
}
