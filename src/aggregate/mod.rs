//! Aggregate: per-employee figures and maturity stages.
