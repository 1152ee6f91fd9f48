-- The coverage roll-up cache (crates/core/src/coverage/rollup.rs). Triggers mark the months a
-- write touches; the next read rebuilds just those months. 'all' rebuilds everything.
-- ON CONFLICT DO NOTHING, not INSERT OR IGNORE: inside an upsert's trigger the outer
-- statement's conflict rule would override OR IGNORE and fail the write.

CREATE TABLE rollup_dirty (month TEXT PRIMARY KEY) WITHOUT ROWID;

-- Sums of a unit with everything below it for one month, LEB128-packed in a fixed order.
CREATE TABLE rollup (
    unit_id TEXT NOT NULL,
    month   TEXT NOT NULL,
    v       BLOB NOT NULL,
    PRIMARY KEY (unit_id, month)
) WITHOUT ROWID;
CREATE INDEX rollup_month ON rollup(month);

-- Grids reached (what = 0) and speakers active (what = 1) at or below a unit in a year, with a
-- bit per month, so distinct counts over any run of months need no rows.
CREATE TABLE rollup_reach (
    year    INTEGER NOT NULL,
    unit_id TEXT NOT NULL,
    what    INTEGER NOT NULL,
    member  TEXT NOT NULL,
    months  INTEGER NOT NULL,
    PRIMARY KEY (year, unit_id, what, member)
) WITHOUT ROWID;

INSERT INTO rollup_dirty(month) VALUES ('all');

CREATE TRIGGER sessions_rollup_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO rollup_dirty VALUES (substr(NEW.starts_at, 1, 7)) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER sessions_rollup_update AFTER UPDATE OF status, kind, starts_at, unit_id, venue_id, archived_at ON sessions BEGIN
    INSERT INTO rollup_dirty VALUES (substr(OLD.starts_at, 1, 7)), (substr(NEW.starts_at, 1, 7)) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER sessions_rollup_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO rollup_dirty VALUES (substr(OLD.starts_at, 1, 7)) ON CONFLICT DO NOTHING;
END;

-- A venue moving to another unit moves the sessions that take their unit from it.
CREATE TRIGGER venues_rollup_unit AFTER UPDATE OF unit_id ON venues WHEN NEW.unit_id IS NOT OLD.unit_id BEGIN
    INSERT INTO rollup_dirty SELECT DISTINCT substr(starts_at, 1, 7) FROM sessions WHERE venue_id = NEW.id ON CONFLICT DO NOTHING;
END;

-- The tree's shape decides every ancestor's sums.
CREATE TRIGGER units_rollup_update AFTER UPDATE OF parent_id, kind, archived_at ON units BEGIN
    INSERT INTO rollup_dirty VALUES ('all') ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER units_rollup_delete AFTER DELETE ON units BEGIN
    INSERT INTO rollup_dirty VALUES ('all') ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER materials_rollup_category AFTER UPDATE OF category ON materials BEGIN
    INSERT INTO rollup_dirty VALUES ('all') ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER records_rollup_insert AFTER INSERT ON records BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = NEW.id ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER records_rollup_update AFTER UPDATE ON records BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id IN (OLD.id, NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER records_rollup_delete AFTER DELETE ON records BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = OLD.id ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER record_audiences_rollup_insert AFTER INSERT ON record_audiences BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = NEW.record_id ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER record_audiences_rollup_update AFTER UPDATE ON record_audiences BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id IN (OLD.record_id, NEW.record_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER record_audiences_rollup_delete AFTER DELETE ON record_audiences BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = OLD.record_id ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER record_speakers_rollup_insert AFTER INSERT ON record_speakers BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = NEW.record_id ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER record_speakers_rollup_update AFTER UPDATE ON record_speakers BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id IN (OLD.record_id, NEW.record_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER record_speakers_rollup_delete AFTER DELETE ON record_speakers BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = OLD.record_id ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER record_materials_rollup_insert AFTER INSERT ON record_materials BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = NEW.record_id ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER record_materials_rollup_update AFTER UPDATE ON record_materials BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id IN (OLD.record_id, NEW.record_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER record_materials_rollup_delete AFTER DELETE ON record_materials BEGIN
    INSERT INTO rollup_dirty SELECT substr(starts_at, 1, 7) FROM sessions WHERE id = OLD.record_id ON CONFLICT DO NOTHING;
END;

-- The large tables are summed per grid and month by the triggers of 005; their months go dirty here.
CREATE TRIGGER visit_totals_rollup_insert AFTER INSERT ON visit_totals BEGIN
    INSERT INTO rollup_dirty VALUES (NEW.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER visit_totals_rollup_update AFTER UPDATE ON visit_totals BEGIN
    INSERT INTO rollup_dirty VALUES (NEW.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER followup_totals_rollup_insert AFTER INSERT ON followup_totals BEGIN
    INSERT INTO rollup_dirty VALUES (NEW.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER followup_totals_rollup_update AFTER UPDATE ON followup_totals BEGIN
    INSERT INTO rollup_dirty VALUES (NEW.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER case_totals_rollup_insert AFTER INSERT ON case_totals BEGIN
    INSERT INTO rollup_dirty VALUES (NEW.month) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER case_totals_rollup_update AFTER UPDATE ON case_totals BEGIN
    INSERT INTO rollup_dirty VALUES (NEW.month) ON CONFLICT DO NOTHING;
END;

-- A token that changes with every write to the units table, so the organisation tree the figures
-- are rolled up along can be kept in memory between reads (coverage::Tree::cached).
CREATE TABLE units_version (token TEXT NOT NULL);
INSERT INTO units_version VALUES (lower(hex(randomblob(16))));
CREATE TRIGGER units_version_insert AFTER INSERT ON units BEGIN
    UPDATE units_version SET token = lower(hex(randomblob(16)));
END;
CREATE TRIGGER units_version_update AFTER UPDATE ON units BEGIN
    UPDATE units_version SET token = lower(hex(randomblob(16)));
END;
CREATE TRIGGER units_version_delete AFTER DELETE ON units BEGIN
    UPDATE units_version SET token = lower(hex(randomblob(16)));
END;
