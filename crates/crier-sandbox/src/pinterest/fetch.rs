//! Downloads the image URLs a Pin names, as Pinterest's servers do, and
//! sniffs what the bytes are.
//!
//! The sandbox must never reach the outside world: only loopback hosts
//! (127.0.0.0/8, ::1, `localhost`) are fetched, without DNS, proxies or
//! redirects; any other host is a failed download with no connection
//! attempted. (The Meta crawler's module is private to `meta`, so this is a
//! small fetcher of its own with the same rule.)

use std::net::{IpAddr, Ipv6Addr};
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::{Client, Url, redirect};

/// How Pinterest's fetcher introduces itself.
const USER_AGENT: &str = "Pinterest/0.2 (+https://www.pinterest.com/bot.html)";
const TIMEOUT: Duration = Duration::from_secs(10);
/// Pinterest takes images up to 20 MB (documented for Pins); larger is refused.
pub(crate) const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;

/// What a file sniffed as, by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Jpeg,
    Png,
    Gif,
    Webp,
    Bmp,
    Tiff,
    Heic,
    Avif,
    Mp4,
    QuickTime,
    Other,
}

impl Sniffed {
    pub(crate) fn of(bytes: &[u8]) -> Self {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Sniffed::Jpeg
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Sniffed::Png
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Sniffed::Gif
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Sniffed::Webp
        } else if bytes.starts_with(b"BM") && bytes.len() >= 14 {
            Sniffed::Bmp
        } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            Sniffed::Tiff
        } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            match &bytes[8..12] {
                b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                    Sniffed::Heic
                }
                b"avif" | b"avis" => Sniffed::Avif,
                b"qt  " => Sniffed::QuickTime,
                _ => Sniffed::Mp4,
            }
        } else {
            Sniffed::Other
        }
    }

    /// Image types Pinterest takes for Pins (BMP, GIF, JPEG, PNG, TIFF,
    /// WebP); HEIC and AVIF are not among them.
    pub(crate) fn is_pin_image(self) -> bool {
        matches!(
            self,
            Sniffed::Jpeg
                | Sniffed::Png
                | Sniffed::Gif
                | Sniffed::Webp
                | Sniffed::Bmp
                | Sniffed::Tiff
        )
    }

    pub(crate) fn is_video(self) -> bool {
        matches!(self, Sniffed::Mp4 | Sniffed::QuickTime)
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Sniffed::Jpeg => "image/jpeg",
            Sniffed::Png => "image/png",
            Sniffed::Gif => "image/gif",
            Sniffed::Webp => "image/webp",
            Sniffed::Bmp => "image/bmp",
            Sniffed::Tiff => "image/tiff",
            Sniffed::Heic => "image/heic",
            Sniffed::Avif => "image/avif",
            Sniffed::Mp4 => "video/mp4",
            Sniffed::QuickTime => "video/quicktime",
            Sniffed::Other => "unknown",
        }
    }
}

/// Whether `url` is an http(s) URL on a loopback host.
pub(crate) fn loopback_only(url: &Url) -> bool {
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => ip == Ipv6Addr::LOCALHOST,
        Err(_) => bare.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
    }
}

pub(crate) struct Fetcher {
    client: OnceLock<Option<Client>>,
}

impl Fetcher {
    pub(crate) fn new() -> Self {
        Self {
            client: OnceLock::new(),
        }
    }

    fn client(&self) -> Option<&Client> {
        self.client
            .get_or_init(|| {
                Client::builder()
                    .user_agent(USER_AGENT)
                    .no_proxy()
                    .redirect(redirect::Policy::none())
                    .timeout(TIMEOUT)
                    .build()
                    .map_err(|err| tracing::error!("sandbox Pinterest fetcher: {err}"))
                    .ok()
            })
            .as_ref()
    }

    /// Downloads `raw` (loopback only) and sniffs it; `Err` says why it
    /// could not be fetched.
    pub(crate) async fn fetch(&self, raw: &str) -> Result<Sniffed, String> {
        let url = Url::parse(raw.trim()).map_err(|_| "invalid URL".to_owned())?;
        if !loopback_only(&url) {
            return Err(format!(
                "could not reach {}",
                url.host_str().unwrap_or("the host")
            ));
        }
        // `localhost` is mapped here so no DNS lookup is ever made.
        let mut target = url.clone();
        if target
            .host_str()
            .is_some_and(|h| h.trim_end_matches('.').eq_ignore_ascii_case("localhost"))
        {
            let _ = target.set_host(Some("127.0.0.1"));
        }
        let client = self.client().ok_or("no HTTP client")?;
        let mut response = client
            .get(target)
            .send()
            .await
            .map_err(|err| format!("download failed: {err}"))?;
        if !response.status().is_success() {
            return Err(format!("HTTP error code {}", response.status().as_u16()));
        }
        let mut head = Vec::new();
        let mut size = 0usize;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|err| format!("download failed: {err}"))?
        {
            size += chunk.len();
            if size > MAX_IMAGE_BYTES {
                return Err("the file is larger than 20 MB".into());
            }
            if head.len() < 64 {
                let take = (64 - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
        }
        Ok(Sniffed::of(&head))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_and_guards() {
        assert_eq!(Sniffed::of(b"\0\0\0\x18ftypheic\0\0\0\0"), Sniffed::Heic);
        assert_eq!(Sniffed::of(b"\0\0\0\x18ftypavif\0\0\0\0"), Sniffed::Avif);
        assert_eq!(Sniffed::of(b"\0\0\0\x18ftypisom\0\0\0\0"), Sniffed::Mp4);
        assert_eq!(Sniffed::of(b"RIFF\x10\0\0\0WEBPVP8 "), Sniffed::Webp);
        assert!(Sniffed::Webp.is_pin_image() && !Sniffed::Heic.is_pin_image());
        assert!(loopback_only(
            &Url::parse("http://127.0.0.1:9/a.jpg").unwrap()
        ));
        assert!(loopback_only(
            &Url::parse("http://localhost/a.jpg").unwrap()
        ));
        assert!(!loopback_only(
            &Url::parse("http://example.com/a.jpg").unwrap()
        ));
        assert!(!loopback_only(
            &Url::parse("http://10.0.0.1/a.jpg").unwrap()
        ));
    }
}
