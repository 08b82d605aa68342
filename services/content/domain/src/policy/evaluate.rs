//! Pure evaluation of approval policies against a post.
//!
//! Nothing here reads state from elsewhere: the post's flags, channels and
//! author roles, the signatures collected so far and the signer's roles are
//! all passed in. The [`Post`](crate::post::Post) aggregate uses these
//! functions; read models (an approval inbox) may use them too.

use uuid::Uuid;

use super::{PolicySnapshot, PolicyStep};
use crate::post::Signature;
use crate::values::{ContentFlag, HeldRole};

/// The steps of `snapshot` that apply to a post with these flags, channels
/// and author roles (recorded when the post was drafted), in policy order.
pub fn applicable_steps<'a>(
    snapshot: &'a PolicySnapshot,
    post_flags: &[ContentFlag],
    channel_ids: &[Uuid],
    author_roles: &[HeldRole],
) -> Vec<&'a PolicyStep> {
    snapshot
        .definition
        .steps()
        .iter()
        .filter(|step| {
            step.conditions
                .applies_to(post_flags, channel_ids, author_roles)
        })
        .collect()
}

/// How many different people have signed `step`, and how many must.
///
/// Counts the signatures whose step name is the step's; pass only the
/// signatures collected under the step's policy (see
/// [`signatures_of`]), since two policies may name steps alike.
pub fn step_progress<'s>(
    step: &PolicyStep,
    signatures: impl IntoIterator<Item = &'s Signature>,
) -> (usize, usize) {
    let mut signers: Vec<Uuid> = signatures
        .into_iter()
        .filter(|signature| signature.step == step.name.as_str())
        .map(|signature| signature.signer_id)
        .collect();
    signers.sort_unstable();
    signers.dedup();
    (signers.len(), usize::from(step.required_signatures))
}

/// The signatures collected under one policy.
pub fn signatures_of(
    policy_id: Uuid,
    signatures: &[Signature],
) -> impl Iterator<Item = &Signature> {
    signatures
        .iter()
        .filter(move |signature| signature.policy_id == policy_id)
}

/// The role that entitles its holder to sign `step`: the first of
/// `signer_roles` (in the order given) matching any of the step's signer
/// rules, or `None` when the signer is not entitled.
pub fn entitled_role<'a>(step: &PolicyStep, signer_roles: &'a [HeldRole]) -> Option<&'a HeldRole> {
    signer_roles
        .iter()
        .find(|role| step.signers.iter().any(|rule| rule.matches(role)))
}

/// The role that gives its holder `snapshot`'s delegated authority, if the
/// policy delegates and the signer holds a matching role.
pub fn delegation_role<'a>(
    snapshot: &PolicySnapshot,
    signer_roles: &'a [HeldRole],
) -> Option<&'a HeldRole> {
    snapshot
        .definition
        .delegation()
        .and_then(|delegation| delegation.holder_role(signer_roles))
}

/// Progress of one applicable step of one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepStatus<'a> {
    /// The policy version the step belongs to.
    pub policy: &'a PolicySnapshot,
    /// The step.
    pub step: &'a PolicyStep,
    /// Different people who signed it.
    pub signed: usize,
    /// Signatures it requires.
    pub required: usize,
}

impl StepStatus<'_> {
    /// Whether the step has all its signatures.
    pub fn is_complete(&self) -> bool {
        self.signed >= self.required
    }

    /// Whether `signer_id` has already signed this step.
    pub fn signed_by(&self, signer_id: Uuid, signatures: &[Signature]) -> bool {
        signatures_of(self.policy.policy_id, signatures).any(|signature| {
            signature.step == self.step.name.as_str() && signature.signer_id == signer_id
        })
    }
}

/// Every applicable step of every policy, in policy then step order, with
/// its progress given the signatures collected so far.
pub fn review_status<'a>(
    policies: &'a [PolicySnapshot],
    post_flags: &[ContentFlag],
    channel_ids: &[Uuid],
    author_roles: &[HeldRole],
    signatures: &[Signature],
) -> Vec<StepStatus<'a>> {
    policies
        .iter()
        .flat_map(|policy| {
            applicable_steps(policy, post_flags, channel_ids, author_roles)
                .into_iter()
                .map(move |step| {
                    let (signed, required) =
                        step_progress(step, signatures_of(policy.policy_id, signatures));
                    StepStatus {
                        policy,
                        step,
                        signed,
                        required,
                    }
                })
        })
        .collect()
}

/// Whether every applicable step is complete (true when none applies).
pub fn is_fully_approved(statuses: &[StepStatus<'_>]) -> bool {
    statuses.iter().all(StepStatus::is_complete)
}

#[cfg(test)]
mod tests {
    use chorus_teams_domain::values::{Responsibility, RoleFunction};

    use super::*;
    use crate::policy::{Delegation, StepConditions};
    use crate::test_support::{
        at, definition, held, legal_step, manager_rule, manager_step, on_channels, rule, snapshot,
        step,
    };

    const CHANNEL_A: Uuid = Uuid::from_u128(0xca);
    const CHANNEL_B: Uuid = Uuid::from_u128(0xcb);
    const POLICY: Uuid = Uuid::from_u128(0xb0);
    const OTHER_POLICY: Uuid = Uuid::from_u128(0xb1);

    /// Four steps: one always, one on pricing or claims, one on channel B,
    /// one for posts written by sales.
    fn conditional_policy() -> PolicySnapshot {
        snapshot(
            POLICY,
            3,
            definition(
                vec![
                    manager_step(),
                    legal_step(),
                    step(
                        "channel b",
                        on_channels(vec![CHANNEL_B]),
                        vec![manager_rule()],
                        2,
                    ),
                    step(
                        "sales author",
                        StepConditions {
                            author_functions: vec![RoleFunction::Sales],
                            flags_any: vec![ContentFlag::MentionsPricing],
                            ..StepConditions::default()
                        },
                        vec![rule(RoleFunction::Marketing, None)],
                        1,
                    ),
                ],
                Some(Delegation {
                    holders: vec![manager_rule()],
                }),
            ),
        )
    }

    fn names(steps: &[&PolicyStep]) -> Vec<String> {
        steps.iter().map(|step| step.name.to_string()).collect()
    }

    fn sales_author() -> Vec<HeldRole> {
        vec![held(0x100, RoleFunction::Sales, None)]
    }

    fn signature(step: &str, policy_id: Uuid, signer: u128) -> Signature {
        Signature {
            step: step.to_string(),
            policy_id,
            policy_version: 1,
            signer_id: Uuid::from_u128(signer),
            assignment_id: Uuid::from_u128(signer + 0x1000),
            function: RoleFunction::SocialMedia,
            responsibility: Some(Responsibility::SocialMediaManager),
            at: at(1),
            comment: None,
        }
    }

    #[test]
    fn unconditional_step_always_applies() {
        let policy = conditional_policy();
        assert_eq!(
            names(&applicable_steps(&policy, &[], &[CHANNEL_A], &[])),
            vec!["manager"]
        );
    }

    #[test]
    fn flag_condition_matches_any_listed_flag() {
        let policy = conditional_policy();
        for flag in [ContentFlag::MentionsPricing, ContentFlag::RegulatedClaim] {
            assert_eq!(
                names(&applicable_steps(&policy, &[flag], &[CHANNEL_A], &[])),
                vec!["manager", "legal"]
            );
        }
        assert_eq!(
            names(&applicable_steps(
                &policy,
                &[ContentFlag::CrisisRelated],
                &[CHANNEL_A],
                &[]
            )),
            vec!["manager"]
        );
    }

    #[test]
    fn channel_condition_matches_any_targeted_channel() {
        let policy = conditional_policy();
        assert_eq!(
            names(&applicable_steps(
                &policy,
                &[],
                &[CHANNEL_A, CHANNEL_B],
                &[]
            )),
            vec!["manager", "channel b"]
        );
    }

    #[test]
    fn every_non_empty_condition_must_match() {
        let policy = conditional_policy();
        // Sales author without the pricing flag: the step does not apply.
        assert_eq!(
            names(&applicable_steps(
                &policy,
                &[],
                &[CHANNEL_A],
                &sales_author()
            )),
            vec!["manager"]
        );
        // Pricing flag without a sales author: neither.
        let marketing_author = vec![held(0x100, RoleFunction::Marketing, None)];
        assert_eq!(
            names(&applicable_steps(
                &policy,
                &[ContentFlag::MentionsPricing],
                &[CHANNEL_A],
                &marketing_author
            )),
            vec!["manager", "legal"]
        );
        // Both: it applies.
        assert_eq!(
            names(&applicable_steps(
                &policy,
                &[ContentFlag::MentionsPricing],
                &[CHANNEL_A],
                &sales_author()
            )),
            vec!["manager", "legal", "sales author"]
        );
    }

    #[test]
    fn step_progress_counts_distinct_signers_of_the_step() {
        let policy = conditional_policy();
        let step = policy.definition.step("channel b").expect("step exists");
        assert_eq!(step_progress(step, &[]), (0, 2));
        let signatures = [
            signature("channel b", POLICY, 1),
            signature("manager", POLICY, 2),
            signature("channel b", POLICY, 1),
        ];
        assert_eq!(step_progress(step, &signatures), (1, 2));
        let signatures = [
            signature("channel b", POLICY, 1),
            signature("channel b", POLICY, 3),
        ];
        assert_eq!(step_progress(step, &signatures), (2, 2));
    }

    #[test]
    fn signatures_of_keeps_one_policy() {
        let signatures = [
            signature("manager", POLICY, 1),
            signature("manager", OTHER_POLICY, 2),
        ];
        let policy = conditional_policy();
        let step = policy.definition.step("manager").expect("step exists");
        assert_eq!(
            step_progress(step, signatures_of(POLICY, &signatures)),
            (1, 1)
        );
        assert_eq!(
            signatures_of(OTHER_POLICY, &signatures)
                .map(|s| s.signer_id)
                .collect::<Vec<_>>(),
            vec![Uuid::from_u128(2)]
        );
    }

    #[test]
    fn entitled_role_matches_function_and_named_responsibility() {
        let policy = conditional_policy();
        let manager = policy.definition.step("manager").expect("step exists");
        let legal = policy.definition.step("legal").expect("step exists");
        let strategist = held(
            0x201,
            RoleFunction::SocialMedia,
            Some(Responsibility::Strategist),
        );
        let social_manager = held(
            0x202,
            RoleFunction::SocialMedia,
            Some(Responsibility::SocialMediaManager),
        );
        let counsel = held(
            0x203,
            RoleFunction::Legal,
            Some(Responsibility::LegalUgcCounsel),
        );
        // The rule names a responsibility: the same function is not enough.
        assert_eq!(entitled_role(manager, &[strategist]), None);
        assert_eq!(
            entitled_role(manager, &[strategist, social_manager, counsel]),
            Some(&social_manager)
        );
        // The rule names none: any responsibility in the function will do.
        assert_eq!(
            entitled_role(legal, &[social_manager, counsel]),
            Some(&counsel)
        );
        assert_eq!(entitled_role(legal, &[]), None);
    }

    #[test]
    fn delegation_role_needs_a_delegating_policy_and_a_holder() {
        let policy = conditional_policy();
        let social_manager = held(
            0x202,
            RoleFunction::SocialMedia,
            Some(Responsibility::SocialMediaManager),
        );
        let sales = held(0x204, RoleFunction::Sales, None);
        assert_eq!(
            delegation_role(&policy, &[sales, social_manager]),
            Some(&social_manager)
        );
        assert_eq!(delegation_role(&policy, &[sales]), None);
        let no_delegation = snapshot(POLICY, 1, definition(vec![manager_step()], None));
        assert_eq!(delegation_role(&no_delegation, &[social_manager]), None);
    }

    #[test]
    fn review_status_spans_policies_and_reports_completion() {
        let second = snapshot(OTHER_POLICY, 7, definition(vec![manager_step()], None));
        let policies = [conditional_policy(), second];
        let signatures = [signature("manager", POLICY, 1)];
        let statuses = review_status(&policies, &[], &[CHANNEL_A], &[], &signatures);
        let summary: Vec<(Uuid, String, usize, usize, bool)> = statuses
            .iter()
            .map(|s| {
                (
                    s.policy.policy_id,
                    s.step.name.to_string(),
                    s.signed,
                    s.required,
                    s.is_complete(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (POLICY, "manager".to_string(), 1, 1, true),
                (OTHER_POLICY, "manager".to_string(), 0, 1, false),
            ]
        );
        assert!(statuses[0].signed_by(Uuid::from_u128(1), &signatures));
        assert!(!statuses[1].signed_by(Uuid::from_u128(1), &signatures));
        assert!(!is_fully_approved(&statuses));
        assert!(is_fully_approved(&statuses[..1]));
        assert!(is_fully_approved(&[]), "no applicable step means approved");
    }
}
