//! The maturity model: the highest stage whose criteria an employee meets,
//! what keeps them from the next one, and since when they hold their stage.

use super::EmployeeStats;
use super::employee::Figures;
use crate::policy::schema::StageDef;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageAssessment {
    /// 1-based stage number.
    pub stage: usize,
    pub name: String,
    /// The next stage, if there is one.
    pub next: Option<String>,
    /// Each unmet criterion of the next stage, in words.
    pub blocked_by: Vec<String>,
    /// The day (YYYY-MM-DD) from which the employee has held this stage
    /// without a break, judged from their dated posts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

/// What the stage criteria read besides the employee's totals.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageContext {
    /// The last day of the period (days since 1970-01-01): windows end here.
    pub end_day: Option<i64>,
    /// The day the roster says the employee completed training, if it does.
    pub trained_day: Option<i64>,
    /// Whether a roster was given (without one, no training is on record).
    pub roster: bool,
}

/// An employee's dated figures as running totals, to sum any span of days at once.
struct History {
    days: Vec<i64>,
    cumulative: Vec<Figures>,
}

impl History {
    fn new(s: &EmployeeStats) -> History {
        let mut days = Vec::with_capacity(s.days.len());
        let mut cumulative: Vec<Figures> = Vec::with_capacity(s.days.len());
        for (day, f) in s.days.iter() {
            let mut total = cumulative.last().cloned().unwrap_or_default();
            total.add(&f);
            days.push(day);
            cumulative.push(total);
        }
        History { days, cumulative }
    }

    /// The figures of the days up to `day` inclusive.
    fn through(&self, day: i64) -> Figures {
        match self.days.partition_point(|d| *d <= day) {
            0 => Figures::default(),
            n => self.cumulative[n - 1].clone(),
        }
    }

    /// The figures of the days in `(after, through]`.
    fn span(&self, after: i64, through: i64) -> Figures {
        let mut total = self.through(through);
        total.sub(&self.through(after));
        total
    }
}

/// Stages are climbed in order: an employee is at stage k when the criteria of
/// stages 1..=k all hold. The first stage is the floor even if its own criteria fail.
pub fn assess(stages: &[StageDef], s: &EmployeeStats, ctx: &StageContext) -> StageAssessment {
    let history = History::new(s);
    let mut a = assess_with(stages, ctx, true, |window| match (window, ctx.end_day) {
        (Some(days), Some(end)) => history.span(end - i64::from(days), end).as_stats(&s.author),
        _ => s.clone_figures(),
    });
    a.since = since(stages, s, ctx, &history, a.stage);
    a
}

/// The first day of the last unbroken run at `stage`, looking at every day
/// the outcome can change: a post, a window letting a post go, training.
fn since(
    stages: &[StageDef],
    s: &EmployeeStats,
    ctx: &StageContext,
    history: &History,
    stage: usize,
) -> Option<String> {
    let end = ctx.end_day?;
    let first = *history.days.first()?;
    let mut points: Vec<i64> = history.days.clone();
    for w in stages.iter().filter_map(|st| st.window_days) {
        points.extend(history.days.iter().map(|d| d + i64::from(w)));
    }
    points.extend(ctx.trained_day);
    points.retain(|d| *d >= first && *d <= end);
    points.sort_unstable();
    points.dedup();
    let mut held_from = None;
    for day in points {
        let at = StageContext {
            end_day: Some(day),
            trained_day: ctx.trained_day.filter(|t| *t <= day),
            roster: ctx.roster,
        };
        let a = assess_with(stages, &at, false, |window| match window {
            Some(w) => history.span(day - i64::from(w), day).as_stats(&s.author),
            None => history.through(day).as_stats(&s.author),
        });
        if a.stage == stage {
            held_from.get_or_insert(day);
        } else {
            held_from = None;
        }
    }
    held_from.map(|d| crate::time::format_utc(d * 86_400)[..10].to_string())
}

fn assess_with(
    stages: &[StageDef],
    ctx: &StageContext,
    explain: bool,
    figures: impl Fn(Option<u32>) -> EmployeeStats,
) -> StageAssessment {
    let mut reached = 0;
    let mut blocked_by = Vec::new();
    for (i, stage) in stages.iter().enumerate() {
        let unmet = unmet(stage, &figures(stage.window_days), ctx, explain);
        if unmet.is_empty() {
            reached = i;
            continue;
        }
        // Failing even the first stage leaves the employee there, blocked by its criteria.
        blocked_by = unmet;
        break;
    }
    let next = stages.get(reached + 1).map(|n| n.name.clone());
    if next.is_none() {
        blocked_by.clear();
    }
    StageAssessment {
        stage: reached + 1,
        name: stages
            .get(reached)
            .map_or_else(|| "Unstaged".to_string(), |s| s.name.clone()),
        next,
        blocked_by,
        since: None,
    }
}

fn count(n: u64, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The criteria of `stage` that `s` does not meet, as readable reasons.
/// Without `explain`, each reason is left empty: `since` asks only whether
/// any criterion fails, at hundreds of days per employee.
fn unmet(stage: &StageDef, s: &EmployeeStats, ctx: &StageContext, explain: bool) -> Vec<String> {
    let name = &stage.name;
    let within = match stage.window_days {
        Some(d) if explain => format!(" in the last {d} days"),
        _ => String::new(),
    };
    let mut out = Vec::new();
    let mut fail = |reason: &dyn Fn() -> String| {
        out.push(if explain { reason() } else { String::new() });
    };
    if let Some(min) = stage.min_posts
        && s.posts < min
    {
        fail(&|| {
            format!(
                "{} scanned{within} (\"{name}\" needs at least {min})",
                count(s.posts, "post")
            )
        });
    }
    if let Some(max) = stage.max_errors
        && s.errors > max
    {
        fail(&|| {
            format!(
                "{}{within} (\"{name}\" allows {max})",
                count(s.errors, "error finding")
            )
        });
    }
    if let Some(max) = stage.max_warnings
        && s.warnings > max
    {
        fail(&|| {
            format!(
                "{}{within} (\"{name}\" allows {max})",
                count(s.warnings, "warning finding")
            )
        });
    }
    if let Some(min) = stage.min_disclosure_rate
        && let Some(rate) = s.disclosure_rate()
        && rate < min
    {
        fail(&|| {
            format!(
                "disclosure rate {} on {}{within} (\"{name}\" needs {})",
                percent(rate),
                count(s.promotional_posts, "promotional post"),
                percent(min)
            )
        });
    }
    if let Some(max) = stage.max_verbatim_share
        && s.verbatim_share() > max
    {
        fail(&|| {
            format!(
                "{} of posts{within} copied from corporate posts (\"{name}\" allows {})",
                percent(s.verbatim_share()),
                percent(max)
            )
        });
    }
    for (category, max) in &stage.max_category {
        let n = s.by_category.get(category).copied().unwrap_or(0);
        if n > *max {
            fail(&|| {
                format!(
                    "{}{within} (\"{name}\" allows {max})",
                    count(n, &format!("{category} finding"))
                )
            });
        }
    }
    if stage.requires_training && ctx.trained_day.is_none() {
        fail(&|| {
            if ctx.roster {
                format!("no social media training on the roster (\"{name}\" requires it)")
            } else {
                format!("no training on record: \"{name}\" requires it (scan with --roster)")
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn stages() -> Vec<StageDef> {
        let stage = |name: &str| StageDef {
            name: name.into(),
            description: String::new(),
            min_posts: None,
            max_errors: None,
            max_warnings: None,
            min_disclosure_rate: None,
            max_verbatim_share: None,
            max_category: BTreeMap::new(),
            window_days: None,
            requires_training: false,
        };
        vec![
            stage("Random Acts of Social"),
            StageDef {
                min_posts: Some(1),
                max_errors: Some(0),
                min_disclosure_rate: Some(1.0),
                max_category: [("privacy".to_string(), 0)].into(),
                ..stage("Policy")
            },
            StageDef {
                min_posts: Some(5),
                max_verbatim_share: Some(0.2),
                ..stage("Own Voice")
            },
        ]
    }

    fn stats(posts: u64, errors: u64, promo: u64, disclosed: u64, verbatim: u64) -> EmployeeStats {
        EmployeeStats {
            posts,
            errors,
            promotional_posts: promo,
            disclosed_posts: disclosed,
            verbatim_posts: verbatim,
            ..EmployeeStats::new("a")
        }
    }

    #[test]
    fn clean_regular_poster_reaches_the_top() {
        let a = assess(&stages(), &stats(6, 0, 2, 2, 1), &StageContext::default());
        assert_eq!((a.stage, a.name.as_str(), a.next), (3, "Own Voice", None));
        assert!(a.blocked_by.is_empty());
    }

    #[test]
    fn errors_and_undisclosed_promotion_keep_stage_one_with_reasons() {
        let a = assess(&stages(), &stats(4, 2, 2, 1, 0), &StageContext::default());
        assert_eq!(a.stage, 1);
        assert_eq!(a.next.as_deref(), Some("Policy"));
        assert_eq!(
            a.blocked_by,
            vec![
                "2 error findings (\"Policy\" allows 0)".to_string(),
                "disclosure rate 50% on 2 promotional posts (\"Policy\" needs 100%)".to_string(),
            ]
        );
    }

    #[test]
    fn copying_corporate_posts_stops_at_policy() {
        let a = assess(&stages(), &stats(10, 0, 0, 0, 5), &StageContext::default());
        assert_eq!(a.stage, 2);
        assert_eq!(
            a.blocked_by,
            vec!["50% of posts copied from corporate posts (\"Own Voice\" allows 20%)".to_string()]
        );
    }

    #[test]
    fn no_promotional_posts_passes_the_disclosure_criterion() {
        assert_eq!(
            assess(&stages(), &stats(1, 0, 0, 0, 0), &StageContext::default()).stage,
            2
        );
    }

    #[test]
    fn a_later_stage_needs_every_earlier_one() {
        // Meets stage 3's own criteria but not stage 2's.
        let mut s = stats(9, 1, 0, 0, 0);
        s.by_category.insert("privacy".into(), 1);
        let a = assess(&stages(), &s, &StageContext::default());
        assert_eq!(a.stage, 1);
        assert!(a.blocked_by.iter().any(|r| r.contains("privacy")));
    }
}
