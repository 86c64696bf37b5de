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

/// One finding in a draft called `path` whose text is `text`.
pub fn finding(f: &Finding, path: &str, text: &str, color: ColorWhen) -> String {
    let label = if f.similarity.is_some() { "copied" } else { "" };
    let mut group = level(f.severity)
        .primary_title(f.message.as_str())
        .id(f.rule.as_str())
        .element(
            Snippet::source(text)
                .path(path)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(f.start..f.end).label(label)),
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
