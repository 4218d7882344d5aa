//! Telegram Bot API emulation: `GET|POST /telegram/bot<token>/<method>`.
//!
//! One bot ([`crate::seed::TELEGRAM_BOT_TOKEN`]) and one public channel
//! (`@crier_sandbox`, numeric id `-1001000000001`). Parameters are read from
//! the query string, then a JSON, form-urlencoded or multipart body (body
//! wins), as the real API accepts all of these.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::params::{media_type, parse_urlencoded, percent_decode, read_body};
use crate::{SandboxState, multipart, seed};

mod methods;
use methods::{MediaKind, delete_message, get_chat_member_count, get_me, send_media, send_message};

const CHAT_NUMERIC_ID: i64 = -1001000000001;
const CHAT_USERNAME: &str = "crier_sandbox";
const CHAT_TITLE: &str = "Crier Sandbox";
const BOT_ID: i64 = 7000000001;
const BOT_USERNAME: &str = "crier_sandbox_bot";
/// The channel's subscribers (fixed: nobody joins or leaves the sandbox).
const CHAT_MEMBER_COUNT: i64 = 1342;
const MAX_TEXT: usize = 4096;
const MAX_CAPTION: usize = 1024;
/// Request bodies above this are refused (real limit for uploads is 50 MB).
const MAX_BODY: usize = 50 * 1024 * 1024;

struct StoredMessage {
    ledger_seq: u64,
    deleted: bool,
}

struct Inner {
    next_message_id: i64,
    messages: HashMap<i64, StoredMessage>,
    flood_per_minute: Option<u32>,
    recent_sends: VecDeque<Instant>,
}

pub(crate) struct TelegramState {
    inner: Mutex<Inner>,
}

impl TelegramState {
    pub(crate) fn new() -> Self {
        Self {
            inner: Mutex::new(Inner {
                next_message_id: 1,
                messages: HashMap::new(),
                flood_per_minute: None,
                recent_sends: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Per-chat flood limit (`None` or 0 = off).
    pub(crate) fn set_flood_limit(&self, per_minute: Option<u32>) {
        let mut inner = self.lock();
        inner.flood_per_minute = per_minute.filter(|n| *n > 0);
        inner.recent_sends.clear();
    }

    pub(crate) fn flood_limit(&self) -> Option<u32> {
        self.lock().flood_per_minute
    }

    /// Forgets messages and the flood setting; message ids keep increasing.
    pub(crate) fn reset(&self) {
        let mut inner = self.lock();
        inner.messages.clear();
        inner.flood_per_minute = None;
        inner.recent_sends.clear();
    }
}

/// A Bot API error: `{"ok":false,"error_code":N,"description":"..."}` with
/// HTTP status N (plus `parameters.retry_after` for flood control).
#[derive(Debug)]
pub(crate) struct TgError {
    code: u16,
    description: String,
    retry_after: Option<u64>,
}

impl IntoResponse for TgError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::BAD_REQUEST);
        let mut body =
            json!({"ok": false, "error_code": self.code, "description": self.description});
        if let Some(retry_after) = self.retry_after {
            body["parameters"] = json!({"retry_after": retry_after});
        }
        (status, axum::Json(body)).into_response()
    }
}

fn error(code: u16, description: &str) -> TgError {
    TgError {
        code,
        description: description.to_owned(),
        retry_after: None,
    }
}

fn bad_request(what: &str) -> TgError {
    error(400, &format!("Bad Request: {what}"))
}

fn too_many_requests(retry_after: u64) -> TgError {
    TgError {
        code: 429,
        description: format!("Too Many Requests: retry after {retry_after}"),
        retry_after: Some(retry_after),
    }
}

/// Default body of a `status` fault, in the Bot API's error shape.
pub(crate) fn default_error(status: StatusCode) -> Response {
    let code = status.as_u16();
    if status.is_success() {
        return (status, axum::Json(json!({"ok": true, "result": true}))).into_response();
    }
    if code == 429 {
        // Not documented for injected faults; 5 s is a plausible default.
        return too_many_requests(5).into_response();
    }
    let description = match code {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        _ => status.canonical_reason().unwrap_or("Error"),
    };
    let mut response = error(code, description).into_response();
    *response.status_mut() = status;
    response
}

fn ok(result: Value) -> Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    dispatch(&state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn dispatch(state: &SandboxState, req: Request) -> Result<Response, TgError> {
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/telegram/").unwrap_or("");
    let (bot, method) = rest
        .split_once('/')
        .ok_or_else(|| error(404, "Not Found"))?;
    let token = bot
        .strip_prefix("bot")
        .ok_or_else(|| error(404, "Not Found"))?;
    if percent_decode(token, false) != seed::TELEGRAM_BOT_TOKEN {
        return Err(error(401, "Unauthorized"));
    }
    // Bot API method names are case-insensitive.
    let method = method.trim_end_matches('/').to_ascii_lowercase();
    if !matches!(
        method.as_str(),
        "getme"
            | "sendmessage"
            | "sendphoto"
            | "sendvideo"
            | "deletemessage"
            | "getchatmembercount"
            | "getchatmemberscount"
            | "getchat"
            | "getchatmember"
    ) {
        return Err(error(404, "Not Found"));
    }
    let params = read_params(req).await?;
    let tg = &state.inner.telegram;
    match method.as_str() {
        "getme" => Ok(ok(get_me())),
        "getchat" => methods::get_chat(&params),
        "getchatmember" => methods::get_chat_member(&params),
        "sendmessage" => send_message(state, tg, &params),
        "sendphoto" => send_media(state, tg, &params, MediaKind::Photo),
        "sendvideo" => send_media(state, tg, &params, MediaKind::Video),
        // The old name (renamed in Bot API 5.3) is still served.
        "getchatmembercount" | "getchatmemberscount" => get_chat_member_count(&params),
        _ => delete_message(state, tg, &params),
    }
}

async fn read_params(req: Request) -> Result<Map<String, Value>, TgError> {
    let mut params = req.uri().query().map(parse_urlencoded).unwrap_or_default();
    let content_type = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let media = media_type(req.headers());
    let body = read_body(req.into_body(), MAX_BODY)
        .await
        .map_err(|()| error(413, "Request Entity Too Large"))?;
    if body.is_empty() {
        return Ok(params);
    }
    match media.as_deref() {
        Some("application/json") => match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(map)) => params.extend(map),
            // The Bot API's wording for malformed JSON is not documented; this one is chosen.
            _ => return Err(bad_request("can't parse JSON object")),
        },
        Some("application/x-www-form-urlencoded") => {
            params.extend(parse_urlencoded(&String::from_utf8_lossy(&body)));
        }
        Some("multipart/form-data") => {
            let fields = multipart::parse(content_type.as_deref().unwrap_or(""), &body)
                .ok_or_else(|| bad_request("can't parse multipart/form-data request"))?;
            params.extend(fields);
        }
        // Other content types: the body is ignored, as parameters can only
        // come in the forms above.
        _ => {}
    }
    Ok(params)
}
