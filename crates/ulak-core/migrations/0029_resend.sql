-- Resend (issue 20): a Resend integration (Entegrasyonlar › E-posta) is also a sending
-- account, so limits, the composer, campaigns and automations treat it as any other;
-- the account sends through Resend's API with the integration's key. Its SMTP columns
-- hold Resend's own SMTP relay (smtp.resend.com:465, user "resend") as its record.
ALTER TABLE smtp_accounts ADD COLUMN integration_id INTEGER REFERENCES integrations(id) ON DELETE CASCADE;
CREATE UNIQUE INDEX smtp_accounts_integration ON smtp_accounts (integration_id)
    WHERE integration_id IS NOT NULL;
