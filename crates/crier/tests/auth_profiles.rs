//! API keys, profiles, and the wall between accounts.

mod common;
use common::*;
use crier_core::Platform;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn missing_or_wrong_key_is_102() {
    let h = Harness::start().await;
    let r = h.http.post(format!("{}/api/post", h.base)).json(&json!({"post": "x", "platforms": ["telegram"]})).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], 102);
    assert_eq!(body["status"], "error");
    assert!(body.get("errors").is_none(), "flat error: {body}");
    let r = h.http.get(format!("{}/api/history", h.base)).bearer_auth("AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD")
        .header("Accept-Language", "de").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], 102);
    assert!(body["message"].as_str().unwrap().contains("API-Schlüssel"), "{body}");
}

#[tokio::test]
async fn a_foreign_profile_key_sees_nothing() {
    let h = Harness::start().await;
    // A second account with its own profile and post.
    let store = h.running.store();
    let other = store.create_account().await.unwrap();
    let other_key = store.create_api_key(&other, None).await.unwrap();
    let (other_profile, other_profile_key) = store.create_profile(&other, "theirs").await.unwrap();
    store.link_network(&other_profile.id, Platform::Telegram, &telegram_creds(), None).await.unwrap();
    let theirs = h.http.post(format!("{}/api/post", h.base)).bearer_auth(&other_key).header("Profile-Key", &other_profile_key)
        .json(&json!({"post": text("private"), "platforms": ["telegram"]})).send().await.unwrap();
    let theirs: Value = theirs.json().await.unwrap();
    let their_post = theirs["id"].as_str().unwrap().to_string();

    // Our key with their profile key: refused, and the answer names nothing of theirs.
    for (method, path) in [(Method::GET, "/api/history".to_string()), (Method::GET, format!("/api/post/{their_post}"))] {
        let r = h.call(method, &path, None, &[("Profile-Key", &other_profile_key)]).await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(r.body["code"], 904);
        assert!(!r.body.to_string().contains(&their_post) && !r.body.to_string().contains("theirs"));
    }
    // Their post id with our own key: not found.
    let r = h.get(&format!("/api/post/{their_post}")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["code"], 186);
    let r = h.call(Method::DELETE, "/api/post", Some(json!({"id": their_post})), &[]).await;
    assert_eq!(r.body["code"], 186);
    let r = h.call(Method::DELETE, "/api/profiles", Some(json!({"profileKey": other_profile_key})), &[]).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["code"], 914);
}

#[tokio::test]
async fn profiles_create_list_delete_with_aliases() {
    let h = Harness::start().await;
    let a = h.call(Method::POST, "/api/profiles", Some(json!({"title": "Shop A"})), &[]).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["status"], "success");
    let key_a = a.body["profileKey"].as_str().unwrap().to_string();
    let b = h.call(Method::POST, "/api/profiles/create-profile", Some(json!({"title": "Shop B"})), &[]).await;
    let key_b = b.body["profileKey"].as_str().unwrap().to_string();
    let c = h.call(Method::POST, "/api/profiles/profile", Some(json!({"title": "Shop C"})), &[]).await;
    assert_eq!(c.status, 200);
    let dup = h.call(Method::POST, "/api/profiles", Some(json!({"title": "Shop A"})), &[]).await;
    assert_eq!(dup.body["code"], 913);
    let missing = h.call(Method::POST, "/api/profiles", Some(json!({})), &[]).await;
    assert_eq!(missing.body["code"], 901);

    let list = h.get("/api/profiles").await;
    let titles: Vec<&str> = list.body["profiles"].as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec!["Shop A", "Shop B", "Shop C"]);
    assert!(!list.body.to_string().contains(&key_a), "profile keys are never listed");

    let d = h.call(Method::DELETE, "/api/profiles", Some(json!({"profileKey": key_a})), &[]).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.body["refId"], a.body["refId"]);
    let d = h.call(Method::DELETE, "/api/profiles/delete-profile", None, &[("Profile-Key", &key_b)]).await;
    assert_eq!(d.status, 200, "{}", d.body);
    // A deleted profile's key no longer works.
    let r = h.call(Method::GET, "/api/history", None, &[("Profile-Key", &key_a)]).await;
    assert_eq!(r.body["code"], 904);
    let list = h.get("/api/profiles").await;
    assert_eq!(list.body["profiles"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unknown_routes_answer_with_a_catalog_error() {
    let h = Harness::start().await;
    let r = h.get("/api/nope").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["code"], 912);
    // A known path with a method it does not take: 405, still JSON with a catalog code.
    let r = h.call(Method::GET, "/api/delete", None, &[]).await;
    assert_eq!((r.status, r.body["code"].as_i64()), (405, Some(924)), "{}", r.body);
    let r = h.http.get(format!("{}/elsewhere", h.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], 912);
}
