-- Media crier serves at /media/{token}: uploads, and (later) converted images staged for networks
-- that fetch media by URL. The bytes live in the staging store; this row says what and until when.
CREATE TABLE media_objects (
    token TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL,
    object_key TEXT NOT NULL,
    mime TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    file_name TEXT,
    description TEXT,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX media_objects_by_expiry ON media_objects (expires_ms);
CREATE INDEX media_objects_by_profile ON media_objects (profile_id, created_ms);
