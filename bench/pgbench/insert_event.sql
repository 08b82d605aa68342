-- The INSERT ceiling: one events-shaped row per transaction (autocommit), as a
-- one-event command appends it, into a copy of the events table with the same columns,
-- defaults, constraints and indexes (chorus-bench creates bench_insert_ceiling with
-- CREATE TABLE ... (LIKE events ...) and drops it afterwards). :payload is the content of
-- payload.json, a RoleAssigned event as Chorus stores it.
INSERT INTO bench_insert_ceiling (aggregate_type, aggregate_id, sequence, event_type,
    event_version, payload, organization_id, actor_id, actor_kind, occurred_at,
    correlation_id, causation_id, request_source)
VALUES ('person', gen_random_uuid()::text, 1, 'RoleAssigned', '1.0',
    :payload,
    CAST(:organization AS uuid), gen_random_uuid(), 'person', now(), gen_random_uuid(), NULL, 'pgbench');
