//! The contact aggregate: an outside party (a customer, an influencer, a member of the
//! public) who writes to the brand. Never a team member. A contact's personal data (name,
//! handles, CRM id) lives only here, apart from the cases that refer to the contact by
//! id, so that it can be erased without touching a case.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::Contact;
pub use commands::ContactCommand;
pub use errors::ContactError;
pub use events::ContactEvent;
