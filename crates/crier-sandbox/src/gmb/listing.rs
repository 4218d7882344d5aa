//! The account picker's reads, beside the v4 posting routes:
//!
//! * `GET /v1/accounts` — Account Management API `accounts.list`
//!   (https://developers.google.com/my-business/reference/accountmanagement/rest/v1/accounts/list,
//!   real host `mybusinessaccountmanagement.googleapis.com`):
//!   `{"accounts":[Account]}` with `nextPageToken` only when more follow
//!   (there is one account, so never). `pageSize` default and maximum 20.
//! * `GET /v1/accounts/{id}/locations?readMask=…` — Business Information API
//!   `accounts.locations.list`
//!   (https://developers.google.com/my-business/reference/businessinformation/rest/v1/accounts.locations/list,
//!   real host `mybusinessbusinessinformation.googleapis.com`):
//!   `{"locations":[Location],"totalSize"}`. `readMask` is required; only the
//!   masked fields come back (`name` too only when asked for), as on Google.
//!   Without it: 400 `INVALID_ARGUMENT` with a `google.rpc.BadRequest`
//!   `read_mask` / "Field is required" violation (observed in
//!   googleapis/google-api-php-client-services#6637); an unknown field:
//!   400 "Invalid field mask provided" (observed, Canonry/canonry#727).
//!
//! Google omits empty repeated fields, so a list with nothing is `{}`. The
//! Business Information `Location` has no picture field (photos live in the
//! v4 media API), so none is served.

use axum::http::Method;
use serde_json::{Map, Value, json};

use super::Inner;
use super::error::GmbError;
use crate::request::last_value;
use crate::seed;

/// A picker read (path after `/gmb`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Listing {
    Accounts,
    Locations(String),
}

impl Listing {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Listing::Accounts => "accounts.list",
            Listing::Locations(_) => "locations.list",
        }
    }

    pub(super) fn rpc(&self) -> &'static str {
        match self {
            Listing::Accounts => {
                "google.mybusiness.accountmanagement.v1.AccountManagement.ListAccounts"
            }
            Listing::Locations(_) => {
                "google.mybusiness.businessinformation.v1.BusinessInformation.ListLocations"
            }
        }
    }
}

pub(super) fn route(method: &Method, path: &str) -> Option<Listing> {
    if method != Method::GET {
        return None;
    }
    let path = path.trim_end_matches('/');
    if path == "/v1/accounts" {
        return Some(Listing::Accounts);
    }
    let account = path
        .strip_prefix("/v1/accounts/")?
        .strip_suffix("/locations")?;
    (!account.is_empty() && !account.contains('/')).then(|| Listing::Locations(account.to_owned()))
}

/// The seeded account (`accounts/{GMB_ACCOUNT_ID}`).
fn account() -> Value {
    json!({
        "name": format!("accounts/{}", seed::GMB_ACCOUNT_ID),
        "accountName": "Crier Sandbox",
        "type": "PERSONAL",
        "role": "PRIMARY_OWNER",
        "verificationState": "VERIFIED",
        "vettedState": "NOT_VETTED",
        "permissionLevel": "OWNER_LEVEL",
    })
}

/// Every field the seeded location has; `readMask` picks among them.
fn location(verified: bool) -> Map<String, Value> {
    let place = "ChIJcrierSandbox0000000001";
    let v = json!({
        "name": format!("locations/{}", seed::GMB_LOCATION_ID),
        "languageCode": "en",
        "storeCode": "CRIER-SBX-001",
        "title": "Crier Sandbox",
        "phoneNumbers": {"primaryPhone": "+1 415-555-0100"},
        "categories": {
            "primaryCategory": {"name": "categories/gcid:software_company", "displayName": "Software company"}
        },
        "storefrontAddress": {
            "regionCode": "US",
            "languageCode": "en",
            "postalCode": "94105",
            "administrativeArea": "CA",
            "locality": "San Francisco",
            "addressLines": ["1 Sandbox Way"]
        },
        "websiteUri": "https://example.org/crier",
        "latlng": {"latitude": 37.7897, "longitude": -122.3972},
        "openInfo": {"status": "OPEN", "canReopen": true},
        "profile": {"description": "The location crier's sandbox publishes to."},
        "metadata": {
            "hasGoogleUpdated": false,
            "hasPendingEdits": false,
            "canDelete": true,
            "canOperateLocalPost": verified,
            "canModifyServiceList": true,
            "canHaveFoodMenus": false,
            "canOperateHealthData": false,
            "canOperateLodgingData": false,
            "placeId": place,
            "mapsUri": "https://maps.google.com/maps?cid=1000000000000000001",
            "newReviewUri": format!("https://search.google.com/local/writereview?placeid={place}"),
            "canHaveBusinessCalls": true,
            "hasVoiceOfMerchant": verified
        }
    });
    match v {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn bad_request(description: &str) -> GmbError {
    GmbError::invalid_argument("Request contains an invalid argument.").detail(json!({
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        "fieldViolations": [{"field": "read_mask", "description": description}],
    }))
}

/// Copies `path` (`storefrontAddress.locality`) from `full` into `out`;
/// `false` when the path names nothing.
fn copy_path(full: &Map<String, Value>, out: &mut Map<String, Value>, path: &[&str]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let Some(value) = full.get(*first) else {
        return false;
    };
    if rest.is_empty() {
        out.insert((*first).to_owned(), value.clone());
        return true;
    }
    let Value::Object(inner) = value else {
        return false;
    };
    let slot = out
        .entry((*first).to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    match slot {
        Value::Object(sub) => copy_path(inner, sub, rest),
        // The whole parent was asked for already.
        _ => true,
    }
}

/// The location projected on `readMask` (comma-separated field paths).
fn masked(full: &Map<String, Value>, mask: &str) -> Result<Value, GmbError> {
    let mut out = Map::new();
    for path in mask.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let parts: Vec<&str> = path.split('.').collect();
        if !copy_path(full, &mut out, &parts) {
            return Err(bad_request("Invalid field mask provided"));
        }
    }
    Ok(Value::Object(out))
}

/// `pageSize` within `1..=max` (0 or absent: `default`); Google clamps
/// larger values and refuses negative ones.
fn page_size(query: &[(String, String)], default: usize, max: usize) -> Result<usize, GmbError> {
    match last_value(query, "pageSize").or(last_value(query, "page_size")) {
        None | Some("") | Some("0") => Ok(default),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n > 0 => Ok((n as usize).min(max)),
            _ => Err(GmbError::invalid_argument(format!(
                "Invalid value at 'page_size' (TYPE_INT32), \"{raw}\""
            ))),
        },
    }
}

/// The sandbox hands out no page tokens: any one sent is invalid.
fn no_page_token(query: &[(String, String)]) -> Result<(), GmbError> {
    match last_value(query, "pageToken").or(last_value(query, "page_token")) {
        None | Some("") => Ok(()),
        Some(_) => Err(GmbError::invalid_argument("Invalid page token.")),
    }
}

pub(super) fn serve(
    inner: &Inner,
    listing: &Listing,
    query: &[(String, String)],
) -> Result<Value, GmbError> {
    match listing {
        Listing::Accounts => {
            page_size(query, 20, 20)?;
            no_page_token(query)?;
            // Sub-accounts of an account (location groups): none.
            if last_value(query, "parentAccount").is_some_and(|p| !p.is_empty()) {
                return Ok(json!({}));
            }
            Ok(json!({"accounts": [account()]}))
        }
        Listing::Locations(account) => {
            let mask = last_value(query, "readMask")
                .or(last_value(query, "read_mask"))
                .filter(|m| !m.trim().is_empty())
                .ok_or_else(|| bad_request("Field is required"))?;
            if account != seed::GMB_ACCOUNT_ID {
                return Err(GmbError::permission_denied());
            }
            page_size(query, 10, 100)?;
            no_page_token(query)?;
            let location = masked(&location(inner.verified), mask)?;
            Ok(json!({"locations": [location], "totalSize": 1}))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_masks() {
        assert_eq!(route(&Method::GET, "/v1/accounts"), Some(Listing::Accounts));
        assert_eq!(
            route(&Method::GET, "/v1/accounts/7/locations"),
            Some(Listing::Locations("7".into()))
        );
        assert_eq!(route(&Method::POST, "/v1/accounts"), None);
        assert_eq!(route(&Method::GET, "/v1/accounts/7/locations/1"), None);
        let full = location(true);
        let v = masked(&full, "name,storefrontAddress.locality,metadata.placeId").unwrap();
        assert_eq!(v["storefrontAddress"], json!({"locality": "San Francisco"}));
        assert!(v.get("title").is_none());
        assert!(masked(&full, "name,nope").is_err());
    }
}
