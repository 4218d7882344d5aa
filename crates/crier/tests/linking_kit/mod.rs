//! Shared by the linking tests: generateJWT, a cookie-keeping page client without a browser,
//! moving a session's clock, and (webdriver.rs) a real Chromium.
#![allow(dead_code)]

pub mod webdriver;

use crate::common::{Harness, Reply};
use reqwest::Method;
use serde_json::{Value, json};

/// A new sub-profile with nothing linked; its profile key.
pub async fn empty_profile(h: &Harness, title: &str) -> String {
    let r = h.call(Method::POST, "/api/profiles", Some(json!({"title": title})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["profileKey"].as_str().unwrap().to_string()
}

pub async fn generate(h: &Harness, body: Value) -> Reply {
    h.call(Method::POST, "/api/profiles/generateJWT", Some(body), &[]).await
}

/// The linking URL for `profile_key`, Telegram and Bluesky offered.
pub async fn link_url(h: &Harness, profile_key: &str, extra: Value) -> String {
    let mut body = json!({"profileKey": profile_key, "allowedSocial": ["telegram", "bluesky"]});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let r = generate(h, body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["url"].as_str().unwrap().to_string()
}

/// Networks linked to the profile, as `GET /api/user` reports them.
pub async fn linked(h: &Harness, profile_key: &str) -> Vec<String> {
    let r = h.call(Method::GET, "/api/user", None, &[("Profile-Key", profile_key)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["activeSocialAccounts"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

/// Posts `text` to `platforms` of the profile and waits for the outcome.
pub async fn post_as(h: &Harness, profile_key: &str, text: &str, platforms: &[&str]) -> Reply {
    h.call(Method::POST, "/api/post", Some(json!({"post": text, "platforms": platforms})), &[("Profile-Key", profile_key)]).await
}

/// Moves every linking session's deadline `ms` into the past, as if that much time went by.
pub async fn age_sessions(database: Option<&str>, h: &Harness, ms: i64) {
    sqlx::any::install_default_drivers();
    let url = database.map(str::to_string).unwrap_or_else(|| format!("sqlite://{}", h.dir.path().join("crier.db").display()));
    let db = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("UPDATE linking_sessions SET expires_ms = expires_ms - $1").bind(ms).execute(&db).await.unwrap();
    db.close().await;
}

/// A browser without a browser: keeps the session cookie, never follows redirects.
pub struct PageClient {
    http: reqwest::Client,
    cookie: Option<String>,
    pub lang: &'static str,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub html: String,
}

impl PageClient {
    /// The session cookie's secret, once the page was opened.
    pub fn cookie_secret(&self) -> Option<String> {
        self.cookie.as_deref().and_then(|c| c.split_once('=')).map(|(_, v)| v.to_string())
    }

    pub fn new() -> PageClient {
        PageClient { http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(), cookie: None, lang: "en" }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let mut req = req.header("accept-language", self.lang);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c.clone());
        }
        let resp = req.send().await.unwrap();
        if let Some(c) = resp.headers().get("set-cookie") {
            self.cookie = Some(c.to_str().unwrap().split(';').next().unwrap().to_string());
        }
        let status = resp.status().as_u16();
        let location = resp.headers().get("location").map(|l| l.to_str().unwrap().to_string());
        if !(300..400).contains(&status) {
            let ct = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
            assert!(ct.starts_with("text/html"), "{status}: {ct}");
        }
        Page { status, location, html: resp.text().await.unwrap() }
    }

    pub async fn get(&mut self, url: &str) -> Page {
        self.send(self.http.get(url)).await
    }

    /// Submits a form of `page_url`'s page (`action` relative to the page's origin).
    pub async fn submit(&mut self, page_url: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let origin = url::Url::parse(page_url).unwrap().origin().ascii_serialization();
        let req = self.http.post(format!("{origin}{action}")).form(fields);
        self.send(req).await
    }
}

/// The CSRF token the page's forms carry.
pub fn csrf(html: &str) -> String {
    let at = html.find(r#"name="csrf" value=""#).expect("a form with a csrf field") + r#"name="csrf" value=""#.len();
    html[at..].split('"').next().unwrap().to_string()
}

/// The path of the page (`/link/<token>`).
pub fn path_of(url: &str) -> String {
    url::Url::parse(url).unwrap().path().to_string()
}

/// Everything crier stored: every row as JSON text (PostgreSQL), or the SQLite files' bytes.
pub async fn database_text(database: Option<&str>, h: &Harness) -> String {
    let mut all = String::new();
    match database {
        Some(url) => {
            use sqlx::Row;
            sqlx::any::install_default_drivers();
            let db = sqlx::AnyPool::connect(url).await.unwrap();
            let tables: Vec<String> = sqlx::query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
                .fetch_all(&db)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>(0))
                .collect();
            for t in tables {
                // Table names come from the catalog, not from input.
                let sql = sqlx::AssertSqlSafe(format!("SELECT row_to_json(t)::text FROM \"{t}\" t"));
                for r in sqlx::query(sql).fetch_all(&db).await.unwrap() {
                    all.push_str(&r.get::<String, _>(0));
                    all.push('\n');
                }
            }
            db.close().await;
        }
        None => {
            for entry in std::fs::read_dir(h.dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("crier.db")) {
                    all.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
                }
            }
        }
    }
    assert!(!all.is_empty());
    all
}

/// The value of the hidden or radio input named `name` (the first one).
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!(r#"name="{name}""#);
    let at = html.find(&marker)?;
    let tail = &html[at..];
    let v = tail.find(r#"value=""#)? + r#"value=""#.len();
    Some(tail[v..].split('"').next()?.to_string())
}

/// Every choice the account picker offers: `(value, label text)`.
pub fn picker_choices(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in html.split(r#"<input type="radio" name="target""#).skip(1) {
        let v = part.find(r#"value=""#).map(|i| i + 7).unwrap();
        let value = part[v..].split('"').next().unwrap().to_string();
        let label = part.split("</label>").next().unwrap().split(r#"<small class="target-id">"#).next().unwrap();
        let label = label.rsplit('>').next().unwrap().trim().to_string();
        out.push((value, label));
    }
    out
}

/// After a consent was granted: follows the callback, picks `pick` (or the first account) when
/// the network lists several, and returns the page's HTML after the link.
pub async fn finish_consent(h: &Harness, page: &mut PageClient, page_url: &str, callback: &str, pick: Option<&str>) -> String {
    let back = page.get(callback).await;
    let back = if back.status == 200 && back.html.contains(r#"id="choose-form""#) {
        let choices = picker_choices(&back.html);
        assert!(!choices.is_empty(), "{}", back.html);
        let target = pick.map(str::to_string).unwrap_or_else(|| choices[0].0.clone());
        assert!(choices.iter().any(|(v, _)| *v == target), "{target} not among {choices:?}");
        let (csrf, choice) = (csrf(&back.html), input_value(&back.html, "choice").unwrap());
        page.submit(page_url, &format!("{}/choose", path_of(page_url)), &[("csrf", &csrf), ("choice", &choice), ("target", &target)]).await
    } else {
        back
    };
    assert_eq!(back.status, 303, "{}", back.html);
    page.get(&format!("{}{}", h.base, back.location.unwrap())).await.html
}
