//! Log lines on stderr, as text or JSON (`log.format`), filtered by `log.level` unless `RUST_LOG`
//! is set. Colour only on a terminal: files and log shippers get no escape codes.

use crate::cfg::{LogConfig, LogFormat};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the process's subscriber. Fails on a `log.level` that is not a valid filter.
pub fn init(cfg: &LogConfig) -> Result<(), String> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => EnvFilter::try_new(&v).map_err(|e| format!("RUST_LOG {v:?}: {e}"))?,
        _ => EnvFilter::try_new(&cfg.level).map_err(|e| format!("log.level {:?}: {e}", cfg.level))?,
    };
    let fmt = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(std::io::stderr().is_terminal());
    match cfg.format {
        LogFormat::Text => fmt.init(),
        // One object per line: the event's fields at the top level, and every enclosing span with
        // its fields (`request_id` of the request or of the post a delivery belongs to) in `spans`.
        LogFormat::Json => fmt.json().flatten_event(true).with_current_span(false).with_span_list(true).init(),
    }
    Ok(())
}
