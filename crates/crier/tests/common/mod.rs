//! Boots a real crier (in-process server on a random port, temp data dir,
//! SQLite) against a real sandbox on loopback, and talks to it over HTTP.
#![allow(dead_code)]

mod binary;
mod creds;
mod errors;
mod hosts;
mod scenarios;
// Each test file uses some of these, none all of them.
#[allow(unused_imports)]
pub use {binary::*, creds::*, errors::*, hosts::*, scenarios::*};

use crier::cfg::Config;
use crier::server::{self, Running};
use crier_core::Platform;
use crier_sandbox::{Fault, LedgerEntry, SandboxHandle};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

pub struct Harness {
    pub base: String,
    pub key: String,
    pub sandbox: SandboxHandle,
    pub http: reqwest::Client,
    pub running: Running,
    pub dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
}

/// Test configuration: fast retries, loopback media allowed, networks at the sandbox.
pub fn test_config(dir: &std::path::Path, sandbox_url: &str) -> Config {
    let mut cfg = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_path_buf(),
        wait_limit_secs: 30,
        encryption_key: Some("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=".into()),
        ..Config::default()
    };
    cfg.networks.telegram = format!("{sandbox_url}/telegram");
    cfg.networks.bluesky = format!("{sandbox_url}/bluesky");
    cfg.networks.facebook = format!("{sandbox_url}/facebook");
    cfg.networks.threads = format!("{sandbox_url}/threads");
    cfg.networks.twitter = format!("{sandbox_url}/x");
    cfg.networks.youtube = format!("{sandbox_url}/youtube");
    cfg.networks.linkedin = format!("{sandbox_url}/linkedin");
    cfg.networks.tiktok = format!("{sandbox_url}/tiktok");
    cfg.networks.pinterest = format!("{sandbox_url}/pinterest");
    cfg.networks.reddit = format!("{sandbox_url}/reddit");
    cfg.networks.gmb = format!("{sandbox_url}/gmb");
    cfg.networks.snapchat = format!("{sandbox_url}/snapchat");
    cfg.networks.youtube_chunk_bytes = 262_144;
    cfg.networks.container_poll_ms = 50;
    cfg.networks.container_deadline_secs = 2;
    // A lost answer is settled by a lookup only after HTTP timeout + landing lag (docs/delivery.md).
    // The sandbox processes a request within it or by a fault's explicit delay: no extra lag.
    cfg.networks.http_timeout_secs = 3;
    cfg.networks.landing_lag_ms = Some(0);
    cfg.engine.retry_base_ms = 20;
    cfg.engine.retry_max_attempts = 3;
    cfg.engine.retry_deadline_secs = 5;
    cfg.media.allow_loopback = true;
    cfg.media.local_only = true;
    // Counted on every request (the code path stays exercised) but out of reach of any test;
    // tests of the limit itself set their own.
    cfg.limits.per_key = 1_000_000;
    cfg.limits.per_profile = 1_000_000;
    cfg
}

/// With `CRIER_TEST_DATABASE_URL` (a PostgreSQL admin URL) every test gets a fresh PostgreSQL
/// database; without it, SQLite in the test's temp dir. The README's test command runs both.
pub async fn test_database() -> Option<String> {
    let admin = std::env::var("CRIER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())?;
    Some(crier_store::Store::fresh_postgres_database(&admin).await.expect("CRIER_TEST_DATABASE_URL reachable"))
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(|_| {}).await
    }

    /// Like `start`, with the test configuration adjusted first.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Harness {
        Harness::start_with_sandbox(|c, _| adjust(c)).await
    }

    /// Like `start_with`, for adjustments that need the sandbox's URL.
    pub async fn start_with_sandbox(adjust: impl FnOnce(&mut Config, &str)) -> Harness {
        let sandbox = crier_sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = test_config(dir.path(), &sandbox.url);
        cfg.database_url = test_database().await;
        adjust(&mut cfg, &sandbox.url);
        let running = server::start(cfg).await.unwrap();
        let store = running.store();
        let account = store.create_account().await.unwrap();
        let key = store.create_api_key(&account, None).await.unwrap();
        let profile = store.primary_profile(&account).await.unwrap();
        store.link_network(&profile.id, Platform::Telegram, &telegram_creds(), None).await.unwrap();
        store.link_network(&profile.id, Platform::Bluesky, &bluesky_creds(), None).await.unwrap();
        Harness { base: format!("http://{}", running.addr), key, sandbox, http: reqwest::Client::new(), running, dir }
    }

    /// Links the primary profile to the sandbox's Facebook Page, Instagram and Threads accounts.
    pub async fn with_meta(self) -> Harness {
        let store = self.running.store();
        let account = store.account_for_key(&self.key).await.unwrap().unwrap();
        let profile = store.primary_profile(&account).await.unwrap();
        store.link_network(&profile.id, Platform::Facebook, &facebook_creds(), Some("Crier Sandbox")).await.unwrap();
        store.link_network(&profile.id, Platform::Instagram, &instagram_creds(), Some("crier_sandbox")).await.unwrap();
        store.link_network(&profile.id, Platform::Threads, &threads_creds(), Some("crier_sandbox")).await.unwrap();
        self
    }

    /// Links the primary profile to the sandbox's X account and YouTube channel.
    pub async fn with_x_youtube(self) -> Harness {
        self.link(Platform::Twitter, twitter_creds()).await;
        self.link(Platform::Youtube, youtube_creds()).await;
        self
    }

    /// Links the primary profile to the sandbox's accounts on these networks.
    pub async fn with(self, platforms: &[Platform]) -> Harness {
        for p in platforms {
            self.link(*p, creds_for(*p)).await;
        }
        self
    }

    /// (Re)links one network of the primary profile.
    pub async fn link(&self, platform: Platform, creds: Value) {
        let store = self.running.store();
        let account = store.account_for_key(&self.key).await.unwrap().unwrap();
        let profile = store.primary_profile(&account).await.unwrap();
        store.link_network(&profile.id, platform, &creds, None).await.unwrap();
    }

    /// `POST /api/post` with X's BYO headers.
    pub async fn post_x(&self, body: Value) -> Reply {
        self.call(Method::POST, "/api/post", Some(body), &X_HEADERS).await
    }

    /// Sends JSON to the sandbox's control API and returns its answer.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let r = self.http.post(format!("{}/_sandbox/{path}", self.sandbox.url)).json(&body).send().await.unwrap();
        assert!(r.status().is_success(), "control {path}: {}", r.status());
        r.json().await.unwrap_or(Value::Null)
    }

    /// One of an emulator's control lists: `GET /_sandbox/<network>/<list>` answers
    /// `{"<list>": [...]}` (e.g. `pinterest/pins`, `gmb/media`).
    pub async fn emulator_list(&self, path: &str) -> Vec<Value> {
        let all: Value = self.http.get(format!("{}/_sandbox/{path}", self.sandbox.url)).send().await.unwrap().json().await.unwrap();
        let key = path.rsplit('/').next().unwrap_or(path);
        all[key].as_array().cloned().unwrap_or_else(|| panic!("no {key} in {all}"))
    }

    /// A media URL on the sandbox's test media host.
    pub fn media(&self, path: &str) -> String {
        format!("{}/media-host/{path}", self.sandbox.url)
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.http.request(method, format!("{}{}", self.base, path)).bearer_auth(&self.key);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON answer ({status}): {text:?}"));
        Reply { status, body }
    }

    pub async fn post(&self, body: Value) -> Reply {
        self.call(Method::POST, "/api/post", Some(body), &[]).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None, &[]).await
    }

    pub fn fault(&self, fault: Value) {
        let f: Fault = serde_json::from_value(fault).unwrap();
        self.sandbox.state.add_fault(f);
    }

    /// Ledger entries (not deleted) whose text is `text`.
    pub fn published(&self, text: &str) -> Vec<LedgerEntry> {
        self.sandbox.state.ledger().into_iter().filter(|e| e.text == text).collect()
    }

    /// Every ledger entry on `network` (deleted ones included).
    pub fn network_ledger(&self, network: &str) -> Vec<LedgerEntry> {
        self.sandbox.state.ledger().into_iter().filter(|e| e.network == network).collect()
    }

    /// `PUT /api/post/retry` of a post crier answered earlier, with these headers, in its
    /// synchronous form (`waitSeconds`: the answer is the post's new envelope once settled).
    pub async fn retry_with(&self, posted: &Reply, headers: &[(&str, &str)]) -> Reply {
        self.call(Method::PUT, "/api/post/retry?waitSeconds=30", Some(json!({"id": posted.body["id"]})), headers).await
    }

    pub async fn retry(&self, posted: &Reply) -> Reply {
        self.retry_with(posted, &[]).await
    }

    /// `DELETE /api/post` of a post crier answered earlier.
    pub async fn delete(&self, posted: &Reply) -> Reply {
        self.call(Method::DELETE, "/api/post", Some(json!({"id": posted.body["id"]})), &[]).await
    }

    /// `POST /api/analytics/post` of a post crier answered earlier.
    pub async fn post_analytics(&self, posted: &Reply) -> Reply {
        self.call(Method::POST, "/api/analytics/post", Some(json!({"id": posted.body["id"]})), &[]).await
    }

    /// `GET /api/post/:id?waitSeconds=20`: the post once every network settled.
    pub async fn settled(&self, posted: &Reply) -> Reply {
        let id = posted.body["id"].as_str().unwrap_or_else(|| panic!("no post id: {}", posted.body));
        let r = self.get(&format!("/api/post/{id}?waitSeconds=20")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r
    }

    /// A sub-profile with these networks linked; returns its profile key.
    pub async fn profile_with(&self, title: &str, platforms: &[Platform]) -> String {
        let r = self.call(Method::POST, "/api/profiles", Some(json!({"title": title})), &[]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let key = r.body["profileKey"].as_str().unwrap().to_string();
        let store = self.running.store();
        let account = store.account_for_key(&self.key).await.unwrap().unwrap();
        let profile = store.profile_by_key(&account, &key).await.unwrap().unwrap();
        for p in platforms {
            store.link_network(&profile.id, *p, &creds_for(*p), None).await.unwrap();
        }
        key
    }
}

pub const WAIT: Duration = Duration::from_secs(20);

/// Unique text per test, so ledger lookups never see another test's posts.
pub fn text(tag: &str) -> String {
    format!("{tag} {}", crier_store::random_token(8))
}
