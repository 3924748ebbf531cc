-- Video meetings (issue 20): Zoom is set up on Entegrasyonlar › Toplantı with the same
-- spec-driven form as any provider, so `integrations.channel` takes 'meeting' too.
-- SQLite cannot change a CHECK in place: the table is rebuilt as SQLite's ALTER TABLE
-- procedure asks, every row and id kept. Migrations run with foreign keys off (see
-- store::migrate), so dropping the old table does not cascade into the rows that refer
-- to it (smtp_accounts.integration_id, inbound_messages, delivery_reports); they refer
-- to the new table by name and id once it is renamed.
CREATE TABLE integrations_new (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    channel         TEXT NOT NULL
                    CHECK (channel IN ('email', 'sms', 'whatsapp', 'chat', 'webhook', 'meeting')),
    provider        TEXT NOT NULL,
    settings        TEXT NOT NULL CHECK (json_valid(settings) AND json_type(settings) = 'object'),
    -- NULL: the spec's default base URL.
    base_url        TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_error      TEXT,
    last_code       TEXT,
    last_error_at   TEXT,
    rate_per_second INTEGER CHECK (rate_per_second IS NULL OR rate_per_second BETWEEN 1 AND 1000),
    error_told_at   TEXT,
    UNIQUE (workspace_id, channel, provider)
);
INSERT INTO integrations_new (id, workspace_id, channel, provider, settings, base_url, active,
    created_at, updated_at, last_error, last_code, last_error_at, rate_per_second, error_told_at)
SELECT id, workspace_id, channel, provider, settings, base_url, active,
    created_at, updated_at, last_error, last_code, last_error_at, rate_per_second, error_told_at
FROM integrations;
DROP TABLE integrations;
ALTER TABLE integrations_new RENAME TO integrations;
