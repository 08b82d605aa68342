-- Read models of the cases context (contacts, cases with their timeline, replies and SLA
-- outcomes, routing rules, SLA policies, business calendars). Rebuildable from the log at
-- any time; nothing here is a source of truth. Every timestamp comes from the events.

-- A contact's personal data, kept apart from cases (which name the contact by id only),
-- so that erasing it touches these rows and the contact's own events.
CREATE TABLE contacts (
    id              BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    display_name    TEXT,
    crm_id          TEXT,
    vip             BOOLEAN NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX contacts_by_crm_id ON contacts (organization_id, crm_id);

-- A contact's handle per network: "who is @jane on X" at intake.
CREATE TABLE contact_handles (
    organization_id BLOB NOT NULL,
    network         TEXT NOT NULL,
    handle_key      TEXT NOT NULL,          -- lowercased, for lookup
    handle          TEXT NOT NULL,
    contact_id      BLOB NOT NULL,
    PRIMARY KEY (organization_id, network, handle_key)
);
CREATE INDEX contact_handles_by_contact ON contact_handles (contact_id);

-- A case with its current state. The queue is one index range scan: open cases of a
-- team, by next SLA deadline (`queue_deadline`, far in the future when no clock runs),
-- then oldest first.
CREATE TABLE cases (
    id                  BLOB PRIMARY KEY,
    organization_id     BLOB NOT NULL,
    contact_id          BLOB NOT NULL,
    door                TEXT NOT NULL,
    channel_id          BLOB,
    external_system     TEXT,
    external_case_id    TEXT,
    team_id             BLOB,
    queue_team_key      BLOB NOT NULL,      -- team_id, or the organization id for its own queue
    function            TEXT NOT NULL,
    status              TEXT NOT NULL,
    is_open             BOOLEAN NOT NULL,
    priority            TEXT NOT NULL,
    category            TEXT NOT NULL,
    assignee_id         BLOB,
    handled_privately   BOOLEAN NOT NULL,
    escalated_to        TEXT NOT NULL,      -- JSON array of functions
    routing             TEXT NOT NULL,      -- JSON: the routing decision (rule, version, matched term)
    sla_policy_id       BLOB,
    sla_policy_version  BIGINT,
    sla_calendar_id     BLOB,
    queue_deadline      TEXT NOT NULL,
    next_deadline_kind  TEXT,
    next_timer          TEXT,        -- the next SLA warning or breach not yet recorded
    breached            BOOLEAN NOT NULL,
    follows_case_id     BLOB,
    merged_into         BLOB,
    resolution_code     TEXT,
    first_text          TEXT,
    opened_at           TEXT NOT NULL,
    first_response_at   TEXT,
    resolved_at         TEXT,
    updated_at          TEXT NOT NULL,
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
    case_id         BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    state           TEXT NOT NULL
);

-- A case's full timeline: every case event, in log order within the case.
CREATE TABLE case_timeline (
    case_id         BLOB NOT NULL,
    sequence        BIGINT NOT NULL,
    organization_id BLOB NOT NULL,
    kind            TEXT NOT NULL,
    actor_id        BLOB,
    at              TEXT NOT NULL,
    details         TEXT NOT NULL,          -- JSON: the event's payload
    PRIMARY KEY (case_id, sequence)
);
-- The compliance export's range scan.
CREATE INDEX case_timeline_by_time ON case_timeline (organization_id, at);

-- Replies: awaiting approval, sent (an outbound message with its status), rejected or
-- withdrawn.
CREATE TABLE case_replies (
    id                  BLOB PRIMARY KEY,
    case_id             BLOB NOT NULL,
    organization_id     BLOB NOT NULL,
    responder_id        BLOB NOT NULL,
    text                TEXT NOT NULL,
    visibility          TEXT NOT NULL,
    status              TEXT NOT NULL,      -- PENDING, SENT, REJECTED, WITHDRAWN
    approver_function   TEXT,
    decided_by          BLOB,
    decision_note       TEXT,
    delegated           BOOLEAN NOT NULL,
    outbound_status     TEXT,               -- QUEUED, SENT, FAILED once sent
    network_message_id  TEXT,
    outbound_detail     TEXT,
    flags               TEXT NOT NULL,      -- JSON lexicon matches
    submitted_at        TEXT NOT NULL,
    sent_at             TEXT,
    updated_at          TEXT NOT NULL
);
CREATE INDEX case_replies_by_case ON case_replies (case_id, submitted_at, id);
CREATE INDEX case_replies_pending ON case_replies (organization_id, approver_function, submitted_at, id)
    WHERE status = 'PENDING';

-- SLA outcomes (met or breached, business time taken) for the SLA report.
CREATE TABLE case_sla_outcomes (
    case_id          BLOB NOT NULL,
    kind             TEXT NOT NULL,
    cycle            BIGINT NOT NULL,
    organization_id  BLOB NOT NULL,
    team_id          BLOB,
    assignee_id      BLOB,
    met              BOOLEAN NOT NULL,
    business_seconds BIGINT NOT NULL,
    deadline         TEXT,
    at               TEXT NOT NULL,
    PRIMARY KEY (case_id, kind, cycle)
);
CREATE INDEX case_sla_outcomes_by_period ON case_sla_outcomes (organization_id, at);

-- People whose roles changed or who were offboarded: the cases they hold are reviewed
-- (returned to the queue when they no longer hold the case's function covering it).
CREATE TABLE case_holder_reviews (
    person_id       BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    reason          TEXT NOT NULL,
    due_at          TEXT NOT NULL
);

-- How each team's queue hands its cases out, and when each holder last got one from it.
CREATE TABLE case_queues (
    team_id         BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    strategy        TEXT NOT NULL,
    capacity        BIGINT,
    version         BIGINT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX case_queues_automatic ON case_queues (strategy, team_id) WHERE strategy <> 'MANUAL';

CREATE TABLE case_queue_members (
    team_id          BLOB NOT NULL,
    person_id        BLOB NOT NULL,
    last_assigned_at TEXT NOT NULL,
    PRIMARY KEY (team_id, person_id)
);

-- Routing rules, one row per version (valid_to set when the next version is set).
CREATE TABLE routing_rule_sets (
    organization_id BLOB NOT NULL,
    version         BIGINT NOT NULL,
    rules           TEXT NOT NULL,          -- JSON
    set_by          BLOB NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT,
    PRIMARY KEY (organization_id, version)
);

-- SLA policies and business calendars, their current version.
CREATE TABLE sla_policies (
    id              BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    name            TEXT NOT NULL,
    version         BIGINT NOT NULL,
    definition      TEXT NOT NULL,          -- JSON
    retired_at      TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX sla_policies_by_org ON sla_policies (organization_id, name, id);

CREATE TABLE business_calendars (
    id              BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    name            TEXT NOT NULL,
    version         BIGINT NOT NULL,
    definition      TEXT NOT NULL,          -- JSON
    retired_at      TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX business_calendars_by_org ON business_calendars (organization_id, name, id);
