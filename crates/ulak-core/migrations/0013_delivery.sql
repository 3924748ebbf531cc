-- Whether a sent SMS or WhatsApp message reached the handset, as its provider reports
-- when asked (Twilio's message status): NULL while unknown. Checked by the worker for
-- a while after sending; `delivery_checked_at` paces the asking.
ALTER TABLE messages ADD COLUMN delivery TEXT CHECK (delivery IN ('delivered', 'undelivered'));
ALTER TABLE messages ADD COLUMN delivery_error TEXT;
ALTER TABLE messages ADD COLUMN delivery_checked_at TEXT;
CREATE INDEX messages_delivery_pending ON messages (sent_at)
    WHERE state = 'sent' AND delivery IS NULL AND channel IN ('sms', 'whatsapp');
