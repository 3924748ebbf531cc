-- Two more Bildirimler events (issues 17 and 21): a campaign finished, an account's
-- daily limit reached. Each is told once: a campaign when it ends (campaigns already
-- done are taken as told), an account once per local day its limit is reached.
ALTER TABLE campaigns ADD COLUMN finished_told_at TEXT;
UPDATE campaigns SET finished_told_at = updated_at WHERE state = 'done';
ALTER TABLE senders ADD COLUMN limit_told_on TEXT;
