//! The account pickers' reads (oauth-and-webhooks.md §11.6) in the sandbox:
//! each network's listing endpoint in its wire shape, answered for the
//! seeded token and for a token issued by the sandbox's authorization
//! server, refused with the network's own envelope for a wrong token, and
//! returning the seeded targets, so that a post made with the returned ids
//! publishes.

#[path = "oauth_kit/mod.rs"]
mod kit;

use chrono::Datelike;
use crier_sandbox::{SandboxHandle, seed};
use kit::{Profile, REDIRECT};
use serde_json::{Value, json};

async fn sandbox() -> SandboxHandle {
    crier_sandbox::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// GET with a bearer token (and extra headers); `(status, JSON body)`.
async fn get(
    sb: &SandboxHandle,
    path: &str,
    token: &str,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let mut req = kit::client()
        .get(format!("{}{}", sb.url, path))
        .bearer_auth(token);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn profile(
    name: &'static str,
    authorize: &'static str,
    token: &'static str,
    client_id: &'static str,
    client_secret: &'static str,
    scope: &'static str,
) -> Profile {
    Profile {
        name,
        authorize,
        token,
        client_param: "client_id",
        client_id,
        client_secret,
        basic: false,
        scope,
        extra: &[],
        rotates: false,
        invalid_grant: |_, _| false,
        bad_code: |_, _| false,
    }
}

/// Consent → code → token at the sandbox's authorization server.
async fn issued(sb: &SandboxHandle, p: &Profile) -> String {
    let answer = kit::code_flow(sb, p, None).await;
    let token = answer["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned();
    assert!(!token.is_empty());
    token
}

fn google() -> Profile {
    Profile {
        extra: &[("access_type", "offline"), ("prompt", "consent")],
        ..profile(
            "google",
            "/google/o/oauth2/v2/auth",
            "/google/token",
            seed::GOOGLE_CLIENT_ID,
            seed::GOOGLE_CLIENT_SECRET,
            "https://www.googleapis.com/auth/business.manage https://www.googleapis.com/auth/youtube.readonly",
        )
    }
}

// ---------------------------------------------------------------- Google

const GMB_MASK: &str = "name,title,storefrontAddress,metadata";

#[tokio::test]
async fn gmb_accounts_and_locations() {
    let sb = sandbox().await;
    let (status, body) = get(
        &sb,
        "/gmb/v1/accounts?pageSize=20",
        seed::GMB_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let account = &body["accounts"][0];
    assert_eq!(body["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(
        account["name"],
        format!("accounts/{}", seed::GMB_ACCOUNT_ID)
    );
    assert!(account["accountName"].is_string());
    assert!(account["type"].is_string());
    assert!(body.get("nextPageToken").is_none());

    let account_name = account["name"].as_str().unwrap();
    let (status, body) = get(
        &sb,
        &format!("/gmb/v1/{account_name}/locations?readMask={GMB_MASK}&pageSize=100"),
        seed::GMB_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let location = &body["locations"][0];
    assert_eq!(
        location["name"],
        format!("locations/{}", seed::GMB_LOCATION_ID)
    );
    assert_eq!(location["title"], "Crier Sandbox");
    assert!(location["storefrontAddress"]["addressLines"].is_array());
    assert!(location["metadata"]["placeId"].is_string());
    // Only the masked fields come back.
    assert!(location.get("phoneNumbers").is_none(), "{location}");

    // A narrower mask: nested path, and no `name` unless asked for.
    let (status, body) = get(
        &sb,
        &format!("/gmb/v1/{account_name}/locations?readMask=title,storefrontAddress.locality"),
        seed::GMB_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["locations"][0],
        json!({"title": "Crier Sandbox", "storefrontAddress": {"locality": "San Francisco"}})
    );

    // The location id posts through v4.
    let location_id = location["name"]
        .as_str()
        .unwrap()
        .trim_start_matches("locations/");
    let r = kit::client()
        .post(format!(
            "{}/gmb/v4/{account_name}/locations/{location_id}/localPosts",
            sb.url
        ))
        .bearer_auth(seed::GMB_ACCESS_TOKEN)
        .json(&json!({"languageCode": "en-US", "summary": "Picked", "topicType": "STANDARD"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
    assert_eq!(sb.state.ledger().len(), 1);
    assert_eq!(sb.state.ledger()[0].account, seed::GMB_LOCATION_ID);
}

#[tokio::test]
async fn gmb_refusals_and_issued_token() {
    let sb = sandbox().await;
    let base = format!("/gmb/v1/accounts/{}/locations", seed::GMB_ACCOUNT_ID);

    let (status, body) = get(&sb, &base, seed::GMB_ACCESS_TOKEN, &[]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["status"], "INVALID_ARGUMENT");
    assert_eq!(body["error"]["code"], 400);
    let violation = &body["error"]["details"][0];
    assert_eq!(
        violation["@type"],
        "type.googleapis.com/google.rpc.BadRequest"
    );
    assert_eq!(violation["fieldViolations"][0]["field"], "read_mask");
    assert_eq!(
        violation["fieldViolations"][0]["description"],
        "Field is required"
    );

    let (status, body) = get(
        &sb,
        &format!("{base}?readMask=name,nonsense"),
        seed::GMB_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["status"], "INVALID_ARGUMENT");

    let (status, body) = get(
        &sb,
        "/gmb/v1/accounts/999/locations?readMask=name",
        seed::GMB_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["status"], "PERMISSION_DENIED");

    for path in [
        "/gmb/v1/accounts".to_owned(),
        format!("{base}?readMask=name"),
    ] {
        let (status, body) = get(&sb, &path, "ya29.wrong", &[]).await;
        assert_eq!(status, 401, "{path}: {body}");
        assert_eq!(body["error"]["status"], "UNAUTHENTICATED");
    }

    let token = issued(&sb, &google()).await;
    let (status, body) = get(&sb, "/gmb/v1/accounts", &token, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["accounts"][0]["name"],
        format!("accounts/{}", seed::GMB_ACCOUNT_ID)
    );
    let (status, body) = get(&sb, &format!("{base}?readMask={GMB_MASK}"), &token, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["locations"][0]["name"],
        format!("locations/{}", seed::GMB_LOCATION_ID)
    );

    // YouTube: the same Google token lists the channel with its thumbnail.
    let (status, body) = get(
        &sb,
        "/youtube/youtube/v3/channels?part=snippet&mine=true",
        &token,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"][0]["id"], seed::YOUTUBE_CHANNEL_ID);
    let thumb = body["items"][0]["snippet"]["thumbnails"]["default"]["url"]
        .as_str()
        .unwrap();
    assert!(thumb.starts_with("https://"), "{thumb}");
    assert_eq!(
        body["items"][0]["snippet"]["thumbnails"]["default"]["width"],
        88
    );
}

// ---------------------------------------------------------------- LinkedIn

fn li_version() -> String {
    let now = chrono::Utc::now();
    format!("{}{:02}", now.year(), now.month())
}

async fn li_get(sb: &SandboxHandle, path: &str, token: &str) -> (u16, Value) {
    let version = li_version();
    get(
        sb,
        path,
        token,
        &[
            ("LinkedIn-Version", &version),
            ("X-Restli-Protocol-Version", "2.0.0"),
        ],
    )
    .await
}

const ACLS: &str =
    "/linkedin/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED";

#[tokio::test]
async fn linkedin_organizations_and_member() {
    let sb = sandbox().await;
    let (status, body) = li_get(&sb, ACLS, seed::LINKEDIN_ACCESS_TOKEN).await;
    assert_eq!(status, 200, "{body}");
    let acl = &body["elements"][0];
    assert_eq!(acl["organization"], seed::LINKEDIN_ORG_URN);
    assert_eq!(acl["role"], "ADMINISTRATOR");
    assert_eq!(acl["state"], "APPROVED");
    assert_eq!(acl["roleAssignee"], seed::LINKEDIN_PERSON_URN);
    assert_eq!(body["paging"]["total"], 1);
    assert_eq!(body["paging"]["start"], 0);

    // Other roles or states: nothing.
    let (status, body) = li_get(
        &sb,
        "/linkedin/rest/organizationAcls?q=roleAssignee&role=ANALYST",
        seed::LINKEDIN_ACCESS_TOKEN,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["elements"], json!([]));

    let org_id = acl["organization"]
        .as_str()
        .unwrap()
        .trim_start_matches("urn:li:organization:")
        .to_owned();
    let (status, org) = li_get(
        &sb,
        &format!("/linkedin/rest/organizations/{org_id}"),
        seed::LINKEDIN_ACCESS_TOKEN,
    )
    .await;
    assert_eq!(status, 200, "{org}");
    assert_eq!(org["id"].to_string(), org_id);
    assert_eq!(org["localizedName"], "Crier Sandbox");
    assert!(org["vanityName"].is_string());
    assert!(
        org["logoV2"]["original"]
            .as_str()
            .unwrap()
            .starts_with("urn:li:digitalmediaAsset:")
    );

    // Decorated: logo URLs, and the organisation inside the ACL element.
    let (status, org) = li_get(
        &sb,
        &format!("/linkedin/rest/organizations/{org_id}?projection=(id,localizedName,logoV2(original~:playableStreams))"),
        seed::LINKEDIN_ACCESS_TOKEN,
    )
    .await;
    assert_eq!(status, 200, "{org}");
    let url = org["logoV2"]["original~"]["elements"][0]["identifiers"][0]["identifier"]
        .as_str()
        .unwrap();
    assert!(url.starts_with("https://"), "{url}");
    let (status, body) = li_get(
        &sb,
        &format!("{ACLS}&projection=(elements*(*,organization~(localizedName)))"),
        seed::LINKEDIN_ACCESS_TOKEN,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["elements"][0]["organization~"]["localizedName"],
        "Crier Sandbox"
    );

    let (status, body) = li_get(
        &sb,
        &format!("/linkedin/rest/organizations?ids=List({org_id},42)"),
        seed::LINKEDIN_ACCESS_TOKEN,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][&org_id]["localizedName"], "Crier Sandbox");
    assert_eq!(body["statuses"]["42"], 404);

    let (status, body) = li_get(
        &sb,
        "/linkedin/rest/organizations/42",
        seed::LINKEDIN_ACCESS_TOKEN,
    )
    .await;
    assert_eq!(status, 404, "{body}");

    let (status, me) = get(
        &sb,
        "/linkedin/v2/userinfo",
        seed::LINKEDIN_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert!(me["picture"].as_str().unwrap().starts_with("https://"));
    assert_eq!(
        format!("urn:li:person:{}", me["sub"].as_str().unwrap()),
        seed::LINKEDIN_PERSON_URN
    );

    // A post authored by the returned organisation publishes.
    let version = li_version();
    let r = kit::client()
        .post(format!("{}/linkedin/rest/posts", sb.url))
        .bearer_auth(seed::LINKEDIN_ACCESS_TOKEN)
        .header("LinkedIn-Version", version)
        .header("X-Restli-Protocol-Version", "2.0.0")
        .json(&json!({
            "author": format!("urn:li:organization:{org_id}"),
            "commentary": "From the company page",
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": false,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
    assert_eq!(sb.state.ledger()[0].account, seed::LINKEDIN_ORG_URN);
}

#[tokio::test]
async fn linkedin_refusals_and_issued_token() {
    let sb = sandbox().await;
    let (status, body) = li_get(&sb, ACLS, "AQVwrong").await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["serviceErrorCode"], 65600);
    let (status, body) = li_get(
        &sb,
        "/linkedin/rest/organizationAcls?q=nope",
        seed::LINKEDIN_ACCESS_TOKEN,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // Without the versioning headers: LinkedIn's own 400.
    let (status, body) = get(&sb, ACLS, seed::LINKEDIN_ACCESS_TOKEN, &[]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "VERSION_MISSING");

    let p = profile(
        "linkedin",
        "/linkedin/oauth/v2/authorization",
        "/linkedin/oauth/v2/accessToken",
        seed::LINKEDIN_CLIENT_ID,
        seed::LINKEDIN_CLIENT_SECRET,
        "openid profile w_member_social rw_organization_admin w_organization_social",
    );
    let token = issued(&sb, &p).await;
    let (status, body) = li_get(&sb, ACLS, &token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["elements"][0]["organization"], seed::LINKEDIN_ORG_URN);
    let (status, body) = li_get(&sb, "/linkedin/rest/organizations/100000001", &token).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(&sb, "/linkedin/v2/userinfo", &token, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["picture"].is_string());
}

// ---------------------------------------------------------------- Meta

fn facebook() -> Profile {
    profile(
        "facebook",
        "/facebook/v25.0/dialog/oauth",
        "/facebook/v25.0/oauth/access_token",
        seed::FACEBOOK_CLIENT_ID,
        seed::FACEBOOK_CLIENT_SECRET,
        "pages_show_list,pages_manage_posts,instagram_basic,instagram_content_publish",
    )
}

async fn plain_get(sb: &SandboxHandle, path_and_query: &str) -> (u16, Value) {
    let r = kit::client()
        .get(format!("{}{}", sb.url, path_and_query))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// Dialog → code → user token (Graph's GET exchange).
async fn facebook_user_token(sb: &SandboxHandle) -> String {
    let p = facebook();
    let params = kit::authorize_params(&p, REDIRECT, None);
    let back = kit::decide(sb, &p, &params, "consent").await;
    let (status, body) = plain_get(
        sb,
        &format!(
            "/facebook/v25.0/oauth/access_token?client_id={}&client_secret={}&redirect_uri={}&code={}",
            p.client_id,
            p.client_secret,
            REDIRECT.replace(':', "%3A").replace('/', "%2F"),
            back["code"]
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn facebook_pages_with_instagram_accounts() {
    let sb = sandbox().await;
    let user = facebook_user_token(&sb).await;
    let fields =
        "id,name,access_token,picture,instagram_business_account{id,username,profile_picture_url}";
    let (status, body) = get(
        &sb,
        &format!("/facebook/v25.0/me/accounts?fields={fields}"),
        &user,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = &body["data"][0];
    assert_eq!(page["id"], seed::FACEBOOK_PAGE_ID);
    assert_eq!(page["name"], "Crier Sandbox");
    assert!(
        page["picture"]["data"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let ig = &page["instagram_business_account"];
    assert_eq!(ig["id"], seed::INSTAGRAM_USER_ID);
    assert_eq!(ig["username"], seed::INSTAGRAM_USERNAME);
    let page_token = page["access_token"].as_str().unwrap().to_owned();

    // Unexpanded: the IG account is just its id; `picture{url}` narrows.
    let (status, body) = get(
        &sb,
        "/facebook/me/accounts?fields=id,instagram_business_account,picture{url}",
        &user,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"][0]["instagram_business_account"],
        json!({"id": seed::INSTAGRAM_USER_ID})
    );
    assert_eq!(
        body["data"][0]["picture"]["data"]
            .as_object()
            .unwrap()
            .len(),
        1
    );

    // The IG node answers the same username and picture to the Page token.
    let (status, node) = get(
        &sb,
        &format!(
            "/facebook/v25.0/{}?fields=username,profile_picture_url",
            seed::INSTAGRAM_USER_ID
        ),
        &page_token,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{node}");
    assert_eq!(node["username"], ig["username"]);
    assert_eq!(node["profile_picture_url"], ig["profile_picture_url"]);
    let (status, node) = get(
        &sb,
        &format!(
            "/facebook/v25.0/{}?fields=name,picture",
            seed::FACEBOOK_PAGE_ID
        ),
        &page_token,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{node}");
    assert_eq!(
        node["picture"]["data"]["url"],
        page["picture"]["data"]["url"]
    );

    // The Page token publishes to the returned Page id (as a bearer token,
    // the way crier's Graph client sends it).
    let r = kit::client()
        .post(format!(
            "{}/facebook/v25.0/{}/feed",
            sb.url,
            seed::FACEBOOK_PAGE_ID
        ))
        .bearer_auth(&page_token)
        .form(&[("message", "Picked page")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
    assert_eq!(sb.state.ledger()[0].account, seed::FACEBOOK_PAGE_ID);

    // A wrong token: Graph's 190.
    let (status, body) = get(&sb, "/facebook/v25.0/me/accounts", "EAAwrong", &[]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], 190);
    assert_eq!(body["error"]["type"], "OAuthException");
}

#[tokio::test]
async fn threads_me_seeded_and_issued() {
    let sb = sandbox().await;
    let fields = "fields=id,username,threads_profile_picture_url";
    for path in [
        format!("/threads/v1.0/me?{fields}"),
        format!("/threads/me?{fields}"),
    ] {
        let (status, body) = get(&sb, &path, seed::THREADS_TOKEN, &[]).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(body["id"], seed::THREADS_USER_ID);
        assert_eq!(body["username"], seed::THREADS_USERNAME);
        assert!(
            body["threads_profile_picture_url"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
    }
    let p = profile(
        "threads",
        "/threads/oauth/authorize",
        "/threads/oauth/access_token",
        seed::THREADS_CLIENT_ID,
        seed::THREADS_CLIENT_SECRET,
        "threads_basic,threads_content_publish",
    );
    let token = issued(&sb, &p).await;
    let (status, body) = get(&sb, &format!("/threads/v1.0/me?{fields}"), &token, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], seed::THREADS_USER_ID);
    let (status, body) = get(&sb, &format!("/threads/v1.0/me?{fields}"), "THwrong", &[]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], 190);
}

// ---------------------------------------------------------------- Pinterest

#[tokio::test]
async fn pinterest_boards_and_account() {
    let sb = sandbox().await;
    let (status, body) = get(
        &sb,
        "/pinterest/v5/boards?page_size=250",
        seed::PINTEREST_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let board = &body["items"][0];
    assert_eq!(board["id"], seed::PINTEREST_BOARD_ID);
    assert!(board["name"].is_string() && board["description"].is_string());
    assert_eq!(board["privacy"], "PUBLIC");
    assert!(body.get("bookmark").is_some());
    let (status, body) = get(
        &sb,
        "/pinterest/v5/boards?page_size=500",
        seed::PINTEREST_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], 1);

    let (status, body) = get(&sb, "/pinterest/v5/boards", "pina_wrong", &[]).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], 2);

    let p = Profile {
        basic: true,
        ..profile(
            "pinterest",
            "/pinterest/oauth/",
            "/pinterest/v5/oauth/token",
            seed::PINTEREST_CLIENT_ID,
            seed::PINTEREST_CLIENT_SECRET,
            "boards:read,pins:read,pins:write,user_accounts:read",
        )
    };
    let token = issued(&sb, &p).await;
    let (status, body) = get(&sb, "/pinterest/v5/boards?page_size=25", &token, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"][0]["id"], seed::PINTEREST_BOARD_ID);
    let (status, me) = get(&sb, "/pinterest/v5/user_account", &token, &[]).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["username"], seed::PINTEREST_USERNAME);
    assert!(
        me["profile_image"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
}

// ---------------------------------------------------------------- Snapchat

#[tokio::test]
async fn snapchat_public_profiles() {
    let sb = sandbox().await;
    let (status, body) = get(
        &sb,
        "/snapchat/v1/public_profiles/my_profile",
        seed::SNAPCHAT_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["request_status"], "SUCCESS");
    let profile_json = &body["public_profile"];
    assert_eq!(profile_json["id"], seed::SNAPCHAT_PROFILE_ID);
    assert_eq!(profile_json["display_name"], "Crier Sandbox");
    assert!(
        profile_json["logo_urls"]["original_logo_url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let org = profile_json["organization_id"].as_str().unwrap().to_owned();

    let (status, body) = get(
        &sb,
        &format!("/snapchat/v1/organizations/{org}/public_profiles?limit=10"),
        seed::SNAPCHAT_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["public_profiles"][0]["sub_request_status"], "SUCCESS");
    assert_eq!(
        body["public_profiles"][0]["public_profile"]["id"],
        seed::SNAPCHAT_PROFILE_ID
    );

    let (status, body) = get(
        &sb,
        &format!("/snapchat/v1/public_profiles/{}", seed::SNAPCHAT_PROFILE_ID),
        seed::SNAPCHAT_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["public_profiles"][0]["public_profile"]["display_name"],
        "Crier Sandbox"
    );
    let (status, _) = get(
        &sb,
        "/snapchat/v1/public_profiles/c0ffee00-dead-4000-8000-000000000000",
        seed::SNAPCHAT_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 403);

    // The returned id is the one the posting API takes.
    let (status, body) = get(
        &sb,
        &format!(
            "/snapchat/v1/public_profiles/{}/stories",
            seed::SNAPCHAT_PROFILE_ID
        ),
        seed::SNAPCHAT_ACCESS_TOKEN,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = get(&sb, "/snapchat/v1/public_profiles/my_profile", "wrong", &[]).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["request_status"], "ERROR");

    let p = profile(
        "snapchat",
        "/snapchat/login/oauth2/authorize",
        "/snapchat/login/oauth2/access_token",
        seed::SNAPCHAT_CLIENT_ID,
        seed::SNAPCHAT_CLIENT_SECRET,
        "snapchat-profile-api",
    );
    let token = issued(&sb, &p).await;
    let (status, body) = get(&sb, "/snapchat/v1/public_profiles/my_profile", &token, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["public_profile"]["id"], seed::SNAPCHAT_PROFILE_ID);
}

// ---------------------------------------------------------------- TikTok, Reddit

#[tokio::test]
async fn tiktok_and_reddit_identities() {
    let sb = sandbox().await;
    let path = "/tiktok/v2/user/info/?fields=open_id,avatar_url,display_name,username";
    let (status, body) = get(&sb, path, seed::TIKTOK_ACCESS_TOKEN, &[]).await;
    assert_eq!(status, 200, "{body}");
    let user = &body["data"]["user"];
    assert_eq!(user["open_id"], seed::TIKTOK_OPEN_ID);
    assert_eq!(user["username"], seed::TIKTOK_USERNAME);
    assert!(user["display_name"].is_string());
    assert!(user["avatar_url"].as_str().unwrap().starts_with("https://"));
    assert_eq!(body["error"]["code"], "ok");
    let (status, body) = get(&sb, path, "act.wrong", &[]).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"]["code"], "access_token_invalid");
    let p = Profile {
        client_param: "client_key",
        ..profile(
            "tiktok",
            "/tiktok/v2/auth/authorize/",
            "/tiktok/v2/oauth/token/",
            seed::TIKTOK_CLIENT_ID,
            seed::TIKTOK_CLIENT_SECRET,
            "user.info.basic,video.publish",
        )
    };
    let token = issued(&sb, &p).await;
    let (status, body) = get(&sb, path, &token, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["user"]["open_id"], seed::TIKTOK_OPEN_ID);

    let p = Profile {
        basic: true,
        extra: &[("duration", "permanent")],
        ..profile(
            "reddit",
            "/reddit/api/v1/authorize",
            "/reddit/api/v1/access_token",
            seed::REDDIT_CLIENT_ID,
            seed::REDDIT_CLIENT_SECRET,
            "identity submit",
        )
    };
    let token = issued(&sb, &p).await;
    // Reddit throttles requests without a descriptive User-Agent.
    let ua = [("User-Agent", "crier-test/1.0 (by /u/crier_sandbox)")];
    let (status, me) = get(&sb, "/reddit/api/v1/me", &token, &ua).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["name"], seed::REDDIT_USERNAME);
    assert!(me["icon_img"].as_str().unwrap().starts_with("https://"));
    let (status, _) = get(&sb, "/reddit/api/v1/me", "wrong", &ua).await;
    assert_eq!(status, 401);
}
