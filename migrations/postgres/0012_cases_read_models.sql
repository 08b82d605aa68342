-- Read models of the cases context (contacts, cases with their timeline, replies and SLA
-- outcomes, routing rules, SLA policies, business calendars). Rebuildable from the log at
-- any time; nothing here is a source of truth. Every timestamp comes from the events.

-- A contact's personal data, kept apart from cases (which name the contact by id only),
-- so that erasing it touches these rows and the contact's own events.
CREATE TABLE contacts (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    display_name    TEXT,
    crm_id          TEXT,
    vip             BOOLEAN NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX contacts_by_crm_id ON contacts (organization_id, crm_id);

-- A contact's handle per network: "who is @jane on X" at intake.
CREATE TABLE contact_handles (
    organization_id UUID NOT NULL,
    network         TEXT NOT NULL,
    handle_key      TEXT NOT NULL,          -- lowercased, for lookup
    handle          TEXT NOT NULL,
    contact_id      UUID NOT NULL,
    PRIMARY KEY (organization_id, network, handle_key)
);
CREATE INDEX contact_handles_by_contact ON contact_handles (contact_id);

-- A case with its current state. The queue is one index range scan: open cases of a
-- team, by next SLA deadline (`queue_deadline`, far in the future when no clock runs),
-- then oldest first.
CREATE TABLE cases (
    id                  UUID PRIMARY KEY,
    organization_id     UUID NOT NULL,
    contact_id          UUID NOT NULL,
    door                TEXT NOT NULL,
    channel_id          UUID,
    external_system     TEXT,
    external_case_id    TEXT,
    team_id             UUID,
    queue_team_key      UUID NOT NULL,      -- team_id, or the organization id for its own queue
    function            TEXT NOT NULL,
    status              TEXT NOT NULL,
    is_open             BOOLEAN NOT NULL,
    priority            TEXT NOT NULL,
    category            TEXT NOT NULL,
    assignee_id         UUID,
    handled_privately   BOOLEAN NOT NULL,
    escalated_to        TEXT NOT NULL,      -- JSON array of functions
    routing             TEXT NOT NULL,      -- JSON: the routing decision (rule, version, matched term)
    sla_policy_id       UUID,
    sla_policy_version  BIGINT,
    sla_calendar_id     UUID,
    queue_deadline      TIMESTAMPTZ NOT NULL,
    next_deadline_kind  TEXT,
    next_timer          TIMESTAMPTZ,        -- the next SLA warning or breach not yet recorded
    breached            BOOLEAN NOT NULL,
    follows_case_id     UUID,
    merged_into         UUID,
    resolution_code     TEXT,
    first_text          TEXT,
    opened_at           TIMESTAMPTZ NOT NULL,
    first_response_at   TIMESTAMPTZ,
    resolved_at         TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL,
    last_sequence       BIGINT NOT NULL
);
CREATE INDEX cases_queue ON cases (organization_id, queue_team_key, queue_deadline, opened_at, id)
    WHERE is_open;
CREATE INDEX cases_open_by_org ON cases (organization_id, queue_deadline, opened_at, id)
    WHERE is_open;
CREATE INDEX cases_by_assignee ON cases (organization_id, assignee_id, queue_deadline, opened_at, id)
    WHERE is_open;
CREATE INDEX cases_by_contact ON cases (organization_id, contact_id, opened_at, id);
-- The open cases a calendar edit recounts.
CREATE INDEX cases_on_calendar ON cases (organization_id, sla_calendar_id, id)
    WHERE is_open AND sla_calendar_id IS NOT NULL;
-- The SLA timer: its work grows with the cases due, not with all cases.
CREATE INDEX cases_sla_timer ON cases (next_timer) WHERE next_timer IS NOT NULL;

-- The projection's working state: the Case aggregate folded up to its last event (JSON),
-- from which the SLA deadlines are computed. Serves no query.
CREATE TABLE case_states (
    case_id         UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    state           TEXT NOT NULL
);

-- A case's full timeline: every case event, in log order within the case.
CREATE TABLE case_timeline (
    case_id         UUID NOT NULL,
    sequence        BIGINT NOT NULL,
    organization_id UUID NOT NULL,
    kind            TEXT NOT NULL,
    actor_id        UUID,
    at              TIMESTAMPTZ NOT NULL,
    details         TEXT NOT NULL,          -- JSON: the event's payload
    PRIMARY KEY (case_id, sequence)
);
-- The compliance export's range scan.
CREATE INDEX case_timeline_by_time ON case_timeline (organization_id, at);

-- Replies: awaiting approval, sent (an outbound message with its status), rejected or
-- withdrawn.
CREATE TABLE case_replies (
    id                  UUID PRIMARY KEY,
    case_id             UUID NOT NULL,
    organization_id     UUID NOT NULL,
    responder_id        UUID NOT NULL,
    text                TEXT NOT NULL,
    visibility          TEXT NOT NULL,
    status              TEXT NOT NULL,      -- PENDING, SENT, REJECTED, WITHDRAWN
    approver_function   TEXT,
    decided_by          UUID,
    decision_note       TEXT,
    delegated           BOOLEAN NOT NULL,
    outbound_status     TEXT,               -- QUEUED, SENT, FAILED once sent
    network_message_id  TEXT,
    outbound_detail     TEXT,
    flags               TEXT NOT NULL,      -- JSON lexicon matches
    submitted_at        TIMESTAMPTZ NOT NULL,
    sent_at             TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_replies_by_case ON case_replies (case_id, submitted_at, id);
CREATE INDEX case_replies_pending ON case_replies (organization_id, approver_function, submitted_at, id)
    WHERE status = 'PENDING';

-- SLA outcomes (met or breached, business time taken) for the SLA report.
CREATE TABLE case_sla_outcomes (
    case_id          UUID NOT NULL,
    kind             TEXT NOT NULL,
    cycle            BIGINT NOT NULL,
    organization_id  UUID NOT NULL,
    team_id          UUID,
    assignee_id      UUID,
    met              BOOLEAN NOT NULL,
    business_seconds BIGINT NOT NULL,
    deadline         TIMESTAMPTZ,
    at               TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, kind, cycle)
);
CREATE INDEX case_sla_outcomes_by_period ON case_sla_outcomes (organization_id, at);

-- People whose roles changed or who were offboarded: the cases they hold are reviewed
-- (returned to the queue when they no longer hold the case's function covering it).
CREATE TABLE case_holder_reviews (
    person_id       UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    reason          TEXT NOT NULL,
    due_at          TIMESTAMPTZ NOT NULL
);

-- How each team's queue hands its cases out, and when each holder last got one from it.
CREATE TABLE case_queues (
    team_id         UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    strategy        TEXT NOT NULL,
    capacity        BIGINT,
    version         BIGINT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_queues_automatic ON case_queues (strategy, team_id) WHERE strategy <> 'MANUAL';

CREATE TABLE case_queue_members (
    team_id          UUID NOT NULL,
    person_id        UUID NOT NULL,
    last_assigned_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (team_id, person_id)
);

-- Routing rules, one row per version (valid_to set when the next version is set).
CREATE TABLE routing_rule_sets (
    organization_id UUID NOT NULL,
    version         BIGINT NOT NULL,
    rules           TEXT NOT NULL,          -- JSON
    set_by          UUID NOT NULL,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ,
    PRIMARY KEY (organization_id, version)
);

-- SLA policies and business calendars, their current version.
CREATE TABLE sla_policies (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    name            TEXT NOT NULL,
    version         BIGINT NOT NULL,
    definition      TEXT NOT NULL,          -- JSON
    retired_at      TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX sla_policies_by_org ON sla_policies (organization_id, name, id);

CREATE TABLE business_calendars (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    name            TEXT NOT NULL,
    version         BIGINT NOT NULL,
    definition      TEXT NOT NULL,          -- JSON
    retired_at      TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX business_calendars_by_org ON business_calendars (organization_id, name, id);
