//! The sandbox's accounts as `crier account link` stores them, one credential JSON per network.

use crier_core::Platform;
use crier_sandbox::seed;
use serde_json::{Value, json};

pub fn telegram_creds() -> Value {
    json!({"botToken": seed::TELEGRAM_BOT_TOKEN, "chatId": seed::TELEGRAM_CHAT_ID})
}

pub fn bluesky_creds() -> Value {
    json!({"identifier": seed::BLUESKY_HANDLE, "appPassword": seed::BLUESKY_APP_PASSWORD})
}

pub fn facebook_creds() -> Value {
    json!({"pageId": seed::FACEBOOK_PAGE_ID, "accessToken": seed::FACEBOOK_PAGE_TOKEN})
}

pub fn instagram_creds() -> Value {
    json!({"igUserId": seed::INSTAGRAM_USER_ID, "accessToken": seed::INSTAGRAM_TOKEN})
}

pub fn threads_creds() -> Value {
    json!({"threadsUserId": seed::THREADS_USER_ID, "accessToken": seed::THREADS_TOKEN})
}

pub fn twitter_creds() -> Value {
    json!({"accessToken": seed::X_ACCESS_TOKEN, "accessTokenSecret": seed::X_ACCESS_TOKEN_SECRET, "username": seed::X_USERNAME})
}

pub fn youtube_creds() -> Value {
    json!({"accessToken": seed::YOUTUBE_ACCESS_TOKEN, "channelId": seed::YOUTUBE_CHANNEL_ID})
}

/// The credentials of the sandbox's account on `platform`, as `crier account link` stores them.
pub fn creds_for(platform: Platform) -> Value {
    match platform {
        Platform::Telegram => telegram_creds(),
        Platform::Bluesky => bluesky_creds(),
        Platform::Facebook => facebook_creds(),
        Platform::Instagram => instagram_creds(),
        Platform::Threads => threads_creds(),
        Platform::Twitter => twitter_creds(),
        Platform::Youtube => youtube_creds(),
        Platform::Linkedin => {
            json!({"accessToken": seed::LINKEDIN_ACCESS_TOKEN, "author": seed::LINKEDIN_PERSON_URN})
        }
        Platform::Tiktok => {
            json!({"accessToken": seed::TIKTOK_ACCESS_TOKEN, "openId": seed::TIKTOK_OPEN_ID})
        }
        Platform::Pinterest => {
            json!({"accessToken": seed::PINTEREST_ACCESS_TOKEN, "boardId": seed::PINTEREST_BOARD_ID})
        }
        Platform::Reddit => {
            json!({"accessToken": seed::REDDIT_ACCESS_TOKEN, "username": seed::REDDIT_USERNAME})
        }
        Platform::Gmb => {
            json!({"accessToken": seed::GMB_ACCESS_TOKEN, "accountId": seed::GMB_ACCOUNT_ID, "locationId": seed::GMB_LOCATION_ID})
        }
        Platform::Snapchat => {
            json!({"accessToken": seed::SNAPCHAT_ACCESS_TOKEN, "profileId": seed::SNAPCHAT_PROFILE_ID})
        }
    }
}

/// The BYO app-key headers of the sandbox's X app.
pub const X_HEADERS: [(&str, &str); 2] = [("X-Twitter-OAuth1-Api-Key", seed::X_CONSUMER_KEY), ("X-Twitter-OAuth1-Api-Secret", seed::X_CONSUMER_SECRET)];
