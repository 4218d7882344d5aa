-- Webhooks (issue 17). A registration per (profile, action), Ayrshare's `POST /hook/webhook`.
-- `secret` (the caller's, for Ayrshare's X-Authorization-Content-SHA256) and `signing_key`
-- (crier's Standard Webhooks key, shown as whsec_…) are encrypted with the store's cipher.
CREATE TABLE webhook_registrations (
    profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    url TEXT NOT NULL,
    secret BLOB NULL,
    signing_key BLOB NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    failing_since_ms BIGINT,
    disabled_ms BIGINT,
    disabled_reason TEXT,
    PRIMARY KEY (profile_id, action)
);
-- The outbox: one row per event, written in the transaction of the change it reports, sent by
-- the engine's webhook worker (leased like jobs). `id` is the stable `webhook-id` (msg_…).
-- `state`: pending | delivered | failed (retries exhausted, or the registration disabled) | dropped (no receiver).
CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    run_at_ms BIGINT,
    lease_owner TEXT,
    lease_until_ms BIGINT,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX webhook_events_due ON webhook_events (state, run_at_ms);
-- Every delivery attempt, for `GET /hook/deliveries`.
CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    action TEXT NOT NULL,
    url TEXT,
    at_ms BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    http_code BIGINT,
    latency_ms BIGINT,
    error TEXT,
    next_try_ms BIGINT
);
CREATE INDEX webhook_attempts_by_profile ON webhook_attempts (profile_id, at_ms);
