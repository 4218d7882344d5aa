-- The worker's next-wakeup question, answered from indexes (issue 18: a MIN(CASE …) over the
-- whole jobs table took 110-170 ms at 10^6 pending jobs). Free jobs (no lease, no node pin) are
-- nearly all of them: their earliest run time is the first entry of a partial index. Leased or
-- pinned jobs are the few in flight: a second partial index lists only those.
CREATE INDEX jobs_free_by_run_at ON jobs (run_at_ms) WHERE lease_until_ms IS NULL AND affinity IS NULL;
CREATE INDEX jobs_held_by_run_at ON jobs (run_at_ms) WHERE lease_until_ms IS NOT NULL OR affinity IS NOT NULL;
