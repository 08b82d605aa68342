//! The black-box suite, one test binary: every module starts real Chorus servers on
//! fresh databases and talks to them only over HTTP and WebSocket. Each database test
//! runs as `<module>::<test>::sqlite` and `<module>::<test>::postgres` (see
//! `chorus_kernel::backend_tests!`).
//!
//! One binary rather than one per file: each links the whole server, and linking is most
//! of an incremental build.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod authorization;
mod cases;
mod concurrency;
mod confinement;
mod content_confinement;
mod content_lifecycle;
mod content_permissions;
mod faults;
mod http;
mod idempotency;
mod mutations;
mod queries;
mod relay;
mod reporting_lines;
mod resume;
mod roster;
mod scim;
mod subscriptions;
mod validation;
