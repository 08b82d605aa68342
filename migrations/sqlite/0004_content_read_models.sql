-- Read models of the content context (posts, approvals, approval policies, the
-- flagging lexicon, legal reviews). Rebuildable from the log at any time
-- (`chorus projections rebuild content`); nothing here is a source of truth.
-- Every timestamp comes from the events, never from the clock, so a rebuild
-- reproduces every row. JSON columns are plain TEXT (cheap to read back).

-- A post with its current state: "post by id", the content calendar
-- (organization-wide, by scheduled time), posts by status, posts published in a
-- time range, and "posts published under delegated authority".
CREATE TABLE posts (
    id                         BLOB PRIMARY KEY,
    organization_id            BLOB NOT NULL,
    author_id                  BLOB NOT NULL,
    status                     TEXT NOT NULL,
    text                       TEXT NOT NULL,
    media                      TEXT NOT NULL,          -- JSON array of URLs
    campaign                   TEXT,
    scheduled_at               TEXT,
    flags                      TEXT NOT NULL,          -- JSON [{flag, source}]
    author_roles               TEXT NOT NULL,          -- JSON roles held when drafting
    legal_block_review_id      BLOB,
    legally_blocked_at         TEXT,
    approved_at                TEXT,
    approved_under             TEXT NOT NULL,          -- JSON [{policy_id, version}]
    published_by               BLOB,
    published_network_post_id  TEXT,
    published_url              TEXT,
    published_at               TEXT,
    delegated_policy_id        BLOB,
    delegated_policy_version   INTEGER,
    delegated_assignment_id    BLOB,
    delegated_function         TEXT,
    delegated_responsibility   TEXT,
    retracted_at               TEXT,
    retracted_by               BLOB,
    retraction_reason          TEXT,
    expired_at                 TEXT,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    last_sequence              INTEGER NOT NULL
);
CREATE INDEX posts_by_status ON posts (organization_id, status, updated_at);
CREATE INDEX posts_by_schedule ON posts (organization_id, scheduled_at);
CREATE INDEX posts_by_author ON posts (organization_id, author_id, created_at);
-- The expiry sweeper: posts whose scheduled time may pass without the approvals they need.
CREATE INDEX posts_awaiting_expiry ON posts (scheduled_at)
    WHERE status IN ('DRAFT', 'IN_REVIEW', 'REJECTED') AND scheduled_at IS NOT NULL;
CREATE INDEX posts_by_publication ON posts (organization_id, published_at);
CREATE INDEX posts_delegated ON posts (organization_id, published_at)
    WHERE delegated_policy_id IS NOT NULL;

-- The projection's own working state: the Post aggregate folded up to its last
-- event (JSON), used to recompute open review steps. Serves no query.
CREATE TABLE post_states (
    post_id         BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    state           TEXT NOT NULL
);

-- A post's channels with the owning team (looked up from `channels` when the
-- post was drafted); status and scheduled time are copied from the post so the
-- content calendar per channel / per team is one index range scan. Also the
-- join path for the channel and team filters of the compliance history.
CREATE TABLE post_channels (
    post_id         BLOB NOT NULL,
    channel_id      BLOB NOT NULL,
    organization_id BLOB NOT NULL,
    team_id         BLOB,
    channel_order   INTEGER NOT NULL,
    status          TEXT NOT NULL,
    scheduled_at    TEXT,
    PRIMARY KEY (post_id, channel_id)
);
CREATE INDEX post_channels_calendar_by_channel ON post_channels (channel_id, scheduled_at);
CREATE INDEX post_channels_calendar_by_team ON post_channels (organization_id, team_id, scheduled_at);

-- A post's full timeline: every post event with its actor, the role acted under
-- (signatures, rejections, delegated publication), time, policy version and
-- details, ordered by log position (`sequence` follows log order within a post).
-- Also "content activity in a time range" by (organization_id, occurred_at).
CREATE TABLE post_timeline (
    post_id         BLOB NOT NULL,
    sequence        INTEGER NOT NULL,
    organization_id BLOB NOT NULL,
    global_position INTEGER NOT NULL,
    event_type      TEXT NOT NULL,
    actor_kind      TEXT NOT NULL,
    actor_id        BLOB,
    assignment_id   BLOB,
    function        TEXT,
    responsibility  TEXT,
    occurred_at     TEXT NOT NULL,
    policy_id       BLOB,
    policy_version  INTEGER,
    details         TEXT NOT NULL,                     -- JSON
    PRIMARY KEY (post_id, sequence)
);
CREATE INDEX post_timeline_by_time ON post_timeline (organization_id, occurred_at);

-- Temporal: a post's status over [valid_from, valid_to): "a post's state as of
-- an instant" (PRIMARY KEY), "posts in a status at an instant" (by_status).
-- Several status changes at one instant (one command) collapse into one row.
CREATE TABLE post_status_history (
    post_id         BLOB NOT NULL,
    valid_from      TEXT NOT NULL,
    organization_id BLOB NOT NULL,
    status          TEXT NOT NULL,
    valid_to        TEXT,
    PRIMARY KEY (post_id, valid_from)
);
CREATE INDEX post_status_history_by_status ON post_status_history (organization_id, status, valid_from);

-- Approvals, one row per PostSigned; voided_at / void_reason once a later
-- ApprovalsVoided voids it. The auditor's compliance history: by approver and
-- time ("approvals by one approver in one month": one range scan of
-- approvals_by_signer), by policy version and time, by time, by post (PRIMARY
-- KEY); by channel or team through post_channels.
CREATE TABLE post_approvals (
    post_id         BLOB NOT NULL,
    sequence        INTEGER NOT NULL,
    organization_id BLOB NOT NULL,
    signer_id       BLOB NOT NULL,
    assignment_id   BLOB NOT NULL,
    function        TEXT NOT NULL,
    responsibility  TEXT,
    step            TEXT NOT NULL,
    policy_id       BLOB NOT NULL,
    policy_version  INTEGER NOT NULL,
    signed_at       TEXT NOT NULL,
    comment         TEXT,
    voided_at       TEXT,
    void_reason     TEXT,
    PRIMARY KEY (post_id, sequence)
);
CREATE INDEX approvals_by_signer ON post_approvals (organization_id, signer_id, signed_at);
CREATE INDEX approvals_by_policy ON post_approvals (organization_id, policy_id, policy_version, signed_at);
CREATE INDEX approvals_by_time ON post_approvals (organization_id, signed_at);

-- Rejections, one row per PostRejected; kept apart from approvals so that no
-- approval query can count a refusal by forgetting a kind filter, and because a
-- rejection is never voided and always has a comment. Same filters as approvals.
CREATE TABLE post_rejections (
    post_id         BLOB NOT NULL,
    sequence        INTEGER NOT NULL,
    organization_id BLOB NOT NULL,
    signer_id       BLOB NOT NULL,
    assignment_id   BLOB NOT NULL,
    function        TEXT NOT NULL,
    responsibility  TEXT,
    step            TEXT NOT NULL,
    policy_id       BLOB NOT NULL,
    policy_version  INTEGER NOT NULL,
    rejected_at     TEXT NOT NULL,
    comment         TEXT NOT NULL,
    PRIMARY KEY (post_id, sequence)
);
CREATE INDEX rejections_by_signer ON post_rejections (organization_id, signer_id, rejected_at);
CREATE INDEX rejections_by_policy ON post_rejections (organization_id, policy_id, policy_version, rejected_at);
CREATE INDEX rejections_by_time ON post_rejections (organization_id, rejected_at);

-- The approval inbox: for posts in review, every applicable step that still
-- needs signatures (complete steps are removed; rows vanish when the post
-- leaves review), with its progress. Ordered per post by step_order.
CREATE TABLE post_open_steps (
    post_id             BLOB NOT NULL,
    policy_id           BLOB NOT NULL,
    step                TEXT NOT NULL,
    organization_id     BLOB NOT NULL,
    policy_version      INTEGER NOT NULL,
    step_order          INTEGER NOT NULL,
    required_signatures INTEGER NOT NULL,
    signatures          INTEGER NOT NULL,
    PRIMARY KEY (post_id, policy_id, step)
);
CREATE INDEX post_open_steps_by_organization ON post_open_steps (organization_id, post_id);

-- The signer rules of each open step: "posts waiting for a signature the viewer
-- may give" joins the viewer's role_assignments on (function, responsibility).
CREATE TABLE post_open_step_signers (
    post_id         BLOB NOT NULL,
    policy_id       BLOB NOT NULL,
    step            TEXT NOT NULL,
    rule_index      INTEGER NOT NULL,
    organization_id BLOB NOT NULL,
    function        TEXT NOT NULL,
    responsibility  TEXT,
    PRIMARY KEY (post_id, policy_id, step, rule_index)
);
CREATE INDEX post_open_step_signers_by_function ON post_open_step_signers (organization_id, function, post_id);

-- Temporal: one row per (policy, version), in force over [valid_from, valid_to).
-- "The policy in force for a scope at an instant" (by_scope), "policies of the
-- organization at an instant" (by_organization), a version by id (PRIMARY KEY).
CREATE TABLE approval_policies (
    policy_id       BLOB NOT NULL,
    version         INTEGER NOT NULL,
    organization_id BLOB NOT NULL,
    scope_kind      TEXT NOT NULL,
    scope_id        BLOB NOT NULL,
    definition      TEXT NOT NULL,                     -- JSON {steps, delegation}
    defined_by      BLOB NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT,
    retired_at      TEXT,
    retired_by      BLOB,
    PRIMARY KEY (policy_id, version)
);
CREATE INDEX approval_policies_by_scope ON approval_policies (organization_id, scope_kind, scope_id, valid_from);
CREATE INDEX approval_policies_by_organization ON approval_policies (organization_id, valid_from);

-- The flagging lexicon, versioned: a term raises a flag from added_in_version
-- until removed_in_version (exclusive). "Terms of a flag" and "is this term
-- active" (PRIMARY KEY), "the lexicon as of version v" (by_version).
CREATE TABLE lexicon_terms (
    organization_id    BLOB NOT NULL,
    flag               TEXT NOT NULL,
    term               TEXT NOT NULL,
    added_in_version   INTEGER NOT NULL,
    removed_in_version INTEGER,
    added_at           TEXT NOT NULL,
    removed_at         TEXT,
    added_by           BLOB NOT NULL,
    removed_by         BLOB,
    PRIMARY KEY (organization_id, flag, term, added_in_version)
);
CREATE INDEX lexicon_terms_by_version ON lexicon_terms (organization_id, added_in_version);

-- Legal reviews, one row per LegalReviewLogged: the auditor's legal history by
-- time, by subject, by reviewer and time, by outcome and time.
CREATE TABLE legal_reviews (
    id                      BLOB PRIMARY KEY,
    organization_id         BLOB NOT NULL,
    subject_kind            TEXT NOT NULL,
    subject_id              BLOB,
    subject_reference       TEXT,
    kind                    TEXT NOT NULL,
    outcome                 TEXT NOT NULL,
    conditions              TEXT,
    notes                   TEXT,
    review_references       TEXT NOT NULL,              -- JSON array
    reviewer_id             BLOB NOT NULL,
    reviewer_assignment_id  BLOB NOT NULL,
    reviewer_responsibility TEXT,
    reviewed_at             TEXT NOT NULL
);
CREATE INDEX legal_reviews_by_time ON legal_reviews (organization_id, reviewed_at);
CREATE INDEX legal_reviews_by_subject ON legal_reviews (subject_id);
CREATE INDEX legal_reviews_by_reviewer ON legal_reviews (organization_id, reviewer_id, reviewed_at);
CREATE INDEX legal_reviews_by_outcome ON legal_reviews (organization_id, outcome, reviewed_at);
