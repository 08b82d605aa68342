//! Pins the names the event store keeps: each aggregate's `TYPE` and each event's
//! `event_type`. They are stored data, so changing one orphans every stored stream.

use cqrs_es::Aggregate;
use strum::VariantNames;

use super::*;

#[test]
fn aggregate_types_are_pinned() {
    let types = [
        Post::TYPE,
        ApprovalPolicy::TYPE,
        LegalReview::TYPE,
        Lexicon::TYPE,
    ];
    assert_eq!(
        types,
        ["post", "approval_policy", "legal_review", "lexicon"]
    );
}

#[test]
fn event_types_are_pinned() {
    assert_eq!(
        PostEvent::VARIANTS,
        [
            "PostDrafted",
            "PostEdited",
            "ApprovalsVoided",
            "PostSubmitted",
            "PostWithdrawn",
            "PostSigned",
            "PostApproved",
            "PostRejected",
            "PostScheduled",
            "PostPublished",
            "PostRetracted",
            "PostExpired",
            "PostLegallyBlocked",
            "PostLegallyCleared"
        ]
    );
    assert_eq!(
        ApprovalPolicyEvent::VARIANTS,
        ["PolicyDefined", "PolicyRevised", "PolicyRetired"]
    );
    assert_eq!(LegalReviewEvent::VARIANTS, ["LegalReviewLogged"]);
    assert_eq!(
        LexiconEvent::VARIANTS,
        ["LexiconTermAdded", "LexiconTermRemoved"]
    );
}
