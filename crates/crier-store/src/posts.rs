//! Posts and their deliveries (one per network). A post, its deliveries, its
//! jobs and its idempotency key are written in one transaction, before any
//! network is called.

use crate::attempts::Calls;
use crate::{Result, Store, StoreError, random_token};
use crier_core::outcome::{DeliveryOutcome, NetworkResult};
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Ayrshare's post statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostStatus {
    Pending,
    Processing,
    Success,
    Error,
    Deleted,
    /// `requiresApproval`: nothing runs until `PATCH /post {approved: true}` (holds.rs).
    AwaitingApproval,
    /// `scheduledPause: true`: nothing runs until unpaused (holds.rs).
    Paused,
}

impl PostStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Pending => "pending",
            PostStatus::Processing => "processing",
            PostStatus::Success => "success",
            PostStatus::Error => "error",
            PostStatus::Deleted => "deleted",
            PostStatus::AwaitingApproval => "awaiting approval",
            PostStatus::Paused => "paused",
        }
    }

    /// Held by its owner: no job exists for its deliveries until it is released.
    pub fn is_held(self) -> bool {
        matches!(self, PostStatus::AwaitingApproval | PostStatus::Paused)
    }

    pub fn parse(s: &str) -> Option<PostStatus> {
        [PostStatus::Pending, PostStatus::Processing, PostStatus::Success, PostStatus::Error, PostStatus::Deleted, PostStatus::AwaitingApproval, PostStatus::Paused]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryState {
    Queued,
    /// Preparation done (media uploaded, record key chosen); the publish call has not started.
    Prepared,
    /// The publish call may have been sent: never re-send without reconciling first.
    Publishing,
    /// The network accepted the publish and is still processing it (TikTok): the acceptance
    /// (native id, extras) is stored and the job asks again later. Never re-sent.
    Accepted,
    Published,
    Failed,
    Unknown,
    Cancelled,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Prepared => "prepared",
            DeliveryState::Publishing => "publishing",
            DeliveryState::Accepted => "accepted",
            DeliveryState::Published => "published",
            DeliveryState::Failed => "failed",
            DeliveryState::Unknown => "unknown",
            DeliveryState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Result<DeliveryState> {
        use DeliveryState::*;
        [Queued, Prepared, Publishing, Accepted, Published, Failed, Unknown, Cancelled]
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| StoreError::Corrupt(format!("delivery state {s:?}")))
    }
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            DeliveryState::Published | DeliveryState::Failed | DeliveryState::Unknown | DeliveryState::Cancelled
        )
    }
}

/// One network's copy of a new post.
pub struct NewDelivery {
    pub platform: Platform,
    /// This network's text when it differs from the post's (e.g. links shortened for it).
    pub text: Option<String>,
    /// Already failed before any call (e.g. its caption enhancement failed): stored settled, never sent.
    pub failed: Option<ErrorReport>,
    /// Left to the post's `affinity` node for a while (it alone holds what the delivery needs).
    pub pinned: bool,
}

/// Which node should run pinned deliveries, and until when only that node.
#[derive(Clone, Debug)]
pub struct Affinity {
    pub node: String,
    pub until_ms: i64,
}

pub struct NewPost {
    pub profile_id: String,
    pub request: Value,
    pub text: String,
    pub deliveries: Vec<NewDelivery>,
    pub media_urls: Vec<String>,
    /// Set for scheduled posts.
    pub schedule_ms: Option<i64>,
    pub notes: Option<String>,
    /// (key, hash of the body) when the caller sent an idempotency key.
    pub idempotency: Option<(String, String)>,
    pub affinity: Option<Affinity>,
    /// `requiresApproval`: stored `awaiting approval`, without jobs, until approved.
    pub awaiting_approval: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum CreatedPost {
    Created(String),
    /// Same key, same body, within 24 h: this post answers the request.
    Replay(String),
    /// Same key, different body.
    KeyConflict,
}

#[derive(Clone, Debug)]
pub struct DeliveryRecord {
    pub id: String,
    pub post_id: String,
    pub platform: Platform,
    pub state: DeliveryState,
    pub native_id: Option<String>,
    pub post_url: Option<String>,
    pub extras: Option<Value>,
    pub error: Option<ErrorReport>,
    pub attempts: i64,
    pub step: Option<Value>,
    /// This network's own text, when it differs from the post's.
    pub text: Option<String>,
    /// This network's media URLs (converted images staged by crier), when they differ from the post's.
    pub media_urls: Option<Vec<String>>,
    /// This network's `thumbNail` (converted and staged by crier), when it differs from the post's.
    pub thumbnail_url: Option<String>,
    /// Failed attempts (any phase) counted under the retry policy since the delivery was queued.
    pub failures: i64,
    /// Network calls made, per phase (docs/delivery.md).
    pub calls: Calls,
    /// When the latest publish attempt began.
    pub publish_started_ms: Option<i64>,
    /// A publish attempt may have landed and was not proven absent: never send again, never a plain failure.
    pub in_doubt: bool,
    /// This network's copy of a deleted post: `{"state": "deleted" | "failed", "error"?, "attempts"}`.
    pub removal: Option<Value>,
}


impl DeliveryRecord {
    /// The delete state of this network's copy: `requested`, `deleted`, `unsupported` or `failed`.
    pub fn removal_state(&self) -> Option<&str> {
        self.removal.as_ref().and_then(|r| r.get("state")).and_then(Value::as_str)
    }

    /// Nothing of the post is left at this network that crier could still delete: never sent,
    /// failed, unknown (no id to delete), or deleted (or undeletable: 917).
    pub fn holds_nothing(&self) -> bool {
        match self.state {
            DeliveryState::Published => matches!(self.removal_state(), Some("deleted" | "unsupported")),
            DeliveryState::Publishing | DeliveryState::Accepted | DeliveryState::Queued | DeliveryState::Prepared => false,
            DeliveryState::Failed | DeliveryState::Unknown | DeliveryState::Cancelled => true,
        }
    }

    pub fn outcome(&self) -> DeliveryOutcome {
        match self.state {
            DeliveryState::Published => DeliveryOutcome::Published {
                id: self.native_id.clone().unwrap_or_default(),
                url: self.post_url.clone(),
                extras: self.extras.as_ref().and_then(Value::as_object).cloned().unwrap_or_default(),
            },
            s if s.is_settled() => DeliveryOutcome::Failed(self.error.clone().unwrap_or_else(|| {
                ErrorReport::for_platform(Code::Internal, Action::Post, self.platform)
            })),
            _ => DeliveryOutcome::Pending,
        }
    }
}

#[derive(Clone, Debug)]
pub struct PostRecord {
    pub id: String,
    pub profile_id: String,
    pub request: Value,
    pub text: String,
    pub platforms: Vec<Platform>,
    pub media_urls: Vec<String>,
    pub schedule_ms: Option<i64>,
    pub kind: String,
    pub status: PostStatus,
    pub retried: bool,
    pub notes: Option<String>,
    pub created_ms: i64,
    pub deliveries: Vec<DeliveryRecord>,
}

/// Where a post's stored request keeps the id of the HTTP request that made it (`X-Request-Id`),
/// so that workers log its deliveries under that id on any node and after restarts. Not an
/// Ayrshare key: request parsing ignores it, and it is never shown to callers.
pub const REQUEST_ID_KEY: &str = "crierRequestId";

impl PostRecord {
    /// The id of the HTTP request that made this post, if it was recorded.
    pub fn request_id(&self) -> Option<&str> {
        self.request.get(REQUEST_ID_KEY).and_then(Value::as_str)
    }

    pub fn results(&self) -> Vec<NetworkResult> {
        self.deliveries.iter().map(|d| NetworkResult { platform: d.platform, outcome: d.outcome() }).collect()
    }
    pub fn is_settled(&self) -> bool {
        self.status == PostStatus::Deleted || self.deliveries.iter().all(|d| d.state.is_settled())
    }
}

#[derive(Clone, Debug, Default)]
pub struct HistoryFilter {
    pub limit: i64,
    pub since_ms: Option<i64>,
    /// Inclusive upper bound on `created_ms` (`endDate`).
    pub until_ms: Option<i64>,
    pub status: Option<PostStatus>,
    pub platforms: Vec<Platform>,
    /// `now` | `scheduled`.
    pub kind: Option<String>,
}

pub(crate) const IDEMPOTENCY_TTL_MS: i64 = 24 * 3600 * 1000;

const POST_COLUMNS: &str =
    "id, profile_id, request, text, platforms, media_urls, schedule_ms, kind, status, retried, notes, created_ms";
pub(crate) const DELIVERY_COLUMNS: &str =
    "id, post_id, platform, state, native_id, post_url, extras, error, attempts, step, text, media_urls, thumbnail_url, \
     failures, calls, publish_started_ms, in_doubt, removal";

fn json_col(r: &AnyRow, col: &str) -> Result<Option<Value>> {
    let s: Option<String> = r.try_get(col)?;
    s.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))).transpose()
}

pub(crate) async fn deliveries_in(conn: &mut sqlx::AnyConnection, post_id: &str) -> Result<Vec<DeliveryRecord>> {
    let rows = sqlx::query(sql!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE post_id = $1 ORDER BY platform"))
        .bind(post_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(delivery_from_row).collect()
}

pub(crate) fn delivery_from_row(r: &AnyRow) -> Result<DeliveryRecord> {
    let platform: String = r.try_get("platform")?;
    let error = match json_col(r, "error")? {
        Some(v) => Some(serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("error: {e}")))?),
        None => None,
    };
    Ok(DeliveryRecord {
        id: r.try_get("id")?,
        post_id: r.try_get("post_id")?,
        platform: Platform::parse(&platform).ok_or_else(|| StoreError::Corrupt(format!("platform {platform}")))?,
        state: DeliveryState::parse(&r.try_get::<String, _>("state")?)?,
        native_id: r.try_get("native_id")?,
        post_url: r.try_get("post_url")?,
        extras: json_col(r, "extras")?,
        error,
        attempts: r.try_get("attempts")?,
        step: json_col(r, "step")?,
        text: r.try_get("text")?,
        media_urls: match json_col(r, "media_urls")? {
            Some(v) => Some(serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("media_urls: {e}")))?),
            None => None,
        },
        thumbnail_url: r.try_get("thumbnail_url")?,
        failures: r.try_get("failures")?,
        calls: match json_col(r, "calls")? {
            Some(v) => serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("calls: {e}")))?,
            None => Calls::default(),
        },
        publish_started_ms: r.try_get("publish_started_ms")?,
        in_doubt: r.try_get::<i64, _>("in_doubt")? != 0,
        removal: json_col(r, "removal")?,
    })
}

fn post_from_row(r: &AnyRow) -> Result<PostRecord> {
    let platforms: Vec<String> = serde_json::from_value(json_col(r, "platforms")?.unwrap_or_default())
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let status: String = r.try_get("status")?;
    Ok(PostRecord {
        id: r.try_get("id")?,
        profile_id: r.try_get("profile_id")?,
        request: json_col(r, "request")?.unwrap_or_default(),
        text: r.try_get("text")?,
        platforms: platforms.iter().filter_map(|p| Platform::parse(p)).collect(),
        media_urls: serde_json::from_value(json_col(r, "media_urls")?.unwrap_or_default())
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        schedule_ms: r.try_get("schedule_ms")?,
        kind: r.try_get("kind")?,
        status: PostStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("post status {status}")))?,
        retried: r.try_get::<i64, _>("retried")? != 0,
        notes: r.try_get("notes")?,
        created_ms: r.try_get("created_ms")?,
        deliveries: Vec::new(),
    })
}

/// The post status its deliveries imply (a deleted post stays deleted).
/// A job for the delivery, due at `run_at_ms`; `pin`: left to that node a while if it is this network.
pub(crate) async fn insert_job(conn: &mut sqlx::AnyConnection, d: &DeliveryRecord, run_at_ms: i64, pin: Option<(Platform, &Affinity)>) -> Result<()> {
    let affinity = pin.filter(|(p, _)| *p == d.platform).map(|(_, a)| a);
    sqlx::query("INSERT INTO jobs (delivery_id, run_at_ms, affinity, affinity_until_ms) VALUES ($1, $2, $3, $4)")
        .bind(&d.id)
        .bind(run_at_ms)
        .bind(affinity.map(|a| a.node.clone()))
        .bind(affinity.map(|a| a.until_ms))
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) fn derive_status(current: PostStatus, deliveries: &[DeliveryRecord], now: i64, schedule_ms: Option<i64>) -> PostStatus {
    if current == PostStatus::Deleted {
        return PostStatus::Deleted;
    }
    if current.is_held() && !deliveries.iter().all(|d| d.state.is_settled()) {
        return current;
    }
    if deliveries.iter().all(|d| d.state.is_settled()) {
        if deliveries.iter().all(|d| d.state == DeliveryState::Published) {
            PostStatus::Success
        } else {
            PostStatus::Error
        }
    } else if schedule_ms.is_some_and(|s| s > now) && deliveries.iter().all(|d| d.attempts == 0) {
        PostStatus::Pending
    } else {
        PostStatus::Processing
    }
}

impl Store {
    pub async fn create_post(&self, new: NewPost) -> Result<CreatedPost> {
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        if let Some((key, hash)) = &new.idempotency {
            sqlx::query("DELETE FROM idempotency_keys WHERE profile_id = $1 AND idem_key = $2 AND created_ms < $3")
                .bind(&new.profile_id)
                .bind(key)
                .bind(now - IDEMPOTENCY_TTL_MS)
                .execute(&mut *tx)
                .await?;
            let existing = sqlx::query("SELECT body_hash, post_id FROM idempotency_keys WHERE profile_id = $1 AND idem_key = $2")
                .bind(&new.profile_id)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(row) = existing {
                let stored_hash: String = row.try_get("body_hash")?;
                tx.rollback().await?;
                return Ok(if &stored_hash == hash {
                    CreatedPost::Replay(row.try_get("post_id")?)
                } else {
                    CreatedPost::KeyConflict
                });
            }
        }
        let id = random_token(20);
        let kind = if new.schedule_ms.is_some() { "scheduled" } else { "now" };
        let status = if new.awaiting_approval {
            PostStatus::AwaitingApproval
        } else if new.schedule_ms.is_some() {
            PostStatus::Pending
        } else {
            PostStatus::Processing
        };
        let platforms: Vec<&str> = new.deliveries.iter().map(|d| d.platform.as_str()).collect();
        sqlx::query(sql!(
            "INSERT INTO posts ({POST_COLUMNS}, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $11)"
        ))
        .bind(&id)
        .bind(&new.profile_id)
        .bind(new.request.to_string())
        .bind(&new.text)
        .bind(serde_json::to_string(&platforms).unwrap_or_default())
        .bind(serde_json::to_string(&new.media_urls).unwrap_or_default())
        .bind(new.schedule_ms)
        .bind(kind)
        .bind(status.as_str())
        .bind(&new.notes)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let run_at = new.schedule_ms.unwrap_or(now);
        for d in &new.deliveries {
            let delivery_id = random_token(20);
            let (state, error) = match &d.failed {
                Some(e) => ("failed", Some(serde_json::to_string(e).unwrap_or_default())),
                None => ("queued", None),
            };
            sqlx::query(
                "INSERT INTO deliveries (id, post_id, platform, state, error, text, attempts, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
            )
            .bind(&delivery_id)
            .bind(&id)
            .bind(d.platform.as_str())
            .bind(state)
            .bind(error)
            .bind(&d.text)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // A post awaiting approval gets its jobs when approved (holds.rs): nothing can run before.
            if d.failed.is_none() && !new.awaiting_approval {
                let pin = new.affinity.as_ref().filter(|_| d.pinned);
                sqlx::query("INSERT INTO jobs (delivery_id, run_at_ms, affinity, affinity_until_ms) VALUES ($1, $2, $3, $4)")
                    .bind(&delivery_id)
                    .bind(run_at)
                    .bind(pin.map(|a| a.node.clone()))
                    .bind(pin.map(|a| a.until_ms))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if let Some((key, hash)) = &new.idempotency {
            let claimed = sqlx::query(
                "INSERT INTO idempotency_keys (profile_id, idem_key, body_hash, post_id, created_ms) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&new.profile_id)
            .bind(key)
            .bind(hash)
            .bind(&id)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match claimed {
                Ok(_) => {}
                // Another request (another node) took the key between our check and insert:
                // drop everything of ours and answer as that request's replay.
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    tx.rollback().await?;
                    let row = sqlx::query("SELECT body_hash, post_id FROM idempotency_keys WHERE profile_id = $1 AND idem_key = $2")
                        .bind(&new.profile_id)
                        .bind(key)
                        .fetch_one(&self.write)
                        .await?;
                    let stored: String = row.try_get("body_hash")?;
                    return Ok(if &stored == hash { CreatedPost::Replay(row.try_get("post_id")?) } else { CreatedPost::KeyConflict });
                }
                Err(e) => return Err(e.into()),
            }
        }
        self.announce_jobs(&mut tx).await?;
        tx.commit().await?;
        Ok(CreatedPost::Created(id))
    }

    /// A post of this profile (another profile's post is simply not found).
    pub async fn get_post(&self, profile_id: &str, post_id: &str) -> Result<Option<PostRecord>> {
        match self.post_by_id(post_id).await? {
            Some(p) if p.profile_id == profile_id => Ok(Some(p)),
            _ => Ok(None),
        }
    }

    /// The post and its deliveries, read in one transaction so they agree with each other.
    pub async fn post_by_id(&self, post_id: &str) -> Result<Option<PostRecord>> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query(sql!("SELECT {POST_COLUMNS} FROM posts WHERE id = $1"))
            .bind(post_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut post = post_from_row(&row)?;
        post.deliveries = deliveries_in(&mut tx, post_id).await?;
        tx.commit().await?;
        Ok(Some(post))
    }

    pub async fn list_posts(&self, profile_id: &str, filter: &HistoryFilter) -> Result<Vec<PostRecord>> {
        let mut sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE profile_id = $1 AND created_ms >= $2");
        let status = filter.status.map(|s| s.as_str());
        let mut binds: Vec<String> = Vec::new();
        match status {
            Some(s) => {
                binds.push(s.to_string());
                sql.push_str(&format!(" AND status = ${}", binds.len() + 2));
            }
            // Deleted posts are returned only when asked for.
            None => sql.push_str(" AND status <> 'deleted'"),
        }
        if let Some(kind) = &filter.kind {
            binds.push(kind.clone());
            sql.push_str(&format!(" AND kind = ${}", binds.len() + 2));
        }
        // A number, not a bind: the binds above are text and `Any` binds keep their type.
        if let Some(until) = filter.until_ms {
            sql.push_str(&format!(" AND created_ms <= {until}"));
        }
        sql.push_str(" ORDER BY created_ms DESC, id DESC");
        let mut tx = self.begin_read().await?;
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(profile_id).bind(filter.since_ms.unwrap_or(0));
        for b in binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(&mut *tx).await?;
        let mut out = Vec::new();
        for row in &rows {
            let mut post = post_from_row(row)?;
            if !filter.platforms.is_empty() && !post.platforms.iter().any(|p| filter.platforms.contains(p)) {
                continue;
            }
            post.deliveries = deliveries_in(&mut tx, &post.id).await?;
            out.push(post);
            if out.len() as i64 >= filter.limit {
                break;
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Changes a post that has not started (scheduled, paused or awaiting approval): its date
    /// (and its jobs' run time, if it has jobs) and notes. False when it started or ended.
    pub async fn update_scheduled(&self, post_id: &str, schedule_ms: Option<i64>, notes: Option<&str>) -> Result<bool> {
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        let r = sqlx::query(
            "UPDATE posts SET schedule_ms = COALESCE($2, schedule_ms), notes = COALESCE($3, notes), updated_ms = $4 \
             WHERE id = $1 AND status IN ('pending', 'paused', 'awaiting approval')",
        )
        .bind(post_id)
        .bind(schedule_ms)
        .bind(notes)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(at) = schedule_ms {
            // Only jobs nobody holds: a claimed job is already running and keeps its course.
            sqlx::query(
                "UPDATE jobs SET run_at_ms = $2 WHERE lease_owner IS NULL AND delivery_id IN \
                 (SELECT id FROM deliveries WHERE post_id = $1 AND state = 'queued')",
            )
            .bind(post_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        self.announce_jobs(&mut tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Puts the retryable failed deliveries of a post back in the queue, once per post.
    /// Returns the platforms re-queued (empty: nothing to retry, post untouched).
    /// `pin`: deliveries of this network are left to the affinity node for a while (X's keys).
    pub async fn requeue_retryable(&self, post_id: &str, pin: Option<(Platform, &Affinity)>) -> Result<Vec<Platform>> {
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        let claimed = sqlx::query("UPDATE posts SET retried = 1, status = 'processing', updated_ms = $2 WHERE id = $1 AND retried = 0 AND status = 'error'")
            .bind(post_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(Vec::new());
        }
        let rows = sqlx::query(sql!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE post_id = $1 AND state = 'failed'"))
            .bind(post_id)
            .fetch_all(&mut *tx)
            .await?;
        let mut platforms = Vec::new();
        for row in &rows {
            let d = delivery_from_row(row)?;
            if !d.error.as_ref().is_some_and(|e| e.retry_available) {
                continue;
            }
            // From the start: the failure may have spoiled what preparation made (an expired container).
            sqlx::query("UPDATE deliveries SET state = 'queued', step = NULL, media_urls = NULL, thumbnail_url = NULL, error = NULL, failures = 0, updated_ms = $2 WHERE id = $1")
                .bind(&d.id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            insert_job(&mut tx, &d, now, pin).await?;
            platforms.push(d.platform);
        }
        if platforms.is_empty() {
            tx.rollback().await?;
        } else {
            self.announce_jobs(&mut tx).await?;
            tx.commit().await?;
        }
        Ok(platforms)
    }
}
