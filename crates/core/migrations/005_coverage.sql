-- Coverage: per-grid, per-month sums of the two big tables (door-to-door logs and
-- follow-up visits), kept by triggers so every write path — forms, imports, bundles,
-- removals — updates them in the same transaction. Reports read whole months here and
-- only the partial months at a period's edges from the raw rows.

CREATE TABLE visit_totals (
    grid_id  TEXT NOT NULL,
    month    TEXT NOT NULL,          -- YYYY-MM
    logs     INTEGER NOT NULL DEFAULT 0,
    visited  INTEGER NOT NULL DEFAULT 0,
    not_home INTEGER NOT NULL DEFAULT 0,
    refused  INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grid_id, month)
) WITHOUT ROWID;
CREATE INDEX visit_totals_month ON visit_totals(month, grid_id);
CREATE INDEX visits_day ON visits(visited_on);

INSERT INTO visit_totals(grid_id, month, logs, visited, not_home, refused, warnings)
SELECT grid_id, substr(visited_on, 1, 7), count(*), sum(visited), sum(not_home), sum(refused), sum(warnings)
FROM visits WHERE removed_at IS NULL GROUP BY grid_id, substr(visited_on, 1, 7);

CREATE TRIGGER visits_totals_insert AFTER INSERT ON visits WHEN NEW.removed_at IS NULL BEGIN
    INSERT INTO visit_totals(grid_id, month, logs, visited, not_home, refused, warnings)
    VALUES (NEW.grid_id, substr(NEW.visited_on, 1, 7), 1, NEW.visited, NEW.not_home, NEW.refused, NEW.warnings)
    ON CONFLICT(grid_id, month) DO UPDATE SET logs = logs + 1, visited = visited + excluded.visited,
        not_home = not_home + excluded.not_home, refused = refused + excluded.refused, warnings = warnings + excluded.warnings;
END;

CREATE TRIGGER visits_totals_delete AFTER DELETE ON visits WHEN OLD.removed_at IS NULL BEGIN
    UPDATE visit_totals SET logs = logs - 1, visited = visited - OLD.visited, not_home = not_home - OLD.not_home,
        refused = refused - OLD.refused, warnings = warnings - OLD.warnings
    WHERE grid_id = OLD.grid_id AND month = substr(OLD.visited_on, 1, 7);
END;

CREATE TRIGGER visits_totals_update AFTER UPDATE ON visits BEGIN
    UPDATE visit_totals SET logs = logs - 1, visited = visited - OLD.visited, not_home = not_home - OLD.not_home,
        refused = refused - OLD.refused, warnings = warnings - OLD.warnings
    WHERE OLD.removed_at IS NULL AND grid_id = OLD.grid_id AND month = substr(OLD.visited_on, 1, 7);
    INSERT INTO visit_totals(grid_id, month, logs, visited, not_home, refused, warnings)
    SELECT NEW.grid_id, substr(NEW.visited_on, 1, 7), 1, NEW.visited, NEW.not_home, NEW.refused, NEW.warnings WHERE NEW.removed_at IS NULL
    ON CONFLICT(grid_id, month) DO UPDATE SET logs = logs + 1, visited = visited + excluded.visited,
        not_home = not_home + excluded.not_home, refused = refused + excluded.refused, warnings = warnings + excluded.warnings;
END;

-- Follow-up visits by the month they fall due: how many, done on time, done late.
CREATE TABLE followup_totals (
    grid_id TEXT NOT NULL,
    month   TEXT NOT NULL,
    due     INTEGER NOT NULL DEFAULT 0,
    on_time INTEGER NOT NULL DEFAULT 0,
    late    INTEGER NOT NULL DEFAULT 0,
    open    INTEGER NOT NULL DEFAULT 0,      -- not done yet
    PRIMARY KEY (grid_id, month)
) WITHOUT ROWID;
CREATE INDEX followup_totals_month ON followup_totals(month, grid_id);
CREATE INDEX case_visits_due_all ON case_visits(due_on);

INSERT INTO followup_totals(grid_id, month, due, on_time, late, open)
SELECT c.grid_id, substr(v.due_on, 1, 7), count(*), sum(v.done_on IS NOT NULL AND v.done_on <= v.due_on), sum(v.done_on IS NOT NULL AND v.done_on > v.due_on),
       sum(v.done_on IS NULL)
FROM case_visits v JOIN cases c ON c.id = v.case_id GROUP BY c.grid_id, substr(v.due_on, 1, 7);

CREATE TRIGGER case_visits_totals_insert AFTER INSERT ON case_visits BEGIN
    INSERT INTO followup_totals(grid_id, month, due, on_time, late, open)
    SELECT c.grid_id, substr(NEW.due_on, 1, 7), 1, NEW.done_on IS NOT NULL AND NEW.done_on <= NEW.due_on, NEW.done_on IS NOT NULL AND NEW.done_on > NEW.due_on, NEW.done_on IS NULL
    FROM cases c WHERE c.id = NEW.case_id
    ON CONFLICT(grid_id, month) DO UPDATE SET due = due + 1, on_time = on_time + excluded.on_time, late = late + excluded.late, open = open + excluded.open;
END;

CREATE TRIGGER case_visits_totals_delete AFTER DELETE ON case_visits BEGIN
    UPDATE followup_totals SET due = due - 1,
        on_time = on_time - (OLD.done_on IS NOT NULL AND OLD.done_on <= OLD.due_on),
        late = late - (OLD.done_on IS NOT NULL AND OLD.done_on > OLD.due_on),
        open = open - (OLD.done_on IS NULL)
    WHERE grid_id = (SELECT grid_id FROM cases WHERE id = OLD.case_id) AND month = substr(OLD.due_on, 1, 7);
END;

CREATE TRIGGER case_visits_totals_update AFTER UPDATE ON case_visits BEGIN
    UPDATE followup_totals SET due = due - 1,
        on_time = on_time - (OLD.done_on IS NOT NULL AND OLD.done_on <= OLD.due_on),
        late = late - (OLD.done_on IS NOT NULL AND OLD.done_on > OLD.due_on),
        open = open - (OLD.done_on IS NULL)
    WHERE grid_id = (SELECT grid_id FROM cases WHERE id = OLD.case_id) AND month = substr(OLD.due_on, 1, 7);
    INSERT INTO followup_totals(grid_id, month, due, on_time, late, open)
    SELECT c.grid_id, substr(NEW.due_on, 1, 7), 1, NEW.done_on IS NOT NULL AND NEW.done_on <= NEW.due_on, NEW.done_on IS NOT NULL AND NEW.done_on > NEW.due_on, NEW.done_on IS NULL
    FROM cases c WHERE c.id = NEW.case_id
    ON CONFLICT(grid_id, month) DO UPDATE SET due = due + 1, on_time = on_time + excluded.on_time, late = late + excluded.late, open = open + excluded.open;
END;

-- A case moving to another grid moves its visits' sums with it.
CREATE TRIGGER cases_totals_grid AFTER UPDATE OF grid_id ON cases WHEN NEW.grid_id IS NOT OLD.grid_id BEGIN
    UPDATE followup_totals SET due = followup_totals.due - x.n_due, on_time = followup_totals.on_time - x.n_on_time,
        late = followup_totals.late - x.n_late, open = followup_totals.open - x.n_open
    FROM (SELECT substr(due_on, 1, 7) AS m, count(*) AS n_due, sum(done_on IS NOT NULL AND done_on <= due_on) AS n_on_time,
                 sum(done_on IS NOT NULL AND done_on > due_on) AS n_late, sum(done_on IS NULL) AS n_open
          FROM case_visits WHERE case_id = NEW.id GROUP BY 1) AS x
    WHERE followup_totals.grid_id = OLD.grid_id AND followup_totals.month = x.m;
    INSERT INTO followup_totals(grid_id, month, due, on_time, late, open)
    SELECT NEW.grid_id, substr(due_on, 1, 7), count(*), sum(done_on IS NOT NULL AND done_on <= due_on), sum(done_on IS NOT NULL AND done_on > due_on), sum(done_on IS NULL)
    FROM case_visits WHERE case_id = NEW.id GROUP BY 2
    ON CONFLICT(grid_id, month) DO UPDATE SET due = due + excluded.due, on_time = on_time + excluded.on_time, late = late + excluded.late, open = open + excluded.open;
END;

-- Warned residents by grid and the month of their warning.
CREATE TABLE case_totals (
    grid_id       TEXT NOT NULL,
    month         TEXT NOT NULL,
    warned        INTEGER NOT NULL DEFAULT 0,
    money_stopped INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grid_id, month)
) WITHOUT ROWID;
CREATE INDEX case_totals_month ON case_totals(month, grid_id);
INSERT INTO case_totals(grid_id, month, warned, money_stopped)
SELECT grid_id, substr(warned_on, 1, 7), count(*), sum(money_stopped) FROM cases GROUP BY 1, 2;

CREATE TRIGGER cases_totals_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_totals(grid_id, month, warned, money_stopped) VALUES (NEW.grid_id, substr(NEW.warned_on, 1, 7), 1, NEW.money_stopped)
    ON CONFLICT(grid_id, month) DO UPDATE SET warned = warned + 1, money_stopped = money_stopped + excluded.money_stopped;
END;
CREATE TRIGGER cases_totals_delete AFTER DELETE ON cases BEGIN
    UPDATE case_totals SET warned = warned - 1, money_stopped = money_stopped - OLD.money_stopped
    WHERE grid_id = OLD.grid_id AND month = substr(OLD.warned_on, 1, 7);
END;
CREATE TRIGGER cases_totals_update AFTER UPDATE OF grid_id, warned_on, money_stopped ON cases BEGIN
    UPDATE case_totals SET warned = warned - 1, money_stopped = money_stopped - OLD.money_stopped
    WHERE grid_id = OLD.grid_id AND month = substr(OLD.warned_on, 1, 7);
    INSERT INTO case_totals(grid_id, month, warned, money_stopped) VALUES (NEW.grid_id, substr(NEW.warned_on, 1, 7), 1, NEW.money_stopped)
    ON CONFLICT(grid_id, month) DO UPDATE SET warned = warned + 1, money_stopped = money_stopped + excluded.money_stopped;
END;

-- Targets per unit and period.
CREATE TABLE targets (
    id         TEXT PRIMARY KEY,
    unit_id    TEXT NOT NULL REFERENCES units(id),
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    metric     TEXT NOT NULL CHECK (metric IN ('sessions','person_times','coverage_pct','grids_reached','followups_on_time_pct','households_visited')),
    kind       TEXT NOT NULL DEFAULT '',     -- sessions of one kind, or '' for all
    value      REAL NOT NULL CHECK (value >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_id, period_from, period_to, metric, kind)
);
CREATE INDEX cases_warned ON cases(warned_on);
