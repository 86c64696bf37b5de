//! Every rule's own examples, under every shipped policy, and obfuscated
//! variants of every must-match example: the normaliser tested on every rule.

use postguard::finding::Severity;
use postguard::input::Post;
use postguard::matcher::Engine;
use postguard::policy::Policy;
use std::path::Path;

fn engine(policy: &str) -> Engine {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("policies")
        .join(policy);
    Engine::new(Policy::load(&path).unwrap_or_else(|e| panic!("{policy}: {e}")))
        .unwrap_or_else(|e| panic!("{policy}: {e}"))
}

fn fires(engine: &Engine, rule: &str, text: &str) -> Option<std::ops::Range<usize>> {
    let post = Post {
        id: "example".into(),
        author: "example".into(),
        text: text.into(),
        ..Post::default()
    };
    engine
        .check(&post)
        .findings
        .into_iter()
        .find(|f| f.rule == rule)
        .map(|f| f.start..f.end)
}

#[test]
fn examples_behave_as_declared_under_every_shipped_policy() {
    for policy in ["default.toml", "brightwater.toml"] {
        let engine = engine(policy);
        let (failures, ran) = engine.run_examples();
        let named: Vec<String> = failures
            .iter()
            .map(|f| {
                format!(
                    "{}: {:?} (expected match: {}, fired: {:?})",
                    f.rule, f.example, f.expected_match, f.got
                )
            })
            .collect();
        assert!(named.is_empty(), "{policy}:\n{}", named.join("\n"));
        assert!(ran >= 60, "{policy}: only {ran} examples ran");
    }
}

#[test]
fn every_rule_has_three_examples_each_way_and_cites_its_source() {
    let engine = engine("brightwater.toml");
    for rule in engine.rules() {
        let ex = &rule.def.examples;
        assert!(
            ex.must_match.len() >= 3 && ex.must_not_match.len() >= 3,
            "{} has too few examples",
            rule.id
        );
        assert!(
            rule.reference.is_some_and(|r| r.len() > 5),
            "{} cites no source",
            rule.id
        );
        assert!(
            !rule.why.is_empty() && rule.suggestion.is_some(),
            "{} lacks why or suggestion",
            rule.id
        );
    }
}

/// One obfuscation of the matched words; `None` when it does not apply.
type Obfuscation = fn(&str) -> Option<String>;

fn homoglyph(s: &str) -> Option<String> {
    let (i, c) = s
        .char_indices()
        .find(|(_, c)| matches!(c, 'a' | 'e' | 'o' | 'c' | 'p'))?;
    let cyrillic = match c {
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'c' => 'с',
        _ => 'р',
    };
    Some(format!("{}{cyrillic}{}", &s[..i], &s[i + 1..]))
}

fn zero_width(s: &str) -> Option<String> {
    let word_start = s.char_indices().find(|(_, c)| c.is_alphabetic())?.0;
    let second = s[word_start..].char_indices().nth(1)?.0 + word_start;
    s[second..]
        .starts_with(char::is_alphabetic)
        .then(|| format!("{}\u{200B}{}", &s[..second], &s[second..]))
}

fn fullwidth(s: &str) -> Option<String> {
    s.chars().any(|c| c.is_ascii_alphanumeric()).then(|| {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()
                } else {
                    c
                }
            })
            .collect()
    })
}

fn spaced_letters(s: &str) -> Option<String> {
    let word = s
        .split(' ')
        .find(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_alphabetic()))?;
    let spaced: Vec<String> = word.chars().map(String::from).collect();
    Some(s.replacen(word, &spaced.join(" "), 1))
}

fn hashtag(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 2 || !words.iter().all(|w| w.chars().all(char::is_alphabetic)) {
        return None;
    }
    let camel: String = words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    Some(format!("#{camel}"))
}

#[test]
fn obfuscated_variants_of_every_must_match_example_still_match() {
    let engine = engine("brightwater.toml");
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in engine.rules() {
        if rule.kind == "verbatim" {
            continue;
        }
        let mut families: Vec<(&str, Obfuscation)> = vec![
            ("homoglyph", homoglyph),
            ("zero-width", zero_width),
            ("fullwidth", fullwidth),
        ];
        if matches!(rule.kind, "phrases" | "near") {
            families.push(("spaced letters", spaced_letters));
        }
        if rule.kind == "phrases" {
            families.push(("hashtag", hashtag));
        }
        for example in &rule.def.examples.must_match {
            let Some(text) = engine.example_text(rule.id, example) else {
                continue;
            };
            let span = fires(&engine, rule.id, &text).expect("examples test covers this");
            for (family, obfuscate) in &families {
                let Some(variant) = obfuscate(&text[span.clone()]) else {
                    continue;
                };
                let obfuscated = format!("{}{variant}{}", &text[..span.start], &text[span.end..]);
                checked += 1;
                if fires(&engine, rule.id, &obfuscated).is_none() {
                    failures.push(format!("{} ({family}): {obfuscated:?}", rule.id));
                }
            }
        }
    }
    assert!(checked >= 150, "only {checked} variants applied");
    assert!(
        failures.is_empty(),
        "{} variants missed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A pack's examples hold whatever names the policy fills in: very short and
/// very long entity values, for every shipped pack.
#[test]
fn examples_hold_under_very_short_and_very_long_entity_names() {
    let long = |base: &str| format!("{base} International Holdings Worldwide Group");
    for (label, company, product, fund, health, codename, word) in [
        (
            "short",
            "Zo".to_string(),
            "Qi".to_string(),
            "Ax Fund".to_string(),
            "Vy".to_string(),
            "Op Ox".to_string(),
            "Wren",
        ),
        (
            "long",
            long("Northwind"),
            long("Everbright Ultra Nutrition Gummies"),
            long("Northwind Global Opportunities Fund"),
            long("Everbright Ultra Sleep"),
            long("Project Starling"),
            "Starling",
        ),
    ] {
        let toml = format!(
            r##"[policy]
name = "{label} names"
include = ["ftc", "finra", "health", "privacy", "confidential", "verbatim"]

[entities]
company = ["{company}"]
products = ["{product}", "{fund}", "{health}"]
finance_products = ["{fund}"]
health_products = ["{health}"]
tickers = ["$ZZZ"]
handles = ["@zo"]
employee_tags = ["#ZoEmployee"]
codenames = ["{codename}"]
codename_words = ["{word}"]
allowed_contacts = ["+1 800 555 0100"]
"##
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.toml");
        std::fs::write(&path, toml).unwrap();
        let (engine, problems) = Engine::new_lenient(Policy::load(&path).unwrap()).unwrap();
        // Every pattern of every pack compiles: a one-draft `check` trusts
        // the built-in patterns that open on plain words without parsing them.
        let errors: Vec<String> = problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.file.name, d.message))
            .collect();
        assert!(errors.is_empty(), "{label} names:\n{}", errors.join("\n"));
        let (failures, ran) = engine.run_examples();
        let named: Vec<String> = failures
            .iter()
            .map(|f| format!("{}: {:?} (fired: {:?})", f.rule, f.example, f.got))
            .collect();
        assert!(named.is_empty(), "{label} names:\n{}", named.join("\n"));
        assert!(ran >= 150, "{label}: only {ran} examples ran");
    }
}

/// No built-in text names the example firm: a pack is for any company.
#[test]
fn built_in_pack_texts_name_no_firm() {
    for pack in [
        "ftc",
        "finra",
        "health",
        "privacy",
        "confidential",
        "verbatim",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("rules/{pack}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        for name in [
            "Brightwater",
            "VitaLume",
            "CardioSense",
            "SleepWell",
            "Nightjar",
            "Kestrel",
        ] {
            assert!(!text.contains(name), "rules/{pack}.toml names {name}");
        }
    }
}
