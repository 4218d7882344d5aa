//! Media for a post, uploaded before publishing.
//! Images API (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api):
//! `POST /rest/images?action=initializeUpload {"initializeUploadRequest":{"owner"}}` →
//! `value.{uploadUrl,image}`; PUT the bytes; `GET /rest/images/{urn}` until `status: AVAILABLE`.
//! Videos API (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api):
//! `initializeUpload {owner,fileSizeBytes,uploadCaptions,uploadThumbnail}` →
//! `value.{video,uploadToken,uploadInstructions[{uploadUrl,firstByte,lastByte}],thumbnailUploadUrl}`;
//! PUT each part and keep its `ETag`; `finalizeUpload {video,uploadToken,uploadedPartIds}`;
//! `GET /rest/videos/{urn}` until `AVAILABLE`.

use super::api::{Answer, Api, encode};
use super::errors::{err, map_error, transient};
use crate::{Call, Failure, HttpFailure, MediaSource};
use crier_core::{Code, Platform};
use serde_json::{Value, json};

/// Bytes crier downloads for one LinkedIn image (LinkedIn's images stay far below this).
pub const MAX_IMAGE_BYTES: usize = 36 << 20;
/// Bytes crier downloads for one LinkedIn video.
pub const MAX_VIDEO_BYTES: usize = 500 << 20;
const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif"];

/// What `prepare` uploaded: image URNs, or one video URN, plus warnings that do not stop the post.
#[derive(Debug, Default)]
pub struct Uploaded {
    pub images: Vec<String>,
    pub video: Option<String>,
    pub warnings: Vec<String>,
}

/// A media asset's processing state at LinkedIn.
#[derive(Debug, PartialEq, Eq)]
pub enum Status {
    Available,
    Processing,
    Failed(String),
}


/// Before publishing nothing can be visible: a lost answer is simply transient.
fn checked(r: Result<Answer, HttpFailure>, daily_limit: u32) -> Result<Answer, Failure> {
    let a = r.map_err(|h| transient(h.into_text()))?;
    if a.ok() { Ok(a) } else { Err(map_error(a.status, &a.headers, &a.body, 0, daily_limit)) }
}

fn field<'a>(a: &'a Answer, pointer: &str, what: &str) -> Result<&'a str, Failure> {
    a.body.pointer(pointer).and_then(Value::as_str).filter(|s| !s.is_empty()).ok_or_else(|| transient(format!("{what} answer lacks {pointer}: {}", a.body)))
}

pub struct Uploader<'a> {
    pub api: &'a Api,
    pub media: &'a dyn MediaSource,
    pub call: &'a Call<'a>,
    pub token: &'a str,
    pub author: &'a str,
    pub daily_limit: u32,
}

impl Uploader<'_> {
    async fn fetch(&self, url: &str, max: usize) -> Result<crate::FetchedMedia, Failure> {
        self.media.fetch(url, max).await.map_err(|mut e| {
            e.platform = Some(Platform::Linkedin);
            Failure::Rejected(e.arg("network", "LinkedIn"))
        })
    }

    /// Uploads every media URL: images (any number) or exactly one video, never both.
    pub async fn upload_all(&self, urls: &[String], thumbnail: Option<&str>) -> Result<Uploaded, Failure> {
        let mut up = Uploaded::default();
        // Only a lone URL can be a video; several are images.
        let max = if urls.len() == 1 { MAX_VIDEO_BYTES } else { MAX_IMAGE_BYTES };
        for url in urls {
            let m = self.fetch(url, max).await?;
            if m.mime.starts_with("video/") {
                if urls.len() > 1 {
                    return Err(Failure::Rejected(err(Code::MediaRules).details("LinkedIn takes one video per post, without images")));
                }
                let (urn, warnings) = self.upload_video(m.bytes, thumbnail).await?;
                up.video = Some(urn);
                up.warnings.extend(warnings);
            } else if IMAGE_TYPES.contains(&m.mime) {
                up.images.push(self.upload_image(m.bytes, m.mime).await?);
            } else {
                return Err(Failure::Rejected(err(Code::MediaRules).details(format!("{url}: LinkedIn takes JPEG, PNG or GIF images and MP4 video, not {}", m.mime))));
            }
        }
        Ok(up)
    }

    async fn upload_image(&self, bytes: Vec<u8>, mime: &str) -> Result<String, Failure> {
        let init = json!({"initializeUploadRequest": {"owner": self.author}});
        let a = checked(self.api.post_json(self.call, self.token, "images?action=initializeUpload", &init).await, self.daily_limit)?;
        let upload_url = field(&a, "/value/uploadUrl", "images initializeUpload")?.to_string();
        let urn = field(&a, "/value/image", "images initializeUpload")?.to_string();
        checked(Api::upload(self.call, self.token, &upload_url, bytes, mime).await, self.daily_limit)?;
        Ok(urn)
    }

    async fn upload_video(&self, bytes: Vec<u8>, thumbnail: Option<&str>) -> Result<(String, Vec<String>), Failure> {
        let mut warnings = Vec::new();
        let init = json!({"initializeUploadRequest": {
            "owner": self.author, "fileSizeBytes": bytes.len(), "uploadCaptions": false, "uploadThumbnail": thumbnail.is_some(),
        }});
        let a = checked(self.api.post_json(self.call, self.token, "videos?action=initializeUpload", &init).await, self.daily_limit)?;
        let urn = field(&a, "/value/video", "videos initializeUpload")?.to_string();
        let token = a.body.pointer("/value/uploadToken").and_then(Value::as_str).unwrap_or("").to_string();
        let parts = parts(&a.body, bytes.len())?;
        let mut etags = Vec::with_capacity(parts.len());
        for (url, first, last) in parts {
            let put = checked(Api::upload(self.call, self.token, &url, bytes[first..=last].to_vec(), "application/octet-stream").await, self.daily_limit)?;
            let Some(etag) = put.header("etag") else {
                return Err(transient(format!("video part {first}-{last} uploaded without an ETag")));
            };
            etags.push(etag.to_string());
        }
        if let (Some(thumb), Some(thumb_url)) = (thumbnail, a.body.pointer("/value/thumbnailUploadUrl").and_then(Value::as_str))
            && let Err(w) = self.upload_thumbnail(thumb, thumb_url).await
        {
            warnings.push(format!("thumbnail not set: {w}"));
        }
        let finalize = json!({"finalizeUploadRequest": {"video": urn, "uploadToken": token, "uploadedPartIds": etags}});
        checked(self.api.post_json(self.call, self.token, "videos?action=finalizeUpload", &finalize).await, self.daily_limit)?;
        Ok((urn, warnings))
    }

    async fn upload_thumbnail(&self, url: &str, upload_url: &str) -> Result<(), String> {
        let m = self.media.fetch(url, 10 << 20).await.map_err(|e| e.details.unwrap_or_else(|| "could not fetch".into()))?;
        if !IMAGE_TYPES.contains(&m.mime) {
            return Err(format!("thumbnail must be JPEG, PNG or GIF, not {}", m.mime));
        }
        match Api::upload(self.call, self.token, upload_url, m.bytes, m.mime).await {
            Ok(a) if a.ok() => Ok(()),
            Ok(a) => Err(format!("HTTP {}", a.status)),
            Err(h) => Err(h.into_text()),
        }
    }
}

/// The byte ranges LinkedIn asked for, checked against the file so bad instructions never panic.
fn parts(body: &Value, len: usize) -> Result<Vec<(String, usize, usize)>, Failure> {
    let list = body.pointer("/value/uploadInstructions").and_then(Value::as_array).filter(|l| !l.is_empty());
    let Some(list) = list else {
        return Err(transient(format!("videos initializeUpload answer lacks uploadInstructions: {body}")));
    };
    list.iter()
        .map(|p| {
            let url = p.get("uploadUrl").and_then(Value::as_str);
            let first = p.get("firstByte").and_then(Value::as_u64).map(|v| v as usize);
            let last = p.get("lastByte").and_then(Value::as_u64).map(|v| v as usize);
            match (url, first, last) {
                (Some(u), Some(f), Some(l)) if f <= l && l < len => Ok((u.to_string(), f, l)),
                _ => Err(transient(format!("unusable upload instruction for a {len}-byte video: {p}"))),
            }
        })
        .collect()
}

/// Reads an image's or video's processing state.
pub async fn status(api: &Api, call: &Call<'_>, token: &str, urn: &str, daily_limit: u32) -> Result<Status, Failure> {
    let collection = if urn.starts_with("urn:li:video:") { "videos" } else { "images" };
    let a = checked(api.get(call, token, &format!("{collection}/{}", encode(urn))).await, daily_limit)?;
    Ok(match a.body.get("status").and_then(Value::as_str).unwrap_or("") {
        "AVAILABLE" => Status::Available,
        s @ ("PROCESSING_FAILED" | "FAILED") => {
            let reason = a.body.get("processingFailureReason").and_then(Value::as_str).unwrap_or("");
            Status::Failed(format!("{urn}: {s} {reason}").trim().to_string())
        }
        _ => Status::Processing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_must_fit_the_file() {
        let body = json!({"value": {"uploadInstructions": [{"uploadUrl": "u1", "firstByte": 0, "lastByte": 3}, {"uploadUrl": "u2", "firstByte": 4, "lastByte": 9}]}});
        assert_eq!(parts(&body, 10).unwrap(), vec![("u1".into(), 0, 3), ("u2".into(), 4, 9)]);
        assert!(parts(&body, 9).is_err(), "a part past the end is refused, not sliced");
        assert!(parts(&json!({"value": {}}), 9).is_err());
    }
}
