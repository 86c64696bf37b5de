//! Human rendering of findings and policy problems: the source with the
//! offending words underlined, like a compiler error.

use super::ColorWhen;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use postguard::finding::{Finding, Severity};
use postguard::policy::Diagnostic;

fn renderer(color: ColorWhen) -> Renderer {
    if super::stdout_styled(color) {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// A draft longer than this is shown in excerpts around each finding, so
/// rendering costs the size of the excerpt, not of the draft, per finding.
const WHOLE_TEXT_UP_TO: usize = 16 * 1024;
/// Bytes of a long line shown on each side of a finding.
const CONTEXT_BYTES: usize = 160;

/// One finding in a draft called `path` whose text is `text`.
pub fn finding(f: &Finding, path: &str, text: &str, color: ColorWhen) -> String {
    let in_text = f.start <= f.end
        && f.end <= text.len()
        && text.is_char_boundary(f.start)
        && text.is_char_boundary(f.end);
    if text.len() <= WHOLE_TEXT_UP_TO || !in_text {
        return finding_in(f, path, text, f.start..f.end, 1, color);
    }
    let (excerpt, span) = excerpt(text, f.start, f.end);
    let out = finding_in(f, path, &excerpt, span, f.line, color);
    // The excerpt may start mid-line: the location is the finding's own.
    let at = format!("{path}:{}:", f.line);
    match out.find(&at) {
        Some(i) => {
            let digits = out[i + at.len()..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let mut fixed = out[..i + at.len()].to_string();
            fixed.push_str(&f.column.to_string());
            fixed.push_str(&out[i + at.len() + digits..]);
            fixed
        }
        None => out,
    }
}

/// The lines of `text` that hold `start..end`, cut to [`CONTEXT_BYTES`] on
/// each side (marked `…`), and the span within the excerpt.
fn excerpt(text: &str, start: usize, end: usize) -> (String, std::ops::Range<usize>) {
    let mut from = start.saturating_sub(CONTEXT_BYTES);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let (from, cut_before) = match text[from..start].rfind('\n') {
        Some(i) => (from + i + 1, false),
        None => (from, from > 0),
    };
    let mut to = (end + CONTEXT_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let (to, cut_after) = match text[end..to].find('\n') {
        Some(i) => (end + i, false),
        None => (to, to < text.len()),
    };
    let prefix = if cut_before { "…" } else { "" };
    let mut excerpt = String::with_capacity(to - from + 6);
    excerpt.push_str(prefix);
    excerpt.push_str(&text[from..to]);
    if cut_after {
        excerpt.push('…');
    }
    let shift = prefix.len();
    (excerpt, start - from + shift..end - from + shift)
}

fn finding_in(
    f: &Finding,
    path: &str,
    text: &str,
    span: std::ops::Range<usize>,
    first_line: usize,
    color: ColorWhen,
) -> String {
    let label = if f.similarity.is_some() { "copied" } else { "" };
    let mut group = level(f.severity)
        .primary_title(f.message.as_str())
        .id(f.rule.as_str())
        .element(
            Snippet::source(text)
                .path(path)
                .line_start(first_line)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(span).label(label)),
        );
    if let Some(s) = &f.suggestion {
        group = group.element(Level::HELP.message(s.as_str()));
    }
    if let Some(r) = &f.reference {
        group = group.element(Level::NOTE.message(format!("reference: {r}")));
    }
    if let (Some(id), Some(sim)) = (&f.corporate_id, f.similarity) {
        group = group.element(Level::NOTE.message(format!(
            "{:.0}% of the post is copied from corporate post `{id}`",
            sim * 100.0
        )));
    }
    renderer(color).render(&[group]).to_string()
}

/// A problem in a policy or pack file.
pub fn diagnostic(d: &Diagnostic, color: ColorWhen) -> String {
    let group = level(d.severity).primary_title(d.message.as_str());
    if d.file.text.is_empty() {
        let (line, column) = d.line_column();
        let mut out =
            renderer(color)
                .render(&[group
                    .element(Level::NOTE.message(format!("in {}:{line}:{column}", d.file.name)))]);
        if let Some(help) = &d.help {
            out.push_str(&format!("\n  help: {help}"));
        }
        return out;
    }
    let mut element = group.element(
        Snippet::source(d.file.text.as_str())
            .path(d.file.name.as_str())
            .fold(true)
            .annotation(AnnotationKind::Primary.span(d.span.clone())),
    );
    if let Some(help) = &d.help {
        element = element.element(Level::HELP.message(help.as_str()));
    }
    renderer(color).render(&[element]).to_string()
}
