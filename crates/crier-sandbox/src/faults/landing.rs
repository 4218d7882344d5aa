//! "Land late" faults: the client gets no answer, and the request is processed later on its own
//! task, as a real network's backend finishes work its front end has already given up on.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::watch;

use super::{Fault, canned_response, drop_connection};
use crate::SandboxState;
use crate::conn::ConnHandle;

/// Requests accepted by a `landLateMs` fault that have not landed yet, and a
/// generation counter that `reset` bumps so that they never land.
pub(crate) struct Landings {
    pending: watch::Sender<usize>,
    generation: watch::Sender<u64>,
}

impl Landings {
    pub(crate) fn new() -> Self {
        Self {
            pending: watch::Sender::new(0),
            generation: watch::Sender::new(0),
        }
    }

    pub(crate) fn pending(&self) -> usize {
        *self.pending.borrow()
    }

    /// Every request waiting to land is dropped (what `reset` does).
    pub(crate) fn cancel_all(&self) {
        self.generation.send_modify(|g| *g += 1);
    }

    pub(crate) async fn wait_for_pending(&self, at_most: usize, timeout: Duration) -> bool {
        let mut rx = self.pending.subscribe();
        matches!(
            tokio::time::timeout(timeout, rx.wait_for(|n| *n <= at_most)).await,
            Ok(Ok(_))
        )
    }
}

/// One request waiting to land; counted in `Landings::pending` while alive.
struct LandingTicket {
    state: SandboxState,
    generation: u64,
}

impl LandingTicket {
    fn new(state: &SandboxState) -> Self {
        let landings = &state.inner.landings;
        landings.pending.send_modify(|n| *n += 1);
        Self {
            state: state.clone(),
            generation: *landings.generation.borrow(),
        }
    }

    /// Waits `after`; `false` if the sandbox was reset meanwhile.
    async fn wait(&self, after: Duration) -> bool {
        let mut rx = self.state.inner.landings.generation.subscribe();
        let generation = self.generation;
        let slept = tokio::select! {
            _ = tokio::time::sleep(after) => true,
            _ = rx.wait_for(|g| *g != generation) => false,
        };
        slept && *self.state.inner.landings.generation.borrow() == generation
    }
}

impl Drop for LandingTicket {
    fn drop(&mut self) {
        self.state
            .inner
            .landings
            .pending
            .send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// Longest a `landLateMs` fault holds a connection open waiting for the
/// client to give up.
const LAND_LATE_HANG_CAP: Duration = Duration::from_secs(600);

/// Largest request body a `landLateMs` fault buffers (the router's limit).
const LAND_LATE_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// A `landLateMs` fault: the client gets no answer (held until it gives up,
/// dropped at once, or a canned status), and the request is processed `after`
/// that, on its own task, as a real network's backend finishes work its
/// front end has already given up on.
#[allow(clippy::too_many_arguments)]
pub(super) async fn land_late(
    state: SandboxState,
    req: Request,
    next: Next,
    conn: Option<ConnHandle>,
    network: &str,
    endpoint: &str,
    fault: &Fault,
    after: Duration,
) -> Response {
    // The whole body first: the connection may be gone when it is processed.
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LAND_LATE_BODY_LIMIT).await else {
        // The request never fully arrived: nothing can land.
        return drop_connection(conn);
    };
    let request_headers = parts.headers.clone();
    let req = Request::from_parts(parts, Body::from(bytes));
    let ticket = LandingTicket::new(&state);
    let answer_now = if fault.reset.as_deref() == Some("before") || conn.is_none() {
        // Without a connection handle the client's giving up cannot be seen:
        // drop at once instead of holding.
        Some(drop_connection(conn.clone()))
    } else {
        fault.status.map(|status| {
            canned_response(&state, network, endpoint, &request_headers, status, fault)
        })
    };
    let hang = answer_now.is_none().then(|| conn.clone()).flatten();
    let hang_task = hang.clone();
    tokio::spawn(async move {
        if let Some(conn) = &hang_task {
            let _ = tokio::time::timeout(LAND_LATE_HANG_CAP, conn.closed()).await;
        }
        if ticket.wait(after).await {
            tracing::debug!("sandbox fault: a late request lands now");
            drop(next.run(req).await);
        }
        drop(ticket);
    });
    match (answer_now, hang) {
        (Some(answer), _) => answer,
        (None, conn) => {
            if let Some(conn) = &conn {
                let _ = tokio::time::timeout(LAND_LATE_HANG_CAP, conn.closed()).await;
            }
            drop_connection(conn)
        }
    }
}
