//! The `chorus` server: configuration, HTTP, the GraphQL schema, authentication and the
//! command-line tools. Built as a library so tests can start it on port 0.

pub mod auth;
pub mod cli;
pub mod config;
pub mod demo;
mod demo_cases;
mod demo_content;
mod execute;
pub mod graphql;
pub mod health;
pub mod http;
pub mod modules;
pub mod state;
pub mod web;

#[cfg(test)]
mod architecture;

pub use config::Config;
pub use http::{start, start_with, RunningServer};

// The contexts and the shared toolkit, under the names the server's callers know them by.
pub use chorus_api::{error, positions};
pub use chorus_content as content;
pub use chorus_teams as teams;
