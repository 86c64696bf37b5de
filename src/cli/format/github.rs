//! GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.

use super::Item;
use postguard::finding::Severity;

pub fn render(items: &[Item]) -> String {
    let mut out = String::new();
    for i in items {
        let level = match i.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = i.message.clone();
        if let Some(help) = &i.help {
            message.push('\n');
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&i.file),
            i.start.0,
            i.start.1,
            i.end.0,
            i.end.1,
            property(&i.rule),
            data(&message)
        ));
    }
    out
}

/// Escaping of a command's message, as the runner's toolkit does it.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a command property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_separators() {
        let item = Item {
            file: "drafts/a,b.md".into(),
            rule: "finra.x".into(),
            severity: Severity::Warning,
            message: "100% sure\nsecond line".into(),
            start: (2, 3),
            end: (2, 9),
            help: None,
        };
        assert_eq!(
            render(&[item]),
            "::warning file=drafts/a%2Cb.md,line=2,col=3,endLine=2,endColumn=9,title=finra.x::100%25 sure%0Asecond line\n"
        );
    }
}
