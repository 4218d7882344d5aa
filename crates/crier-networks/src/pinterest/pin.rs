//! The `POST /v5/pins` body from the post and Ayrshare's `pinterestOptions`
//! (title, link, boardId, note, altText[], thumbNail, carouselOptions[]).
//! Media sources per https://developers.pinterest.com/docs/api/v5/pins-create:
//! `image_url` (Pinterest pulls the URL), `multiple_image_urls` (2–5 items),
//! `video_id` (a `/v5/media` upload, with `cover_image_url` or `cover_image_key_frame_time`).

use serde_json::{Map, Value, json};

pub fn opt_str<'a>(o: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    o.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn alt_text(o: &Map<String, Value>, i: usize) -> Option<&str> {
    o.get("altText").and_then(Value::as_array).and_then(|a| a.get(i)).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// `media_source` for image URLs (one, or a carousel with `carouselOptions` aligned by index).
pub fn image_source(urls: &[String], o: &Map<String, Value>) -> Value {
    if let [one] = urls {
        return json!({"source_type": "image_url", "url": one});
    }
    let carousel = o.get("carouselOptions").and_then(Value::as_array);
    let items: Vec<Value> = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            let mut item = json!({"url": url});
            if let Some(c) = carousel.and_then(|c| c.get(i)).and_then(Value::as_object) {
                for k in ["title", "link", "description"] {
                    if let Some(v) = opt_str(c, k) {
                        item[k] = json!(v);
                    }
                }
            }
            item
        })
        .collect();
    json!({"source_type": "multiple_image_urls", "items": items})
}

/// `media_source` for an uploaded video; the cover is `thumbNail`, else the first frame.
pub fn video_source(media_id: &str, o: &Map<String, Value>) -> Value {
    match opt_str(o, "thumbNail") {
        Some(cover) => json!({"source_type": "video_id", "media_id": media_id, "cover_image_url": cover}),
        None => json!({"source_type": "video_id", "media_id": media_id, "cover_image_key_frame_time": 0}),
    }
}

/// The whole pin.
pub fn body(board_id: &str, text: &str, media_source: Value, o: &Map<String, Value>) -> Value {
    let mut pin = json!({"board_id": board_id, "media_source": media_source});
    if !text.is_empty() {
        pin["description"] = json!(text);
    }
    for (ours, theirs) in [("title", "title"), ("link", "link"), ("note", "note")] {
        if let Some(v) = opt_str(o, ours) {
            pin[theirs] = json!(v);
        }
    }
    if let Some(alt) = alt_text(o, 0) {
        pin["alt_text"] = json!(alt);
    }
    pin
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn one_image_is_pulled_by_url() {
        let o = opts(json!({"title": "T", "link": "https://x.test/a", "note": "n", "altText": ["alt"]}));
        let pin = body("b1", "desc", image_source(&["https://m.test/1.jpg".into()], &o), &o);
        assert_eq!(
            pin,
            json!({"board_id": "b1", "description": "desc", "title": "T", "link": "https://x.test/a", "note": "n", "alt_text": "alt",
                   "media_source": {"source_type": "image_url", "url": "https://m.test/1.jpg"}})
        );
    }

    #[test]
    fn carousel_items_take_their_options() {
        let o = opts(json!({"carouselOptions": [{"title": "one", "link": "https://x.test/1"}, {"description": "two"}]}));
        let s = image_source(&["u1".into(), "u2".into(), "u3".into()], &o);
        assert_eq!(s["source_type"], "multiple_image_urls");
        assert_eq!(s["items"], json!([{"url": "u1", "title": "one", "link": "https://x.test/1"}, {"url": "u2", "description": "two"}, {"url": "u3"}]));
    }

    #[test]
    fn video_cover_is_the_thumbnail_or_first_frame() {
        assert_eq!(video_source("m1", &opts(json!({"thumbNail": "https://c.test/c.jpg"})))["cover_image_url"], "https://c.test/c.jpg");
        assert_eq!(video_source("m1", &opts(json!({})))["cover_image_key_frame_time"], 0);
    }
}
