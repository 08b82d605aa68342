//! A published post that breaks a compliance rule (`ComplianceViolation`).

use async_graphql::SimpleObject;

use super::enums::ComplianceViolationKind;
use super::post::Post;

/// A published post that breaks a compliance rule (the list must always be empty).
#[derive(SimpleObject)]
pub struct ComplianceViolation {
    pub(super) post: Post,
    pub(super) reasons: Vec<ComplianceViolationKind>,
}
