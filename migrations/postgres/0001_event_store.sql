-- The event log: the only source of truth. Append-only, enforced below.
CREATE TABLE events (
    global_position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The writing transaction; readers stay below the oldest running one (see kernel::log).
    transaction_id  XID8 NOT NULL DEFAULT pg_current_xact_id(),
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    sequence        BIGINT NOT NULL CHECK (sequence > 0),
    event_type      TEXT NOT NULL,
    event_version   TEXT NOT NULL,
    -- JSON as text: read back verbatim, without jsonb's re-rendering cost on every replay.
    payload         TEXT NOT NULL,
    organization_id UUID NOT NULL,
    actor_id        UUID,
    actor_kind      TEXT NOT NULL CHECK (actor_kind IN ('person', 'service_account', 'system')),
    occurred_at     TIMESTAMPTZ NOT NULL,
    correlation_id  UUID NOT NULL,
    causation_id    UUID,
    request_source  TEXT NOT NULL,
    CONSTRAINT events_aggregate_sequence UNIQUE (aggregate_type, aggregate_id, sequence)
);

CREATE INDEX events_commit_order ON events (transaction_id, global_position);
CREATE INDEX events_organization ON events (organization_id, global_position);
CREATE INDEX events_actor ON events (actor_id, occurred_at);
CREATE INDEX events_correlation ON events (correlation_id);
CREATE INDEX events_occurred_at ON events (organization_id, occurred_at);

CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the events table is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER events_append_only_rows
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_append_only_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

-- Idempotency keys live in the same transaction as the events they produced.
CREATE TABLE idempotency_keys (
    organization_id UUID NOT NULL,
    idempotency_key TEXT NOT NULL,
    request         TEXT NOT NULL,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    last_sequence   BIGINT NOT NULL,
    transaction_id  BIGINT NOT NULL,
    global_position BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization_id, idempotency_key)
);

CREATE TABLE projection_checkpoints (
    name            TEXT PRIMARY KEY,
    transaction_id  BIGINT NOT NULL,
    global_position BIGINT NOT NULL
);
