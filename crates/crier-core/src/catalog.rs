//! The one table of every error code crier answers with (`shared/spec/error-catalog.md`).
//!
//! Codes below 900 are Ayrshare's and keep Ayrshare's meaning; 900 and above are
//! crier's own. Everything else — HTTP status of a response, `retryAvailable`,
//! the message key for translation, `docs/errors.md` — is derived from here.

/// Whether an error of this code may carry `retryAvailable: true`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Never: a retry cannot succeed, or could publish twice.
    Never,
    /// Always: the network certainly did not publish and a later attempt can succeed.
    Always,
    /// Decided per occurrence by the network module (e.g. Instagram's fallback 138).
    Judged,
}

/// Who an error is about: one network inside `errors[]`, or the whole request (flat object).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Request,
    Network,
}

#[derive(Clone, Copy, Debug)]
pub struct CatalogEntry {
    pub code: u16,
    pub http: u16,
    pub retry: Retry,
    pub scope: Scope,
    /// Networks the code is used for, as in the contract ("any" when not network-specific).
    pub networks: &'static str,
    /// English one-liner for the generated docs. The user-facing text lives in the Fluent files.
    pub summary: &'static str,
}

impl CatalogEntry {
    /// Fluent message id of this code's user-facing text.
    pub fn message_key(&self) -> String {
        format!("err-{}", self.code)
    }
}

macro_rules! catalog {
    ($( $name:ident = $code:literal, $http:literal, $retry:ident, $scope:ident, $nets:literal, $summary:literal; )*) => {
        /// Named codes, so call sites read as what they mean.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code { $( $name, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$name, )* ];

            pub fn entry(self) -> &'static CatalogEntry {
                match self { $( Code::$name => &CatalogEntry {
                    code: $code, http: $http, retry: Retry::$retry, scope: Scope::$scope,
                    networks: $nets, summary: $summary,
                }, )* }
            }
        }
    };
}

catalog! {
    InvalidApiKey = 102, 401, Never, Request, "any", "API key missing or invalid.";
    FacebookRejected = 107, 400, Never, Network, "facebook", "Facebook rejected the post (Facebook's text in details).";
    TwitterDuplicate = 110, 400, Never, Network, "twitter", "X says the status is a duplicate.";
    TwitterLongPost = 111, 400, Never, Network, "twitter", "Long post from an X account without long-post rights.";
    TextTooLong = 132, 400, Never, Network, "any", "Text longer than the network allows (limit and overage in the message).";
    MediaUrlInvalid = 136, 400, Never, Network, "any", "Media URL invalid: not https, or malformed.";
    DuplicateContent = 137, 400, Never, Network, "any", "The same text was posted to that network in the last 48 hours.";
    InstagramGeneric = 138, 400, Judged, Network, "instagram", "Generic Instagram failure; also aspect-ratio and format rejections.";
    NotLinked = 156, 400, Never, Network, "any", "The network is not linked for this profile.";
    FacebookAuthBroken = 161, 400, Never, Network, "facebook", "Facebook authorization broken (password changed, access removed): relink.";
    MediaRules = 182, 400, Never, Network, "any", "Media failed pre-flight rules (aspect ratio, duration, size, count).";
    PostNotFound = 186, 404, Never, Request, "any", "Post id not found for this profile.";
    TwitterIdentity = 272, 400, Never, Network, "twitter", "X could not verify the identity behind the BYO keys and stored tokens (suspended, locked, or keys of another app).";
    ThreadsGeneric = 379, 400, Judged, Network, "threads", "Generic Threads failure.";
    TwitterCreditsDepleted = 416, 402, Never, Network, "twitter", "The X developer account has no API credits.";
    TwitterReadOnlyToken = 418, 403, Never, Network, "twitter", "X says the access token is read-only (x-access-level: read).";
    TwitterByoMissing = 419, 400, Never, Network, "twitter", "BYO headers X-Twitter-OAuth1-Api-Key / X-Twitter-OAuth1-Api-Secret missing (the message names which).";
    InstagramRateLimit = 435, 429, Never, Network, "instagram", "Instagram publishing limit: 50 posts per rolling 24 h, Meta HTTP 429, or subcode 1390008.";
    InstagramProcessingTimeout = 436, 400, Always, Network, "instagram", "Meta took too long to process the media container.";
    MediaFetchByNetwork = 440, 400, Never, Network, "instagram, threads, facebook", "The network's crawler could not download mediaUrl (robots.txt, WAF, 403).";
    CaptionEnhancement = 441, 502, Never, Network, "any", "A caption enhancement (e.g. shortenLinks) failed for that network.";
    FacebookAnalyticsThrottle = 444, 429, Never, Network, "facebook", "Meta per-Page analytics throttle (Meta error 80001); publishing unaffected.";
    TrialReelsStrategyMissing = 447, 400, Never, Network, "instagram", "instagramOptions.trialParams present but graduationStrategy missing, null or empty.";
    TrialReelsStrategyInvalid = 448, 400, Never, Network, "instagram", "graduationStrategy not exactly MANUAL or SS_PERFORMANCE.";
    TrialReelsMedia = 449, 400, Never, Network, "instagram", "Trial reel media not eligible (carousel, story, or not one .mp4/.mov).";
    ImageConversion = 450, 400, Never, Network, "any needing conversion", "Downloaded image could not be re-encoded as JPEG.";
    ImageDownload = 451, 400, Never, Network, "any needing conversion", "Source image could not be fetched (HTTP error, timeout, redirects, non-public address).";
    ImageStaging = 452, 500, Always, Network, "any needing conversion; uploads", "Converted JPEG (or an upload) could not be stored in temporary storage.";
    YoutubeTimeout = 453, 504, Always, Network, "youtube", "YouTube ingest timed out.";
    YoutubeUnavailable = 454, 503, Always, Network, "youtube", "YouTube upload endpoint 5xx, or the connection was reset or timed out.";
    MalformedBody = 900, 400, Never, Request, "any", "Request body is not valid JSON, or a field has the wrong type or value.";
    MissingField = 901, 400, Never, Request, "any", "A required field is missing (the field is named in details).";
    UnknownPlatform = 902, 400, Never, Request, "any", "platforms is empty or names a network crier does not know.";
    RateLimited = 903, 429, Never, Request, "any", "crier's own API rate limit was exceeded.";
    ProfileForbidden = 904, 403, Never, Request, "any", "The Profile-Key is not a profile of this API key's account.";
    OutcomeUnknown = 905, 502, Never, Network, "any", "Publish outcome unknown: the network may have published. Check the account before posting again.";
    RetryRefused = 906, 400, Never, Request, "any", "Retry refused: the post is not in error, has nothing retryable, or was already retried.";
    IdempotencyConflict = 907, 400, Never, Request, "any", "Idempotency key already used with a different request body.";
    TokenInvalid = 908, 400, Never, Network, "any but facebook", "The network says the linked account's token expired or was revoked: relink.";
    NetworkRateLimited = 909, 429, Never, Network, "any", "The network's own rate limit; Retry-After seconds in details.";
    NetworkUnavailable = 910, 503, Always, Network, "any", "The network failed transiently and automatic retries ran out.";
    Internal = 911, 500, Never, Request, "any", "Internal error (no internals leaked).";
    RouteNotFound = 912, 404, Never, Request, "any", "No such endpoint.";
    ProfileTitleTaken = 913, 400, Never, Request, "any", "A profile with this title already exists.";
    ProfileNotFound = 914, 404, Never, Request, "any", "No profile with this key for this account.";
    NetworkRejected = 915, 400, Never, Network, "any", "The network refused the post; its reason is in details.";
    ScheduleInPast = 916, 400, Never, Request, "any", "scheduleDate could not be used: not a date, or cannot be scheduled.";
    DeleteNotSupported = 917, 400, Never, Network, "instagram, threads, tiktok", "The network offers no API to delete a published post.";
    Cancelled = 918, 400, Never, Network, "any", "The post was deleted before it was sent; nothing was published.";
    LinkNotFound = 919, 404, Never, Request, "any", "Short link not found for this profile.";
    NotSupported = 920, 404, Never, Request, "any", "An Ayrshare endpoint crier does not offer yet (see the README's list).";
    UpdateRefused = 921, 400, Never, Request, "any", "Only a scheduled post that has not been sent can be changed.";
    MediaNotFound = 922, 404, Never, Request, "any", "No media with this id, or it has expired.";
    DailyCapReached = 923, 429, Never, Network, "linkedin, tiktok", "The network's daily posting cap for the account was reached (crier's own ledger, or the network said so); seconds until a slot frees in details.";
    MethodNotAllowed = 924, 405, Never, Request, "any", "The endpoint exists but does not take this HTTP method; the Allow header lists those it takes.";
}

impl Code {
    pub fn from_number(code: u16) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.entry().code == code)
    }
    pub fn number(self) -> u16 {
        self.entry().code
    }
    pub fn http(self) -> u16 {
        self.entry().http
    }
}

/// `docs/errors.md`, generated: a test compares this with the committed file.
pub fn render_docs() -> String {
    let mut out = String::from(
        "# crier error codes\n\n\
         Generated from `crates/crier-core/src/catalog.rs` by \
         `cargo run -p crier -- docs errors > docs/errors.md`; do not edit by hand.\n\n\
         Codes below 900 are Ayrshare's; 900 and above are crier's own. \
         `retryAvailable` is `true` only for codes marked *always*, and for *judged* codes \
         when the network said the failure is transient. Network-scoped errors appear inside \
         `errors[]` with `platform`; request-scoped errors are one flat object.\n\n\
         | code | HTTP | retryAvailable | scope | networks | meaning |\n\
         |---|---|---|---|---|---|\n",
    );
    for code in Code::ALL {
        let e = code.entry();
        let retry = match e.retry {
            Retry::Never => "never",
            Retry::Always => "always",
            Retry::Judged => "judged",
        };
        let scope = match e.scope {
            Scope::Request => "request",
            Scope::Network => "network",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            e.code, e.http, retry, scope, e.networks, e.summary
        ));
    }
    out.push_str(
        "\n## HTTP status of a `/post` response\n\n\
         - every network succeeded → 200;\n\
         - some succeeded, some failed → 400, `status: \"error\"`, `postIds` non-empty;\n\
         - all failed and their errors share one HTTP status → that status;\n\
         - all failed with different HTTP statuses → 400.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique() {
        let mut seen = HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.number()), "duplicate code {}", c.number());
        }
    }

    #[test]
    fn seed_codes_have_contract_statuses() {
        for (n, http) in [
            (138, 400), (272, 400), (416, 402), (418, 403), (419, 400), (435, 429), (436, 400),
            (440, 400), (441, 502), (444, 429), (447, 400), (448, 400), (449, 400), (450, 400),
            (451, 400), (452, 500), (453, 504), (454, 503), (102, 401), (186, 404),
        ] {
            assert_eq!(Code::from_number(n).map(Code::http), Some(http), "code {n}");
        }
        for n in [436, 452, 453, 454] {
            assert_eq!(Code::from_number(n).unwrap().entry().retry, Retry::Always, "code {n}");
        }
        assert_eq!(Code::OutcomeUnknown.entry().retry, Retry::Never);
    }
}
