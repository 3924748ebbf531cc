-- A scheduled send (issue 24): the time the user asked the message to go; it waits
-- queued until then. NULL: at once. The outbox's lifetime counts from it.
ALTER TABLE messages ADD COLUMN scheduled_at TEXT;
