//! Accounts and links made for the sandbox, so `crier serve --sandbox` works out of the box.

use crate::server::BoxError;
use crier_core::Platform;
use crier_sandbox::seed;
use crier_store::Store;
use serde_json::json;
use std::path::Path;

/// Ensures an account whose primary profile is linked to the sandbox's accounts. Returns its API key,
/// kept in `<data_dir>/sandbox-api-key` so scripts and restarts find it.
pub async fn sandbox_account(store: &Store, data_dir: &Path) -> Result<String, BoxError> {
    let key_file = data_dir.join("sandbox-api-key");
    let existing = std::fs::read_to_string(&key_file).ok().map(|k| k.trim().to_string());
    let (account, key) = match existing {
        Some(k) => match store.account_for_key(&k).await? {
            Some(a) => (a, k),
            None => new_key(store).await?,
        },
        None => new_key(store).await?,
    };
    std::fs::write(&key_file, format!("{key}\n"))?;
    let profile = store.primary_profile(&account).await?;
    store
        .link_network(
            &profile.id,
            Platform::Telegram,
            &json!({"botToken": seed::TELEGRAM_BOT_TOKEN, "chatId": seed::TELEGRAM_CHAT_ID}),
            Some(seed::TELEGRAM_CHAT_ID),
        )
        .await?;
    store
        .link_network(
            &profile.id,
            Platform::Bluesky,
            &json!({"identifier": seed::BLUESKY_HANDLE, "appPassword": seed::BLUESKY_APP_PASSWORD}),
            Some(seed::BLUESKY_HANDLE),
        )
        .await?;
    let others = [
        (Platform::Facebook, json!({"pageId": seed::FACEBOOK_PAGE_ID, "accessToken": seed::FACEBOOK_PAGE_TOKEN}), "Crier Sandbox"),
        (Platform::Instagram, json!({"igUserId": seed::INSTAGRAM_USER_ID, "accessToken": seed::INSTAGRAM_TOKEN}), seed::INSTAGRAM_USERNAME),
        (Platform::Threads, json!({"threadsUserId": seed::THREADS_USER_ID, "accessToken": seed::THREADS_TOKEN}), seed::THREADS_USERNAME),
        (
            Platform::Twitter,
            json!({"accessToken": seed::X_ACCESS_TOKEN, "accessTokenSecret": seed::X_ACCESS_TOKEN_SECRET, "username": seed::X_USERNAME}),
            seed::X_USERNAME,
        ),
        (Platform::Youtube, json!({"accessToken": seed::YOUTUBE_ACCESS_TOKEN, "channelId": seed::YOUTUBE_CHANNEL_ID}), "Crier Sandbox"),
        (Platform::Linkedin, json!({"accessToken": seed::LINKEDIN_ACCESS_TOKEN, "author": seed::LINKEDIN_PERSON_URN}), "Crier Sandbox"),
        (Platform::Tiktok, json!({"accessToken": seed::TIKTOK_ACCESS_TOKEN, "openId": seed::TIKTOK_OPEN_ID}), seed::TIKTOK_USERNAME),
        (
            Platform::Pinterest,
            json!({"accessToken": seed::PINTEREST_ACCESS_TOKEN, "boardId": seed::PINTEREST_BOARD_ID}),
            seed::PINTEREST_USERNAME,
        ),
        (Platform::Reddit, json!({"accessToken": seed::REDDIT_ACCESS_TOKEN, "username": seed::REDDIT_USERNAME}), seed::REDDIT_USERNAME),
        (
            Platform::Gmb,
            json!({"accessToken": seed::GMB_ACCESS_TOKEN, "accountId": seed::GMB_ACCOUNT_ID, "locationId": seed::GMB_LOCATION_ID}),
            "Crier Sandbox",
        ),
        (Platform::Snapchat, json!({"accessToken": seed::SNAPCHAT_ACCESS_TOKEN, "profileId": seed::SNAPCHAT_PROFILE_ID}), "Crier Sandbox"),
    ];
    for (platform, creds, name) in others {
        store.link_network(&profile.id, platform, &creds, Some(name)).await?;
    }
    Ok(key)
}

async fn new_key(store: &Store) -> Result<(crier_store::Account, String), BoxError> {
    let account = match store.first_account().await? {
        Some(a) => a,
        None => store.create_account().await?,
    };
    let key = store.create_api_key(&account, Some("sandbox")).await?;
    Ok((account, key))
}
