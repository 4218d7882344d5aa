-- Token lifecycle (issue 15): what crier knows about a linked account's OAuth tokens, beside the
-- encrypted credentials (the access and refresh tokens themselves stay inside `credentials`).
-- The columns live on linked_networks so a relink (delete + insert) starts from a clean slate.
ALTER TABLE linked_networks ADD COLUMN token_expires_ms BIGINT;        -- access token's end; NULL: unknown / never
ALTER TABLE linked_networks ADD COLUMN refresh_expires_ms BIGINT;      -- refresh token's end, when the network says
ALTER TABLE linked_networks ADD COLUMN token_lifetime_ms BIGINT;       -- the last lifetime granted (10 % skew rule)
ALTER TABLE linked_networks ADD COLUMN token_scopes TEXT;              -- granted scopes, space-separated
ALTER TABLE linked_networks ADD COLUMN token_app TEXT;                 -- client id of the app that issued them
ALTER TABLE linked_networks ADD COLUMN token_refreshed_ms BIGINT;
ALTER TABLE linked_networks ADD COLUMN refresh_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE linked_networks ADD COLUMN relink_reason TEXT;             -- non-NULL: refresh failed for good, relink
ALTER TABLE linked_networks ADD COLUMN relink_ms BIGINT;
-- One refresh at a time per account across nodes: claimed with an atomic UPDATE ... WHERE
-- refresh_lease_until < now, like jobs.
ALTER TABLE linked_networks ADD COLUMN refresh_lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE linked_networks ADD COLUMN refresh_lease_owner TEXT;

-- Durable account events (linked, refreshed, refresh_failed, unlinked) for webhooks to deliver.
CREATE TABLE account_events (
    id TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,
    details TEXT,                      -- JSON; never a secret
    created_ms BIGINT NOT NULL,
    delivered_ms BIGINT                -- set by the webhook sender
);
CREATE INDEX account_events_by_time ON account_events (created_ms, id);
