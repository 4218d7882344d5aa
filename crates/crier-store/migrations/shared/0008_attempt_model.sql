-- The written attempt model (docs/delivery.md).
-- failures: failed attempts of any phase counted under the retry policy since the delivery was
--   (re)queued; drives backoff and the cap on automatic retries.
-- calls: JSON object, network calls made per phase ({"prepare": 1, "publish": 2, "lookup": 3, ...}).
-- publish_started_ms: when the latest publish attempt began; a lookup's "not published" is proof
--   only once HTTP timeout + the network's landing lag have passed since.
-- in_doubt: 1 while a publish attempt may have landed and was not proven absent; a delivery in
--   doubt is never sent again and never reported as a plain failure.
-- removal: JSON, this network's copy of a deleted post ({"state": "deleted" | "failed", ...}).
ALTER TABLE deliveries ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN calls TEXT;
ALTER TABLE deliveries ADD COLUMN publish_started_ms BIGINT;
ALTER TABLE deliveries ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN removal TEXT;
