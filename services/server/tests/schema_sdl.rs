//! `schema/schema.graphql` is the published contract for front-end teams and the typed
//! clients; it must always equal what the code serves.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

#[test]
fn schema_file_equals_the_served_schema() {
    let served = chorus_server::graphql::sdl();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/schema.graphql");
    if std::env::var_os("CHORUS_UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &served).expect("write schema/schema.graphql");
    }
    let committed = std::fs::read_to_string(path).expect("read schema/schema.graphql");
    assert!(
        committed.trim_end() == served.trim_end(),
        "schema/schema.graphql differs from the code; regenerate it with \
         `cargo run -p chorus-server -- schema > schema/schema.graphql` (or CHORUS_UPDATE_SCHEMA=1 cargo test)"
    );
}
