-- Issue 24: each sending account may carry a Reply-To address and a signature that
-- the composer puts under its messages. NULL: none.
ALTER TABLE smtp_accounts ADD COLUMN reply_to TEXT;
ALTER TABLE smtp_accounts ADD COLUMN signature TEXT;
