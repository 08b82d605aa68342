-- The team roster: one row per current member of a team, holding everything the hot
-- `team { members { person roles manager } }` read serves, so a page of members is one
-- range scan of the primary key. Kept by the teams projection beside the temporal
-- tables (role_assignments, reporting_lines stay the record for time travel).
--
-- `roles` is the member's roles in the team's scope (JSON, ordered by id): ended roles
-- are removed, so only held and future ones remain; `held_from`/`held_until` bound when
-- the member holds at least one of them, and reads filter by them against "now".
CREATE TABLE team_roster (
    team_id                UUID NOT NULL,
    person_id              UUID NOT NULL,
    organization_id        UUID NOT NULL,
    held_from              TIMESTAMPTZ NOT NULL,
    held_until             TIMESTAMPTZ,
    roles                  TEXT NOT NULL,
    display_name           TEXT NOT NULL,
    email                  TEXT NOT NULL,
    affiliation            TEXT NOT NULL,
    external_id            TEXT,
    created_at             TIMESTAMPTZ NOT NULL,
    offboarded_at          TIMESTAMPTZ,
    manager_id             UUID,
    manager_display_name   TEXT,
    manager_email          TEXT,
    manager_affiliation    TEXT,
    manager_external_id    TEXT,
    manager_created_at     TIMESTAMPTZ,
    manager_offboarded_at  TIMESTAMPTZ,
    PRIMARY KEY (team_id, person_id)
);
-- A person's and a manager's changes reach every roster row that shows them.
CREATE INDEX team_roster_by_person ON team_roster (person_id);
CREATE INDEX team_roster_by_manager ON team_roster (manager_id);
