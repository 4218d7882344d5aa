-- The thumbnail URL this network gets (`thumbNail` of its options) when crier converted it to JPEG
-- and staged it; NULL = the one the post names.
ALTER TABLE deliveries ADD COLUMN thumbnail_url TEXT;
