-- The .eml of a message in a table of its own: the outbox changes a message's state
-- several times, and with the body in the same row each change rewrote kilobytes.
CREATE TABLE message_bodies (
    message_id  INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    raw         BLOB NOT NULL
);
INSERT INTO message_bodies (message_id, raw) SELECT id, raw FROM messages;
ALTER TABLE messages DROP COLUMN raw;
