//! An event as it leaves Chorus: a CloudEvents 1.0 structured JSON message, the same for
//! every destination (the NATS relay; webhooks send the same body).

use chorus_kernel::RecordedEvent;
use serde_json::{json, Value};

/// What the relay knows of a kind of record: the context that publishes it and the `Node`
/// kind its ids are global ids of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayedKind {
    pub context: &'static str,
    pub aggregate_type: &'static str,
    pub node_kind: &'static str,
}

/// The kinds of records that leave Chorus (those subscribers may follow).
#[derive(Debug, Clone, Default)]
pub struct RelayedKinds(Vec<RelayedKind>);

impl RelayedKinds {
    pub fn new(kinds: Vec<RelayedKind>) -> Self {
        Self(kinds)
    }

    /// The kind of `event`'s record, if it leaves Chorus.
    pub fn of(&self, event: &RecordedEvent) -> Option<&RelayedKind> {
        self.0
            .iter()
            .find(|kind| kind.aggregate_type == event.aggregate_type)
    }
}

/// An event's id: stable across retries and destinations, naming the record and its
/// place in the record's history (nothing about the rest of the log).
pub fn event_id(event: &RecordedEvent) -> String {
    format!(
        "{}:{}:{}",
        event.aggregate_type, event.aggregate_id, event.sequence
    )
}

/// The record and sequence an [`event_id`] names.
pub fn parse_event_id(id: &str) -> Option<(&str, &str, i64)> {
    let (rest, sequence) = id.rsplit_once(':')?;
    let (aggregate_type, aggregate_id) = rest.split_once(':')?;
    Some((aggregate_type, aggregate_id, sequence.parse().ok()?))
}

/// The NATS subject of `event`: `<prefix>.<organization>.<context>.<event type>`.
pub fn subject(prefix: &str, kind: &RelayedKind, event: &RecordedEvent) -> String {
    format!(
        "{prefix}.{}.{}.{}",
        event.metadata.organization_id, kind.context, event.event_type
    )
}

/// The CloudEvents 1.0 structured JSON of `event`.
pub fn cloud_event(kind: &RelayedKind, event: &RecordedEvent) -> Value {
    let major = event
        .event_version
        .split('.')
        .next()
        .unwrap_or(&event.event_version);
    let subject = uuid::Uuid::parse_str(&event.aggregate_id).map_or_else(
        |_| event.aggregate_id.clone(),
        |id| chorus_api::encode_id(kind.node_kind, id).0,
    );
    json!({
        "specversion": "1.0",
        "id": event_id(event),
        "source": format!("/chorus/organizations/{}", event.metadata.organization_id),
        "type": format!("com.chorus.{}.{}.v{major}", kind.context, event.event_type),
        "subject": subject,
        "time": event.metadata.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "datacontenttype": "application/json",
        "data": event.payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_id_names_its_record_and_sequence_and_reads_back() {
        assert_eq!(
            parse_event_id("case:0190a000-0000-7000-8000-000000000001:12"),
            Some(("case", "0190a000-0000-7000-8000-000000000001", 12))
        );
        assert_eq!(parse_event_id("case:x"), None);
        assert_eq!(parse_event_id("case:x:y"), None);
    }
}
