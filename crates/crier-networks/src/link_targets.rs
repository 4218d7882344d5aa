//! Which accounts an OAuth grant can publish to (oauth-and-webhooks.md §11.6): after the code
//! exchange the linking page lists them and, where there can be several (Facebook Pages,
//! Instagram accounts through their Page, Business Profile locations, Pinterest boards, LinkedIn
//! member or organisations, YouTube channels), lets the user choose. Each target carries the
//! credentials its connector reads (Page token for Facebook/Instagram, the user token elsewhere),
//! a name and a picture. Through the connectors' own client and addresses.

use crate::Networks;
use crate::oauth::TokenSet;
use crate::oauth::meta::GRAPH_VERSION;
use crier_core::Platform;
use serde_json::{Value, json};

/// One account the user may link.
#[derive(Clone, PartialEq)]
pub struct LinkTarget {
    /// Stable id within this grant (the choice's value on the page).
    pub id: String,
    pub name: String,
    pub picture: Option<String>,
    /// What the network's connector reads, without the refresh token (the caller adds it).
    pub credentials: Value,
}

impl std::fmt::Debug for LinkTarget {
    // Credentials hold tokens: never in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkTarget").field("id", &self.id).field("name", &self.name).finish_non_exhaustive()
    }
}

/// Why no target could be listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetsError {
    /// The network answered, but there is nothing this grant may publish to (no Page, no
    /// Instagram professional account, no location…): the page says so.
    Nothing,
    /// The network could not be reached or answered something unreadable.
    Unreadable,
}

/// Networks whose grant can cover several publishing targets: the page always lets the user
/// see and confirm which one is linked.
pub fn offers_choice(platform: Platform) -> bool {
    matches!(platform, Platform::Facebook | Platform::Instagram | Platform::Gmb | Platform::Pinterest | Platform::Linkedin | Platform::Youtube)
}

const LIST_LIMIT: usize = 50;

fn s(v: &Value, pointer: &str) -> Option<String> {
    v.pointer(pointer).and_then(|x| x.as_str().map(str::to_string).or_else(|| x.as_i64().map(|n| n.to_string()))).filter(|x| !x.is_empty())
}

/// Reddit HTML-escapes `&` in its image URLs.
fn unescape_amp(url: String) -> String {
    url.replace("&amp;", "&")
}

impl Networks {
    async fn read_json(&self, req: reqwest::RequestBuilder) -> Result<Value, TargetsError> {
        let resp = req.send().await.map_err(|_| TargetsError::Unreadable)?;
        if !resp.status().is_success() {
            return Err(TargetsError::Unreadable);
        }
        resp.json::<Value>().await.map_err(|_| TargetsError::Unreadable)
    }

    fn bearer_get(&self, base: &str, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.http.get(format!("{}{path}", base.trim_end_matches('/'))).bearer_auth(token)
    }

    /// The accounts this grant may publish to, for the linking page (never empty when `Ok`).
    pub async fn oauth_targets(&self, platform: Platform, tokens: &TokenSet) -> Result<Vec<LinkTarget>, TargetsError> {
        let t = tokens.access_token.as_str();
        let targets = match platform {
            Platform::Facebook | Platform::Instagram => self.meta_targets(platform, t).await?,
            Platform::Threads => self.threads_target(tokens).await?,
            Platform::Youtube => self.youtube_targets(t).await?,
            Platform::Gmb => self.gmb_targets(t).await?,
            Platform::Linkedin => self.linkedin_targets(t).await?,
            Platform::Pinterest => self.pinterest_targets(t).await?,
            Platform::Tiktok => self.tiktok_target(tokens).await?,
            Platform::Reddit => self.reddit_target(t).await?,
            Platform::Snapchat => self.snapchat_target(t).await?,
            _ => return Err(TargetsError::Unreadable),
        };
        if targets.is_empty() { Err(TargetsError::Nothing) } else { Ok(targets.into_iter().take(LIST_LIMIT).collect()) }
    }

    /// Pages from `/me/accounts` with their own tokens; for Instagram, the professional account
    /// of each Page that has one. The long-lived user token is kept for revoking at unlink.
    async fn meta_targets(&self, platform: Platform, user_token: &str) -> Result<Vec<LinkTarget>, TargetsError> {
        let fields = "id,name,access_token,picture,instagram_business_account{id,username,profile_picture_url}";
        let req = self.bearer_get(&self.endpoints.facebook, &format!("/{GRAPH_VERSION}/me/accounts"), user_token).query(&[("fields", fields), ("limit", "100")]);
        let body = self.read_json(req).await?;
        let pages = body.get("data").and_then(Value::as_array).ok_or(TargetsError::Unreadable)?;
        Ok(pages
            .iter()
            .filter_map(|p| {
                let (page_id, page_token) = (s(p, "/id")?, s(p, "/access_token")?);
                let page_name = s(p, "/name").unwrap_or_else(|| page_id.clone());
                if platform == Platform::Facebook {
                    return Some(LinkTarget {
                        id: page_id.clone(),
                        name: page_name,
                        picture: s(p, "/picture/data/url"),
                        credentials: json!({"accessToken": page_token, "pageId": page_id, "userToken": user_token}),
                    });
                }
                let ig = p.get("instagram_business_account")?;
                let ig_id = s(ig, "/id")?;
                let name = s(ig, "/username").map(|u| format!("@{u} ({page_name})")).unwrap_or(page_name);
                Some(LinkTarget {
                    id: ig_id.clone(),
                    name,
                    picture: s(ig, "/profile_picture_url"),
                    credentials: json!({"accessToken": page_token, "igUserId": ig_id, "pageId": page_id, "userToken": user_token}),
                })
            })
            .collect())
    }

    /// One Threads profile per consent: `/me`.
    async fn threads_target(&self, tokens: &TokenSet) -> Result<Vec<LinkTarget>, TargetsError> {
        let req = self.bearer_get(&self.endpoints.threads, "/v1.0/me", &tokens.access_token).query(&[("fields", "id,username,threads_profile_picture_url")]);
        let me = self.read_json(req).await?;
        let id = s(&me, "/id").ok_or(TargetsError::Unreadable)?;
        Ok(vec![LinkTarget {
            name: s(&me, "/username").map(|u| format!("@{u}")).unwrap_or_else(|| id.clone()),
            picture: s(&me, "/threads_profile_picture_url"),
            credentials: json!({"accessToken": tokens.access_token, "threadsUserId": id}),
            id,
        }])
    }

    /// The channels of the consenting identity (normally one; brand accounts are chosen on
    /// Google's own chooser).
    async fn youtube_targets(&self, token: &str) -> Result<Vec<LinkTarget>, TargetsError> {
        let list = self.read_json(self.bearer_get(&self.endpoints.youtube, "/youtube/v3/channels?part=snippet&mine=true", token)).await?;
        let items = list.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
        Ok(items
            .iter()
            .filter_map(|c| {
                let id = s(c, "/id")?;
                Some(LinkTarget {
                    name: s(c, "/snippet/title").unwrap_or_else(|| id.clone()),
                    picture: s(c, "/snippet/thumbnails/default/url"),
                    credentials: json!({"accessToken": token, "channelId": id}),
                    id,
                })
            })
            .collect())
    }

    /// Business Profile locations across the user's accounts (Account Management v1, then
    /// Business Information v1 with its required `readMask`). In production these are other
    /// hosts than the v4 API the connector posts to; a sandbox serves all three at one base.
    async fn gmb_targets(&self, token: &str) -> Result<Vec<LinkTarget>, TargetsError> {
        let (accounts_base, info_base) = if self.endpoints.gmb == crate::Endpoints::default().gmb {
            ("https://mybusinessaccountmanagement.googleapis.com".to_string(), "https://mybusinessbusinessinformation.googleapis.com".to_string())
        } else {
            (self.endpoints.gmb.clone(), self.endpoints.gmb.clone())
        };
        let accounts = self.read_json(self.bearer_get(&accounts_base, "/v1/accounts", token).query(&[("pageSize", "20")])).await?;
        let mut out = Vec::new();
        for account in accounts.get("accounts").and_then(Value::as_array).cloned().unwrap_or_default().iter().take(10) {
            let Some(account_name) = s(account, "/name").filter(|n| n.starts_with("accounts/") && n[9..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')) else {
                continue;
            };
            let req = self.bearer_get(&info_base, &format!("/v1/{account_name}/locations"), token).query(&[("readMask", "name,title"), ("pageSize", "100")]);
            let locations = self.read_json(req).await?;
            for l in locations.get("locations").and_then(Value::as_array).cloned().unwrap_or_default() {
                let Some(location_id) = s(&l, "/name").and_then(|n| n.strip_prefix("locations/").map(str::to_string)) else { continue };
                let account_id = account_name["accounts/".len()..].to_string();
                out.push(LinkTarget {
                    id: format!("{account_id}/{location_id}"),
                    name: s(&l, "/title").unwrap_or_else(|| location_id.clone()),
                    picture: None,
                    credentials: json!({"accessToken": token, "accountId": account_id, "locationId": location_id}),
                });
            }
        }
        Ok(out)
    }

    /// The member (`/v2/userinfo`) and each organisation they administer (`organizationAcls`).
    /// Organisations need the Community Management product; without it only the member is listed.
    async fn linkedin_targets(&self, token: &str) -> Result<Vec<LinkTarget>, TargetsError> {
        let e = &self.endpoints.linkedin;
        let me = self.read_json(self.bearer_get(e, "/v2/userinfo", token)).await?;
        let sub = s(&me, "/sub").ok_or(TargetsError::Unreadable)?;
        let mut out = vec![LinkTarget {
            id: format!("urn:li:person:{sub}"),
            name: s(&me, "/name").unwrap_or_else(|| sub.clone()),
            picture: s(&me, "/picture"),
            credentials: json!({"accessToken": token, "author": format!("urn:li:person:{sub}")}),
        }];
        let rest = |path: &str| {
            self.bearer_get(e, path, token).header("LinkedIn-Version", crate::linkedin::LINKEDIN_VERSION).header("X-Restli-Protocol-Version", "2.0.0")
        };
        let acls = rest("/rest/organizationAcls").query(&[("q", "roleAssignee"), ("role", "ADMINISTRATOR"), ("state", "APPROVED")]);
        let Ok(acls) = self.read_json(acls).await else { return Ok(out) };
        for acl in acls.get("elements").and_then(Value::as_array).cloned().unwrap_or_default().iter().take(LIST_LIMIT) {
            let Some(org_id) = s(acl, "/organization").and_then(|u| u.strip_prefix("urn:li:organization:").map(str::to_string)) else { continue };
            if org_id.is_empty() || !org_id.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let org = self.read_json(rest(&format!("/rest/organizations/{org_id}"))).await.unwrap_or(Value::Null);
            let urn = format!("urn:li:organization:{org_id}");
            out.push(LinkTarget {
                name: s(&org, "/localizedName").unwrap_or_else(|| urn.clone()),
                picture: None,
                credentials: json!({"accessToken": token, "author": urn}),
                id: urn,
            });
        }
        Ok(out)
    }

    /// The default board among the user's boards (`/v5/user_account`, then `/v5/boards`).
    async fn pinterest_targets(&self, token: &str) -> Result<Vec<LinkTarget>, TargetsError> {
        let e = &self.endpoints.pinterest;
        let user = self.read_json(self.bearer_get(e, "/v5/user_account", token)).await?;
        let username = s(&user, "/username");
        let boards = self.read_json(self.bearer_get(e, "/v5/boards", token).query(&[("page_size", "100")])).await?;
        let items = boards.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
        Ok(items
            .iter()
            .filter_map(|b| {
                let id = s(b, "/id")?;
                let board = s(b, "/name").unwrap_or_else(|| id.clone());
                Some(LinkTarget {
                    name: match &username {
                        Some(u) => format!("{u} / {board}"),
                        None => board,
                    },
                    picture: s(&user, "/profile_image"),
                    credentials: json!({"accessToken": token, "boardId": id}),
                    id,
                })
            })
            .collect())
    }

    /// TikTok's `open_id` comes with the token; `/v2/user/info/` adds a name and avatar.
    async fn tiktok_target(&self, tokens: &TokenSet) -> Result<Vec<LinkTarget>, TargetsError> {
        let open_id = tokens.extra.get("open_id").and_then(Value::as_str).filter(|s| !s.is_empty()).ok_or(TargetsError::Unreadable)?.to_string();
        let req = self.bearer_get(&self.endpoints.tiktok, "/v2/user/info/", &tokens.access_token).query(&[("fields", "open_id,avatar_url,display_name,username")]);
        let info = self.read_json(req).await.unwrap_or(Value::Null);
        let user = info.pointer("/data/user").cloned().unwrap_or(Value::Null);
        Ok(vec![LinkTarget {
            name: s(&user, "/display_name").or_else(|| s(&user, "/username").map(|u| format!("@{u}"))).unwrap_or_else(|| "TikTok".into()),
            picture: s(&user, "/avatar_url"),
            credentials: json!({"accessToken": tokens.access_token, "openId": open_id}),
            id: open_id,
        }])
    }

    async fn reddit_target(&self, token: &str) -> Result<Vec<LinkTarget>, TargetsError> {
        let agent = format!("crier/{} (account linking)", env!("CARGO_PKG_VERSION"));
        let me = self.read_json(self.bearer_get(&self.endpoints.reddit, "/api/v1/me", token).header("user-agent", agent)).await?;
        let name = s(&me, "/name").ok_or(TargetsError::Unreadable)?;
        Ok(vec![LinkTarget {
            id: name.clone(),
            picture: s(&me, "/icon_img").map(unescape_amp),
            credentials: json!({"accessToken": token, "username": name}),
            name: format!("u/{name}"),
        }])
    }

    /// The consenting user's Public Profile.
    async fn snapchat_target(&self, token: &str) -> Result<Vec<LinkTarget>, TargetsError> {
        let body = self.read_json(self.bearer_get(&self.endpoints.snapchat, "/v1/public_profiles/my_profile", token)).await?;
        // One profile, or a list of `{public_profile}` wrappers as the other Marketing API reads answer.
        let profile = body
            .get("public_profile")
            .cloned()
            .or_else(|| body.pointer("/public_profiles/0/public_profile").cloned())
            .or_else(|| body.pointer("/public_profiles/0").cloned())
            .ok_or(TargetsError::Unreadable)?;
        let id = s(&profile, "/id").ok_or(TargetsError::Unreadable)?;
        Ok(vec![LinkTarget {
            name: s(&profile, "/display_name").unwrap_or_else(|| id.clone()),
            picture: s(&profile, "/logo_urls/original_logo_url").or_else(|| s(&profile, "/profile_image_url")).or_else(|| s(&profile, "/logo_url")),
            credentials: json!({"accessToken": token, "profileId": id}),
            id,
        }])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reddit_icons_are_unescaped() {
        assert_eq!(super::unescape_amp("https://x/i.png?a=1&amp;b=2".into()), "https://x/i.png?a=1&b=2");
    }
}
