-- OAuth consents started from a linking page: `state` (kept as a SHA-256 hash) leads the callback
-- back to its linking session; the PKCE verifier and the page's URL token travel encrypted.
CREATE TABLE linking_oauth_states (
    state_hash TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,          -- the linking session
    platform TEXT NOT NULL,
    secrets BLOB NOT NULL,             -- encrypted JSON {verifier, token}
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    used_ms BIGINT
);
