//! Test helpers: a tiny HTTP/1.1 server on 127.0.0.1, a fake resolver, and
//! hand-built media headers. Nothing here can reach beyond loopback: the
//! fetchers under test are built with `SafeFetcher::loopback_only`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crier_media::{BoxFuture, FetchPolicy, Resolve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

pub fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(&[0, 0, 0, 13]);
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    b.extend_from_slice(&[0x90, 0x77, 0x53, 0xde]);
    b
}

pub fn jpeg() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    b
}

pub fn webp() -> Vec<u8> {
    let mut b = b"RIFF".to_vec();
    b.extend_from_slice(&26u32.to_le_bytes());
    b.extend_from_slice(b"WEBPVP8 ");
    b.extend_from_slice(&[0; 18]);
    b
}

pub fn gif() -> Vec<u8> {
    let mut b = b"GIF89a".to_vec();
    b.extend_from_slice(&[1, 0, 1, 0, 0, 0, 0]);
    b
}

/// An ISO-BMFF `ftyp` box with the given major and compatible brands.
pub fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
    let size = 16 + 4 * compatible.len();
    let mut b = u32::try_from(size)
        .expect("small box")
        .to_be_bytes()
        .to_vec();
    b.extend_from_slice(b"ftyp");
    b.extend_from_slice(major);
    b.extend_from_slice(&[0, 0, 0, 0]);
    for brand in compatible {
        b.extend_from_slice(*brand);
    }
    b.extend_from_slice(&[0, 0, 0, 8]);
    b.extend_from_slice(b"free");
    b
}

/// Maps fixed names to fixed addresses and counts its calls.
#[derive(Default)]
pub struct FakeResolver {
    map: HashMap<String, Vec<IpAddr>>,
    calls: AtomicUsize,
}

impl FakeResolver {
    pub fn new(entries: &[(&str, &[&str])]) -> Arc<Self> {
        let map = entries
            .iter()
            .map(|(host, ips)| {
                let ips = ips.iter().map(|ip| ip.parse().expect("test IP")).collect();
                ((*host).to_owned(), ips)
            })
            .collect();
        Arc::new(Self {
            map,
            calls: AtomicUsize::new(0),
        })
    }

    /// The names the tests use.
    pub fn standard() -> Arc<Self> {
        Self::new(&[
            ("evil.test", &["10.0.0.1"]),
            ("meta.test", &["169.254.169.254"]),
            ("v6.test", &["::ffff:10.0.0.1"]),
            ("mixed.test", &["93.184.216.34", "10.0.0.1"]),
            ("local.test", &["127.0.0.1"]),
        ])
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Resolve for FakeResolver {
    fn resolve(&self, host: &str, port: u16) -> BoxFuture<'static, io::Result<Vec<SocketAddr>>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let answer = match self.map.get(host) {
            Some(ips) => Ok(ips.iter().map(|ip| SocketAddr::new(*ip, port)).collect()),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "no such host")),
        };
        Box::pin(async move { answer })
    }
}

/// Small timeouts so that failing tests end quickly.
pub fn policy(allow_loopback: bool) -> FetchPolicy {
    FetchPolicy {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(20),
        allow_loopback,
        ..FetchPolicy::default()
    }
}

/// A one-connection-per-request HTTP/1.1 server on 127.0.0.1.
pub struct TestServer {
    pub addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let accepted = Arc::new(AtomicUsize::new(0));
        // Senders of the oneshots that stalled handlers await. They are
        // kept, never used: the stall lasts until the test ends.
        let parked: Arc<Mutex<Vec<oneshot::Sender<()>>>> = Arc::default();
        let counter = accepted.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(handle(sock, addr, parked.clone()));
            }
        });
        Self {
            addr,
            accepted,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// The body size of the oversized routes.
pub const BIG: usize = 64 * 1024;

async fn handle(
    mut sock: TcpStream,
    addr: SocketAddr,
    parked: Arc<Mutex<Vec<oneshot::Sender<()>>>>,
) {
    let Some(path) = read_request_path(&mut sock).await else {
        return;
    };
    let base = format!("http://{addr}");
    let _ = match path.as_str() {
        "/png" => ok(&mut sock, &png()).await,
        "/jpeg" => ok(&mut sock, &jpeg()).await,
        "/webp" => ok(&mut sock, &webp()).await,
        "/gif" => ok(&mut sock, &gif()).await,
        "/garbage" => ok(&mut sock, b"<html>not media</html>").await,
        "/missing" => respond(&mut sock, "404 Not Found", &[], b"nope").await,
        "/to-private" => redirect(&mut sock, "http://10.0.0.1/").await,
        "/to-evil" => redirect(&mut sock, "http://evil.test/").await,
        "/to-userinfo" => redirect(&mut sock, &format!("http://user:pw@{addr}/png")).await,
        "/to-ftp" => redirect(&mut sock, "ftp://127.0.0.1/png").await,
        "/to-broken" => redirect(&mut sock, "http://[::1/").await,
        "/to-absolute" => redirect(&mut sock, &format!("{base}/png")).await,
        "/no-location" => respond(&mut sock, "302 Found", &[], b"").await,
        "/big-declared" => {
            // Declares a large body, then sends none of it: only a client
            // that refuses on Content-Length ends quickly.
            let head =
                format!("HTTP/1.1 200 OK\r\nContent-Length: {BIG}\r\nConnection: close\r\n\r\n");
            let _ = sock.write_all(head.as_bytes()).await;
            park(&parked).await;
            Ok(())
        }
        "/big-chunked" => big_chunked(&mut sock).await,
        "/big-eof" => big_until_eof(&mut sock).await,
        "/stall-body" => {
            let head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n";
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(&png()[..8]).await;
            let _ = sock.flush().await;
            park(&parked).await;
            Ok(())
        }
        "/stall-headers" => {
            park(&parked).await;
            Ok(())
        }
        p if p.starts_with("/bytes/") => match p["/bytes/".len()..].parse::<usize>() {
            Ok(n) => ok(&mut sock, &vec![0xAB; n]).await,
            Err(_) => respond(&mut sock, "400 Bad Request", &[], b"").await,
        },
        p if p.starts_with("/redirect/") => match p["/redirect/".len()..].parse::<usize>() {
            Ok(0) => ok(&mut sock, &png()).await,
            Ok(n) => redirect(&mut sock, &format!("/redirect/{}", n - 1)).await,
            Err(_) => respond(&mut sock, "400 Bad Request", &[], b"").await,
        },
        _ => respond(&mut sock, "404 Not Found", &[], b"").await,
    };
}

/// Awaits a oneshot whose sender is kept alive and never used.
async fn park(parked: &Mutex<Vec<oneshot::Sender<()>>>) {
    let (tx, rx) = oneshot::channel::<()>();
    parked.lock().expect("parked lock").push(tx);
    let _ = rx.await;
}

async fn read_request_path(sock: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sock.read(&mut buf).await.ok()?;
        if n == 0 || head.len() > 16 * 1024 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    text.split_whitespace().nth(1).map(str::to_owned)
}

async fn respond(
    sock: &mut TcpStream,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    sock.write_all(head.as_bytes()).await?;
    sock.write_all(body).await?;
    sock.flush().await
}

async fn ok(sock: &mut TcpStream, body: &[u8]) -> io::Result<()> {
    respond(sock, "200 OK", &[("Content-Type", "text/plain")], body).await
}

async fn redirect(sock: &mut TcpStream, location: &str) -> io::Result<()> {
    respond(sock, "302 Found", &[("Location", location)], b"").await
}

async fn big_chunked(sock: &mut TcpStream) -> io::Result<()> {
    sock.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        .await?;
    let chunk = vec![0xCD; 1024];
    for _ in 0..BIG / chunk.len() {
        sock.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await?;
        sock.write_all(&chunk).await?;
        sock.write_all(b"\r\n").await?;
    }
    sock.write_all(b"0\r\n\r\n").await?;
    sock.flush().await
}

async fn big_until_eof(sock: &mut TcpStream) -> io::Result<()> {
    sock.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        .await?;
    let chunk = vec![0xEF; 1024];
    for _ in 0..BIG / chunk.len() {
        sock.write_all(&chunk).await?;
    }
    sock.shutdown().await
}
