//! The cases records a global id can name, for the schema's `node(id)`.

use async_graphql::Context;
use chorus_api::{runtime, ApiResult, Caller};
use uuid::Uuid;

use super::case::Case;
use super::config::{calendar_of, sla_policy_of, BusinessCalendar, SlaPolicy};
use super::contact::Contact;
use crate::commands::ensure_case_reader;
use crate::read::{self, config::Versioned};

/// The kinds of records this context answers for.
pub const NODE_KINDS: &[&str] = &["Case", "Contact", "SlaPolicy", "BusinessCalendar"];

/// A cases record found by its global id.
pub enum CasesNode {
    Case(Box<Case>),
    Contact(Contact),
    SlaPolicy(SlaPolicy),
    BusinessCalendar(BusinessCalendar),
}

/// The cases record of kind `kind` with id `id` in the caller's organization `org`;
/// `None` for another kind, another organization's record or none. Reading a case
/// record needs what the cases queries need (FORBIDDEN otherwise).
pub async fn find_node(
    ctx: &Context<'_>,
    org: Uuid,
    kind: &str,
    id: Uuid,
) -> ApiResult<Option<CasesNode>> {
    if !NODE_KINDS.contains(&kind) {
        return Ok(None);
    }
    ensure_case_reader(Caller::of(ctx)?).await?;
    let db = &runtime(ctx)?.db;
    Ok(match kind {
        "Case" => read::case(db, org, id)
            .await?
            .map(|row| CasesNode::Case(Box::new(Case(row)))),
        "Contact" => read::contact(db, org, id)
            .await?
            .map(|row| CasesNode::Contact(Contact(row))),
        "SlaPolicy" => read::config::versioned(db, org, Versioned::SlaPolicies, id)
            .await?
            .map(sla_policy_of)
            .transpose()?
            .map(CasesNode::SlaPolicy),
        _ => read::config::versioned(db, org, Versioned::Calendars, id)
            .await?
            .map(calendar_of)
            .transpose()?
            .map(CasesNode::BusinessCalendar),
    })
}
