//! The flagging lexicon: one per organization (the aggregate id is the
//! organization id), a versioned list of words and phrases that flag a post
//! when its text contains them. Scanning is pure; the application layer
//! scans with the current lexicon and passes the matches into post commands.

mod aggregate;
mod commands;
mod errors;
mod events;
mod scan;

#[cfg(test)]
mod tests;

pub use aggregate::Lexicon;
pub use commands::LexiconCommand;
pub use errors::LexiconError;
pub use events::LexiconEvent;
pub use scan::{find_term, FoldedText, LexiconMatch};
