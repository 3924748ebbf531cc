-- The outbox: every message is written here before any network call. A worker claims
-- a due message with a lease (state 'sending', lease_until); an expired lease is taken
-- back, so a killed process leaves nothing stuck and nothing lost.
CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    account_id       INTEGER,               -- NULL: the sandbox ("Test kutusu")
    company_id       INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    message_id       TEXT NOT NULL,          -- the Message-ID header, <…>
    idempotency_key  TEXT NOT NULL UNIQUE,
    sender           TEXT NOT NULL,
    recipients       TEXT NOT NULL,          -- JSON array of envelope addresses
    subject          TEXT NOT NULL,
    raw              BLOB NOT NULL,          -- the exact .eml that is sent
    state            TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'retry')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    lease_owner      TEXT,
    lease_until      TEXT,
    last_error       TEXT,
    server_reply     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX messages_due ON messages (state, next_attempt_at);
CREATE INDEX messages_workspace ON messages (workspace_id, created_at);
