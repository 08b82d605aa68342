-- A team queue's reply approver: replies to the team's cases whose routing rule names
-- none need the approval of a holder of this function (stored form; NULL: none).
ALTER TABLE case_queues ADD COLUMN reply_approver TEXT;
