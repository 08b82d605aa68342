use cqrs_es::Aggregate;

use super::*;
use crate::test_support::{assert_events_round_trip, assert_outcomes, replayed, ADMIN, ORG};
use crate::values::{ContentFlag, LexiconTerm};

fn term(raw: &str) -> LexiconTerm {
    LexiconTerm::try_from(raw).expect("valid term")
}

fn added(version: u64, flag: ContentFlag, term: &str) -> LexiconEvent {
    LexiconEvent::LexiconTermAdded {
        organization_id: ORG,
        version,
        flag,
        term: term.to_string(),
        by: ADMIN,
    }
}

fn removed(version: u64, flag: ContentFlag, term: &str) -> LexiconEvent {
    LexiconEvent::LexiconTermRemoved {
        version,
        flag,
        term: term.to_string(),
        by: ADMIN,
    }
}

fn add(flag: ContentFlag, raw: &str) -> LexiconCommand {
    LexiconCommand::AddLexiconTerm {
        organization_id: ORG,
        flag,
        term: term(raw),
        by: ADMIN,
    }
}

fn remove(flag: ContentFlag, raw: &str) -> LexiconCommand {
    LexiconCommand::RemoveLexiconTerm {
        flag,
        term: term(raw),
        by: ADMIN,
    }
}

fn lexicon(events: Vec<LexiconEvent>) -> Lexicon {
    replayed(events)
}

/// Pricing: "free", "50% off", "limited time offer"; crisis: "recall";
/// promotion: "giveaway", "win".
fn sample() -> Lexicon {
    lexicon(vec![
        added(1, ContentFlag::MentionsPricing, "free"),
        added(2, ContentFlag::MentionsPricing, "50% off"),
        added(3, ContentFlag::MentionsPricing, "limited time offer"),
        added(4, ContentFlag::CrisisRelated, "recall"),
        added(5, ContentFlag::ContestOrPromotion, "giveaway"),
        added(6, ContentFlag::ContestOrPromotion, "win"),
    ])
}

/// Checks that scanning `text` finds exactly `expected` (flag and term), in order.
fn assert_finds(lexicon: &Lexicon, text: &str, expected: &[(ContentFlag, &str)]) {
    let found: Vec<(ContentFlag, String)> = lexicon
        .scan(text)
        .into_iter()
        .map(|m| (m.flag, m.term))
        .collect();
    let expected: Vec<(ContentFlag, String)> = expected
        .iter()
        .map(|(flag, term)| (*flag, term.to_string()))
        .collect();
    assert_eq!(found, expected, "{text:?}");
}

// ---- commands and versions ----

#[test]
fn add_term() {
    assert_outcomes::<Lexicon>(vec![
        (
            "the first term creates version 1",
            vec![],
            add(ContentFlag::MentionsPricing, "  FREE "),
            Ok(vec![added(1, ContentFlag::MentionsPricing, "free")]),
        ),
        (
            "every change bumps the version",
            vec![
                added(1, ContentFlag::MentionsPricing, "free"),
                removed(2, ContentFlag::MentionsPricing, "free"),
            ],
            add(ContentFlag::CrisisRelated, "recall"),
            Ok(vec![added(3, ContentFlag::CrisisRelated, "recall")]),
        ),
        (
            "the same term may raise several flags",
            vec![added(1, ContentFlag::MentionsPricing, "free")],
            add(ContentFlag::ContestOrPromotion, "Free"),
            Ok(vec![added(2, ContentFlag::ContestOrPromotion, "free")]),
        ),
        (
            "a term the flag already has, once normalised",
            vec![added(1, ContentFlag::MentionsPricing, "free shipping")],
            add(ContentFlag::MentionsPricing, "Free   Shipping"),
            Err(LexiconError::TermExists),
        ),
    ]);
}

#[test]
fn remove_term() {
    assert_outcomes::<Lexicon>(vec![
        (
            "a term of the flag",
            vec![added(1, ContentFlag::MentionsPricing, "free")],
            remove(ContentFlag::MentionsPricing, "FREE"),
            Ok(vec![removed(2, ContentFlag::MentionsPricing, "free")]),
        ),
        (
            "a term of another flag is unknown",
            vec![added(1, ContentFlag::MentionsPricing, "free")],
            remove(ContentFlag::CrisisRelated, "free"),
            Err(LexiconError::TermNotFound),
        ),
        (
            "an empty lexicon has no term",
            vec![],
            remove(ContentFlag::CrisisRelated, "recall"),
            Err(LexiconError::TermNotFound),
        ),
    ]);
}

#[test]
fn apply_builds_state() {
    let mut lexicon = sample();
    assert_eq!(lexicon.organization_id(), Some(ORG));
    assert_eq!(lexicon.version(), 6);
    assert!(lexicon.contains(ContentFlag::MentionsPricing, "50% off"));
    assert!(!lexicon.contains(ContentFlag::CrisisRelated, "free"));
    lexicon.apply(removed(7, ContentFlag::CrisisRelated, "recall"));
    assert_eq!(lexicon.version(), 7);
    assert_eq!(
        lexicon.terms().keys().copied().collect::<Vec<_>>(),
        vec![
            ContentFlag::MentionsPricing,
            ContentFlag::ContestOrPromotion
        ],
        "a flag without terms disappears"
    );
    assert_eq!(
        lexicon.terms()[&ContentFlag::ContestOrPromotion]
            .iter()
            .collect::<Vec<_>>(),
        vec!["giveaway", "win"]
    );
}

// ---- scan ----

#[test]
fn scan_is_case_insensitive_and_records_the_version() {
    let lexicon = sample();
    assert_eq!(
        lexicon.scan("Everything is FREE today"),
        vec![LexiconMatch {
            flag: ContentFlag::MentionsPricing,
            term: "free".to_string(),
            lexicon_version: 6,
        }]
    );
}

#[test]
fn scan_matches_whole_words_only() {
    let lexicon = sample();
    assert_finds(&lexicon, "Free!", &[(ContentFlag::MentionsPricing, "free")]);
    assert_finds(
        &lexicon,
        "(free)",
        &[(ContentFlag::MentionsPricing, "free")],
    );
    assert_finds(
        &lexicon,
        "free-range eggs",
        &[(ContentFlag::MentionsPricing, "free")],
    );
    assert_finds(&lexicon, "Celebrate freedom", &[]);
    assert_finds(&lexicon, "carefree summer", &[]);
    assert_finds(&lexicon, "free2play", &[]);
    assert_finds(&lexicon, "we had a winner, recalled", &[]);
}

#[test]
fn scan_matches_phrases_across_whitespace() {
    let lexicon = sample();
    assert_finds(
        &lexicon,
        "A LIMITED\n  time   offer.",
        &[(ContentFlag::MentionsPricing, "limited time offer")],
    );
    assert_finds(&lexicon, "limited timeoffer", &[]);
    assert_finds(&lexicon, "unlimited time offer", &[]);
}

#[test]
fn scan_matches_terms_with_punctuation() {
    let lexicon = sample();
    assert_finds(
        &lexicon,
        "Now 50% OFF.",
        &[(ContentFlag::MentionsPricing, "50% off")],
    );
    assert_finds(&lexicon, "150% offer", &[]);
}

#[test]
fn scan_reports_one_match_per_flag_in_flag_order() {
    let lexicon = sample();
    // Pricing: "50% off" occurs before "free"; promotion: "win" before
    // "giveaway"; crisis last in text but flag order decides the output.
    assert_finds(
        &lexicon,
        "Product recall notice. Win a prize: 50% off, free delivery, giveaway!",
        &[
            (ContentFlag::MentionsPricing, "50% off"),
            (ContentFlag::ContestOrPromotion, "win"),
            (ContentFlag::CrisisRelated, "recall"),
        ],
    );
}

#[test]
fn scan_prefers_the_longer_term_at_the_same_position() {
    let lexicon = lexicon(vec![
        added(1, ContentFlag::MentionsPricing, "free"),
        added(2, ContentFlag::MentionsPricing, "free shipping"),
    ]);
    assert_finds(
        &lexicon,
        "Free shipping on all orders",
        &[(ContentFlag::MentionsPricing, "free shipping")],
    );
    assert_finds(
        &lexicon,
        "Free returns, free shipping",
        &[(ContentFlag::MentionsPricing, "free")],
    );
}

#[test]
fn scan_handles_non_ascii_text() {
    let lexicon = lexicon(vec![added(1, ContentFlag::MentionsPricing, "gratuit")]);
    assert_finds(
        &lexicon,
        "Livraison GRATUIT — été",
        &[(ContentFlag::MentionsPricing, "gratuit")],
    );
    assert_finds(&lexicon, "gratuité", &[]);
}

#[test]
fn removed_terms_no_longer_match() {
    let mut lexicon = sample();
    lexicon.apply(removed(7, ContentFlag::MentionsPricing, "free"));
    assert_finds(&lexicon, "free", &[]);
    assert_eq!(lexicon.scan("recall")[0].lexicon_version, 7);
}

#[test]
fn empty_lexicon_finds_nothing() {
    assert!(Lexicon::default().scan("free giveaway recall").is_empty());
    assert!(sample().scan("").is_empty());
}

// ---- errors and events ----

#[test]
fn error_message_is_a_client_safe_sentence() {
    assert_eq!(
        LexiconError::TermNotFound.to_string(),
        "The term is not in the lexicon for this flag."
    );
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let events = vec![
        added(1, ContentFlag::MentionsPricing, "free"),
        removed(2, ContentFlag::MentionsPricing, "free"),
    ];
    assert_events_round_trip(&events);
    let json = serde_json::to_value(&events[0]).expect("serialize");
    assert_eq!(json["LexiconTermAdded"]["flag"], "MENTIONS_PRICING");
}

#[test]
fn aggregate_state_and_matches_round_trip() {
    let lexicon = sample();
    let json = serde_json::to_string(&lexicon).expect("serialize");
    let back: Lexicon = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, lexicon);
    let matches = lexicon.scan("free");
    let json = serde_json::to_string(&matches).expect("serialize");
    let back: Vec<LexiconMatch> = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, matches);
}
