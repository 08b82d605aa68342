-- One organization's events in commit-safe order, for subscriptions that resume after a
-- position (`events(after:)`): the reader filters by organization and orders by
-- (transaction_id, global_position), which events_organization (organization_id,
-- global_position) cannot give without sorting the organization's whole rest of the log.
CREATE INDEX events_organization_commit_order
    ON events (organization_id, transaction_id, global_position);
