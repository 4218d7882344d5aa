//! The `POST /rest/posts` body: commentary in LinkedIn's little text format
//! (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format)
//! and the `linkedInOptions` of Ayrshare (visibility, altText, titles/title, targeting).

use serde_json::{Map, Value, json};

/// Characters the little text format gives meaning to; as text they are escaped with `\`,
/// otherwise LinkedIn cuts the post at the first one.
const RESERVED: &[char] = &['\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~'];

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        if RESERVED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Plain text → commentary: reserved characters escaped, `#tag` written as a hashtag
/// template so it stays a link.
pub fn commentary(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.char_indices().peekable();
    let mut prev_is_space = true;
    while let Some((i, c)) = chars.next() {
        if c == '#' && prev_is_space {
            let rest = &text[i + 1..];
            let tag_len: usize = rest.chars().take_while(|c| c.is_alphanumeric()).map(char::len_utf8).sum();
            if tag_len > 0 {
                out.push_str("{hashtag|\\#|");
                out.push_str(&rest[..tag_len]);
                out.push('}');
                while chars.peek().is_some_and(|(j, _)| *j <= i + tag_len) {
                    chars.next();
                }
                prev_is_space = false;
                continue;
            }
        }
        escape_into(&mut out, &c.to_string());
        prev_is_space = c.is_whitespace();
    }
    out
}

/// Commentary as LinkedIn returns it → the plain text a user wrote (for matching).
pub fn plain_text(commentary: &str) -> String {
    let mut out = String::with_capacity(commentary.len());
    let mut rest = commentary;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("{hashtag|\\#|")
            && let Some(end) = after.find('}')
        {
            out.push('#');
            out.push_str(&after[..end]);
            rest = &after[end + 1..];
            continue;
        }
        let mut it = rest.chars();
        let c = it.next().expect("rest is not empty");
        match (c, it.clone().next()) {
            ('\\', Some(n)) if RESERVED.contains(&n) => {
                out.push(n);
                rest = &rest[1 + n.len_utf8()..];
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Ayrshare's `visibility` (`public` default, `connections`, `loggedin`) → LinkedIn's.
pub fn visibility(options: &Map<String, Value>) -> &'static str {
    match options.get("visibility").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
        Some("connections") => "CONNECTIONS",
        Some("loggedin" | "logged_in") => "LOGGED_IN",
        _ => "PUBLIC",
    }
}

/// Ayrshare targeting facet → (LinkedIn `targetEntities` field, URN prefix for bare ids).
const FACETS: &[(&str, &str, &str)] = &[
    ("countries", "geoLocations", "urn:li:geo:"),
    ("seniorities", "seniorities", "urn:li:seniority:"),
    ("degrees", "degrees", "urn:li:degree:"),
    ("fieldsOfStudy", "fieldsOfStudy", "urn:li:fieldOfStudy:"),
    ("industries", "industries", "urn:li:industry:"),
    ("jobFunctions", "jobFunctions", "urn:li:function:"),
    ("staffCountRanges", "staffCountRanges", ""),
];

/// `targeting` → one `targetEntities` entry (organizations only). URNs pass through,
/// bare numeric ids get their facet's URN prefix, anything else is sent as given.
pub fn target_entities(options: &Map<String, Value>) -> Vec<Value> {
    let Some(t) = options.get("targeting").and_then(Value::as_object) else { return Vec::new() };
    let mut entity = Map::new();
    for (ours, theirs, prefix) in FACETS {
        let Some(values) = t.get(*ours).and_then(Value::as_array) else { continue };
        let urns: Vec<Value> = values
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .map(|s| if !prefix.is_empty() && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { format!("{prefix}{s}") } else { s })
            .map(Value::String)
            .collect();
        if !urns.is_empty() {
            entity.insert((*theirs).into(), Value::Array(urns));
        }
    }
    if entity.is_empty() { Vec::new() } else { vec![Value::Object(entity)] }
}

fn nth_str<'a>(options: &'a Map<String, Value>, key: &str, i: usize) -> Option<&'a str> {
    options.get(key).and_then(Value::as_array).and_then(|a| a.get(i)).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The `content` object for uploaded media: one image (`media`), several (`multiImage`), or a video.
pub fn content(images: &[String], video: Option<&str>, options: &Map<String, Value>) -> Option<Value> {
    let title = |i: usize| nth_str(options, "titles", i).or_else(|| options.get("title").and_then(Value::as_str).filter(|s| !s.is_empty()));
    if let Some(v) = video {
        let mut media = json!({"id": v});
        if let Some(t) = title(0) {
            media["title"] = json!(t);
        }
        return Some(json!({"media": media}));
    }
    match images {
        [] => None,
        [one] => {
            let mut media = json!({"id": one});
            if let Some(alt) = nth_str(options, "altText", 0) {
                media["altText"] = json!(alt);
            }
            if let Some(t) = nth_str(options, "titles", 0) {
                media["title"] = json!(t);
            }
            Some(json!({"media": media}))
        }
        many => {
            let images: Vec<Value> = many
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let mut img = json!({"id": id});
                    if let Some(alt) = nth_str(options, "altText", i) {
                        img["altText"] = json!(alt);
                    }
                    img
                })
                .collect();
            Some(json!({"multiImage": {"images": images}}))
        }
    }
}

/// The whole post.
pub fn body(author: &str, text: &str, images: &[String], video: Option<&str>, options: &Map<String, Value>) -> Value {
    let targets = if author.starts_with("urn:li:organization:") { target_entities(options) } else { Vec::new() };
    let mut post = json!({
        "author": author,
        "commentary": commentary(text),
        "visibility": visibility(options),
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": targets, "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": false,
    });
    if let Some(c) = content(images, video, options) {
        post["content"] = c;
    }
    post
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn commentary_escapes_reserved_and_keeps_hashtags() {
        let c = commentary("Hi (all) @you #rust_lang a#b #");
        assert_eq!(c, "Hi \\(all\\) \\@you {hashtag|\\#|rust}\\_lang a\\#b \\#");
        assert_eq!(plain_text(&c), "Hi (all) @you #rust_lang a#b #");
    }

    #[test]
    fn plain_text_round_trips_unicode() {
        let t = "Été ~ *ok* #café [x] \\ done";
        assert_eq!(plain_text(&commentary(t)), t);
    }

    #[test]
    fn visibility_maps_ayrshare_values() {
        assert_eq!(visibility(&opts(json!({}))), "PUBLIC");
        assert_eq!(visibility(&opts(json!({"visibility": "connections"}))), "CONNECTIONS");
        assert_eq!(visibility(&opts(json!({"visibility": "loggedin"}))), "LOGGED_IN");
    }

    #[test]
    fn one_image_carries_alt_text_and_many_become_multi_image() {
        let o = opts(json!({"altText": ["a", "b"]}));
        let one = content(&["urn:li:image:1".into()], None, &o).unwrap();
        assert_eq!(one, json!({"media": {"id": "urn:li:image:1", "altText": "a"}}));
        let many = content(&["urn:li:image:1".into(), "urn:li:image:2".into()], None, &o).unwrap();
        assert_eq!(many["multiImage"]["images"][1], json!({"id": "urn:li:image:2", "altText": "b"}));
        let video = content(&[], Some("urn:li:video:9"), &opts(json!({"title": "T"}))).unwrap();
        assert_eq!(video, json!({"media": {"id": "urn:li:video:9", "title": "T"}}));
    }

    #[test]
    fn targeting_only_for_organizations() {
        let o = opts(json!({"targeting": {"countries": ["103644278", "urn:li:geo:1"], "seniorities": [3], "unknown": ["x"]}}));
        let org = body("urn:li:organization:5", "t", &[], None, &o);
        assert_eq!(
            org["distribution"]["targetEntities"],
            json!([{"geoLocations": ["urn:li:geo:103644278", "urn:li:geo:1"], "seniorities": ["urn:li:seniority:3"]}])
        );
        let person = body("urn:li:person:5", "t", &[], None, &o);
        assert_eq!(person["distribution"]["targetEntities"], json!([]));
        assert!(person.get("content").is_none());
    }
}
