//! Secrets never leave crier in clear. `crier serve --sandbox` (the real binary, linked to all
//! thirteen sandbox accounts) runs a fault campaign over every network: dropped connections,
//! server errors and refusals whose bodies echo the token, on posts, deletes and analytics.
//! Then every answer, the whole log and the database are searched for each seeded credential
//! (network tokens, the X app keys, crier's API key).

mod common;
use common::{SandboxBinary, test_database};
use crier_core::Platform;
use crier_sandbox::seed;
use serde_json::{Value, json};

/// crier's stderr, in its data directory (beside, not among, the database files).
const LOG: &str = "crier.log";

/// Every credential `serve --sandbox` links, and the X app's keys sent with each request.
const SECRETS: &[&str] = &[
    seed::TELEGRAM_BOT_TOKEN,
    seed::BLUESKY_APP_PASSWORD,
    seed::FACEBOOK_PAGE_TOKEN,
    seed::INSTAGRAM_TOKEN,
    seed::THREADS_TOKEN,
    seed::X_CONSUMER_KEY,
    seed::X_CONSUMER_SECRET,
    seed::X_ACCESS_TOKEN,
    seed::X_ACCESS_TOKEN_SECRET,
    seed::YOUTUBE_ACCESS_TOKEN,
    seed::LINKEDIN_ACCESS_TOKEN,
    seed::TIKTOK_ACCESS_TOKEN,
    seed::PINTEREST_ACCESS_TOKEN,
    seed::REDDIT_ACCESS_TOKEN,
    seed::GMB_ACCESS_TOKEN,
    seed::SNAPCHAT_ACCESS_TOKEN,
];

/// The sandbox's name of each network (its fault `network`).
fn sandbox_name(p: Platform) -> &'static str {
    match p {
        Platform::Twitter => "twitter",
        other => other.as_str(),
    }
}

/// An error body that quotes the caller's token in every field a network's error table reads.
fn echoing_body(token: &str) -> Value {
    let says = format!("Invalid OAuth access token {token} for bot{token}");
    json!({
        "ok": false, "error_code": 401, "description": says,
        "error": {"message": says, "code": "access_token_invalid", "type": "OAuthException", "error_user_msg": says},
        "message": says, "detail": says, "title": says, "errors": [{"message": says}], "error_description": says,
    })
}

/// The token of each network's sandbox account (what its error body echoes).
fn token_of(p: Platform) -> &'static str {
    match p {
        Platform::Telegram => seed::TELEGRAM_BOT_TOKEN,
        Platform::Bluesky => seed::BLUESKY_APP_PASSWORD,
        Platform::Facebook => seed::FACEBOOK_PAGE_TOKEN,
        Platform::Instagram => seed::INSTAGRAM_TOKEN,
        Platform::Threads => seed::THREADS_TOKEN,
        Platform::Twitter => seed::X_ACCESS_TOKEN,
        Platform::Youtube => seed::YOUTUBE_ACCESS_TOKEN,
        Platform::Linkedin => seed::LINKEDIN_ACCESS_TOKEN,
        Platform::Tiktok => seed::TIKTOK_ACCESS_TOKEN,
        Platform::Pinterest => seed::PINTEREST_ACCESS_TOKEN,
        Platform::Reddit => seed::REDDIT_ACCESS_TOKEN,
        Platform::Gmb => seed::GMB_ACCESS_TOKEN,
        Platform::Snapchat => seed::SNAPCHAT_ACCESS_TOKEN,
    }
}

struct Crier {
    url: String,
    sandbox: String,
    key: String,
    http: reqwest::Client,
    /// Every answer crier gave, headers and body, as text.
    answers: Vec<String>,
}

impl Crier {
    async fn send(&mut self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.key)
            .header("X-Twitter-OAuth1-Api-Key", seed::X_CONSUMER_KEY)
            .header("X-Twitter-OAuth1-Api-Secret", seed::X_CONSUMER_SECRET);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let headers = format!("{:?}", resp.headers());
        let text = resp.text().await.unwrap();
        self.answers.push(format!("{path}\n{headers}\n{text}"));
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Faults for every network at once (`times: 0`: every matching request until cleared).
    async fn faults(&self, make: impl Fn(Platform) -> Value) {
        for p in Platform::ALL {
            let mut f = make(p);
            f["network"] = json!(sandbox_name(p));
            let r = self.http.post(format!("{}/_sandbox/faults", self.sandbox)).json(&f).send().await.unwrap();
            assert!(r.status().is_success(), "fault {f}: {}", r.status());
        }
    }

    async fn clear_faults(&self) {
        let r = self.http.delete(format!("{}/_sandbox/faults", self.sandbox)).send().await.unwrap();
        assert!(r.status().is_success(), "clearing faults: {}", r.status());
    }

    /// A post to all thirteen networks; returns its id once every network settled.
    async fn post_everywhere(&mut self, label: &str) -> String {
        let clip = format!("{}/media-host/launch/clip.mp4", self.sandbox);
        let body = json!({
            "post": format!("secrets campaign: {label}"),
            "platforms": ["all"],
            "mediaUrls": [clip],
            "youTubeOptions": {"title": label},
            "redditOptions": {"title": label, "subreddit": seed::REDDIT_SUBREDDIT},
            "pinterestOptions": {"thumbNail": format!("{}/media-host/launch/cover.jpg", self.sandbox)},
        });
        let first = self.send(reqwest::Method::POST, "/api/post", Some(body)).await;
        let id = first["id"].as_str().unwrap_or_else(|| panic!("no post id: {first}")).to_string();
        self.settle(&id).await;
        id
    }

    /// Waits until no network of the post is pending.
    async fn settle(&mut self, id: &str) -> Value {
        for _ in 0..10 {
            let post = self.send(reqwest::Method::GET, &format!("/api/post/{id}?waitSeconds=30"), None).await;
            if post["status"] != "pending" {
                return post;
            }
        }
        panic!("post {id} never settled");
    }
}

#[tokio::test]
async fn no_credential_reaches_an_answer_the_log_or_the_database() {
    let database = test_database().await;
    let mut binary = SandboxBinary::boot(|cmd, dir| {
        // Everything crier itself logs, and what its libraries log at info. The in-process sandbox
        // plays the networks: its lines quote the faults this test gives it (the networks' words).
        cmd.env(
            "RUST_LOG",
            "info,crier=debug,crier_api=debug,crier_engine=debug,crier_networks=debug,crier_store=debug,crier_media=debug,crier_sandbox=warn",
        )
        // Quick retries and settlement: the campaign is about texts, not timing.
        .env("CRIER_NETWORKS__HTTP_TIMEOUT_SECS", "3")
        .env("CRIER_NETWORKS__LANDING_LAG_MS", "0")
        .env("CRIER_NETWORKS__CONTAINER_POLL_MS", "100")
        .env("CRIER_ENGINE__RETRY_BASE_MS", "20")
        .env("CRIER_ENGINE__RETRY_MAX_ATTEMPTS", "2")
        .env("CRIER_ENGINE__RETRY_DEADLINE_SECS", "5")
        .env("CRIER_ENGINE__CONFIRM_DEADLINE_SECS", "10")
        .stderr(std::fs::File::create(dir.join(LOG)).unwrap());
        if let Some(url) = &database {
            cmd.env("CRIER_DATABASE_URL", url);
        }
    })
    .await;
    let (url, sandbox, key) = (binary.url.clone(), binary.sandbox.clone(), binary.key.clone());
    let mut c = Crier { url, sandbox, key: key.clone(), http: reqwest::Client::new(), answers: Vec::new() };

    // 1. Connections dropped before an answer: reqwest's error text names the request URL,
    //    which for Telegram carries the bot token.
    c.faults(|_| json!({"reset": "before", "times": 0})).await;
    let dropped = c.post_everywhere("dropped").await;
    c.clear_faults().await;
    // 2. Server errors (retried) and 3. refusals, each body quoting the token.
    c.faults(|p| json!({"status": 500, "body": echoing_body(token_of(p)), "times": 0})).await;
    c.post_everywhere("server errors").await;
    c.clear_faults().await;
    c.faults(|p| json!({"status": 401, "body": echoing_body(token_of(p)), "times": 0})).await;
    c.post_everywhere("refused").await;
    c.clear_faults().await;
    // 4. Answers lost after the network processed the request (reconciled, or unknown).
    c.faults(|_| json!({"reset": "after", "times": 1})).await;
    c.post_everywhere("lost answers").await;
    c.clear_faults().await;
    // 5. A published post whose analytics and delete are refused with the token quoted.
    let published = c.post_everywhere("published").await;
    c.faults(|p| json!({"status": 401, "body": echoing_body(token_of(p)), "times": 0})).await;
    c.send(reqwest::Method::POST, "/api/analytics/post", Some(json!({"id": published}))).await;
    c.send(reqwest::Method::DELETE, "/api/post", Some(json!({"id": published}))).await;
    c.clear_faults().await;
    c.send(reqwest::Method::GET, "/api/history", None).await;
    c.send(reqwest::Method::GET, &format!("/api/post/{dropped}"), None).await;

    // The campaign did reach the failure paths: the dropped post failed on every network with details.
    let failed = c.send(reqwest::Method::GET, &format!("/api/post/{dropped}"), None).await;
    let errors = failed["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), Platform::ALL.len(), "every network failed the dropped post: {failed}");
    let telegram = errors.iter().find(|e| e["platform"] == "telegram").unwrap();
    assert!(telegram["details"].as_str().is_some_and(|d| !d.is_empty()), "{telegram}");

    // Stop crier cleanly (SQLite checkpoints its WAL) before reading what it left.
    binary.stop().await;
    let log = std::fs::read_to_string(binary.dir.path().join(LOG)).unwrap();
    assert!(log.lines().count() > 10, "the log has the campaign's lines:\n{log}");
    let database_text = match &database {
        Some(url) => postgres_rows(url).await,
        None => sqlite_files(binary.dir.path()),
    };
    let mut secrets: Vec<&str> = SECRETS.to_vec();
    secrets.push(&key);
    for secret in secrets {
        for (place, text) in [("an answer", c.answers.join("\n")), ("the log", log.clone()), ("the database", database_text.clone())] {
            let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
            for spelling in [secret.to_string(), encoded] {
                if let Some(at) = text.find(&spelling) {
                    let from = text[..at].char_indices().rev().nth(200).map_or(0, |(i, _)| i);
                    let to = (at + spelling.len() + 200).min(text.len());
                    panic!("{secret:?} found in {place}: …{}…", text.get(from..to).unwrap_or(""));
                }
            }
        }
    }
}

/// The bytes of the SQLite database and its journal files, as (lossy) text.
fn sqlite_files(data_dir: &std::path::Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(data_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("crier.db")) {
            all.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
        }
    }
    assert!(!all.is_empty(), "no database files in {}", data_dir.display());
    all
}

/// Every row of every table of the PostgreSQL database, as JSON text.
async fn postgres_rows(url: &str) -> String {
    use sqlx::Row;
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await.unwrap();
    let tables: Vec<String> =
        sqlx::query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
            .fetch_all(&pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
    assert!(!tables.is_empty());
    let mut all = String::new();
    for t in tables {
        // Table names come from the catalog itself, not from input.
        let sql = sqlx::AssertSqlSafe(format!("SELECT row_to_json(t)::text FROM \"{t}\" t"));
        let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
        for r in rows {
            all.push_str(&r.get::<String, _>(0));
            all.push('\n');
        }
    }
    pool.close().await;
    all
}
