-- Read models of the teams context. Rebuildable from the log at any time
-- (`chorus projections rebuild teams`); nothing here is a source of truth.

CREATE TABLE organizations (
    id                UUID PRIMARY KEY,
    name              TEXT NOT NULL,
    founding_admin_id UUID NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE teams (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    name            TEXT NOT NULL,
    parent_id       UUID,
    created_at      TIMESTAMPTZ NOT NULL,
    archived_at     TIMESTAMPTZ
);
CREATE INDEX teams_by_organization ON teams (organization_id, id);
CREATE INDEX teams_by_parent ON teams (parent_id, id);

CREATE TABLE people (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    display_name    TEXT NOT NULL,
    email           TEXT NOT NULL,
    affiliation     TEXT NOT NULL,
    external_id     TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    offboarded_at   TIMESTAMPTZ
);
CREATE INDEX people_by_organization ON people (organization_id, id);
CREATE INDEX people_by_email ON people (organization_id, email);
CREATE INDEX people_by_external_id ON people (organization_id, external_id);

-- Temporal: one row per assignment, valid over [valid_from, valid_to).
CREATE TABLE role_assignments (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    person_id       UUID NOT NULL,
    function        TEXT NOT NULL,
    responsibility  TEXT,
    scope_kind      TEXT NOT NULL,
    scope_id        UUID NOT NULL,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ,
    granted_by      UUID,
    reason          TEXT NOT NULL,
    revoked_by      UUID,
    revoke_reason   TEXT
);
CREATE INDEX role_assignments_by_person ON role_assignments (person_id, valid_from);
CREATE INDEX role_assignments_by_scope ON role_assignments (scope_id, function, valid_from);
CREATE INDEX role_assignments_by_organization ON role_assignments (organization_id, function, valid_from);

-- Temporal reporting lines: person reports to manager over [valid_from, valid_to).
CREATE TABLE reporting_lines (
    organization_id UUID NOT NULL,
    person_id       UUID NOT NULL,
    manager_id      UUID NOT NULL,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ,
    -- The event that opened the line: unique even if two changes share a timestamp.
    opened_at_position BIGINT NOT NULL,
    PRIMARY KEY (person_id, opened_at_position)
);
CREATE INDEX reporting_lines_by_manager ON reporting_lines (manager_id, valid_from);

CREATE TABLE channels (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    team_id         UUID NOT NULL,
    network         TEXT NOT NULL,
    handle          TEXT NOT NULL,
    registered_at   TIMESTAMPTZ NOT NULL,
    retired_at      TIMESTAMPTZ
);
CREATE INDEX channels_by_organization ON channels (organization_id, id);
CREATE INDEX channels_by_team ON channels (team_id, id);
CREATE INDEX channels_by_account ON channels (organization_id, network, handle);
