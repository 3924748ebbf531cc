-- A workspace's connection to a sending provider other than its SMTP accounts (Twilio,
-- Meta WhatsApp, …), as the provider's spec (crates/ulak-channels/specs/) describes it:
-- the spec's plain fields as a JSON object; its secrets in `secrets` (owner
-- 'integration:<id>', one row per secret field), never here. One per provider and
-- workspace for now.
CREATE TABLE integrations (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'whatsapp', 'chat', 'webhook')),
    provider      TEXT NOT NULL,
    settings      TEXT NOT NULL CHECK (json_valid(settings) AND json_type(settings) = 'object'),
    -- NULL: the spec's default base URL.
    base_url      TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (workspace_id, channel, provider)
);
