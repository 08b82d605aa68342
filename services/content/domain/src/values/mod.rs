//! Value types of the content context.
//!
//! As in `chorus-teams`, every newtype is the only place its rules are
//! checked ("parse, don't validate"): once a command holds a `PostText`, the
//! aggregate can trust it. Rule violations are reported as the shared
//! [`ValueError`] naming the API field and the rule.
//!
//! - [`text_values`]: the validated text newtypes (post text, names, comments, terms);
//! - [`urls`]: the web addresses a post carries;
//! - [`post`]: a post's status and content flags;
//! - [`review`]: what a legal review is about and what it found;
//! - [`held_role`]: a role the actor holds, as the application layer passes it in.

pub mod held_role;
pub mod post;
pub mod review;
pub mod text_values;
pub mod urls;

pub use chorus_shared::ValueError;
pub use held_role::HeldRole;
pub use post::{ContentFlag, FlagSource, PostFlag, PostStatus};
pub use review::{ReviewKind, ReviewOutcome, ReviewSubjectKind};
pub use text_values::{
    CampaignName, Comment, LexiconTerm, NetworkPostId, PostText, ReviewText, StepName,
};
pub use urls::{MediaUrl, PublishedUrl};
