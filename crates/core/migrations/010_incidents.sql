-- Incidents (发案): the fraud cases a station's case system reports, beside the outreach, so
-- the work can be judged by its effect. No victim's name, phone or ID number is stored: a
-- phone in an imported file is only compared with the follow-up cases during the import, and
-- what is kept is the flag (which case warned this victim, and when).
CREATE TABLE incidents (
    id              TEXT PRIMARY KEY,          -- from the case number, or the row's content
    case_no         TEXT,                      -- the case system's number, when the file has one
    filed_on        TEXT NOT NULL CHECK (filed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    label           TEXT NOT NULL,             -- the fraud type as the case system names it
    topic_id        TEXT NOT NULL REFERENCES topics(id),
    loss_fen        INTEGER NOT NULL DEFAULT 0 CHECK (loss_fen >= 0),
    stopped_fen     INTEGER NOT NULL DEFAULT 0 CHECK (stopped_fen >= 0),
    age_group       TEXT NOT NULL CHECK (age_group IN ('under18','age18to59','age60plus','unknown')),
    occupation      TEXT NOT NULL CHECK (occupation IN ('student','employee','finance','merchant','retired','unemployed','other','unknown')),
    unit_id         TEXT NOT NULL REFERENCES units(id),   -- the grid, or the community/station when the grid is unknown
    warned_case_id  TEXT REFERENCES cases(id),
    warned_on       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX incidents_case_no ON incidents(case_no) WHERE case_no IS NOT NULL;
-- Every figure reads a period's rows by filing date: the index carries what they need, so a
-- year of a city's cases is read in order instead of a page lookup per case.
CREATE INDEX incidents_filed ON incidents(filed_on, unit_id, topic_id, loss_fen, stopped_fen, age_group, occupation, warned_on);
CREATE INDEX incidents_warned ON incidents(warned_case_id) WHERE warned_case_id IS NOT NULL;
-- The import compares each victim's phone with the warned residents' (never stored beside it).
CREATE INDEX cases_phone ON cases(phone) WHERE phone IS NOT NULL;

-- How the case system's fraud-type labels map onto the topic library; the user adds labels
-- the import did not know.
CREATE TABLE incident_labels (
    label      TEXT PRIMARY KEY,
    topic_id   TEXT NOT NULL REFERENCES topics(id),
    updated_at TEXT NOT NULL
);
INSERT INTO incident_labels(label, topic_id, updated_at) VALUES
('刷单返利类', 'topic-order-brushing', '2026-01-01T00:00:00.000Z'),
('刷单返利诈骗', 'topic-order-brushing', '2026-01-01T00:00:00.000Z'),
('虚假网络投资理财类', 'topic-fake-investment', '2026-01-01T00:00:00.000Z'),
('虚假投资理财诈骗', 'topic-fake-investment', '2026-01-01T00:00:00.000Z'),
('网络婚恋交友类', 'topic-romance', '2026-01-01T00:00:00.000Z'),
('杀猪盘', 'topic-romance', '2026-01-01T00:00:00.000Z'),
('冒充公检法及政府机关类', 'topic-fake-police', '2026-01-01T00:00:00.000Z'),
('冒充公检法诈骗', 'topic-fake-police', '2026-01-01T00:00:00.000Z'),
('冒充电商物流客服类', 'topic-fake-service', '2026-01-01T00:00:00.000Z'),
('冒充客服诈骗', 'topic-fake-service', '2026-01-01T00:00:00.000Z'),
('虚假网络贷款类', 'topic-loan-credit', '2026-01-01T00:00:00.000Z'),
('虚假征信类', 'topic-loan-credit', '2026-01-01T00:00:00.000Z'),
('贷款诈骗', 'topic-loan-credit', '2026-01-01T00:00:00.000Z'),
('网络游戏产品虚假交易类', 'topic-game-trade', '2026-01-01T00:00:00.000Z'),
('游戏交易诈骗', 'topic-game-trade', '2026-01-01T00:00:00.000Z'),
('冒充领导熟人类', 'topic-fake-boss', '2026-01-01T00:00:00.000Z'),
('冒充熟人诈骗', 'topic-fake-boss', '2026-01-01T00:00:00.000Z'),
('养老诈骗', 'topic-elderly-care', '2026-01-01T00:00:00.000Z'),
('保健品诈骗', 'topic-elderly-care', '2026-01-01T00:00:00.000Z'),
('校园贷诈骗', 'topic-campus-loan', '2026-01-01T00:00:00.000Z'),
('兼职诈骗', 'topic-campus-loan', '2026-01-01T00:00:00.000Z'),
('帮信罪', 'topic-account-rental', '2026-01-01T00:00:00.000Z'),
('出租出借两卡', 'topic-account-rental', '2026-01-01T00:00:00.000Z');
