//! The location's photo section: `accounts.locations.media` create and delete
//! (https://developers.google.com/my-business/reference/rest/v4/accounts.locations.media,
//! `…/media/create`). A `MediaItem` names its `mediaFormat` (PHOTO or VIDEO), its source
//! (`sourceUrl`; `dataRef` uploads are not emulated) and a `locationAssociation.category`
//! ("Required when adding new media to a location with media.create"). `description` cannot be
//! set on a COVER photo (documented). Photos are fetched and checked like post photos.

use serde_json::{Map, Value, json};

use super::error::{Detail, ErrorCode, GmbError};
use super::posts::{location_name, timestamp};
use super::validate::MediaItem;

/// `LocationAssociation.Category` values (documented enum).
const CATEGORIES: [&str; 13] = [
    "COVER",
    "PROFILE",
    "LOGO",
    "EXTERIOR",
    "INTERIOR",
    "PRODUCT",
    "AT_WORK",
    "FOOD_AND_DRINK",
    "MENU",
    "COMMON_AREA",
    "ROOMS",
    "TEAMS",
    "ADDITIONAL",
];

#[derive(Clone, Debug)]
pub(crate) struct Photo {
    pub id: String,
    pub format: String,
    pub source_url: String,
    pub category: String,
    pub description: Option<String>,
    pub create_time: String,
    pub deleted: bool,
    pub ledger_seq: u64,
}

impl Photo {
    pub(crate) fn name(&self) -> String {
        format!("{}/media/{}", location_name(), self.id)
    }

    pub(crate) fn json(&self) -> Value {
        let mut out = json!({
            "name": self.name(),
            "mediaFormat": self.format,
            "sourceUrl": self.source_url,
            "locationAssociation": {"category": self.category},
            "googleUrl": format!("https://lh3.googleusercontent.com/p/sandbox-media-{}", self.id),
            "createTime": self.create_time,
        });
        if let Some(d) = &self.description {
            out["description"] = json!(d);
        }
        out
    }
}

/// Checks a create body; the item to fetch and the photo to store once it passes.
pub(crate) fn check(body: &Map<String, Value>, id: String) -> Result<(MediaItem, Photo), GmbError> {
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let mut details = Vec::new();
    let format = match text("mediaFormat") {
        Some(f @ ("PHOTO" | "VIDEO")) => f.to_owned(),
        Some(other) => {
            return Err(GmbError::bad_enum(
                "media_item.media_format",
                "MediaItem.MediaFormat",
                other,
            ));
        }
        None => {
            details.push(Detail::new(
                ErrorCode::MissingValue,
                "media_format",
                "media_format is required",
            ));
            String::new()
        }
    };
    let source_url = text("sourceUrl").unwrap_or_default().to_owned();
    if source_url.is_empty() {
        details.push(Detail::new(
            ErrorCode::MissingValue,
            "source_url",
            "source_url is required",
        ));
    }
    let category = match body
        .get("locationAssociation")
        .and_then(|a| a.get("category"))
        .and_then(Value::as_str)
    {
        Some(c) if CATEGORIES.contains(&c) => c.to_owned(),
        Some(other) => {
            return Err(GmbError::bad_enum(
                "media_item.location_association.category",
                "LocationAssociation.Category",
                other,
            ));
        }
        None => {
            details.push(Detail::new(
                ErrorCode::MissingValue,
                "location_association",
                "location_association is required",
            ));
            String::new()
        }
    };
    let description = text("description").map(str::to_owned);
    if category == "COVER" && description.is_some() {
        details.push(Detail::new(
            ErrorCode::InvalidValue,
            "description",
            "A cover photo cannot have a description",
        ));
    }
    if !details.is_empty() {
        return Err(GmbError::validation(details));
    }
    let item = MediaItem {
        format: format.clone(),
        source_url: source_url.clone(),
    };
    let photo = Photo {
        id,
        format,
        source_url,
        category,
        description,
        create_time: timestamp(),
        deleted: false,
        ledger_seq: 0,
    };
    Ok((item, photo))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn needs_format_source_and_category() {
        let ok = body(
            json!({"mediaFormat": "PHOTO", "sourceUrl": "http://127.0.0.1/a.jpg", "locationAssociation": {"category": "EXTERIOR"}}),
        );
        let (item, photo) = check(&ok, "7".into()).unwrap();
        assert_eq!(
            (item.format.as_str(), photo.category.as_str()),
            ("PHOTO", "EXTERIOR")
        );
        assert!(photo.json()["name"].as_str().unwrap().ends_with("/media/7"));
        assert!(
            check(
                &body(json!({"mediaFormat": "PHOTO", "sourceUrl": "http://x/a.jpg"})),
                "1".into()
            )
            .is_err()
        );
        assert!(check(&body(json!({"mediaFormat": "GIF", "sourceUrl": "http://x", "locationAssociation": {"category": "MENU"}})), "1".into()).is_err());
        let cover = body(
            json!({"mediaFormat": "PHOTO", "sourceUrl": "http://x", "description": "d", "locationAssociation": {"category": "COVER"}}),
        );
        assert!(check(&cover, "1".into()).is_err());
    }
}
