//! Legal reviews: a legal-role holder's verdict on a post, a piece of
//! user-generated content, a campaign or a contract.
//!
//! Each review is its own aggregate; a later review of the same subject is a
//! new one. The rule "a blocked review stops approval and publication until
//! a later review clears it" is enforced by the post, to which the
//! application layer forwards each post review's outcome
//! ([`PostCommand::ApplyLegalReview`](crate::post::PostCommand::ApplyLegalReview)).

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::{LegalReview, MAX_REFERENCES, MAX_REFERENCE_LEN};
pub use commands::LegalReviewCommand;
pub use errors::LegalReviewError;
pub use events::LegalReviewEvent;
