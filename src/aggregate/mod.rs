//! Aggregate: per-employee figures from checked posts, the stage each
//! employee has reached, and the organisation-wide view.

mod employee;
pub mod eval;
mod organisation;
mod stage;
pub use crate::time;

pub use employee::{EmployeeStats, OffendingPost};
pub use organisation::{Aggregator, BadRecordLog, OmittedLog, OrgSummary};
pub use stage::{StageAssessment, assess};
