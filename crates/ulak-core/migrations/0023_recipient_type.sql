-- İYS (issue 23): a contact is an individual (BIREYSEL: commercial messages need their
-- İYS consent) or a merchant (TACIR). Contacts of a customer company are merchants
-- unless the salesperson says otherwise.
ALTER TABLE contacts ADD COLUMN recipient_type TEXT NOT NULL DEFAULT 'TACIR'
    CHECK (recipient_type IN ('BIREYSEL', 'TACIR'));
