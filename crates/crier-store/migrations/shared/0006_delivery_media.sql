-- The media URLs this network gets, when they differ from the post's: images it refuses in their
-- format were converted to JPEG and staged at crier's /media/{token}. JSON array; NULL = the post's.
ALTER TABLE deliveries ADD COLUMN media_urls TEXT;
