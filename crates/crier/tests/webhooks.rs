//! Webhooks end to end (issue 17): Ayrshare's registration routes, events written with the state
//! change they report, delivered to a real receiver on loopback that checks every delivery's
//! Standard Webhooks signature (`webhook-id.webhook-timestamp.body`, HMAC-SHA256 with the `whsec_`
//! key) and Ayrshare's HMAC of the body, retried on a compressed schedule, disabled, replayed.

mod common;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use crier_core::Platform;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the receiver answers its next requests (the last entry repeats).
#[derive(Clone, Copy, Debug)]
enum Answer {
    Ok,
    Status(u16),
    Hang,
    Redirect,
}

#[derive(Clone, Debug)]
struct Got {
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
struct ReceiverState {
    script: Mutex<Vec<Answer>>,
    got: Mutex<Vec<Got>>,
}

struct Receiver {
    url: String,
    state: Arc<ReceiverState>,
}

impl Receiver {
    async fn start(script: &[Answer]) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Receiver::serve(listener, script).await
    }

    async fn serve(listener: tokio::net::TcpListener, script: &[Answer]) -> Receiver {
        let state = Arc::new(ReceiverState { script: Mutex::new(script.to_vec()), got: Mutex::default() });
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let app = Router::new().route("/hook", axum::routing::post(receive)).with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, state }
    }

    fn got(&self) -> Vec<Got> {
        self.state.got.lock().unwrap().clone()
    }

    fn set(&self, script: &[Answer]) {
        *self.state.script.lock().unwrap() = script.to_vec();
    }

    /// Waits until `n` requests arrived; returns them.
    async fn wait_for(&self, n: usize) -> Vec<Got> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let got = self.got();
            if got.len() >= n {
                return got;
            }
            assert!(tokio::time::Instant::now() < deadline, "{} of {n} deliveries arrived: {:?}", got.len(), bodies(&got));
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

async fn receive(State(s): State<Arc<ReceiverState>>, headers: HeaderMap, body: Bytes) -> Response {
    let answer = {
        let mut script = s.script.lock().unwrap();
        if script.len() > 1 { script.remove(0) } else { script.first().copied().unwrap_or(Answer::Ok) }
    };
    s.got.lock().unwrap().push(Got { headers, body });
    match answer {
        Answer::Ok => (StatusCode::OK, "ok").into_response(),
        Answer::Status(c) => StatusCode::from_u16(c).unwrap().into_response(),
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            StatusCode::OK.into_response()
        }
        Answer::Redirect => (StatusCode::FOUND, [("location", "http://127.0.0.1:9/elsewhere")]).into_response(),
    }
}

fn bodies(got: &[Got]) -> Vec<Value> {
    got.iter().map(|g| serde_json::from_slice(&g.body).unwrap_or(Value::Null)).collect()
}

/// HMAC-SHA256 (RFC 2104), written out here so the test does not share crier's code.
fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut k = if key.len() > 64 { Sha256::digest(key).to_vec() } else { key.to_vec() };
    k.resize(64, 0);
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new().chain_update(&ipad).chain_update(msg).finalize();
    Sha256::new().chain_update(&opad).chain_update(inner).finalize().to_vec()
}

/// Verifies a delivery as the Standard Webhooks libraries do (and Ayrshare's header when `secret`).
fn verify(g: &Got, whsec: &str, secret: Option<&str>) -> Value {
    let h = |name: &str| g.headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap().to_string();
    let (id, ts) = (h("webhook-id"), h("webhook-timestamp"));
    assert!(id.starts_with("msg_") && !id.contains('.'), "{id}");
    let ts_n: i64 = ts.parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - ts_n).abs() < 300, "timestamp within 5 minutes");
    let key = STANDARD.decode(whsec.strip_prefix("whsec_").expect("whsec_ prefix")).unwrap();
    let mut signed = format!("{id}.{ts}.").into_bytes();
    signed.extend_from_slice(&g.body);
    let expected = format!("v1,{}", STANDARD.encode(hmac(&key, &signed)));
    assert!(h("webhook-signature").split(' ').any(|s| s == expected), "signature {} != {expected}", h("webhook-signature"));
    match secret {
        Some(secret) => {
            let hex: String = hmac(secret.as_bytes(), &g.body).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(h("x-authorization-content-sha256"), hex);
            assert_eq!(h("x-authorization-timestamp"), ts);
        }
        None => assert!(g.headers.get("x-authorization-content-sha256").is_none()),
    }
    assert_eq!(h("content-type"), "application/json");
    serde_json::from_slice(&g.body).unwrap()
}

/// A harness whose retries come after 0.2 s and whose receivers must answer within 1 s.
async fn harness() -> Harness {
    harness_with(|_| {}).await
}

async fn harness_with(adjust: impl FnOnce(&mut crier::cfg::Config)) -> Harness {
    Harness::start_with(|c| {
        c.webhooks.retry_schedule_secs = vec![0.2, 0.2, 0.2];
        c.webhooks.timeout_secs = 1.0;
        c.media.hosts.insert("hooks.internal.test".into(), vec!["10.1.2.3".parse().unwrap()]);
        adjust(c);
    })
    .await
}

impl Harness {
    async fn register(&self, action: &str, url: &str, secret: Option<&str>, headers: &[(&str, &str)]) -> Reply {
        let mut body = json!({"action": action, "url": url});
        if let Some(s) = secret {
            body["secret"] = json!(s);
        }
        self.call(Method::POST, "/api/hook/webhook", Some(body), headers).await
    }

    async fn whsec(&self, action: &str, headers: &[(&str, &str)]) -> String {
        let r = self.call(Method::GET, "/api/hook/webhook", None, headers).await;
        r.body["signingSecrets"][action].as_str().unwrap_or_else(|| panic!("{}", r.body)).to_string()
    }

    /// `deliveries()` once `done` says so (bounded by WAIT).
    async fn deliveries_until(&self, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let d = self.deliveries().await;
            if done(&d) || tokio::time::Instant::now() >= deadline {
                return d;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    async fn deliveries(&self) -> Vec<Value> {
        let r = self.get("/api/hook/deliveries").await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body["deliveries"].as_array().unwrap().clone()
    }
}

#[tokio::test]
async fn register_list_unregister_and_refusals() {
    let h = harness().await;
    let rx = Receiver::start(&[Answer::Ok]).await;
    let r = h.register("social", &rx.url, Some("s3cret-value-for-ayrshare"), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((r.body["status"].as_str(), r.body["action"].as_str(), r.body["url"].as_str()), (Some("success"), Some("social"), Some(rx.url.as_str())));
    assert!(r.body["refId"].is_string(), "{}", r.body);
    let list = h.get("/api/hook/webhook").await;
    assert_eq!(list.body["social"], rx.url.as_str(), "{}", list.body);
    assert!(list.body["updated"].is_string(), "{}", list.body);
    assert!(list.body["signingSecrets"]["social"].as_str().unwrap().starts_with("whsec_"), "{}", list.body);
    assert!(!list.body.to_string().contains("s3cret-value"), "the caller's secret is never echoed");

    for (action, url, word) in [
        ("feed", rx.url.as_str(), "scheduled, social, post"),
        ("social", "https://10.0.0.1/hook", "private"),
        ("social", "https://169.254.169.254/latest/meta-data", "link-local"),
        ("social", "https://hooks.internal.test/hook", "private"),
        ("social", "http://example.com/hook", ""),
        ("social", "ftp://example.com/hook", "scheme"),
        ("social", "https://user:pw@example.com/hook", ""),
        ("social", "not a url", "URL"),
    ] {
        let r = h.register(action, url, None, &[]).await;
        assert_eq!((r.status, r.body["code"].as_i64()), (400, Some(900)), "{action} {url}: {}", r.body);
        assert!(r.body.to_string().contains(word), "{url}: {word:?} in {}", r.body);
    }
    let missing = h.call(Method::POST, "/api/hook/webhook", Some(json!({"action": "post"})), &[]).await;
    assert_eq!(missing.body["code"], 901, "{}", missing.body);

    let d = h.call(Method::DELETE, "/api/hook/webhook", Some(json!({"action": "social"})), &[]).await;
    assert_eq!(d.body, json!({"status": "success", "action": "social"}));
    let list = h.get("/api/hook/webhook").await;
    assert!(list.body.get("social").is_none(), "{}", list.body);
    let again = h.call(Method::DELETE, "/api/hook/webhook", Some(json!({"action": "social"})), &[]).await;
    assert_eq!(again.body["code"], 900, "{}", again.body);
}

/// With loopback not allowed (the production setting), the media guard's vectors are refused too.
#[tokio::test]
async fn registration_refuses_the_media_guards_vectors_in_production_settings() {
    let h = harness_with(|c| c.media.allow_loopback = false).await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://2130706433/hook",
        "https://0x7f000001/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://10.0.0.1/hook",
        "https://172.16.0.1/hook",
        "https://192.168.1.1/hook",
        "https://100.64.0.1/hook",
        "https://[fd12:3456::1]/hook",
        "https://[fe80::1]/hook",
        "https://0.0.0.0/hook",
        "https://hooks.internal.test/hook",
        "gopher://127.0.0.1:6379/_INFO",
        "file:///etc/passwd",
    ] {
        let r = h.register("post", url, None, &[]).await;
        assert_eq!((r.status, r.body["code"].as_i64()), (400, Some(900)), "{url}: {}", r.body);
    }
    assert!(h.get("/api/hook/webhook").await.body.get("post").is_none());
}

#[tokio::test]
async fn an_immediate_post_sends_one_signed_post_event() {
    let h = harness().await;
    let rx = Receiver::start(&[Answer::Ok]).await;
    assert_eq!(h.register("post", &rx.url, Some("ayr-secret"), &[]).await.status, 200);
    let whsec = h.whsec("post", &[]).await;
    let posted = h.post(json!({"post": text("hooked"), "platforms": ["telegram", "bluesky"]})).await;
    assert_eq!(posted.body["status"], "success", "{}", posted.body);
    let got = rx.wait_for(1).await;
    let body = verify(&got[0], &whsec, Some("ayr-secret"));
    assert_eq!((body["action"].as_str(), body["status"].as_str(), body["code"].as_i64()), (Some("post"), Some("success"), Some(200)), "{body}");
    assert_eq!(body["id"], posted.body["id"]);
    assert_eq!(body["url"], rx.url.as_str());
    assert_eq!(body["postIds"].as_array().unwrap().len(), 2, "{body}");
    assert!(body["refId"].is_string() && body["created"].is_string(), "{body}");
    // The receiver's answer arrives before the worker has recorded the attempt: read until it has.
    let d = h.deliveries_until(|d| !d.is_empty()).await;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0]["status"].as_str(), d[0]["httpCode"].as_i64(), d[0]["action"].as_str()), (Some("delivered"), Some(200), Some("post")), "{d:?}");
    assert!(d[0]["latencyMs"].is_i64(), "{d:?}");
    // An immediate post is no `scheduled` event.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(rx.got().len(), 1);
    let metrics = h.http.get(format!("{}/metrics", h.base)).send().await.unwrap().text().await.unwrap();
    assert!(
        metrics.lines().any(|l| l.starts_with("crier_webhook_attempts_total{") && l.contains("outcome=\"delivered\"") && l.contains("action=\"post\"")),
        "{metrics}"
    );
    // Past the retention, settled events and attempts are forgotten.
    let store = h.running.store();
    assert!(store.prune_webhook_history(store.now_ms() + 1).await.unwrap() >= 2);
    assert!(h.deliveries().await.is_empty());
}

#[tokio::test]
async fn a_scheduled_post_sends_one_scheduled_event_to_the_primary_profile_hook() {
    let h = harness().await;
    let rx = Receiver::start(&[Answer::Ok]).await;
    // Registered on the primary profile only: a sub-profile's events fall back to it.
    assert_eq!(h.register("scheduled", &rx.url, None, &[]).await.status, 200);
    let whsec = h.whsec("scheduled", &[]).await;
    let key = h.profile_with("hooks sub", &[Platform::Telegram]).await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let posted = h.call(Method::POST, "/api/post", Some(json!({"post": text("later"), "platforms": ["telegram"], "scheduleDate": soon})), &[("Profile-Key", &key)]).await;
    assert_eq!(posted.status, 200, "{}", posted.body);
    let got = rx.wait_for(1).await;
    let body = verify(&got[0], &whsec, None);
    assert_eq!((body["action"].as_str(), body["status"].as_str()), (Some("scheduled"), Some("success")), "{body}");
    assert_eq!(body["id"], posted.body["id"], "{body}");
    assert_eq!(body["postIds"][0]["platform"], "telegram", "{body}");
    let sub = h.call(Method::GET, "/api/user", None, &[("Profile-Key", &key)]).await;
    if let Some(ref_id) = sub.body["refId"].as_str() {
        assert_eq!(body["refId"], ref_id, "the event names the sub-profile");
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(rx.got().len(), 1, "one event per outcome: {:?}", bodies(&rx.got()));
}

#[tokio::test]
async fn unlinking_sends_a_social_event() {
    let h = harness().await;
    let rx = Receiver::start(&[Answer::Ok]).await;
    assert_eq!(h.register("social", &rx.url, None, &[]).await.status, 200);
    let whsec = h.whsec("social", &[]).await;
    let r = h.call(Method::DELETE, "/api/profiles/social", Some(json!({"platform": "bluesky"})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let got = rx.wait_for(1).await;
    let body = verify(&got[0], &whsec, None);
    assert_eq!((body["action"].as_str(), body["type"].as_str(), body["platform"].as_str()), (Some("social"), Some("unlink"), Some("bluesky")), "{body}");
    assert_eq!(body["source"], "user", "{body}");

    // A refresh the network refused for good (what tokens.rs records): the account must be relinked.
    let store = h.running.store();
    let account = store.account_for_key(&h.key).await.unwrap().unwrap();
    let profile = store.primary_profile(&account).await.unwrap();
    store.record_account_event(&profile.id, Platform::Linkedin, "refresh_failed", &json!({"reason": "invalid_grant"})).await.unwrap();
    let got = rx.wait_for(2).await;
    let body = verify(&got[1], &whsec, None);
    assert_eq!((body["type"].as_str(), body["source"].as_str(), body["platform"].as_str()), (Some("unlink"), Some("system"), Some("linkedin")), "{body}");
    assert_eq!(body["details"], json!({"status": "error", "code": 908, "message": "invalid_grant"}), "{body}");
}

#[tokio::test]
async fn failures_are_retried_with_one_webhook_id_then_delivered_and_replayed() {
    let h = harness().await;
    // 500, no answer within the timeout, a redirect (never followed), then 200.
    let rx = Receiver::start(&[Answer::Status(500), Answer::Hang, Answer::Redirect, Answer::Ok]).await;
    assert_eq!(h.register("post", &rx.url, Some("k"), &[]).await.status, 200);
    let whsec = h.whsec("post", &[]).await;
    let posted = h.post(json!({"post": text("retried hook"), "platforms": ["telegram"]})).await;
    let got = rx.wait_for(4).await;
    let ids: Vec<&str> = got.iter().map(|g| g.headers["webhook-id"].to_str().unwrap()).collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "one webhook-id across retries: {ids:?}");
    for g in &got {
        assert_eq!(verify(g, &whsec, Some("k"))["id"], posted.body["id"]);
    }
    let deadline = tokio::time::Instant::now() + WAIT;
    let d = loop {
        let d = h.deliveries().await;
        if d.len() == 4 || tokio::time::Instant::now() > deadline {
            break d;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // Newest first.
    let outcomes: Vec<(&str, Option<i64>)> = d.iter().map(|a| (a["status"].as_str().unwrap(), a["httpCode"].as_i64())).collect();
    assert_eq!(outcomes, vec![("delivered", Some(200)), ("failed", Some(302)), ("failed", None), ("failed", Some(500))], "{d:?}");
    assert!(d[1..].iter().all(|a| a["nextTry"].is_string()), "{d:?}");
    assert!(d[2]["error"].as_str().unwrap().contains("no answer within"), "{d:?}");
    assert!(d[1]["error"].as_str().unwrap().contains("redirect"), "{d:?}");

    // Replay: the same event again, same webhook-id.
    let event = d[0]["eventId"].as_str().unwrap();
    assert_eq!(event, ids[0]);
    let r = h.call(Method::POST, &format!("/api/hook/deliveries/{event}/replay"), None, &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let got = rx.wait_for(5).await;
    assert_eq!(got[4].headers["webhook-id"], ids[0]);
    verify(&got[4], &whsec, Some("k"));
    let unknown = h.call(Method::POST, "/api/hook/deliveries/msg_nope/replay", None, &[]).await;
    assert_eq!(unknown.body["code"], 900, "{}", unknown.body);
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_the_event_once_it_is_back() {
    let h = harness_with(|c| c.webhooks.retry_schedule_secs = vec![0.3; 8]).await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = format!("http://{addr}/hook");
    assert_eq!(h.register("post", &url, None, &[]).await.status, 200);
    h.post(json!({"post": text("down"), "platforms": ["telegram"]})).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while !h.deliveries().await.iter().any(|a| a["status"] == "failed") {
        assert!(tokio::time::Instant::now() < deadline, "no failed attempt recorded");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let rx = Receiver::serve(tokio::net::TcpListener::bind(addr).await.unwrap(), &[Answer::Ok]).await;
    let got = rx.wait_for(1).await;
    assert_eq!(bodies(&got)[0]["action"], "post");
}

#[tokio::test]
async fn a_failing_registration_is_disabled_with_a_reason_and_410_disables_at_once() {
    let h = harness_with(|c| {
        c.webhooks.retry_schedule_secs = vec![0.2; 20];
        c.webhooks.disable_after_secs = 0.5;
    })
    .await;
    let rx = Receiver::start(&[Answer::Status(503)]).await;
    assert_eq!(h.register("post", &rx.url, None, &[]).await.status, 200);
    h.post(json!({"post": text("failing"), "platforms": ["telegram"]})).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    let list = loop {
        let list = h.get("/api/hook/webhook").await;
        if list.body["disabled"]["post"].is_object() {
            break list;
        }
        assert!(tokio::time::Instant::now() < deadline, "not disabled: {}", list.body);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(list.body["disabled"]["post"]["reason"].as_str().unwrap().contains("failed"), "{}", list.body);
    let n = rx.got().len();
    assert!(n >= 2, "retried before being disabled: {n}");
    // Disabled: later events are not sent.
    h.post(json!({"post": text("not sent"), "platforms": ["telegram"]})).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(rx.got().len(), n, "nothing sent to a disabled registration");

    // Registering again enables it; 410 Gone disables it at the first answer.
    rx.set(&[Answer::Status(410)]);
    assert_eq!(h.register("post", &rx.url, None, &[]).await.status, 200);
    assert!(h.get("/api/hook/webhook").await.body.get("disabled").is_none());
    h.post(json!({"post": text("gone"), "platforms": ["telegram"]})).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let list = h.get("/api/hook/webhook").await;
        if let Some(reason) = list.body["disabled"]["post"]["reason"].as_str() {
            assert!(reason.contains("410"), "{reason}");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "410 did not disable: {}", list.body);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let after = rx.got().len();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(rx.got().len(), after, "no retry after 410");
}

#[tokio::test]
async fn tiktok_confirmation_sends_tiktok_published() {
    let h = harness().await.with(&[Platform::Tiktok]).await;
    let rx = Receiver::start(&[Answer::Ok]).await;
    assert_eq!(h.register("scheduled", &rx.url, None, &[]).await.status, 200);
    let whsec = h.whsec("scheduled", &[]).await;
    let posted = h.post(json!({"post": text("tiktok hook"), "platforms": ["tiktok"], "mediaUrls": [h.media("clip.mp4")]})).await;
    assert!(posted.body["id"].is_string(), "{}", posted.body);
    let got = rx.wait_for(1).await;
    let body = verify(&got[0], &whsec, None);
    assert_eq!((body["action"].as_str(), body["subAction"].as_str()), (Some("scheduled"), Some("tikTokPublished")), "{body}");
    assert_eq!(body["id"], posted.body["id"]);
    assert_eq!(body["postIds"][0]["platform"], "tiktok", "{body}");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(rx.got().len(), 1, "an immediate post sends only tikTokPublished on `scheduled`: {:?}", bodies(&rx.got()));
}

#[tokio::test]
async fn a_failed_post_reports_its_errors_and_its_retry_reports_on_scheduled() {
    let h = harness().await;
    let rx = Receiver::start(&[Answer::Ok]).await;
    for action in ["post", "scheduled"] {
        assert_eq!(h.register(action, &rx.url, None, &[]).await.status, 200);
    }
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "status": 503, "times": 0}));
    let t = text("fails then retried");
    let posted = h.post(json!({"post": t, "platforms": ["telegram"]})).await;
    assert_eq!(posted.body["errors"][0]["code"], 910, "{}", posted.body);
    let first = bodies(&rx.wait_for(1).await);
    assert_eq!((first[0]["action"].as_str(), first[0]["status"].as_str(), first[0]["code"].as_i64()), (Some("post"), Some("error"), Some(503)), "{first:?}");
    assert_eq!((first[0]["errors"][0]["code"].as_i64(), first[0]["errors"][0]["platform"].as_str()), (Some(910), Some("telegram")), "{first:?}");
    assert!(first[0]["errors"][0]["message"].is_string(), "{first:?}");

    h.sandbox.state.clear_faults();
    let retried = h.retry(&posted).await;
    assert_eq!(retried.body["status"], "success", "{}", retried.body);
    let got = bodies(&rx.wait_for(3).await);
    let mut actions: Vec<&str> = got[1..].iter().map(|b| b["action"].as_str().unwrap()).collect();
    actions.sort();
    assert_eq!(actions, vec!["post", "scheduled"], "a retried post reports on `scheduled` too: {got:?}");
    assert!(got[1..].iter().all(|b| b["status"] == "success" && b["id"] == posted.body["id"]), "{got:?}");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(rx.got().len(), 3, "{:?}", bodies(&rx.got()));
}

#[tokio::test]
async fn a_name_that_now_resolves_to_a_private_address_is_refused_at_delivery() {
    let rx = Receiver::start(&[Answer::Ok]).await;
    let port = url::Url::parse(&rx.url).unwrap().port().unwrap();
    let hook = format!("http://hooks.rebind.test:{port}/hook");
    // Registered while the name answers loopback (allowed in tests, like the sandbox).
    let mut database = None;
    let h = harness_with(|c| {
        c.media.hosts.insert("hooks.rebind.test".into(), vec!["127.0.0.1".parse().unwrap()]);
        database = c.database_url.clone();
    })
    .await;
    assert_eq!(h.register("post", &hook, None, &[]).await.status, 200);
    let Harness { key, sandbox, http, running, dir, .. } = h;
    running.shutdown().await;

    // The same data, and now the name answers a private address (DNS rebinding).
    let mut cfg = test_config(dir.path(), &sandbox.url);
    cfg.database_url = database;
    cfg.webhooks.retry_schedule_secs = vec![0.2, 0.2, 0.2];
    cfg.media.hosts.insert("hooks.rebind.test".into(), vec!["10.9.8.7".parse().unwrap()]);
    let second = crier::server::start(cfg).await.unwrap();
    let base = format!("http://{}", second.addr);
    let posted: Value = http
        .post(format!("{base}/api/post"))
        .bearer_auth(&key)
        .json(&json!({"post": text("rebind"), "platforms": ["telegram"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(posted["status"], "success", "{posted}");
    let deadline = tokio::time::Instant::now() + WAIT;
    let attempt = loop {
        let d: Value = http.get(format!("{base}/api/hook/deliveries")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
        if let Some(a) = d["deliveries"].as_array().and_then(|a| a.first()).cloned() {
            break a;
        }
        assert!(tokio::time::Instant::now() < deadline, "no delivery attempt recorded: {d}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_ne!(attempt["status"], "delivered", "{attempt}");
    assert!(attempt["error"].as_str().unwrap_or_default().contains("10.9.8.7"), "refused for the private address: {attempt}");
    assert!(rx.got().is_empty(), "nothing reached the receiver (it listens on loopback, not 10.9.8.7)");
    second.shutdown().await;
}
