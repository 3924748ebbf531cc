-- When Bildirimler told that a message had been retrying for too long ("message.stuck"),
-- so it is told once; a retry by hand clears it.
ALTER TABLE messages ADD COLUMN stuck_told_at TEXT;
