//! postguard checks employee social media posts against a corporate social media policy.
//!
//! Data flows one way: [`input`] → [`normalise`] → [`matcher`] → [`aggregate`] → [`report`],
//! with [`policy`] compiled once into the matcher. The library never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod aggregate;
pub mod compare;
pub mod finding;
pub mod input;
pub mod matcher;
pub mod normalise;
pub mod pipeline;
pub mod policy;
pub mod report;
pub mod roster;
pub mod time;
