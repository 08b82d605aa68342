-- The commit horizon of the log reader (kernel::log): the oldest transaction of a read's
-- snapshot that may still append events, or the snapshot's xmax when none may.
--
-- The snapshot's running transactions are cluster-wide; waiting for all of them would let
-- a long transaction in any other database (or one here that writes no events) hold back
-- every projection, every read-your-writes wait and the event feed. A running transaction
-- is left out only when it is proven not to be an event writer, in two steps that run one
-- after the other:
--   1. it holds its own transaction-id lock and, under the same virtual transaction, no
--      lock on this database's events table (pg_locks, read once);
--   2. afterwards, it is still in progress (pg_xact_status, which asks the proc array
--      first).
-- An append takes its lock on events before it gets its transaction id (its first write
-- is the INSERT INTO events) and keeps it until after it has left the proc array at
-- commit. So a transaction of the snapshot (it had its id before the read began) that
-- showed its id lock and no events lock at step 1, and was still in the proc array at
-- step 2, was not an event writer. Each condition closes a window that a single look at
-- the locks leaves open: a new transaction's id is visible before its id lock is taken,
-- and a committing one releases its table locks before its id lock, after it left the
-- proc array.
CREATE FUNCTION chorus_log_horizon(snapshot pg_snapshot) RETURNS xid8
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    lockless xid[];
    horizon xid8;
BEGIN
    WITH locks AS MATERIALIZED (
        SELECT locktype, transactionid, relation, database, virtualtransaction, granted, mode
          FROM pg_locks
         WHERE locktype IN ('transactionid', 'relation')
    )
    SELECT coalesce(array_agg(t.transactionid), '{}') INTO lockless
      FROM locks t
     WHERE t.locktype = 'transactionid' AND t.granted AND t.mode = 'ExclusiveLock'
       AND NOT EXISTS (
           SELECT 1 FROM locks r
            WHERE r.locktype = 'relation' AND r.virtualtransaction = t.virtualtransaction
              AND r.relation = 'events'::regclass
              AND r.database = (SELECT oid FROM pg_database WHERE datname = current_database()));
    SELECT min(x.xid) INTO horizon
      FROM pg_snapshot_xip(snapshot) AS x(xid)
     WHERE NOT (x.xid::xid = ANY (lockless) AND pg_xact_status(x.xid) = 'in progress');
    RETURN coalesce(horizon, pg_snapshot_xmax(snapshot));
END
$$;
