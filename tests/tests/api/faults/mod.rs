//! The fault suite: Chorus attacked as a hostile user, a broken build or a noisy
//! neighbour would, on every backend. No input stops the service or corrupts what
//! auditors read; no tenant sees, slows or stops another.

mod budget;
mod export;
mod horizon;
mod poison;
mod positions;
mod text;
mod tokens;
mod web;
mod ws;
