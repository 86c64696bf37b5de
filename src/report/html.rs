//! `report.html`: one self-contained page (inline CSS, SVG and a few lines of
//! script, no external resource), every piece of post text escaped.

use super::{RunInfo, safe_file_name};
use crate::aggregate::{Aggregator, OffendingPost, OrgSummary};
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
.muted{color:#667}header .meta{font-size:13px;opacity:.85}ul.f{margin:4px 0 12px;padding-left:20px}";

const SCRIPT: &str = "
document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){
var t=th.closest('table'),b=t.tBodies[0],rows=Array.from(b.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
rows.sort(function(x,y){var a=x.cells[i].dataset.v||x.cells[i].textContent,c=y.cells[i].dataset.v||y.cells[i].textContent;
var na=parseFloat(a),nc=parseFloat(c);var r=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c);return asc?r:-r;});
rows.forEach(function(r){b.appendChild(r);});});});";

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
    if run.roster.is_some() {
        unregistered(h, agg);
        rollups(h, org);
    }
    employee_table(h, agg, org);
    employee_details(h, agg, org);
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

fn employee_table(h: &mut Page<'_>, agg: &Aggregator, org: &OrgSummary) {
    h.push_str(
        "<section><h2>Employees</h2><table class=\"sortable\"><thead><tr><th>Employee</th><th>Stage</th>\
         <th>Posts</th><th>Errors</th><th>Warnings</th><th>Disclosed</th><th>Verbatim</th><th>Next stage needs</th>\
         </tr></thead><tbody>",
    );
    for (author, s) in &agg.employees {
        let Some(stage) = org.stages.get(author) else {
            continue;
        };
        let rate = s.disclosure_rate();
        let _ = write!(
            h,
            "<tr><td><a href=\"#e-{}\">{}</a></td><td data-v=\"{}\">{}. {}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>\
             <td class=\"n\" data-v=\"{:.3}\">{:.0}%</td><td>{}</td></tr>",
            escape(&safe_file_name(author)),
            escape(author),
            stage.stage,
            stage.stage,
            escape(&stage.name),
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

fn employee_details(h: &mut Page<'_>, agg: &Aggregator, org: &OrgSummary) {
    h.push_str("<section><h2>Offending posts by employee</h2>");
    let mut any = false;
    for (author, s) in agg.employees.iter().filter(|(_, s)| !s.examples.is_empty()) {
        any = true;
        let stage = org.stages.get(author);
        let _ = write!(
            h,
            "<details id=\"e-{}\"><summary>{} — {} finding{} in {} post{} · stage {}</summary>",
            escape(&safe_file_name(author)),
            escape(author),
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
            "<li><span class=\"{class}\">{}</span> <code>{}</code> {} — <mark>{}</mark>{}</li>",
            f.severity,
            escape(&f.rule),
            escape(&f.message),
            escape(&f.matched),
            f.suggestion
                .as_deref()
                .map(|s| format!(" <span class=\"muted\">{}</span>", escape(s)))
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
