-- The peer's tables: the roster of Chorus's read models (people, teams, who is in which
-- team, role assignments, reporting lines) as a team building on PostGraphile would lay it
-- out, with the foreign keys PostGraphile turns into relations and an index behind each
-- one. chorus-bench runs this after the history is loaded and the read models rebuilt, in
-- the benchmark's own database; Chorus never reads the `peer` schema.
DROP SCHEMA IF EXISTS peer CASCADE;
CREATE SCHEMA peer;

CREATE TABLE peer.people (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    display_name    TEXT NOT NULL,
    email           TEXT NOT NULL,
    affiliation     TEXT NOT NULL,
    external_id     TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    offboarded_at   TIMESTAMPTZ
);
CREATE INDEX people_by_organization ON peer.people (organization_id, id);

CREATE TABLE peer.teams (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    name            TEXT NOT NULL,
    parent_id       UUID REFERENCES peer.teams,
    created_at      TIMESTAMPTZ NOT NULL,
    archived_at     TIMESTAMPTZ
);
CREATE INDEX teams_by_parent ON peer.teams (parent_id);

-- A team's current members: who holds an active role in it.
CREATE TABLE peer.team_members (
    team_id   UUID NOT NULL REFERENCES peer.teams,
    person_id UUID NOT NULL REFERENCES peer.people,
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_by_person ON peer.team_members (person_id);

CREATE TABLE peer.role_assignments (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL,
    person_id       UUID NOT NULL REFERENCES peer.people,
    -- The team the role is held in; null for an organization-wide role.
    team_id         UUID REFERENCES peer.teams,
    function        TEXT NOT NULL,
    responsibility  TEXT,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ,
    granted_by      UUID,
    reason          TEXT NOT NULL
);
CREATE INDEX role_assignments_by_person ON peer.role_assignments (person_id, team_id, valid_to);
CREATE INDEX role_assignments_by_team ON peer.role_assignments (team_id);

CREATE TABLE peer.reporting_lines (
    person_id  UUID NOT NULL REFERENCES peer.people,
    manager_id UUID NOT NULL REFERENCES peer.people,
    valid_from TIMESTAMPTZ NOT NULL,
    valid_to   TIMESTAMPTZ,
    opened_at_position BIGINT NOT NULL,
    PRIMARY KEY (person_id, opened_at_position)
);
CREATE INDEX reporting_lines_by_person ON peer.reporting_lines (person_id, valid_to);
CREATE INDEX reporting_lines_by_manager ON peer.reporting_lines (manager_id);

INSERT INTO peer.people SELECT id, organization_id, display_name, email, affiliation,
    external_id, created_at, offboarded_at FROM public.people;
INSERT INTO peer.teams SELECT id, organization_id, name, parent_id, created_at, archived_at
    FROM public.teams;
INSERT INTO peer.role_assignments SELECT id, organization_id, person_id,
    CASE WHEN scope_kind = 'TEAM' THEN scope_id END, function, responsibility, valid_from,
    valid_to, granted_by, reason FROM public.role_assignments;
INSERT INTO peer.team_members SELECT DISTINCT team_id, person_id FROM peer.role_assignments
    WHERE team_id IS NOT NULL AND valid_to IS NULL;
INSERT INTO peer.reporting_lines SELECT person_id, manager_id, valid_from, valid_to,
    opened_at_position FROM public.reporting_lines;

-- The peer gets its statistics (Chorus's tables get none: its plans must not need them),
-- so the ratio is against the peer at its best.
ANALYZE peer.people, peer.teams, peer.team_members, peer.role_assignments,
    peer.reporting_lines;
