//! The post record every reader maps onto.

use serde::{Deserialize, Serialize};

/// One employee post: the contract's input record. Unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub id: String,
    pub author: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Byte ranges of `text` a reader never sees (a draft's front matter and
    /// comments): positions stay file positions, but visibility (the
    /// "…more" cut) is measured without them.
    #[serde(skip)]
    pub hidden: Vec<std::ops::Range<usize>>,
}
