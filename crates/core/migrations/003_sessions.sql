-- Planning: sessions of every kind, who is assigned, their status history, recurring
-- series and per-venue-kind templates. Times are local wall-clock time in Asia/Shanghai
-- ("YYYY-MM-DDTHH:MM"), which has no daylight saving, so text order is time order.

CREATE TABLE series (
    id          TEXT PRIMARY KEY,
    rule        TEXT NOT NULL,          -- JSON of sessions::Repeat
    count       INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE sessions (
    id                TEXT PRIMARY KEY,
    series_id         TEXT REFERENCES series(id),
    series_index      INTEGER,
    title             TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('talk','bench_talk','door_to_door','booth','performance','training','online_push')),
    venue_id          TEXT REFERENCES venues(id),
    unit_id           TEXT REFERENCES units(id),
    starts_at         TEXT NOT NULL,
    ends_at           TEXT NOT NULL,
    audiences         TEXT NOT NULL DEFAULT '[]',
    topic_ids         TEXT NOT NULL DEFAULT '[]',
    materials         TEXT NOT NULL DEFAULT '[]',   -- JSON [{item, quantity}]
    expected_audience INTEGER,
    channel           TEXT NOT NULL DEFAULT '',     -- online push: where it was pushed
    messages          INTEGER,                      -- online push: how many messages
    notes             TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','confirmed','held','reported','cancelled')),
    cancel_reason     TEXT NOT NULL DEFAULT '',
    revision          INTEGER NOT NULL DEFAULT 0,   -- ICS SEQUENCE: calendars update instead of duplicating
    archived_at       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX sessions_start ON sessions(starts_at);
CREATE INDEX sessions_venue ON sessions(venue_id, starts_at);
CREATE INDEX sessions_unit ON sessions(unit_id, starts_at);
CREATE INDEX sessions_series ON sessions(series_id, starts_at);

CREATE TABLE session_people (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    person_id  TEXT NOT NULL REFERENCES people(id),
    role       TEXT NOT NULL CHECK (role IN ('lead_speaker','speaker','grid_worker','captain','performer')),
    PRIMARY KEY (session_id, person_id)
);
CREATE INDEX session_people_person ON session_people(person_id);

CREATE TABLE session_status_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    operator    TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
);
CREATE INDEX session_status_log_session ON session_status_log(session_id);

CREATE TABLE templates (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    venue_kind       TEXT NOT NULL DEFAULT '',
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0 AND duration_minutes <= 1440),
    audiences        TEXT NOT NULL DEFAULT '[]',
    topic_ids        TEXT NOT NULL DEFAULT '[]',
    roles            TEXT NOT NULL DEFAULT '[]',
    materials        TEXT NOT NULL DEFAULT '[]',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

INSERT INTO templates(id, name, kind, venue_kind, duration_minutes, audiences, topic_ids, roles, materials, created_at, updated_at) VALUES
('tpl-school', '校园反诈宣讲', 'talk', 'school', 45, '["students","parents"]', '["topic-campus-loan","topic-game-trade","topic-order-brushing"]',
 '["lead_speaker","speaker"]', '[{"item":"宣传彩页","quantity":300},{"item":"海报","quantity":2}]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
('tpl-enterprise', '企业反诈专题培训', 'training', 'enterprise', 60, '["enterprise_staff","finance_staff"]', '["topic-fake-boss","topic-fake-investment","topic-account-rental"]',
 '["lead_speaker"]', '[{"item":"宣传彩页","quantity":100},{"item":"告知书","quantity":1}]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
('tpl-community', '社区反诈宣讲', 'talk', 'community', 60, '["elderly","public"]', '["topic-elderly-care","topic-fake-police","topic-fake-investment"]',
 '["lead_speaker","grid_worker"]', '[{"item":"宣传彩页","quantity":200},{"item":"小礼品","quantity":50}]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
('tpl-market', '市场摆摊宣传', 'booth', 'market', 120, '["merchants","public","elderly"]', '["topic-fake-service","topic-loan-credit","topic-elderly-care"]',
 '["speaker","grid_worker"]', '[{"item":"宣传彩页","quantity":500},{"item":"横幅","quantity":1}]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
('tpl-bench-talk', '反诈板凳会', 'bench_talk', 'square', 90, '["elderly","public"]', '["topic-elderly-care","topic-fake-police","topic-romance"]',
 '["lead_speaker","grid_worker","performer"]', '[{"item":"宣传彩页","quantity":150},{"item":"小礼品","quantity":60}]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
