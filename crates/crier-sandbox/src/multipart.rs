//! Minimal `multipart/form-data` reader. For the Telegram emulator text parts
//! become string parameters and file parts `{"filename":..,"size":..}` (no
//! file contents kept); the Meta emulator reads the parts themselves, as it
//! checks that an uploaded photo really is an image.

use serde_json::{Map, Value, json};

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// Value of `key="..."` in a Content-Disposition header.
fn disposition_param(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|param| {
        let (k, v) = param.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// One part of a multipart body.
pub(crate) struct Part {
    pub name: String,
    /// Set for file parts.
    pub filename: Option<String>,
    pub data: Vec<u8>,
}

/// Splits the body into its parts; `None` when it is not well-formed multipart.
pub(crate) fn parse_parts(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    let delimiter = format!("--{}", boundary(content_type)?).into_bytes();
    let mut parts = Vec::new();
    let mut pos = find(body, &delimiter, 0)? + delimiter.len();
    loop {
        if body[pos..].starts_with(b"--") {
            return Some(parts);
        }
        let part_start = find(body, b"\r\n", pos)? + 2;
        let next = find(body, &delimiter, part_start)?;
        // The part ends with CRLF before the next delimiter.
        let part = &body[part_start..next.saturating_sub(2).max(part_start)];
        let header_end = find(part, b"\r\n\r\n", 0)?;
        let headers = String::from_utf8_lossy(&part[..header_end]);
        let content = &part[header_end + 4..];
        let disposition = headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        if let Some(name) = disposition_param(disposition, "name") {
            parts.push(Part {
                name,
                filename: disposition_param(disposition, "filename"),
                data: content.to_vec(),
            });
        }
        pos = next + delimiter.len();
    }
}

/// Parses the body into parameters (text parts as strings, file parts as
/// `{"filename":..,"size":..}`); `None` when it is not well-formed multipart.
pub(crate) fn parse(content_type: &str, body: &[u8]) -> Option<Map<String, Value>> {
    let parts = parse_parts(content_type, body)?;
    Some(
        parts
            .into_iter()
            .map(|part| {
                let value = match part.filename {
                    Some(filename) => json!({"filename": filename, "size": part.data.len()}),
                    None => Value::String(String::from_utf8_lossy(&part.data).into_owned()),
                };
                (part.name, value)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_and_file_parts() {
        let body = b"--XX\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n@c\r\n--XX\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nJPEG\r\n--XX--\r\n";
        let fields = parse("multipart/form-data; boundary=XX", body).unwrap();
        assert_eq!(fields["chat_id"], "@c");
        assert_eq!(fields["photo"]["filename"], "a.jpg");
        assert_eq!(fields["photo"]["size"], 4);
        assert!(parse("multipart/form-data", body).is_none());
        assert!(parse("multipart/form-data; boundary=XX", b"garbage").is_none());
    }
}
