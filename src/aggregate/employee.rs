//! One employee's figures.

use super::time::sort_key;
use crate::finding::{Finding, Severity};
use crate::input::Post;
use crate::matcher::PostResult;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A post with findings, kept for the report (a bounded number per employee).
#[derive(Debug, Clone, Serialize)]
pub struct OffendingPost {
    pub post: Post,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EmployeeStats {
    /// Not serialised: the report names the employee once, beside the figures.
    #[serde(skip)]
    pub author: String,
    pub posts: u64,
    pub findings: u64,
    pub errors: u64,
    pub warnings: u64,
    pub infos: u64,
    pub by_category: BTreeMap<String, u64>,
    pub by_rule: BTreeMap<String, u64>,
    /// Posts that promote the company or a product (a disclosure requirement applied).
    pub promotional_posts: u64,
    /// Promotional posts that carry an accepted disclosure.
    pub disclosed_posts: u64,
    /// Posts copied from an official corporate post.
    pub verbatim_posts: u64,
    pub first_post_at: Option<String>,
    pub last_post_at: Option<String>,
    /// `first_post_at` and `last_post_at` in seconds, read once, so that
    /// each post compares with them without a parse.
    #[serde(skip)]
    pub(super) first_last_secs: (Option<i64>, Option<i64>),
    /// Offending posts kept for the report, first ones first.
    #[serde(skip)]
    pub examples: Vec<OffendingPost>,
    /// How many offending posts were not kept.
    #[serde(skip)]
    pub examples_dropped: u64,
    /// The accounts whose posts were counted here (with a roster only).
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub accounts: BTreeSet<String>,
    /// Figures per day of dated posts, for stage windows, "since when" and
    /// monthly trends.
    #[serde(skip)]
    pub days: DayLog,
}

/// Categories a day counts in place; an employee's further ones (rare) are
/// kept aside.
const INLINE_CATEGORIES: usize = 6;

/// One employee's figures per day, compact: a scan of years of posts keeps
/// an entry per employee and day (753,000 for a year of a million posts),
/// and a map of maps per day held hundreds of megabytes, which cost a third
/// of the scan's time in cache misses alone. Most days hold posts and
/// nothing else, so a day's post count takes 8 bytes and only the days
/// with something more (a finding, a promotional or copied post) take a
/// full record: the log grows with the days an archive spans at a fraction
/// of the memory.
#[derive(Debug, Clone, Default)]
pub struct DayLog {
    /// Every day with a dated post and its post count, sorted by day.
    posts: Vec<DayPosts>,
    /// The days with more than posts to count, sorted by day; their `posts`
    /// stay 0 (the count is in `posts`).
    details: Vec<Day>,
    /// Posts not yet merged into `posts` and `details`, one day each.
    /// Merged a few dozen at a time: one post to one of thousands of
    /// employees is one cache miss at this tail rather than a search
    /// through its days.
    pending: Vec<Day>,
    /// Category names, by their index in [`Day::categories`] and `extra`.
    names: Vec<Arc<str>>,
    /// Counts of the categories past the first few, by day and name index.
    extra: BTreeMap<(i32, usize), u64>,
}

/// Posts an employee's day log takes before merging them.
const PENDING_DAYS: usize = 32;

#[derive(Debug, Clone, Copy, Default)]
struct DayPosts {
    /// Days since 1970-01-01 UTC.
    day: i32,
    posts: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Day {
    /// Days since 1970-01-01 UTC.
    day: i32,
    posts: u32,
    findings: u32,
    errors: u32,
    warnings: u32,
    promotional_posts: u32,
    disclosed_posts: u32,
    verbatim_posts: u32,
    categories: [u32; INLINE_CATEGORIES],
}

impl Day {
    fn absorb(&mut self, other: &Day) {
        self.posts += other.posts;
        self.findings += other.findings;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.promotional_posts += other.promotional_posts;
        self.disclosed_posts += other.disclosed_posts;
        self.verbatim_posts += other.verbatim_posts;
        for (a, b) in self.categories.iter_mut().zip(other.categories) {
            *a += b;
        }
    }

    /// Nothing but posts counted.
    fn is_plain(&self) -> bool {
        *self
            == Day {
                day: self.day,
                posts: self.posts,
                ..Day::default()
            }
    }
}

impl DayLog {
    /// Counts a post of `day` (days since 1970-01-01 UTC).
    fn add(&mut self, day: i64, result: &PostResult) {
        let Ok(day) = i32::try_from(day) else {
            return;
        };
        if self.pending.len() == PENDING_DAYS {
            self.merge_pending();
        }
        // Many authors post once: room for one day, not the four a first
        // push makes.
        if self.pending.capacity() == 0 {
            self.pending.reserve_exact(1);
        }
        self.pending.push(Day {
            day,
            ..Day::default()
        });
        let d = self.pending.last_mut().expect("just pushed");
        d.posts += 1;
        d.promotional_posts += u32::from(result.promotional);
        d.disclosed_posts += u32::from(result.promotional && result.disclosed);
        d.verbatim_posts += u32::from(result.verbatim);
        for f in &result.findings {
            d.findings += 1;
            match f.severity {
                Severity::Error => d.errors += 1,
                Severity::Warning => d.warnings += 1,
                Severity::Info => {}
            }
            let name = match self.names.iter().position(|n| **n == *f.category) {
                Some(i) => i,
                None => {
                    self.names.push(Arc::from(f.category.as_str()));
                    self.names.len() - 1
                }
            };
            match d.categories.get_mut(name) {
                Some(n) => *n += 1,
                None => *self.extra.entry((day, name)).or_insert(0) += 1,
            }
        }
    }

    /// Sorts the pending posts into `posts` and `details`: two passes over
    /// the pending posts and one over each vector.
    fn merge_pending(&mut self) {
        self.pending.sort_unstable_by_key(|d| d.day);
        let counts = self.pending.iter().map(|d| DayPosts {
            day: d.day,
            posts: d.posts,
        });
        self.posts = merge_by_day(
            std::mem::take(&mut self.posts),
            counts,
            |d| d.day,
            |a, b| a.posts += b.posts,
        );
        let details = self
            .pending
            .iter()
            .filter(|d| !d.is_plain())
            .map(|d| Day { posts: 0, ..*d });
        self.details = merge_by_day(
            std::mem::take(&mut self.details),
            details,
            |d| d.day,
            Day::absorb,
        );
        self.pending.clear();
    }

    /// Merges the pending posts now, so that reading the log copies nothing.
    pub fn settle(&mut self) {
        if !self.pending.is_empty() {
            self.merge_pending();
        }
    }

    /// The log with every post merged in (a copy only if not settled).
    fn settled(&self) -> std::borrow::Cow<'_, DayLog> {
        if self.pending.is_empty() {
            std::borrow::Cow::Borrowed(self)
        } else {
            let mut all = self.clone();
            all.merge_pending();
            std::borrow::Cow::Owned(all)
        }
    }

    /// Days with dated posts.
    pub fn len(&self) -> usize {
        self.settled().posts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty() && self.pending.is_empty()
    }

    /// The last day with a dated post.
    pub fn last_day(&self) -> Option<i64> {
        let last = self.posts.last().map(|d| d.day);
        let pending = self.pending.iter().map(|d| d.day).max();
        last.max(pending).map(i64::from)
    }

    /// Each day and its figures, in order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, Figures)> + '_ {
        let log = self.settled();
        let mut details = 0;
        (0..log.posts.len()).map(move |i| {
            let DayPosts { day, posts } = log.posts[i];
            let d = match log.details.get(details) {
                Some(d) if d.day == day => {
                    details += 1;
                    *d
                }
                _ => Day::default(),
            };
            let mut by_category = CategoryCounts::default();
            for (i, name) in log.names.iter().enumerate() {
                let n = match d.categories.get(i) {
                    Some(n) => u64::from(*n),
                    None => log.extra.get(&(day, i)).copied().unwrap_or(0),
                };
                if n > 0 {
                    by_category.bump(name, n);
                }
            }
            let figures = Figures {
                posts: posts.into(),
                findings: d.findings.into(),
                errors: d.errors.into(),
                warnings: d.warnings.into(),
                promotional_posts: d.promotional_posts.into(),
                disclosed_posts: d.disclosed_posts.into(),
                verbatim_posts: d.verbatim_posts.into(),
                by_category,
            };
            (i64::from(day), figures)
        })
    }
}

/// `old` (sorted, a day at most once) with `new` (sorted by day) summed in,
/// in a vector of exactly the days either holds: employees are many, and slack
/// in each one's days would be most of the log.
fn merge_by_day<T: Copy>(
    old: Vec<T>,
    new: impl Iterator<Item = T> + Clone,
    day: impl Fn(&T) -> i32,
    absorb: impl Fn(&mut T, &T),
) -> Vec<T> {
    let mut added = 0;
    let mut at = 0;
    let mut last = None;
    for n in new.clone() {
        let d = day(&n);
        if last == Some(d) {
            continue;
        }
        last = Some(d);
        while old.get(at).is_some_and(|o| day(o) < d) {
            at += 1;
        }
        if old.get(at).is_none_or(|o| day(o) != d) {
            added += 1;
        }
    }
    if added == 0 {
        // Every day is there already: sum in place.
        let mut old = old;
        let mut at = 0;
        for n in new {
            while day(&old[at]) < day(&n) {
                at += 1;
            }
            absorb(&mut old[at], &n);
        }
        return old;
    }
    let mut merged = Vec::with_capacity(old.len() + added);
    let mut old = old.into_iter().peekable();
    for n in new {
        while let Some(o) = old.next_if(|o| day(o) < day(&n)) {
            merged.push(o);
        }
        match merged.last_mut().filter(|m| day(m) == day(&n)) {
            Some(m) => absorb(m, &n),
            None => match old.next_if(|o| day(o) == day(&n)) {
                Some(mut o) => {
                    absorb(&mut o, &n);
                    merged.push(o);
                }
                None => merged.push(n),
            },
        }
    }
    merged.extend(old);
    merged
}

/// Findings per category, sorted by name; the names are shared, not copied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryCounts(Vec<(Arc<str>, u64)>);

impl CategoryCounts {
    pub fn bump(&mut self, name: &Arc<str>, n: u64) {
        match self.0.binary_search_by(|(c, _)| (**c).cmp(&**name)) {
            Ok(i) => self.0[i].1 += n,
            Err(i) => self.0.insert(i, (Arc::clone(name), n)),
        }
    }

    fn take(&mut self, name: &str, n: u64) {
        if let Ok(i) = self.0.binary_search_by(|(c, _)| (**c).cmp(name)) {
            self.0[i].1 -= n;
        }
    }

    /// Each category and its count, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(c, n)| (&**c, *n))
    }
}

/// The figures the stage criteria read, for one day or a span of days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub posts: u64,
    pub findings: u64,
    pub errors: u64,
    pub warnings: u64,
    pub promotional_posts: u64,
    pub disclosed_posts: u64,
    pub verbatim_posts: u64,
    pub by_category: CategoryCounts,
}

impl Figures {
    pub fn add(&mut self, other: &Figures) {
        self.posts += other.posts;
        self.findings += other.findings;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.promotional_posts += other.promotional_posts;
        self.disclosed_posts += other.disclosed_posts;
        self.verbatim_posts += other.verbatim_posts;
        for (c, n) in &other.by_category.0 {
            self.by_category.bump(c, *n);
        }
    }

    pub fn sub(&mut self, other: &Figures) {
        self.posts -= other.posts;
        self.findings -= other.findings;
        self.errors -= other.errors;
        self.warnings -= other.warnings;
        self.promotional_posts -= other.promotional_posts;
        self.disclosed_posts -= other.disclosed_posts;
        self.verbatim_posts -= other.verbatim_posts;
        for (c, n) in other.by_category.iter() {
            self.by_category.take(c, n);
        }
    }

    /// An employee's figures as stats the stage criteria can read.
    pub fn as_stats(&self, author: &str) -> EmployeeStats {
        EmployeeStats {
            posts: self.posts,
            findings: self.findings,
            errors: self.errors,
            warnings: self.warnings,
            promotional_posts: self.promotional_posts,
            disclosed_posts: self.disclosed_posts,
            verbatim_posts: self.verbatim_posts,
            by_category: self
                .by_category
                .iter()
                .map(|(c, n)| (c.to_string(), n))
                .collect(),
            ..EmployeeStats::new(author)
        }
    }
}

impl EmployeeStats {
    pub fn new(author: &str) -> Self {
        EmployeeStats {
            author: author.to_string(),
            ..EmployeeStats::default()
        }
    }

    pub fn add(&mut self, post: &Post, result: &PostResult, keep_examples: usize) {
        self.posts += 1;
        for f in &result.findings {
            self.findings += 1;
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            count(&mut self.by_category, &f.category);
            count(&mut self.by_rule, &f.rule);
        }
        self.promotional_posts += u64::from(result.promotional);
        self.disclosed_posts += u64::from(result.promotional && result.disclosed);
        self.verbatim_posts += u64::from(result.verbatim);
        if let Some(at) = &post.created_at {
            let secs = sort_key(at);
            if let Some(secs) = secs {
                self.days.add(secs.div_euclid(86_400), result);
            }
            let (first, last) = self.first_last_secs;
            if earlier(
                (at, secs),
                self.first_post_at.as_deref().map(|f| (f, first)),
            ) {
                self.first_post_at = Some(at.clone());
                self.first_last_secs.0 = secs;
            }
            if later((at, secs), self.last_post_at.as_deref().map(|l| (l, last))) {
                self.last_post_at = Some(at.clone());
                self.first_last_secs.1 = secs;
            }
        }
        if !result.findings.is_empty() {
            if self.examples.len() < keep_examples {
                self.examples.push(OffendingPost {
                    post: post.clone(),
                    findings: result.findings.clone(),
                });
            } else {
                self.examples_dropped += 1;
            }
        }
    }

    /// The figures the stage criteria read, without the kept posts.
    pub fn clone_figures(&self) -> EmployeeStats {
        EmployeeStats {
            posts: self.posts,
            findings: self.findings,
            errors: self.errors,
            warnings: self.warnings,
            infos: self.infos,
            promotional_posts: self.promotional_posts,
            disclosed_posts: self.disclosed_posts,
            verbatim_posts: self.verbatim_posts,
            by_category: self.by_category.clone(),
            ..EmployeeStats::new(&self.author)
        }
    }

    /// Share of promotional posts that carry a disclosure; `None` without promotional posts.
    pub fn disclosure_rate(&self) -> Option<f64> {
        (self.promotional_posts > 0)
            .then(|| self.disclosed_posts as f64 / self.promotional_posts as f64)
    }

    /// Share of posts copied verbatim from corporate posts.
    pub fn verbatim_share(&self) -> f64 {
        if self.posts == 0 {
            0.0
        } else {
            self.verbatim_posts as f64 / self.posts as f64
        }
    }

    /// The rules that fired most, most first (ties by id).
    pub fn top_rules(&self, n: usize) -> Vec<(&str, u64)> {
        let mut rules: Vec<(&str, u64)> =
            self.by_rule.iter().map(|(r, c)| (r.as_str(), *c)).collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rules.truncate(n);
        rules
    }
}

/// A post time and its [`sort_key`].
type Time<'a> = (&'a str, Option<i64>);

/// In time order when both times read, else as text.
fn compare(a: Time, b: Time) -> std::cmp::Ordering {
    match (a.1, b.1) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.0.cmp(b.0),
    }
}

fn earlier(a: Time, than: Option<Time>) -> bool {
    than.is_none_or(|b| compare(a, b).is_lt())
}

fn later(a: Time, than: Option<Time>) -> bool {
    than.is_none_or(|b| compare(a, b).is_gt())
}

/// Days since 1970-01-01 UTC of a post time.
pub fn day_of(at: &str) -> Option<i64> {
    sort_key(at).map(|secs| secs.div_euclid(86_400))
}
/// Adds one to `key`, allocating its name only the first time.
fn count(map: &mut BTreeMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;

    fn result(categories: &[&str], severity: Severity, promotional: bool) -> PostResult {
        PostResult {
            findings: categories
                .iter()
                .map(|c| Finding {
                    category: c.to_string(),
                    severity,
                    ..Finding::in_text("x", 0..1, "p", "a")
                })
                .collect(),
            promotional,
            ..PostResult::default()
        }
    }

    /// Times in every shape the readers accept compare as times, each read
    /// once and kept in step with the text they came from; a time that does
    /// not read compares as text.
    #[test]
    fn first_and_last_post_times_compare_as_times_in_any_shape() {
        let run = |times: &[&str]| {
            let mut stats = EmployeeStats::new("ana");
            for at in times {
                let post = Post {
                    id: at.to_string(),
                    created_at: Some(at.to_string()),
                    ..Post::default()
                };
                stats.add(&post, &PostResult::default(), 0);
                let read = |t: &Option<String>| t.as_deref().and_then(sort_key);
                assert_eq!(
                    stats.first_last_secs,
                    (read(&stats.first_post_at), read(&stats.last_post_at)),
                    "after {at}"
                );
            }
            (stats.first_post_at.unwrap(), stats.last_post_at.unwrap())
        };
        // 08:30+02:00 is 06:30 UTC; 1772352000 is 2026-03-01T08:00:00Z.
        let times = [
            "2026-03-01T09:00:00Z",
            "2026-03-01T08:30:00+02:00",
            "1772352000",
            "Sun Mar 01 07:00:00 +0000 2026",
            "2026-03-02",
            "2026-02-28T23:59:59Z",
        ];
        assert_eq!(
            run(&times),
            ("2026-02-28T23:59:59Z".into(), "2026-03-02".into())
        );
        // A tie keeps the first spelling seen.
        assert_eq!(
            run(&["2026-03-01T09:00:00Z", "1772355600"]),
            ("2026-03-01T09:00:00Z".into(), "2026-03-01T09:00:00Z".into())
        );
        // Text that reads as no time compares as text, with any time.
        assert_eq!(
            run(&["yesterday", "2026-03-01T09:00:00Z", "last week"]),
            ("2026-03-01T09:00:00Z".into(), "yesterday".into())
        );
    }

    /// Days arrive out of order and past the pending buffer, with more
    /// categories than a day holds in place: the log sums them as a map of
    /// day to figures would.
    #[test]
    fn day_log_sums_posts_per_day_in_any_order() {
        let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let mut log = DayLog::default();
        let mut want: BTreeMap<i64, (u64, u64, u64, BTreeMap<String, u64>)> = BTreeMap::new();
        for i in 0..500u64 {
            let day = ((i * 7919) % 97) as i64 - 20;
            let cats: Vec<&str> = (0..i % 4).map(|k| names[((i + k) % 8) as usize]).collect();
            let severity = if i % 3 == 0 {
                Severity::Error
            } else {
                Severity::Warning
            };
            log.add(day, &result(&cats, severity, i % 5 == 0));
            let w = want.entry(day).or_default();
            w.0 += 1;
            w.1 += cats.len() as u64 * u64::from(severity == Severity::Error);
            w.2 += u64::from(i % 5 == 0);
            for c in cats {
                *w.3.entry(c.to_string()).or_insert(0) += 1;
            }
        }
        let got: Vec<(i64, Figures)> = log.iter().collect();
        assert_eq!(got.len(), want.len());
        assert_eq!(log.len(), want.len());
        assert_eq!(log.last_day(), want.keys().next_back().copied());
        for ((day, f), (want_day, w)) in got.iter().zip(&want) {
            assert_eq!(day, want_day);
            assert_eq!((f.posts, f.errors, f.promotional_posts), (w.0, w.1, w.2));
            let cats: BTreeMap<String, u64> = f
                .by_category
                .iter()
                .map(|(c, n)| (c.to_string(), n))
                .collect();
            assert_eq!(cats, w.3, "day {day}");
        }
    }

    /// Days with posts alone keep a count; days with more keep their
    /// figures too. Either kind may come first for a day, a merge may add
    /// no new day (summed in place) or new days on both sides, and the log
    /// reads the same before and after it settles.
    #[test]
    fn plain_and_detailed_days_read_as_one_log() {
        let mut log = DayLog::default();
        type Want = BTreeMap<i64, (u64, u64, u64, u64)>;
        let mut want: Want = BTreeMap::new();
        let check = |log: &DayLog, want: &Want, phase: &str| {
            let got: Want = log
                .iter()
                .map(|(day, f)| {
                    let figures = (f.posts, f.findings, f.promotional_posts, f.verbatim_posts);
                    (day, figures)
                })
                .collect();
            assert_eq!(&got, want, "{phase}");
            assert_eq!(log.len(), want.len(), "{phase}");
            assert_eq!(log.last_day(), want.keys().next_back().copied(), "{phase}");
        };
        let post = |log: &mut DayLog, want: &mut Want, day: i64, i: u64| {
            let finding = i % 3 == 0;
            let verbatim = i % 5 == 0;
            let promotional = i % 7 == 0;
            let cats: &[&str] = if finding { &["x"] } else { &[] };
            let r = PostResult {
                verbatim,
                ..result(cats, Severity::Warning, promotional)
            };
            log.add(day, &r);
            let w = want.entry(day).or_default();
            w.0 += 1;
            w.1 += u64::from(finding);
            w.2 += u64::from(promotional);
            w.3 += u64::from(verbatim);
        };
        // Numbers that are no multiple of 3, 5 or 7: posts with nothing found.
        let plain = [
            1u64, 2, 4, 8, 11, 13, 16, 17, 19, 22, 23, 26, 29, 31, 32, 34, 37, 38,
        ];
        for (k, i) in plain.iter().cycle().take(40).enumerate() {
            post(&mut log, &mut want, (k % 10) as i64, *i);
        }
        check(&log, &want, "plain days");
        // The same days again, some with findings: no new day.
        for i in 0..64u64 {
            post(&mut log, &mut want, (i % 10) as i64, i);
        }
        check(&log, &want, "same days, details added");
        // New days before, between and after, plain and detailed.
        for i in 0..100u64 {
            let day = [-7, 3, 25, 12, 40, -1][(i % 6) as usize];
            post(&mut log, &mut want, day, i);
        }
        check(&log, &want, "new days");
        // And new days with posts alone, among the others.
        for (k, i) in plain.iter().take(9).enumerate() {
            post(&mut log, &mut want, [-12, 18, 50][k % 3], *i);
        }
        check(&log, &want, "new plain days");
        log.settle();
        check(&log, &want, "settled");
        assert!(log.details.iter().all(|d| !d.is_plain() && d.posts == 0));
        // Only the days with more than posts keep a full record.
        let detailed = want.values().filter(|w| w.1 + w.2 + w.3 > 0).count();
        assert_eq!(log.details.len(), detailed);
        assert!(detailed < want.len(), "some days hold posts alone");
    }
}
