-- PostgreSQL's commit horizon function (see migrations/postgres/0007_log_horizon.sql).
-- SQLite serializes writers, so position order is commit order: nothing to create. The
-- file keeps both backends' migration numbers in step.
SELECT 1;
