//! The rate limit in the OpenAPI document: every authenticated operation (under `/api/`) shows the
//! `x-ratelimit-*` headers on its answers and documents its 429 (code 903, `Retry-After`).

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{Content, Object, OpenApi, Ref, RefOr, Type};

/// Header name and meaning; all are integers.
const HEADERS: &[(&str, &str)] = &[
    ("x-ratelimit-limit", "Requests allowed per window (the tighter of the API key's and the profile's limits)."),
    ("x-ratelimit-max", "Same as x-ratelimit-limit (Ayrshare's newer name)."),
    ("x-ratelimit-remaining", "Requests left in the current window."),
    ("x-ratelimit-count", "Requests counted in the current window, this one included."),
    ("x-ratelimit-reset", "Milliseconds until the current window ends."),
];

fn integer_header(description: &str) -> utoipa::openapi::header::Header {
    HeaderBuilder::new().schema(Some(Object::with_type(Type::Integer))).description(Some(description)).build()
}

fn with_limit_headers(response: &mut Response) {
    for (name, description) in HEADERS {
        response.headers.insert(name.to_string(), RefOr::T(integer_header(description)));
    }
}

fn too_many_requests() -> Response {
    let mut r = ResponseBuilder::new()
        .description("crier's own rate limit exceeded: code 903 (docs/errors.md)")
        .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorResponse"))))
        .header("retry-after", integer_header("Seconds until the request can pass."))
        .build();
    with_limit_headers(&mut r);
    r
}

fn document_operation(op: &mut Operation) {
    for response in op.responses.responses.values_mut() {
        if let RefOr::T(r) = response {
            with_limit_headers(r);
        }
    }
    op.responses.responses.insert("429".into(), RefOr::T(too_many_requests()));
}

/// Adds the rate limit to every operation that needs the API key.
pub(crate) fn document(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        if !path.starts_with("/api/") || path == "/api/openapi.json" {
            continue;
        }
        for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch].into_iter().flatten() {
            document_operation(op);
        }
    }
}
