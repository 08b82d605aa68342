-- The SQL one `team { members(first: 50) { person roles manager } }` request runs, as
-- captured from the server's sqlx log (RUST_LOG=sqlx::query=debug): the token re-check,
-- the team, the member page, then one batched query per DataLoader. The id lists the
-- server binds one by one are passed here as arrays (:members, :managers), which
-- chorus-bench reads from the database before running this script.
SELECT id FROM people WHERE id = :viewer AND organization_id = :organization AND offboarded_at IS NULL;
SELECT id, organization_id, name, parent_id, created_at, archived_at FROM teams
    WHERE id = :team AND organization_id = :organization;
SELECT team_id, person_id FROM (SELECT team_id, person_id, ROW_NUMBER() OVER (PARTITION BY team_id
    ORDER BY person_id) AS rn FROM (SELECT DISTINCT scope_id AS team_id, person_id FROM role_assignments
    WHERE scope_id = :team AND scope_kind = 'TEAM' AND organization_id = :organization
    AND valid_from <= now() AND (valid_to IS NULL OR valid_to > now())) d) x
    WHERE rn <= 51 ORDER BY team_id, person_id;
SELECT id, organization_id, display_name, email, affiliation, external_id, created_at, offboarded_at
    FROM people WHERE id = ANY (CAST(:members AS uuid[])) AND organization_id = :organization;
SELECT id, organization_id, person_id, function, responsibility, scope_kind, scope_id, valid_from,
    valid_to, granted_by, reason, revoked_by, revoke_reason FROM role_assignments
    WHERE scope_id = :team AND person_id = ANY (CAST(:members AS uuid[])) AND scope_kind = 'TEAM'
    AND organization_id = :organization AND valid_from <= now() AND (valid_to IS NULL OR valid_to > now())
    ORDER BY id;
SELECT person_id, manager_id, valid_from, valid_to FROM reporting_lines
    WHERE person_id = ANY (CAST(:members AS uuid[])) AND organization_id = :organization
    AND valid_from <= now() AND (valid_to IS NULL OR valid_to > now());
SELECT id, organization_id, display_name, email, affiliation, external_id, created_at, offboarded_at
    FROM people WHERE id = ANY (CAST(:managers AS uuid[])) AND organization_id = :organization;
