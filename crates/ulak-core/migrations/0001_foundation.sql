-- Workspaces: the salesperson's own company (the tenant). Everything else is scoped to one.
CREATE TABLE workspaces (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at  TEXT NOT NULL
);

-- App-wide settings (language, active workspace); not workspace data.
CREATE TABLE app_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE profiles (
    workspace_id  INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    display_name  TEXT NOT NULL,
    sender_email  TEXT NOT NULL,
    sender_name   TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Secret values (passwords, API keys, tokens) live only here, one per owner and name,
-- so every other table can be shown in the UI without masking.
CREATE TABLE secrets (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    owner         TEXT NOT NULL,
    name          TEXT NOT NULL,
    value         TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (workspace_id, owner, name)
);
