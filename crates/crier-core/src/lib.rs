//! crier-core: what a post, a network and an error *are*. Pure: no I/O, no runtime.

pub mod auto_schedule;
pub mod catalog;
pub mod error;
pub mod ids;
mod option_urls;
pub mod outcome;
pub mod platform;
pub mod request;
pub mod text_length;
pub mod thread;
pub mod validate;
mod validate_options;

pub use catalog::{Code, Retry, Scope};
pub use error::{Action, ErrorReport};
pub use platform::Platform;
