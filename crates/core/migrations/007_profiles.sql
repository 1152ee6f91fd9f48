-- Captain profiles (roles on one machine): a profile is a label, the age X25519 recipient of
-- its key slot (the slot itself lives in `<database>.keys` beside the file) and the units it
-- answers for. Machine-local: bundles never carry these tables.
CREATE TABLE profiles (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX profiles_label ON profiles(label) WHERE archived_at IS NULL;

CREATE TABLE profile_units (
    profile_id TEXT NOT NULL REFERENCES profiles(id),
    unit_id    TEXT NOT NULL REFERENCES units(id),
    PRIMARY KEY (profile_id, unit_id)
) WITHOUT ROWID;
