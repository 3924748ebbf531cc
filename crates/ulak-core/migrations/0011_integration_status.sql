-- An integration's last trouble, as its provider said it: set when a send or the
-- connection test fails in a way that is the account's, not one message's (sign-in,
-- unreachable, TLS, refused by policy, unusable settings); cleared by the next success.
-- The Entegrasyonlar page shows it as "Hata" without a restart.
ALTER TABLE integrations ADD COLUMN last_error TEXT;
ALTER TABLE integrations ADD COLUMN last_code TEXT;
ALTER TABLE integrations ADD COLUMN last_error_at TEXT;
