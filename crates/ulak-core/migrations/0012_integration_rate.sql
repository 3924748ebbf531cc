-- How many messages a second an integration sends at most (the provider's limit, set by
-- the user); NULL: the provider spec's default. The dispatcher paces sends by it.
ALTER TABLE integrations ADD COLUMN rate_per_second INTEGER
    CHECK (rate_per_second IS NULL OR rate_per_second BETWEEN 1 AND 1000);
