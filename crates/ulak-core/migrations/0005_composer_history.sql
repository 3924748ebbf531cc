-- Saved subject + body pairs with template variables ({{ company.name }} …).
CREATE TABLE templates (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,          -- the name folded (Turkish-aware) for uniqueness
    subject       TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (workspace_id, name_key)
);

-- What the history lists without opening the raw message.
ALTER TABLE messages ADD COLUMN to_display TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN attachment_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_company ON messages (workspace_id, company_id, created_at);
CREATE INDEX messages_sent_day ON messages (workspace_id, account_id, sent_at);
