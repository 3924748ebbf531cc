-- When Bildirimler told that an OAuth connection's grant was withdrawn
-- ("account.reconnect"), so it is told once; connecting again clears it.
ALTER TABLE oauth_connections ADD COLUMN error_told_at TEXT;
