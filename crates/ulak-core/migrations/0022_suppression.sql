-- Suppression (issue 23): one list per workspace of e-mail addresses and phone numbers
-- that get nothing more, on any channel. Checked when a message is sent, not when it is
-- queued: a refusal that arrives while a campaign waits is honoured at once.
CREATE TABLE suppressions (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    -- An e-mail address as first given, or a phone number in E.164.
    value        TEXT NOT NULL,
    -- What sends are matched on: the address folded (lower case, Turkish dotted and
    -- dotless i alike), or the number.
    key          TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    reason       TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'iys', 'bounce', 'manual')),
    note         TEXT NOT NULL DEFAULT '',
    -- When the recipient refused (the legal deadlines count from it); added_at is when
    -- Ulak learned of it.
    requested_at TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    UNIQUE (workspace_id, key)
);

-- What a send skipped: each recipient of a message found on the list when it was
-- about to go, with the list's reason then. The message itself fails as 'suppressed'.
CREATE TABLE suppression_hits (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    recipient  TEXT NOT NULL,  -- as the message had it
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (message_id, recipient)
);
