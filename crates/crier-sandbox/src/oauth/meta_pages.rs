//! One entry of `GET /me/accounts` (the Facebook Login account picker) with
//! Graph's field expansion: `fields=id,name,access_token,picture,
//! instagram_business_account{id,username,profile_picture_url}`.
//!
//! Shapes from https://developers.facebook.com/docs/graph-api/reference/user/accounts/
//! (Page entries), https://developers.facebook.com/docs/graph-api/reference/page/picture/
//! (`picture` → `{"data":{height,is_silhouette,url,width}}`, sub-selectable as
//! `picture{url}`), https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/page
//! (`instagram_business_account` → `{"id"}` unless expanded) and
//! https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user
//! (`username`, `name`, `profile_picture_url`, …). Expanded fields the
//! sandbox does not know are left out rather than refused.

use serde_json::{Map, Value, json};

use crate::seed;

/// The Page's picture; `GET /{page-id}?fields=picture` answers the same.
pub(crate) const PAGE_PICTURE: &str = "https://scontent.example/crier-sandbox-page.png";
/// The Instagram account's picture, as `GET /{ig-user-id}?fields=profile_picture_url`
/// answers it (`meta::instagram::media`).
const IG_PICTURE: &str = "https://scontent.cdninstagram.com/v/crier_sandbox.jpg";

/// One requested field: its name and, for `a{b,c}`, the sub-selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    pub name: String,
    pub sub: Option<Vec<Field>>,
}

/// Parses Graph's `fields` syntax: commas, `{…}` expansion (nested), and
/// `.modifier(…)` suffixes (ignored).
pub(crate) fn parse(raw: &str) -> Vec<Field> {
    fn list(chars: &[char], i: &mut usize) -> Vec<Field> {
        let mut out = Vec::new();
        let mut name = String::new();
        let mut sub = None;
        let mut in_modifier = 0usize;
        while *i < chars.len() {
            let c = chars[*i];
            *i += 1;
            if in_modifier > 0 {
                match c {
                    '(' => in_modifier += 1,
                    ')' => in_modifier -= 1,
                    _ => {}
                }
                continue;
            }
            match c {
                '{' => sub = Some(list(chars, i)),
                '}' => break,
                ',' => push(&mut out, &mut name, &mut sub),
                '(' => in_modifier = 1,
                '.' => {
                    // `.limit(5)`: skip the modifier name up to its '('.
                    while *i < chars.len() && chars[*i] != '(' && chars[*i] != ',' {
                        *i += 1;
                    }
                }
                c if !c.is_whitespace() => name.push(c),
                _ => {}
            }
        }
        push(&mut out, &mut name, &mut sub);
        out
    }
    fn push(out: &mut Vec<Field>, name: &mut String, sub: &mut Option<Vec<Field>>) {
        if !name.is_empty() {
            out.push(Field {
                name: std::mem::take(name),
                sub: sub.take(),
            });
        }
        *sub = None;
    }
    let chars: Vec<char> = raw.chars().collect();
    list(&chars, &mut 0)
}

fn pick(full: &Map<String, Value>, sub: &[Field]) -> Map<String, Value> {
    sub.iter()
        .filter_map(|f| full.get(&f.name).map(|v| (f.name.clone(), v.clone())))
        .collect()
}

fn instagram(sub: Option<&[Field]>) -> Value {
    let full: Map<String, Value> = [
        ("id", json!(seed::INSTAGRAM_USER_ID)),
        ("ig_id", json!(7_000_000_001u64)),
        ("username", json!(seed::INSTAGRAM_USERNAME)),
        ("name", json!("Crier Sandbox")),
        ("profile_picture_url", json!(IG_PICTURE)),
        ("website", json!("https://example.org/crier")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let mut out = match sub {
        Some(sub) => pick(&full, sub),
        None => Map::new(),
    };
    out.insert("id".into(), json!(seed::INSTAGRAM_USER_ID));
    Value::Object(out)
}

fn picture(sub: Option<&[Field]>) -> Value {
    let data: Map<String, Value> = [
        ("height", json!(50)),
        ("is_silhouette", json!(false)),
        ("url", json!(PAGE_PICTURE)),
        ("width", json!(50)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let data = match sub {
        Some(sub) => pick(&data, sub),
        None => data,
    };
    json!({ "data": data })
}

/// The sandbox Page as one `/me/accounts` entry, with `page_token` as its
/// `access_token`, projected on `fields` (Graph's defaults without it).
pub(crate) fn page_entry(page_token: &str, fields: Option<&str>) -> Value {
    let defaults = "access_token,category,category_list,name,id,tasks";
    let mut wanted = parse(fields.unwrap_or(defaults));
    if !wanted.iter().any(|f| f.name == "id") {
        wanted.push(Field {
            name: "id".into(),
            sub: None,
        });
    }
    let mut page = Map::new();
    for field in &wanted {
        let sub = field.sub.as_deref();
        let value = match field.name.as_str() {
            "id" => json!(seed::FACEBOOK_PAGE_ID),
            "name" => json!("Crier Sandbox"),
            "access_token" => json!(page_token),
            "category" => json!("Media"),
            "category_list" => json!([{"id": "2211", "name": "Media"}]),
            "tasks" => json!([
                "ADVERTISE",
                "ANALYZE",
                "CREATE_CONTENT",
                "MESSAGING",
                "MODERATE",
                "MANAGE"
            ]),
            "username" => json!("criersandbox"),
            "link" => json!(format!(
                "https://www.facebook.com/{}",
                seed::FACEBOOK_PAGE_ID
            )),
            "instagram_business_account" => instagram(sub),
            "picture" => picture(sub),
            _ => continue,
        };
        page.insert(field.name.clone(), value);
    }
    Value::Object(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_expansions_and_modifiers() {
        let f = parse("id,picture.type(large){url},instagram_business_account{id,username}");
        assert_eq!(f.len(), 3);
        assert_eq!(f[1].name, "picture");
        assert_eq!(f[1].sub.as_ref().unwrap()[0].name, "url");
        assert_eq!(f[2].sub.as_ref().unwrap().len(), 2);
        let page = page_entry(
            "t",
            Some("name,instagram_business_account{username},picture{url}"),
        );
        assert_eq!(
            page["instagram_business_account"]["id"],
            seed::INSTAGRAM_USER_ID
        );
        assert_eq!(
            page["instagram_business_account"]["username"],
            seed::INSTAGRAM_USERNAME
        );
        assert_eq!(page["picture"], json!({"data": {"url": PAGE_PICTURE}}));
        assert_eq!(page["id"], seed::FACEBOOK_PAGE_ID);
        assert!(page.get("access_token").is_none());
        let plain = page_entry("t", Some("instagram_business_account"));
        assert_eq!(
            plain["instagram_business_account"],
            json!({"id": seed::INSTAGRAM_USER_ID})
        );
    }
}
