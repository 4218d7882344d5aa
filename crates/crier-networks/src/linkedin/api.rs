//! LinkedIn's versioned REST API (`/rest/...`): every call carries
//! `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`, bearer auth.

use super::LINKEDIN_VERSION;
pub use crate::Answer;
use crate::{Call, HttpFailure, send};
use serde_json::Value;

pub struct Api {
    base: String,
}

/// One answer: status, headers (`x-restli-id`, `etag`) and the JSON body (`Null` when none).
/// A URN as one path segment or query value (Rest.li 2.0 wants `:` encoded).
pub fn encode(urn: &str) -> String {
    url::form_urlencoded::byte_serialize(urn.as_bytes()).collect::<String>().replace('+', "%20")
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api { base: base.trim_end_matches('/').to_string() }
    }

    /// `path` starts after `/rest/` and is already encoded.
    pub fn url(&self, path: &str) -> String {
        format!("{}/rest/{}", self.base, path.trim_start_matches('/'))
    }

    fn versioned(req: reqwest::RequestBuilder, token: &str) -> reqwest::RequestBuilder {
        req.bearer_auth(token).header("LinkedIn-Version", LINKEDIN_VERSION).header("X-Restli-Protocol-Version", "2.0.0")
    }

    pub async fn post_json(&self, call: &Call<'_>, token: &str, path: &str, body: &Value) -> Result<Answer, HttpFailure> {
        send(Self::versioned(call.http.post(self.url(path)), token).json(body)).await
    }

    pub async fn get(&self, call: &Call<'_>, token: &str, path: &str) -> Result<Answer, HttpFailure> {
        send(Self::versioned(call.http.get(self.url(path)), token)).await
    }

    /// A Rest.li finder (`?q=...`): LinkedIn asks for `X-RestLi-Method: FINDER`.
    pub async fn find(&self, call: &Call<'_>, token: &str, path_and_query: &str) -> Result<Answer, HttpFailure> {
        send(Self::versioned(call.http.get(self.url(path_and_query)), token).header("X-RestLi-Method", "FINDER")).await
    }

    pub async fn delete(&self, call: &Call<'_>, token: &str, path: &str) -> Result<Answer, HttpFailure> {
        send(Self::versioned(call.http.delete(self.url(path)), token).header("X-RestLi-Method", "DELETE")).await
    }

    /// Bytes to an upload URL LinkedIn handed out (absolute; not under `/rest`).
    pub async fn upload(call: &Call<'_>, token: &str, url: &str, bytes: Vec<u8>, mime: &str) -> Result<Answer, HttpFailure> {
        send(call.http.put(url).bearer_auth(token).header("content-type", mime).body(bytes)).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn urns_are_encoded_for_paths() {
        assert_eq!(super::encode("urn:li:share:123"), "urn%3Ali%3Ashare%3A123");
        assert_eq!(super::encode("urn:li:ugcPost:(a,b)"), "urn%3Ali%3AugcPost%3A%28a%2Cb%29");
    }
}
