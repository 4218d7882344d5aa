//! The `crier` binary's parts, as a library so end-to-end tests can boot the real server.

pub mod cfg;
mod http_serve;
pub mod linking_cfg;
pub mod logging;
mod media;
pub mod oauth_cfg;
mod secrets;
pub use secrets::cipher;
pub mod server;
mod setup;
pub mod webhooks_cfg;
