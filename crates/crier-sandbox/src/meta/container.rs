//! The media container state machine shared by Instagram and Threads:
//! `IN_PROGRESS` for the configured delay, then `FINISHED` or `ERROR`,
//! `EXPIRED` once unpublished past its lifetime, `PUBLISHED` after publish.
//! The state is computed from timestamps on every read, so no timer runs.

use super::error::GraphError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    InProgress,
    Finished,
    Error,
    Expired,
    Published,
}

impl Phase {
    /// The wire name (`status_code` on Instagram, `status` on Threads).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Phase::InProgress => "IN_PROGRESS",
            Phase::Finished => "FINISHED",
            Phase::Error => "ERROR",
            Phase::Expired => "EXPIRED",
            Phase::Published => "PUBLISHED",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Lifecycle {
    ready_ms: i64,
    expires_ms: i64,
    failed: bool,
    /// The media id once published.
    pub published: Option<String>,
}

impl Lifecycle {
    /// Timing and outcome are fixed at creation, so later config changes do
    /// not rewrite the history of existing containers.
    pub(crate) fn new(now_ms: i64, delay_ms: u64, expiry_ms: u64, failed: bool) -> Self {
        let delay = i64::try_from(delay_ms).unwrap_or(i64::MAX / 4);
        let expiry = i64::try_from(expiry_ms).unwrap_or(i64::MAX / 4);
        Self {
            ready_ms: now_ms.saturating_add(delay),
            expires_ms: now_ms.saturating_add(expiry),
            failed,
            published: None,
        }
    }

    pub(crate) fn phase(&self, now_ms: i64) -> Phase {
        if self.published.is_some() {
            Phase::Published
        } else if now_ms >= self.expires_ms {
            Phase::Expired
        } else if now_ms < self.ready_ms {
            Phase::InProgress
        } else if self.failed {
            Phase::Error
        } else {
            Phase::Finished
        }
    }
}

/// 24/2207008: the creation id names no usable container (unknown, another
/// account's, or already consumed by a publish). Wording chosen from the
/// error table's description.
pub(crate) fn builder_missing() -> GraphError {
    GraphError::new(24, "The media builder does not exist or has expired.")
        .sub(2207008)
        .transient(false)
        .user(
            "Media builder expired",
            "The media builder with this creation id does not exist or has expired. Create a new container.",
        )
}

/// Why a container in `phase` cannot be published (`None` when it can).
pub(crate) fn publish_refusal(phase: Phase) -> Option<GraphError> {
    match phase {
        Phase::Finished => None,
        Phase::InProgress => Some(
            GraphError::new(
                9007,
                "The media is not ready for publishing, please wait for a moment",
            )
            .sub(2207027)
            .transient(false)
            .user(
                "Media ID is not available",
                "The media is not ready for publishing, please wait for a moment",
            ),
        ),
        Phase::Error => Some(
            GraphError::new(-1, "Create media fail, please try to re-create media")
                .sub(2207032)
                .transient(true)
                .user(
                    "Create media fail",
                    "Create media fail, please try to re-create media",
                ),
        ),
        Phase::Expired => Some(
            GraphError::new(
                -2,
                "The media you are trying to access has expired. Please try to upload again.",
            )
            .sub(2207020)
            .transient(false)
            .user(
                "Media expired",
                "The media you are trying to access has expired. Please try to upload again.",
            ),
        ),
        // A published container is used up: never a second media.
        Phase::Published => Some(builder_missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_the_clock() {
        let mut c = Lifecycle::new(1_000, 500, 10_000, false);
        assert_eq!(c.phase(1_200), Phase::InProgress);
        assert_eq!(c.phase(1_500), Phase::Finished);
        assert_eq!(c.phase(11_000), Phase::Expired);
        c.published = Some("m".into());
        assert_eq!(c.phase(20_000), Phase::Published);
        assert_eq!(Lifecycle::new(0, 0, 10, true).phase(0), Phase::Error);
        assert_eq!(Lifecycle::new(0, 0, 0, false).phase(0), Phase::Expired);
        assert!(publish_refusal(Phase::Finished).is_none());
        assert_eq!(
            publish_refusal(Phase::InProgress).map(|e| e.code()),
            Some(9007)
        );
    }
}
