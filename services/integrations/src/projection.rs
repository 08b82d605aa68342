//! The integrations read models: `scim_users` (each provisioned person's HR attributes)
//! and `scim_groups` (the groups admins mapped to role grants). Neither event carries a
//! time of its own: the event's `occurred_at` is the change's.

use async_trait::async_trait;
use chorus_kernel::projection::projection_error;
use chorus_kernel::{on_tx, DbTx, RecordedEvent, StoreError};
use uuid::Uuid;

use crate::domain::{ScimGroupEvent, ScimUserEvent};

/// The tables the integrations projection owns (the architecture test's owners list).
pub const INTEGRATIONS_TABLES: &[&str] = &["scim_users", "scim_groups"];

/// Builds the integrations read models.
#[derive(Debug, Clone, Copy, Default)]
pub struct IntegrationsProjection;

fn aggregate_uuid(event: &RecordedEvent) -> Result<Uuid, StoreError> {
    Uuid::parse_str(&event.aggregate_id)
        .map_err(|_| StoreError::Metadata("aggregate id is not a uuid"))
}

#[async_trait]
impl chorus_kernel::Projection for IntegrationsProjection {
    fn name(&self) -> &'static str {
        "integrations"
    }

    fn tables(&self) -> &'static [&'static str] {
        INTEGRATIONS_TABLES
    }

    async fn apply(&self, tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
        let applied = match event.aggregate_type.as_str() {
            "scim_user" => apply_user(tx, event).await,
            "scim_group" => apply_group(tx, event).await,
            _ => Ok(()),
        };
        applied.map_err(|e| projection_error(self.name(), event, e))
    }
}

async fn apply_user(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let ScimUserEvent::ScimProfileRecorded {
        person_id,
        organization_id,
        profile,
        ..
    } = event.decode::<ScimUserEvent>()?;
    let at = event.metadata.occurred_at;
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO scim_users (person_id, organization_id, given_name, family_name, \
             employee_number, department, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (person_id) DO UPDATE SET given_name = excluded.given_name, \
             family_name = excluded.family_name, employee_number = excluded.employee_number, \
             department = excluded.department, updated_at = excluded.updated_at",
        )
        .bind(person_id).bind(organization_id)
        .bind(profile.given_name()).bind(profile.family_name())
        .bind(profile.employee_number()).bind(profile.department())
        .bind(at)
        .execute(&mut *c).await?;
    });
    Ok(())
}

async fn apply_group(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let id = aggregate_uuid(event)?;
    let at = event.metadata.occurred_at;
    match event.decode::<ScimGroupEvent>()? {
        ScimGroupEvent::ScimGroupConfigured {
            organization_id,
            display_name,
            function,
            responsibility,
            scope,
            ..
        } => on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO scim_groups (id, organization_id, display_name, function, \
                 responsibility, scope_kind, scope_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(id).bind(organization_id).bind(&display_name)
            .bind(function.as_str()).bind(responsibility.map(|r| r.as_str()))
            .bind(scope.kind.as_str()).bind(scope.id).bind(at)
            .execute(&mut *c).await?;
        }),
        ScimGroupEvent::ScimGroupLinked { external_id, .. } => on_tx!(tx, c => {
            sqlx::query(
                "UPDATE scim_groups SET external_id = $1, linked_at = $2, updated_at = $2 \
                 WHERE id = $3",
            )
            .bind(&external_id).bind(at).bind(id)
            .execute(&mut *c).await?;
        }),
        ScimGroupEvent::ScimGroupRenamed { display_name, .. } => on_tx!(tx, c => {
            sqlx::query("UPDATE scim_groups SET display_name = $1, updated_at = $2 WHERE id = $3")
                .bind(&display_name).bind(at).bind(id)
                .execute(&mut *c).await?;
        }),
        ScimGroupEvent::ScimGroupRemoved { .. } => on_tx!(tx, c => {
            sqlx::query("DELETE FROM scim_groups WHERE id = $1")
                .bind(id)
                .execute(&mut *c).await?;
        }),
    }
    Ok(())
}
