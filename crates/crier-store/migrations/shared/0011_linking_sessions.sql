-- Linking sessions behind the URLs `POST /profiles/generateJWT` hands out. The URL's token is a
-- random secret kept only as a SHA-256 hash; expiry, the one browser that opened it (its cookie
-- secret, hashed) and consumption are enforced here so that a link works once, for a short time.
CREATE TABLE linking_sessions (
    token_hash TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL,          -- no foreign key: a profile deleted meanwhile gets its own page
    allowed TEXT NOT NULL,             -- JSON array of network ids offered on the page
    redirect TEXT,                     -- http(s) URL for the Done button, if given
    logout INTEGER NOT NULL,
    csrf TEXT NOT NULL,                -- per-session form token (not a credential)
    browser_hash TEXT,                 -- set when the URL is first opened
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    consumed_ms BIGINT
);
CREATE INDEX linking_sessions_by_expiry ON linking_sessions (expires_ms);
