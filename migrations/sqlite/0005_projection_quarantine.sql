-- Events a projection could not apply, kept out of its way so that everything behind
-- them keeps flowing (see kernel::quarantine). The event itself stays in the log; this
-- only records that one read model does not include it yet, and why.
CREATE TABLE projection_quarantine (
    projection      TEXT NOT NULL,
    transaction_id  INTEGER NOT NULL,
    global_position INTEGER NOT NULL,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    organization_id BLOB NOT NULL,
    event_type      TEXT NOT NULL,
    -- failed: the projection refused this event.
    -- held: an earlier event of the same aggregate is quarantined; this one waits behind
    --       it, so the aggregate's events still reach the read model in order.
    -- skipped: an operator chose to leave it out (`chorus projections skip`).
    status          TEXT NOT NULL CHECK (status IN ('failed', 'held', 'skipped')),
    error           TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    quarantined_at  TEXT NOT NULL,
    last_attempt_at TEXT NOT NULL,
    PRIMARY KEY (projection, global_position)
);

CREATE INDEX projection_quarantine_aggregate
    ON projection_quarantine (projection, aggregate_type, aggregate_id, global_position);
