-- Webhook endpoints (Bildirimler → Webhook'lar): where Ulak posts its events as JSON,
-- signed per Standard Webhooks. Each delivery is a message of channel 'webhook' whose
-- account_id is the endpoint, so it has the outbox's durability, retries and tries.
-- The signing secret sits in `secrets` (owner 'webhook:<id>', name 'secret'); after a
-- rotation the old one stays there as 'previous' and still signs until previous_until.
CREATE TABLE webhook_endpoints (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    -- The event types it wants, e.g. ["message.failed"]; ["*"] for every one.
    events          TEXT NOT NULL CHECK (json_valid(events) AND json_type(events) = 'array'),
    -- Deliveries to a private, loopback or link-local address only when set.
    allow_private   INTEGER NOT NULL DEFAULT 0,
    previous_until  TEXT,
    -- Set when a delivery was given up (a day of failures); cleared by a success.
    failing_since   TEXT,
    -- The last delivery's answer: its HTTP status (NULL: none came) and what went wrong.
    last_status     INTEGER,
    last_error      TEXT,
    last_delivery_at TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id);
