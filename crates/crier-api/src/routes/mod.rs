pub mod analytics;
pub mod body;
pub mod fallback;
pub mod history;
pub mod links;
pub mod post;
pub mod profiles;
pub mod user;
