-- Customer companies (Firma) of a workspace and their contacts.
CREATE TABLE companies (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    -- The name folded for comparing and searching (case and Turkish dots ignored):
    -- SQLite's NOCASE folds ASCII only, so "Öztürk" and "öztürk" would differ.
    name_key      TEXT NOT NULL,
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (workspace_id, name_key)
);

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    company_id    INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    phone         TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX contacts_company ON contacts (workspace_id, company_id);
-- One contact per address within a company; contacts without an address are allowed.
CREATE UNIQUE INDEX contacts_company_email ON contacts (company_id, email) WHERE email <> '';
