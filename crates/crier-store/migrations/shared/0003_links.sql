-- crier's own link shortener, and per-network text (a caption enhanced for one network).
CREATE TABLE short_links (
    code TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL,
    original_url TEXT NOT NULL,
    platform TEXT,                     -- set when made by shortenLinks for one network's copy of a post
    created_ms BIGINT NOT NULL
);
CREATE INDEX short_links_by_profile ON short_links (profile_id, created_ms);

CREATE TABLE link_clicks (
    code TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    referer TEXT,
    browser TEXT
);
CREATE INDEX link_clicks_by_code ON link_clicks (code);

ALTER TABLE deliveries ADD COLUMN text TEXT;
