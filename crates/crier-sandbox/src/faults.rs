//! Fault injection: a list of one-shot (or n-shot) faults matched against
//! incoming network requests, applied by a middleware in front of the
//! emulators.
//!
//! Order of application for the matched fault: `delayMs` (wait) →
//! `landLateMs` (the client gets no answer — the connection is held until the
//! client gives up, or dropped at once with `reset: "before"`, or answered
//! with `status` — and the request is processed that long after, in the
//! background) → `reset: "before"` (drop, nothing processed) → `status`
//! (canned answer, nothing processed) → normal processing → `reset: "after"`
//! (drop the answer) → `hold` (keep the answer back until released).
//!
//! A fault with `skip: K` lets the first K requests matching it through
//! untouched (they are counted whether or not another fault applies to
//! them), so "the 3rd upload chunk fails" is `skip: 2`. A fault with
//! `probability: p` then applies to each matching request with chance `p`
//! (drawn from its own generator, seeded by `seed`); a request it passes over
//! is matched against the later faults as if it were not there.

use std::collections::BTreeMap;
use std::io;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::conn::ConnHandle;
use crate::{
    SandboxState, bitly, bluesky, gmb, linkedin, meta, pinterest, reddit, snapchat, telegram, tiktok,
    x, youtube,
};

mod landing;

use landing::land_late;
pub(crate) use landing::Landings;

/// The networks a fault can name.
const NETWORKS: [&str; 15] = [
    "telegram",
    "bluesky",
    "facebook",
    "instagram",
    "threads",
    "twitter",
    "youtube",
    "bitly",
    "linkedin",
    "tiktok",
    "pinterest",
    "reddit",
    "gmb",
    "snapchat",
    // Google's authorization server (`/google/token`, `/google/revoke`).
    "google",
];

/// A fault to inject into the next matching request(s).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fault {
    /// `"telegram"`, `"bluesky"`, `"facebook"`, `"instagram"`, `"threads"`,
    /// `"twitter"`, `"youtube"`, `"bitly"`, `"linkedin"`, `"tiktok"`,
    /// `"pinterest"`, `"reddit"`, `"gmb"` or `"snapchat"`.
    pub network: String,
    /// Telegram method name (e.g. `"sendMessage"`, case-insensitive like the
    /// real API), XRPC NSID (e.g. `"com.atproto.repo.createRecord"`), or for
    /// Meta the Graph edge (`"feed"`, `"photos"`, `"videos"`, `"media"`,
    /// `"media_publish"`, `"content_publishing_limit"`, `"insights"`,
    /// `"threads"`, `"threads_publish"`, …) or `"node"` for a call on a bare
    /// object id. X: `"tweets"`, `"tweets.get"`, `"tweets.delete"`,
    /// `"users.me"`, `"users.tweets"`, `"media.initialize"`,
    /// `"media.append"`, `"media.finalize"`, `"media.status"`,
    /// `"media.upload"`. YouTube: `"videos.insert"` (the initiating POST),
    /// `"upload"` (a PUT carrying bytes to a session), `"upload.status"` (a
    /// `bytes */total` probe), `"videos.list"`, `"videos.delete"`,
    /// `"channels.list"`, `"search.list"`. Bitly: `"shorten"`,
    /// `"bitlinks.get"`, `"clicks.summary"`. LinkedIn, TikTok, Pinterest,
    /// Reddit, Google Business Profile and Snapchat: see each network's
    /// section of the crate README. `None` matches every endpoint of the
    /// network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Answer with this HTTP status instead of processing the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Body for `status`; defaults to the network's own error shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    /// Extra/overriding response headers for `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// Wait this long before doing anything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// `"before"`: drop the connection unprocessed. `"after"`: process, then
    /// drop the connection instead of answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<String>,
    /// Process, then keep the answer back until `release_held()`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<bool>,
    /// How many matching requests this fault applies to (default 1; 0 means
    /// every matching request until cleared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Let this many matching requests through before the fault applies
    /// (default 0). Listed faults show how many are still to be let through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<u32>,
    /// "Land late": the client gets no answer, and the request is processed
    /// (published, ledger entry written) this many milliseconds after the
    /// client stopped waiting. Alone, the connection is held without an
    /// answer until the client closes it (its timeout; at most 10 minutes);
    /// with `reset: "before"` it is dropped at once; with `status` that
    /// status is answered at once (a gateway that gave up while the backend
    /// carries on). Not with `reset: "after"` or `hold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land_late_ms: Option<u64>,
    /// Chance (0.0–1.0, default 1) that the fault applies to a matching
    /// request once done skipping. A request it passes over uses up nothing
    /// and is matched against the later faults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Seed of the fault's draws for `probability` (default: random), so a
    /// run's sequence of draws can be replayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

impl Fault {
    /// Checks the fields a script could get wrong; `Err` carries a message.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if !NETWORKS.contains(&self.network.as_str()) {
            return Err(format!(
                "unknown network {:?} (expected one of {})",
                self.network,
                NETWORKS
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(reset) = &self.reset
            && !matches!(reset.as_str(), "before" | "after")
        {
            return Err(format!(
                "reset must be \"before\" or \"after\", not {reset:?}"
            ));
        }
        if let Some(status) = self.status
            && !(100..=999).contains(&status)
        {
            return Err(format!("status {status} is not a valid HTTP status"));
        }
        if let Some(p) = self.probability
            && !(0.0..=1.0).contains(&p)
        {
            return Err(format!("probability must be between 0 and 1, not {p}"));
        }
        if self.land_late_ms.is_some() {
            if self.reset.as_deref() == Some("after") {
                return Err(
                    "landLateMs cannot be combined with reset \"after\" (the request is processed late, not now)"
                        .into(),
                );
            }
            if self.hold == Some(true) {
                return Err("landLateMs cannot be combined with hold (no answer is sent)".into());
            }
        }
        for (name, value) in self.headers.iter().flatten() {
            if HeaderName::try_from(name.as_str()).is_err()
                || HeaderValue::try_from(value.as_str()).is_err()
            {
                return Err(format!("invalid header {name:?}: {value:?}"));
            }
        }
        Ok(())
    }
}

/// A registered fault as listed by `GET /_sandbox/faults`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ActiveFault {
    pub id: u64,
    /// Applications left; `None` = unlimited (`times: 0`).
    pub remaining: Option<u32>,
    /// Requests the fault has applied to so far.
    pub applied: u64,
    #[serde(flatten)]
    pub fault: Fault,
    /// State of the generator behind `probability` (SplitMix64).
    #[serde(skip)]
    draws: u64,
}

#[derive(Default)]
struct Book {
    next_id: u64,
    faults: Vec<ActiveFault>,
}

pub(crate) struct FaultBook {
    book: Mutex<Book>,
}

impl FaultBook {
    pub(crate) fn new() -> Self {
        Self {
            book: Mutex::new(Book {
                next_id: 1,
                faults: Vec::new(),
            }),
        }
    }

    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn add(&self, fault: Fault) -> u64 {
        let mut book = self.book();
        let id = book.next_id;
        book.next_id += 1;
        let remaining = match fault.times {
            Some(0) => None,
            Some(n) => Some(n),
            None => Some(1),
        };
        let draws = fault.seed.unwrap_or_else(rand::random);
        book.faults.push(ActiveFault {
            id,
            remaining,
            applied: 0,
            fault,
            draws,
        });
        id
    }

    pub(crate) fn list(&self) -> Vec<ActiveFault> {
        self.book().faults.clone()
    }

    pub(crate) fn clear(&self) {
        self.book().faults.clear();
    }

    /// Finds the first fault matching the request that is done skipping (and,
    /// with `probability`, draws this request) and consumes one use of it.
    /// Every matching fault still skipping counts the request as one of those
    /// it lets through.
    pub(crate) fn take(&self, network: &str, endpoint: &str) -> Option<Fault> {
        let mut book = self.book();
        let mut chosen = None;
        for (idx, slot) in book.faults.iter_mut().enumerate() {
            let matches = slot.fault.network == network
                && slot
                    .fault
                    .endpoint
                    .as_deref()
                    .is_none_or(|e| endpoint_matches(network, e, endpoint));
            if !matches {
                continue;
            }
            match slot.fault.skip {
                Some(left) if left > 0 => slot.fault.skip = Some(left - 1),
                _ if chosen.is_none() => {
                    let drawn = match slot.fault.probability {
                        None => true,
                        Some(p) => unit_draw(&mut slot.draws) < p,
                    };
                    if drawn {
                        chosen = Some(idx);
                    }
                }
                _ => {}
            }
        }
        let idx = chosen?;
        let slot = &mut book.faults[idx];
        slot.applied += 1;
        let fault = slot.fault.clone();
        if let Some(left) = slot.remaining.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                book.faults.remove(idx);
            }
        }
        Some(fault)
    }
}

/// SplitMix64: a tiny generator whose sequence for a seed never changes
/// (unlike `rand`'s `StdRng`, which may change between releases), mapped to
/// [0, 1).
fn unit_draw(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn endpoint_matches(network: &str, wanted: &str, actual: &str) -> bool {
    if network == "telegram" {
        // Bot API method names are case-insensitive.
        wanted.eq_ignore_ascii_case(actual)
    } else {
        wanted == actual
    }
}

/// Held-request bookkeeping: how many answers are held, and a release signal.
pub(crate) struct HoldGate {
    held: watch::Sender<usize>,
    release: watch::Sender<u64>,
}

impl HoldGate {
    pub(crate) fn new() -> Self {
        Self {
            held: watch::Sender::new(0),
            release: watch::Sender::new(0),
        }
    }

    pub(crate) fn held(&self) -> usize {
        *self.held.borrow()
    }

    /// Releases every answer held right now.
    pub(crate) fn release_all(&self) -> usize {
        let n = self.held();
        self.release.send_modify(|g| *g += 1);
        n
    }

    pub(crate) async fn wait_for_held(&self, n: usize, timeout: Duration) -> bool {
        let mut rx = self.held.subscribe();
        matches!(
            tokio::time::timeout(timeout, rx.wait_for(|held| *held >= n)).await,
            Ok(Ok(_))
        )
    }

    /// Waits for the next release (or for the client to go away).
    async fn hold(&self, conn: Option<ConnHandle>) {
        let mut release = self.release.subscribe();
        release.borrow_and_update();
        self.held.send_modify(|n| *n += 1);
        let _guard = HeldGuard(&self.held);
        let gone = async {
            match &conn {
                Some(conn) => conn.closed().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = release.changed() => {}
            _ = gone => {}
        }
    }
}

/// Decrements the held count however the hold ends (release, client gone,
/// or the request future being dropped).
struct HeldGuard<'a>(&'a watch::Sender<usize>);

impl Drop for HeldGuard<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// Which network/endpoint a request addresses, if any. Meta's Facebook and
/// Instagram share a host, so their split looks at the sandbox's objects.
fn classify(state: &SandboxState, req: &Request) -> Option<(&'static str, String)> {
    let path = req.uri().path();
    if path.starts_with("/facebook/") || path.starts_with("/threads/") {
        return meta::classify(state, path, req.uri().query(), req.headers());
    }
    if let Some(rest) = path.strip_prefix("/telegram/") {
        let (bot, method) = rest.split_once('/')?;
        if !bot.starts_with("bot") {
            return None;
        }
        return Some(("telegram", method.trim_end_matches('/').to_owned()));
    }
    if let Some(endpoint) = x::classify(req.method(), path) {
        return Some(("twitter", endpoint));
    }
    if let Some(endpoint) = youtube::classify(req.method(), path, req.uri().query(), req.headers())
    {
        return Some(("youtube", endpoint));
    }
    if let Some(endpoint) = bitly::classify(req.method(), path) {
        return Some(("bitly", endpoint));
    }
    type Classify = fn(&axum::http::Method, &str) -> Option<String>;
    let others: [(&'static str, Classify); 6] = [
        ("linkedin", linkedin::classify),
        ("tiktok", tiktok::classify),
        ("pinterest", pinterest::classify),
        ("reddit", reddit::classify),
        ("gmb", gmb::classify),
        ("snapchat", snapchat::classify),
    ];
    for (network, classify) in others {
        if path.starts_with(&format!("/{network}/")) {
            return classify(req.method(), &path[network.len() + 1..])
                .map(|endpoint| (network, endpoint));
        }
    }
    if let Some(rest) = path.strip_prefix("/google/") {
        return Some(("google", rest.trim_end_matches('/').to_owned()));
    }
    let nsid = path.strip_prefix("/bluesky/xrpc/")?;
    Some(("bluesky", nsid.trim_end_matches('/').to_owned()))
}

/// Middleware in front of the network emulators.
pub(crate) async fn middleware(
    State(state): State<SandboxState>,
    req: Request,
    next: Next,
) -> Response {
    let Some((network, endpoint)) = classify(&state, &req) else {
        return next.run(req).await;
    };
    let Some(fault) = state.inner.faults.take(network, &endpoint) else {
        return next.run(req).await;
    };
    tracing::debug!(network, endpoint, ?fault, "sandbox fault applied");
    let conn = req
        .extensions()
        .get::<ConnectInfo<ConnHandle>>()
        .map(|c| c.0.clone());

    if let Some(ms) = fault.delay_ms.filter(|ms| *ms > 0) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if let Some(ms) = fault.land_late_ms {
        let after = Duration::from_millis(ms);
        return land_late(state, req, next, conn, network, &endpoint, &fault, after).await;
    }
    if fault.reset.as_deref() == Some("before") {
        return drop_connection(conn);
    }
    if let Some(status) = fault.status {
        return canned_response(&state, network, &endpoint, req.headers(), status, &fault);
    }
    let response = next.run(req).await;
    if fault.reset.as_deref() == Some("after") {
        return drop_connection(conn);
    }
    if fault.hold == Some(true) {
        state.inner.holds.hold(conn).await;
    }
    response
}

/// Makes the client see a dropped connection instead of an answer.
///
/// With the sandbox's own server (`start`) the connection is killed before a
/// byte of the answer is written. When the router is served some other way
/// there is no connection handle; the answer's body then fails on its first
/// chunk, which makes hyper abort the connection (the client may already have
/// seen the status line in that case).
fn drop_connection(conn: Option<ConnHandle>) -> Response {
    if let Some(conn) = &conn {
        conn.kill();
    }
    let failing = futures_util::stream::once(async {
        Err::<Bytes, io::Error>(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "sandbox fault: connection reset",
        ))
    });
    Response::new(Body::from_stream(failing))
}

/// The answer for a `status` fault.
fn canned_response(
    state: &SandboxState,
    network: &str,
    endpoint: &str,
    request_headers: &HeaderMap,
    status: u16,
    fault: &Fault,
) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match (&fault.body, network) {
        (Some(body), _) => (code, axum::Json(body.clone())).into_response(),
        (None, "telegram") => telegram::default_error(code),
        (None, "bluesky") => bluesky::default_error(state, code),
        (None, "twitter") => x::fault_error(code),
        (None, "youtube") => youtube::fault_error(code),
        (None, "bitly") => bitly::fault_error(code),
        (None, "linkedin") => linkedin::fault_error(code),
        (None, "tiktok") => tiktok::fault_error(code),
        (None, "pinterest") => pinterest::fault_error(code),
        (None, "reddit") => reddit::fault_error(code),
        (None, "gmb" | "google") => gmb::fault_error(code),
        (None, "snapchat") => snapchat::fault_error(code),
        (None, _) => meta::fault_error(code),
    };
    for (name, value) in fault.headers.iter().flatten() {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    match network {
        // Every Bluesky answer carries rate-limit headers; the fault's own
        // headers (inserted above) win.
        "bluesky" => bluesky::add_default_ratelimit_headers(state, &mut response),
        // Likewise X's access level and rate window.
        "twitter" => x::add_fault_headers(state, endpoint, request_headers, &mut response),
        // Likewise Graph's X-App-Usage.
        "facebook" | "instagram" | "threads" => {
            meta::add_default_usage_header(state, &mut response)
        }
        _ => {}
    }
    response
}
