//! The cases' part of the compliance export: every recorded step of a case (opened and
//! routed, assigned, replied, approved, escalated, resolved, SLA warnings and breaches,
//! …, with the event's details) and every SLA outcome (met or breached, with the business
//! time taken). Each branch is one range scan of its table's (organization_id, time)
//! index; the export merges them with the other contexts' history in time order.

/// The branches, in the export's columns (see `chorus_api::Module::compliance_history`):
/// `subject_kind` is `CASE` and `case_id` the case; a step's `outcome` is
/// its event type and `comment` its details (JSON); an SLA outcome's `step` is the target
/// (`FIRST_RESPONSE`, `NEXT_RESPONSE`, `RESOLUTION`), `outcome` `MET` or `BREACHED`,
/// `policy_version` the cycle and `comment` the business seconds taken.
pub const CASES_HISTORY: &[&str] = &[
    "SELECT 'case_event', at, NULL, 'CASE', NULL, actor_id, NULL, NULL, NULL, \
           NULL, NULL, NULL, NULL, kind, NULL, NULL, details, case_id \
      FROM case_timeline WHERE organization_id = $1 AND at >= $2 AND at < $3",
    "SELECT 'case_sla_outcome', at, NULL, 'CASE', NULL, assignee_id, NULL, NULL, NULL, \
           NULL, cycle, kind, NULL, CASE WHEN met THEN 'MET' ELSE 'BREACHED' END, NULL, NULL, \
           CAST(business_seconds AS TEXT), case_id \
      FROM case_sla_outcomes WHERE organization_id = $1 AND at >= $2 AND at < $3",
];
