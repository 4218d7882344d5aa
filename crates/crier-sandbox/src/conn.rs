//! Connection control for the sandbox's own server (`start`).
//!
//! Faults of kind `reset` must make the client see a broken connection rather
//! than an HTTP response. hyper gives a service no handle on its connection,
//! so `start` serves through [`SandboxListener`], whose streams
//! ([`KillableIo`]) can be killed from a request handler: the handler finds the
//! connection's [`ConnHandle`] in the request extensions (axum `ConnectInfo`),
//! calls [`ConnHandle::kill`], and every later read or write on that socket
//! fails, so hyper drops the connection without writing a byte. The socket is
//! closed with `SO_LINGER` 0, i.e. the peer gets a TCP reset.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use futures_util::task::AtomicWaker;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// Shared control block of one accepted connection.
#[derive(Default)]
pub(crate) struct ConnCtl {
    killed: AtomicBool,
    peer_gone: AtomicBool,
    read_waker: AtomicWaker,
    write_waker: AtomicWaker,
    gone: Notify,
}

impl ConnCtl {
    fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
        self.read_waker.wake();
        self.write_waker.wake();
        self.gone.notify_waiters();
    }

    fn is_killed(&self) -> bool {
        self.killed.load(Ordering::SeqCst)
    }

    fn mark_peer_gone(&self) {
        self.peer_gone.store(true, Ordering::SeqCst);
        self.gone.notify_waiters();
    }

    fn is_closed(&self) -> bool {
        self.is_killed() || self.peer_gone.load(Ordering::SeqCst)
    }
}

/// Handle on the connection a request arrived on; available to handlers as
/// `ConnectInfo<ConnHandle>` when the router is served by [`crate::start`].
#[derive(Clone)]
pub(crate) struct ConnHandle(pub(crate) Arc<ConnCtl>);

impl std::fmt::Debug for ConnHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnHandle")
            .field("closed", &self.0.is_closed())
            .finish()
    }
}

impl ConnHandle {
    /// Drops the connection: no further byte is written, the socket is reset.
    pub(crate) fn kill(&self) {
        self.0.kill();
    }

    /// Resolves once the peer closed its side (observed by a read) or the
    /// connection was killed.
    pub(crate) async fn closed(&self) {
        loop {
            let notified = self.0.gone.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.0.is_closed() {
                return;
            }
            notified.await;
        }
    }
}

impl Connected<IncomingStream<'_, SandboxListener>> for ConnHandle {
    fn connect_info(stream: IncomingStream<'_, SandboxListener>) -> Self {
        ConnHandle(stream.io().ctl.clone())
    }
}

/// The connections accepted by one server, so that shutdown can end them all.
#[derive(Default)]
pub(crate) struct ConnRegistry {
    conns: Mutex<Vec<Weak<ConnCtl>>>,
    shut: AtomicBool,
}

impl ConnRegistry {
    fn register(&self, ctl: &Arc<ConnCtl>) {
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        conns.retain(|w| w.strong_count() > 0);
        conns.push(Arc::downgrade(ctl));
        if self.shut.load(Ordering::SeqCst) {
            ctl.kill();
        }
    }

    /// Kills every live connection and any accepted later.
    pub(crate) fn kill_all(&self) {
        self.shut.store(true, Ordering::SeqCst);
        let conns = std::mem::take(&mut *self.conns.lock().unwrap_or_else(|e| e.into_inner()));
        for ctl in conns.iter().filter_map(Weak::upgrade) {
            ctl.kill();
        }
    }
}

/// A `TcpListener` whose streams can be killed (see module docs).
pub(crate) struct SandboxListener {
    inner: TcpListener,
    registry: Arc<ConnRegistry>,
}

impl SandboxListener {
    pub(crate) fn new(inner: TcpListener, registry: Arc<ConnRegistry>) -> Self {
        Self { inner, registry }
    }
}

impl Listener for SandboxListener {
    type Io = KillableIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let ctl = Arc::new(ConnCtl::default());
                    self.registry.register(&ctl);
                    return (
                        KillableIo {
                            inner: stream,
                            ctl,
                            reset_armed: false,
                        },
                        addr,
                    );
                }
                Err(err) => {
                    // Same policy as axum's own listener: per-connection errors
                    // are retried at once, resource exhaustion after a pause.
                    let per_connection = matches!(
                        err.kind(),
                        io::ErrorKind::ConnectionRefused
                            | io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::ConnectionReset
                    );
                    if !per_connection {
                        tracing::error!("sandbox accept error: {err}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A TCP stream that fails every operation once its connection was killed.
pub(crate) struct KillableIo {
    inner: TcpStream,
    ctl: Arc<ConnCtl>,
    reset_armed: bool,
}

impl KillableIo {
    fn killed_error(&mut self) -> io::Error {
        if !self.reset_armed {
            // Close with RST rather than FIN when hyper drops the socket.
            let _ = self.inner.set_zero_linger();
            self.reset_armed = true;
        }
        io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "connection dropped by sandbox fault",
        )
    }
}

impl AsyncRead for KillableIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.ctl.read_waker.register(cx.waker());
        if this.ctl.is_killed() {
            return Poll::Ready(Err(this.killed_error()));
        }
        let before = buf.filled().len();
        let wanted = buf.remaining() > 0;
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        match &result {
            Poll::Ready(Ok(())) if wanted && buf.filled().len() == before => {
                this.ctl.mark_peer_gone()
            }
            Poll::Ready(Err(_)) => this.ctl.mark_peer_gone(),
            _ => {}
        }
        result
    }
}

impl AsyncWrite for KillableIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.ctl.write_waker.register(cx.waker());
        if this.ctl.is_killed() {
            return Poll::Ready(Err(this.killed_error()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.ctl.write_waker.register(cx.waker());
        if this.ctl.is_killed() {
            return Poll::Ready(Err(this.killed_error()));
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.ctl.write_waker.register(cx.waker());
        if this.ctl.is_killed() {
            return Poll::Ready(Err(this.killed_error()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.ctl.is_killed() {
            return Poll::Ready(Err(this.killed_error()));
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}
