//! Meta Graph API emulation: Facebook Pages and Instagram content publishing
//! under `/facebook/...` (for `https://graph.facebook.com`) and Threads under
//! `/threads/...` (for `https://graph.threads.net`), any `/vNN.0/` prefix.
//!
//! Every answer carries Graph's usage headers; every error is Meta's
//! `{"error":{...}}` envelope. Media URLs are really downloaded by a crawler
//! that may reach loopback hosts only (see `crawler`).

mod auth;
mod config;
mod container;
pub(crate) mod control;
mod crawler;
mod error;
mod ids;
mod insights;
mod instagram;
pub(crate) mod media_host;
mod pages;
mod request;
mod robots;
mod threads;
mod usage;

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::SandboxState;
use crate::ledger::now_ms;
use auth::{Account, TokenRecord};
use config::{MetaConfig, Throttles};
use crawler::Crawler;
use error::GraphError;
pub(crate) use error::fault_error;
use ids::IdGen;
use media_host::MediaHostConfig;
use request::Call;
use usage::{BucType, Pct, Usage};

/// Which Graph host a call addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Host {
    Facebook,
    Threads,
}

impl Host {
    fn default_version(self) -> &'static str {
        match self {
            Host::Facebook => "v21.0",
            Host::Threads => "v1.0",
        }
    }
}

pub(crate) struct Inner {
    pub config: MetaConfig,
    pub throttles: Throttles,
    pub tokens: HashMap<String, TokenRecord>,
    pub usage: Usage,
    pub fb: pages::FbStore,
    pub ig: instagram::IgStore,
    pub th: threads::ThreadsStore,
    pub media_host: MediaHostConfig,
}

impl Inner {
    fn new() -> Self {
        Self {
            config: MetaConfig::default(),
            throttles: Throttles::default(),
            tokens: HashMap::new(),
            usage: Usage::default(),
            fb: pages::FbStore::default(),
            ig: instagram::IgStore::default(),
            th: threads::ThreadsStore::default(),
            media_host: MediaHostConfig::default(),
        }
    }
}

pub(crate) struct MetaState {
    inner: Mutex<Inner>,
    ids: IdGen,
    crawler: Crawler,
}

impl MetaState {
    pub(crate) fn new() -> Self {
        Self {
            inner: Mutex::new(Inner::new()),
            ids: IdGen::new(),
            crawler: Crawler::new(),
        }
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets posts, containers, media, token states, throttles, usage,
    /// config and the media host's setup; ids keep increasing.
    pub(crate) fn reset(&self) {
        *self.lock() = Inner::new();
    }
}

/// The object a call's first path segment names.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Page,
    IgUser,
    ThreadsUser,
    FbPost(String),
    FbPhoto(String),
    FbVideo(String),
    IgContainer(String),
    IgMedia(String),
    ThreadsContainer(String),
    ThreadsMedia(String),
}

impl Node {
    /// Graph's node type name, as error messages print it.
    fn type_name(&self) -> &'static str {
        match self {
            Node::Page => "Page",
            Node::IgUser => "IGUser",
            Node::ThreadsUser => "ThreadsUser",
            Node::FbPost(_) => "Post",
            Node::FbPhoto(_) => "Photo",
            Node::FbVideo(_) => "Video",
            Node::IgContainer(_) => "ShadowIGMediaBuilder",
            Node::IgMedia(_) => "IGMedia",
            Node::ThreadsContainer(_) => "ThreadsMediaBuilder",
            Node::ThreadsMedia(_) => "ThreadsMedia",
        }
    }
}

impl Inner {
    /// The node an id names on a host, with the account owning it. `me`
    /// is the token's own account.
    fn resolve(&self, host: Host, id: &str, me: Option<Account>) -> Option<(Node, Account)> {
        if id == "me" {
            let account = me?;
            let node = match account {
                Account::Page => Node::Page,
                Account::IgUser => Node::IgUser,
                Account::ThreadsUser => Node::ThreadsUser,
            };
            return Some((node, account));
        }
        match host {
            Host::Facebook => {
                if id == Account::Page.id() {
                    return Some((Node::Page, Account::Page));
                }
                if id == Account::IgUser.id() {
                    return Some((Node::IgUser, Account::IgUser));
                }
                // Deleted objects are gone for Graph.
                if self.fb.posts.get(id).is_some_and(|p| !p.deleted) {
                    return Some((Node::FbPost(id.to_owned()), Account::Page));
                }
                if self.fb.photos.get(id).is_some_and(|p| !p.deleted) {
                    return Some((Node::FbPhoto(id.to_owned()), Account::Page));
                }
                if self.fb.videos.get(id).is_some_and(|v| !v.deleted) {
                    return Some((Node::FbVideo(id.to_owned()), Account::Page));
                }
                if self.ig.containers.contains_key(id) {
                    return Some((Node::IgContainer(id.to_owned()), Account::IgUser));
                }
                if self.ig.media.contains_key(id) {
                    return Some((Node::IgMedia(id.to_owned()), Account::IgUser));
                }
                None
            }
            Host::Threads => {
                if id == Account::ThreadsUser.id() {
                    return Some((Node::ThreadsUser, Account::ThreadsUser));
                }
                if self.th.containers.contains_key(id) {
                    return Some((Node::ThreadsContainer(id.to_owned()), Account::ThreadsUser));
                }
                if self.th.media.get(id).is_some_and(|m| !m.deleted) {
                    return Some((Node::ThreadsMedia(id.to_owned()), Account::ThreadsUser));
                }
                None
            }
        }
    }
}

/// Usage readings for the answer's headers.
#[derive(Default)]
pub(crate) struct Ctx {
    app: Option<Pct>,
    buc: Option<(String, BucType, Pct)>,
}

pub(crate) async fn handle_facebook(State(state): State<SandboxState>, req: Request) -> Response {
    handle(state, req, Host::Facebook).await
}

pub(crate) async fn handle_threads(State(state): State<SandboxState>, req: Request) -> Response {
    handle(state, req, Host::Threads).await
}

async fn handle(state: SandboxState, req: Request, host: Host) -> Response {
    let mut ctx = Ctx::default();
    let mut version = host.default_version().to_owned();
    let result = match request::parse(req, host).await {
        Ok(call) => {
            if let Some(v) = &call.version {
                version = v.clone();
            }
            process(&state, &call, &mut ctx).await
        }
        Err(err) => Err(err),
    };
    let mut response = result.unwrap_or_else(IntoResponse::into_response);
    let meta = &state.inner.meta;
    let app = match ctx.app {
        Some(app) => app,
        None => {
            let mut inner = meta.lock();
            let budget = inner.config.app_calls_per_hour;
            inner.usage.peek_app(budget, now_ms())
        }
    };
    usage::apply_app(&mut response, app);
    if let Some((id, kind, pct)) = &ctx.buc {
        usage::apply_buc(&mut response, id, *kind, *pct);
    }
    if let Ok(value) = HeaderValue::from_str(&version) {
        response.headers_mut().insert("facebook-api-version", value);
    }
    response
}

/// Usage, authentication and object lookup, then the endpoint itself.
async fn process(state: &SandboxState, call: &Call, ctx: &mut Ctx) -> Result<Response, GraphError> {
    let node = {
        let mut inner = state.inner.meta.lock();
        let now = now_ms();
        let budget = inner.config.app_calls_per_hour;
        let app = inner.usage.record_app(budget, now);
        if inner.throttles.app {
            ctx.app = Some(Pct::full(60));
            return Err(GraphError::app_limit());
        }
        ctx.app = Some(app);
        if app.over {
            return Err(GraphError::app_limit());
        }
        let account = auth::authenticate(&inner.tokens, call.host, call.token.as_deref(), now)?;
        if call.id.is_empty() {
            return Err(GraphError::param(
                "Unsupported request: no object id in the path",
            ));
        }
        let (node, owner) = inner
            .resolve(call.host, &call.id, Some(account))
            .filter(|(_, owner)| *owner == account)
            .ok_or_else(|| GraphError::unsupported(&call.method, &call.id))?;
        let buc = match owner {
            Account::Page => Some((owner.id(), BucType::Pages)),
            Account::IgUser => Some((owner.id(), BucType::Instagram)),
            // Threads announces only app-level usage.
            Account::ThreadsUser => None,
        };
        if let Some((id, kind)) = buc {
            let budget = inner.config.buc_calls_per_hour;
            let pct = inner.usage.record_object(id, budget, now);
            ctx.buc = Some((id.to_owned(), kind, pct));
            if pct.over {
                return Err(match kind {
                    BucType::Pages => GraphError::page_limit(),
                    BucType::Instagram => GraphError::instagram_limit(),
                });
            }
        }
        if !call.extra.is_empty() {
            return Err(GraphError::new(
                2500,
                format!("Unknown path components: /{}", call.extra.join("/")),
            ));
        }
        node
    };
    route(state, call, ctx, node).await
}

async fn route(
    state: &SandboxState,
    call: &Call,
    ctx: &mut Ctx,
    node: Node,
) -> Result<Response, GraphError> {
    let get = call.method == Method::GET || call.method == Method::HEAD;
    let post = call.method == Method::POST;
    let delete = call.method == Method::DELETE;
    match (&node, call.edge.as_deref()) {
        (Node::Page, None) if get => pages::get_page(call),
        (Node::Page, Some("feed")) if post => pages::post_feed(state, call),
        (Node::Page, Some("feed" | "posts" | "published_posts")) if get => {
            pages::list_feed(state, call)
        }
        (Node::Page, Some("photos")) if post => pages::post_photo(state, call).await,
        (Node::Page, Some("videos")) if post => pages::post_video(state, call).await,
        (Node::Page, Some("insights")) if get => insights::page(state, call, ctx),
        (Node::FbPost(id), None) if get => pages::get_post(state, call, id),
        (Node::FbPhoto(id), None) if get => pages::get_photo(state, call, id),
        (Node::FbVideo(id), None) if get => pages::get_video(state, call, id),
        (Node::FbPost(id) | Node::FbPhoto(id) | Node::FbVideo(id), None) if delete => {
            pages::delete(state, call, id)
        }
        (Node::FbPost(id), Some("insights")) if get => insights::post(state, call, ctx, id),
        (Node::IgUser, None) if get => instagram::get_user(state, call),
        (Node::IgUser, Some("media")) if post => instagram::create(state, call).await,
        (Node::IgUser, Some("media")) if get => instagram::list(state, call, false),
        (Node::IgUser, Some("stories")) if get => instagram::list(state, call, true),
        (Node::IgUser, Some("media_publish")) if post => instagram::publish(state, call, ctx),
        (Node::IgUser, Some("content_publishing_limit")) if get => instagram::limit(state, call),
        (Node::IgContainer(id), None) if get => instagram::get_container(state, call, id),
        (Node::IgMedia(id), None) if get => instagram::get_media(state, call, id),
        (Node::IgMedia(id), Some("insights")) if get => insights::instagram(state, call, id),
        (Node::ThreadsUser, None) if get => threads::get_user(call),
        (Node::ThreadsUser, Some("threads")) if post => threads::create(state, call).await,
        (Node::ThreadsUser, Some("threads")) if get => threads::list(state, call),
        (Node::ThreadsUser, Some("threads_publish")) if post => threads::publish(state, call),
        (Node::ThreadsUser, Some("threads_publishing_limit")) if get => threads::limit(state, call),
        (Node::ThreadsContainer(id), None) if get => threads::get_container(state, call, id),
        (Node::ThreadsMedia(id), None) if get => threads::get_media(state, call, id),
        (Node::ThreadsMedia(id), None) if delete => threads::delete(state, call, id),
        (Node::ThreadsMedia(id), Some("insights")) if get => insights::threads(state, call, id),
        (node, Some(edge)) if get => Err(GraphError::nonexisting_field(edge, node.type_name())),
        // Instagram media cannot be deleted through the API, and every other
        // method/edge pair is unknown: Graph says the same for both.
        _ => Err(GraphError::unsupported(&call.method, &call.id)),
    }
}

/// A 200 JSON answer.
pub(crate) fn ok(body: Value) -> Result<Response, GraphError> {
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// Picks the requested `fields` (or `defaults`) from everything the node
/// has. `id` always comes back; unknown names are Graph's "nonexisting
/// field" error; known fields without a value are left out, as Graph does.
pub(crate) fn project(
    full: &Map<String, Value>,
    requested: Option<Vec<String>>,
    defaults: &[&str],
    node_type: &str,
) -> Result<Value, GraphError> {
    let names: Vec<String> =
        requested.unwrap_or_else(|| defaults.iter().map(|s| (*s).to_owned()).collect());
    let mut out = Map::new();
    for name in &names {
        match full.get(name) {
            None => return Err(GraphError::nonexisting_field(name, node_type)),
            Some(Value::Null) => {}
            Some(value) => {
                out.insert(name.clone(), value.clone());
            }
        }
    }
    if let Some(id) = full.get("id") {
        out.insert("id".into(), id.clone());
    }
    Ok(Value::Object(out))
}

/// Percent-encodes a query component.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where a cursor falls in a newest-first list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// On the object at this index.
    At(usize),
    /// Its object is gone (deleted since the page was read): the objects
    /// before this index are newer than it was.
    Between(usize),
}

fn place(ids: &[String], cursor: Option<String>) -> Option<Place> {
    let cursor = cursor?;
    if let Some(i) = ids.iter().position(|id| ids::cursor(id) == cursor) {
        return Some(Place::At(i));
    }
    // Paging on after a deletion must neither restart nor skip.
    let gone = ids::age_key(&ids::cursor_id(&cursor)?)?;
    let i = ids
        .iter()
        .position(|id| ids::age_key(id).is_some_and(|k| k < gone))
        .unwrap_or(ids.len());
    Some(Place::Between(i))
}

/// One page of a newest-first list edge, with Graph's cursor paging.
pub(crate) fn paginate(
    call: &Call,
    ids: &[String],
    data: impl Fn(&str) -> Result<Value, GraphError>,
) -> Result<Response, GraphError> {
    let limit = call.limit();
    let (start, end) = match (
        place(ids, call.text("after")),
        place(ids, call.text("before")),
    ) {
        (Some(Place::At(after)), _) => (after + 1, (after + 1 + limit).min(ids.len())),
        (Some(Place::Between(start)), _) => (start, (start + limit).min(ids.len())),
        (None, Some(Place::At(before) | Place::Between(before))) => {
            (before.saturating_sub(limit), before)
        }
        _ => (0, limit.min(ids.len())),
    };
    let page = ids.get(start..end).unwrap_or(&[]);
    let items = page
        .iter()
        .map(|id| data(id))
        .collect::<Result<Vec<_>, _>>()?;
    let mut body = json!({ "data": items });
    if let (Some(first), Some(last)) = (page.first(), page.last()) {
        let mut paging = json!({
            "cursors": { "before": ids::cursor(first), "after": ids::cursor(last) }
        });
        let link = |key: &str, cursor: String| {
            let mut query = Vec::new();
            if let Some(token) = &call.token {
                query.push(format!("access_token={}", encode(token)));
            }
            if let Some(fields) = call.text("fields") {
                query.push(format!("fields={}", encode(&fields)));
            }
            query.push(format!("limit={limit}"));
            query.push(format!("{key}={}", encode(&cursor)));
            let edge = call.edge.as_deref().unwrap_or("");
            format!("{}/{}/{}?{}", call.base, call.id, edge, query.join("&"))
        };
        if end < ids.len() {
            paging["next"] = json!(link("after", ids::cursor(last)));
        }
        if start > 0 {
            paging["previous"] = json!(link("before", ids::cursor(first)));
        }
        body["paging"] = paging;
    }
    ok(body)
}

/// For the fault middleware: which Meta network a request addresses and its
/// endpoint (`feed`, `media_publish`, … or `node` for a bare object id).
/// Facebook and Instagram share a host; the first id's owner decides.
pub(crate) fn classify(
    state: &SandboxState,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Option<(&'static str, String)> {
    let (host, rest) = if let Some(rest) = path.strip_prefix("/facebook/") {
        (Host::Facebook, rest)
    } else if let Some(rest) = path.strip_prefix("/threads/") {
        (Host::Threads, rest)
    } else {
        return None;
    };
    let mut segments = rest.split('/').filter(|s| !s.is_empty()).peekable();
    if segments.peek().is_some_and(|s| request::is_version(s)) {
        segments.next();
    }
    let id = crate::params::percent_decode(segments.next()?, false);
    let endpoint = segments
        .next()
        .map(|e| e.to_owned())
        .unwrap_or_else(|| "node".to_owned());
    if host == Host::Threads {
        return Some(("threads", endpoint));
    }
    // `me` belongs to whoever the token is (query or header; a token inside
    // a body is not read here).
    let token = query
        .map(crate::params::parse_urlencoded)
        .and_then(|q| crate::params::get_str(&q, "access_token"))
        .or_else(|| {
            let raw = headers.get(AUTHORIZATION)?.to_str().ok()?;
            raw.split_once(' ').map(|(_, t)| t.trim().to_owned())
        });
    let me = token.as_deref().and_then(Account::by_token);
    let inner = state.inner.meta.lock();
    let network = match inner.resolve(Host::Facebook, &id, me) {
        Some((_, Account::IgUser)) => "instagram",
        _ => "facebook",
    };
    Some((network, endpoint))
}

/// Adds `X-App-Usage` to a fault's canned answer unless the fault set it.
pub(crate) fn add_default_usage_header(state: &SandboxState, response: &mut Response) {
    if response.headers().contains_key("x-app-usage") {
        return;
    }
    let pct = {
        let mut inner = state.inner.meta.lock();
        let budget = inner.config.app_calls_per_hour;
        inner.usage.peek_app(budget, now_ms())
    };
    usage::apply_app(response, pct);
}

/// Graph's answer to an expired OAuth token (`crate::oauth` issues them): 190/463.
pub(crate) fn expired_token_answer() -> Response {
    GraphError::token_dead(
        463,
        "Error validating access token: Session has expired. The current time is later than the token's expiry."
            .into(),
    )
    .into_response()
}
