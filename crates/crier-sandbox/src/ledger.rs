//! The ledger: one entry per successful publish on any emulated network, in
//! order, with a change signal so tests can wait for it without sleeping.

use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;

/// One published post, as the emulated network recorded it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    /// The network id as crier names it: `"telegram"`, `"bluesky"`,
    /// `"facebook"`, `"instagram"`, `"threads"`, `"twitter"`, `"youtube"`,
    /// `"linkedin"`, `"tiktok"`, `"pinterest"`, `"reddit"`, `"gmb"` or
    /// `"snapchat"`. What `account`, `native_id` and `media` hold for the last
    /// six is in their README sections.
    pub network: String,
    /// Telegram: the `chat_id` exactly as the client sent it. Bluesky: the
    /// DID. Meta: the Page id / IG user id / Threads user id. X: the user
    /// id. YouTube: the channel id.
    pub account: String,
    /// Telegram: `message_id` as a string. Bluesky: the record key. Meta: the
    /// id the publish call returned (Facebook photos: their `post_id`).
    /// X: the post id. YouTube: the video id.
    pub native_id: String,
    /// Message text / caption / post text, as sent (YouTube: the video's
    /// description).
    pub text: String,
    /// Telegram: photo/video URLs. Bluesky: blob CIDs referenced by the
    /// record. Meta: the media URLs (a carousel's children's URLs), or
    /// `upload:<filename>` for multipart uploads. X: the media ids.
    /// YouTube: empty.
    pub media: Vec<String>,
    /// YouTube: the video's title. `None` (and absent from the JSON) for the
    /// other networks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When the network accepted it (unix milliseconds).
    pub at_ms: i64,
    /// Set once the post was deleted through the network's API.
    pub deleted: bool,
}

#[derive(Default)]
struct Rows {
    entries: Vec<LedgerEntry>,
    /// Internal sequence number of each entry (parallel to `entries`).
    seqs: Vec<u64>,
    next_seq: u64,
}

pub(crate) struct Ledger {
    rows: Mutex<Rows>,
    version: watch::Sender<u64>,
}

impl Ledger {
    pub(crate) fn new() -> Self {
        Self {
            rows: Mutex::new(Rows::default()),
            version: watch::Sender::new(0),
        }
    }

    fn rows(&self) -> std::sync::MutexGuard<'_, Rows> {
        self.rows.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self) {
        self.version.send_modify(|v| *v += 1);
    }

    /// Appends an entry; returns its sequence number (for `mark_deleted`).
    pub(crate) fn push(&self, entry: LedgerEntry) -> u64 {
        let seq = {
            let mut rows = self.rows();
            let seq = rows.next_seq;
            rows.next_seq += 1;
            rows.entries.push(entry);
            rows.seqs.push(seq);
            seq
        };
        self.bump();
        seq
    }

    pub(crate) fn mark_deleted(&self, seq: u64) {
        let changed = {
            let mut rows = self.rows();
            match rows.seqs.iter().position(|s| *s == seq) {
                Some(i) if !rows.entries[i].deleted => {
                    rows.entries[i].deleted = true;
                    true
                }
                _ => false,
            }
        };
        if changed {
            self.bump();
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<LedgerEntry> {
        self.rows().entries.clone()
    }

    pub(crate) fn clear(&self) {
        {
            let mut rows = self.rows();
            rows.entries.clear();
            rows.seqs.clear();
        }
        self.bump();
    }

    pub(crate) async fn wait_for(
        &self,
        pred: impl Fn(&[LedgerEntry]) -> bool,
        timeout: Duration,
    ) -> bool {
        let mut rx = self.version.subscribe();
        let wait = async {
            loop {
                rx.borrow_and_update();
                if pred(&self.snapshot()) {
                    return true;
                }
                if rx.changed().await.is_err() {
                    return false;
                }
            }
        };
        tokio::time::timeout(timeout, wait).await.unwrap_or(false)
    }
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
