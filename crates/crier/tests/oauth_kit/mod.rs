//! Shared by the token tests: linking an account through the linking page's OAuth consent at
//! the sandbox (no browser), and the sandbox's count of authorization-server calls.
#![allow(dead_code)]

use crate::common::Harness;
use crate::linking_kit::{PageClient, csrf, path_of};
use serde_json::Value;

/// Goes through the sandbox's consent page without a browser (its form re-posts the query's
/// parameters with the decision); returns the page after crier's callback.
pub async fn link_with_consent(h: &Harness, page: &mut PageClient, url: &str, network: &str) -> String {
    let html = page.get(url).await.html;
    let start = page.submit(url, &format!("{}/oauth/{network}", path_of(url)), &[("csrf", &csrf(&html))]).await;
    assert_eq!(start.status, 303, "{}", start.html);
    let authorize = start.location.unwrap();
    let u = url::Url::parse(&authorize).unwrap();
    let mut fields: Vec<(String, String)> = u.query_pairs().into_owned().collect();
    fields.push(("decision".into(), "consent".into()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let answer = page.submit(&authorize, u.path(), &fields).await;
    assert_eq!(answer.status, 302, "{}", answer.html);
    let mut back = page.get(&answer.location.unwrap()).await;
    if back.status == 200 && back.html.contains(r#"id="choose-form""#) {
        // The account picker (networks listing several accounts): the first one.
        let value = |name: &str| {
            let tail = &back.html[back.html.find(&format!(r#"name="{name}""#)).unwrap()..];
            tail[tail.find(r#"value=""#).unwrap() + 7..].split('"').next().unwrap().to_string()
        };
        let (choice, target) = (value("choice"), value("target"));
        back = page.submit(url, &format!("{}/choose", path_of(url)), &[("csrf", &csrf(&back.html)), ("choice", &choice), ("target", &target)]).await;
    }
    assert_eq!(back.status, 303, "{network}: {}", back.html);
    page.get(&format!("{}{}", h.base, back.location.unwrap())).await.html
}

/// The sandbox's count of `kind` calls (`refresh_token`, `revoke`, …) at one network's
/// authorization server.
pub async fn oauth_calls(h: &Harness, network: &str, kind: &str) -> i64 {
    let v: Value = h.http.get(format!("{}/_sandbox/oauth/calls?network={network}", h.sandbox.url)).send().await.unwrap().json().await.unwrap();
    v["calls"][network][kind].as_i64().unwrap_or(0)
}
