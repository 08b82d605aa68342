-- The SQL one `approvals(filter: {approverId, from, to}, first: 100)` request runs, as
-- captured from the server's sqlx log: the token re-check, then one index scan on
-- post_approvals. A random approver (:approvers is an array literal) and a random
-- 30-day window within the history, as the GraphQL scenario picks them.
\set pick random(1, :approver_count)
\set day random(0, :history_days)
SELECT id FROM people WHERE id = :viewer AND organization_id = :organization AND offboarded_at IS NULL;
SELECT a.post_id, a.sequence, a.signer_id, a.assignment_id, a.function, a.responsibility, a.step,
    a.policy_id, a.policy_version, a.signed_at, a.comment, a.voided_at, a.void_reason
    FROM post_approvals a WHERE a.organization_id = :organization
    AND a.signer_id = (CAST(:approvers AS uuid[]))[:pick]
    AND a.signed_at >= CAST(:from AS timestamptz) + make_interval(days => :day)
    AND a.signed_at < CAST(:from AS timestamptz) + make_interval(days => :day + 30)
    AND a.voided_at IS NULL ORDER BY a.signed_at, a.post_id, a.sequence LIMIT 101;
