//! Checksums that tell a real card number, IBAN or SSN from a run of digits.

use crate::policy::schema::Validator;

pub fn passes(validator: Validator, matched: &str) -> bool {
    match validator {
        Validator::Luhn => luhn(matched),
        Validator::Iban => iban(matched),
        Validator::Ssn => ssn(matched),
        Validator::Phone => phone(matched),
    }
}

/// A phone number, not a date, a time range or a year span that looks like
/// one: 7 to 15 digits, and not shaped like `2026-11-24`, `11/24/2026` or
/// `05.14.2026`.
pub fn phone(s: &str) -> bool {
    let d = digits(s);
    if !(7..=15).contains(&d.len()) {
        return false;
    }
    let groups: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let year = |g: &str| g.len() == 4 && (g.starts_with("19") || g.starts_with("20"));
    let day_or_month = |g: &str| {
        (1..=2).contains(&g.len()) && g.parse::<u32>().is_ok_and(|n| (1..=31).contains(&n))
    };
    let date = groups.len() == 3
        && ((year(groups[0]) && day_or_month(groups[1]) && day_or_month(groups[2]))
            || (day_or_month(groups[0]) && day_or_month(groups[1]) && year(groups[2])));
    // `2019-2024` or `2024 2025`: a span of years.
    let years = groups.len() == 2 && year(groups[0]) && year(groups[1]);
    !date && !years
}

fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// The Luhn mod-10 checksum of payment card numbers (ISO/IEC 7812).
pub fn luhn(s: &str) -> bool {
    let d = digits(s);
    if !(12..=19).contains(&d.len()) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                if x * 2 > 9 { x * 2 - 9 } else { x * 2 }
            } else {
                x
            }
        })
        .sum();
    sum % 10 == 0
}

/// The ISO 13616 mod-97 check of an IBAN.
pub fn iban(s: &str) -> bool {
    let compact: Vec<char> = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(15..=34).contains(&compact.len())
        || !compact[..2].iter().all(char::is_ascii_alphabetic)
        || !compact[2..4].iter().all(char::is_ascii_digit)
    {
        return false;
    }
    let rotated = compact[4..].iter().chain(&compact[..4]);
    let mut rem: u64 = 0;
    for c in rotated {
        let v = c.to_digit(36).unwrap_or(0) as u64;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// A US social security number in a range the SSA issues.
pub fn ssn(s: &str) -> bool {
    let d = digits(s);
    if d.len() != 9 {
        return false;
    }
    let area = d[0] * 100 + d[1] * 10 + d[2];
    let group = d[3] * 10 + d[4];
    let serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_not_dates() {
        assert!(phone("(415) 555-0142"));
        assert!(phone("+44 20 7946 0958"));
        assert!(phone("020 7946 0958"));
        assert!(!phone("2026-11-24"));
        assert!(!phone("05-14-2026"));
        assert!(!phone("2019 2024"));
        assert!(!phone("555-01"));
    }

    #[test]
    fn luhn_accepts_test_cards_and_rejects_typos() {
        assert!(luhn("4111 1111 1111 1111"));
        assert!(luhn("5500-0000-0000-0004"));
        assert!(!luhn("4111 1111 1111 1112"));
        assert!(!luhn("1234"));
    }

    #[test]
    fn iban_checks_mod_97() {
        assert!(iban("GB82 WEST 1234 5698 7654 32"));
        assert!(iban("DE89370400440532013000"));
        assert!(!iban("GB82 WEST 1234 5698 7654 33"));
        assert!(!iban("GB82"));
    }

    #[test]
    fn ssn_rejects_unissued_ranges() {
        assert!(ssn("123-45-6789"));
        assert!(!ssn("000-45-6789"));
        assert!(!ssn("666-45-6789"));
        assert!(!ssn("912-45-6789"));
        assert!(!ssn("123-00-6789"));
        assert!(!ssn("123-45-0000"));
    }
}
