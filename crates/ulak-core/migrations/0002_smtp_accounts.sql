-- SMTP accounts of a workspace. The password is in `secrets` (owner 'smtp_account:<id>').
CREATE TABLE smtp_accounts (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email           TEXT NOT NULL,
    sender_name     TEXT NOT NULL,
    host            TEXT NOT NULL,
    port            INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security        TEXT NOT NULL CHECK (security IN ('starttls', 'tls', 'none')),
    username        TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    -- A company CA the user chose to trust for this account only (PEM).
    trusted_ca_pem  TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (workspace_id, email)
);
CREATE INDEX smtp_accounts_workspace ON smtp_accounts (workspace_id);
