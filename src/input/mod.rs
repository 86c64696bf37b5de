//! Input: reading posts from drafts and exports into [`Post`] records.

mod post;

pub use post::Post;
