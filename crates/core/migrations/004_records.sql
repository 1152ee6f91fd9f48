-- Recording: what happened at each session, door-to-door visit logs, follow-ups of warned
-- residents, the materials list with its stock moves, and the bookkeeping that lets
-- hand-over bundles merge without silent overwrites.

-- The materials list. Fixed ids for the common items so every machine shares them.
CREATE TABLE materials (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    category    TEXT NOT NULL CHECK (category IN ('flyer','poster','banner','gift','letter','other')),
    unit_label  TEXT NOT NULL DEFAULT '份',
    low_stock   INTEGER NOT NULL DEFAULT 0 CHECK (low_stock >= 0),   -- warn below this
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
INSERT INTO materials(id, name, category, unit_label, low_stock, created_at, updated_at) VALUES
('mat-flyer',  '宣传彩页', 'flyer',  '份', 200, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
('mat-poster', '海报',     'poster', '张', 2,   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
('mat-banner', '横幅',     'banner', '条', 1,   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
('mat-gift',   '小礼品',   'gift',   '份', 30,  '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
('mat-letter', '告知书',   'letter', '份', 10,  '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');

-- Receipts (print runs, purchases) into a unit, and allocations from one unit to another.
-- Hand-outs are not moves here: they are read from session records.
CREATE TABLE stock_moves (
    id           TEXT PRIMARY KEY,
    material_id  TEXT NOT NULL REFERENCES materials(id),
    kind         TEXT NOT NULL CHECK (kind IN ('receipt','allocation')),
    from_unit_id TEXT REFERENCES units(id),           -- allocations only
    to_unit_id   TEXT NOT NULL REFERENCES units(id),
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    moved_on     TEXT NOT NULL,                       -- date
    source       TEXT NOT NULL DEFAULT '',            -- print run, supplier
    notes        TEXT NOT NULL DEFAULT '',
    voided_at    TEXT,                                -- moves are voided, never deleted, so bundles merge
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((kind = 'receipt' AND from_unit_id IS NULL) OR (kind = 'allocation' AND from_unit_id IS NOT NULL AND from_unit_id <> to_unit_id))
);
CREATE INDEX stock_moves_material ON stock_moves(material_id, to_unit_id);

-- One record per held session; its id is the session's id, so two laptops recording the
-- same session meet as one row (and a conflict) rather than two.
CREATE TABLE records (
    id            TEXT PRIMARY KEY REFERENCES sessions(id),
    actual_start  TEXT NOT NULL,
    actual_end    TEXT NOT NULL,
    headcount     INTEGER NOT NULL CHECK (headcount >= 0),
    notes         TEXT NOT NULL DEFAULT '',
    signin_names  TEXT NOT NULL DEFAULT '[]',   -- staff trainings: names only
    recorded_by   TEXT NOT NULL DEFAULT '',
    reviewed_by   TEXT,
    reviewed_at   TEXT,
    corrections   INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (actual_end > actual_start)
);

CREATE TABLE record_audiences (
    record_id TEXT NOT NULL REFERENCES records(id),
    audience  TEXT NOT NULL,
    count     INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (record_id, audience)
);

CREATE TABLE record_speakers (
    record_id TEXT NOT NULL REFERENCES records(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    hours     REAL NOT NULL CHECK (hours >= 0),
    PRIMARY KEY (record_id, person_id)
);
CREATE INDEX record_speakers_person ON record_speakers(person_id);

CREATE TABLE record_materials (
    record_id   TEXT NOT NULL REFERENCES records(id),
    material_id TEXT NOT NULL REFERENCES materials(id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (record_id, material_id)
);

-- A correction after review is a new, logged change: what it was, what it became, why.
CREATE TABLE record_corrections (
    id         TEXT PRIMARY KEY,
    record_id  TEXT NOT NULL REFERENCES records(id),
    reason     TEXT NOT NULL,
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    operator   TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX record_corrections_record ON record_corrections(record_id);

-- Photos: the original sits in the data folder under its SHA-256; the thumbnail travels
-- in the database (and in bundles) as a data URL.
CREATE TABLE photos (
    id         TEXT PRIMARY KEY,
    record_id  TEXT NOT NULL REFERENCES records(id),
    sha256     TEXT NOT NULL,
    ext        TEXT NOT NULL CHECK (ext IN ('png','jpg','webp')),
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    thumb      TEXT NOT NULL,
    caption    TEXT NOT NULL DEFAULT '',
    removed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX photos_record ON photos(record_id);

-- Door-to-door logs: per grid (optionally per building), usually under a campaign session.
CREATE TABLE visits (
    id          TEXT PRIMARY KEY,
    session_id  TEXT REFERENCES sessions(id),
    grid_id     TEXT NOT NULL REFERENCES units(id),
    building    TEXT NOT NULL DEFAULT '',
    visited_on  TEXT NOT NULL,
    visited     INTEGER NOT NULL DEFAULT 0 CHECK (visited >= 0),     -- households talked to
    not_home    INTEGER NOT NULL DEFAULT 0 CHECK (not_home >= 0),
    refused     INTEGER NOT NULL DEFAULT 0 CHECK (refused >= 0),
    warnings    INTEGER NOT NULL DEFAULT 0 CHECK (warnings >= 0),    -- warning notices handed out
    visitor_ids TEXT NOT NULL DEFAULT '[]',
    notes       TEXT NOT NULL DEFAULT '',
    removed_at  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX visits_grid ON visits(grid_id, visited_on);
CREATE INDEX visits_session ON visits(session_id);

-- Warned residents (预警) and their follow-up visits. name and phone are personal data:
-- purged (set NULL) a configurable number of days after the case closes, leaving the
-- anonymous fields that reports count.
CREATE TABLE cases (
    id            TEXT PRIMARY KEY,
    name          TEXT,
    phone         TEXT,
    grid_id       TEXT NOT NULL REFERENCES units(id),
    worker_id     TEXT REFERENCES people(id),
    risk          TEXT NOT NULL CHECK (risk IN ('high','medium','low')),
    warned_on     TEXT NOT NULL,
    method        TEXT NOT NULL CHECK (method IN ('phone','in_person')),
    outcome       TEXT NOT NULL CHECK (outcome IN ('dissuaded','not_reached','refused','victimised')),
    money_stopped INTEGER NOT NULL DEFAULT 0 CHECK (money_stopped IN (0,1)),
    notes         TEXT NOT NULL DEFAULT '',
    closed_on     TEXT,
    purge_on      TEXT,
    purged_at     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX cases_grid ON cases(grid_id, warned_on);
CREATE INDEX cases_purge ON cases(purge_on) WHERE purged_at IS NULL;

CREATE TABLE case_visits (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases(id),
    seq        INTEGER NOT NULL,
    due_on     TEXT NOT NULL,
    done_on    TEXT,
    method     TEXT CHECK (method IN ('phone','in_person')),
    result     TEXT CHECK (result IN ('safe','needs_help','not_reached','victimised')),
    notes      TEXT NOT NULL DEFAULT '',
    visitor_id TEXT REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_visits_due ON case_visits(due_on) WHERE done_on IS NULL;

-- Bundles. A row version is the SHA-256 of the row with its child rows. `sync_known` holds
-- every version of a row this machine has sent or received: an incoming row whose known
-- versions include ours is newer and is taken; one we already know is older and is kept;
-- anything else changed on both sides and becomes a conflict for the coordinator.
CREATE TABLE sync_known (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    hash   TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, hash)
) WITHOUT ROWID;

CREATE TABLE bundle_conflicts (
    id            TEXT PRIMARY KEY,
    tbl           TEXT NOT NULL,
    row_id        TEXT NOT NULL,
    local_hash    TEXT NOT NULL,
    incoming_hash TEXT NOT NULL,
    local_row     TEXT NOT NULL,     -- JSON, as it was when the conflict was found
    incoming_row  TEXT NOT NULL,     -- JSON, with its child rows and known versions
    origin        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    resolved_at   TEXT,
    resolution    TEXT CHECK (resolution IN ('local','incoming')),
    UNIQUE (tbl, row_id, incoming_hash)
);
