//! Lookups after a lost publish answer (issue 13): each connector's `reconcile` against the real
//! emulator, served in-process on loopback. A lookup pages the account's posts back to the
//! attempt's start, never just "the newest N": a post behind newer ones is found; absence is
//! proven only once the list reaches back past the start or ends; a failed read, or a page cap
//! reached first, proves nothing (`Unknown`). The lookups here read 10 posts a page (`with_lookup`)
//! so a few dozen posts span several pages.

use async_trait::async_trait;
use crier_core::ErrorReport;
use crier_networks::gmb::Gmb;
use crier_networks::linkedin::Linkedin;
use crier_networks::meta::facebook::Facebook;
use crier_networks::pinterest::Pinterest;
use crier_networks::reddit::Reddit;
use crier_networks::twitter::Twitter;
use crier_networks::{Call, Content, Endpoints, Failure, FetchedMedia, MediaSource, Network, Reconciled, Settings};
use crier_sandbox::{Fault, SandboxHandle, seed, start};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const OURS: &str = "Lookup target: launch notes";

/// These posts are text, or images the network pulls itself: nothing is fetched through crier.
struct NoMedia;

#[async_trait]
impl MediaSource for NoMedia {
    async fn fetch(&self, url: &str, _max_bytes: usize) -> Result<FetchedMedia, ErrorReport> {
        panic!("a lookup test fetched {url}");
    }
}

/// One connector, set up against the sandbox.
struct Case {
    net: Box<dyn Network>,
    /// The network as faults and the ledger name it.
    network: &'static str,
    /// Fault endpoints of the publish call and of the list the lookup reads.
    create: &'static str,
    list: &'static str,
    credentials: Value,
    content: Box<dyn Fn(&str) -> Content + Send + Sync>,
    /// The step's start time, and its unit in milliseconds.
    time_key: &'static str,
    time_unit_ms: i64,
    /// How much earlier than the start a post may be dated and still be taken for ours.
    skew_ms: i64,
}

type Setup = fn(&SandboxHandle, (usize, usize)) -> Case;

fn text(t: &str) -> Content {
    Content { text: t.into(), ..Content::default() }
}

fn settings(sb: &SandboxHandle) -> Settings {
    Settings { endpoints: Endpoints::sandbox(&sb.url), ..Settings::default() }
}

fn media() -> Arc<dyn MediaSource> {
    Arc::new(NoMedia)
}

fn linkedin(sb: &SandboxHandle, (per_page, pages): (usize, usize)) -> Case {
    Case {
        net: Box::new(Linkedin::new(&settings(sb).endpoints.linkedin, media(), &settings(sb)).with_lookup(per_page, pages)),
        network: "linkedin",
        create: "posts.create",
        list: "posts.list",
        credentials: json!({"accessToken": seed::LINKEDIN_ACCESS_TOKEN, "author": seed::LINKEDIN_PERSON_URN}),
        content: Box::new(text),
        time_key: "createdAt",
        time_unit_ms: 1,
        skew_ms: 120_000,
    }
}

fn facebook(sb: &SandboxHandle, (per_page, pages): (usize, usize)) -> Case {
    Case {
        net: Box::new(Facebook::new(&settings(sb).endpoints.facebook).with_lookup(per_page, pages)),
        network: "facebook",
        // Graph's edge: both the publish and the read go to `/{page}/feed`.
        create: "feed",
        list: "feed",
        credentials: json!({"accessToken": seed::FACEBOOK_PAGE_TOKEN, "pageId": seed::FACEBOOK_PAGE_ID}),
        content: Box::new(text),
        time_key: "createdAt",
        time_unit_ms: 1,
        skew_ms: 1_000,
    }
}

fn pinterest(sb: &SandboxHandle, (per_page, pages): (usize, usize)) -> Case {
    let image = format!("{}/media-host/lookup.jpg", sb.url);
    Case {
        net: Box::new(Pinterest::new(&settings(sb).endpoints.pinterest, media(), &settings(sb)).with_lookup(per_page, pages)),
        network: "pinterest",
        create: "pins.create",
        list: "boards.pins",
        credentials: json!({"accessToken": seed::PINTEREST_ACCESS_TOKEN, "boardId": seed::PINTEREST_BOARD_ID}),
        content: Box::new(move |t| Content { text: t.into(), media_urls: vec![image.clone()], ..Content::default() }),
        time_key: "createdAt",
        time_unit_ms: 1,
        skew_ms: 120_000,
    }
}

fn reddit(sb: &SandboxHandle, (per_page, pages): (usize, usize)) -> Case {
    Case {
        net: Box::new(Reddit::new(&settings(sb).endpoints.reddit).with_lookup(per_page, pages)),
        network: "reddit",
        create: "submit",
        list: "user.submitted",
        credentials: json!({"accessToken": seed::REDDIT_ACCESS_TOKEN, "username": seed::REDDIT_USERNAME}),
        // A Reddit post is matched on subreddit and title.
        content: Box::new(|t| Content {
            text: format!("Body of {t}"),
            options: json!({"title": t, "subreddit": seed::REDDIT_SUBREDDIT}).as_object().cloned().unwrap(),
            ..Content::default()
        }),
        time_key: "preparedAt",
        time_unit_ms: 1_000,
        skew_ms: 300_000,
    }
}

fn x(sb: &SandboxHandle, (per_page, pages): (usize, usize)) -> Case {
    Case {
        net: Box::new(Twitter::new(&settings(sb).endpoints.twitter, media()).with_lookup(per_page, pages)),
        network: "twitter",
        create: "tweets",
        list: "users.tweets",
        credentials: json!({
            "consumerKey": seed::X_CONSUMER_KEY, "consumerSecret": seed::X_CONSUMER_SECRET,
            "accessToken": seed::X_ACCESS_TOKEN, "accessTokenSecret": seed::X_ACCESS_TOKEN_SECRET,
            "username": seed::X_USERNAME,
        }),
        content: Box::new(text),
        time_key: "createdAt",
        time_unit_ms: 1,
        skew_ms: 1_000,
    }
}

struct Run {
    sb: SandboxHandle,
    case: Case,
    http: reqwest::Client,
}

impl Run {
    async fn new(setup: Setup, lookup: (usize, usize)) -> Run {
        let sb = start("127.0.0.1:0".parse().unwrap()).await.expect("sandbox starts");
        let case = setup(&sb, lookup);
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
        Run { sb, case, http }
    }

    fn call(&self) -> Call<'_> {
        Call { http: &self.http, credentials: &self.case.credentials }
    }

    fn ledger_len(&self) -> usize {
        self.sb.state.ledger().iter().filter(|e| e.network == self.case.network).count()
    }

    async fn prepare(&self, t: &str) -> Value {
        let step = self.case.net.prepare(&self.call(), &(self.case.content)(t)).await;
        step.unwrap_or_else(|e| panic!("{}: prepare: {e:?}", self.case.network))
    }

    /// `n` posts published by other means than the attempt (their own requests, answered).
    async fn others(&self, n: usize, batch: &str) {
        for i in 0..n {
            let content = (self.case.content)(&format!("Unrelated update {batch} number {i}"));
            let step = self.case.net.prepare(&self.call(), &content).await.unwrap();
            if let Err(e) = self.case.net.publish(&self.call(), &content, &step).await {
                panic!("{}: other post {batch}/{i}: {e:?}", self.case.network);
            }
        }
    }

    fn fault(&self, endpoint: &str, f: Fault) {
        self.sb.state.add_fault(Fault { network: self.case.network.into(), endpoint: Some(endpoint.into()), ..f });
    }

    /// Publishes ours with the answer lost on its way back (the post landed); returns the attempt's
    /// step and the id the network gave the post.
    async fn lost_answer(&self) -> (Value, String) {
        let step = self.prepare(OURS).await;
        self.fault(self.case.create, Fault { reset: Some("after".into()), ..Fault::default() });
        let r = self.case.net.publish(&self.call(), &(self.case.content)(OURS), &step).await;
        assert!(matches!(r, Err(Failure::Ambiguous { .. })), "{}: the answer is lost: {r:?}", self.case.network);
        let ledger = self.sb.state.ledger();
        let landed = ledger.iter().rev().find(|e| e.network == self.case.network).expect("the post landed");
        (step, landed.native_id.clone())
    }

    /// Publishes ours with the connection dropped before the network processed it: nothing lands.
    async fn dropped_attempt(&self) -> Value {
        let step = self.prepare(OURS).await;
        let before = self.ledger_len();
        self.fault(self.case.create, Fault { reset: Some("before".into()), ..Fault::default() });
        let r = self.case.net.publish(&self.call(), &(self.case.content)(OURS), &step).await;
        assert!(r.is_err(), "{}: {r:?}", self.case.network);
        assert_eq!(self.ledger_len(), before, "{}: nothing landed", self.case.network);
        step
    }

    async fn reconcile(&self, step: &Value) -> Reconciled {
        self.case.net.reconcile(&self.call(), &(self.case.content)(OURS), step).await
    }

    /// The step of an attempt that began well after everything published so far (more than the
    /// skew later), as if those posts were old.
    fn later(&self, mut step: Value) -> Value {
        let shift = (self.case.skew_ms + 5_000) / self.case.time_unit_ms;
        let t = step[self.case.time_key].as_i64().expect("the step has its start time");
        step[self.case.time_key] = json!(t + shift);
        step
    }
}

const PAGES: (usize, usize) = (10, 10);

async fn finds_a_post_older_than_the_newest_page(setup: Setup) {
    let r = Run::new(setup, PAGES).await;
    r.others(2, "before").await;
    let (step, id) = r.lost_answer().await;
    r.others(30, "after").await;
    match r.reconcile(&step).await {
        Reconciled::Published(p) => assert_eq!(p.id, id, "{}", r.case.network),
        other => panic!("{}: ours is 31st newest, 4 pages down: {other:?}", r.case.network),
    }
}

async fn absence_over_a_short_feed_is_not_published(setup: Setup) {
    let r = Run::new(setup, PAGES).await;
    r.others(3, "before").await;
    let step = r.dropped_attempt().await;
    r.others(2, "after").await;
    assert!(matches!(r.reconcile(&step).await, Reconciled::NotPublished), "{}: the whole list read, ours not in it", r.case.network);
}

async fn reading_back_past_the_start_proves_absence(setup: Setup) {
    let r = Run::new(setup, PAGES).await;
    r.others(25, "old").await;
    let step = r.later(r.prepare(OURS).await);
    // A second page would fail: the first one already reaches back before the attempt.
    r.fault(r.case.list, Fault { skip: Some(1), status: Some(500), times: Some(0), ..Fault::default() });
    assert!(matches!(r.reconcile(&step).await, Reconciled::NotPublished), "{}: the newest page is older than the attempt", r.case.network);
}

async fn a_page_cap_short_of_the_start_is_unknown(setup: Setup) {
    let r = Run::new(setup, (10, 3)).await;
    let step = r.prepare(OURS).await;
    r.others(35, "after").await;
    assert!(matches!(r.reconcile(&step).await, Reconciled::Unknown), "{}: 3 pages of 10 do not reach back to the attempt", r.case.network);
}

async fn a_failed_read_is_unknown(setup: Setup) {
    let r = Run::new(setup, PAGES).await;
    let step = r.prepare(OURS).await;
    r.others(30, "after").await;
    let network = r.case.network;
    r.fault(r.case.list, Fault { skip: Some(1), status: Some(500), ..Fault::default() });
    assert!(matches!(r.reconcile(&step).await, Reconciled::Unknown), "{network}: the second page failed");
    r.fault(r.case.list, Fault { reset: Some("before".into()), ..Fault::default() });
    assert!(matches!(r.reconcile(&step).await, Reconciled::Unknown), "{network}: the first read got no answer");
    assert!(matches!(r.reconcile(&step).await, Reconciled::NotPublished), "{network}: the same lookup, answered, proves absence");
}

macro_rules! lookups {
    ($($network:ident),*) => {$(
        mod $network {
            #[tokio::test]
            async fn finds_a_post_older_than_the_newest_page() {
                super::finds_a_post_older_than_the_newest_page(super::$network).await
            }

            #[tokio::test]
            async fn absence_over_a_short_feed_is_not_published() {
                super::absence_over_a_short_feed_is_not_published(super::$network).await
            }

            #[tokio::test]
            async fn reading_back_past_the_start_proves_absence() {
                super::reading_back_past_the_start_proves_absence(super::$network).await
            }

            #[tokio::test]
            async fn a_page_cap_short_of_the_start_is_unknown() {
                super::a_page_cap_short_of_the_start_is_unknown(super::$network).await
            }

            #[tokio::test]
            async fn a_failed_read_is_unknown() {
                super::a_failed_read_is_unknown(super::$network).await
            }
        }
    )*};
}

lookups!(linkedin, facebook, pinterest, reddit, x);

/// X shows links as t.co: a post since the start that may be ours (same words, other links)
/// keeps the lookup from proving absence.
#[tokio::test]
async fn x_cannot_prove_absence_past_a_post_that_may_be_ours() {
    let r = Run::new(x, PAGES).await;
    let step = r.prepare(OURS).await;
    let content = text("Lookup target: launch notes https://example.com/notes");
    let s = r.case.net.prepare(&r.call(), &content).await.unwrap();
    r.case.net.publish(&r.call(), &content, &s).await.unwrap();
    assert!(matches!(r.reconcile(&step).await, Reconciled::Unknown));
}

/// A photo-section upload leaves Google nothing to match it by: no lookup at all.
#[tokio::test]
async fn gmb_photo_uploads_have_no_lookup() {
    let sb = start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let net = Gmb::new(&settings(&sb).endpoints.gmb, &settings(&sb));
    let http = reqwest::Client::new();
    let credentials = json!({"accessToken": seed::GMB_ACCESS_TOKEN, "accountId": seed::GMB_ACCOUNT_ID, "locationId": seed::GMB_LOCATION_ID});
    let call = Call { http: &http, credentials: &credentials };
    let photo = Content {
        text: "Our shop front".into(),
        media_urls: vec![format!("{}/media-host/front.jpg", sb.url)],
        options: json!({"isPhotoVideo": true}).as_object().cloned().unwrap(),
        ..Content::default()
    };
    let step = net.prepare(&call, &photo).await.unwrap();
    assert!(matches!(net.reconcile(&call, &photo, &step).await, Reconciled::NoLookup));
}
