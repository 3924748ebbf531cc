-- A sent message is never tried again, so its sending try lives on the message itself:
-- the one UPDATE that marks a batch sent also writes when each try started and how long
-- it took, instead of a second INSERT per message into `attempts` (the drain's hot
-- path; see bench/results/). `attempts` keeps the tries that failed. The view `tries`
-- gives every try of every message as one row, as before.
ALTER TABLE messages ADD COLUMN sent_try_started_at TEXT;
ALTER TABLE messages ADD COLUMN sent_try_ms INTEGER;

UPDATE messages
SET sent_try_started_at = (SELECT a.started_at FROM attempts a
                           WHERE a.message_id = messages.id AND a.outcome = 'sent'),
    sent_try_ms = (SELECT a.duration_ms FROM attempts a
                   WHERE a.message_id = messages.id AND a.outcome = 'sent')
WHERE state = 'sent';

DELETE FROM attempts WHERE outcome = 'sent';

-- Every try: the failed ones, then each sent message's last, with the server's reply.
CREATE VIEW tries (message_id, started_at, duration_ms, outcome, code, provider_text) AS
SELECT message_id, started_at, duration_ms, outcome, code, provider_text FROM attempts
UNION ALL
SELECT id, sent_try_started_at, sent_try_ms, 'sent', NULL, server_reply
FROM messages WHERE sent_try_started_at IS NOT NULL;
