//! One table per family of the contract's "Matching must survive how people
//! really write", run through the real engine, each checking the exact bytes found.

mod support;

use support::{check, rules, test_engine};

/// `(text, matched)`: `test.guarantee` must fire on exactly `matched`.
fn assert_guarantee(cases: &[(&str, &str)]) {
    let engine = test_engine();
    for (text, matched) in cases {
        let result = check(&engine, text);
        let f = result
            .findings
            .iter()
            .find(|f| f.rule == "test.guarantee")
            .unwrap_or_else(|| panic!("no finding in {text:?}: {:?}", result.findings));
        assert_eq!(&f.matched, matched, "in {text:?}");
        assert_eq!(&text[f.start..f.end], *matched, "offsets in {text:?}");
    }
}

fn assert_clean(rule: &str, cases: &[&str]) {
    let engine = test_engine();
    for text in cases {
        assert!(
            !rules(&engine, text).iter().any(|r| r == rule),
            "{rule} fired on {text:?}"
        );
    }
}

#[test]
fn case() {
    assert_guarantee(&[
        ("GUARANTEED RETURNS for all", "GUARANTEED RETURNS"),
        ("Guaranteed Returns!", "Guaranteed Returns"),
    ]);
}

#[test]
fn compatibility_forms() {
    assert_guarantee(&[
        (
            "ｇｕａｒａｎｔｅｅｄ returns",
            "ｇｕａｒａｎｔｅｅｄ returns",
        ),
        ("totally risk\u{2011}free", "risk\u{2011}free"),
        ("ＧＵＡＲＡＮＴＥＥＤ", "ＧＵＡＲＡＮＴＥＥＤ"),
    ]);
}

#[test]
fn invisible_characters() {
    assert_guarantee(&[
        ("guar\u{200B}anteed", "guar\u{200B}anteed"),
        ("g\u{00AD}uaranteed income", "g\u{00AD}uaranteed"),
        (
            "\u{FEFF}guaranteed\u{2060} returns",
            "guaranteed\u{2060} returns",
        ),
    ]);
}

#[test]
fn homoglyphs() {
    assert_guarantee(&[
        ("gu\u{0430}ranteed", "gu\u{0430}ranteed"), // Cyrillic а
        ("gu\u{03B1}r\u{03B1}nteed", "gu\u{03B1}r\u{03B1}nteed"), // Greek α
    ]);
    // A word wholly in another script is left alone.
    assert_clean("test.guarantee", &["гарантия"]);
}

#[test]
fn leetspeak() {
    assert_guarantee(&[
        ("guar4nteed", "guar4nteed"),
        ("gu@r@nt33d returns", "gu@r@nt33d returns"),
    ]);
    assert_clean("test.guarantee", &["covid19 guarantee", "web3"]);
}

#[test]
fn spaced_and_hyphenated_letters() {
    assert_guarantee(&[
        ("g u a r a n t e e d", "g u a r a n t e e d"),
        ("it is g-u-a-r-a-n-t-e-e-d", "g-u-a-r-a-n-t-e-e-d"),
        ("g.u.a.r.a.n.t.e.e.d!", "g.u.a.r.a.n.t.e.e.d"),
        // A one-letter word before the spaced word stays a word.
        ("a g u a r a n t e e d return", "g u a r a n t e e d"),
    ]);
}

#[test]
fn camel_case_and_squashed_hashtags() {
    assert_guarantee(&[
        ("#GuaranteedReturns", "GuaranteedReturns"),
        ("#guaranteedreturns all day", "guaranteedreturns"),
        ("#RiskFree", "RiskFree"),
    ]);
}

#[test]
fn line_breaks_and_emoji_between_words() {
    assert_guarantee(&[
        ("guaranteed\nreturns", "guaranteed\nreturns"),
        ("guaranteed 🚀🚀 returns", "guaranteed 🚀🚀 returns"),
        ("you can\u{2019}t lose", "can\u{2019}t lose"),
    ]);
}

#[test]
fn word_boundaries() {
    assert_clean(
        "test.ad-word",
        &["adorable puppy", "we made it", "#adventure time"],
    );
    assert_clean("test.cure", &["VitaLume keeps your data secure"]);
    let engine = test_engine();
    assert!(rules(&engine, "new #ad here").contains(&"test.ad-word".to_string()));
    assert!(rules(&engine, "VitaLume cures insomnia").contains(&"test.cure".to_string()));
}

#[test]
fn phrases_do_not_cross_sentences() {
    assert_clean(
        "test.guarantee",
        &[
            "Take the risk. Free coffee inside!",
            "You can't! Lose weight",
        ],
    );
    assert_guarantee(&[("Take it, risk free", "risk free")]);
}

#[test]
fn exceptions_clear_nearby_matches_only() {
    let engine = test_engine();
    let result = check(&engine, "Returns are never guaranteed.");
    assert!(result.findings.is_empty(), "{:?}", result.findings);
    assert_eq!(result.cleared[0].by, "never");
    // Too far away, or in another sentence: still a finding.
    assert!(
        rules(&engine, "Never say never. Guaranteed returns!").contains(&"test.guarantee".into())
    );
}

#[test]
fn disclosure_requirements() {
    let engine = test_engine();
    let disclosure = |text: &str| -> Vec<String> {
        rules(&engine, text)
            .into_iter()
            .filter(|r| r != "test.ad-word")
            .collect()
    };
    assert_eq!(disclosure("Try VitaLume today"), ["test.missing"]);
    assert_eq!(disclosure("Try VitaLume today #collab"), ["test.ambiguous"]);
    assert!(disclosure("#ad Try VitaLume today").is_empty());
    assert!(disclosure("I work at Brightwater and love VitaLume").is_empty());
    let long = format!(
        "Try VitaLume today. {} #ad",
        "Really good stuff. ".repeat(5)
    );
    assert_eq!(disclosure(&long), ["test.buried"]);
    assert_eq!(
        disclosure("Try VitaLume #health #sleep #ad #wellness"),
        ["test.buried"]
    );
    // Three closing hashtags are not yet a wall.
    assert!(disclosure("Try VitaLume #sleep #ad #wellness").is_empty());
    let r = check(&engine, "#ad Try VitaLume");
    assert!(r.promotional && r.disclosed);
    let r = check(&engine, "A quiet day at the beach");
    assert!(!r.promotional && !r.disclosed);
}

#[test]
fn personal_data_with_validators_and_exemptions() {
    let engine = test_engine();
    assert_eq!(rules(&engine, "mail jane.doe@gmail.com"), ["test.email"]);
    assert!(rules(&engine, "mail press@brightwater.example").is_empty());
    assert_eq!(rules(&engine, "card 4111 1111 1111 1111"), ["test.card"]);
    assert!(rules(&engine, "card 4111 1111 1111 1112").is_empty());
    // Fullwidth digits and a zero-width space do not hide a card number.
    assert_eq!(
        rules(&engine, "card ４１１１ 1111 1111 11\u{200B}11"),
        ["test.card"]
    );
}

#[test]
fn word_regexes_run_on_normalised_words() {
    let engine = test_engine();
    let r = check(&engine, "Expect 12.5%   a 🚀 YEAR!");
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "test.percent")
        .expect("percent fires");
    assert_eq!(f.matched, "12.5%   a 🚀 YEAR");
}

/// The words view itself, where a sentence ends and how a number or a link
/// reads: `(text, words view)`.
#[test]
fn sentences_amounts_and_links_in_the_words_view() {
    use postguard::normalise::Words;
    for (text, view) in [
        // a dot inside a link or a version joins, it does not end a sentence
        (
            "Harbor. Go to brightwater.example/harbor",
            "harbor\ngo to brightwater example harbor",
        ),
        ("bit.ly/3x?utm=1", "bit ly 3x utm 1"),
        // "No." answers unless a number follows
        (
            "Lose money? No. Next question.",
            "lose money\nno\nnext question",
        ),
        ("Ranked No. 1 in the state", "ranked no 1 in the state"),
        // spaced letters that end in a dot end the sentence
        ("Verluste? K e i n e. Rendite", "verluste\nkeine\nrendite"),
        // thousands separated by spaces, currency signs kept on their number
        ("50 000 € and 1 234 567 $", "50,000€ and 1,234,567"),
        ("€40 or 40 € or £15", "€40 or 40€ or £15"),
        ("in 2 0000 steps", "in 2 0000 steps"),
    ] {
        assert_eq!(Words::new(text).text, view, "in {text:?}");
    }
}
