-- Accounts signed in with OAuth (Google, Microsoft; issue 18). The tokens themselves
-- are in `secrets` (owner 'oauth:<id>': access_token, refresh_token); here is what may
-- be shown: the address, the granted scopes, when the access token expires, and
-- whether the grant still holds ('error' after a refused refresh: connect again).
CREATE TABLE oauth_connections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    provider TEXT NOT NULL CHECK (provider IN ('google', 'microsoft')),
    address TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'error')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (workspace_id, provider, address)
);

-- An SMTP account whose sign-in is an OAuth connection (XOAUTH2) or whose mail goes
-- through the provider's API (Gmail): no password then.
ALTER TABLE smtp_accounts ADD COLUMN oauth_id INTEGER REFERENCES oauth_connections(id) ON DELETE SET NULL;
