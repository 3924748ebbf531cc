-- What providers tell Ulak by webhook (issue 19), received by the loopback receiver
-- (ulak-channels inbound/): a customer's own messages, which open WhatsApp's 24-hour
-- window and may say STOP/RET, and delivery reports (Meta's statuses, Vonage's DLRs).

-- A customer's message to one of the workspace's numbers. Its text is kept in the
-- encrypted store like every other message body. A provider re-sending the same
-- webhook adds nothing (UNIQUE).
CREATE TABLE inbound_messages (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    integration_id  INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    channel         TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
    provider_id     TEXT NOT NULL,
    sender          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    body            TEXT,
    recorded_at     TEXT NOT NULL,
    UNIQUE (integration_id, provider_id)
);
CREATE INDEX inbound_by_sender ON inbound_messages (integration_id, sender, received_at);

-- A provider's final word on a message it was given, until it is written on the
-- message: a report can overtake the drain's recording of the send, so it waits here
-- (a week at most) and is applied, then deleted, as soon as the message names its id.
CREATE TABLE delivery_reports (
    integration_id  INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    provider_id     TEXT NOT NULL,
    delivery        TEXT NOT NULL CHECK (delivery IN ('delivered', 'undelivered')),
    error           TEXT,
    reported_at     TEXT NOT NULL,
    PRIMARY KEY (integration_id, provider_id)
);

-- A report finds its message by the provider's id, which the send recorded as the
-- message's server reply.
CREATE INDEX messages_provider_id ON messages (account_id, server_reply)
    WHERE channel IN ('sms', 'whatsapp') AND server_reply IS NOT NULL;
