use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::*;
use crate::test_support::{assert_events_round_trip, ADMIN, ORG};
use crate::values::{ContentFlag, LexiconTerm};

type LexiconTest = TestFramework<Lexicon>;

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
    let mut lexicon = Lexicon::default();
    for event in events {
        lexicon.apply(event);
    }
    lexicon
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

fn found(lexicon: &Lexicon, text: &str) -> Vec<(ContentFlag, String)> {
    lexicon
        .scan(text)
        .into_iter()
        .map(|m| (m.flag, m.term))
        .collect()
}

// ---- commands and versions ----

#[test]
fn first_term_creates_version_one() {
    LexiconTest::with(())
        .given_no_previous_events()
        .when(add(ContentFlag::MentionsPricing, "  FREE "))
        .then_expect_events(vec![added(1, ContentFlag::MentionsPricing, "free")]);
}

#[test]
fn every_change_bumps_the_version() {
    LexiconTest::with(())
        .given(vec![
            added(1, ContentFlag::MentionsPricing, "free"),
            removed(2, ContentFlag::MentionsPricing, "free"),
        ])
        .when(add(ContentFlag::CrisisRelated, "recall"))
        .then_expect_events(vec![added(3, ContentFlag::CrisisRelated, "recall")]);
}

#[test]
fn same_term_may_raise_several_flags() {
    LexiconTest::with(())
        .given(vec![added(1, ContentFlag::MentionsPricing, "free")])
        .when(add(ContentFlag::ContestOrPromotion, "Free"))
        .then_expect_events(vec![added(2, ContentFlag::ContestOrPromotion, "free")]);
}

#[test]
fn duplicate_term_is_refused() {
    LexiconTest::with(())
        .given(vec![added(
            1,
            ContentFlag::MentionsPricing,
            "free shipping",
        )])
        .when(add(ContentFlag::MentionsPricing, "Free   Shipping"))
        .then_expect_error(LexiconError::TermExists);
}

#[test]
fn remove_term() {
    LexiconTest::with(())
        .given(vec![added(1, ContentFlag::MentionsPricing, "free")])
        .when(remove(ContentFlag::MentionsPricing, "FREE"))
        .then_expect_events(vec![removed(2, ContentFlag::MentionsPricing, "free")]);
}

#[test]
fn remove_unknown_term_is_refused() {
    LexiconTest::with(())
        .given(vec![added(1, ContentFlag::MentionsPricing, "free")])
        .when(remove(ContentFlag::CrisisRelated, "free"))
        .then_expect_error(LexiconError::TermNotFound);
}

#[test]
fn remove_from_empty_lexicon_is_refused() {
    LexiconTest::with(())
        .given_no_previous_events()
        .when(remove(ContentFlag::CrisisRelated, "recall"))
        .then_expect_error(LexiconError::TermNotFound);
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
    assert_eq!(
        found(&lexicon, "Free!"),
        vec![(ContentFlag::MentionsPricing, "free".to_string())]
    );
    assert_eq!(
        found(&lexicon, "(free)"),
        vec![(ContentFlag::MentionsPricing, "free".to_string())]
    );
    assert_eq!(
        found(&lexicon, "free-range eggs"),
        vec![(ContentFlag::MentionsPricing, "free".to_string())]
    );
    assert!(found(&lexicon, "Celebrate freedom").is_empty());
    assert!(found(&lexicon, "carefree summer").is_empty());
    assert!(found(&lexicon, "free2play").is_empty());
    assert!(found(&lexicon, "we had a winner, recalled").is_empty());
}

#[test]
fn scan_matches_phrases_across_whitespace() {
    let lexicon = sample();
    assert_eq!(
        found(&lexicon, "A LIMITED\n  time   offer."),
        vec![(
            ContentFlag::MentionsPricing,
            "limited time offer".to_string()
        )]
    );
    assert!(found(&lexicon, "limited timeoffer").is_empty());
    assert!(found(&lexicon, "unlimited time offer").is_empty());
}

#[test]
fn scan_matches_terms_with_punctuation() {
    let lexicon = sample();
    assert_eq!(
        found(&lexicon, "Now 50% OFF."),
        vec![(ContentFlag::MentionsPricing, "50% off".to_string())]
    );
    assert!(found(&lexicon, "150% offer").is_empty());
}

#[test]
fn scan_reports_one_match_per_flag_in_flag_order() {
    let lexicon = sample();
    // Pricing: "50% off" occurs before "free"; promotion: "win" before
    // "giveaway"; crisis last in text but flag order decides the output.
    assert_eq!(
        found(
            &lexicon,
            "Product recall notice. Win a prize: 50% off, free delivery, giveaway!"
        ),
        vec![
            (ContentFlag::MentionsPricing, "50% off".to_string()),
            (ContentFlag::ContestOrPromotion, "win".to_string()),
            (ContentFlag::CrisisRelated, "recall".to_string()),
        ]
    );
}

#[test]
fn scan_prefers_the_longer_term_at_the_same_position() {
    let lexicon = lexicon(vec![
        added(1, ContentFlag::MentionsPricing, "free"),
        added(2, ContentFlag::MentionsPricing, "free shipping"),
    ]);
    assert_eq!(
        found(&lexicon, "Free shipping on all orders"),
        vec![(ContentFlag::MentionsPricing, "free shipping".to_string())]
    );
    assert_eq!(
        found(&lexicon, "Free returns, free shipping"),
        vec![(ContentFlag::MentionsPricing, "free".to_string())]
    );
}

#[test]
fn scan_handles_non_ascii_text() {
    let lexicon = lexicon(vec![added(1, ContentFlag::MentionsPricing, "gratuit")]);
    assert_eq!(
        found(&lexicon, "Livraison GRATUIT — été"),
        vec![(ContentFlag::MentionsPricing, "gratuit".to_string())]
    );
    assert!(found(&lexicon, "gratuité").is_empty());
}

#[test]
fn removed_terms_no_longer_match() {
    let mut lexicon = sample();
    lexicon.apply(removed(7, ContentFlag::MentionsPricing, "free"));
    assert!(found(&lexicon, "free").is_empty());
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
