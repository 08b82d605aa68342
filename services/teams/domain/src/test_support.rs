//! Helpers shared by the aggregates' tests.

use cqrs_es::DomainEvent;

/// Checks that every event survives a JSON round trip unchanged, is stored in
/// serde's externally tagged form under its `event_type()`, and has version 1.0.
pub(crate) fn assert_events_round_trip<E: DomainEvent>(events: &[E]) {
    for event in events {
        let json = serde_json::to_value(event).expect("event serializes");
        let tags: Vec<&String> = json
            .as_object()
            .expect("externally tagged events are JSON objects")
            .keys()
            .collect();
        assert_eq!(tags, vec![&event.event_type()], "tag of {event:?}");
        let back: E = serde_json::from_value(json).expect("event deserializes");
        assert_eq!(&back, event);
        assert_eq!(event.event_version(), "1.0");
    }
}

/// Extracts the variant name from an event's `Debug` output, so tests can
/// check `event_type()` against the Rust variant name independently of serde.
pub(crate) fn variant_name<E: std::fmt::Debug>(event: &E) -> String {
    let debug = format!("{event:?}");
    debug
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or_default()
        .to_string()
}
