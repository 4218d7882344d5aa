//! The OAuth networks the sandbox runs an authorization server for, their
//! sandbox apps, default lifetimes and the scopes their consent pages know.

use serde::Serialize;

use crate::seed;

/// One authorization server per network family (Instagram goes through
/// Facebook Login; YouTube and Business Profile share Google's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Net {
    Facebook,
    Threads,
    Google,
    Linkedin,
    Tiktok,
    Pinterest,
    Reddit,
    Snapchat,
    /// X's OAuth 1.0a three-legged flow (`x.rs`); its tokens never expire.
    X,
}

impl Net {
    pub(crate) const ALL: [Net; 9] = [
        Net::Facebook,
        Net::Threads,
        Net::Google,
        Net::Linkedin,
        Net::Tiktok,
        Net::Pinterest,
        Net::Reddit,
        Net::Snapchat,
        Net::X,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Net::Facebook => "facebook",
            Net::Threads => "threads",
            Net::Google => "google",
            Net::Linkedin => "linkedin",
            Net::Tiktok => "tiktok",
            Net::Pinterest => "pinterest",
            Net::Reddit => "reddit",
            Net::Snapchat => "snapchat",
            Net::X => "x",
        }
    }

    /// A control body's `network`: the family or one of its members.
    pub(crate) fn parse(name: &str) -> Option<Net> {
        Some(match name.to_ascii_lowercase().as_str() {
            "facebook" | "instagram" => Net::Facebook,
            "threads" => Net::Threads,
            "google" | "youtube" | "gmb" => Net::Google,
            "linkedin" => Net::Linkedin,
            "tiktok" => Net::Tiktok,
            "pinterest" => Net::Pinterest,
            "reddit" => Net::Reddit,
            "snapchat" => Net::Snapchat,
            "x" | "twitter" => Net::X,
            _ => return None,
        })
    }

    pub(crate) fn client_id(self) -> &'static str {
        match self {
            Net::Facebook => seed::FACEBOOK_CLIENT_ID,
            Net::Threads => seed::THREADS_CLIENT_ID,
            Net::Google => seed::GOOGLE_CLIENT_ID,
            Net::Linkedin => seed::LINKEDIN_CLIENT_ID,
            Net::Tiktok => seed::TIKTOK_CLIENT_ID,
            Net::Pinterest => seed::PINTEREST_CLIENT_ID,
            Net::Reddit => seed::REDDIT_CLIENT_ID,
            Net::Snapchat => seed::SNAPCHAT_CLIENT_ID,
            Net::X => seed::X_CONSUMER_KEY,
        }
    }

    pub(crate) fn client_secret(self) -> &'static str {
        match self {
            Net::Facebook => seed::FACEBOOK_CLIENT_SECRET,
            Net::Threads => seed::THREADS_CLIENT_SECRET,
            Net::Google => seed::GOOGLE_CLIENT_SECRET,
            Net::Linkedin => seed::LINKEDIN_CLIENT_SECRET,
            Net::Tiktok => seed::TIKTOK_CLIENT_SECRET,
            Net::Pinterest => seed::PINTEREST_CLIENT_SECRET,
            Net::Reddit => seed::REDDIT_CLIENT_SECRET,
            Net::Snapchat => seed::SNAPCHAT_CLIENT_SECRET,
            Net::X => seed::X_CONSUMER_SECRET,
        }
    }

    /// The authorize parameter naming the app (TikTok says `client_key`).
    pub(crate) fn client_param(self) -> &'static str {
        match self {
            Net::Tiktok => "client_key",
            Net::X => "oauth_consumer_key",
            _ => "client_id",
        }
    }

    /// Display name on the consent page.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Net::Facebook => "Facebook",
            Net::Threads => "Threads",
            Net::Google => "Google",
            Net::Linkedin => "LinkedIn",
            Net::Tiktok => "TikTok",
            Net::Pinterest => "Pinterest",
            Net::Reddit => "reddit",
            Net::Snapchat => "Snapchat",
            Net::X => "X",
        }
    }

    /// How the token answer joins granted scopes.
    pub(crate) fn scope_separator(self) -> &'static str {
        match self {
            Net::Google | Net::Reddit | Net::Snapchat => " ",
            _ => ",",
        }
    }

    /// Whether `scope` is one the network's consent page knows.
    pub(crate) fn knows_scope(self, scope: &str) -> bool {
        let list: &[&str] = match self {
            Net::Facebook => &[
                "public_profile",
                "email",
                "pages_show_list",
                "pages_manage_posts",
                "pages_read_engagement",
                "pages_manage_engagement",
                "pages_manage_metadata",
                "pages_read_user_content",
                "publish_video",
                "read_insights",
                "business_management",
                "instagram_basic",
                "instagram_content_publish",
                "instagram_manage_insights",
                "instagram_manage_comments",
                "ads_management",
                "ads_read",
            ],
            Net::Threads => &[
                "threads_basic",
                "threads_content_publish",
                "threads_manage_insights",
                "threads_read_replies",
                "threads_manage_replies",
                "threads_delete",
                "threads_keyword_search",
                "threads_manage_mentions",
            ],
            Net::Google => {
                return scope.starts_with("https://www.googleapis.com/auth/")
                    || matches!(scope, "openid" | "email" | "profile");
            }
            Net::Linkedin => &[
                "openid",
                "profile",
                "email",
                "w_member_social",
                "r_basicprofile",
                "r_liteprofile",
                "r_emailaddress",
                "w_organization_social",
                "r_organization_social",
                "rw_organization_admin",
                "r_organization_admin",
            ],
            Net::Tiktok => &[
                "user.info.basic",
                "user.info.profile",
                "user.info.stats",
                "video.publish",
                "video.upload",
                "video.list",
            ],
            Net::Pinterest => &[
                "boards:read",
                "boards:write",
                "boards:read_secret",
                "boards:write_secret",
                "pins:read",
                "pins:write",
                "pins:read_secret",
                "pins:write_secret",
                "user_accounts:read",
                "ads:read",
                "ads:write",
                "catalogs:read",
                "catalogs:write",
            ],
            Net::Reddit => &[
                "identity",
                "edit",
                "flair",
                "history",
                "modconfig",
                "modflair",
                "modlog",
                "modposts",
                "modwiki",
                "mysubreddits",
                "privatemessages",
                "read",
                "report",
                "save",
                "submit",
                "subscribe",
                "vote",
                "wikiedit",
                "wikiread",
            ],
            Net::Snapchat => {
                return scope.starts_with("snapchat-")
                    || scope.starts_with("https://auth.snapchat.com/oauth2/api/");
            }
            // OAuth 1.0a has no scopes (the app's permission level decides).
            Net::X => &[],
        };
        list.contains(&scope)
    }

    /// Whether a refresh answer carries a new refresh token and the one
    /// sent stops working (TikTok, Pinterest's continuous refresh, Snapchat).
    pub(crate) fn rotates(self) -> bool {
        matches!(self, Net::Tiktok | Net::Pinterest | Net::Snapchat)
    }
}

/// Token lifetimes of one network, settable through `/_sandbox/oauth/lifetimes`.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Lifetimes {
    /// What the code exchange and a refresh issue (Meta/Threads: the
    /// short-lived user token).
    pub access_token_secs: u64,
    /// `None`: refresh tokens do not expire (Google, Reddit).
    pub refresh_token_secs: Option<u64>,
    /// Meta / Threads long-lived user tokens (`fb_exchange_token`,
    /// `th_exchange_token`, `th_refresh_token`).
    pub long_lived_token_secs: Option<u64>,
    /// Threads: how old a long-lived token must be before it may be
    /// refreshed (24 h at Threads; 0 here by default so tests need not wait).
    pub min_refresh_age_secs: u64,
    /// Authorization codes (single-use).
    pub code_secs: u64,
}

impl Lifetimes {
    /// The networks' documented values (`oauth-and-webhooks.md` §0.2).
    pub(crate) fn default_for(net: Net) -> Lifetimes {
        let (access, refresh, long) = match net {
            Net::Facebook => (3600, None, Some(5_183_944)),
            Net::Threads => (3600, None, Some(5_183_944)),
            Net::Google => (3599, None, None),
            Net::Linkedin => (5_184_000, Some(31_536_000), None),
            // TikTok's 2026 docs: 2 h access, 180 d refresh (older: 24 h / 365 d).
            Net::Tiktok => (7200, Some(15_552_000), None),
            Net::Pinterest => (2_592_000, Some(5_184_000), None),
            Net::Reddit => (3600, None, None),
            Net::Snapchat => (3600, Some(31_536_000), None),
            // Unused: X's OAuth 1.0a access tokens do not expire.
            Net::X => (0, None, None),
        };
        Lifetimes {
            access_token_secs: access,
            refresh_token_secs: refresh,
            long_lived_token_secs: long,
            min_refresh_age_secs: 0,
            code_secs: 600,
        }
    }
}
