//! The test kit of the domain crates' tests: checks every aggregate's events and every
//! value type need. Compiled for this crate's tests, and for other domain crates' tests
//! through the `testing` feature (their dev-dependency turns it on).
#![allow(clippy::expect_used)] // test code: a failed check stops the test right there

use cqrs_es::DomainEvent;
use serde::Serialize;

use crate::values::ValueError;

/// Checks that every event survives a JSON round trip unchanged, is stored in
/// serde's externally tagged form under its `event_type()`, is named after its Rust
/// variant (checked against its `Debug` output, independently of serde), and has
/// version 1.0.
pub fn assert_events_round_trip<E: DomainEvent>(events: &[E]) {
    for event in events {
        assert_eq!(event.event_type(), variant_name(event));
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
pub fn variant_name<E: std::fmt::Debug>(event: &E) -> String {
    let debug = format!("{event:?}");
    debug
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The state `events` rebuild: each applied in order to a new aggregate, as loading its
/// stream does.
pub fn replayed<A: cqrs_es::Aggregate>(events: impl IntoIterator<Item = A::Event>) -> A {
    let mut aggregate = A::default();
    for event in events {
        aggregate.apply(event);
    }
    aggregate
}

/// The field a refused value names.
pub fn field_of<T: std::fmt::Debug>(result: Result<T, ValueError>) -> &'static str {
    result.expect_err("value should be rejected").field
}

/// Checks each error's stable code, the `extensions.code` clients branch on (listed in
/// `docs/errors.md`); a failure names the error.
pub fn assert_error_codes(cases: &[(&dyn chorus_shared::DomainCode, &str)]) {
    for (error, code) in cases {
        assert_eq!(error.domain_code(), *code, "{error:?}");
    }
}

/// Checks a code enum: `count` variants, each one's name its serde form and parsing back,
/// and an unknown name refused naming `field`.
pub fn assert_code_enum<T>(all: &[T], as_str: fn(&T) -> &'static str, count: usize, field: &str)
where
    T: Serialize + std::str::FromStr<Err = ValueError> + PartialEq + std::fmt::Debug,
{
    assert_eq!(all.len(), count);
    for value in all {
        let json = serde_json::to_string(value).expect("serialize");
        assert_eq!(json, format!("\"{}\"", as_str(value)));
        assert_eq!(&as_str(value).parse::<T>().expect("parse"), value);
    }
    assert_eq!(field_of("NOPE".parse::<T>()), field);
}

/// Checks a trimmed, length-bounded text value `T`: `padded` parses to `trimmed`,
/// `max_chars` characters are accepted and one more is refused naming `field`.
pub fn assert_bounded_text<T>(padded: &str, trimmed: &str, max_chars: usize, field: &str)
where
    T: TryFrom<String, Error = ValueError> + AsRef<str> + std::fmt::Debug,
{
    let value = T::try_from(padded.to_string()).expect("valid");
    assert_eq!(value.as_ref(), trimmed);
    assert!(
        T::try_from("x".repeat(max_chars)).is_ok(),
        "{max_chars} chars"
    );
    assert_eq!(field_of(T::try_from("x".repeat(max_chars + 1))), field);
}

/// Checks that a text value `T` normalises `raw` to `normalised`: the value reads
/// `normalised` and equals the value parsed from `normalised` itself.
pub fn assert_normalised<T>(raw: &str, normalised: &str)
where
    T: TryFrom<String, Error = ValueError> + AsRef<str> + PartialEq + std::fmt::Debug,
{
    let value = T::try_from(raw.to_string()).expect("valid");
    assert_eq!(value.as_ref(), normalised);
    assert_eq!(value, T::try_from(normalised.to_string()).expect("valid"));
}

/// Checks that a text value `T` is stored as a plain JSON string: the value parsed from
/// `parsed` serializes as the string `serialized`, and the JSON string `deserialized`
/// decodes, through the same rules as parsing, to that value.
pub fn assert_plain_json_string<T>(parsed: &str, serialized: &str, deserialized: &str)
where
    T: TryFrom<String, Error = ValueError>
        + Serialize
        + serde::de::DeserializeOwned
        + PartialEq
        + std::fmt::Debug,
{
    let value = T::try_from(parsed.to_string()).expect("valid");
    assert_eq!(
        serde_json::to_value(&value).expect("serialize"),
        serde_json::Value::from(serialized)
    );
    let back: T = serde_json::from_value(deserialized.into()).expect("deserialize");
    assert_eq!(back, value);
}

/// Checks that every one of `inputs` is refused as a `T`, naming `field`.
pub fn assert_refused<T>(inputs: &[&str], field: &str)
where
    T: TryFrom<String, Error = ValueError> + std::fmt::Debug,
{
    for input in inputs {
        assert_eq!(field_of(T::try_from(input.to_string())), field, "{input:?}");
    }
}

/// The organization of every aggregate test.
pub const ORG: uuid::Uuid = uuid::Uuid::from_u128(0x0a);
/// The team of every aggregate test.
pub const TEAM: uuid::Uuid = uuid::Uuid::from_u128(0x7e);
/// The administrator acting in the aggregate tests.
pub const ADMIN: uuid::Uuid = uuid::Uuid::from_u128(0xad);

/// Fixed reference time of every aggregate test.
pub fn t0() -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc
        .with_ymd_and_hms(2025, 3, 1, 12, 0, 0)
        .single()
        .expect("valid fixed time")
}

/// What `command` does to an aggregate (without services) whose history is `given`: the
/// events it records, or its refusal.
pub fn outcome<A>(given: Vec<A::Event>, command: A::Command) -> Result<Vec<A::Event>, A::Error>
where
    A: cqrs_es::Aggregate<Services = ()>,
{
    cqrs_es::test::TestFramework::<A>::with(())
        .given(given)
        .when(command)
        .inspect_result()
}

/// The events `command` records on an aggregate whose history is `given`; fails the test
/// when the command is refused.
pub fn records<A>(given: Vec<A::Event>, command: A::Command) -> Vec<A::Event>
where
    A: cqrs_es::Aggregate<Services = ()>,
{
    outcome::<A>(given, command).expect("the command should be accepted")
}

/// Why `command` is refused on an aggregate whose history is `given`; fails the test when
/// the command records events instead.
pub fn refused<A>(given: Vec<A::Event>, command: A::Command) -> A::Error
where
    A: cqrs_es::Aggregate<Services = ()>,
{
    outcome::<A>(given, command).expect_err("the command should be refused")
}

/// One row of a table of commands: what the case is, the aggregate's history, the command,
/// and what the command should come to (the events it records, or its refusal).
pub type Case<A> = (
    &'static str,
    Vec<<A as cqrs_es::Aggregate>::Event>,
    <A as cqrs_es::Aggregate>::Command,
    Result<Vec<<A as cqrs_es::Aggregate>::Event>, <A as cqrs_es::Aggregate>::Error>,
);

/// Checks a table of commands, for the tests of a command whose cases differ only in data:
/// given each case's history, when its command, then its [`outcome`]. A failure names the
/// case.
pub fn assert_outcomes<A>(cases: Vec<Case<A>>)
where
    A: cqrs_es::Aggregate<Services = ()>,
    A::Error: PartialEq,
{
    for (case, given, command, expected) in cases {
        assert_eq!(outcome::<A>(given, command), expected, "{case}");
    }
}
