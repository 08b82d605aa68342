-- Where each destination of the relay (the NATS stream; later webhook endpoints) is in the
-- log: everything at or before the position has been delivered and acknowledged.
CREATE TABLE relay_checkpoints (
    destination     TEXT PRIMARY KEY,
    transaction_id  BIGINT NOT NULL,
    global_position BIGINT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
