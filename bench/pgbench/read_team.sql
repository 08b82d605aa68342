-- The SQL one `team { members(first: 50) { person roles manager } }` request runs, as
-- captured from the server's sqlx log (RUST_LOG=sqlx::query=debug): the team by primary
-- key (its organization is checked on the row), then the member page from the team
-- roster, one range scan of its primary key holding each member's person, roles and
-- manager. The caller check (person still active) is cached in-process and dropped by
-- the projection when it applies an offboarding, so it does not run per request.
SELECT id, organization_id, name, parent_id, created_at, archived_at FROM teams WHERE id IN (:team);
SELECT team_id, person_id, organization_id, roles, display_name, email, affiliation, external_id,
    created_at, offboarded_at, manager_id, manager_display_name, manager_email, manager_affiliation,
    manager_external_id, manager_created_at, manager_offboarded_at FROM team_roster
    WHERE team_id = :team AND organization_id = :organization AND held_from <= now()
    AND (held_until IS NULL OR held_until > now()) ORDER BY team_id, person_id LIMIT 51;
