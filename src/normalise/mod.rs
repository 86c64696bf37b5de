//! Normalise: the two views of a post that rules match, each mapping back to
//! the exact bytes of the original text.
//!
//! - [`Words`]: lower-cased tokens with accents, compatibility forms,
//!   invisible characters, look-alike letters, leetspeak and spaced letters
//!   folded away; phrases and word regexes match here.
//! - [`TextView`]: the text with only invisible characters and compatibility
//!   forms folded, case and punctuation kept; personal-data patterns match here.

mod fold;
mod plain;
mod text;
mod words;

pub use fold::fold_lower;
pub use text::TextView;
pub use words::{Token, Words, normalise_phrase};
