//! Instagram content publishing on graph.facebook.com: containers
//! (`POST /{ig-user}/media`), their status (`GET /{container}`), publishing
//! (`POST /{ig-user}/media_publish`) with the rolling 24 h cap, the
//! `content_publishing_limit`, `media` and `stories` edges and media nodes.
//!
//! Image URLs are downloaded while the container is created, so a failed
//! image download answers the creation call (9004/2207052 with the cause in
//! `error_user_msg`). Video URLs are downloaded too, but their failure shows
//! the way Meta reports asynchronous video processing: the container goes
//! `ERROR` with a `status` text naming subcode 2207052.
//!
//! This module holds the stored containers and media; creation, publishing
//! and reading live in submodules.

mod create;
mod media;
mod publish;

use std::collections::{HashMap, VecDeque};

use super::container::Lifecycle;

pub(crate) use create::create;
pub(crate) use media::{get_media, get_user, list};
pub(crate) use publish::{get_container, limit, publish};

const USERNAME: &str = crate::seed::INSTAGRAM_USERNAME;
const DAY_MS: i64 = 24 * 3600 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Image,
    /// A carousel item video (`media_type=VIDEO` + `is_carousel_item`).
    Video,
    Reels,
    Stories,
    Carousel,
}

pub(crate) struct Container {
    pub id: String,
    pub kind: Kind,
    pub carousel_item: bool,
    pub is_video: bool,
    pub url: Option<String>,
    pub caption: String,
    pub children: Vec<String>,
    pub life: Lifecycle,
    /// The `status` text of an `ERROR` container.
    pub error_text: String,
}

pub(crate) struct Media {
    pub id: String,
    pub media_type: &'static str,
    pub product: &'static str,
    pub caption: String,
    pub urls: Vec<String>,
    pub created_ms: i64,
}

#[derive(Default)]
pub(crate) struct IgStore {
    pub containers: HashMap<String, Container>,
    pub media: HashMap<String, Media>,
    /// Media ids in publish order.
    order: Vec<String>,
    /// Publish times within the rolling window.
    publishes: VecDeque<i64>,
}

impl IgStore {
    fn roll(&mut self, now: i64) {
        while self.publishes.front().is_some_and(|t| *t <= now - DAY_MS) {
            self.publishes.pop_front();
        }
    }
}
