-- Who acted: the identity the database was unlocked as (`coordinator`, `profile:<id>`),
-- beside the free-text operator name. In the hash chain when set; empty for older entries,
-- which keep hashing as they did.
ALTER TABLE audit_log ADD COLUMN actor TEXT NOT NULL DEFAULT '';
