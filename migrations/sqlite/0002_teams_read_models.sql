-- Read models of the teams context. Rebuildable from the log at any time
-- (`chorus projections rebuild teams`); nothing here is a source of truth.

CREATE TABLE organizations (
    id                BLOB PRIMARY KEY,
    name              TEXT NOT NULL,
    founding_admin_id BLOB NOT NULL,
    created_at        TEXT NOT NULL
);

CREATE TABLE teams (
    id              BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    name            TEXT NOT NULL,
    parent_id       BLOB,
    created_at      TEXT NOT NULL,
    archived_at     TEXT
);
CREATE INDEX teams_by_organization ON teams (organization_id, id);
CREATE INDEX teams_by_parent ON teams (parent_id, id);

CREATE TABLE people (
    id              BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    display_name    TEXT NOT NULL,
    email           TEXT NOT NULL,
    affiliation     TEXT NOT NULL,
    external_id     TEXT,
    created_at      TEXT NOT NULL,
    offboarded_at   TEXT
);
CREATE INDEX people_by_organization ON people (organization_id, id);
CREATE INDEX people_by_email ON people (organization_id, email);
CREATE INDEX people_by_external_id ON people (organization_id, external_id);

-- Temporal: one row per assignment, valid over [valid_from, valid_to).
CREATE TABLE role_assignments (
    id              BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    person_id       BLOB NOT NULL,
    function        TEXT NOT NULL,
    responsibility  TEXT,
    scope_kind      TEXT NOT NULL,
    scope_id        BLOB NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT,
    granted_by      BLOB,
    reason          TEXT NOT NULL,
    revoked_by      BLOB,
    revoke_reason   TEXT
);
CREATE INDEX role_assignments_by_person ON role_assignments (person_id, valid_from);
CREATE INDEX role_assignments_by_scope ON role_assignments (scope_id, function, valid_from);
CREATE INDEX role_assignments_by_organization ON role_assignments (organization_id, function, valid_from);

-- Temporal reporting lines: person reports to manager over [valid_from, valid_to).
CREATE TABLE reporting_lines (
    organization_id BLOB NOT NULL,
    person_id       BLOB NOT NULL,
    manager_id      BLOB NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT,
    -- The event that opened the line: unique even if two changes share a timestamp.
    opened_at_position BIGINT NOT NULL,
    PRIMARY KEY (person_id, opened_at_position)
);
CREATE INDEX reporting_lines_by_manager ON reporting_lines (manager_id, valid_from);

CREATE TABLE channels (
    id              BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    team_id         BLOB NOT NULL,
    network         TEXT NOT NULL,
    handle          TEXT NOT NULL,
    registered_at   TEXT NOT NULL,
    retired_at      TEXT
);
CREATE INDEX channels_by_organization ON channels (organization_id, id);
CREATE INDEX channels_by_team ON channels (team_id, id);
CREATE INDEX channels_by_account ON channels (organization_id, network, handle);
