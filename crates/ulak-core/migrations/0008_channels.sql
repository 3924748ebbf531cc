-- The outbox stops being e-mail's: a message has a channel and the provider that sends
-- it, its payload is whatever that provider understands (an .eml for SMTP, JSON for an
-- SMS), a failure is stored as a stable code beside the provider's words, and every try
-- is a row of its own. Every stored message is carried over byte for byte.
ALTER TABLE messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'email'
    CHECK (channel IN ('email', 'sms', 'whatsapp', 'chat', 'webhook'));
-- 'sandbox' (Test kutusu: nothing leaves the machine) or the provider of account_id.
ALTER TABLE messages ADD COLUMN provider TEXT NOT NULL DEFAULT 'smtp';
UPDATE messages SET provider = 'sandbox' WHERE account_id IS NULL;
-- The message's own id in its channel (e-mail: the Message-ID header).
ALTER TABLE messages RENAME COLUMN message_id TO reference;
-- Why the last try failed, as a code the UI words (FailureCode); last_error keeps the
-- provider's own text beside it.
ALTER TABLE messages ADD COLUMN last_code TEXT;

ALTER TABLE message_bodies RENAME TO message_payloads;
ALTER TABLE message_payloads RENAME COLUMN raw TO payload;

-- Keyed by message and start, without a rowid: a bulk send writes a try per message,
-- and one b-tree (not a table and an index) keeps that as cheap as the state change.
CREATE TABLE attempts (
    message_id    INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    started_at    TEXT NOT NULL,
    duration_ms   INTEGER,                -- NULL: not measured (carried over from before)
    outcome       TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'retry')),
    code          TEXT,                   -- FailureCode; NULL when sent
    -- The provider's words on a failed try; NULL on a sent one, whose words are the
    -- message's server_reply (a sent message is never tried again).
    provider_text TEXT,
    PRIMARY KEY (message_id, started_at)
) WITHOUT ROWID;

-- Failures recorded before this release kept only the server's words. They are read
-- once, here, into the codes the window words (the same table the SMTP provider uses
-- for new replies); anything unrecognised stays 'other' with its words beside it.
UPDATE messages SET last_code = CASE
    WHEN last_error GLOB '*[45].1.[1-3] *' OR last_error GLOB '*[45].1.10 *'
      OR lower(last_error) LIKE '%user unknown%' OR lower(last_error) LIKE '%no such user%'
      OR lower(last_error) LIKE '%does not exist%'
      OR lower(last_error) LIKE '%recipient address rejected%' THEN 'noSuchRecipient'
    WHEN last_error GLOB '*[45].2.2*' THEN 'mailboxFull'
    WHEN last_error GLOB '*[45].3.4*' OR last_error GLOB '*5.2.3*' OR last_error LIKE '%(552)%'
      OR lower(last_error) LIKE '%too large%' OR lower(last_error) LIKE '%size exceeds%' THEN 'tooLarge'
    WHEN last_error GLOB '*5.7.8*' OR last_error LIKE '%(535)%'
      OR lower(last_error) LIKE '%authentication%' OR lower(last_error) LIKE '%sign-in%' THEN 'signIn'
    WHEN lower(last_error) LIKE '%relay%' THEN 'relayDenied'
    WHEN last_error GLOB '*5.7.[0-9]*' THEN 'refused'
    WHEN lower(last_error) LIKE '%certificate%' OR lower(last_error) LIKE '%tls%'
      OR lower(last_error) LIKE '%handshake%' THEN 'tls'
    WHEN lower(last_error) LIKE '%connection refused%' OR lower(last_error) LIKE '%no answer from%'
      OR lower(last_error) LIKE '%did not answer in time%' OR lower(last_error) LIKE '%closed the connection%'
      OR lower(last_error) LIKE '%connection reset%' OR lower(last_error) LIKE '%broken pipe%'
      OR lower(last_error) LIKE '%timed out%' OR lower(last_error) LIKE '%network%' THEN 'unreachable'
    WHEN last_error GLOB '*(4[0-9][0-9])*' THEN 'serverBusy'
    ELSE 'other'
END
WHERE last_error IS NOT NULL;

-- The one try each finished message is known to have had.
INSERT INTO attempts (message_id, started_at, duration_ms, outcome, code, provider_text)
SELECT id, updated_at, NULL, state, CASE WHEN state = 'sent' THEN NULL ELSE last_code END,
       CASE WHEN state = 'sent' THEN NULL ELSE last_error END
FROM messages
WHERE attempts > 0 AND (state = 'sent' OR ((state IN ('failed', 'retry')) AND last_error IS NOT NULL))
ORDER BY id;
