//! The history the scenarios read: an organization with teams, channels, people, role
//! churn over two years, reporting lines, and posts approved under an eight-signature
//! policy. Every event comes out of the domain aggregates' own command handlers (so it is
//! one the command path could have produced) and is bulk-loaded into the events table:
//! `COPY` on PostgreSQL, multi-row inserts on SQLite. The read models are then built by
//! `chorus projections rebuild`, which is itself a scenario.

use std::collections::HashMap;
use std::fmt::Write as _;

use chorus_content::{
    ApprovalPolicy, ApprovalPolicyCommand, HeldRole, PolicyDefinition, PolicyScope, PolicySnapshot,
    PolicyStep, Post, PostCommand, PostText, SignerRule, StepConditions, StepName,
};
use chorus_teams::{
    Affiliation, Channel, ChannelCommand, DisplayName, Email, Handle, Organization,
    OrganizationCommand, OrganizationName, Person, PersonCommand, Reason, ReportingLines,
    ReportingLinesCommand, RoleFunction, RoleScope, ScopeKind, SocialNetwork, Team, TeamCommand,
    TeamName,
};
use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use sqlx::{Connection, PgConnection, SqliteConnection};
use uuid::Uuid;

use crate::BenchError;

/// How much history to generate.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Approvals stored (the auditor scenario's table size).
    pub approvals: usize,
    /// People who sign posts.
    pub approvers: usize,
    /// Signatures each post needs (one policy step).
    pub signatures_per_post: u8,
    /// Teams, each with one channel and one author.
    pub teams: usize,
    /// Members of the team the read scenario fetches (each with two roles there).
    pub read_team_members: usize,
    /// Membership changes in that team over the history (for time travel).
    pub read_team_churn: usize,
    /// People the write scenario assigns roles to.
    pub write_pool: usize,
    /// Length of the history.
    pub history_days: i64,
}

impl Plan {
    pub fn full() -> Self {
        Self {
            approvals: 1_000_000,
            approvers: 1_000,
            signatures_per_post: 8,
            teams: 40,
            read_team_members: 50,
            read_team_churn: 1_000,
            write_pool: 2_048,
            history_days: 730,
        }
    }

    pub fn quick() -> Self {
        Self {
            approvals: 4_000,
            approvers: 40,
            signatures_per_post: 8,
            teams: 8,
            read_team_members: 50,
            read_team_churn: 40,
            write_pool: 256,
            history_days: 730,
        }
    }
}

/// What was generated: the ids and instants the scenarios need.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub organization_id: Uuid,
    pub admin_id: Uuid,
    pub read_team_id: Uuid,
    pub teams: Vec<Uuid>,
    pub approvers: Vec<Uuid>,
    pub write_pool: Vec<Uuid>,
    pub history_from: DateTime<Utc>,
    pub history_to: DateTime<Utc>,
    pub events: u64,
    pub approvals: u64,
}

/// One row of the events table.
struct Row {
    aggregate_type: String,
    aggregate_id: String,
    sequence: i64,
    event_type: String,
    event_version: String,
    payload: String,
    actor_id: Uuid,
    occurred_at: DateTime<Utc>,
    correlation_id: Uuid,
}

/// Where generated rows go.
pub enum Loader {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

const COLUMNS: &str = "aggregate_type, aggregate_id, sequence, event_type, event_version, \
     payload, organization_id, actor_id, actor_kind, occurred_at, correlation_id, causation_id, \
     request_source";
const FLUSH_ROWS: usize = 20_000;
const SQLITE_ROWS_PER_STATEMENT: usize = 1_000;
const REQUEST_SOURCE: &str = "chorus-bench-loader";

impl Loader {
    pub async fn connect(url: &str) -> Result<Self, BenchError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite(SqliteConnection::connect(url).await?))
        } else {
            Ok(Self::Postgres(PgConnection::connect(url).await?))
        }
    }

    async fn write(&mut self, organization_id: Uuid, rows: &[Row]) -> Result<(), BenchError> {
        match self {
            Self::Postgres(conn) => {
                let mut csv = String::with_capacity(rows.len() * 700);
                for row in rows {
                    for (i, field) in [
                        row.aggregate_type.as_str(),
                        row.aggregate_id.as_str(),
                        &row.sequence.to_string(),
                        row.event_type.as_str(),
                        row.event_version.as_str(),
                        row.payload.as_str(),
                        &organization_id.to_string(),
                        &row.actor_id.to_string(),
                        "person",
                        &row.occurred_at.to_rfc3339(),
                        &row.correlation_id.to_string(),
                    ]
                    .iter()
                    .enumerate()
                    {
                        if i > 0 {
                            csv.push(',');
                        }
                        csv.push('"');
                        csv.push_str(&field.replace('"', "\"\""));
                        csv.push('"');
                    }
                    // causation_id is NULL (unquoted empty), then the request source.
                    let _ = writeln!(csv, ",,{REQUEST_SOURCE}");
                }
                let mut copy = conn
                    .copy_in_raw(&format!("COPY events ({COLUMNS}) FROM STDIN (FORMAT csv)"))
                    .await?;
                copy.send(csv.into_bytes()).await?;
                copy.finish().await?;
            }
            Self::Sqlite(conn) => {
                let mut tx = conn.begin().await?;
                for chunk in rows.chunks(SQLITE_ROWS_PER_STATEMENT) {
                    let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!(
                        "INSERT INTO events ({COLUMNS}) "
                    ));
                    qb.push_values(chunk, |mut b, row| {
                        b.push_bind(&row.aggregate_type)
                            .push_bind(&row.aggregate_id)
                            .push_bind(row.sequence)
                            .push_bind(&row.event_type)
                            .push_bind(&row.event_version)
                            .push_bind(&row.payload)
                            .push_bind(organization_id)
                            .push_bind(row.actor_id)
                            .push_bind("person")
                            .push_bind(row.occurred_at)
                            .push_bind(row.correlation_id)
                            .push_bind(None::<Uuid>)
                            .push_bind(REQUEST_SOURCE);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }

    pub async fn close(self) -> Result<(), BenchError> {
        match self {
            Self::Postgres(conn) => conn.close().await?,
            Self::Sqlite(conn) => conn.close().await?,
        }
        Ok(())
    }
}

/// Runs commands on in-memory aggregates and buffers the events they produce.
struct Recorder {
    organization_id: Uuid,
    loader: Loader,
    buffer: Vec<Row>,
    events: u64,
}

/// An aggregate being built, with its id and last sequence.
struct Tracked<A> {
    id: Uuid,
    aggregate: A,
    sequence: i64,
}

impl<A: Aggregate<Services = ()>> Tracked<A> {
    fn new(id: Uuid) -> Self {
        Self {
            id,
            aggregate: A::default(),
            sequence: 0,
        }
    }
}

impl Recorder {
    async fn run<A>(
        &mut self,
        tracked: &mut Tracked<A>,
        command: A::Command,
        actor_id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<usize, BenchError>
    where
        A: Aggregate<Services = ()>,
    {
        let sink = EventSink::<A>::default();
        tracked
            .aggregate
            .handle(command, &(), &sink)
            .await
            .map_err(|e| BenchError::Dataset(format!("{} command refused: {e}", A::TYPE)))?;
        let events = sink.collect().await;
        let correlation_id = Uuid::now_v7();
        let produced = events.len();
        for event in events {
            tracked.sequence += 1;
            self.buffer.push(Row {
                aggregate_type: A::TYPE.to_owned(),
                aggregate_id: tracked.id.to_string(),
                sequence: tracked.sequence,
                event_type: event.event_type(),
                event_version: event.event_version(),
                payload: serde_json::to_string(&event)?,
                actor_id,
                occurred_at: at,
                correlation_id,
            });
        }
        self.events += produced as u64;
        if self.buffer.len() >= FLUSH_ROWS {
            self.flush().await?;
        }
        Ok(produced)
    }

    async fn flush(&mut self) -> Result<(), BenchError> {
        if !self.buffer.is_empty() {
            let rows = std::mem::take(&mut self.buffer);
            self.loader.write(self.organization_id, &rows).await?;
        }
        Ok(())
    }
}

fn value<T, V>(value: V) -> Result<T, BenchError>
where
    T: TryFrom<V>,
    T::Error: std::fmt::Display,
{
    T::try_from(value).map_err(|e| BenchError::Dataset(e.to_string()))
}

/// A person with the assignment they act under.
#[derive(Clone)]
struct Held {
    person: Uuid,
    role: HeldRole,
}

/// Generates the history and loads it through `loader`.
pub async fn load(plan: Plan, loader: Loader) -> Result<Dataset, BenchError> {
    let organization_id = Uuid::now_v7();
    let admin_id = Uuid::now_v7();
    let history_to = Utc::now() - Duration::hours(1);
    let history_from = history_to - Duration::days(plan.history_days);
    let mut rec = Recorder {
        organization_id,
        loader,
        buffer: Vec::new(),
        events: 0,
    };
    let mut clock = history_from;
    let mut tick = || {
        clock += Duration::milliseconds(10);
        clock
    };

    let mut org = Tracked::<Organization>::new(organization_id);
    let at = tick();
    rec.run(
        &mut org,
        OrganizationCommand::CreateOrganization {
            organization_id,
            name: value::<OrganizationName, _>("Bench Corp")?,
            founding_admin_id: admin_id,
        },
        admin_id,
        at,
    )
    .await?;

    let mut people: HashMap<Uuid, Tracked<Person>> = HashMap::new();
    let mut added = 0usize;
    let admin = add_person(
        &mut rec,
        &mut added,
        organization_id,
        admin_id,
        tick(),
        admin_id,
    )
    .await?;
    people.insert(admin_id, admin);

    // Teams: the first eight are divisions, the rest sit under them.
    let mut teams = Vec::with_capacity(plan.teams);
    let mut channels = Vec::with_capacity(plan.teams);
    for i in 0..plan.teams {
        let id = Uuid::now_v7();
        let mut team = Tracked::<Team>::new(id);
        let parent_id = (i >= 8).then(|| teams[i % 8]);
        let at = tick();
        rec.run(
            &mut team,
            TeamCommand::CreateTeam {
                team_id: id,
                organization_id,
                name: value::<TeamName, _>(format!("Team {i}").as_str())?,
                parent_id,
            },
            admin_id,
            at,
        )
        .await?;
        teams.push(id);
        let channel_id = Uuid::now_v7();
        let mut channel = Tracked::<Channel>::new(channel_id);
        let at = tick();
        rec.run(
            &mut channel,
            ChannelCommand::RegisterChannel {
                channel_id,
                organization_id,
                team_id: id,
                network: SocialNetwork::X,
                handle: value::<Handle, _>(format!("benchteam{i}").as_str())?,
            },
            admin_id,
            at,
        )
        .await?;
        channels.push(channel_id);
    }
    let read_team_id = teams[0];

    async fn assign(
        rec: &mut Recorder,
        person: &mut Tracked<Person>,
        function: RoleFunction,
        scope: RoleScope,
        at: DateTime<Utc>,
        admin_id: Uuid,
    ) -> Result<HeldRole, BenchError> {
        let assignment_id = Uuid::now_v7();
        rec.run(
            person,
            PersonCommand::AssignRole {
                assignment_id,
                function,
                responsibility: None,
                scope,
                effective_from: at,
                reason: value::<Reason, _>("benchmark history")?,
                granted_by: admin_id,
                now: at,
            },
            admin_id,
            at,
        )
        .await?;
        Ok(HeldRole {
            assignment_id,
            function,
            responsibility: None,
            scope,
        })
    }

    // Approvers sign at organization scope; one author per team drafts for its channel.
    let mut approvers = Vec::with_capacity(plan.approvers);
    for _ in 0..plan.approvers {
        let id = Uuid::now_v7();
        let mut person =
            add_person(&mut rec, &mut added, organization_id, admin_id, tick(), id).await?;
        let role = assign(
            &mut rec,
            &mut person,
            RoleFunction::Marketing,
            RoleScope::organization(organization_id),
            tick(),
            admin_id,
        )
        .await?;
        approvers.push(Held { person: id, role });
        people.insert(id, person);
    }
    let mut authors = Vec::with_capacity(plan.teams);
    for team in &teams {
        let id = Uuid::now_v7();
        let mut person =
            add_person(&mut rec, &mut added, organization_id, admin_id, tick(), id).await?;
        let role = assign(
            &mut rec,
            &mut person,
            RoleFunction::SocialMedia,
            RoleScope::team(*team),
            tick(),
            admin_id,
        )
        .await?;
        authors.push(Held { person: id, role });
        people.insert(id, person);
    }

    // The read team: five leads, then members who come and go over the history; each
    // member holds two roles there and reports to a lead.
    let mut reporting = Tracked::<ReportingLines>::new(organization_id);
    let pool_size = plan.read_team_members * 3;
    let mut pool = Vec::with_capacity(pool_size);
    for _ in 0..pool_size {
        let id = Uuid::now_v7();
        let person =
            add_person(&mut rec, &mut added, organization_id, admin_id, tick(), id).await?;
        people.insert(id, person);
        pool.push(id);
    }
    let leads = 5.min(plan.read_team_members);
    let mut active: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    for (index, person_id) in pool.iter().take(plan.read_team_members).enumerate() {
        let person_id = *person_id;
        let at = tick();
        let roles = join_team(&mut rec, &mut people, person_id, read_team_id, at, admin_id).await?;
        if index >= leads {
            set_manager(
                &mut rec,
                &mut reporting,
                person_id,
                pool[index % leads],
                at,
                admin_id,
            )
            .await?;
        }
        active.push((person_id, roles));
    }
    let span = history_to - history_from;
    let mut next_joiner = plan.read_team_members;
    for churn in 0..plan.read_team_churn {
        let at = history_from + span * (churn as i32 + 1) / (plan.read_team_churn as i32 + 2);
        // A non-lead member leaves; someone from the pool who is not a member joins.
        let leaving = leads + churn % (plan.read_team_members - leads).max(1);
        let (left, roles) = active.remove(leaving);
        for assignment_id in roles {
            let person = people
                .get_mut(&left)
                .ok_or_else(|| BenchError::Dataset("unknown person".into()))?;
            rec.run(
                person,
                PersonCommand::RevokeRole {
                    assignment_id,
                    reason: value::<Reason, _>("moved on")?,
                    revoked_by: admin_id,
                    at,
                },
                admin_id,
                at,
            )
            .await?;
        }
        let joiner = loop {
            let candidate = pool[next_joiner % pool.len()];
            next_joiner += 1;
            if candidate != left && !active.iter().any(|(p, _)| *p == candidate) {
                break candidate;
            }
        };
        let roles = join_team(&mut rec, &mut people, joiner, read_team_id, at, admin_id).await?;
        // A returning member may already report to this lead: the domain refuses a
        // change that changes nothing, so only a new line is set.
        let lead = pool[churn % leads];
        if reporting.aggregate.manager_of(joiner) != Some(lead) {
            set_manager(&mut rec, &mut reporting, joiner, lead, at, admin_id).await?;
        }
        active.insert(leaving, (joiner, roles));
    }

    // People the write scenario assigns roles to.
    let mut write_pool = Vec::with_capacity(plan.write_pool);
    for _ in 0..plan.write_pool {
        let id = Uuid::now_v7();
        let person =
            add_person(&mut rec, &mut added, organization_id, admin_id, tick(), id).await?;
        people.insert(id, person);
        write_pool.push(id);
    }

    // One organization-wide policy: a single step signed by eight marketing people.
    let policy_id = Uuid::now_v7();
    let scope = PolicyScope {
        kind: ScopeKind::Organization,
        id: organization_id,
    };
    let definition = PolicyDefinition::new(
        vec![PolicyStep {
            name: value::<StepName, _>("review")?,
            conditions: StepConditions::default(),
            signers: vec![SignerRule {
                function: RoleFunction::Marketing,
                responsibility: None,
            }],
            required_signatures: plan.signatures_per_post,
        }],
        None,
    )
    .map_err(|e| BenchError::Dataset(e.to_string()))?;
    let mut policy = Tracked::<ApprovalPolicy>::new(policy_id);
    let at = tick();
    rec.run(
        &mut policy,
        ApprovalPolicyCommand::DefinePolicy {
            policy_id,
            organization_id,
            scope,
            definition: definition.clone(),
            by: admin_id,
        },
        admin_id,
        at,
    )
    .await?;
    let snapshot = PolicySnapshot {
        policy_id,
        version: 1,
        scope,
        definition,
    };
    drop(people);

    // Posts, evenly over the history: drafted, submitted, then signed eight times (the
    // last signature approves).
    let signatures = usize::from(plan.signatures_per_post);
    let posts = plan.approvals.div_ceil(signatures);
    let mut approvals = 0u64;
    for i in 0..posts {
        let start = history_from + span * (i as i32) / (posts as i32 + 1) + Duration::hours(1);
        let author = &authors[i % authors.len()];
        let post_id = Uuid::now_v7();
        let mut post = Tracked::<Post>::new(post_id);
        rec.run(
            &mut post,
            PostCommand::DraftPost {
                post_id,
                organization_id,
                author_id: author.person,
                author_roles: vec![author.role],
                channel_ids: vec![channels[i % channels.len()]],
                text: value::<PostText, _>(
                    format!("Benchmark post {i}: our spring collection is live, come and see.")
                        .as_str(),
                )?,
                media: Vec::new(),
                campaign: None,
                scheduled_at: None,
                author_flags: Vec::new(),
                lexicon_matches: Vec::new(),
                now: start,
            },
            author.person,
            start,
        )
        .await?;
        let at = start + Duration::minutes(1);
        rec.run(
            &mut post,
            PostCommand::SubmitPost {
                policies: vec![snapshot.clone()],
                by: author.person,
                now: at,
            },
            author.person,
            at,
        )
        .await?;
        for s in 0..signatures {
            let signer = &approvers[(i * signatures + s) % approvers.len()];
            let at = start + Duration::minutes(2 + s as i64);
            rec.run(
                &mut post,
                PostCommand::ApprovePost {
                    signer_id: signer.person,
                    signer_roles: vec![signer.role],
                    step: None,
                    comment: None,
                    now: at,
                },
                signer.person,
                at,
            )
            .await?;
            approvals += 1;
        }
    }
    rec.flush().await?;
    let events = rec.events;
    rec.loader.close().await?;
    Ok(Dataset {
        organization_id,
        admin_id,
        read_team_id,
        teams,
        approvers: approvers.iter().map(|a| a.person).collect(),
        write_pool,
        history_from,
        history_to,
        events,
        approvals,
    })
}

async fn add_person(
    rec: &mut Recorder,
    added: &mut usize,
    organization_id: Uuid,
    admin_id: Uuid,
    at: DateTime<Utc>,
    id: Uuid,
) -> Result<Tracked<Person>, BenchError> {
    *added += 1;
    let n = *added;
    let mut person = Tracked::<Person>::new(id);
    rec.run(
        &mut person,
        PersonCommand::AddPerson {
            person_id: id,
            organization_id,
            display_name: value::<DisplayName, _>(format!("Person {n}").as_str())?,
            email: value::<Email, _>(format!("person{n}@bench.example").as_str())?,
            affiliation: Affiliation::Internal,
            external_id: None,
        },
        admin_id,
        at,
    )
    .await?;
    Ok(person)
}

async fn join_team(
    rec: &mut Recorder,
    people: &mut HashMap<Uuid, Tracked<Person>>,
    person_id: Uuid,
    team: Uuid,
    at: DateTime<Utc>,
    admin_id: Uuid,
) -> Result<Vec<Uuid>, BenchError> {
    let person = people
        .get_mut(&person_id)
        .ok_or_else(|| BenchError::Dataset("unknown person".into()))?;
    let mut roles = Vec::new();
    for function in [RoleFunction::SocialMedia, RoleFunction::Analytics] {
        let assignment_id = Uuid::now_v7();
        rec.run(
            person,
            PersonCommand::AssignRole {
                assignment_id,
                function,
                responsibility: None,
                scope: RoleScope::team(team),
                effective_from: at,
                reason: value::<Reason, _>("joined the team")?,
                granted_by: admin_id,
                now: at,
            },
            admin_id,
            at,
        )
        .await?;
        roles.push(assignment_id);
    }
    Ok(roles)
}

async fn set_manager(
    rec: &mut Recorder,
    reporting: &mut Tracked<ReportingLines>,
    person_id: Uuid,
    manager_id: Uuid,
    at: DateTime<Utc>,
    admin_id: Uuid,
) -> Result<(), BenchError> {
    rec.run(
        reporting,
        ReportingLinesCommand::SetReportingLine {
            person_id,
            manager_id,
        },
        admin_id,
        at,
    )
    .await?;
    Ok(())
}
