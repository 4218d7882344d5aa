//! Path parameters with catalog errors instead of axum's plain-text rejections (for example a
//! parameter whose percent-decoding is not UTF-8, `/api/post/%ff`).

use crate::i18n::{Lang, Translator};
use crate::render::flat_error;
use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};

// The error is the finished response; it is built once per failed request, so its size does not matter.
#[allow(clippy::result_large_err)]
pub fn path_param(t: &Translator, lang: Lang, action: Action, param: Result<Path<String>, PathRejection>) -> Result<String, Response> {
    param.map(|Path(p)| p).map_err(|e| flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, action).details(e.body_text())))
}
