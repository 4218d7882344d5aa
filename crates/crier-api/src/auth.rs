//! Who is calling: the API key (`Authorization: Bearer`) names the account,
//! `Profile-Key` optionally one of its profiles; the language comes along.

use crate::AppState;
use crate::i18n::{Lang, negotiate};
use crate::render::{flat_error, internal};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};
use crier_core::validate::{TWITTER_KEY_HEADER, TWITTER_SECRET_HEADER};
use crier_engine::ByoKeys;
use crier_store::{Account, Profile};

pub struct Caller {
    pub account: Account,
    pub profile: Profile,
    pub lang: Lang,
    /// X's bring-your-own app keys, when the request carries both headers.
    pub byo: Option<ByoKeys>,
}

fn byo_keys(headers: &HeaderMap) -> Option<ByoKeys> {
    let get = |h: &str| headers.get(h).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    Some(ByoKeys { key: get(TWITTER_KEY_HEADER)?, secret: get(TWITTER_SECRET_HEADER)? })
}

pub fn lang_of(headers: &HeaderMap) -> Lang {
    negotiate(headers.get("accept-language").and_then(|v| v.to_str().ok()))
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let t = &state.i18n;
        let Some(key) = bearer(&parts.headers) else {
            return Err(flat_error(t, lang, &ErrorReport::new(Code::InvalidApiKey, Action::Auth)));
        };
        let account = match state.store.account_for_key(key).await {
            Ok(Some(a)) => a,
            Ok(None) => return Err(flat_error(t, lang, &ErrorReport::new(Code::InvalidApiKey, Action::Auth))),
            Err(e) => return Err(internal(t, lang, &e)),
        };
        // A Profile-Key that is not visible ASCII (every profile key is) is a wrong key, not an
        // absent one: running such a request as the primary profile would act on the wrong profile.
        // A key of another account and a key that does not exist get the same answer.
        let profile_key = parts.headers.get("profile-key").map(|v| v.to_str().map(str::trim));
        let profile = match profile_key {
            Some(Err(_)) => Err(flat_error(t, lang, &ErrorReport::new(Code::ProfileForbidden, Action::Auth).details("Profile-Key is not ASCII"))),
            Some(Ok(k)) if !k.is_empty() => match state.store.profile_by_key(&account, k).await {
                Ok(Some(p)) => Ok(p),
                Ok(None) => Err(flat_error(t, lang, &ErrorReport::new(Code::ProfileForbidden, Action::Auth))),
                Err(e) => return Err(internal(t, lang, &e)),
            },
            _ => match state.store.primary_profile(&account).await {
                Ok(p) => Ok(p),
                Err(e) => return Err(internal(t, lang, &e)),
            },
        };
        // Counted only now that the key is good; a wrong Profile-Key still counts against the key.
        crate::rate_limit::admit(state, &parts.extensions, key, profile.as_ref().ok(), lang).await?;
        let profile = profile?;
        Ok(Caller { account, profile, lang, byo: byo_keys(&parts.headers) })
    }
}
