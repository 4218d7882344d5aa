-- crier's own API rate limit (issue 14). One row per bucket: 'key:<sha256 of the API key>' or
-- 'profile:<profile id>'. A window starts with a bucket's first request and lasts the configured
-- length; hits counts the requests in it, the current one included. Every node counts here (PostgreSQL),
-- with one upsert per request; rows whose window ended are pruned.
CREATE TABLE api_rate_windows (
    bucket TEXT PRIMARY KEY,
    window_start_ms BIGINT NOT NULL,
    hits BIGINT NOT NULL
);
CREATE INDEX api_rate_windows_by_start ON api_rate_windows (window_start_ms);
