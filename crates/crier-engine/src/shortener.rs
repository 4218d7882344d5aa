//! Link shortening: crier's own short links (counted at `/l/{code}`), or an
//! external Bitly-compatible provider, and `shortenLinks` caption enhancement.

use crate::Engine;
use crier_core::Platform;
use crier_networks::bitly::Bitly;
use crier_store::ShortLink;
use tokio::sync::{mpsc, oneshot};

#[derive(Clone, Debug)]
pub enum Provider {
    /// crier's own shortener; short links are `<base_url>/<code>`.
    Internal,
    Bitly(Bitly),
}

#[derive(Clone, Debug)]
pub struct LinkSettings {
    /// Public base of crier's short links, e.g. `https://crier.example.com/l`.
    pub base_url: String,
    /// Who shortens links for `shortenLinks`.
    pub provider: Provider,
}

/// Every http(s) link in a text, as (byte start, byte end) ranges, trailing punctuation excluded.
pub fn find_links(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for word in text.split_inclusive(char::is_whitespace) {
        let trimmed = word.trim_end();
        if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
            let link = trimmed.trim_end_matches(['.', ',', ')', '!', '?', ';', ':', '"', '\'']);
            if link.len() > "https://".len() {
                out.push((offset, offset + link.len()));
            }
        }
        offset += word.len();
    }
    out
}

impl Engine {
    pub fn short_url(&self, link: &ShortLink) -> String {
        format!("{}/{}", self.links.base_url.trim_end_matches('/'), link.code)
    }

    /// A short link of crier's own shortener.
    pub async fn create_short_link(&self, profile_id: &str, url: &str, platform: Option<Platform>) -> crier_store::Result<ShortLink> {
        self.store.create_short_link(profile_id, url, platform.map(|p| p.as_str())).await
    }

    /// `shortenLinks` for one network's copy: every link replaced by a short one.
    /// `Err` is the cause, for the `details` of 441.
    pub async fn shorten_links(&self, profile_id: &str, text: &str, platform: Platform) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end) in find_links(text) {
            let url = &text[start..end];
            let short = match &self.links.provider {
                Provider::Internal => self
                    .create_short_link(profile_id, url, Some(platform))
                    .await
                    .map(|l| self.short_url(&l))
                    .map_err(|e| format!("short link could not be stored: {e}"))?,
                Provider::Bitly(b) => b.shorten(&self.networks.http, url).await?,
            };
            out.push_str(&text[last..start]);
            out.push_str(&short);
            last = end;
        }
        out.push_str(&text[last..]);
        Ok(out)
    }
}

/// One click on a short link.
pub struct Click {
    pub code: String,
    pub at_ms: i64,
    pub referer: Option<String>,
    pub browser: Option<String>,
}

enum Msg {
    Click(Click),
    Flush(oneshot::Sender<()>),
}

/// Records clicks off the redirect's path: the redirect answers at once, a task writes in batches.
#[derive(Clone)]
pub struct ClickRecorder {
    tx: mpsc::Sender<Msg>,
}

impl ClickRecorder {
    pub fn start(store: crier_store::Store) -> ClickRecorder {
        let (tx, mut rx) = mpsc::channel::<Msg>(4096);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = Vec::new();
                let mut flushes = Vec::new();
                let mut next = Some(first);
                while let Some(m) = next {
                    match m {
                        Msg::Click(c) => batch.push((c.code, c.at_ms, c.referer, c.browser)),
                        Msg::Flush(done) => flushes.push(done),
                    }
                    next = rx.try_recv().ok();
                }
                if !batch.is_empty()
                    && let Err(e) = store.record_clicks(&batch).await
                {
                    tracing::warn!(error = %e, clicks = batch.len(), "clicks could not be recorded");
                }
                for f in flushes {
                    let _ = f.send(());
                }
            }
        });
        ClickRecorder { tx }
    }

    /// Never waits: a click that cannot be queued (thousands pending) is dropped and logged.
    pub fn record(&self, click: Click) {
        if self.tx.try_send(Msg::Click(click)).is_err() {
            tracing::warn!("click queue full; a click was not counted");
        }
    }

    /// Waits until every click queued so far is written (read-your-clicks for analytics).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Msg::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::find_links;

    #[test]
    fn finds_links_without_trailing_punctuation() {
        let t = "See https://a.example/x, and http://b.example/y. Not ftp://c or https://";
        let links: Vec<&str> = find_links(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(links, vec!["https://a.example/x", "http://b.example/y"]);
    }
}
