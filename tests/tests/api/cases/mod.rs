//! The cases context through the public API, on both backends: intake from the three
//! doors, routing, the queue, assignment, replies and their approval, the SLA timer,
//! bad input, the permission matrix, confinement and the subscriptions.

mod approval_inbox;
mod batching;
mod intake;
mod kept_answers;
mod live;
mod permissions;
mod replies;
mod reply_approval;
mod sla;
mod validation;
