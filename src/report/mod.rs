//! Report: renderers of findings and aggregates. Never decides what is a finding.
