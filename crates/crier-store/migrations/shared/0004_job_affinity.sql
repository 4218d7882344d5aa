-- A job that needs what only one node holds in memory (X's app keys of the request) is left
-- to that node until affinity_until_ms; after that any node may take it (the keeper died).
ALTER TABLE jobs ADD COLUMN affinity TEXT;
ALTER TABLE jobs ADD COLUMN affinity_until_ms BIGINT;
