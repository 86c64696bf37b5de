//! For any text, every finding points at the exact original bytes it reports.

mod support;

use proptest::prelude::*;
use support::{check, test_engine};

/// Pieces people really paste together: words, phrases the rules know,
/// emoji, invisible characters, other scripts, compatibility forms.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z]{1,8}".prop_map(|s| s),
        Just("guaranteed returns".to_string()),
        Just("g u a r a n t e e d".to_string()),
        Just("risk\u{2011}free".to_string()),
        Just("gu\u{0430}r4nteed".to_string()),
        Just("VitaLume cures".to_string()),
        Just("#ad".to_string()),
        Just("jane@example.com".to_string()),
        Just("4111 1111 1111 1111".to_string()),
        Just("12.5% a year".to_string()),
        Just("🚀".to_string()),
        Just("👩‍💻".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{00AD}".to_string()),
        Just("ｆｕｌｌ".to_string()),
        Just("ﬁne".to_string()),
        Just("日本語".to_string()),
        Just("é".to_string()),
        Just("e\u{0301}".to_string()),
        Just("İ".to_string()),
        Just(". ".to_string()),
        Just("\n".to_string()),
        Just(" ".to_string()),
        Just("-".to_string()),
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn findings_point_at_their_matched_bytes(pieces in prop::collection::vec(piece(), 0..40)) {
        let engine = test_engine();
        let text = pieces.concat();
        let result = check(&engine, &text);
        for f in &result.findings {
            prop_assert!(f.start < f.end, "empty span {:?}", f);
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            prop_assert_eq!(&text[f.start..f.end], f.matched.as_str());
            prop_assert_eq!((f.line, f.column), postguard::finding::line_column(&text, f.start));
        }
        for c in &result.cleared {
            prop_assert_eq!(&text[c.start..c.end], c.matched.as_str());
        }
    }
}
