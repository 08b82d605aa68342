-- Where each destination of the relay is in the log (see the PostgreSQL migration).
CREATE TABLE relay_checkpoints (
    destination     TEXT PRIMARY KEY,
    transaction_id  INTEGER NOT NULL,
    global_position INTEGER NOT NULL,
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
