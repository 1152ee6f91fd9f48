-- A held session in a community now reaches every grid of it (coverage.rs, the rule the gap
-- list already used): the cached grids-reached sets were counted by the old rule, so every
-- month is rebuilt before the next read.
INSERT INTO rollup_dirty(month) VALUES ('all') ON CONFLICT DO NOTHING;
