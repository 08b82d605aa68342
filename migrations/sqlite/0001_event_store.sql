-- The event log: the only source of truth. Append-only, enforced below.
CREATE TABLE events (
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
    CONSTRAINT events_aggregate_sequence UNIQUE (aggregate_type, aggregate_id, sequence)
);

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

CREATE TABLE idempotency_keys (
    organization_id BLOB NOT NULL,
    idempotency_key TEXT NOT NULL,
    request         TEXT NOT NULL,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    last_sequence   INTEGER NOT NULL,
    transaction_id  INTEGER NOT NULL,
    global_position INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organization_id, idempotency_key)
);

CREATE TABLE projection_checkpoints (
    name            TEXT PRIMARY KEY,
    transaction_id  INTEGER NOT NULL,
    global_position INTEGER NOT NULL
);
