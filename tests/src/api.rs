//! The API as the black-box tests speak it: one method per operation over the typed
//! client (`client.draft_post(…)`, `client.approve_post(…)`), answering typed payloads
//! or a [`ClientError`] whose `code()` the test asserts on.
//!
//! Every method sends exactly what a client would; none waits, retries or looks
//! below the API. A refusal must come without data: a method that gets both panics,
//! since a refused request that still answers data is a leak.

use chorus_client::{
    add_lexicon_term, approval_inbox, approval_policies, approve_post, define_approval_policy,
    draft_post, edit_post, log_legal_review, mark_published, post, reject_post,
    retire_approval_policy, retract_post, revise_approval_policy, schedule_post, submit_post,
    withdraw_post, ChorusClient, ClientError, GraphQLQuery, PostPayload,
};
use serde::de::DeserializeOwned;

/// The payload every approval-policy mutation answers.
pub type PolicyPayload = define_approval_policy::PolicyPayloadFields;
/// A post with its sign-offs (voided ones too) and its timeline.
pub type PostDetail = post::PostPost;
/// `PostStatus`, as the post payloads decode it.
pub type PostStatus = draft_post::PostStatus;

/// Runs `Q` and decodes its one root field as `T` (see [`ChorusClient::execute_root`]).
pub(crate) async fn send<Q: GraphQLQuery, T: DeserializeOwned + std::fmt::Debug>(
    client: &ChorusClient,
    variables: Q::Variables,
) -> Result<T, ClientError> {
    let response = client.execute_root::<Q, T>(variables).await?;
    match (response.data, response.errors.is_empty()) {
        (Some(data), true) => Ok(data),
        (None, false) => Err(ClientError::Graphql(response.errors)),
        (Some(data), false) => panic!(
            "data came back with the errors {:?}: {data:?}",
            response.errors
        ),
        (None, true) => Err(ClientError::Decode("neither data nor errors".into())),
    }
}

/// The content operations, as the tests call them.
#[allow(async_fn_in_trait)] // test-only: nobody needs `Send` futures from these
pub trait ContentApi {
    fn client(&self) -> &ChorusClient;

    /// `draftPost` of `text` to `channels`.
    async fn draft_post(&self, channels: &[&str], text: &str) -> Result<PostPayload, ClientError> {
        self.draft_post_for(channels, text, None).await
    }

    /// `draftPost` of `text` to `channels`, scheduled for `scheduled_at`.
    async fn draft_post_for(
        &self,
        channels: &[&str],
        text: &str,
        scheduled_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<PostPayload, ClientError> {
        let input = draft_post::DraftPostInput {
            channel_ids: channels.iter().map(|c| (*c).to_owned()).collect(),
            text: text.into(),
            media_urls: vec![],
            campaign: None,
            scheduled_at,
            flags: vec![],
            idempotency_key: None,
        };
        send::<chorus_client::DraftPost, _>(self.client(), draft_post::Variables { input }).await
    }

    /// `editPost`: replaces the text.
    async fn edit_post(&self, post_id: &str, text: &str) -> Result<PostPayload, ClientError> {
        let input = edit_post::EditPostInput {
            post_id: post_id.into(),
            text: text.into(),
            media_urls: vec![],
            campaign: None,
            scheduled_at: None,
            flags: vec![],
            idempotency_key: None,
        };
        send::<chorus_client::EditPost, _>(self.client(), edit_post::Variables { input }).await
    }

    /// `submitPost`.
    async fn submit_post(&self, post_id: &str) -> Result<PostPayload, ClientError> {
        let input = submit_post::PostActionInput {
            post_id: post_id.into(),
            idempotency_key: None,
        };
        send::<chorus_client::SubmitPost, _>(self.client(), submit_post::Variables { input }).await
    }

    /// `withdrawPost`.
    async fn withdraw_post(&self, post_id: &str) -> Result<PostPayload, ClientError> {
        let input = withdraw_post::PostActionInput {
            post_id: post_id.into(),
            idempotency_key: None,
        };
        send::<chorus_client::WithdrawPost, _>(self.client(), withdraw_post::Variables { input })
            .await
    }

    /// `approvePost` of the step the server picks, with an optional comment.
    async fn approve_post(
        &self,
        post_id: &str,
        comment: Option<&str>,
    ) -> Result<PostPayload, ClientError> {
        let input = approve_post::ApprovePostInput {
            post_id: post_id.into(),
            step: None,
            comment: comment.map(str::to_owned),
            idempotency_key: None,
        };
        send::<chorus_client::ApprovePost, _>(self.client(), approve_post::Variables { input })
            .await
    }

    /// `rejectPost` with the reason.
    async fn reject_post(&self, post_id: &str, comment: &str) -> Result<PostPayload, ClientError> {
        let input = reject_post::RejectPostInput {
            post_id: post_id.into(),
            comment: comment.into(),
            idempotency_key: None,
        };
        send::<chorus_client::RejectPost, _>(self.client(), reject_post::Variables { input }).await
    }

    /// `schedulePost` at `at`.
    async fn schedule_post(
        &self,
        post_id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<PostPayload, ClientError> {
        let input = schedule_post::SchedulePostInput {
            post_id: post_id.into(),
            scheduled_at: at,
            idempotency_key: None,
        };
        send::<chorus_client::SchedulePost, _>(self.client(), schedule_post::Variables { input })
            .await
    }

    /// `markPublished` as network post `network_post_id`, at `https://x.com/acme/status/<id>`.
    async fn mark_published(
        &self,
        post_id: &str,
        network_post_id: &str,
    ) -> Result<PostPayload, ClientError> {
        let url = format!("https://x.com/acme/status/{network_post_id}");
        self.mark_published_at(post_id, network_post_id, &url).await
    }

    /// `markPublished` as network post `network_post_id` at `url`.
    async fn mark_published_at(
        &self,
        post_id: &str,
        network_post_id: &str,
        url: &str,
    ) -> Result<PostPayload, ClientError> {
        let input = mark_published::MarkPublishedInput {
            post_id: post_id.into(),
            network_post_id: network_post_id.into(),
            url: url.into(),
            idempotency_key: None,
        };
        send::<chorus_client::MarkPublished, _>(self.client(), mark_published::Variables { input })
            .await
    }

    /// `retractPost` with the reason.
    async fn retract_post(&self, post_id: &str, reason: &str) -> Result<PostPayload, ClientError> {
        let input = retract_post::RetractPostInput {
            post_id: post_id.into(),
            reason: reason.into(),
            idempotency_key: None,
        };
        send::<chorus_client::RetractPost, _>(self.client(), retract_post::Variables { input })
            .await
    }

    /// `logLegalReview`.
    async fn log_legal_review(
        &self,
        input: log_legal_review::LogLegalReviewInput,
    ) -> Result<log_legal_review::LogLegalReviewLogLegalReview, ClientError> {
        send::<chorus_client::LogLegalReview, _>(
            self.client(),
            log_legal_review::Variables { input },
        )
        .await
    }

    /// `addLexiconTerm`.
    async fn add_lexicon_term(
        &self,
        flag: add_lexicon_term::ContentFlag,
        term: &str,
    ) -> Result<add_lexicon_term::LexiconPayloadFields, ClientError> {
        let input = add_lexicon_term::LexiconTermInput {
            flag,
            term: term.into(),
            idempotency_key: None,
        };
        send::<chorus_client::AddLexiconTerm, _>(
            self.client(),
            add_lexicon_term::Variables { input },
        )
        .await
    }

    /// `defineApprovalPolicy`.
    async fn define_policy(
        &self,
        input: define_approval_policy::DefineApprovalPolicyInput,
    ) -> Result<PolicyPayload, ClientError> {
        send::<chorus_client::DefineApprovalPolicy, _>(
            self.client(),
            define_approval_policy::Variables { input },
        )
        .await
    }

    /// `reviseApprovalPolicy`.
    async fn revise_policy(
        &self,
        input: revise_approval_policy::ReviseApprovalPolicyInput,
    ) -> Result<PolicyPayload, ClientError> {
        send::<chorus_client::ReviseApprovalPolicy, _>(
            self.client(),
            revise_approval_policy::Variables { input },
        )
        .await
    }

    /// `retireApprovalPolicy`.
    async fn retire_policy(&self, policy_id: &str) -> Result<PolicyPayload, ClientError> {
        let input = retire_approval_policy::RetireApprovalPolicyInput {
            policy_id: policy_id.into(),
            idempotency_key: None,
        };
        send::<chorus_client::RetireApprovalPolicy, _>(
            self.client(),
            retire_approval_policy::Variables { input },
        )
        .await
    }

    /// `post(id)` with every sign-off (voided ones too) and the timeline.
    async fn post_detail(&self, id: &str) -> Result<Option<PostDetail>, ClientError> {
        let variables = post::Variables {
            id: id.into(),
            include_voided_approvals: true,
        };
        let data = self.client().run::<chorus_client::Post>(variables).await?;
        Ok(data.post)
    }

    /// The ids of the caller's `approvalInbox` (first page).
    async fn inbox(&self) -> Result<Vec<String>, ClientError> {
        let variables = approval_inbox::Variables {
            first: None,
            after: None,
        };
        let data = self
            .client()
            .run::<chorus_client::ApprovalInbox>(variables)
            .await?;
        Ok(data
            .approval_inbox
            .edges
            .into_iter()
            .map(|e| e.node.id)
            .collect())
    }

    /// The approval policies in force now (first page).
    async fn policies(&self) -> Result<Vec<approval_policies::PolicyFields>, ClientError> {
        let variables = approval_policies::Variables {
            first: None,
            after: None,
        };
        let data = self
            .client()
            .run::<chorus_client::ApprovalPolicies>(variables)
            .await?;
        Ok(data
            .approval_policies
            .edges
            .into_iter()
            .map(|e| e.node)
            .collect())
    }
}

impl ContentApi for ChorusClient {
    fn client(&self) -> &ChorusClient {
        self
    }
}

impl ContentApi for crate::ContentActor {
    fn client(&self) -> &ChorusClient {
        &self.client
    }
}

/// The policy the content tests work under, as `(steps, delegation)` of the input types
/// of mutation module `$m` (`define_approval_policy`, `revise_approval_policy`): two
/// managers (`$managers` signatures of social media managers or marketing) sign every
/// post; a legal-role holder signs posts flagged with any of `$legal_flags`; social
/// media managers may publish flag-free posts under delegated authority. A macro,
/// since each policy mutation has its own input types.
#[macro_export]
macro_rules! four_eyes_policy {
    ($m:ident, $managers:expr, $legal_flags:expr) => {{
        use $m::{Responsibility as R, RoleFunction as F};
        let signer = |function, responsibility| $m::SignerRuleInput {
            function,
            responsibility,
        };
        let manager = || signer(F::SOCIAL_MEDIA, Some(R::SOCIAL_MEDIA_MANAGER));
        let legal = $m::StepConditionsInput {
            flags_any: $legal_flags.to_vec(),
            channel_ids: vec![],
            author_functions: vec![],
        };
        let steps = vec![
            $m::PolicyStepInput {
                name: "managers".into(),
                conditions: None,
                signers: vec![manager(), signer(F::MARKETING, None)],
                required_signatures: $managers,
            },
            $m::PolicyStepInput {
                name: "legal".into(),
                conditions: Some(legal),
                signers: vec![signer(F::LEGAL, None)],
                required_signatures: 1,
            },
        ];
        (
            steps,
            $m::DelegationInput {
                holders: vec![manager()],
            },
        )
    }};
}

/// The organization-wide [`four_eyes_policy!`] (two manager signatures) with a legal step
/// for posts flagged with any of `legal_flags`, as `defineApprovalPolicy` takes it.
pub fn organization_policy(
    legal_flags: &[define_approval_policy::ContentFlag],
) -> define_approval_policy::DefineApprovalPolicyInput {
    use define_approval_policy as define;
    let (steps, delegation) = four_eyes_policy!(define, 2, legal_flags);
    define::DefineApprovalPolicyInput {
        scope: define::PolicyScopeInput {
            kind: define::ScopeKind::ORGANIZATION,
            id: None,
        },
        steps,
        delegation: Some(delegation),
        idempotency_key: None,
    }
}

/// A `logLegalReview` input: a UGC-rights review of post `post_id` with `outcome`, no
/// conditions, notes, references or idempotency key.
pub fn ugc_review(
    post_id: &str,
    outcome: log_legal_review::ReviewOutcome,
) -> log_legal_review::LogLegalReviewInput {
    log_legal_review::LogLegalReviewInput {
        subject_kind: log_legal_review::ReviewSubjectKind::POST,
        subject_id: Some(post_id.into()),
        subject_reference: None,
        kind: log_legal_review::ReviewKind::UGC_RIGHTS,
        outcome,
        conditions: None,
        notes: None,
        references: vec![],
        idempotency_key: None,
    }
}
