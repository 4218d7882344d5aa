//! The profile picker's reads, in the shapes of Zernio's (Late's) OpenAPI
//! description of the Public Profile API (`snapchat.yaml` in
//! https://github.com/zernio-dev/openapi-specs, hand-written from
//! https://developers.snap.com/api/marketing-api/Public-Profile-API/Profiles):
//!
//! * `GET /v1/public_profiles/my_profile` → `MyProfileResponse`
//!   `{request_status, request_id, public_profile: PublicProfile}`;
//! * `GET /v1/public_profiles/{id}` → `SingleProfileResponse`
//!   `{request_status, request_id, public_profiles: [{sub_request_status, public_profile}]}`;
//! * `GET /v1/organizations/{organization_id}/public_profiles?limit&cursor`
//!   → `ProfileListResponse` (the same list plus `paging`).
//!
//! `PublicProfile` carries `logo_urls{original_logo_url (1280 px),
//! discover_feed_logo_url (72 px), mega_profile_logo_url (90 px),
//! manage_profile_logo_url (640 px)}`, the picture a picker shows.

use serde_json::{Value, json};

use super::error::{SnapError, request_id};
use crate::seed;

/// The organisation the seeded Public Profile belongs to.
pub(crate) const ORGANIZATION_ID: &str = "c0ffee00-0000-4000-8000-0000000000f1";

fn logo(width: u32) -> String {
    format!("https://cf-st.sc-cdn.net/aps/bolt/crier-sandbox-logo-{width}.png")
}

/// The seeded Public Profile.
pub(crate) fn profile() -> Value {
    json!({
        "id": seed::SNAPCHAT_PROFILE_ID,
        "organization_id": ORGANIZATION_ID,
        "display_name": "Crier Sandbox",
        "description": "The Public Profile crier's sandbox posts to.",
        "category": "CATEGORY_V3_BUSINESS_GROUP",
        "subcategory": "Software",
        "website": "https://example.org/crier",
        "logo_urls": {
            "original_logo_url": logo(1280),
            "discover_feed_logo_url": logo(72),
            "mega_profile_logo_url": logo(90),
            "manage_profile_logo_url": logo(640),
        },
        "country": "US",
        "snap_user_name": "crier_sandbox",
        "profile_type": "PUBLIC_PROFILE",
        "profile_tier": "TIER_PUBLIC",
        "internal_profile_category": "BUSINESS",
        "profile_icon_primary_color_hex": "#FFFC00",
        "subscriber_count": "0",
        "share_authorized_data_with_api_partners": true,
    })
}

pub(crate) fn my_profile() -> Value {
    json!({
        "request_status": "SUCCESS",
        "request_id": request_id(),
        "public_profile": profile(),
    })
}

fn sub_response() -> Value {
    json!({"sub_request_status": "SUCCESS", "public_profile": profile()})
}

/// `GET /v1/public_profiles/{id}` (the gate already refused other ids).
pub(crate) fn by_id() -> Value {
    json!({
        "request_status": "SUCCESS",
        "request_id": request_id(),
        "public_profiles": [sub_response()],
    })
}

/// `GET /v1/organizations/{id}/public_profiles`: one profile, one page.
pub(crate) fn of_organization(
    organization: &str,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<Value, SnapError> {
    if organization != ORGANIZATION_ID {
        return Err(SnapError::forbidden());
    }
    if let Some(raw) = limit
        && raw.parse::<u32>().map_or(true, |n| n == 0)
    {
        return Err(SnapError::invalid("limit must be a positive integer"));
    }
    // The one page has no next page; a cursor the sandbox never handed
    // out is refused.
    if cursor.is_some_and(|c| !c.is_empty()) {
        return Err(SnapError::invalid("Invalid cursor"));
    }
    Ok(json!({
        "request_status": "SUCCESS",
        "request_id": request_id(),
        "public_profiles": [sub_response()],
        "paging": {},
    }))
}
