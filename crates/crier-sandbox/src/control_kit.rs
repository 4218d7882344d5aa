//! Building blocks of the networks' `/_sandbox/<network>/...` control
//! routes: JSON bodies that answer 400 `{"error": "..."}` when they do not
//! parse ([`ControlJson`]), the seeded token's state
//! (`{"state": "valid"|"expired"|"revoked"}`, [`TokenState`] and
//! [`token_route`]), config patches ([`config_answer`], [`present`]) and
//! 404 answers for unknown objects ([`not_found`]).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;

use crate::SandboxState;

/// 400 with `{"error": message}`.
pub(crate) fn bad_request(message: impl std::fmt::Display) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// 404 with `{"error": message}` (a control route naming an unknown object).
pub(crate) fn not_found(message: impl std::fmt::Display) -> Response {
    error(StatusCode::NOT_FOUND, message)
}

fn error(status: StatusCode, message: impl std::fmt::Display) -> Response {
    (status, axum::Json(json!({"error": message.to_string()}))).into_response()
}

/// Parses a control body; the message says what is wrong with it.
pub(crate) fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid JSON body: {e}"))
}

/// A control route's JSON body; one that does not parse as `T` is answered
/// 400 `{"error": "invalid JSON body: …"}` before the handler runs.
pub(crate) struct ControlJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ControlJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        parse(&body).map(ControlJson).map_err(bad_request)
    }
}

/// The answer to a config patch: the whole config after it, or 400 with
/// the reason it was refused (nothing changed then).
pub(crate) fn config_answer<C: Serialize>(applied: Result<(), String>, config: &C) -> Response {
    match applied {
        Ok(()) => axum::Json(config).into_response(),
        Err(message) => bad_request(message),
    }
}

/// For `Option<Option<T>>` patch fields (with `#[serde(default)]`): tells
/// "absent" (outer `None`) from `null` (`Some(None)`).
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The seeded token's state, as a network's token control route sets it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TokenState {
    #[default]
    Valid,
    Expired,
    Revoked,
}

impl TokenState {
    /// Sets `slot` to `new` when given; returns the state `slot` holds.
    pub(crate) fn update(slot: &mut TokenState, new: Option<TokenState>) -> TokenState {
        if let Some(new) = new {
            *slot = new;
        }
        *slot
    }

    fn parse(name: &str) -> Result<Self, String> {
        match name {
            "valid" => Ok(TokenState::Valid),
            "expired" => Ok(TokenState::Expired),
            "revoked" => Ok(TokenState::Revoked),
            other => Err(format!(
                "state must be \"valid\", \"expired\" or \"revoked\", not {other:?}"
            )),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    state: String,
}

/// Reads (`None`) or sets (`Some`) a network's token state; returns it.
pub(crate) type TokenAccess = fn(&SandboxState, Option<TokenState>) -> TokenState;

/// `POST|GET /_sandbox/<network>/token`: `{"state": "valid"|"expired"|"revoked"}`
/// sets the state (and is echoed), `GET` reads it.
pub(crate) fn token_route(access: TokenAccess) -> MethodRouter<SandboxState> {
    post(
        move |State(state): State<SandboxState>, ControlJson(body): ControlJson<TokenBody>| async move {
            match TokenState::parse(&body.state) {
                Ok(token) => token_answer(access(&state, Some(token))),
                Err(message) => bad_request(message),
            }
        },
    )
    .get(move |State(state): State<SandboxState>| async move { token_answer(access(&state, None)) })
}

fn token_answer(token: TokenState) -> Response {
    axum::Json(json!({ "state": token })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_states_and_patches() {
        assert_eq!(TokenState::parse("revoked"), Ok(TokenState::Revoked));
        assert!(
            TokenState::parse("Valid")
                .unwrap_err()
                .contains("not \"Valid\"")
        );
        assert_eq!(json!(TokenState::Expired), json!("expired"));
        #[derive(Deserialize)]
        struct Patch {
            #[serde(default, deserialize_with = "present")]
            limit: Option<Option<u32>>,
        }
        let absent: Patch = serde_json::from_str("{}").unwrap();
        let null: Patch = serde_json::from_str(r#"{"limit": null}"#).unwrap();
        assert_eq!((absent.limit, null.limit), (None, Some(None)));
        let refused = parse::<Patch>(&Bytes::from_static(b"[")).err();
        assert!(refused.is_some_and(|m| m.starts_with("invalid JSON body")));
    }
}
