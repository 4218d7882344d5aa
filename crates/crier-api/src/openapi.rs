//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]`
//! annotations and the wire shapes below, served at `/api/openapi.json`.
//! Aliases share their operation with the main path. schemathesis holds the
//! server to this document in CI.

use serde_json::Value;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// One failure (an element of `errors[]`, or a request-level error on its own).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ErrorObject {
    /// The operation: `post`, `delete`, `analytics`, `history`, `link`, `retry`, `profile`, `auth`.
    action: String,
    /// Always `error`.
    status: String,
    /// Catalog code (docs/errors.md).
    code: i64,
    /// Human text in the caller's language (Accept-Language).
    message: String,
    /// The network's raw text or the exact cause; never translated.
    details: Option<String>,
    platform: Option<String>,
    /// `true` only when a retry can succeed and cannot publish twice.
    #[schema(rename = "retryAvailable")]
    retry_available: Option<bool>,
    source: Option<String>,
    post: Option<String>,
}

/// Any error answer: a flat error object, or a post envelope with `errors[]`.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ErrorResponse {
    status: String,
    code: Option<i64>,
    action: Option<String>,
    message: Option<String>,
    details: Option<String>,
    errors: Option<Vec<ErrorObject>>,
    #[schema(rename = "postIds")]
    post_ids: Option<Vec<Value>>,
    id: Option<String>,
}

/// One network that published (or is still publishing: `status: pending`).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct PostId {
    status: String,
    id: String,
    platform: String,
    #[schema(rename = "postUrl")]
    post_url: Option<String>,
}

/// `POST /post` body (Ayrshare's fields; unknown fields such as `source` are ignored).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct PostBody {
    post: String,
    /// Network ids (`bluesky`, `facebook`, `gmb`, `instagram`, `linkedin`, `pinterest`, `reddit`,
    /// `snapchat`, `telegram`, `threads`, `tiktok`, `twitter`, `youtube`) or `["all"]`.
    platforms: Vec<String>,
    #[schema(rename = "mediaUrls")]
    media_urls: Option<Vec<String>>,
    /// ISO 8601; in the future: scheduled.
    #[schema(rename = "scheduleDate")]
    schedule_date: Option<String>,
    #[schema(rename = "shortenLinks")]
    shorten_links: Option<bool>,
    #[schema(rename = "idempotencyKey")]
    idempotency_key: Option<String>,
    #[schema(rename = "isVideo")]
    is_video: Option<bool>,
    notes: Option<String>,
    #[schema(rename = "instagramOptions")]
    instagram_options: Option<Value>,
    #[schema(rename = "youTubeOptions")]
    youtube_options: Option<Value>,
    #[schema(rename = "twitterOptions")]
    twitter_options: Option<Value>,
    #[schema(rename = "faceBookOptions")]
    facebook_options: Option<Value>,
    #[schema(rename = "blueSkyOptions")]
    bluesky_options: Option<Value>,
}

/// The answer to a post: per network, what happened.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct PostEnvelope {
    /// `success`, `error`, `processing` or `scheduled`.
    status: String,
    errors: Vec<ErrorObject>,
    #[schema(rename = "postIds")]
    post_ids: Vec<PostId>,
    id: Option<String>,
    #[schema(rename = "refId")]
    ref_id: Option<String>,
    #[schema(rename = "profileTitle")]
    profile_title: Option<String>,
    post: Option<String>,
    #[schema(rename = "scheduleDate")]
    schedule_date: Option<String>,
}

/// A stored post (`GET /post/:id`, `/history`).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct PostObject {
    id: String,
    created: String,
    post: String,
    platforms: Vec<String>,
    #[schema(rename = "mediaUrls")]
    media_urls: Vec<String>,
    #[schema(rename = "postIds")]
    post_ids: Vec<PostId>,
    errors: Vec<ErrorObject>,
    /// `pending`, `processing`, `success`, `error`, `deleted`.
    status: String,
    /// `now` or `scheduled`.
    #[schema(rename = "type")]
    kind: String,
    #[schema(rename = "shortenLinks")]
    shorten_links: bool,
    #[schema(rename = "refId")]
    ref_id: String,
    #[schema(rename = "profileTitle")]
    profile_title: String,
    #[schema(rename = "scheduleDate")]
    schedule_date: Option<String>,
    notes: Option<String>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct HistoryResponse {
    status: String,
    #[schema(rename = "refId")]
    ref_id: String,
    count: i64,
    history: Vec<PostObject>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct IdBody {
    id: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct DeleteBody {
    id: Option<String>,
    bulk: Option<Vec<String>>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct UpdatePostBody {
    id: String,
    #[schema(rename = "scheduleDate")]
    schedule_date: Option<String>,
    notes: Option<String>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ProfileBody {
    title: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ProfileKeyBody {
    #[schema(rename = "profileKey")]
    profile_key: Option<String>,
    title: Option<String>,
}

/// `POST /profiles/generateJWT` (Ayrshare's fields; `domain`, `privateKey`, `verify`, `base64`,
/// `email` are accepted and ignored).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct GenerateJwtBody {
    /// A profile of the caller's account (or the `Profile-Key` header).
    #[schema(rename = "profileKey")]
    profile_key: String,
    domain: Option<String>,
    #[schema(rename = "privateKey")]
    private_key: Option<String>,
    /// http(s) URL the page's Done button returns to.
    redirect: Option<String>,
    /// Network ids offered on the page; default all.
    #[schema(rename = "allowedSocial")]
    allowed_social: Option<Vec<String>>,
    /// End earlier linking pages of the profile.
    logout: Option<bool>,
    /// Minutes the URL stays valid, 1-2880 (default `linking.link_minutes`, 5).
    #[schema(rename = "expiresIn", minimum = 1, maximum = 2880)]
    expires_in: Option<i64>,
}

/// `DELETE /profiles/social`.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct UnlinkBody {
    /// The network id to unlink.
    platform: String,
    /// The profile (else the `Profile-Key` header, else the primary profile).
    #[schema(rename = "profileKey")]
    profile_key: Option<String>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct AnalyticsPostBody {
    id: String,
    platforms: Option<Vec<String>>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct AnalyticsSocialBody {
    platforms: Vec<String>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct LinkBody {
    url: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct UploadBody {
    /// `data:<type>;base64,<data>`
    file: String,
    #[schema(rename = "fileName")]
    file_name: Option<String>,
    description: Option<String>,
}

/// `multipart/form-data` form of an upload.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct UploadForm {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    #[schema(rename = "fileName")]
    file_name: Option<String>,
    description: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "crier", description = "Self-hosted, Ayrshare-compatible social-media publishing API. Error codes: docs/errors.md."),
    paths(
        crate::routes::post::create::create, crate::routes::post::read::read, crate::routes::post::remove::remove, crate::routes::post::update::update,
        crate::routes::post::retry::retry, crate::routes::history::list, crate::routes::history::one,
        crate::routes::profiles::list, crate::routes::profiles::create, crate::routes::profiles::remove,
        crate::routes::profiles::rename, crate::routes::analytics::post_analytics, crate::routes::analytics::social_analytics,
        crate::routes::user::user, crate::routes::links::create, crate::routes::links::list, crate::routes::links::analytics,
        crate::routes::media::upload, crate::routes::media::url_exists, crate::routes::media::list, crate::routes::media::serve, crate::routes::links::redirect,
        crate::routes::linking::generate_jwt::generate_jwt, crate::routes::linking::unlink::unlink_social,
        openapi_json,
    ),
    components(schemas(ErrorObject, ErrorResponse, PostId, PostBody, PostEnvelope, PostObject, HistoryResponse)),
    modifiers(&Bearer),
    security(("bearer" = []))
)]
struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3.1 document", body = serde_json::Value)))]
pub(crate) async fn openapi_json() -> axum::Json<Value> {
    axum::Json(json())
}

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// Paths the SDKs use for the same operations (official-sdks.md §5).
const ALIASES: &[(&str, HttpMethod, &str, HttpMethod)] = &[
    ("/api/post", HttpMethod::Delete, "/api/delete", HttpMethod::Delete),
    ("/api/post", HttpMethod::Put, "/api/post", HttpMethod::Patch),
    ("/api/post/retry", HttpMethod::Put, "/api/post/retry", HttpMethod::Post),
    ("/api/profiles", HttpMethod::Post, "/api/profiles/profile", HttpMethod::Post),
    ("/api/profiles", HttpMethod::Post, "/api/profiles/create-profile", HttpMethod::Post),
    ("/api/profiles", HttpMethod::Delete, "/api/profiles/profile", HttpMethod::Delete),
    ("/api/profiles", HttpMethod::Delete, "/api/profiles/delete-profile", HttpMethod::Delete),
    ("/api/profiles", HttpMethod::Patch, "/api/profiles/profile", HttpMethod::Put),
    ("/api/links", HttpMethod::Post, "/api/shorten", HttpMethod::Post),
    ("/api/links", HttpMethod::Post, "/api/short", HttpMethod::Post),
    ("/api/media/upload", HttpMethod::Post, "/api/upload", HttpMethod::Post),
];

fn operation(doc: &utoipa::openapi::OpenApi, path: &str, method: &HttpMethod) -> Option<Operation> {
    let item = doc.paths.get_path_item(path)?;
    match method {
        HttpMethod::Get => item.get.clone(),
        HttpMethod::Post => item.post.clone(),
        HttpMethod::Put => item.put.clone(),
        HttpMethod::Delete => item.delete.clone(),
        HttpMethod::Patch => item.patch.clone(),
        _ => None,
    }
}

/// The document, with every alias path added.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for (from, from_method, to, to_method) in ALIASES {
        if let Some(op) = operation(&doc, from, from_method) {
            doc.paths.add_path_operation(*to, vec![to_method.clone()], op);
        }
    }
    crate::openapi_limits::document(&mut doc);
    // Operation ids from method and path: unique, and stable for generated clients.
    for (path, item) in doc.paths.paths.iter_mut() {
        let name = path.trim_start_matches("/api/").replace(['/', '-', '{', '}'], "_");
        for (method, op) in [("get", &mut item.get), ("post", &mut item.post), ("put", &mut item.put), ("delete", &mut item.delete), ("patch", &mut item.patch)] {
            if let Some(op) = op {
                op.operation_id = Some(format!("{method}_{}", name.trim_end_matches('_')));
            }
        }
    }
    doc
}

pub fn json() -> Value {
    serde_json::to_value(document()).unwrap_or(Value::Null)
}
