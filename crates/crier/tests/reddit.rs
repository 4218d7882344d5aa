//! Reddit end to end: crier's API → the Reddit connector → the sandbox's Reddit API
//! (`/api/submit`, `/api/del`, `/api/info`, `/user/{name}/submitted`). Every row of the
//! connector's error table (crier-networks/src/reddit/errors.rs) is produced by putting the
//! emulator into the upstream condition. crier has no daily cap for Reddit, so there is no 923 test.
//! Link and image posts carry no self text: their ledger entries are found by title.

mod common;
use common::*;
use crier_core::Platform;
use crier_sandbox::{LedgerEntry, seed};
use serde_json::{Value, json};

async fn harness() -> Harness {
    Harness::start().await.with(&[Platform::Reddit]).await
}

/// `redditOptions` for the sandbox's one subreddit.
fn options(title: &str) -> Value {
    json!({"title": title, "subreddit": seed::REDDIT_SUBREDDIT})
}

/// A self post: `post` is the body, the title is unique to the test.
fn self_post(title: &str, body: &str) -> Value {
    json!({"post": body, "platforms": ["reddit"], "redditOptions": options(title)})
}

/// Submissions in the sandbox's ledger with this title (deleted ones too).
fn submissions(h: &Harness, title: &str) -> Vec<LedgerEntry> {
    h.sandbox.state.ledger().into_iter().filter(|e| e.network == "reddit" && e.title.as_deref() == Some(title)).collect()
}

/// Reddit's own view of a post (`GET /api/info?id=<fullname>`, asked directly of the emulator).
async fn reddit_info(h: &Harness, fullname: &str) -> Value {
    let listing: Value = h
        .http
        .get(format!("{}/reddit/api/info", h.sandbox.url))
        .query(&[("id", fullname)])
        .header("authorization", format!("bearer {}", seed::REDDIT_ACCESS_TOKEN))
        .header("user-agent", "crier-tests/1.0 (by /u/crier_sandbox)")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    listing.pointer("/data/children/0/data").cloned().unwrap_or_else(|| panic!("no post {fullname}: {listing}"))
}

/// Asserts one Reddit error: catalog code, HTTP status, retryability; returns its details.
#[track_caller]
fn assert_error(r: &Reply, code: i64, status: u16, retryable: bool) -> String {
    assert_network_error(r, "reddit", code, status, retryable)
}

/// Asserts a published submission: the postIds entry names the ledger's fullname and its
/// permalink. Returns the fullname.
fn assert_published(r: &Reply, ledger: &[LedgerEntry]) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(ledger.len(), 1, "exactly one submission: {ledger:?}");
    let entry = r.body["postIds"].as_array().unwrap().iter().find(|p| p["platform"] == "reddit").unwrap().clone();
    let fullname = ledger[0].native_id.clone();
    assert!(fullname.starts_with("t3_"), "{fullname}");
    assert_eq!((entry["status"].as_str(), entry["id"].as_str()), (Some("success"), Some(fullname.as_str())), "{entry}");
    let url = entry["postUrl"].as_str().unwrap_or_else(|| panic!("no postUrl: {entry}"));
    let prefix = format!("https://www.reddit.com/r/{}/comments/{}/", seed::REDDIT_SUBREDDIT, &fullname[3..]);
    assert!(url.starts_with(&prefix), "{url}");
    assert_eq!(ledger[0].account, seed::REDDIT_SUBREDDIT);
    fullname
}

#[tokio::test]
async fn self_post_carries_text_title_and_flair() {
    let h = harness().await;
    let title = text("self post");
    let body = text("self text");
    let r = h
        .post(json!({"post": body, "platforms": ["reddit"],
            "redditOptions": {"title": title, "subreddit": format!("/r/{}/", seed::REDDIT_SUBREDDIT), "flairId": "flair-1", "flairText": "News"}}))
        .await;
    let ledger = submissions(&h, &title);
    let id = assert_published(&r, &ledger);
    assert_eq!((ledger[0].text.as_str(), ledger[0].media.len()), (body.as_str(), 0));
    let post = reddit_info(&h, &id).await;
    assert_eq!((post["is_self"].as_bool(), post["selftext"].as_str()), (Some(true), Some(body.as_str())), "{post}");
    assert_eq!((post["link_flair_template_id"].as_str(), post["link_flair_text"].as_str()), (Some("flair-1"), Some("News")), "{post}");
}

#[tokio::test]
async fn link_post_submits_the_link_and_not_the_text() {
    let h = harness().await;
    let title = text("link post");
    let link = format!("https://example.com/{}", crier_store::random_token(8));
    let mut opts = options(&title);
    opts["link"] = json!(link);
    let r = h.post(json!({"post": text("not sent"), "platforms": ["reddit"], "redditOptions": opts})).await;
    let ledger = submissions(&h, &title);
    let id = assert_published(&r, &ledger);
    assert_eq!((ledger[0].text.as_str(), ledger[0].media.clone()), ("", vec![link.clone()]));
    let post = reddit_info(&h, &id).await;
    assert_eq!((post["is_self"].as_bool(), post["url"].as_str(), post["domain"].as_str()), (Some(false), Some(link.as_str()), Some("example.com")));
}

#[tokio::test]
async fn image_and_video_urls_are_posted_as_links() {
    let h = harness().await;
    for file in ["cat.jpg", "clip.mp4"] {
        let title = text(file);
        let media = h.media(file);
        let r = h.post(json!({"post": text("caption"), "platforms": ["reddit"], "mediaUrls": [media], "redditOptions": options(&title)})).await;
        let ledger = submissions(&h, &title);
        let id = assert_published(&r, &ledger);
        assert_eq!((ledger[0].text.as_str(), ledger[0].media.clone()), ("", vec![media.clone()]), "{file}");
        let post = reddit_info(&h, &id).await;
        assert_eq!((post["is_self"].as_bool(), post["url"].as_str()), (Some(false), Some(media.as_str())), "{file}");
    }
}

#[tokio::test]
async fn title_and_subreddit_are_required_before_reddit() {
    let h = harness().await;
    let t = text("no options");
    let r = h.post(json!({"post": t, "platforms": ["reddit"]})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().filter_map(|e| e["details"].as_str()).collect();
    assert!(fields.contains(&"redditOptions.title") && fields.contains(&"redditOptions.subreddit"), "{}", r.body);
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn unknown_subreddit_is_915_with_reddits_text() {
    let h = harness().await;
    let title = text("nowhere");
    let r = h.post(json!({"post": text("body"), "platforms": ["reddit"], "redditOptions": {"title": title, "subreddit": "no_such_subreddit"}})).await;
    let details = assert_error(&r, 915, 400, false);
    assert!(details.contains("SUBREDDIT_NOEXIST") && details.contains("that subreddit doesn't exist"), "{details}");
    assert!(submissions(&h, &title).is_empty());
}

#[tokio::test]
async fn subreddit_rules_are_915_with_reddits_text() {
    let h = harness().await;
    h.control("reddit/config", json!({"flairRequired": true})).await;
    let title = text("no flair");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert!(assert_error(&r, 915, 400, false).contains("Your post must contain post flair."));
    assert!(submissions(&h, &title).is_empty());
    let mut opts = options(&title);
    opts["flairText"] = json!("News");
    let r = h.post(json!({"post": text("body"), "platforms": ["reddit"], "redditOptions": opts})).await;
    assert_published(&r, &submissions(&h, &title));

    h.control("reddit/config", json!({"flairRequired": false, "linkType": "link"})).await;
    let title = text("links only");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert!(assert_error(&r, 915, 400, false).contains("NO_SELFS"));
    assert!(submissions(&h, &title).is_empty());
}

#[tokio::test]
async fn link_already_submitted_is_137() {
    let h = harness().await;
    let link = format!("https://example.com/{}", crier_store::random_token(8));
    let post = |title: &str| {
        let mut opts = options(title);
        opts["link"] = json!(link);
        json!({"post": text("link"), "platforms": ["reddit"], "redditOptions": opts})
    };
    let first = text("first link");
    let r = h.post(post(&first)).await;
    assert_published(&r, &submissions(&h, &first));
    let second = text("same link again");
    let r = h.post(post(&second)).await;
    let details = assert_error(&r, 137, 400, false);
    assert!(details.contains("ALREADY_SUB") && details.contains("that link has already been submitted"), "{details}");
    assert!(submissions(&h, &second).is_empty());
    // Reddit refuses only repeated links: the same self text twice is two posts.
    let body = text("same body");
    for title in [text("self a"), text("self b")] {
        let r = h.post(self_post(&title, &body)).await;
        assert_published(&r, &submissions(&h, &title));
    }
    assert_eq!(h.published(&body).len(), 2);
}

#[tokio::test]
async fn expired_or_revoked_token_is_908() {
    let h = harness().await;
    for state in ["expired", "revoked"] {
        let title = text(state);
        let body = self_post(&title, &text("body"));
        let details = token_in_state_is_908(&h, "reddit", state, body, || submissions(&h, &title).len()).await;
        assert!(details.contains("401"), "{details}");
    }
}

#[tokio::test]
async fn suspended_account_is_915() {
    let h = harness().await;
    h.control("reddit/account", json!({"suspended": true})).await;
    let title = text("suspended");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert!(assert_error(&r, 915, 400, false).contains("HTTP 403: Forbidden"));
    assert!(submissions(&h, &title).is_empty());
}

#[tokio::test]
async fn posting_throttle_that_clears_within_the_deadline_publishes_exactly_once() {
    let h = harness().await;
    // The next submit answers RATELIMIT "try again in 1 second."; the emulator creates nothing
    // while the throttle lasts, so one submission proves crier waited and sent again.
    h.control("reddit/ratelimit", json!({"seconds": 1, "submits": 1})).await;
    let title = text("after the throttle");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert_published(&r, &submissions(&h, &title));
}

#[tokio::test]
async fn posting_throttle_beyond_the_deadline_is_909_with_the_wait() {
    let h = harness().await;
    h.control("reddit/ratelimit", json!({"seconds": 540, "submits": 1})).await;
    let title = text("throttled");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert_eq!(assert_error(&r, 909, 429, false), "540", "\"try again in 9 minutes\" in seconds");
    assert!(submissions(&h, &title).is_empty());
}

#[tokio::test]
async fn api_window_used_up_is_909_from_x_ratelimit_reset() {
    let h = harness().await;
    // A 429 whose X-Ratelimit-Reset says 1 second: waited out, sent once.
    h.fault(json!({"network": "reddit", "endpoint": "submit", "status": 429,
        "headers": {"x-ratelimit-used": "1000", "x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "1"}}));
    let title = text("after the window");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert_published(&r, &submissions(&h, &title));
    // The emulator's own window: none left for the next 600 seconds.
    h.control("reddit/config", json!({"requestsPerWindow": 0, "windowSeconds": 600})).await;
    let title = text("window used up");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert_eq!(assert_error(&r, 909, 429, false), "600", "X-Ratelimit-Reset seconds in details");
    assert!(submissions(&h, &title).is_empty());
}

#[tokio::test]
async fn server_errors_are_retried_then_910_retryable() {
    let h = harness().await;
    h.fault(json!({"network": "reddit", "endpoint": "submit", "status": 503}));
    let title = text("one 503");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert_published(&r, &submissions(&h, &title));

    let title = text("always 500");
    let body = self_post(&title, &text("body"));
    let down = lasting_server_error_is_910_then_a_retry_publishes_once(&h, ("reddit", "submit", 500), body, || submissions(&h, &title).len()).await;
    assert!(down.details.contains("Internal Server Error"), "{}", down.details);
}

#[tokio::test]
async fn lost_answer_is_found_in_the_users_submissions_not_resent() {
    let h = harness().await;
    h.fault(json!({"network": "reddit", "endpoint": "submit", "reset": "after"}));
    let title = text("lost answer");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert_published(&r, &submissions(&h, &title));
}

#[tokio::test]
async fn reset_before_the_submit_is_sent_once() {
    let h = harness().await;
    h.fault(json!({"network": "reddit", "endpoint": "submit", "reset": "before"}));
    let title = text("reset before");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert_published(&r, &submissions(&h, &title));
}

#[tokio::test]
async fn lost_answer_with_unreadable_submissions_is_905_and_never_resent() {
    let h = harness().await;
    let title = text("unknown outcome");
    let lost = ("submit", "user.submitted", 500);
    let body = self_post(&title, &text("body"));
    unverifiable_lost_answer_is_905_and_never_resent(&h, "reddit", lost, body, || submissions(&h, &title).len()).await;
}

#[tokio::test]
async fn five_networks_reddit_fails_and_retry_resends_only_reddit() {
    let h = harness().await.with_meta().await;
    let fault = json!({"network": "reddit", "endpoint": "submit", "status": 500, "times": 0});
    let scenario = PartialFailure { extra: json!({"redditOptions": options(&text("five"))}), ..PartialFailure::five_networks("reddit", fault) };
    one_network_fails_then_retry_resends_only_it(&h, scenario).await;
}

#[tokio::test]
async fn delete_removes_the_post_at_reddit() {
    let h = harness().await;
    let title = text("delete me");
    let r = h.post(self_post(&title, &text("body"))).await;
    let id = assert_published(&r, &submissions(&h, &title));
    let d = h.delete(&r).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.body["reddit"]["status"], "success", "{}", d.body);
    assert!(submissions(&h, &title)[0].deleted);
    let post = reddit_info(&h, &id).await;
    assert_eq!((post["removed_by_category"].as_str(), post["author"].as_str()), (Some("deleted"), Some("[deleted]")), "{post}");
}

#[tokio::test]
async fn history_and_analytics_of_a_published_post() {
    let h = harness().await;
    let title = text("measured");
    let r = h.post(self_post(&title, &text("body"))).await;
    let id = assert_published(&r, &submissions(&h, &title));
    h.control(&format!("reddit/posts/{id}/stats"), json!({"score": 42, "numComments": 3})).await;

    let history = h.get("/api/history/reddit").await;
    assert_eq!((history.status, history.body["platform"].as_str()), (200, Some("reddit")), "{}", history.body);
    let posts = history.body["posts"].as_array().unwrap();
    let post = posts.iter().find(|p| p["id"] == id.as_str()).unwrap_or_else(|| panic!("{}", history.body));
    assert_eq!((post["post"].as_str(), post["subreddit"].as_str()), (Some(title.as_str()), Some(seed::REDDIT_SUBREDDIT)), "{post}");
    assert_eq!(post["postUrl"], r.body["postIds"][0]["postUrl"]);
    assert_eq!((post["analytics"]["score"].as_i64(), post["analytics"]["numComments"].as_i64()), (Some(42), Some(3)), "{post}");
    // Pages follow Reddit's `after` cursor, newest first.
    let newer_title = text("newer");
    let second = h.post(self_post(&newer_title, &text("body"))).await;
    let newer = assert_published(&second, &submissions(&h, &newer_title));
    let page = h.get("/api/history/reddit?limit=1").await;
    assert_eq!(page.body["posts"][0]["id"], newer.as_str(), "{}", page.body);
    let next = page.body["meta"]["pagination"]["next"].as_str().unwrap_or_else(|| panic!("{}", page.body)).to_string();
    let older = h.get(&format!("/api/history/reddit?limit=1&next={next}")).await;
    assert_eq!(older.body["posts"][0]["id"], id.as_str(), "{}", older.body);

    let a = h.post_analytics(&r).await;
    assert_eq!((a.status, a.body["status"].as_str()), (200, Some("success")), "{}", a.body);
    assert_eq!(a.body["reddit"]["id"], id.as_str());
    let m = &a.body["reddit"]["analytics"];
    assert_eq!((m["score"].as_i64(), m["numComments"].as_i64(), m["title"].as_str()), (Some(42), Some(3), Some(title.as_str())), "{m}");

    // A revoked token shows in both reads as 908.
    h.control("reddit/token", json!({"state": "revoked"})).await;
    let history = h.get("/api/history/reddit").await;
    assert_eq!((history.status, history.body["code"].as_i64()), (400, Some(908)), "{}", history.body);
    let a = h.post_analytics(&r).await;
    assert_eq!((a.body["status"].as_str(), a.body["reddit"]["code"].as_i64()), (Some("error"), Some(908)), "{}", a.body);
}

#[tokio::test]
async fn refusals_crier_checks_first_still_map_from_reddits_words() {
    // crier refuses a title over 300 and a body over 40,000 before Reddit, and fetches media
    // itself, so these rows can only come from Reddit's own answer (a 200 with `json.errors`).
    let h = harness().await;
    let refuse = |code: &str, message: &str, field: &str| json!({"network": "reddit", "endpoint": "submit", "status": 200, "body": {"json": {"errors": [[code, message, field]], "data": {}}}});
    h.fault(refuse("TOO_LONG", "this is too long (max: 300)", "title"));
    let title = text("too long for reddit");
    let r = h.post(self_post(&title, &text("body"))).await;
    assert!(assert_error(&r, 132, 400, false).contains("this is too long (max: 300)"));

    h.fault(refuse("BAD_URL", "you should check that url", "url"));
    let r = h.post(json!({"post": text("x"), "platforms": ["reddit"], "mediaUrls": [h.media("cat.jpg")], "redditOptions": options(&title)})).await;
    assert!(assert_error(&r, 136, 400, false).contains("you should check that url"));

    h.fault(refuse("USER_REQUIRED", "Please log in to do that.", ""));
    let r = h.post(self_post(&title, &text("body"))).await;
    assert!(assert_error(&r, 908, 400, false).contains("Please log in to do that."));
    assert!(submissions(&h, &title).is_empty());
}
