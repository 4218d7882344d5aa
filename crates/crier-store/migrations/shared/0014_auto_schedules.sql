-- Ayrshare's auto-schedules: per profile, named sets of daily UTC slots (the JSON of
-- crier_core::auto_schedule::AutoSchedule::to_json). Posts keep their own schedule_ms.
CREATE TABLE auto_schedules (
    profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    schedule TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (profile_id, title)
);
-- The slots a profile's posts already hold (auto-schedule looks them up).
CREATE INDEX posts_by_profile_schedule ON posts (profile_id, schedule_ms);
