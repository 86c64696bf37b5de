//! Verbatim reposting: each family of changes people make when relaying a
//! corporate post, the look-alikes that are not copies, and accuracy on the
//! labelled set in corpus/verbatim.

use postguard::matcher::verbatim::{CorporatePost, VerbatimIndex, VerbatimMatch};
use postguard::policy::schema::{CopyMode, VerbatimSettings};
use std::path::Path;

const LAUNCH: &str = "We are proud to announce that the Brightwater Income Fund now offers monthly distributions. Learn how it can fit a diversified retirement plan at brightwater.example/income #Brightwater";
const HIRING: &str = "Brightwater Capital is hiring 40 financial advisers across the Midwest this spring. If you care about long-term client relationships, we would love to meet you. brightwater.example/careers #LifeAtBrightwater";
const HOLIDAYS: &str = "Happy holidays from all of us at Brightwater! Thank you to our clients, partners and colleagues for a remarkable year. We look forward to seeing you in the new year.";

fn index() -> VerbatimIndex {
    let posts = [
        ("launch", LAUNCH),
        ("hiring", HIRING),
        ("holidays", HOLIDAYS),
    ]
    .into_iter()
    .map(|(id, text)| CorporatePost {
        id: id.into(),
        text: text.into(),
        mode: CopyMode::Coach,
    })
    .collect();
    VerbatimIndex::build(posts, &VerbatimSettings::default())
}

fn copies(text: &str) -> Option<VerbatimMatch> {
    index().best_match(text)
}

#[test]
fn copies_survive_what_people_do_when_relaying() {
    let truncated: String = LAUNCH.split(' ').take(19).collect::<Vec<_>>().join(" ");
    let cases = [
        ("case", LAUNCH.to_uppercase()),
        (
            "punctuation",
            LAUNCH.replace('.', "!!!").replace(' ', " , "),
        ),
        ("whitespace and line breaks", LAUNCH.replace(' ', "\n  ")),
        ("emoji", LAUNCH.replace("Fund", "Fund 🚀💰")),
        (
            "tracking link",
            LAUNCH.replace(
                "brightwater.example/income",
                "https://bit.ly/3Xyz?utm_source=linkedin&utm_medium=social",
            ),
        ),
        (
            "hashtags and mentions",
            format!(
                "{} #finance #investing @brightwater",
                LAUNCH.replace("#Brightwater", "")
            ),
        ),
        ("intro", format!("Great news! 🎉 {LAUNCH}")),
        ("outro", format!("{LAUNCH}\n\nProud of the team 👇")),
        ("truncation to about 75%", truncated),
        (
            "Cyrillic look-alike and fullwidth",
            LAUNCH.replace("proud", "prоud").replace("Fund", "Ｆｕｎｄ"),
        ),
    ];
    for (family, text) in cases {
        let m = copies(&text).unwrap_or_else(|| panic!("{family}: not found in {text:?}"));
        assert_eq!(m.corporate_id, "launch", "{family}");
        assert!(m.similarity >= 0.6, "{family}: {}", m.similarity);
        assert_eq!(
            &text[m.copied.clone()]
                .chars()
                .next()
                .map(char::is_alphanumeric),
            &Some(true),
            "{family}"
        );
    }
}

#[test]
fn quotes_paraphrases_and_stock_phrases_are_not_copies() {
    let cases = [
        ("short quote in a long original post", "Sat with a retired nurse today and walked through her plan line by line. As our page said, \"the Brightwater Income Fund now offers monthly distributions\", but what mattered to her was knowing her rent is covered every month for the next twenty years. That is the job.".to_string()),
        ("paraphrase", "Good news: our income fund pays out every month now, which could help anyone building a balanced plan for retirement.".to_string()),
        ("generic", "Happy holidays from all of us!".to_string()),
        ("unrelated", "Ran my first half marathon this weekend and my legs are still complaining.".to_string()),
    ];
    for (family, text) in cases {
        assert!(
            copies(&text).is_none(),
            "{family} flagged: {:?}",
            copies(&text)
        );
    }
}

#[test]
fn the_better_of_two_copied_posts_wins() {
    let hiring_part: String = HIRING.split(' ').take(12).collect::<Vec<_>>().join(" ");
    let text = format!("{LAUNCH} Also: {hiring_part}");
    assert_eq!(copies(&text).unwrap().corporate_id, "launch");
}

#[test]
fn edits_inside_a_copy_are_located() {
    let text = LAUNCH.replace(
        "monthly distributions",
        "guaranteed 12% monthly distributions",
    );
    let m = copies(&text).unwrap();
    let edits: Vec<&str> = m.edits.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(edits, ["guaranteed 12"]);
    // An intro is not an edit: it is outside the copied span.
    let m = copies(&format!("Great news! {LAUNCH}")).unwrap();
    assert!(m.edits.is_empty(), "{:?}", m.edits);
}

#[test]
fn same_answers_with_one_and_two_threads() {
    use rayon::prelude::*;
    let pairs = labelled();
    let index = corporate_index();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            pairs
                .par_iter()
                .map(|p| {
                    index
                        .best_match(&p.text)
                        .map(|m| (m.corporate_id, m.similarity, m.copied, m.edits))
                })
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(run(1), run(2));
}

struct Pair {
    label: String,
    corporate_id: String,
    text: String,
}

fn labelled() -> Vec<Pair> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/verbatim/pairs.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Pair {
                label: v["label"].as_str().unwrap().into(),
                corporate_id: v["corporate_id"].as_str().unwrap().into(),
                text: v["text"].as_str().unwrap().into(),
            }
        })
        .collect()
}

fn corporate_index() -> VerbatimIndex {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/corporate.jsonl");
    let posts = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            CorporatePost {
                id: v["id"].as_str().unwrap().into(),
                text: v["text"].as_str().unwrap().into(),
                mode: CopyMode::Coach,
            }
        })
        .collect();
    VerbatimIndex::build(posts, &VerbatimSettings::default())
}

/// Floors: precision 0.95, recall 0.90 on the labelled set (copy and edited
/// are positives; a positive counts only when the right corporate post is named).
#[test]
fn precision_and_recall_on_the_labelled_set() {
    let pairs = labelled();
    assert!(pairs.len() >= 100, "{} pairs", pairs.len());
    let index = corporate_index();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut misses = Vec::new();
    for p in &pairs {
        let positive = p.label == "copy" || p.label == "edited";
        let found = index.best_match(&p.text);
        match (positive, &found) {
            (true, Some(m)) if m.corporate_id == p.corporate_id => tp += 1,
            (true, _) => {
                fn_ += 1;
                misses.push(format!("missed {}: {}", p.label, p.text));
            }
            (false, Some(m)) => {
                fp += 1;
                misses.push(format!(
                    "false {} ({:.2}): {}",
                    p.label, m.similarity, p.text
                ));
            }
            (false, None) => {}
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    eprintln!(
        "verbatim: precision {precision:.3}, recall {recall:.3} on {} pairs",
        pairs.len()
    );
    assert!(
        precision >= 0.95 && recall >= 0.90,
        "precision {precision:.3}, recall {recall:.3}\n{}",
        misses.join("\n")
    );
}
