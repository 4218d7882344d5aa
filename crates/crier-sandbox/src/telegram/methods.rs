//! The Bot API methods the sandbox implements: getMe, sendMessage,
//! sendPhoto, sendVideo, deleteMessage, getChat, getChatMember and getChatMemberCount.

use std::time::{Duration, Instant};

use axum::response::Response;
use serde_json::{Map, Value, json};

use super::{
    BOT_ID, BOT_USERNAME, CHAT_MEMBER_COUNT, CHAT_NUMERIC_ID, CHAT_TITLE, CHAT_USERNAME, Inner,
    MAX_CAPTION, MAX_TEXT, StoredMessage, TelegramState, TgError, bad_request, ok,
    too_many_requests,
};
use crate::ledger::{LedgerEntry, now_ms};
use crate::params::get_str;
use crate::{SandboxState, codec};

pub(super) fn get_me() -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": "Crier Sandbox Bot",
        "username": BOT_USERNAME,
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": false,
        "can_connect_to_business": false,
        "has_main_web_app": false,
    })
}

fn chat_json() -> Value {
    json!({"id": CHAT_NUMERIC_ID, "title": CHAT_TITLE, "username": CHAT_USERNAME, "type": "channel"})
}

/// The `chat_id` as sent, once checked to name the sandbox channel.
fn require_chat(params: &Map<String, Value>) -> Result<String, TgError> {
    let raw = get_str(params, "chat_id").unwrap_or_default();
    let raw = raw.trim().to_owned();
    if raw.is_empty() {
        return Err(bad_request("chat_id is empty"));
    }
    let known = raw == CHAT_NUMERIC_ID.to_string()
        || raw
            .strip_prefix('@')
            .is_some_and(|u| u.eq_ignore_ascii_case(CHAT_USERNAME));
    if known {
        Ok(raw)
    } else {
        Err(bad_request("chat not found"))
    }
}

/// The text a user would see: HTML markup is parsed for `parse_mode=HTML`;
/// Markdown modes are counted as sent (close enough for length checks).
fn visible_text(text: &str, parse_mode: Option<&str>) -> Result<String, TgError> {
    match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None | Some("") | Some("markdown") | Some("markdownv2") => Ok(text.to_owned()),
        Some("html") => Ok(strip_html(text)),
        Some(_) => Err(bad_request("unsupported parse_mode")),
    }
}

fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn check_link_preview_options(params: &Map<String, Value>) -> Result<(), TgError> {
    match params.get("link_preview_options") {
        None | Some(Value::Object(_)) | Some(Value::Null) => Ok(()),
        // Form and query parameters carry it as a JSON-serialized string.
        Some(Value::String(s))
            if s.is_empty() || matches!(serde_json::from_str::<Value>(s), Ok(Value::Object(_))) =>
        {
            Ok(())
        }
        Some(_) => Err(bad_request("can't parse link preview options JSON object")),
    }
}

/// Per-chat flood limit over a sliding minute; `Err(retry_after_seconds)`.
fn check_flood(inner: &mut Inner, now: Instant) -> Result<(), u64> {
    let Some(limit) = inner.flood_per_minute else {
        return Ok(());
    };
    let window = Duration::from_secs(60);
    while inner
        .recent_sends
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        inner.recent_sends.pop_front();
    }
    if inner.recent_sends.len() >= limit as usize {
        let oldest = inner.recent_sends.front().copied().unwrap_or(now);
        let wait = window.saturating_sub(now.duration_since(oldest));
        return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
    }
    inner.recent_sends.push_back(now);
    Ok(())
}

/// Records a publish and returns `(message_id, unix date)`.
fn publish(
    state: &SandboxState,
    tg: &TelegramState,
    chat: &str,
    text: &str,
    media: Vec<String>,
) -> Result<(i64, i64), TgError> {
    let mut inner = tg.lock();
    check_flood(&mut inner, Instant::now()).map_err(too_many_requests)?;
    let id = inner.next_message_id;
    inner.next_message_id += 1;
    let at_ms = now_ms();
    let ledger_seq = state.inner.ledger.push(LedgerEntry {
        network: "telegram".into(),
        account: chat.to_owned(),
        native_id: id.to_string(),
        text: text.to_owned(),
        media,
        title: None,
        at_ms,
        deleted: false,
    });
    inner.messages.insert(
        id,
        StoredMessage {
            ledger_seq,
            deleted: false,
        },
    );
    Ok((id, at_ms / 1000))
}

pub(super) fn send_message(
    state: &SandboxState,
    tg: &TelegramState,
    params: &Map<String, Value>,
) -> Result<Response, TgError> {
    let chat = require_chat(params)?;
    let text = get_str(params, "text").unwrap_or_default();
    let parse_mode = get_str(params, "parse_mode");
    let visible = visible_text(&text, parse_mode.as_deref())?;
    if visible.trim().is_empty() {
        return Err(bad_request("message text is empty"));
    }
    if utf16_len(&visible) > MAX_TEXT {
        return Err(bad_request("message is too long"));
    }
    check_link_preview_options(params)?;
    let (id, date) = publish(state, tg, &chat, &text, Vec::new())?;
    Ok(ok(json!({
        "message_id": id,
        "sender_chat": chat_json(),
        "chat": chat_json(),
        "date": date,
        "text": visible,
    })))
}

#[derive(Clone, Copy)]
pub(super) enum MediaKind {
    Photo,
    Video,
}

impl MediaKind {
    fn field(self) -> &'static str {
        match self {
            MediaKind::Photo => "photo",
            MediaKind::Video => "video",
        }
    }
}

/// Where the media comes from: an http(s) URL, or a multipart upload.
fn media_source(params: &Map<String, Value>, kind: MediaKind) -> Result<String, TgError> {
    let missing = || bad_request(&format!("there is no {} in the request", kind.field()));
    match params.get(kind.field()) {
        Some(Value::Object(upload)) => {
            let name = upload
                .get("filename")
                .and_then(Value::as_str)
                .unwrap_or("file");
            Ok(format!("upload:{name}"))
        }
        Some(Value::String(s)) if s.trim().is_empty() => Err(missing()),
        Some(Value::String(s)) => {
            let url = s.trim();
            let lower = url.to_ascii_lowercase();
            let rest = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"));
            let host = rest.map(|r| {
                r.split(['/', '?', '#'])
                    .next()
                    .unwrap_or("")
                    .rsplit('@')
                    .next()
                    .unwrap_or("")
            });
            let host = host.map(|h| h.split(':').next().unwrap_or(""));
            match host {
                // The real API treats other strings as file_ids or bad URLs;
                // the sandbox knows no file_ids, so both are refused this way.
                None | Some("") => Err(bad_request("wrong HTTP URL specified")),
                // Sandbox convention (not real behaviour): hosts under the
                // reserved `.invalid` TLD are "unreachable", to exercise the
                // network's media-download failure.
                Some(h) if h == "invalid" || h.ends_with(".invalid") => {
                    Err(bad_request("failed to get HTTP URL content"))
                }
                Some(_) => Ok(url.to_owned()),
            }
        }
        _ => Err(missing()),
    }
}

fn file_ids() -> (String, String) {
    (
        codec::base64url(&rand::random::<[u8; 32]>()),
        codec::base64url(&rand::random::<[u8; 12]>()),
    )
}

pub(super) fn send_media(
    state: &SandboxState,
    tg: &TelegramState,
    params: &Map<String, Value>,
    kind: MediaKind,
) -> Result<Response, TgError> {
    let chat = require_chat(params)?;
    let source = media_source(params, kind)?;
    let caption = get_str(params, "caption").unwrap_or_default();
    let visible = visible_text(&caption, get_str(params, "parse_mode").as_deref())?;
    if utf16_len(&visible) > MAX_CAPTION {
        return Err(bad_request("message caption is too long"));
    }
    let (id, date) = publish(state, tg, &chat, &caption, vec![source])?;
    let mut message = json!({
        "message_id": id,
        "sender_chat": chat_json(),
        "chat": chat_json(),
        "date": date,
    });
    let media = match kind {
        MediaKind::Photo => Value::Array(
            [(90, 60, 1_812), (320, 213, 19_442), (800, 533, 84_630)]
                .iter()
                .map(|(w, h, size)| {
                    let (file_id, unique) = file_ids();
                    json!({"file_id": file_id, "file_unique_id": unique, "file_size": size, "width": w, "height": h})
                })
                .collect(),
        ),
        MediaKind::Video => {
            let (file_id, unique) = file_ids();
            json!({
                "file_id": file_id, "file_unique_id": unique, "width": 1280, "height": 720,
                "duration": 10, "mime_type": "video/mp4", "file_size": 1_048_576,
            })
        }
    };
    message[kind.field()] = media;
    if !visible.is_empty() {
        message["caption"] = Value::String(visible);
    }
    Ok(ok(message))
}

/// `getChat {chat_id}` → the channel (what crier's linking page checks a chat with).
pub(super) fn get_chat(params: &Map<String, Value>) -> Result<Response, TgError> {
    require_chat(params)?;
    Ok(ok(chat_json()))
}

/// `getChatMember {chat_id, user_id}`: the sandbox bot is an administrator of the channel that
/// may post; any other user is not a member (`left`).
pub(super) fn get_chat_member(params: &Map<String, Value>) -> Result<Response, TgError> {
    require_chat(params)?;
    let user = params.get("user_id").and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())));
    let user_json = json!({"id": user.unwrap_or(0), "is_bot": user == Some(BOT_ID), "first_name": "Crier Sandbox Bot"});
    Ok(ok(if user == Some(BOT_ID) {
        json!({"status": "administrator", "user": user_json, "can_be_edited": false, "can_post_messages": true, "can_edit_messages": true, "can_delete_messages": true})
    } else {
        json!({"status": "left", "user": user_json})
    }))
}

/// `getChatMemberCount {chat_id}` → `{"ok":true,"result":N}`.
pub(super) fn get_chat_member_count(params: &Map<String, Value>) -> Result<Response, TgError> {
    require_chat(params)?;
    Ok(ok(json!(CHAT_MEMBER_COUNT)))
}

pub(super) fn delete_message(
    state: &SandboxState,
    tg: &TelegramState,
    params: &Map<String, Value>,
) -> Result<Response, TgError> {
    require_chat(params)?;
    let Some(message_id) = get_str(params, "message_id").and_then(|s| s.trim().parse::<i64>().ok())
    else {
        return Err(bad_request("message identifier is not specified"));
    };
    let mut inner = tg.lock();
    match inner.messages.get_mut(&message_id) {
        Some(message) if !message.deleted => {
            message.deleted = true;
            state.inner.ledger.mark_deleted(message.ledger_seq);
            Ok(ok(Value::Bool(true)))
        }
        _ => Err(bad_request("message to delete not found")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_stripped_for_counting() {
        assert_eq!(strip_html("<b>a &amp; b</b> &lt;3"), "a & b <3");
        assert_eq!(utf16_len("😀"), 2);
    }
}
