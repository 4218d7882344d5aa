//! `crier serve --sandbox`: the README's first command, driven as a script would drive it.

mod common;
use common::SandboxBinary;
use serde_json::{Value, json};

/// `serve --sandbox` with these variables; its banner names every network the sandbox emulates.
async fn boot(env: &[(&str, &str)]) -> SandboxBinary {
    let b = SandboxBinary::boot(|cmd, _| {
        cmd.envs(env.iter().copied());
    })
    .await;
    for p in crier_core::Platform::ALL {
        assert!(b.sandbox_line.contains(p.as_str()), "{p} missing from {:?}", b.sandbox_line);
    }
    b
}

#[tokio::test]
async fn serve_sandbox_prints_url_and_key_and_posts_travel() {
    let b = boot(&[]).await;
    let (dir, url, sandbox, key) = (&b.dir, &b.url, &b.sandbox, &b.key);
    let stored = std::fs::read_to_string(dir.path().join("sandbox-api-key")).unwrap();
    assert_eq!(stored.trim(), key.as_str());

    let http = reqwest::Client::new();
    let post = |body: Value| http.post(format!("{url}/api/post")).bearer_auth(key).json(&body).send();
    let ok = post(json!({"post": "Hello from the README", "platforms": ["telegram", "bluesky"]})).await.unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    let ok: Value = ok.json().await.unwrap();
    assert_eq!(ok["status"], "success", "{ok}");

    // The documented control API makes Bluesky fail once.
    let f = http.post(format!("{sandbox}/_sandbox/faults"))
        .json(&json!({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "status": 400,
            "body": {"error": "InvalidRequest", "message": "Record rejected by the sandbox"}}))
        .send().await.unwrap();
    assert!(f.status().is_success());
    let partial = post(json!({"post": "Half of it", "platforms": ["telegram", "bluesky"]})).await.unwrap();
    assert_eq!(partial.status().as_u16(), 400);
    let partial: Value = partial.json().await.unwrap();
    assert_eq!(partial["errors"][0]["platform"], "bluesky");

    let ledger: Value = http.get(format!("{sandbox}/_sandbox/ledger")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 3, "{ledger}");
}

#[tokio::test]
async fn platforms_all_publishes_to_all_thirteen_networks_in_one_request() {
    // The sandbox's networks answer at once; crier's own polling need not wait seconds.
    let b = boot(&[("CRIER_NETWORKS__CONTAINER_POLL_MS", "100")]).await;
    let (url, sandbox, key) = (&b.url, &b.sandbox, &b.key);

    let http = reqwest::Client::new();
    let clip = format!("{sandbox}/media-host/launch/clip.mp4");
    let body = json!({
        "post": "One video, thirteen networks",
        "platforms": ["all"],
        "mediaUrls": [clip],
        "youTubeOptions": {"title": "Launch"},
        "redditOptions": {"title": "Launch", "subreddit": crier_sandbox::seed::REDDIT_SUBREDDIT},
        "pinterestOptions": {"thumbNail": format!("{sandbox}/media-host/launch/cover.jpg")},
    });
    let r = http
        .post(format!("{url}/api/post"))
        .bearer_auth(key)
        .header("X-Twitter-OAuth1-Api-Key", crier_sandbox::seed::X_CONSUMER_KEY)
        .header("X-Twitter-OAuth1-Api-Secret", crier_sandbox::seed::X_CONSUMER_SECRET)
        .json(&body)
        .send()
        .await
        .unwrap();
    let first: Value = r.json().await.unwrap();
    assert!(first["errors"].as_array().unwrap().is_empty(), "{first}");
    let id = first["id"].as_str().unwrap();
    // Networks that publish asynchronously (TikTok) may answer "pending" first; wait for the rest.
    let settled: Value =
        http.get(format!("{url}/api/post/{id}?waitSeconds=60")).bearer_auth(key).send().await.unwrap().json().await.unwrap();
    assert_eq!(settled["status"], "success", "{settled}");
    let mut platforms: Vec<&str> = settled["postIds"].as_array().unwrap().iter().map(|p| p["platform"].as_str().unwrap()).collect();
    platforms.sort();
    let all: Vec<&str> = crier_core::Platform::ALL.iter().map(|p| p.as_str()).collect();
    assert_eq!(platforms, all);
    let ledger: Value = http.get(format!("{sandbox}/_sandbox/ledger")).send().await.unwrap().json().await.unwrap();
    let mut networks: Vec<&str> = ledger["entries"].as_array().unwrap().iter().map(|e| e["network"].as_str().unwrap()).collect();
    networks.sort();
    // The sandbox names X "twitter" like crier does: one entry per network, none twice.
    assert_eq!(networks, all, "{ledger}");
}
