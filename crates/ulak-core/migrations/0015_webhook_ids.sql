-- Endpoint ids are never reused: a removed endpoint's id could otherwise pass to the
-- next one added, and a delivery still queued for the old one would go to the new
-- one, signed with its secret. Every endpoint is carried over as it is.
CREATE TABLE webhook_endpoints_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    events          TEXT NOT NULL CHECK (json_valid(events) AND json_type(events) = 'array'),
    allow_private   INTEGER NOT NULL DEFAULT 0,
    previous_until  TEXT,
    failing_since   TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    last_delivery_at TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
INSERT INTO webhook_endpoints_new SELECT id, workspace_id, url, events, allow_private,
    previous_until, failing_since, last_status, last_error, last_delivery_at, created_at,
    updated_at FROM webhook_endpoints;
DROP TABLE webhook_endpoints;
ALTER TABLE webhook_endpoints_new RENAME TO webhook_endpoints;
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id);
