-- Bildirimler's "integration error" (issue 21): an SMS/WhatsApp/chat integration's new
-- trouble (sign-in refused, unreachable…) is told once; mended and broken again, told
-- again. Troubles already there before this are taken as told.
ALTER TABLE integrations ADD COLUMN error_told_at TEXT;
UPDATE integrations SET error_told_at = last_error_at WHERE last_error IS NOT NULL;
