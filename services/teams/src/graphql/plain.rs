//! Members from the roster as plain values ([`chorus_api::plain`]): a page of members
//! whose selection asks only for columns the roster holds (the person's and manager's
//! own fields, the roles' own fields) is answered without the executor. Any other field
//! (a role's scope, a person's reports, …) sends the member to the resolvers in
//! `team.rs` and `person.rs`, whose answers these must equal: the test
//! `plain_members_equal_the_resolvers` in tests/ checks every field listed here.

use async_graphql::{ContextSelectionSet, InputType, Value};
use chorus_api::plain::{object, optional, scalar, string, PlainValue};

use super::*;

impl PlainValue for TeamMember {
    fn plain(&self, ctx: &ContextSelectionSet<'_>) -> Option<Value> {
        let roster = self.roster.as_deref()?;
        object(ctx, "TeamMember", &mut |name, sub| match name {
            "person" => person(&roster.person, sub),
            "manager" => match &roster.manager {
                Some(manager) => person(manager, sub),
                None => Some(Value::Null),
            },
            "roles" => roster
                .roles
                .iter()
                .map(|r| role(r, sub))
                .collect::<Option<Vec<_>>>()
                .map(Value::List),
            _ => None,
        })
    }
}

/// A `Person`'s own fields, as `Person`'s resolvers answer them.
fn person(row: &PersonRow, ctx: &ContextSelectionSet<'_>) -> Option<Value> {
    object(ctx, "Person", &mut |name, _| {
        Some(match name {
            "id" => scalar(&encode_id("Person", row.id)),
            "displayName" => string(&row.display_name),
            "email" => string(&row.email),
            "affiliation" => Affiliation::from_stored("people", "affiliation", &row.affiliation)
                .ok()?
                .to_value(),
            "externalId" => row.external_id.as_deref().map_or(Value::Null, string),
            "status" => match row.offboarded_at {
                Some(_) => PersonStatus::Offboarded,
                None => PersonStatus::Active,
            }
            .to_value(),
            "offboardedAt" => optional(row.offboarded_at.as_ref()),
            "createdAt" => scalar(&row.created_at),
            _ => return None,
        })
    })
}

/// A `RoleAssignment`'s own fields, as its resolvers answer them.
fn role(row: &RoleRow, ctx: &ContextSelectionSet<'_>) -> Option<Value> {
    object(ctx, "RoleAssignment", &mut |name, _| {
        Some(match name {
            "id" => scalar(&encode_id("RoleAssignment", row.id)),
            "function" => RoleFunction::from_stored("role_assignments", "function", &row.function)
                .ok()?
                .to_value(),
            "responsibility" => {
                let stored = row.responsibility.as_deref();
                decode_stored_opt::<domain::Responsibility>(
                    "role_assignments",
                    "responsibility",
                    stored,
                )
                .ok()?
                .map_or(Value::Null, |r| Responsibility::from(r).to_value())
            }
            "validFrom" => scalar(&row.valid_from),
            "validTo" => optional(row.valid_to.as_ref()),
            "active" => Value::Boolean(row.active_at(chorus_kernel::now())),
            "reason" => string(&row.reason),
            "revokeReason" => row.revoke_reason.as_deref().map_or(Value::Null, string),
            _ => return None,
        })
    })
}
