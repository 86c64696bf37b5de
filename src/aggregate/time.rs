//! Post times as exports write them, made comparable.

/// A sortable key for a timestamp: seconds since 1970 for RFC 3339 and the X
/// archive's `Wed Oct 10 20:19:24 +0000 2018`; `None` for anything else.
pub fn sort_key(s: &str) -> Option<i64> {
    rfc3339(s).or_else(|| twitter(s))
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

fn rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() < 10 {
        return None;
    }
    let (y, m, d) = (num(s.get(0..4)?)?, num(s.get(5..7)?)?, num(s.get(8..10)?)?);
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(t) = s.get(11..19) {
        secs += num(&t[0..2])? * 3600 + num(&t[3..5])? * 60 + num(&t[6..8])?;
        let zone = s[19..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        if let Some(off) = zone.get(1..6).filter(|_| zone.starts_with(['+', '-'])) {
            let minutes = num(&off[0..2])? * 60 + num(&off[3..5])?;
            secs -= if zone.starts_with('+') {
                minutes * 60
            } else {
                -minutes * 60
            };
        }
    }
    Some(secs)
}

fn twitter(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() != 6 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|&x| x == parts[1])? as i64 + 1;
    let iso = format!(
        "{}-{:02}-{:02}T{}{}",
        parts[5],
        m,
        num(parts[2])?,
        parts[3],
        {
            let z = parts[4];
            format!("{}:{}", z.get(0..3)?, z.get(3..5)?)
        }
    );
    rfc3339(&iso)
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    #[test]
    fn orders_across_formats_and_zones() {
        let a = sort_key("2026-03-01T10:00:00Z").unwrap();
        let b = sort_key("2026-03-01T11:30:00+02:00").unwrap();
        assert!(b < a);
        assert_eq!(sort_key("Sun Mar 01 10:00:00 +0000 2026"), Some(a));
        assert_eq!(sort_key("yesterday"), None);
    }
}
