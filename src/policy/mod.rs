//! Policy: TOML files into typed, validated rules.

pub mod schema;
