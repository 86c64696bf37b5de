//! JUnit XML: one test case per file, one failure per finding.

use super::Item;
use postguard::report::escape_markup as escape;

pub fn render(suite: &str, files: &[String], items: &[Item]) -> String {
    let failing = files
        .iter()
        .filter(|f| items.iter().any(|i| &i.file == *f))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{0}\" tests=\"{1}\" failures=\"{2}\">\n  <testsuite name=\"{0}\" tests=\"{1}\" failures=\"{2}\" errors=\"0\">\n",
        escape(suite),
        files.len(),
        failing
    ));
    for file in files {
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            escape(suite),
            escape(file)
        ));
        let mine: Vec<&Item> = items.iter().filter(|i| &i.file == file).collect();
        if mine.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for i in mine {
            let mut body = format!("{}:{}:{}: {}", i.file, i.start.0, i.start.1, i.message);
            if let Some(help) = &i.help {
                body.push_str(&format!("\nhelp: {help}"));
            }
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                escape(&i.rule),
                escape(&format!("{} [{}]", i.message, i.severity)),
                escape(&body)
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
