//! The default policy and the built-in rule packs, embedded in the binary.

/// `(pack id, file contents)` of every built-in pack.
pub const PACKS: &[(&str, &str)] = &[
    ("ftc", include_str!("../../rules/ftc.toml")),
    ("finra", include_str!("../../rules/finra.toml")),
    ("health", include_str!("../../rules/health.toml")),
    ("privacy", include_str!("../../rules/privacy.toml")),
    (
        "confidential",
        include_str!("../../rules/confidential.toml"),
    ),
    ("verbatim", include_str!("../../rules/verbatim.toml")),
];

pub const DEFAULT_POLICY: &str = include_str!("../../policies/default.toml");

pub fn pack(id: &str) -> Option<&'static str> {
    PACKS
        .iter()
        .find(|(name, _)| *name == id)
        .map(|(_, text)| *text)
}
