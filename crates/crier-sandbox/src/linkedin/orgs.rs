//! The organisation picker's reads:
//!
//! * `GET /rest/organizationAcls?q=roleAssignee[&role][&state][&start][&count][&projection]`
//!   (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role,
//!   "Find a Member's Organization Access Control Information"): the
//!   member's roles, `{"paging":{start,count,links,total},"elements":[{roleAssignee,
//!   role,state,organization,created,lastModified}]}`; `q=organization&organization=<urn>`
//!   lists an organisation's role holders. A `projection` naming
//!   `organization~` decorates each element with the organisation, as
//!   Rest.li decoration does.
//! * `GET /rest/organizations/{id}` and the batch `GET /rest/organizations?ids=List(…)`
//!   (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-lookup-api):
//!   `{id, $URN, localizedName, name{localized,preferredLocale}, vanityName,
//!   logoV2{original,cropped,cropInfo}, …}`. `logoV2` holds digital-media
//!   asset URNs, not URLs; the URLs come with the decoration
//!   `projection=(…,logoV2(original~:playableStreams,cropped~:playableStreams))`
//!   as `logoV2["original~"].elements[].identifiers[].identifier`.
//!
//! The member administers one organisation, [`seed::LINKEDIN_ORG_URN`]
//! (the one `/rest/posts` takes as `author` besides the member).

use serde_json::{Map, Value, json};

use super::Call;
use super::error::LiError;
use crate::seed;

/// The seeded organisation's numeric id.
pub(crate) fn org_id() -> &'static str {
    seed::LINKEDIN_ORG_URN.trim_start_matches("urn:li:organization:")
}

const LOGO_ASSET: &str = "urn:li:digitalmediaAsset:C4D0BAQcrierSbxLogo01";
/// When the member became administrator (fixed: 2024-01-01).
const GRANTED_MS: i64 = 1_704_067_200_000;

/// `original~` / `cropped~` with `playableStreams`: one still image per size.
fn streams(class: &str) -> Value {
    let elements: Vec<Value> = [100, 200, 400]
        .iter()
        .map(|size| {
            let name = format!("{class}_{size}_{size}");
            json!({
                "artifact": format!("urn:li:digitalmediaMediaArtifact:({LOGO_ASSET},urn:li:digitalmediaMediaArtifactClass:{name})"),
                "authorizationMethod": "PUBLIC",
                "data": {"com.linkedin.digitalmedia.mediaartifact.StillImage": {
                    "mediaType": "image/png",
                    "storageSize": {"width": size, "height": size},
                    "displaySize": {"width": *size as f64, "height": *size as f64, "uom": "PX"},
                }},
                "identifiers": [{
                    "identifier": format!("https://media.licdn.com/dms/image/C4D0BAQcrierSbxLogo01/{name}/0/1704067200000/crier_sandbox_logo?e=2147483647&v=beta&t=sandbox"),
                    "index": 0,
                    "mediaType": "image/png",
                    "identifierType": "EXTERNAL_URL",
                    "identifierExpiresInSeconds": 2_147_483_647u64,
                }],
            })
        })
        .collect();
    json!({"paging": {"count": 10, "start": 0, "links": []}, "elements": elements})
}

/// The organisation as the lookup API returns it; `decorate` adds the
/// logo URLs (the projection asked for `original~`/`cropped~`).
fn organization(decorate: bool) -> Value {
    let locale = json!({"country": "US", "language": "en"});
    let localized = |text: &str| json!({"localized": {"en_US": text}, "preferredLocale": locale});
    let mut logo = json!({
        "original": LOGO_ASSET,
        "cropped": LOGO_ASSET,
        "cropInfo": {"x": 0, "y": 0, "width": 0, "height": 0},
    });
    if decorate {
        logo["original~"] = streams("company-logo");
        logo["cropped~"] = streams("company-logo");
    }
    json!({
        "id": org_id().parse::<u64>().unwrap_or_default(),
        "$URN": seed::LINKEDIN_ORG_URN,
        "localizedName": "Crier Sandbox",
        "name": localized("Crier Sandbox"),
        "vanityName": "crier-sandbox",
        "localizedWebsite": "https://example.org/crier",
        "website": localized("https://example.org/crier"),
        "localizedDescription": "The company page crier's sandbox publishes to.",
        "description": localized("The company page crier's sandbox publishes to."),
        "defaultLocale": locale,
        "organizationType": "PRIVATELY_HELD",
        "primaryOrganizationType": "NONE",
        "entityStatus": "ACTIVE",
        "staffCountRange": "SIZE_2_TO_10",
        "industries": ["urn:li:industry:4"],
        "locations": [],
        "alternativeNames": [],
        "specialties": [],
        "localizedSpecialties": [],
        "groups": [],
        "logoV2": logo,
        "versionTag": "1",
    })
}

fn wants_logo_urls(call: &Call) -> bool {
    call.query_value("projection")
        .is_some_and(|p| p.contains("original~") || p.contains("cropped~"))
}

/// `GET /rest/organizations/{id}` (the id, or its URN percent-decoded).
pub(crate) fn get(call: &Call, id: &str) -> Result<Value, LiError> {
    let id = id.trim_start_matches("urn:li:organization:");
    if id != org_id() {
        return Err(LiError::not_found(&format!("Organization {id}")));
    }
    Ok(organization(wants_logo_urls(call)))
}

/// `GET /rest/organizations?ids=List(1,2)` (Rest.li 2.0 batch get).
pub(crate) fn batch_get(call: &Call) -> Result<Value, LiError> {
    let raw = call.query_value("ids").ok_or_else(|| {
        LiError::bad_request("Parameter 'ids' is required (or use a finder with 'q')")
    })?;
    let inner = raw
        .strip_prefix("List(")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(raw);
    let mut results = Map::new();
    let mut statuses = Map::new();
    let mut errors = Map::new();
    for id in inner.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let id = id.trim_start_matches("urn:li:organization:");
        if id == org_id() {
            results.insert(id.to_owned(), organization(wants_logo_urls(call)));
            statuses.insert(id.to_owned(), json!(200));
        } else {
            statuses.insert(id.to_owned(), json!(404));
            errors.insert(
                id.to_owned(),
                json!({"status": 404, "message": format!("Organization {id} does not exist")}),
            );
        }
    }
    Ok(json!({"results": results, "statuses": statuses, "errors": errors}))
}

fn acl() -> Value {
    let stamp = json!({"actor": seed::LINKEDIN_PERSON_URN, "time": GRANTED_MS});
    json!({
        "roleAssignee": seed::LINKEDIN_PERSON_URN,
        "role": "ADMINISTRATOR",
        "state": "APPROVED",
        "organization": seed::LINKEDIN_ORG_URN,
        "created": stamp,
        "lastModified": stamp,
    })
}

fn index(call: &Call, key: &str, default: usize) -> Result<usize, LiError> {
    match call.query_value(key) {
        None => Ok(default),
        Some(raw) => raw
            .parse()
            .map_err(|_| LiError::bad_request(&format!("Invalid value for parameter '{key}'"))),
    }
}

/// `GET /rest/organizationAcls?q=roleAssignee|organization…`.
pub(crate) fn acls(call: &Call) -> Result<Value, LiError> {
    match call.query_value("q") {
        Some("roleAssignee") => {
            // Only the authenticated member's own roles may be read.
            if call
                .query_value("roleAssignee")
                .is_some_and(|r| r != seed::LINKEDIN_PERSON_URN)
            {
                return Err(LiError::access_denied(
                    "organizationAcls",
                    "FINDER-roleAssignee",
                    &call.version,
                ));
            }
        }
        Some("organization") => {
            let org = call
                .query_value("organization")
                .ok_or_else(|| LiError::bad_request("Parameter 'organization' is required"))?;
            if org != seed::LINKEDIN_ORG_URN {
                return Err(LiError::access_denied(
                    "organizationAcls",
                    "FINDER-organization",
                    &call.version,
                ));
            }
        }
        _ => {
            return Err(LiError::bad_request(
                "Parameter 'q' must be 'roleAssignee' or 'organization'",
            ));
        }
    }
    let start = index(call, "start", 0)?;
    let count = index(call, "count", 10)?;
    let role_ok = call
        .query_value("role")
        .is_none_or(|r| r == "ADMINISTRATOR");
    let state_ok = call.query_value("state").is_none_or(|s| s == "APPROVED");
    let decorate_org = call
        .query_value("projection")
        .is_some_and(|p| p.contains("organization~"));
    let mut all = Vec::new();
    if role_ok && state_ok {
        let mut element = acl();
        if decorate_org {
            element["organization~"] = organization(wants_logo_urls(call));
        }
        all.push(element);
    }
    let total = all.len();
    let elements: Vec<Value> = all.into_iter().skip(start).take(count).collect();
    Ok(json!({
        "paging": {"start": start, "count": count, "links": [], "total": total},
        "elements": elements,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_organization() {
        assert_eq!(org_id(), "100000001");
        let plain = organization(false);
        assert_eq!(plain["id"], 100_000_001u64);
        assert!(plain["logoV2"].get("original~").is_none());
        let decorated = organization(true);
        let url = &decorated["logoV2"]["original~"]["elements"][0]["identifiers"][0]["identifier"];
        assert!(url.as_str().unwrap().starts_with("https://"));
    }
}
