//! Policy: TOML files into typed, located policy and pack definitions.
//!
//! Loading only parses and resolves files; the matcher compiles the result
//! and reports what is wrong inside the rules.

mod builtin;
mod diagnostic;
mod load;
pub mod schema;

pub use builtin::PACKS as BUILTIN_PACKS;
pub use diagnostic::{Diagnostic, PolicyError, SourceFile, did_you_mean, from_toml_error};
pub use load::{Pack, Policy, PolicyOrigin};
