//! The OpenAPI document covers every route, aliases included, with the error envelope.

#[test]
fn document_lists_every_route_and_the_error_schema() {
    let doc = crier_api::openapi::json();
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/post", "post"), ("/api/post", "delete"), ("/api/post", "put"), ("/api/post", "patch"),
        ("/api/delete", "delete"), ("/api/post/{id}", "get"), ("/api/post/retry", "put"), ("/api/post/retry", "post"),
        ("/api/history", "get"), ("/api/history/{id}", "get"),
        ("/api/profiles", "get"), ("/api/profiles", "post"), ("/api/profiles", "delete"), ("/api/profiles", "patch"),
        ("/api/profiles/profile", "post"), ("/api/profiles/profile", "put"), ("/api/profiles/profile", "delete"),
        ("/api/profiles/create-profile", "post"), ("/api/profiles/delete-profile", "delete"),
        ("/api/analytics/post", "post"), ("/api/analytics/social", "post"), ("/api/user", "get"),
        ("/api/links", "post"), ("/api/links", "get"), ("/api/links/{id}", "get"), ("/api/shorten", "post"), ("/api/short", "post"),
        ("/api/media/upload", "post"), ("/api/upload", "post"), ("/api/media", "get"), ("/media/{token}", "get"), ("/l/{code}", "get"),
    ] {
        let op = &paths.get(path).unwrap_or_else(|| panic!("{path} missing"))[method];
        assert!(op.is_object(), "{method} {path} missing");
        assert!(op["responses"]["default"].is_object(), "{method} {path} documents its errors");
    }
    // The rate limit: headers on authenticated answers, a documented 429; not on public routes.
    let user = &paths["/api/user"]["get"]["responses"];
    assert!(user["200"]["headers"]["x-ratelimit-remaining"].is_object(), "{user}");
    assert!(user["429"]["headers"]["retry-after"].is_object(), "{user}");
    assert!(paths["/api/delete"]["delete"]["responses"]["429"].is_object(), "aliases too");
    assert!(paths["/media/{token}"]["get"]["responses"].get("429").is_none());
    assert!(doc["components"]["schemas"]["ErrorResponse"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let ids: Vec<&str> = paths.values().flat_map(|p| p.as_object().unwrap().values()).filter_map(|o| o["operationId"].as_str()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "operation ids are unique: {ids:?}");
}
