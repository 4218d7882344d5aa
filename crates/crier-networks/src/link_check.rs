//! What the linking page asks a network before it stores an account (oauth-and-webhooks.md §10,
//! §11.6): the credentials a user typed (Telegram `getMe` + `getChat` + `getChatMember`, so the bot
//! may post there; Bluesky `createSession`). Through the connectors' own client and addresses.
//! Who an OAuth grant may publish to is `link_targets`.

use crate::Networks;
use serde_json::{Value, json};

/// What a check of typed credentials found.
pub enum Checked {
    /// Credentials in the shape the connector reads, and the account's name to show.
    Good { credentials: Value, display_name: String },
    /// The network said no; the message key for the page.
    Refused(&'static str),
    /// The network could not be reached or answered nonsense.
    Unreachable,
}

async fn call(http: &reqwest::Client, url: String, body: Value) -> Option<(u16, Value)> {
    let resp = http.post(url).json(&body).send().await.ok()?;
    let status = resp.status().as_u16();
    let body = resp.json::<Value>().await.unwrap_or(Value::Null);
    Some((status, body))
}

/// `<digits>:<secret>`; anything else could not be a token and must not reach the URL path.
fn token_shape_ok(token: &str) -> bool {
    token.split_once(':').is_some_and(|(id, secret)| {
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !secret.is_empty() && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    })
}

/// `@channelusername` or a numeric id.
fn chat_shape_ok(chat: &str) -> bool {
    match chat.strip_prefix('@') {
        Some(name) => !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
        None => chat.strip_prefix('-').unwrap_or(chat).bytes().all(|b| b.is_ascii_digit()) && !chat.is_empty() && chat != "-",
    }
}

impl Networks {
    /// A Telegram bot token and chat typed on the linking page: the bot exists and may post there.
    pub async fn check_telegram(&self, token: &str, chat: &str) -> Checked {
        telegram(&self.http, &self.endpoints.telegram, token, chat).await
    }

    /// A Bluesky handle (or e-mail) and app password typed on the linking page.
    pub async fn check_bluesky(&self, identifier: &str, password: &str) -> Checked {
        bluesky(&self.http, &self.endpoints.bluesky, identifier, password).await
    }
}

async fn telegram(http: &reqwest::Client, base: &str, token: &str, chat: &str) -> Checked {
    if !token_shape_ok(token) {
        return Checked::Refused("link-telegram-bad-token");
    }
    if !chat_shape_ok(chat) {
        return Checked::Refused("link-telegram-bad-chat");
    }
    let base = base.trim_end_matches('/');
    let bot_id = match call(http, format!("{base}/bot{token}/getMe"), json!({})).await {
        Some((200, b)) if b["ok"] == json!(true) => b["result"]["id"].as_i64(),
        Some((401 | 404, _)) => return Checked::Refused("link-telegram-bad-token"),
        _ => return Checked::Unreachable,
    };
    let chat_info = match call(http, format!("{base}/bot{token}/getChat"), json!({"chat_id": chat})).await {
        Some((200, b)) if b["ok"] == json!(true) => b["result"].clone(),
        Some((400 | 403, _)) => return Checked::Refused("link-telegram-bad-chat"),
        Some((401, _)) => return Checked::Refused("link-telegram-bad-token"),
        _ => return Checked::Unreachable,
    };
    // The bot must be an administrator that may post (channels: can_post_messages).
    let member = match call(http, format!("{base}/bot{token}/getChatMember"), json!({"chat_id": chat, "user_id": bot_id})).await {
        Some((200, b)) if b["ok"] == json!(true) => b["result"].clone(),
        Some((400 | 403, _)) => return Checked::Refused("link-telegram-bad-chat"),
        _ => return Checked::Unreachable,
    };
    let is_channel = chat_info["type"] == json!("channel");
    let may_post = match member["status"].as_str() {
        Some("creator") => true,
        Some("administrator") => !is_channel || member["can_post_messages"] == json!(true),
        Some("member") => !is_channel,
        _ => false,
    };
    if !may_post {
        return Checked::Refused("link-telegram-bad-chat");
    }
    // The numeric id is stable; a channel's @name can change.
    let chat_id = chat_info["id"].as_i64().map(|i| i.to_string()).unwrap_or_else(|| chat.to_string());
    let display_name = chat_info["title"]
        .as_str()
        .map(str::to_string)
        .or_else(|| chat_info["username"].as_str().map(|u| format!("@{u}")))
        .unwrap_or_else(|| chat.to_string());
    Checked::Good { credentials: json!({"botToken": token, "chatId": chat_id}), display_name }
}

async fn bluesky(http: &reqwest::Client, base: &str, identifier: &str, password: &str) -> Checked {
    let url = format!("{}/xrpc/com.atproto.server.createSession", base.trim_end_matches('/'));
    let Some((status, body)) = call(http, url, json!({"identifier": identifier, "password": password})).await else {
        return Checked::Unreachable;
    };
    let error = body["error"].as_str().unwrap_or("");
    match (status, error) {
        (_, "AuthFactorTokenRequired") => Checked::Refused("link-bluesky-2fa"),
        (_, "AccountTakedown" | "AccountDeactivated" | "AccountSuspended") => Checked::Refused("link-bluesky-inactive"),
        (200, _) if body["active"] == json!(false) => Checked::Refused("link-bluesky-inactive"),
        (200, _) => {
            let handle = body["handle"].as_str().unwrap_or(identifier).to_string();
            let did = body["did"].as_str().unwrap_or("").to_string();
            Checked::Good { credentials: json!({"identifier": identifier, "appPassword": password, "did": did, "handle": handle}), display_name: handle }
        }
        (400 | 401, _) => Checked::Refused("link-bluesky-bad-login"),
        _ => Checked::Unreachable,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shapes() {
        assert!(super::token_shape_ok("7000000001:AAcrier_-x"));
        assert!(!super::token_shape_ok("7000000001:AA/../x") && !super::token_shape_ok(":x") && !super::token_shape_ok("12:"));
        assert!(super::chat_shape_ok("@crier_sandbox") && super::chat_shape_ok("-1001000000001"));
        assert!(!super::chat_shape_ok("@") && !super::chat_shape_ok("-") && !super::chat_shape_ok("a b"));
    }
}
