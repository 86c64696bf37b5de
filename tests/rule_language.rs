//! The rule language, one table per feature: word patterns in phrase lists,
//! token classes, scoped exceptions, context, promotion cues, codename
//! variants and announcements, on a fixture pack that uses each alone.

mod support;

use postguard::input::Post;
use postguard::matcher::Engine;
use postguard::policy::Policy;
use std::sync::OnceLock;
use support::fixture;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let policy = Policy::load(&fixture("language/policy.toml")).expect("fixture loads");
        Engine::new(policy).expect("fixture compiles")
    })
}

fn fires(rule: &str, text: &str, created_at: Option<&str>) -> bool {
    let post = Post {
        id: "p".into(),
        author: "a".into(),
        text: text.into(),
        created_at: created_at.map(str::to_string),
        ..Post::default()
    };
    engine()
        .check(&post)
        .findings
        .iter()
        .any(|f| f.rule == rule)
}

/// Checks every row and reports all that fail at once.
fn table(rule: &str, rows: &[(&str, bool)]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter(|(text, expected)| fires(rule, text, None) != *expected)
        .map(|(text, expected)| format!("  {text:?}: expected {expected}"))
        .collect();
    assert!(wrong.is_empty(), "{rule}:\n{}", wrong.join("\n"));
}

#[test]
fn token_classes() {
    table(
        "lang.classes",
        &[
            ("I made 40% last year", true),
            ("She earned 12.5 percent", true),
            ("We made $150k on it", true),
            ("They earned 2.4 million dollars", true),
            ("I made 40 cupcakes", false),
            ("Made it to 5k steps", false),
        ],
    );
}

#[test]
fn patterns_in_phrase_lists() {
    table(
        "lang.pattern-entry",
        &[
            ("A guaranteed 9% every year", true),
            ("It's a sure thing", true),
            ("#GuaranteedReturns are not a thing", false),
            ("guaranteed fun for everyone", false),
        ],
    );
}

#[test]
fn exceptions_have_a_side_and_a_scope() {
    table(
        "lang.unless-before",
        &[
            ("With this fund you can't lose", true),
            ("You never can't lose", false),
            ("It is not risk-free", false),
            ("Risk-free investing is a myth", false),
            ("Risk-free, never a doubt", true),
            ("Risk-free returns! DM me. It's a scam, of course.", false),
        ],
    );
}

#[test]
fn context_within_sentences() {
    table(
        "lang.context",
        &[
            ("This fund doubles every year", true),
            ("Our fund is new. It doubles every year", true),
            ("The bakery doubles its bread on Fridays", false),
            (
                "Ask about the fund. Weather is nice. Traffic is bad. The bakery doubles its bread",
                false,
            ),
        ],
    );
}

#[test]
fn promotion_needs_a_cue_and_not_a_job_post() {
    table(
        "lang.promotion",
        &[
            ("I love Rocket Juice", true),
            ("Rocket Juice is in stores. Try it today", true),
            ("Use my code JUICE10 at checkout", true),
            ("Rocket Juice is hiring drivers, I love this team", false),
            ("Rocket Juice opened a new plant", false),
            ("#ad I love Rocket Juice", false),
            ("I work at Acme and I love Rocket Juice", false),
        ],
    );
}

#[test]
fn camel_case_hashtags_and_abbreviations() {
    table(
        "lang.codename",
        &[
            ("Late night on Project Lark", true),
            ("#ProjectLark ships soon", true),
            ("Proj. Lark update at 3", true),
            ("P. Lark standup moved", true),
            ("Project Iark is on track", true),
            ("Project Lark's deadline moved", true),
            ("Project Lark’s deadline moved", true),
            ("Project Larks of the meadow", false),
            ("A lark sang at dawn", false),
        ],
    );
    table(
        "lang.unless-before",
        &[("Honestly #YouCantLose with this one", true)],
    );
}

#[test]
fn announced_news_is_public_from_its_date() {
    let text = "The Beta Corp acquisition is done";
    assert!(fires("lang.deal", text, Some("2026-02-01T10:00:00Z")));
    assert!(!fires("lang.deal", text, Some("2026-03-02T10:00:00Z")));
    // Undated: nothing shows it was public.
    assert!(fires("lang.deal", text, None));
    // A deal the announcement does not name stays confidential.
    assert!(fires(
        "lang.deal",
        "The Gamma acquisition is done",
        Some("2026-03-02T10:00:00Z")
    ));
}

/// Patterns gate on literals found from a skeleton of the pattern (its lists
/// as placeholders) rather than from the expanded pattern. `lint`'s thorough
/// build parses every expanded pattern instead; both must find exactly the
/// same things on every labelled post.
#[test]
fn literal_gates_from_skeletons_find_what_full_parses_find() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/brightwater.toml");
    let fast = Engine::new(Policy::load(&path).unwrap()).unwrap();
    let (thorough, _) = Engine::new_lenient(Policy::load(&path).unwrap()).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/labelled");
    let mut files = vec![root.join("posts.jsonl")];
    for entry in std::fs::read_dir(root.join("independent")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            files.push(path);
        }
    }
    let mut posts = 0;
    for file in files {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let post = Post {
                id: value["id"].as_str().unwrap().into(),
                author: "a".into(),
                text: value["text"].as_str().unwrap().into(),
                ..Default::default()
            };
            let found = |e: &Engine| -> Vec<(String, usize, usize)> {
                e.check(&post)
                    .findings
                    .into_iter()
                    .map(|f| (f.rule, f.start, f.end))
                    .collect()
            };
            assert_eq!(found(&fast), found(&thorough), "in {}", post.id);
            posts += 1;
        }
    }
    assert!(posts > 1000, "read {posts} posts");
}
