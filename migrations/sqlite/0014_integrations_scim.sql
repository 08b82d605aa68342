-- Read models of the integrations context's SCIM provisioning. Rebuildable from the log
-- at any time; nothing here is a source of truth.

-- What an HR system provisioned about a person beside the teams context's people row
-- (given and family name, employee number, department), one row per person.
CREATE TABLE scim_users (
    person_id       BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    given_name      TEXT,
    family_name     TEXT,
    employee_number TEXT,
    department      TEXT,
    updated_at      TEXT NOT NULL
);

-- A SCIM group an admin mapped to a role grant: its members are the holders of that role.
-- Listed by id (creation order) and looked up by displayName or externalId, as identity
-- providers do before they push a group. A removed group's row is deleted.
CREATE TABLE scim_groups (
    id              BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL,
    display_name    TEXT NOT NULL,
    external_id     TEXT,
    function        TEXT NOT NULL,
    responsibility  TEXT,
    scope_kind      TEXT NOT NULL,
    scope_id        BLOB NOT NULL,
    linked_at       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX scim_groups_by_organization ON scim_groups (organization_id, id);
CREATE INDEX scim_groups_by_display_name ON scim_groups (organization_id, display_name);
CREATE INDEX scim_groups_by_external_id ON scim_groups (organization_id, external_id);

-- The teams context's people, looked up by exact displayName (SCIM's
-- `filter=displayName eq "…"`); email and externalId have their indexes since 0002.
CREATE INDEX people_by_display_name ON people (organization_id, display_name);
