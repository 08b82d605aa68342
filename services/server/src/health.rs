//! What operators and load balancers ask: `/healthz` (the process is up), `/readyz` (the
//! database answers; projections report their quarantine) and `/metrics` (Prometheus).
//!
//! Quarantined events make `/readyz` say `degraded`, with status 200: a poison event
//! leaves every replica equally affected, so a 503 would take all of them out of the load
//! balancer, the very outage the quarantine exists to prevent. Alerts come from the body
//! and from `chorus_projection_quarantined_events`. Neither endpoint names an
//! organization or a log position.

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use futures::FutureExt;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use serde::Serialize;

use crate::state::AppState;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// `/readyz`'s body.
#[derive(Debug, Serialize)]
struct Readiness {
    /// `ready`, `degraded` (events in quarantine) or `unavailable`.
    status: &'static str,
    database: &'static str,
    projections: Vec<ProjectionHealth>,
}

#[derive(Debug, Serialize)]
struct ProjectionHealth {
    name: &'static str,
    /// Events this read model cannot apply, or that wait behind one.
    quarantined: i64,
    /// Events an operator left out on purpose.
    skipped: i64,
}

/// Ready when the database answers; `degraded` while a projection holds events in
/// quarantine.
pub async fn readyz(state: web::Data<Arc<AppState>>) -> HttpResponse {
    let ping = chorus_kernel::on_read!(&state.db, pool => {
        sqlx::query("SELECT 1").execute(pool).map(|r| r.map(|_| ())).await
    });
    if let Err(error) = ping {
        tracing::warn!(%error, "readiness check failed");
        return HttpResponse::ServiceUnavailable().json(Readiness {
            status: "unavailable",
            database: "down",
            projections: Vec::new(),
        });
    }
    match state.projector.quarantine_counts().await {
        Ok(counts) => {
            let projections: Vec<ProjectionHealth> = counts
                .into_iter()
                .map(|(name, counts)| ProjectionHealth {
                    name,
                    quarantined: counts.waiting(),
                    skipped: counts.skipped,
                })
                .collect();
            let status = if projections.iter().any(|p| p.quarantined > 0) {
                "degraded"
            } else {
                "ready"
            };
            HttpResponse::Ok().json(Readiness {
                status,
                database: "up",
                projections,
            })
        }
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            HttpResponse::ServiceUnavailable().json(Readiness {
                status: "unavailable",
                database: "down",
                projections: Vec::new(),
            })
        }
    }
}

/// Prometheus metrics in the OpenMetrics text format.
pub async fn metrics(state: web::Data<Arc<AppState>>) -> HttpResponse {
    let mut registry = Registry::default();
    let quarantined = Family::<Vec<(&'static str, &'static str)>, Gauge>::default();
    registry.register(
        "chorus_projection_quarantined_events",
        "Events a projection holds in quarantine, by status (failed, held, skipped)",
        quarantined.clone(),
    );
    let leader = Gauge::<i64>::default();
    registry.register(
        "chorus_projector_leader",
        "1 while this process leads the projections",
        leader.clone(),
    );
    leader.set(i64::from(state.projector.is_leader()));
    let (served, kept) = chorus_api::responses::counts();
    for (name, help, value) in [
        (
            "chorus_kept_responses_served",
            "GraphQL answers sent from memory",
            served,
        ),
        (
            "chorus_kept_responses_kept",
            "GraphQL answers kept in memory",
            kept,
        ),
    ] {
        let counter = Counter::<u64>::default();
        counter.inc_by(value);
        registry.register(name, help, counter);
    }
    match state.projector.quarantine_counts().await {
        Ok(counts) => {
            for (name, counts) in counts {
                for (status, count) in [
                    ("failed", counts.failed),
                    ("held", counts.held),
                    ("skipped", counts.skipped),
                ] {
                    quarantined
                        .get_or_create(&vec![("projection", name), ("status", status)])
                        .set(count);
                }
            }
        }
        Err(error) => {
            tracing::warn!(%error, "metrics: the quarantine could not be read");
            return HttpResponse::ServiceUnavailable().finish();
        }
    }
    let mut body = String::new();
    if let Err(error) = encode(&mut body, &registry) {
        tracing::error!(%error, "metrics could not be encoded");
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(body)
}
