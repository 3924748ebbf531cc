-- Campaigns (issue 17): one personalised message per recipient, each sent by an
-- account chosen at the moment of claiming, at random among the campaign's accounts
-- that may send then, inside a sending window. A campaign's message is queued with no
-- account (messages.account_id NULL, provider 'campaign'); the claim that takes it
-- writes the account it chose.
CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY,
    workspace_id   INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    -- The name folded (Turkish-aware) for uniqueness.
    name_key       TEXT NOT NULL,
    -- The template as it was when the campaign was made: later edits of the template
    -- do not change a running campaign.
    subject        TEXT NOT NULL,
    body_html      TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'draft'
                   CHECK (state IN ('draft', 'running', 'paused', 'cancelled', 'done')),
    -- JSON: days (1 = Monday … 7), start and end (HH:MM), time zone (IANA), whether
    -- Turkish public holidays are skipped.
    send_window    TEXT NOT NULL,
    -- The earliest moment its next message may be taken (what is left of the day is
    -- spread over what is left of the window), and until when and why it waits.
    next_send_at   TEXT,
    blocked_until  TEXT,
    blocked_reason TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (workspace_id, name_key)
);

CREATE TABLE campaign_accounts (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL DEFAULT 'email',
    account_id  INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, channel, account_id)
) WITHOUT ROWID;

ALTER TABLE messages ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL;
CREATE INDEX messages_campaign ON messages (campaign_id, state) WHERE campaign_id IS NOT NULL;
