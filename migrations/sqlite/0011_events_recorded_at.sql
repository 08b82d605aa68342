-- When the append statement wrote each event (see the PostgreSQL migration): the default
-- is the statement's clock in UTC in the RFC 3339 form the other timestamps take. SQLite's
-- clock has millisecond steps (it truncates), so the default is the next millisecond: never
-- earlier than the instant the row was written, hence never earlier than occurred_at,
-- which the server stamps with a finer clock before the command runs. SQLite's ALTER
-- TABLE cannot add a column whose default is an expression, so the table is rebuilt with
-- the column (the documented procedure: new table, copy, drop, rename; the indexes and
-- append-only triggers are recreated). Events appended before this migration carry the
-- time the migration ran, as on PostgreSQL.
CREATE TABLE events_with_recorded_at (
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Always 0: SQLite serializes writers, so position order is commit order.
    transaction_id  INTEGER NOT NULL DEFAULT 0,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    sequence        INTEGER NOT NULL CHECK (sequence > 0),
    event_type      TEXT NOT NULL,
    event_version   TEXT NOT NULL,
    payload         TEXT NOT NULL,
    organization_id BLOB NOT NULL,
    actor_id        BLOB,
    actor_kind      TEXT NOT NULL CHECK (actor_kind IN ('person', 'service_account', 'system')),
    occurred_at     TEXT NOT NULL,
    correlation_id  BLOB NOT NULL,
    causation_id    BLOB,
    request_source  TEXT NOT NULL,
    recorded_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '+0.001 seconds')),
    CONSTRAINT events_aggregate_sequence UNIQUE (aggregate_type, aggregate_id, sequence)
);

INSERT INTO events_with_recorded_at (global_position, transaction_id, aggregate_type,
    aggregate_id, sequence, event_type, event_version, payload, organization_id, actor_id,
    actor_kind, occurred_at, correlation_id, causation_id, request_source)
SELECT global_position, transaction_id, aggregate_type, aggregate_id, sequence, event_type,
    event_version, payload, organization_id, actor_id, actor_kind, occurred_at,
    correlation_id, causation_id, request_source
FROM events ORDER BY global_position;

DROP TABLE events;
ALTER TABLE events_with_recorded_at RENAME TO events;

CREATE INDEX events_organization ON events (organization_id, global_position);
CREATE INDEX events_actor ON events (actor_id, occurred_at);
CREATE INDEX events_correlation ON events (correlation_id);
CREATE INDEX events_occurred_at ON events (organization_id, occurred_at);

CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the events table is append-only: UPDATE refused');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the events table is append-only: DELETE refused');
END;
