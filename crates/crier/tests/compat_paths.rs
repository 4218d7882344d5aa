//! The server side of SDK compatibility: alias paths, updates, "not supported yet", charset.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn update_a_scheduled_post_but_not_a_published_one() {
    let h = Harness::start().await;
    let at = chrono::Utc::now() + chrono::Duration::hours(2);
    let r = h.post(json!({"post": text("later"), "platforms": ["telegram"], "scheduleDate": at.to_rfc3339()})).await;
    let id = r.body["id"].as_str().unwrap().to_string();
    let later = at + chrono::Duration::hours(1);
    for method in [Method::PUT, Method::PATCH] {
        let u = h.call(method, "/api/post", Some(json!({"id": id, "scheduleDate": later.to_rfc3339(), "notes": "moved", "source": "pypi"})), &[]).await;
        assert_eq!(u.status, 200, "{}", u.body);
        assert_eq!(u.body["notes"], "moved");
    }
    let g = h.get(&format!("/api/post/{id}")).await;
    assert_eq!(g.body["scheduleDate"].as_str().unwrap()[..16], later.to_rfc3339()[..16]);
    assert_eq!(g.body["notes"], "moved");

    let published = h.post(json!({"post": text("now"), "platforms": ["telegram"]})).await;
    let u = h.call(Method::PUT, "/api/post", Some(json!({"id": published.body["id"], "notes": "too late"})), &[]).await;
    assert_eq!((u.status, u.body["code"].as_i64()), (400, Some(921)), "{}", u.body);
    let missing = h.call(Method::PUT, "/api/post", Some(json!({"id": "nope"})), &[]).await;
    assert_eq!(missing.body["code"], 186);
}

#[tokio::test]
async fn rename_a_profile_through_both_paths() {
    let h = Harness::start().await;
    let c = h.call(Method::POST, "/api/profiles/profile", Some(json!({"title": "Old"})), &[]).await;
    let key = c.body["profileKey"].as_str().unwrap().to_string();
    let r = h.call(Method::PUT, "/api/profiles/profile", Some(json!({"profileKey": key, "title": "New"})), &[]).await;
    assert_eq!((r.status, r.body["title"].as_str()), (200, Some("New")), "{}", r.body);
    let r = h.call(Method::PATCH, "/api/profiles", Some(json!({"title": "Newer"})), &[("Profile-Key", &key)]).await;
    assert_eq!(r.body["title"], "Newer", "{}", r.body);
    let list = h.get("/api/profiles").await;
    assert_eq!(list.body["profiles"][0]["title"], "Newer");
}

#[tokio::test]
async fn ayrshare_endpoints_crier_lacks_answer_920_in_json() {
    let h = Harness::start().await;
    for (method, path) in [
        (Method::GET, "/api/media/uploadUrl?fileName=a.png"),
        (Method::POST, "/api/comments"),
        (Method::GET, "/api/comments/abc?id=abc"),
        (Method::GET, "/api/feed"),
        (Method::POST, "/api/generate/post"),
        (Method::GET, "/api/reviews"),
        (Method::POST, "/api/hashtags/auto"),
    ] {
        let r = h.call(method.clone(), path, Some(json!({"source": "npm"})), &[]).await;
        assert_eq!((r.status, r.body["code"].as_i64()), (404, Some(920)), "{method} {path}: {}", r.body);
    }
}

#[tokio::test]
async fn answers_say_json_utf8_and_sdk_query_shapes_work() {
    let h = Harness::start().await;
    let resp = h.http.get(format!("{}/api/history?source=pypi&platform=telegram&lastDays=0", h.base)).bearer_auth(&h.key).send().await.unwrap();
    assert_eq!(resp.headers()["content-type"], "application/json; charset=utf-8");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "success");
    let b = h.post(json!({"post": text("on bluesky"), "platforms": ["bluesky"]})).await;
    let only: Value = h.get("/api/history?platform=bluesky&source=pypi").await.body;
    let ids: Vec<&Value> = only["history"].as_array().unwrap().iter().map(|p| &p["id"]).collect();
    assert_eq!(ids, vec![&b.body["id"]], "the Python SDK's ?platform= filters");
    let legacy = h.post(json!({"post": "x", "platforms": ["telegram"], "profileKeys": ["abc"]})).await;
    assert_eq!(legacy.body["errors"][0]["code"], 900, "profileKeys is refused, never posted to the primary profile");
    let p = h.post(json!({"post": text("ids in query"), "platforms": ["telegram"], "source": "pypi"})).await;
    let id = p.body["id"].as_str().unwrap();
    // Python repeats the id in the query; the path wins.
    let g = h.get(&format!("/api/post/{id}?id={id}&source=pypi")).await;
    assert_eq!(g.body["id"], id);
    let l = h.call(Method::POST, "/api/links", Some(json!({"url": "https://example.com/", "source": "pypi"})), &[]).await;
    let all = h.get("/api/links?source=pypi").await;
    assert_eq!(all.body["links"][0]["id"], l.body["id"]);
}
