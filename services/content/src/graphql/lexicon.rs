//! The organization's flagging lexicon (`Lexicon`, `LexiconTerm`).

use async_graphql::{Context, SimpleObject};
use chorus_api::error::ApiResult;
use chorus_api::runtime;
use chorus_content_domain as content;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::enums::ContentFlag;
use crate::read;

/// A word or phrase that raises a flag.
#[derive(SimpleObject)]
pub struct LexiconTerm {
    flag: ContentFlag,
    /// Normalised: lowercased, single spaces.
    term: String,
    added_in_version: i64,
    added_at: DateTime<Utc>,
}

/// The organization's flagging lexicon as it is now.
#[derive(SimpleObject)]
pub struct Lexicon {
    /// Number of changes made so far.
    version: i64,
    terms: Vec<LexiconTerm>,
}

pub(super) async fn lexicon_now(ctx: &Context<'_>, org: Uuid) -> ApiResult<Lexicon> {
    let (lexicon, _, _) = runtime(ctx)?
        .store
        .load::<content::Lexicon>(&org.to_string())
        .await?;
    let rows = read::lexicon_terms(&runtime(ctx)?.db, org).await?;
    Ok(Lexicon {
        version: i64::try_from(lexicon.version()).unwrap_or(i64::MAX),
        terms: rows
            .into_iter()
            .map(|r| {
                Ok(LexiconTerm {
                    flag: ContentFlag::from_stored("lexicon_terms", "flag", &r.flag)?,
                    term: r.term,
                    added_in_version: r.added_in_version,
                    added_at: r.added_at,
                })
            })
            .collect::<ApiResult<Vec<_>>>()?,
    })
}
