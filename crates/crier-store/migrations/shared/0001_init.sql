-- crier schema v1. Portable SQL: TEXT ids, INTEGER millisecond timestamps, INTEGER booleans,
-- so the same statements run on SQLite and PostgreSQL.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    created_ms BIGINT NOT NULL
);

-- API keys are random 160-bit secrets: a SHA-256 hash is enough to store them (no password hashing needed).
CREATE TABLE api_keys (
    key_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    label TEXT,
    created_ms BIGINT NOT NULL
);

CREATE TABLE profiles (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    title TEXT NOT NULL,
    ref_id TEXT NOT NULL UNIQUE,
    key_hash TEXT UNIQUE,              -- NULL for the primary profile (selected by the API key alone)
    is_primary INTEGER NOT NULL,
    created_ms BIGINT NOT NULL,
    UNIQUE (account_id, title)
);

CREATE TABLE linked_networks (
    profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    credentials BLOB NOT NULL,         -- XChaCha20-Poly1305: version || nonce || ciphertext
    display_name TEXT,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (profile_id, platform)
);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL,
    request TEXT NOT NULL,             -- the body as received
    text TEXT NOT NULL,
    platforms TEXT NOT NULL,           -- JSON array of network ids
    media_urls TEXT NOT NULL,          -- JSON array
    schedule_ms BIGINT,
    kind TEXT NOT NULL,                -- 'now' | 'scheduled'
    status TEXT NOT NULL,              -- pending | processing | success | error | deleted
    retried INTEGER NOT NULL DEFAULT 0,
    notes TEXT,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX posts_by_profile ON posts (profile_id, created_ms);

CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES posts(id),
    platform TEXT NOT NULL,
    state TEXT NOT NULL,               -- queued | prepared | publishing | published | failed | unknown | cancelled
    native_id TEXT,
    post_url TEXT,
    extras TEXT,                       -- JSON object merged into postIds[]
    error TEXT,                        -- ErrorReport JSON when failed/unknown/cancelled
    attempts INTEGER NOT NULL DEFAULT 0,
    step TEXT,                         -- JSON the network needs to resume (blob refs, record key, ...)
    updated_ms BIGINT NOT NULL,
    UNIQUE (post_id, platform)
);

-- One row per delivery that still has work to do; removed when the delivery settles.
CREATE TABLE jobs (
    delivery_id TEXT PRIMARY KEY REFERENCES deliveries(id),
    run_at_ms BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until_ms BIGINT
);
CREATE INDEX jobs_due ON jobs (run_at_ms);

CREATE TABLE idempotency_keys (
    profile_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    post_id TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (profile_id, idem_key)
);
