-- The SQL one `caseQueue(filter: {teamId}, first: 50) { ... contact { displayName } }`
-- request runs, as captured from the server's sqlx log: the case-reader check (the
-- viewer's active roles; being an admin is cached in-process), the page from one range
-- scan of `cases_queue`, then the page's contacts in one batch (the server binds them as
-- an IN list; :contacts is the first page's contacts as an array literal).
SELECT id, function, responsibility, scope_kind, scope_id FROM role_assignments
    WHERE organization_id = :organization AND person_id = :viewer
    AND valid_from <= now() AND (valid_to IS NULL OR valid_to > now()) ORDER BY valid_from, id;
SELECT id, organization_id, contact_id, door, channel_id, external_system, external_case_id,
    team_id, function, status, priority, category, assignee_id, handled_privately, escalated_to,
    routing, sla_policy_id, sla_policy_version, queue_deadline, next_deadline_kind, breached,
    follows_case_id, merged_into, resolution_code, first_text, opened_at, first_response_at,
    resolved_at, updated_at FROM cases WHERE organization_id = :organization AND is_open
    AND queue_team_key = :team ORDER BY queue_deadline, opened_at, id LIMIT 51;
SELECT id, organization_id, display_name, crm_id, vip, created_at, updated_at FROM contacts
    WHERE id = ANY(CAST(:contacts AS uuid[])) AND organization_id = :organization;
