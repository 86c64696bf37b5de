//! Aggregate: per-employee figures from checked posts, the stage each
//! employee has reached, and the organisation-wide view.

mod employee;
pub mod eval;
mod organisation;
mod stage;
pub use crate::time;

pub use employee::{EmployeeStats, Figures, OffendingPost, day_of};
pub use organisation::{
    Aggregator, BadRecordLog, GroupRollup, MonthFigures, OmittedLog, OrgSummary,
    UNREGISTERED_GROUP, UnregisteredAccount,
};
pub use stage::{StageAssessment, StageContext, assess};
