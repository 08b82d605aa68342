//! The shared kernel of every domain crate: what each context's pure domain needs to agree
//! on with the others and with the API, and nothing else (no I/O, no async, no sqlx).
//!
//! - [`text`]: the one text policy every free-text field and filter goes through;
//! - [`value_types`]: the macros that make a validated text newtype ([`text_value!`]) and a
//!   code enum ([`code_enum!`]);
//! - [`event_sourcing`]: the macros that write an aggregate's and an event enum's cqrs-es
//!   impls ([`aggregate!`], [`domain_event!`]);
//! - [`ValueError`]: a value that broke its parsing rule, naming the field and the rule;
//! - [`DomainCode`]: the stable `extensions.code` of a refused domain rule, which the API's
//!   mutation runner reads from any context's aggregate error.

pub mod event_sourcing;
pub mod text;
pub mod value_types;

pub use event_sourcing::refuse_if;

/// A value failed its parsing rules. Safe to show to clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {rule}")]
pub struct ValueError {
    /// The input field (API spelling, e.g. `displayName`) that was rejected.
    pub field: &'static str,
    /// Human-readable rule the value broke.
    pub rule: String,
}

impl ValueError {
    pub fn new(field: &'static str, rule: impl Into<String>) -> Self {
        Self {
            field,
            rule: rule.into(),
        }
    }

    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        "BAD_USER_INPUT"
    }
}

/// A domain error with a stable machine-readable code (`SCREAMING_SNAKE_CASE`, listed in
/// `docs/errors.md`). Every aggregate's error type implements it.
pub trait DomainCode: std::error::Error {
    fn domain_code(&self) -> &'static str;

    /// The field and the rule, when the refusal is about one input field (the API reports
    /// it as `BAD_USER_INPUT` with `extensions.field` and `extensions.rule`).
    fn invalid_input(&self) -> Option<(&'static str, String)> {
        None
    }
}
