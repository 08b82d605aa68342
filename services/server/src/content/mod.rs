//! The content context in the server: posts, approvals under versioned policies, the
//! flagging lexicon and legal reviews. The read models are built by [`projection`].

pub mod expiry;
pub mod export;
pub mod graphql;
mod post_batch;
pub mod projection;
pub mod read;
pub mod service;
