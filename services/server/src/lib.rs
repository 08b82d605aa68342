//! The `chorus` server: configuration, HTTP, the GraphQL schema, authentication and the
//! command-line tools. Built as a library so tests can start it on port 0.

#[macro_use]
mod macros;

pub mod auth;
pub mod cli;
pub mod config;
pub mod content;
pub mod demo;
pub mod error;
pub mod graphql;
pub mod health;
pub mod http;
pub mod positions;
pub mod state;
pub mod teams;
pub mod web;

pub use config::Config;
pub use http::{start, start_with, RunningServer};
