-- A captain's own database: its data key, kept in the coordinator's (encrypted) database so
-- the coordinator's unlock can bring the captain's work in. NULL for a profile from before
-- captains had databases of their own (their slot held the coordinator's key): such a profile
-- needs a new passphrase from the coordinator. Cleared when the profile is removed.
ALTER TABLE profiles ADD COLUMN db_key TEXT;
