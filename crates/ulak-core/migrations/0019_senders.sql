-- Sending accounts as the outbox sees them (issue 17): whatever the channel, the
-- account a message goes out from (messages.channel + messages.account_id) may have a
-- status, the user's limits and the provider's ceilings. Every claim reads this table
-- and counts what the account sent from `messages` itself, inside the claim's write
-- transaction, so no process (the app, `ulak`, a second window) can cross a limit.
-- An account with no row here, or with every limit off, is not restricted.
CREATE TABLE senders (
    channel        TEXT NOT NULL,
    account_id     INTEGER NOT NULL,
    workspace_id   INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    -- How the account is named in reasons ("ayse@firma.com.tr").
    label          TEXT NOT NULL,
    -- active and pending send; inactive (the user's switch) and error (a refused
    -- sign-in, too many hard bounces) do not; status_reason says why.
    status         TEXT NOT NULL DEFAULT 'active'
                   CHECK (status IN ('active', 'inactive', 'error', 'pending')),
    status_reason  TEXT,
    -- When Bildirimler told of the error, so it is told once.
    error_told_at  TEXT,
    -- The user's limits: per local calendar day (NULL: none), the least wait between
    -- two sends and a random extra wait, and a ramp-up of +N a day from ramp_from
    -- (the local date it was set).
    daily_limit    INTEGER CHECK (daily_limit IS NULL OR daily_limit >= 0),
    min_wait_ms    INTEGER NOT NULL DEFAULT 0 CHECK (min_wait_ms >= 0),
    jitter_ms      INTEGER NOT NULL DEFAULT 0 CHECK (jitter_ms >= 0),
    ramp_up        INTEGER CHECK (ramp_up IS NULL OR ramp_up > 0),
    ramp_from      TEXT,
    -- The provider's own ceilings (providers/*.toml): per rolling 24 hours, counted in
    -- messages or in recipients (To + Cc + Bcc), and per rolling minute.
    ceiling_day    INTEGER CHECK (ceiling_day IS NULL OR ceiling_day > 0),
    ceiling_unit   TEXT NOT NULL DEFAULT 'messages' CHECK (ceiling_unit IN ('messages', 'recipients')),
    ceiling_minute INTEGER CHECK (ceiling_minute IS NULL OR ceiling_minute > 0),
    -- The earliest moment the account's next send may start (the wait and its jitter),
    -- taken by each send as it starts.
    next_send_at   TEXT,
    -- Set by a claim that found the account unable to send more: until when, and why
    -- (a JSON reason the UI words). Its messages are not claimed before then.
    blocked_until  TEXT,
    blocked_reason TEXT,
    -- The provider's words on the account's last failed send, and when.
    last_error     TEXT,
    last_error_at  TEXT,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (channel, account_id)
) WITHOUT ROWID;

-- What an account sent, by time: the claim's counts walk this index, never the history.
CREATE INDEX messages_sent_by_account ON messages (channel, account_id, sent_at)
    WHERE sent_at IS NOT NULL AND account_id IS NOT NULL;

-- Every SMTP account carries on as it was: active, no limits of its own, under its
-- provider's ceilings as providers/*.toml gave them when this was written (an account
-- saved or tested later takes them from the files again).
INSERT INTO senders (channel, account_id, workspace_id, label, status, ceiling_day, ceiling_unit,
                     ceiling_minute, updated_at)
SELECT 'email', id, workspace_id, email, CASE WHEN active THEN 'active' ELSE 'inactive' END,
    CASE
        WHEN lower(host) = 'smtp.gmail.com' AND (lower(email) LIKE '%@gmail.com'
             OR lower(email) LIKE '%@googlemail.com') THEN 500
        WHEN lower(host) = 'smtp.gmail.com' THEN 2000
        WHEN lower(host) = 'smtp-mail.outlook.com' THEN 5000
        WHEN lower(host) = 'smtp.office365.com' THEN 10000
    END,
    CASE WHEN lower(host) IN ('smtp-mail.outlook.com', 'smtp.office365.com') THEN 'recipients'
         ELSE 'messages' END,
    CASE WHEN lower(host) = 'smtp.office365.com' THEN 30 END,
    updated_at
FROM smtp_accounts;
