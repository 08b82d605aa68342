-- When the append statement wrote each event: clock_timestamp() is read per row as the
-- INSERT runs, just before its transaction commits, so a subscriber can measure delivery
-- from commit rather than from occurred_at (stamped when the command started). The append
-- statement does not name the column. Events appended before this migration carry the
-- time the migration ran (the volatile default is evaluated for every existing row): later
-- than they were written, never earlier than occurred_at.
ALTER TABLE events ADD COLUMN recorded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp();
