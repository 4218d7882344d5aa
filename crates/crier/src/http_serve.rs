//! crier's HTTP accept loop: the axum router served by hyper with the limits `axum::serve` lacks.
//!
//! - Header-read timeout: a client must send a request's headers within it, or the connection is
//!   closed (slowloris). hyper also runs it while a keep-alive connection waits for its next
//!   request, so it is the idle timeout of keep-alive connections too.
//! - Body deadline: a request body must have arrived this long after the request started; a body
//!   that never finishes (or trickles) fails, the handler answers catalog JSON, and the connection
//!   is closed. Only the body: a handler may still wait (`POST /api/post` up to `wait_limit_secs`).
//! - Connection cap: at most `max_connections` connections are served at once. Over the cap crier
//!   stops accepting, so new connections wait in the kernel's listen backlog (the client sees a
//!   slow connect, not an error) until a served one closes.
//! - Graceful stop: no new connections; in-flight requests finish; idle connections close.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower_http::add_extension::AddExtension;
use tower_http::timeout::RequestBodyDeadline;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub body_deadline: Duration,
    pub max_connections: usize,
}

/// Serves `app` on `listener` until `stop` turns true, then drains: returns once every
/// connection has finished its in-flight request.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits, mut stop: watch::Receiver<bool>) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    // The body deadline wraps the router once; each connection only adds its peer address.
    let app = RequestBodyDeadline::new(app, limits.body_deadline);
    loop {
        // A slot before accepting: over the cap, connections wait in the listen backlog.
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => s.expect("the semaphore is never closed"),
            _ = stopped(&mut stop) => break,
        };
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stopped(&mut stop) => break,
        };
        let (tcp, peer) = match accepted {
            Ok(c) => c,
            // The client gave up before it was accepted.
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                // Out of file descriptors or the like: give the process a moment.
                tracing::error!(error = %e, "accepting a connection failed");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                    _ = stopped(&mut stop) => break,
                }
            }
        };
        // `ConnectInfo<SocketAddr>` works in handlers and layers, as with axum's connect-info service.
        let service = TowerToHyperService::new(AddExtension::new(app.clone(), ConnectInfo(peer)));
        let connection = graceful.watch(http.serve_connection(TokioIo::new(tcp), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                // Timeouts and resets by clients land here; they are the client's business.
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

async fn stopped(stop: &mut watch::Receiver<bool>) {
    // A dropped sender also means stop.
    let _ = stop.wait_for(|s| *s).await;
}

/// Errors of one connection (the client gave up before it was accepted), not of the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset)
}
