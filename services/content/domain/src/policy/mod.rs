//! Approval policies: which sign-offs a post needs (roles and count, under
//! which conditions) and who holds delegated authority to publish routine
//! posts. Policies are versioned; a post records the versions it was
//! submitted under, and every approval records the version that applied.

mod aggregate;
mod commands;
mod definition;
mod errors;
pub mod evaluate;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::ApprovalPolicy;
pub use commands::ApprovalPolicyCommand;
pub use definition::{
    Delegation, PolicyDefinition, PolicyScope, PolicySnapshot, PolicyStep, SignerRule,
    StepConditions, MAX_SIGNER_RULES, MAX_STEPS, REQUIRED_SIGNATURES,
};
pub use errors::ApprovalPolicyError;
pub use events::ApprovalPolicyEvent;
