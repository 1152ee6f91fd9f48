-- Foundation: organisation tree, people, teams, venues, topics, settings, audit log.
-- Ids are UUIDv7 text so records made on different machines merge without collisions.
-- Nothing is deleted: rows carry archived_at; hard deletes (none yet) leave a tombstone.

CREATE TABLE units (
    id            TEXT PRIMARY KEY,
    parent_id     TEXT REFERENCES units(id),
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('city','district','station','community','grid')),
    code          TEXT NOT NULL DEFAULT '',
    households    INTEGER NOT NULL DEFAULT 0 CHECK (households >= 0),
    residents     INTEGER NOT NULL DEFAULT 0 CHECK (residents >= 0),
    under18       INTEGER NOT NULL DEFAULT 0 CHECK (under18 >= 0),
    age18to59     INTEGER NOT NULL DEFAULT 0 CHECK (age18to59 >= 0),
    age60plus     INTEGER NOT NULL DEFAULT 0 CHECK (age60plus >= 0),
    students      INTEGER NOT NULL DEFAULT 0 CHECK (students >= 0),
    elderly_alone INTEGER NOT NULL DEFAULT 0 CHECK (elderly_alone >= 0),
    finance_staff INTEGER NOT NULL DEFAULT 0 CHECK (finance_staff >= 0),
    notes         TEXT NOT NULL DEFAULT '',
    archived_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_name ON units(name);

CREATE TABLE topics (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    audiences   TEXT NOT NULL DEFAULT '[]',  -- JSON array of audience codes
    tips        TEXT NOT NULL DEFAULT '[]',  -- JSON array of plain sentences for flyers
    sort        INTEGER NOT NULL DEFAULT 0,
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE people (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    roles       TEXT NOT NULL DEFAULT '[]',  -- JSON array of role codes
    phone       TEXT NOT NULL DEFAULT '',    -- digits only; personal data, masked on screen
    unit_id     TEXT REFERENCES units(id),
    topic_ids   TEXT NOT NULL DEFAULT '[]',  -- JSON array of topic ids
    active      INTEGER NOT NULL DEFAULT 1,
    joined_on   TEXT,
    notes       TEXT NOT NULL DEFAULT '',
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX people_unit ON people(unit_id);
CREATE INDEX people_name ON people(name);
CREATE INDEX people_phone ON people(phone);

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('speaker_corps','troupe','squad')),
    unit_id     TEXT REFERENCES units(id),
    captain_id  TEXT REFERENCES people(id),
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE team_members (
    team_id    TEXT NOT NULL REFERENCES teams(id),
    person_id  TEXT NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_person ON team_members(person_id);

CREATE TABLE venues (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('school','enterprise','community','market','square','bank','other')),
    unit_id          TEXT REFERENCES units(id),
    address          TEXT NOT NULL DEFAULT '',
    contact_name     TEXT NOT NULL DEFAULT '',
    contact_phone    TEXT NOT NULL DEFAULT '',
    vice_principal_id TEXT REFERENCES people(id),
    staff_count      INTEGER CHECK (staff_count IS NULL OR staff_count >= 0),
    letter_signed_on TEXT,
    notes            TEXT NOT NULL DEFAULT '',
    archived_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX venues_unit ON venues(unit_id);
CREATE INDEX venues_name ON venues(name);

CREATE TABLE tombstones (
    entity     TEXT NOT NULL,
    id         TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (entity, id)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Append-only: triggers refuse UPDATE and DELETE; each row hashes the previous one.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    operator  TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
