//! The few styles the human output uses.

use anstyle::{AnsiColor, Style};

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub const INFO: Style = AnsiColor::Cyan.on_default().bold();
pub const GOOD: Style = AnsiColor::Green.on_default().bold();
pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();

pub fn severity(s: postguard::finding::Severity) -> Style {
    match s {
        postguard::finding::Severity::Error => ERROR,
        postguard::finding::Severity::Warning => WARNING,
        postguard::finding::Severity::Info => INFO,
    }
}
