-- On SQLite position order is commit order, so events_organization (organization_id,
-- global_position) already serves a resuming subscription; the version is kept in step
-- with PostgreSQL's.
SELECT 1;
