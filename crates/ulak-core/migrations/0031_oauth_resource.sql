-- Microsoft Teams meetings (issue 20): a Microsoft access token is good for one
-- resource only — Outlook's SMTP (outlook.office.com) or Microsoft Graph — so the same
-- account signed in for sending mail and for Teams keeps two connections, each with its
-- own tokens. `resource` tells them apart ('' for the first resource: Google, whose one
-- token covers every scope, and Microsoft's SMTP; 'graph' for Microsoft Graph). The
-- table is rebuilt for its UNIQUE constraint, every row and id kept (migrations run
-- with foreign keys off: smtp_accounts.oauth_id keeps pointing at its connection).
CREATE TABLE oauth_connections_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    provider TEXT NOT NULL CHECK (provider IN ('google', 'microsoft')),
    address TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'error')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    error_told_at TEXT,
    resource TEXT NOT NULL DEFAULT '' CHECK (resource IN ('', 'graph')),
    UNIQUE (workspace_id, provider, address, resource)
);
INSERT INTO oauth_connections_new (id, workspace_id, provider, address, scopes, expires_at,
    status, created_at, updated_at, error_told_at)
SELECT id, workspace_id, provider, address, scopes, expires_at, status, created_at,
    updated_at, error_told_at
FROM oauth_connections;
-- Ids are never reused (AUTOINCREMENT): the old table's counter carries over.
UPDATE sqlite_sequence
SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'oauth_connections'), 0))
WHERE name = 'oauth_connections_new';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'oauth_connections_new', seq FROM sqlite_sequence
WHERE name = 'oauth_connections'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'oauth_connections_new');
DROP TABLE oauth_connections;
ALTER TABLE oauth_connections_new RENAME TO oauth_connections;
