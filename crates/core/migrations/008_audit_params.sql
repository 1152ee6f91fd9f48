-- What an audit entry says, as a note code and its values (JSON), beside the Chinese
-- sentence in `detail`: the window says it in its own language. Empty for older entries.
ALTER TABLE audit_log ADD COLUMN params TEXT NOT NULL DEFAULT '';
