use uuid::Uuid;

use crate::values::{Responsibility, RoleFunction};

/// Why the [`Person`](super::Person) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    /// Add was sent to a person that already exists.
    #[error("The person already exists.")]
    AlreadyExists,
    /// The person has not been added.
    #[error("The person was not found.")]
    NotFound,
    /// The person is offboarded and can no longer change.
    #[error("The person has been offboarded.")]
    Offboarded,
    /// The update would not change anything.
    #[error("The update does not change anything.")]
    NoChange,
    /// The person already holds the same function and responsibility in the
    /// same scope.
    #[error("The person already holds this role in this scope.")]
    DuplicateActiveAssignment {
        /// The assignment that is already active.
        existing_assignment_id: Uuid,
    },
    /// The assignment id is already used by another assignment of this person.
    #[error("A role assignment with this id already exists.")]
    AssignmentIdTaken,
    /// The person has no assignment with that id.
    #[error("The role assignment was not found.")]
    AssignmentNotFound,
    /// The assignment has already been revoked.
    #[error("The role assignment has already been revoked.")]
    AssignmentNotActive,
    /// The responsibility cannot be held in the function.
    #[error("The responsibility {responsibility} does not belong to the function {function}.")]
    ResponsibilityNotInFunction {
        /// The requested responsibility.
        responsibility: Responsibility,
        /// The requested function.
        function: RoleFunction,
    },
    /// The grant was backdated; auditors rely on grants never predating approval.
    #[error("A role cannot take effect in the past.")]
    EffectiveFromInPast,
    /// The revocation time precedes the assignment's start.
    #[error("A role cannot be revoked before it takes effect.")]
    RevokeBeforeEffective,
}

impl PersonError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists | Self::AssignmentIdTaken => "ALREADY_EXISTS",
            Self::NotFound => "NOT_FOUND",
            Self::Offboarded => "PERSON_OFFBOARDED",
            Self::NoChange => "NO_CHANGE",
            Self::DuplicateActiveAssignment { .. } => "DUPLICATE_ACTIVE_ASSIGNMENT",
            Self::AssignmentNotFound => "ASSIGNMENT_NOT_FOUND",
            Self::AssignmentNotActive => "ASSIGNMENT_NOT_ACTIVE",
            Self::ResponsibilityNotInFunction { .. } => "RESPONSIBILITY_NOT_IN_FUNCTION",
            Self::EffectiveFromInPast => "EFFECTIVE_FROM_IN_PAST",
            Self::RevokeBeforeEffective => "REVOKE_BEFORE_EFFECTIVE",
        }
    }
}
