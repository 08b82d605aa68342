//! The teams projection folds a batch's events in memory and writes each table once per
//! segment: a rebuild that puts one person's whole history in one batch (added, lines set
//! and changed, roles assigned and revoked, their roster row removed and made again,
//! offboarded) must leave every column of every teams table as the live server wrote it,
//! applying one command at a time, and so must a rebuild in batches of any size.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{on_read, Actor, Backend, CommandContext, LogPosition, Projection, Projector};
use chorus_server::state::AppState;
use chorus_server::Config;
use chorus_teams::{
    Channel, ChannelCommand, Handle, Person, PersonCommand, Reason, ReportingLines,
    ReportingLinesCommand, RoleFunction, RoleScope, SocialNetwork, Team, TeamCommand, TeamName,
};
use chrono::Utc;
use uuid::Uuid;

const TEAMS_TABLES: &[&str] = &[
    "organizations",
    "teams",
    "people",
    "role_assignments",
    "reporting_lines",
    "team_roster",
    "channels",
    "service_tokens",
];

struct World {
    _db: TestDatabase,
    state: Arc<AppState>,
    org: Uuid,
    admin: Uuid,
    last: LogPosition,
}

impl World {
    async fn new(backend: TestBackend) -> World {
        let db = TestDatabase::create(backend).await;
        let state = AppState::open(Config {
            database_url: db.url().to_owned(),
            ..Default::default()
        })
        .await
        .expect("open state");
        let issued = chorus_server::cli::init(&state, "Acme", "ada@acme.example", None)
            .await
            .expect("init");
        World {
            _db: db,
            state,
            org: issued.organization_id,
            admin: issued.person_id.expect("admin person"),
            last: LogPosition::START,
        }
    }

    /// Runs one command as the admin and waits for the live read models.
    async fn run<A>(&mut self, id: Uuid, command: A::Command)
    where
        A: cqrs_es::Aggregate<Services = ()>,
        A::Command: Send,
        A::Error: Send,
    {
        let context = CommandContext::new(self.org, Actor::person(self.admin), "test");
        let outcome = self
            .state
            .store
            .execute::<A>(&context, &id.to_string(), command, &())
            .await
            .expect("command accepted");
        self.state
            .projector
            .catch_up_to(outcome.position, Duration::from_secs(10))
            .await
            .expect("read models caught up");
        self.last = outcome.position;
    }

    async fn person(&mut self, name: &str) -> Uuid {
        let person = Uuid::now_v7();
        self.run::<Person>(
            person,
            PersonCommand::AddPerson {
                person_id: person,
                organization_id: self.org,
                display_name: chorus_teams::DisplayName::try_from(name).expect("name"),
                email: chorus_teams::Email::try_from(format!("{name}@acme.example").as_str())
                    .expect("email"),
                affiliation: chorus_teams::Affiliation::Internal,
                external_id: None,
            },
        )
        .await;
        person
    }

    async fn assign(&mut self, person: Uuid, function: RoleFunction, scope: RoleScope) -> Uuid {
        let assignment_id = Uuid::now_v7();
        let at = Utc::now();
        self.run::<Person>(
            person,
            PersonCommand::AssignRole {
                assignment_id,
                function,
                responsibility: None,
                scope,
                effective_from: at,
                reason: Reason::try_from("test").expect("reason"),
                granted_by: self.admin,
                now: at,
            },
        )
        .await;
        assignment_id
    }

    async fn revoke(&mut self, person: Uuid, assignment_id: Uuid) {
        self.run::<Person>(
            person,
            PersonCommand::RevokeRole {
                assignment_id,
                reason: Reason::try_from("done").expect("reason"),
                revoked_by: self.admin,
                at: Utc::now(),
            },
        )
        .await;
    }

    async fn line(&mut self, person: Uuid, manager: Option<Uuid>) {
        let command = match manager {
            Some(manager_id) => ReportingLinesCommand::SetReportingLine {
                person_id: person,
                manager_id,
            },
            None => ReportingLinesCommand::ClearReportingLine { person_id: person },
        };
        let org = self.org;
        self.run::<ReportingLines>(org, command).await;
    }

    /// Every row of every teams table, all columns rendered as text, ordered.
    async fn teams_tables(&self) -> BTreeMap<&'static str, Vec<String>> {
        let mut tables = BTreeMap::new();
        for table in TEAMS_TABLES {
            let sql = match self.state.db.backend() {
                Backend::Postgres => format!(
                    "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_name = '{table}' AND table_schema = current_schema() \
                     ORDER BY ordinal_position"
                ),
                Backend::Sqlite => {
                    format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
                }
            };
            let columns = self.texts(&sql).await;
            assert!(!columns.is_empty(), "{table} has columns");
            let render = |c: &String| match self.state.db.backend() {
                Backend::Postgres => format!("COALESCE(CAST({c} AS TEXT), '∅')"),
                Backend::Sqlite => format!("quote({c})"),
            };
            let select = columns
                .iter()
                .map(render)
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let rows = self
                .texts(&format!("SELECT {select} FROM {table} ORDER BY 1"))
                .await;
            tables.insert(*table, rows);
        }
        tables
    }

    async fn texts(&self, sql: &str) -> Vec<String> {
        on_read!(&self.state.db, pool => {
            sqlx::query_scalar(sql).fetch_all(pool).await.expect("rows")
        })
    }
}

/// Empties the teams tables and applies the whole log with one `apply_batch`, in one
/// transaction. A projector that gets an error from a batch retries it event by event,
/// which would hide a fold that fails; here an error fails the test.
async fn apply_whole_log_in_one_batch(w: &World) {
    let events = w
        .state
        .reader
        .read_after(LogPosition::START, 100_000)
        .await
        .expect("log");
    assert!(events.last().is_some_and(|e| e.position == w.last));
    let mut tx = w.state.db.begin().await.expect("begin");
    for table in TEAMS_TABLES {
        let sql = format!("DELETE FROM {table}");
        chorus_kernel::on_tx!(&mut tx, c => {
            sqlx::query(&sql).execute(c).await.expect("emptied");
        });
    }
    chorus_teams::projection::TeamsProjection
        .apply_batch(&mut tx, &events)
        .await
        .expect("the fold applies the whole log");
    tx.commit().await.expect("commit");
}

async fn rebuild_up_to(projector: &Projector, last: LogPosition) {
    projector.rebuild(Some("teams")).await.expect("rebuild");
    projector
        .catch_up_to(last, Duration::from_secs(10))
        .await
        .expect("caught up");
}

/// A history where the same person, team and roles change many times, so that a batch
/// of the whole log folds creations, revocations, line changes and a roster row removed
/// and made again before writing them.
async fn busy_teams_world(backend: TestBackend) -> World {
    let mut w = World::new(backend).await;
    let team = Uuid::now_v7();
    let org = w.org;
    w.run::<Team>(
        team,
        TeamCommand::CreateTeam {
            team_id: team,
            organization_id: org,
            name: TeamName::try_from("Social").expect("team name"),
            parent_id: None,
        },
    )
    .await;
    let channel = Uuid::now_v7();
    w.run::<Channel>(
        channel,
        ChannelCommand::RegisterChannel {
            channel_id: channel,
            organization_id: org,
            team_id: team,
            network: SocialNetwork::X,
            handle: Handle::try_from("acme").expect("handle"),
        },
    )
    .await;
    let (pat, mia, max) = (
        w.person("pat").await,
        w.person("mia").await,
        w.person("max").await,
    );
    // Pat's line before Pat is a member: the roster row copies it when it is made.
    w.line(pat, Some(mia)).await;
    let first = w
        .assign(pat, RoleFunction::Marketing, RoleScope::team(team))
        .await;
    let second = w
        .assign(pat, RoleFunction::SocialMedia, RoleScope::team(team))
        .await;
    let organization_wide = w
        .assign(pat, RoleFunction::Legal, RoleScope::organization(org))
        .await;
    // Line changes while a member: set, changed back, cleared, set again.
    w.line(pat, Some(max)).await;
    w.line(pat, Some(mia)).await;
    w.line(pat, None).await;
    w.line(pat, Some(max)).await;
    // Both team roles revoked (the row goes), then a new one (the row comes back).
    w.revoke(pat, first).await;
    w.revoke(pat, second).await;
    w.revoke(pat, organization_wide).await;
    let third = w
        .assign(pat, RoleFunction::Marketing, RoleScope::team(team))
        .await;
    // Mia a member too, managed by Max; Max a member who manages both.
    w.assign(mia, RoleFunction::SeniorManagement, RoleScope::team(team))
        .await;
    w.line(mia, Some(max)).await;
    w.assign(max, RoleFunction::Legal, RoleScope::team(team))
        .await;
    // An update ends a segment; the roster rows showing Max change with it.
    w.run::<Person>(
        max,
        PersonCommand::UpdatePerson {
            display_name: Some(chorus_teams::DisplayName::try_from("Maxine").expect("name")),
            email: None,
            affiliation: None,
            external_id: None,
        },
    )
    .await;
    w.line(pat, Some(mia)).await;
    w.assign(pat, RoleFunction::SocialMedia, RoleScope::team(team))
        .await;
    w.revoke(pat, third).await;
    // Pat offboarded: every role revoked in the same command, then the offboarding.
    let admin = w.admin;
    w.run::<Person>(
        pat,
        PersonCommand::OffboardPerson {
            reason: None,
            at: Utc::now(),
            by: admin,
        },
    )
    .await;
    // After the offboarding, more in the same batch of a rebuild.
    let late = w.person("lee").await;
    w.assign(late, RoleFunction::Marketing, RoleScope::team(team))
        .await;
    w.line(late, Some(max)).await;
    w.line(mia, None).await;
    w
}

backend_tests! {
    async fn rebuild_gives_the_live_teams_rows_whatever_the_batch_size(backend: TestBackend) {
        let w = busy_teams_world(backend).await;
        let before = w.teams_tables().await;
        for table in ["people", "role_assignments", "reporting_lines", "team_roster"] {
            assert!(!before[table].is_empty(), "{table} has rows");
        }
        assert_eq!(before["team_roster"].len(), 3, "{:?}", before["team_roster"]);
        apply_whole_log_in_one_batch(&w).await;
        let folded = w.teams_tables().await;
        for (table, rows) in &before {
            assert_eq!(rows, &folded[table], "{table} is identical after one fold of the log");
        }
        // Rebuilds: the whole log in one batch, then batches cut everywhere.
        let mut projectors = vec![(0, w.state.projector.clone())];
        for size in [1, 2, 3, 5, 8, 13] {
            projectors.push((size, w.state.projector.with_batch_size(size)));
        }
        for (size, projector) in projectors {
            rebuild_up_to(&projector, w.last).await;
            let after = w.teams_tables().await;
            for (table, rows) in &before {
                assert_eq!(
                    rows, &after[table],
                    "{table} is identical after a rebuild in batches of {size} (0: the default)"
                );
            }
        }
    }
}
