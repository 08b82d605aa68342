//! Chorus cases domain: contacts, cases (intake, routing, assignment, replies and their
//! approval, escalation, resolution), routing rules, SLA policies and business-hours
//! calendars.
//!
//! Pure domain: no I/O, no clock reads, no id generation, no lookups. The application
//! layer supplies inside commands what the rules need from elsewhere: the current time,
//! new ids, the roles an actor holds at that instant, the routing rules and SLA policy in
//! force, and the lexicon's matches.

pub mod case;
pub mod contact;
pub mod queue;
pub mod routing;
pub mod sla;
pub mod values;

pub use case::{Case, CaseCommand, CaseError, CaseEvent, Intake, IntakeRecord, OutboundStatus};
pub use contact::{Contact, ContactCommand, ContactError, ContactEvent};
pub use routing::{CaseFacts, RoutingDecision, RoutingRule, RoutingRules, RoutingRulesEvent};
pub use sla::{BusinessCalendar, CaseSla, SlaPolicy, SlaSnapshot};

#[cfg(test)]
mod error_codes_tests;
