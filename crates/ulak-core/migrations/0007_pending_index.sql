-- The outbox's index holds only messages still to send. Sent and failed ones (the whole
-- history, over time) leave it, so a state change to 'sent' deletes an entry instead of
-- moving it, and claiming walks a small index however long the history grows.
DROP INDEX messages_due;
CREATE INDEX messages_pending ON messages (state, next_attempt_at)
    WHERE state IN ('queued', 'retry', 'sending');
