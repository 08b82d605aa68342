-- An aggregate's state as of one of its events, so a long-lived aggregate (an
-- organization's reporting lines) loads from its latest snapshot and the events after
-- it instead of its whole history. Derived data: the events stay the source of truth,
-- a snapshot that no longer decodes is ignored, and deleting rows here is always safe.
CREATE TABLE aggregate_snapshots (
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    -- The aggregate's sequence the state includes.
    sequence        INTEGER NOT NULL CHECK (sequence > 0),
    organization_id BLOB NOT NULL,
    -- The aggregate serialized as JSON text.
    state           TEXT NOT NULL,
    taken_at        TEXT NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id)
);
