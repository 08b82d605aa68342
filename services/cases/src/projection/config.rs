//! Contacts and the case configuration: `contacts` and `contact_handles`,
//! `routing_rule_sets`, `sla_policies`, `business_calendars` and `case_queues`. These
//! events carry no time of their own: the event's `occurred_at` is the change's.

use chorus_cases_domain::contact::ContactEvent;
use chorus_cases_domain::queue::CaseQueueEvent;
use chorus_cases_domain::routing::RoutingRulesEvent;
use chorus_cases_domain::sla::{BusinessCalendarEvent, SlaPolicyEvent};
use chorus_kernel::{on_tx, DbTx, RecordedEvent, StoreError};
use chorus_teams::values::SocialNetwork;
use uuid::Uuid;

use super::{aggregate_uuid, int};

pub(super) async fn apply_contact(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let contact_id = aggregate_uuid(event)?;
    let at = event.metadata.occurred_at;
    let org = event.metadata.organization_id;
    let (display_name, handle, crm_id, vip, created) = match event.decode::<ContactEvent>()? {
        ContactEvent::ContactRegistered {
            display_name,
            handle,
            crm_id,
            vip,
            ..
        } => (display_name, handle, crm_id, Some(vip), true),
        ContactEvent::ContactUpdated {
            display_name,
            handle,
            crm_id,
            vip,
            ..
        } => (display_name, handle, crm_id, vip, false),
    };
    on_tx!(tx, c => {
        if created {
            sqlx::query(
                "INSERT INTO contacts (id, organization_id, display_name, crm_id, vip, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(contact_id).bind(org).bind(&display_name).bind(&crm_id)
            .bind(vip.unwrap_or(false)).bind(at)
            .execute(&mut *c).await?;
        } else {
            sqlx::query(
                "UPDATE contacts SET display_name = COALESCE($1, display_name), \
                 crm_id = COALESCE($2, crm_id), vip = COALESCE($3, vip), updated_at = $4 WHERE id = $5",
            )
            .bind(&display_name).bind(&crm_id).bind(vip).bind(at).bind(contact_id)
            .execute(&mut *c).await?;
        }
    });
    if let Some((network, handle)) = handle {
        upsert_handle(tx, org, contact_id, network, &handle).await?;
    }
    Ok(())
}

async fn upsert_handle(
    tx: &mut DbTx,
    org: Uuid,
    contact_id: Uuid,
    network: SocialNetwork,
    handle: &str,
) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        sqlx::query("DELETE FROM contact_handles WHERE contact_id = $1 AND network = $2")
            .bind(contact_id).bind(network.as_str())
            .execute(&mut *c).await?;
        sqlx::query(
            "INSERT INTO contact_handles (organization_id, network, handle_key, handle, contact_id) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id, network, handle_key) \
             DO UPDATE SET handle = excluded.handle, contact_id = excluded.contact_id",
        )
        .bind(org).bind(network.as_str()).bind(handle.to_lowercase()).bind(handle).bind(contact_id)
        .execute(&mut *c).await?;
    });
    Ok(())
}

pub(super) async fn apply_routing_rules(
    tx: &mut DbTx,
    event: &RecordedEvent,
) -> Result<(), StoreError> {
    let at = event.metadata.occurred_at;
    let RoutingRulesEvent::RoutingRulesSet {
        organization_id,
        version,
        rules,
        by,
    } = event.decode::<RoutingRulesEvent>()?;
    let rules = serde_json::to_string(&rules)?;
    let version = int(version)?;
    on_tx!(tx, c => {
        sqlx::query(
            "UPDATE routing_rule_sets SET valid_to = $1 WHERE organization_id = $2 AND valid_to IS NULL",
        )
        .bind(at).bind(organization_id)
        .execute(&mut *c).await?;
        sqlx::query(
            "INSERT INTO routing_rule_sets (organization_id, version, rules, set_by, valid_from) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(organization_id).bind(version).bind(&rules).bind(by).bind(at)
        .execute(&mut *c).await?;
    });
    Ok(())
}

/// A versioned configuration record's change: defined (with its name), revised, retired.
enum Change {
    Defined {
        org: Uuid,
        name: String,
        version: u64,
        definition: String,
    },
    Revised {
        version: u64,
        definition: String,
    },
    Retired {
        version: u64,
    },
}

pub(super) async fn apply_sla_policy(
    tx: &mut DbTx,
    event: &RecordedEvent,
) -> Result<(), StoreError> {
    let change = match event.decode::<SlaPolicyEvent>()? {
        SlaPolicyEvent::SlaPolicyDefined {
            organization_id,
            name,
            version,
            definition,
            ..
        } => Change::Defined {
            org: organization_id,
            name: name.into_inner(),
            version,
            definition: serde_json::to_string(&definition)?,
        },
        SlaPolicyEvent::SlaPolicyRevised {
            version,
            definition,
            ..
        } => Change::Revised {
            version,
            definition: serde_json::to_string(&definition)?,
        },
        SlaPolicyEvent::SlaPolicyRetired { version, .. } => Change::Retired { version },
    };
    write_change(tx, "sla_policies", event, change).await
}

pub(super) async fn apply_calendar(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let change = match event.decode::<BusinessCalendarEvent>()? {
        BusinessCalendarEvent::CalendarDefined {
            organization_id,
            name,
            version,
            definition,
            ..
        } => Change::Defined {
            org: organization_id,
            name: name.into_inner(),
            version,
            definition: serde_json::to_string(&definition)?,
        },
        BusinessCalendarEvent::CalendarRevised {
            version,
            definition,
            ..
        } => Change::Revised {
            version,
            definition: serde_json::to_string(&definition)?,
        },
        BusinessCalendarEvent::CalendarRetired { version, .. } => Change::Retired { version },
    };
    write_change(tx, "business_calendars", event, change).await
}

/// Writes a configuration record's current version into `table` (`sla_policies` or
/// `business_calendars`, which have the same shape).
async fn write_change(
    tx: &mut DbTx,
    table: &'static str,
    event: &RecordedEvent,
    change: Change,
) -> Result<(), StoreError> {
    let id = aggregate_uuid(event)?;
    let at = event.metadata.occurred_at;
    match change {
        Change::Defined {
            org,
            name,
            version,
            definition,
        } => on_tx!(tx, c => {
            sqlx::query(&format!(
                "INSERT INTO {table} (id, organization_id, name, version, definition, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)"
            ))
            .bind(id).bind(org).bind(&name).bind(int(version)?).bind(&definition).bind(at)
            .execute(&mut *c).await?;
        }),
        Change::Revised {
            version,
            definition,
        } => on_tx!(tx, c => {
            sqlx::query(&format!(
                "UPDATE {table} SET version = $1, definition = $2, updated_at = $3 WHERE id = $4"
            ))
            .bind(int(version)?).bind(&definition).bind(at).bind(id)
            .execute(&mut *c).await?;
        }),
        Change::Retired { version } => on_tx!(tx, c => {
            sqlx::query(&format!(
                "UPDATE {table} SET version = $1, retired_at = $2, updated_at = $2 WHERE id = $3"
            ))
            .bind(int(version)?).bind(at).bind(id)
            .execute(&mut *c).await?;
        }),
    }
    Ok(())
}

pub(super) async fn apply_queue(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let at = event.metadata.occurred_at;
    let CaseQueueEvent::QueueConfigured {
        team_id,
        organization_id,
        version,
        settings,
        ..
    } = event.decode::<CaseQueueEvent>()?;
    let capacity = settings.capacity.map(i64::from);
    let reply_approver = settings.reply_approver.map(|f| f.as_str());
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO case_queues (team_id, organization_id, strategy, capacity, reply_approver, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (team_id) DO UPDATE SET \
             strategy = excluded.strategy, capacity = excluded.capacity, \
             reply_approver = excluded.reply_approver, version = excluded.version, \
             updated_at = excluded.updated_at",
        )
        .bind(team_id).bind(organization_id).bind(settings.strategy.as_str()).bind(capacity)
        .bind(reply_approver).bind(int(version)?).bind(at)
        .execute(&mut *c).await?;
    });
    Ok(())
}
