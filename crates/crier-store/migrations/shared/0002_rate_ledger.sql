-- Publishing slots taken under a network's rolling-window cap that crier enforces itself
-- (Instagram: 50 per 24 h per professional account). One row per publish attempt that may count.
CREATE TABLE rate_ledger (
    ledger_key TEXT NOT NULL,          -- network + account, e.g. 'instagram:17841400000000001'
    at_ms BIGINT NOT NULL,
    delivery_id TEXT NOT NULL
);
CREATE INDEX rate_ledger_by_key ON rate_ledger (ledger_key, at_ms);
CREATE INDEX rate_ledger_by_delivery ON rate_ledger (delivery_id);
