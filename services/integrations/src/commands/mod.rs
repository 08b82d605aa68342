//! The integrations context's use cases, one file per command family. The SCIM door
//! calls them with a [`Caller`] on channel `scim` (teams' provisioning use cases accept a
//! `scim:provision` service account only there); `configureScimGroup` runs for an admin
//! over GraphQL.
//!
//! A SCIM request can touch several aggregates (a person, their HR attributes, the
//! organization's reporting lines; several people for one group change). Each use case
//! looks up and validates everything first, so a refused request writes nothing; the
//! writes then run one after the other. Only an outage or a concurrent change between
//! them can leave a request partly applied (it fails with `CONFLICT` or 5xx, and the
//! identity provider's retry finishes it: every step is a no-op when already done).

mod configure_group;
mod group_members;
mod provision_user;
mod requests;
mod update_user;

use chorus_api::{ApiError, ApiResult, Caller};
use chorus_teams::Reason;
use uuid::Uuid;

pub use configure_group::{configure_scim_group, link_group, remove_group, rename_group};
pub use group_members::{add_members, check_members, remove_members};
pub use provision_user::{offboard as offboard_user, provision_user};
pub use requests::{ConfigureScimGroup, UserDraft};
pub use update_user::update_user;

/// The acting principal's id, as recorded in `granted_by`, `revoked_by` and `by`.
pub(crate) fn actor_id(caller: &Caller<'_>) -> Uuid {
    caller.principal.actor.id.unwrap_or_default()
}

/// A reason recorded for auditors, naming where the change came from.
pub(crate) fn reason(text: String) -> ApiResult<Reason> {
    Reason::try_from(text).map_err(|e| ApiError::internal(&e))
}
