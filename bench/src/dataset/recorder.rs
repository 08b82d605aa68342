//! Runs commands on in-memory aggregates, through their own command handlers (so every
//! event is one the command path could have produced), and buffers the events as rows
//! for the loader, at the instants the history gives them.

use chorus_content::HeldRole;
use chorus_teams::{
    Affiliation, DisplayName, Email, Person, PersonCommand, Reason, ReportingLines,
    ReportingLinesCommand, RoleFunction, RoleScope,
};
use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use uuid::Uuid;

use super::loader::{Loader, Row};
use crate::BenchError;

/// Rows buffered before they are written.
const FLUSH_ROWS: usize = 20_000;

pub(super) struct Recorder {
    organization_id: Uuid,
    loader: Loader,
    buffer: Vec<Row>,
    events: u64,
    /// People added so far, which numbers their names.
    people: usize,
}

/// An aggregate being built, with its id and last sequence.
pub(super) struct Tracked<A> {
    pub(super) id: Uuid,
    pub(super) aggregate: A,
    sequence: i64,
}

impl<A: Aggregate<Services = ()>> Tracked<A> {
    pub(super) fn new(id: Uuid) -> Self {
        Self {
            id,
            aggregate: A::default(),
            sequence: 0,
        }
    }
}

/// A domain value from generated text.
pub(super) fn value<T, V>(value: V) -> Result<T, BenchError>
where
    T: TryFrom<V>,
    T::Error: std::fmt::Display,
{
    T::try_from(value).map_err(|e| BenchError::Dataset(e.to_string()))
}

impl Recorder {
    pub(super) fn new(organization_id: Uuid, loader: Loader) -> Self {
        Self {
            organization_id,
            loader,
            buffer: Vec::new(),
            events: 0,
            people: 0,
        }
    }

    pub(super) fn organization_id(&self) -> Uuid {
        self.organization_id
    }

    /// People added so far by this organization's recorders (names are numbered by it).
    pub(super) fn people(&self) -> usize {
        self.people
    }

    /// Continues the numbering of people after `people` added earlier.
    pub(super) fn numbered_from(&mut self, people: usize) {
        self.people = people;
    }

    pub(super) async fn run<A>(
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

    /// Writes what is buffered and closes the loader; returns the events recorded.
    pub(super) async fn finish(mut self) -> Result<u64, BenchError> {
        self.flush().await?;
        self.loader.close().await?;
        Ok(self.events)
    }

    /// Adds person `id` (an employee named by a running number), as `admin_id`.
    pub(super) async fn add_person(
        &mut self,
        admin_id: Uuid,
        at: DateTime<Utc>,
        id: Uuid,
    ) -> Result<Tracked<Person>, BenchError> {
        self.people += 1;
        let n = self.people;
        let mut person = Tracked::<Person>::new(id);
        let command = PersonCommand::AddPerson {
            person_id: id,
            organization_id: self.organization_id,
            display_name: value::<DisplayName, _>(format!("Person {n}").as_str())?,
            email: value::<Email, _>(format!("person{n}@bench.example").as_str())?,
            affiliation: Affiliation::Internal,
            external_id: None,
        };
        self.run(&mut person, command, admin_id, at).await?;
        Ok(person)
    }

    /// Assigns `person` a role effective from `at`, granted by `admin_id`.
    pub(super) async fn assign(
        &mut self,
        person: &mut Tracked<Person>,
        (function, scope): (RoleFunction, RoleScope),
        reason: &str,
        at: DateTime<Utc>,
        admin_id: Uuid,
    ) -> Result<HeldRole, BenchError> {
        let assignment_id = Uuid::now_v7();
        let command = PersonCommand::AssignRole {
            assignment_id,
            function,
            responsibility: None,
            scope,
            effective_from: at,
            reason: value::<Reason, _>(reason)?,
            granted_by: admin_id,
            now: at,
        };
        self.run(person, command, admin_id, at).await?;
        Ok(HeldRole {
            assignment_id,
            function,
            responsibility: None,
            scope,
        })
    }

    pub(super) async fn set_manager(
        &mut self,
        reporting: &mut Tracked<ReportingLines>,
        (person_id, manager_id): (Uuid, Uuid),
        at: DateTime<Utc>,
        admin_id: Uuid,
    ) -> Result<(), BenchError> {
        let command = ReportingLinesCommand::SetReportingLine {
            person_id,
            manager_id,
        };
        self.run(reporting, command, admin_id, at).await?;
        Ok(())
    }
}
