//! `report.html`: one self-contained page (inline CSS, SVG and a few lines of
//! script, no external resource), every piece of post text escaped.

use super::{RunInfo, safe_file_name};
use crate::aggregate::{Aggregator, EmployeeStats, OffendingPost, OrgSummary};
use crate::finding::Severity;
use std::fmt::{self, Write};
use std::io;

/// Text safe inside HTML or XML elements and quoted attributes. Control
/// characters other than tab and line breaks are dropped: XML 1.0 forbids them.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2433;background:#f6f7fb}
header{background:#13315c;color:#fff;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px}
main{padding:20px 32px;max-width:1200px}section{background:#fff;border-radius:8px;padding:16px 20px;margin:0 0 18px;box-shadow:0 1px 3px #0002}
.cards{display:flex;gap:14px;flex-wrap:wrap}.card{background:#fff;border-radius:8px;padding:12px 18px;min-width:120px;box-shadow:0 1px 3px #0002}
.card b{display:block;font-size:24px}.charts{display:flex;gap:18px;flex-wrap:wrap}.charts section{flex:1;min-width:340px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e6ee;vertical-align:top}
th{cursor:pointer;user-select:none;background:#eef1f7}th:after{content:' \\2195';color:#99a}
td.n{text-align:right;font-variant-numeric:tabular-nums}mark{background:#ffe08a;border-bottom:2px solid #d9480f;padding:0 1px}
.post{white-space:pre-wrap;background:#f8f9fc;border-left:3px solid #d9480f;padding:8px 10px;margin:8px 0}
.error{color:#c92a2a}.good{color:#2b8a3e}.warning{color:#b35c00}.info{color:#1864ab}details{margin:6px 0}summary{cursor:pointer;font-weight:600}
.muted{color:#667}.ref{display:block;font-size:13px;color:#556}.filters{position:sticky;top:0;z-index:2}.filters label{margin:0 8px}ol.legend li{margin:4px 0}.hidden{display:none}header .meta{font-size:13px;opacity:.85}ul.f{margin:4px 0 12px;padding-left:20px}";

const SCRIPT: &str = "
document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){
var t=th.closest('table'),b=t.tBodies[0],rows=Array.from(b.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
rows.sort(function(x,y){var a=x.cells[i].dataset.v||x.cells[i].textContent,c=y.cells[i].dataset.v||y.cells[i].textContent;
var na=parseFloat(a),nc=parseFloat(c);var r=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c);return asc?r:-r;});
rows.forEach(function(r){b.appendChild(r);});});});
(function(){var ids=['f-stage','f-team','f-cat','f-rule','f-q'],els=ids.map(function(i){return document.getElementById(i);});
var items=Array.from(document.querySelectorAll('[data-stage]'));function apply(){
var v=els.map(function(e){return e?e.value.trim().toLowerCase():'';}),n=0;
items.forEach(function(it){var d=it.dataset,ok=(!v[0]||d.stage===v[0])&&(!v[1]||d.team.toLowerCase()===v[1])
&&(!v[2]||d.cats.indexOf(' '+v[2]+' ')>=0)&&(!v[3]||d.rules.indexOf(' '+v[3]+' ')>=0)&&(!v[4]||d.q.indexOf(v[4])>=0);
it.classList.toggle('hidden',!ok);if(ok&&it.tagName==='TR')n++;});
var c=document.getElementById('f-count');if(c)c.textContent=n+' employees shown';}
els.forEach(function(e){if(e)e.addEventListener(e.tagName==='INPUT'?'input':'change',apply);});apply();})();";

/// The page is written straight to its file as it is made: for thousands of
/// employees it runs to tens of megabytes, which need not sit in memory.
pub struct Page<'a> {
    out: &'a mut dyn io::Write,
    error: Option<io::Error>,
}

impl Page<'_> {
    fn push_str(&mut self, s: &str) {
        let _ = fmt::Write::write_str(self, s);
    }
}

impl fmt::Write for Page<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.error.is_some() {
            return Err(fmt::Error);
        }
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            fmt::Error
        })
    }
}

pub fn render(
    out: &mut dyn io::Write,
    run: &RunInfo<'_>,
    agg: &Aggregator,
    org: &OrgSummary,
) -> io::Result<()> {
    let mut page = Page { out, error: None };
    let h = &mut page;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>postguard report</title><style>{STYLE}</style></head><body>\
         <header><h1>Social media policy report</h1><div>{} · {} input{} · period {}</div>\
         <div class=\"meta\">generated {} by postguard {} · policy hash <code>{}</code></div></header><main>",
        escape(run.policy),
        run.inputs.len(),
        if run.inputs.len() == 1 { "" } else { "s" },
        escape(&run.meta.period()),
        escape(&run.meta.generated_at),
        escape(run.meta.postguard_version),
        escape(&run.meta.policy_hash)
    );
    if let Some(p) = run.progress {
        progress(h, p);
    }
    cards(h, org);
    h.push_str("<div class=\"charts\"><section><h2>Employees by stage</h2>");
    let stage_bars: Vec<(String, u64)> = org
        .stage_names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            (
                format!("{}. {n}", i + 1),
                org.stage_counts.get(i).copied().unwrap_or(0),
            )
        })
        .collect();
    bar_chart(h, "Employees by stage", &stage_bars, "#2f6fb0");
    h.push_str("</section><section><h2>Findings by category</h2>");
    let cats: Vec<(String, u64)> = org
        .by_category
        .iter()
        .map(|(c, n)| (c.clone(), *n))
        .collect();
    bar_chart(h, "Findings by category", &cats, "#d9480f");
    h.push_str("</section></div>");
    stage_legend(h, run, org);
    trends(h, org);
    if run.roster.is_some() {
        unregistered(h, agg);
        rollups(h, org);
    }
    let shown = worst(agg, org, run.html_employees);
    filters(h, run, agg, org);
    employee_table(h, run, agg, org, &shown);
    employee_details(h, run, agg, org, &shown);
    not_shown(h, run, agg, org, &shown);
    rules_fired(h, run, org);
    if org.omitted.findings > 0 {
        let _ = write!(
            h,
            "<section><h2>Findings not listed</h2><p>… and {} more findings in {} posts with more than the per-post cap (--max-findings-per-post) are counted here only:</p><ul>",
            org.omitted.findings, org.omitted.posts
        );
        for id in &org.omitted.first {
            let _ = write!(h, "<li>{}</li>", escape(id));
        }
        h.push_str("</ul></section>");
    }
    if org.bad_records.count > 0 {
        let _ = write!(
            h,
            "<section><h2>Skipped records ({})</h2><ul>",
            org.bad_records.count
        );
        for b in &org.bad_records.first {
            let _ = write!(h, "<li>{}</li>", escape(&b.to_string()));
        }
        h.push_str("</ul></section>");
    }
    let _ = writeln!(h, "</main><script>{SCRIPT}</script></body></html>");
    match page.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn cards(h: &mut Page<'_>, org: &OrgSummary) {
    let rate = if org.promotional_posts == 0 {
        "n/a".to_string()
    } else {
        format!(
            "{:.0}%",
            100.0 * org.disclosed_posts as f64 / org.promotional_posts as f64
        )
    };
    h.push_str("<section class=\"cards\">");
    for (label, value) in [
        ("posts", org.posts.to_string()),
        ("employees", org.employees.to_string()),
        ("findings", org.findings.to_string()),
        (
            "errors",
            org.by_severity
                .get("error")
                .copied()
                .unwrap_or(0)
                .to_string(),
        ),
        ("promotions disclosed", rate),
        ("verbatim reposts", org.verbatim_posts.to_string()),
        ("skipped records", org.bad_records.count.to_string()),
    ] {
        let _ = write!(
            h,
            "<div class=\"card\"><b>{}</b>{}</div>",
            escape(&value),
            escape(label)
        );
    }
    h.push_str("</section>");
}

/// A horizontal bar chart as inline SVG.
fn bar_chart(h: &mut Page<'_>, title: &str, bars: &[(String, u64)], color: &str) {
    if bars.is_empty() {
        h.push_str("<p class=\"muted\">Nothing to show.</p>");
        return;
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row) = (190.0, 260.0, 28.0);
    let height = row * bars.len() as f64 + 8.0;
    let _ = write!(
        h,
        "<svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        escape(title),
        label_w + bar_w + 60.0,
        label_w + bar_w + 60.0
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = i as f64 * row + 4.0;
        let w = (*value as f64 / max as f64 * bar_w).max(if *value > 0 { 2.0 } else { 0.0 });
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{color}\" rx=\"3\"><title>{}: {value}</title></rect>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"13\">{value}</text>",
            label_w - 8.0,
            y + row * 0.62,
            escape(label),
            row - 8.0,
            escape(label),
            label_w + w + 6.0,
            y + row * 0.62
        );
    }
    h.push_str("</svg>");
}

/// Progress since the previous report, first on the page.
fn progress(h: &mut Page<'_>, p: &crate::compare::Progress) {
    let _ = write!(
        h,
        "<section id=\"progress\"><h2>Since the last review</h2><p>Compared with <code>{}</code>{}: \
         <b>{}</b> moved up a stage, <b>{}</b> moved down; <b>{}</b> new findings, <b>{}</b> resolved.</p>",
        escape(&p.previous),
        p.previous_generated_at
            .as_deref()
            .map(|g| format!(" (generated {})", escape(g)))
            .unwrap_or_default(),
        p.moved_up.len(),
        p.moved_down.len(),
        p.new_findings,
        p.resolved_findings
    );
    if !p.moved_up.is_empty() || !p.moved_down.is_empty() {
        h.push_str("<table class=\"sortable\"><thead><tr><th>Employee</th><th>Move</th><th>From</th><th>To</th></tr></thead><tbody>");
        for (dir, moves) in [("up", &p.moved_up), ("down", &p.moved_down)] {
            for m in moves.iter() {
                let _ = write!(
                    h,
                    "<tr><td>{}{}</td><td class=\"{}\">{dir}</td><td>{}. {}</td><td>{}. {}</td></tr>",
                    escape(&m.employee),
                    if m.name.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", escape(&m.name))
                    },
                    if dir == "up" { "good" } else { "error" },
                    m.from,
                    escape(&m.from_name),
                    m.to,
                    escape(&m.to_name)
                );
            }
        }
        h.push_str("</tbody></table>");
    }
    if !p.by_team.is_empty() {
        h.push_str("<h3>By team</h3><table class=\"sortable\"><thead><tr><th>Team</th><th>New findings</th><th>Resolved</th><th>Moved up</th><th>Moved down</th></tr></thead><tbody>");
        for t in &p.by_team {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&t.name),
                t.new,
                t.resolved,
                t.moved_up,
                t.moved_down
            );
        }
        h.push_str("</tbody></table>");
    }
    if !p.by_employee.is_empty() {
        let _ = write!(
            h,
            "<details><summary>By employee ({})</summary><table class=\"sortable\"><thead><tr><th>Employee</th><th>New findings</th><th>Resolved</th></tr></thead><tbody>",
            p.by_employee.len()
        );
        for e in p.by_employee.iter().take(2000) {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&e.name),
                e.new,
                e.resolved
            );
        }
        h.push_str("</tbody></table></details>");
    }
    h.push_str("</section>");
}

fn unregistered(h: &mut Page<'_>, agg: &Aggregator) {
    let _ = write!(
        h,
        "<section id=\"unregistered\"><h2>Unregistered accounts ({})</h2>",
        agg.unregistered.len()
    );
    if agg.unregistered.is_empty() {
        h.push_str("<p class=\"muted\">Every account in the export belongs to an employee on the roster.</p></section>");
        return;
    }
    h.push_str(
        "<p>Accounts that posted but belong to no employee on the roster (all in unregistered.csv).</p>\
         <table class=\"sortable\"><thead><tr><th>Account</th><th>As written</th><th>Posts</th><th>Findings</th>\
         <th>First post</th><th>Last post</th></tr></thead><tbody>",
    );
    for u in agg.unregistered.values() {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&u.account),
            escape(&u.author),
            u.posts,
            u.findings,
            escape(u.first_post_at.as_deref().unwrap_or("")),
            escape(u.last_post_at.as_deref().unwrap_or(""))
        );
    }
    h.push_str("</tbody></table></section>");
}

/// A table per level (team, manager, region).
fn rollups(h: &mut Page<'_>, org: &OrgSummary) {
    for (level, title) in [
        ("team", "By team"),
        ("manager", "By manager"),
        ("region", "By region"),
    ] {
        let _ = write!(
            h,
            "<section id=\"by-{level}\"><h2>{title}</h2><table class=\"sortable\"><thead><tr><th>{}</th><th>Employees</th>",
            escape(&level[..1].to_uppercase()) + &level[1..]
        );
        for (i, name) in org.stage_names.iter().enumerate() {
            let _ = write!(h, "<th title=\"{}\">Stage {}</th>", escape(name), i + 1);
        }
        h.push_str("<th>Posts</th><th>Findings / 100 posts</th><th>Disclosed</th><th>Top rules</th></tr></thead><tbody>");
        for g in org.groups.iter().filter(|g| g.level == level) {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td>",
                escape(&g.name),
                g.employees
            );
            for n in &g.stage_counts {
                let _ = write!(h, "<td class=\"n\">{n}</td>");
            }
            let top: Vec<String> = g
                .top_rules
                .iter()
                .map(|(r, n)| format!("<code>{}</code> ({n})", escape(r)))
                .collect();
            let _ = write!(
                h,
                "<td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td></tr>",
                g.posts,
                g.findings_per_100_posts,
                g.disclosure_rate.map_or(-1.0, |r| r),
                g.disclosure_rate
                    .map_or("n/a".to_string(), |r| format!("{:.0}%", r * 100.0)),
                top.join(", ")
            );
        }
        h.push_str("</tbody></table></section>");
    }
}

/// The employees shown in full: the worst `limit` by stage (lowest first),
/// then errors and findings (most first); the rest are summarised.
fn worst<'a>(agg: &'a Aggregator, org: &OrgSummary, limit: usize) -> Vec<&'a str> {
    let mut all: Vec<(&str, usize, u64, u64)> = agg
        .employees
        .iter()
        .map(|(id, s)| {
            let stage = org.stages.get(id).map_or(1, |a| a.stage);
            (id.as_str(), stage, s.errors, s.findings)
        })
        .collect();
    if all.len() > limit {
        all.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then(b.2.cmp(&a.2))
                .then(b.3.cmp(&a.3))
                .then(a.0.cmp(b.0))
        });
        all.truncate(limit);
        // Shown in id order, as without a limit.
        all.sort_by(|a, b| a.0.cmp(b.0));
    }
    all.into_iter().map(|e| e.0).collect()
}

/// Attributes the filters read: stage, team, categories, rules and search text.
fn filter_attrs(run: &RunInfo<'_>, id: &str, s: &EmployeeStats, stage: usize) -> String {
    let employee = run.roster.and_then(|r| r.get(id));
    let team = match (run.roster, employee) {
        (None, _) => "",
        (Some(_), Some(e)) => e.team.as_str(),
        (Some(_), None) => crate::aggregate::UNREGISTERED_GROUP,
    };
    let cats: Vec<&str> = s.by_category.keys().map(String::as_str).collect();
    let rules: Vec<&str> = s.by_rule.keys().map(String::as_str).collect();
    let mut q = id.to_lowercase();
    if let Some(e) = employee {
        q.push(' ');
        q.push_str(&e.name.to_lowercase());
    }
    for a in &s.accounts {
        q.push(' ');
        q.push_str(a);
    }
    format!(
        " data-stage=\"{stage}\" data-team=\"{}\" data-cats=\" {} \" data-rules=\" {} \" data-q=\"{}\"",
        escape(team),
        escape(&cats.join(" ")),
        escape(&rules.join(" ")),
        escape(&q)
    )
}

/// "Maria Lopez (E1001)" with a roster, the id alone without.
fn who(run: &RunInfo<'_>, id: &str) -> String {
    match run.roster.and_then(|r| r.get(id)) {
        Some(e) if !e.name.is_empty() => format!("{} ({id})", e.name),
        _ => id.to_string(),
    }
}

fn stage_legend(h: &mut Page<'_>, run: &RunInfo<'_>, org: &OrgSummary) {
    h.push_str("<section id=\"legend\"><h2>Stages</h2><ol class=\"legend\">");
    for (i, st) in run.stages.iter().enumerate() {
        let mut rules = Vec::new();
        if let Some(d) = st.window_days {
            rules.push(format!("counts the last {d} days"));
        }
        if st.requires_training {
            rules.push("requires training on the roster".to_string());
        }
        let _ = write!(
            h,
            "<li><b>{}</b> — {} <span class=\"muted\">{} employee{}{}</span></li>",
            escape(&st.name),
            escape(&st.description),
            org.stage_counts.get(i).copied().unwrap_or(0),
            if org.stage_counts.get(i) == Some(&1) {
                ""
            } else {
                "s"
            },
            if rules.is_empty() {
                String::new()
            } else {
                format!(" · {}", escape(&rules.join(", ")))
            }
        );
    }
    h.push_str("</ol></section>");
}

const CATEGORY_COLORS: &[&str] = &[
    "#d9480f", "#2f6fb0", "#2b8a3e", "#ae3ec9", "#f59f00", "#0c8599", "#e64980", "#495057",
];

/// Monthly posts, findings by category and disclosure rate, as inline SVG.
fn trends(h: &mut Page<'_>, org: &OrgSummary) {
    if org.months.is_empty() {
        return;
    }
    let labels: Vec<String> = org.months.iter().map(|m| m.month.clone()).collect();
    h.push_str(
        "<section id=\"trends\"><h2>Monthly trends</h2><div class=\"charts\"><div><h3>Posts</h3>",
    );
    let posts: Vec<f64> = org.months.iter().map(|m| m.posts as f64).collect();
    column_chart(
        h,
        "Posts per month",
        &labels,
        &[("posts".into(), "#2f6fb0", posts)],
        false,
    );
    h.push_str("</div><div><h3>Findings by category</h3>");
    let cats: Vec<&String> = org.by_category.keys().collect();
    let series: Vec<(String, &str, Vec<f64>)> = cats
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                c.to_string(),
                CATEGORY_COLORS[i % CATEGORY_COLORS.len()],
                org.months
                    .iter()
                    .map(|m| m.by_category.get(*c).copied().unwrap_or(0) as f64)
                    .collect(),
            )
        })
        .collect();
    column_chart(h, "Findings by category per month", &labels, &series, false);
    h.push_str("</div><div><h3>Disclosure rate</h3>");
    let rate: Vec<f64> = org
        .months
        .iter()
        .map(|m| {
            if m.promotional_posts == 0 {
                0.0
            } else {
                100.0 * m.disclosed_posts as f64 / m.promotional_posts as f64
            }
        })
        .collect();
    column_chart(
        h,
        "Share of promotional posts disclosed per month (%)",
        &labels,
        &[("disclosed %".into(), "#2b8a3e", rate)],
        true,
    );
    h.push_str("</div></div></section>");
}

/// Stacked columns, one per label, with a legend.
fn column_chart(
    h: &mut Page<'_>,
    title: &str,
    labels: &[String],
    series: &[(String, &str, Vec<f64>)],
    percent: bool,
) {
    let totals: Vec<f64> = (0..labels.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.2.get(i).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let max = if percent {
        100.0
    } else {
        totals.iter().copied().fold(0.0, f64::max).max(1.0)
    };
    let (left, top, plot_h, col) = (52.0, 10.0, 140.0, 30.0);
    let width = left + col * labels.len() as f64 + 10.0;
    let legend_h = if series.len() > 1 {
        18.0 * series.len() as f64
    } else {
        0.0
    };
    let height = top + plot_h + 62.0 + legend_h;
    let _ = write!(
        h,
        "<svg role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">0</text>\
         <line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#99a\"/>",
        escape(title),
        left - 4.0,
        top + 8.0,
        if percent {
            "100%".to_string()
        } else {
            format!("{max:.0}")
        },
        left - 4.0,
        top + plot_h,
        top + plot_h,
        width - 10.0,
        top + plot_h
    );
    for (i, label) in labels.iter().enumerate() {
        let x = left + col * i as f64 + 4.0;
        let mut y = top + plot_h;
        for (name, color, values) in series {
            let v = values.get(i).copied().unwrap_or(0.0);
            let hgt = v / max * plot_h;
            y -= hgt;
            let _ = write!(
                h,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{hgt:.1}\" fill=\"{color}\"><title>{} {}: {}</title></rect>",
                col - 8.0,
                escape(label),
                escape(name),
                if percent {
                    format!("{v:.0}%")
                } else {
                    format!("{v:.0}")
                }
            );
        }
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-45 {:.1} {:.1})\">{}</text>",
            x + col / 2.0,
            top + plot_h + 14.0,
            x + col / 2.0,
            top + plot_h + 14.0,
            escape(label)
        );
    }
    if series.len() > 1 {
        for (k, (name, color, _)) in series.iter().enumerate() {
            let y = top + plot_h + 66.0 + 18.0 * k as f64;
            let _ = write!(
                h,
                "<rect x=\"{left}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
                y - 10.0,
                left + 18.0,
                y,
                escape(name)
            );
        }
    }
    h.push_str("</svg>");
}

/// Filters by stage, team, category and rule, and a text search, over the
/// employee table and the offending posts.
fn filters(h: &mut Page<'_>, run: &RunInfo<'_>, agg: &Aggregator, org: &OrgSummary) {
    h.push_str("<section id=\"filters\" class=\"filters\"><b>Filter</b> <label>Stage <select id=\"f-stage\"><option value=\"\">all</option>");
    for (i, name) in org.stage_names.iter().enumerate() {
        let _ = write!(
            h,
            "<option value=\"{}\">{}. {}</option>",
            i + 1,
            i + 1,
            escape(name)
        );
    }
    h.push_str("</select></label>");
    if let Some(roster) = run.roster {
        let mut teams: Vec<&str> = roster
            .employees
            .iter()
            .map(|e| e.team.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        if !agg.unregistered.is_empty() {
            teams.push(crate::aggregate::UNREGISTERED_GROUP);
        }
        teams.sort_unstable();
        teams.dedup();
        h.push_str(" <label>Team <select id=\"f-team\"><option value=\"\">all</option>");
        for t in teams {
            let _ = write!(h, "<option>{}</option>", escape(t));
        }
        h.push_str("</select></label>");
    }
    h.push_str(" <label>Category <select id=\"f-cat\"><option value=\"\">all</option>");
    for c in org.by_category.keys() {
        let _ = write!(h, "<option>{}</option>", escape(c));
    }
    h.push_str(
        "</select></label> <label>Rule <select id=\"f-rule\"><option value=\"\">all</option>",
    );
    let mut rules: Vec<&str> = org.top_rules.iter().map(|(r, _)| r.as_str()).collect();
    rules.sort_unstable();
    for r in rules {
        let _ = write!(h, "<option>{}</option>", escape(r));
    }
    h.push_str("</select></label> <label>Search <input id=\"f-q\" type=\"search\" placeholder=\"name, id or account\"></label> <span id=\"f-count\" class=\"muted\"></span></section>");
}

/// Employees beyond the HTML limit, as counts per stage and team.
fn not_shown(
    h: &mut Page<'_>,
    run: &RunInfo<'_>,
    agg: &Aggregator,
    org: &OrgSummary,
    shown: &[&str],
) {
    let rest = agg.employees.len() - shown.len();
    if rest == 0 {
        return;
    }
    let shown_set: std::collections::HashSet<&str> = shown.iter().copied().collect();
    let mut by_stage = vec![0u64; org.stage_counts.len()];
    let mut by_team: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for id in agg
        .employees
        .keys()
        .filter(|id| !shown_set.contains(id.as_str()))
    {
        if let Some(a) = org.stages.get(id) {
            by_stage[a.stage - 1] += 1;
        }
        if let Some(roster) = run.roster {
            let team = roster
                .get(id)
                .map_or(crate::aggregate::UNREGISTERED_GROUP.to_string(), |e| {
                    e.team.clone()
                });
            *by_team.entry(team).or_insert(0) += 1;
        }
    }
    let _ = write!(
        h,
        "<section id=\"not-shown\"><h2>{rest} more employees</h2><p>This page lists the {} employees at the lowest stages with the most findings \
         (--html-employees); every employee is in employees.csv, employees/ and summary.json. The others by stage:</p><ul>",
        shown.len()
    );
    for (i, n) in by_stage.iter().enumerate() {
        let _ = write!(
            h,
            "<li>{}. {}: {n}</li>",
            i + 1,
            escape(org.stage_names.get(i).map_or("", String::as_str))
        );
    }
    h.push_str("</ul>");
    if !by_team.is_empty() {
        h.push_str("<p>By team:</p><ul>");
        for (t, n) in &by_team {
            let _ = write!(h, "<li>{}: {n}</li>", escape(t));
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>");
}

/// Every rule that fired: why it exists and its reference.
fn rules_fired(h: &mut Page<'_>, run: &RunInfo<'_>, org: &OrgSummary) {
    if org.top_rules.is_empty() {
        return;
    }
    h.push_str("<section id=\"rules\"><h2>Rules that fired</h2><table class=\"sortable\"><thead><tr><th>Rule</th><th>Findings</th><th>Why</th><th>Reference</th></tr></thead><tbody>");
    for (rule, n) in &org.top_rules {
        let note = run.rules.get(rule.as_str());
        let _ = write!(
            h,
            "<tr id=\"rule-{}\"><td><code>{}</code></td><td class=\"n\">{n}</td><td>{}</td><td>{}</td></tr>",
            escape(rule),
            escape(rule),
            escape(note.map_or("", |n| n.why.as_str())),
            escape(note.and_then(|n| n.reference.as_deref()).unwrap_or(""))
        );
    }
    h.push_str("</tbody></table></section>");
}

fn employee_table(
    h: &mut Page<'_>,
    run: &RunInfo<'_>,
    agg: &Aggregator,
    org: &OrgSummary,
    shown: &[&str],
) {
    let _ = write!(
        h,
        "<section><h2>Employees</h2><table class=\"sortable\" id=\"employees\"><thead><tr><th>Employee</th>{}<th>Stage</th><th>Since</th>\
         <th>Posts</th><th>Errors</th><th>Warnings</th><th>Disclosed</th><th>Verbatim</th><th>Next stage needs</th>\
         </tr></thead><tbody>",
        if run.roster.is_some() {
            "<th>Team</th>"
        } else {
            ""
        }
    );
    for author in shown {
        let (Some(stage), Some(s)) = (org.stages.get(*author), agg.employees.get(*author)) else {
            continue;
        };
        let rate = s.disclosure_rate();
        let team = match run.roster {
            Some(r) => format!(
                "<td>{}</td>",
                escape(
                    r.get(author)
                        .map_or(crate::aggregate::UNREGISTERED_GROUP, |e| e.team.as_str())
                )
            ),
            None => String::new(),
        };
        let _ = write!(
            h,
            "<tr{}><td><a href=\"#e-{}\">{}</a></td>{team}<td data-v=\"{}\">{}. {}</td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>\
             <td class=\"n\" data-v=\"{:.3}\">{:.0}%</td><td>{}</td></tr>",
            filter_attrs(run, author, s, stage.stage),
            escape(&safe_file_name(author)),
            escape(&who(run, author)),
            stage.stage,
            stage.stage,
            escape(&stage.name),
            escape(stage.since.as_deref().unwrap_or("")),
            s.posts,
            s.errors,
            s.warnings,
            rate.map_or(-1.0, |r| r),
            rate.map_or("n/a".to_string(), |r| format!("{:.0}%", r * 100.0)),
            s.verbatim_share(),
            s.verbatim_share() * 100.0,
            escape(&stage.blocked_by.join("; "))
        );
    }
    h.push_str("</tbody></table></section>");
}

fn employee_details(
    h: &mut Page<'_>,
    run: &RunInfo<'_>,
    agg: &Aggregator,
    org: &OrgSummary,
    shown: &[&str],
) {
    h.push_str("<section id=\"offending\"><h2>Offending posts by employee</h2>");
    let mut any = false;
    for author in shown {
        let Some(s) = agg
            .employees
            .get(*author)
            .filter(|s| !s.examples.is_empty())
        else {
            continue;
        };
        any = true;
        let stage = org.stages.get(*author);
        let _ = write!(
            h,
            "<details id=\"e-{}\"{}><summary>{} — {} finding{} in {} post{} · stage {}</summary>",
            escape(&safe_file_name(author)),
            filter_attrs(run, author, s, stage.map_or(1, |a| a.stage)),
            escape(&who(run, author)),
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            s.posts,
            if s.posts == 1 { "" } else { "s" },
            escape(
                &stage
                    .map(|a| format!("{}. {}", a.stage, a.name))
                    .unwrap_or_default()
            )
        );
        for example in &s.examples {
            offending_post(h, example);
        }
        if let Some(e) = run.roster.and_then(|r| r.get(author)) {
            let _ = write!(
                h,
                "<p class=\"muted\">{} · manager {} · {} · accounts {}</p>",
                escape(&e.team),
                escape(&e.manager),
                escape(&e.region),
                escape(&s.accounts.iter().cloned().collect::<Vec<_>>().join(", "))
            );
        }
        if s.examples_dropped > 0 {
            let _ = write!(
                h,
                "<p class=\"muted\">{} more offending posts in findings.jsonl</p>",
                s.examples_dropped
            );
        }
        h.push_str("</details>");
    }
    if !any {
        h.push_str("<p class=\"muted\">No findings.</p>");
    }
    h.push_str("</section>");
}

fn offending_post(h: &mut Page<'_>, example: &OffendingPost) {
    let text = &example.post.text;
    let _ = write!(
        h,
        "<div class=\"muted\">{} {}</div><div class=\"post\">{}</div><ul class=\"f\">",
        escape(&example.post.id),
        escape(example.post.created_at.as_deref().unwrap_or("")),
        highlight(text, example.findings.iter().map(|f| (f.start, f.end)))
    );
    for f in &example.findings {
        let class = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let _ = write!(
            h,
            "<li><span class=\"{class}\">{}</span> <a href=\"#rule-{}\"><code>{}</code></a> {} — <mark>{}</mark>{}{}</li>",
            f.severity,
            escape(&f.rule),
            escape(&f.rule),
            escape(&f.message),
            escape(&f.matched),
            f.suggestion
                .as_deref()
                .map(|s| format!(" <span class=\"muted\">{}</span>", escape(s)))
                .unwrap_or_default(),
            f.reference
                .as_deref()
                .map(|r| format!(" <span class=\"ref\">Reference: {}</span>", escape(r)))
                .unwrap_or_default()
        );
    }
    h.push_str("</ul>");
}

/// The text escaped, with `<mark>` around the union of the byte spans.
pub fn highlight(text: &str, spans: impl Iterator<Item = (usize, usize)>) -> String {
    let mut spans: Vec<(usize, usize)> = spans
        .filter(|(s, e)| {
            s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut at = 0;
    for (s, e) in merged {
        out.push_str(&escape(&text[at..s]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[s..e]));
        out.push_str("</mark>");
        at = e;
    }
    out.push_str(&escape(&text[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_merge_overlaps_and_escape_everything() {
        let text = "<script>x</script> guaranteed returns";
        let at = text.find("guaranteed").unwrap();
        let out = highlight(text, [(at, at + 10), (at + 4, text.len())].into_iter());
        assert_eq!(
            out,
            "&lt;script&gt;x&lt;/script&gt; <mark>guaranteed returns</mark>"
        );
        assert!(!out.contains("<script>"));
    }
}
