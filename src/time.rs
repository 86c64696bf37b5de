//! Post times as exports write them: read into seconds since 1970 (to compare
//! them) and written back as RFC 3339 UTC (so every report shows one format).
//!
//! Accepted: RFC 3339 and the ISO 8601 shapes exports use (`T` or a space
//! between date and time, fractional seconds, `Z`, `UTC`, `+02:00`, `+0200`,
//! `+02`, or no zone, read as UTC), a date alone (midnight UTC), the X
//! archive's `Wed Oct 10 20:19:24 +0000 2018`, and Unix time in seconds (9
//! or 10 digits) or milliseconds (13 digits).

/// Seconds since 1970 for a timestamp in any accepted shape; `None` for anything else.
pub fn sort_key(s: &str) -> Option<i64> {
    let s = s.trim();
    iso(s).or_else(|| twitter(s)).or_else(|| unix(s))
}

/// The timestamp as RFC 3339 UTC (`2026-03-01T09:00:00Z`); `None` when its
/// shape is not one [`sort_key`] reads.
pub fn to_rfc3339_utc(s: &str) -> Option<String> {
    if is_canonical(s) {
        return Some(s.to_owned());
    }
    sort_key(s).map(format_utc)
}

/// Whether a timestamp is already what [`format_utc`] writes
/// (`2026-03-01T09:00:00Z`, a real date): such strings sort in time order as
/// they are, which spares the readers and the aggregates a parse per post.
pub fn is_canonical(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return false;
    }
    let (Some(y), Some(m), Some(d), Some(h), Some(min), Some(sec)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=month_days).contains(&d) && h <= 23 && min <= 59 && sec <= 59
}

/// Seconds since 1970 as RFC 3339 UTC (civil-from-days, no time zone data needed).
pub fn format_utc(secs: i64) -> String {
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Year, month and day of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `2026-03-01`, `2026-03-01T10:00:00Z`, `2026-03-01 10:00:00.123+0200`, ...
fn iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(s.get(0..4)?)?, num(s.get(5..7)?)?, num(s.get(8..10)?)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    let rest = s.get(10..)?;
    if rest.is_empty() {
        return Some(secs);
    }
    let rest = rest
        .strip_prefix(['T', 't', ' '])
        .filter(|r| r.len() >= 5)?;
    let (h, min) = (num(rest.get(0..2)?)?, num(rest.get(3..5)?)?);
    if rest.as_bytes()[2] != b':' {
        return None;
    }
    let mut zone = rest.get(5..)?;
    let mut sec = 0;
    if let Some(z) = zone.strip_prefix(':') {
        sec = num(z.get(0..2)?)?;
        zone = z.get(2..)?;
        if let Some(fraction) = zone.strip_prefix(['.', ',']) {
            zone = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
            if zone.len() == fraction.len() {
                return None;
            }
        }
    }
    if h > 23 || min > 59 || sec > 60 {
        return None;
    }
    secs += h * 3600 + min * 60 + sec;
    Some(secs - offset(zone.trim_start())?)
}

/// A zone's offset from UTC in seconds: empty, `Z`, `UTC`, `GMT`, `+02:00`, `+0200`, `+02`.
fn offset(zone: &str) -> Option<i64> {
    if zone.is_empty() || matches!(zone, "Z" | "z" | "UTC" | "GMT") {
        return Some(0);
    }
    let sign = match zone.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = zone[1..].chars().filter(|&c| c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (num(&digits)?, 0),
        4 => (num(&digits[0..2])?, num(&digits[2..4])?),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

/// `Wed Oct 10 20:19:24 +0000 2018`
fn twitter(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() != 6 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|&x| x == parts[1])? as i64 + 1;
    let iso_text = format!(
        "{}-{:02}-{:02}T{}{}",
        parts[5],
        m,
        num(parts[2])?,
        parts[3],
        parts[4]
    );
    iso(&iso_text)
}

/// Unix time: seconds (9 or 10 digits, 1973 to 2286) or milliseconds (13
/// digits). Shorter numbers are more likely a year or a count than a time.
fn unix(s: &str) -> Option<i64> {
    let n = num(s)?;
    match s.len() {
        9 | 10 => Some(n),
        13 => Some(n.div_euclid(1000)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{
        civil_from_days, days_from_civil, format_utc, is_canonical, sort_key, to_rfc3339_utc,
    };

    #[test]
    fn civil_days_round_trip() {
        for days in -800_000..800_000 {
            let (y, m, d) = civil_from_days(days);
            assert!((1..=12).contains(&m) && (1..=31).contains(&d), "{days}");
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_512), (2026, 2, 28));
        assert_eq!(civil_from_days(20_513), (2026, 3, 1));
    }

    #[test]
    fn orders_across_formats_and_zones() {
        let a = sort_key("2026-03-01T10:00:00Z").unwrap();
        let b = sort_key("2026-03-01T11:30:00+02:00").unwrap();
        assert!(b < a);
        assert_eq!(sort_key("Sun Mar 01 10:00:00 +0000 2026"), Some(a));
        assert_eq!(sort_key("yesterday"), None);
    }

    #[test]
    fn every_accepted_shape_reads_as_utc() {
        let utc = "2026-03-01T09:00:00Z";
        for s in [
            "2026-03-01T09:00:00Z",
            "2026-03-01T10:00:00+01:00",
            "2026-03-01T10:00:00+0100",
            "2026-03-01T10:00:00+01",
            "2026-03-01 09:00:00",
            "2026-03-01 09:00:00 UTC",
            "2026-03-01T09:00:00.250Z",
            "2026-03-01t09:00z",
            "2026-03-01T04:00:00-05:00",
            "Sun Mar 01 09:00:00 +0000 2026",
            "1772355600",
            "1772355600000",
        ] {
            assert_eq!(to_rfc3339_utc(s).as_deref(), Some(utc), "{s}");
        }
        assert_eq!(
            to_rfc3339_utc("2026-02-01").as_deref(),
            Some("2026-02-01T00:00:00Z")
        );
        for s in [
            "",
            "last week",
            "2026-13-01",
            "2026-03-01T25:00:00Z",
            "2026-03-01T09:00:00+1",
            "2026-03-01X09",
            "01/03/2026",
            "2026",
            "2026-03-0\u{e9}",
            "2026-03-01T09:00\u{e9}",
            "2026-03-01T09:00:00+1\u{e9}1",
            "2026-03-01T09:00:0\u{e9}",
        ] {
            assert_eq!(to_rfc3339_utc(s), None, "{s}");
        }
    }

    #[test]
    fn canonical_strings_are_exactly_what_the_full_parse_writes() {
        // Ends of months, leap days, and the out-of-range values the full
        // parse rolls over or refuses: the shortcut must agree on each.
        for s in [
            "2026-03-01T09:00:00Z",
            "2024-02-29T23:59:59Z",
            "2025-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-12-31T23:59:60Z",
            "2026-00-10T00:00:00Z",
            "2026-01-00T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "0000-01-01T00:00:00Z",
        ] {
            let full = sort_key(s).map(format_utc);
            assert_eq!(is_canonical(s), full.as_deref() == Some(s), "{s}");
            assert_eq!(to_rfc3339_utc(s), full, "{s}");
        }
    }

    #[test]
    fn no_text_makes_it_panic() {
        let pieces = [
            "2026",
            "-",
            "03",
            "01",
            "T",
            " ",
            ":",
            "00",
            "+",
            "Z",
            ".",
            "\u{e9}",
            "1",
            "\u{1F680}",
        ];
        // Every string of up to four pieces, alone and after a date.
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            strings = strings
                .iter()
                .flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}")))
                .collect();
            for s in &strings {
                let _ = sort_key(s);
                let _ = sort_key(&format!("2026-03-01T{s}"));
            }
        }
    }

    #[test]
    fn timestamps_convert_to_utc() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
    }
}
