//! Telegram Bot API (`https://core.telegram.org/bots/api`): the bot token is
//! part of the path, parameters go as JSON, every answer is
//! `{"ok": bool, "result" | "error_code", "description", "parameters"}`.
//!
//! Telegram has no way to look a message up by content, so a publish whose
//! answer was lost stays unknown: it is never re-sent.

use crate::{Call, Content, Failure, HttpFailure, Network, Published, classify_send_error};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::{Map, Value, json};
use std::time::Duration;

pub struct Telegram {
    base: String,
}

/// Credentials stored for a linked Telegram chat.
struct Creds<'a> {
    bot_token: &'a str,
    chat_id: &'a str,
}

fn creds(v: &Value) -> Result<Creds<'_>, Failure> {
    match (v.get("botToken").and_then(Value::as_str), v.get("chatId").and_then(Value::as_str)) {
        (Some(bot_token), Some(chat_id)) => Ok(Creds { bot_token, chat_id }),
        _ => Err(Failure::Rejected(
            err(Code::TokenInvalid).details("linked Telegram account lacks botToken or chatId"),
        )),
    }
}

fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Telegram).arg("network", "Telegram")
}

fn is_video(content: &Content, url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    content.is_video || path.ends_with(".mp4") || path.ends_with(".mov")
}

impl Telegram {
    pub fn new(base: &str) -> Self {
        Telegram { base: base.trim_end_matches('/').to_string() }
    }

    /// Calls a Bot API method. Transport errors come back as `Err(HttpFailure)`.
    async fn call(&self, call: &Call<'_>, token: &str, method: &str, params: &Value) -> Result<(u16, Value), HttpFailure> {
        let resp = call
            .http
            .post(format!("{}/bot{}/{}", self.base, token, method))
            .json(params)
            .send()
            .await
            .map_err(|e| classify_send_error(&e))?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(|e| HttpFailure::MaybeSent(crate::describe(&e)))?;
        let json = serde_json::from_slice(&body).unwrap_or_else(|_| json!({"raw": String::from_utf8_lossy(&body)}));
        Ok((status, json))
    }
}

/// Maps a Telegram error answer to a failure. One row per case; see tests/telegram_errors.rs.
/// `text` is what was sent (Telegram counts its length in UTF-16 units), `caption` whether it was a caption.
pub fn map_error(status: u16, body: &Value, text: &str, caption: bool) -> Failure {
    let description = body.get("description").and_then(Value::as_str).unwrap_or("").to_string();
    let code = body.get("error_code").and_then(Value::as_u64).map(|c| c as u16).unwrap_or(status);
    let lower = description.to_ascii_lowercase();
    let details = if description.is_empty() { format!("HTTP {status}") } else { description.clone() };
    match code {
        401 => Failure::Rejected(err(Code::TokenInvalid).details(details)),
        429 => {
            let retry_after = body.pointer("/parameters/retry_after").and_then(Value::as_u64);
            let shown = retry_after.map(|s| s.to_string()).unwrap_or(details);
            Failure::Transient {
                error: err(Code::NetworkRateLimited).details(shown),
                retry_after: retry_after.map(Duration::from_secs),
            }
        }
        500..=599 => Failure::Transient { error: err(Code::NetworkUnavailable).details(details), retry_after: None },
        _ if lower.contains("message is too long") || lower.contains("caption is too long") => {
            let limit = if caption { 1024 } else { 4096 };
            let len = text.encode_utf16().count();
            Failure::Rejected(err(Code::TextTooLong).details(details).arg("limit", limit).arg("overage", len.saturating_sub(limit)))
        }
        _ if lower.contains("wrong http url") || lower.contains("wrong file identifier") => {
            Failure::Rejected(err(Code::MediaUrlInvalid).details(details))
        }
        _ => Failure::Rejected(err(Code::NetworkRejected).details(details)),
    }
}

/// Telegram message link: public chats only (`@username`).
fn message_url(result: &Value) -> Option<String> {
    let username = result.pointer("/chat/username").and_then(Value::as_str)?;
    let id = result.get("message_id")?.as_i64()?;
    Some(format!("https://t.me/{username}/{id}"))
}

#[async_trait]
impl Network for Telegram {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn prepare(&self, call: &Call<'_>, _content: &Content) -> Result<Value, Failure> {
        creds(call.credentials)?;
        // Telegram fetches media URLs itself; nothing to upload first.
        Ok(json!({}))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, _step: &Value) -> Result<Published, Failure> {
        let c = creds(call.credentials)?;
        let (method, params) = match content.media_urls.first() {
            None => ("sendMessage", json!({"chat_id": c.chat_id, "text": content.text})),
            Some(url) if is_video(content, url) => {
                ("sendVideo", json!({"chat_id": c.chat_id, "video": url, "caption": content.text}))
            }
            Some(url) => ("sendPhoto", json!({"chat_id": c.chat_id, "photo": url, "caption": content.text})),
        };
        let (status, body) = match self.call(call, c.bot_token, method, &params).await {
            Ok(r) => r,
            Err(HttpFailure::NotSent(d)) => {
                return Err(Failure::Transient { error: err(Code::NetworkUnavailable).details(d), retry_after: None });
            }
            Err(HttpFailure::MaybeSent(d)) => return Err(Failure::Ambiguous { details: d }),
        };
        if body.get("ok").and_then(Value::as_bool) == Some(true) {
            let result = body.get("result").cloned().unwrap_or_default();
            let Some(id) = result.get("message_id").and_then(Value::as_i64) else {
                return Err(Failure::Ambiguous { details: format!("ok answer without message_id: {body}") });
            };
            return Ok(Published { id: id.to_string(), url: message_url(&result), extras: Map::new() });
        }
        if (200..300).contains(&status) {
            // A success status with a body we cannot read: Telegram may have sent the message.
            return Err(Failure::Ambiguous { details: format!("unreadable answer: {body}") });
        }
        Err(map_error(status, &body, &content.text, !content.media_urls.is_empty()))
    }

    /// Bots cannot read message views; the channel's member count is what the Bot API offers.
    async fn account_analytics(&self, call: &Call<'_>) -> Result<Value, ErrorReport> {
        let c = creds(call.credentials).map_err(|_| err(Code::TokenInvalid))?;
        let analytics_error = |f: Failure| {
            let mut e = match f {
                Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
                Failure::Ambiguous { details } => err(Code::NetworkUnavailable).details(details),
            };
            e.action = Action::Analytics;
            e
        };
        match self.call(call, c.bot_token, "getChatMemberCount", &json!({"chat_id": c.chat_id})).await {
            Ok((_, body)) if body.get("ok").and_then(Value::as_bool) == Some(true) => {
                Ok(json!({"chatId": c.chat_id, "memberCount": body.get("result").cloned().unwrap_or(json!(0))}))
            }
            Ok((status, body)) => Err(analytics_error(map_error(status, &body, "", false))),
            Err(HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d)) => Err(analytics_error(Failure::Transient { error: err(Code::NetworkUnavailable).details(d), retry_after: None })),
        }
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        let c = creds(call.credentials)?;
        let message_id: i64 = native_id
            .parse()
            .map_err(|_| Failure::Rejected(err(Code::NetworkRejected).details("not a Telegram message id")))?;
        let params = json!({"chat_id": c.chat_id, "message_id": message_id});
        match self.call(call, c.bot_token, "deleteMessage", &params).await {
            Ok((_, body)) if body.get("ok").and_then(Value::as_bool) == Some(true) => Ok(()),
            Ok((status, body)) => Err(map_error(status, &body, "", false)),
            Err(HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d)) => {
                Err(Failure::Transient { error: err(Code::NetworkUnavailable).details(d), retry_after: None })
            }
        }
    }
}
