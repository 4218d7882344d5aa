//! Query strings as the SDKs write them: `platforms=a,b`, `platforms[]=a&platforms[]=b`,
//! `platforms[0]=a`, and Python-style `True`/`False`.

use std::collections::BTreeMap;

pub struct QueryParams(BTreeMap<String, Vec<String>>);

impl QueryParams {
    pub fn parse(raw: Option<&str>) -> QueryParams {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let key = k.split('[').next().unwrap_or("").to_string();
            map.entry(key).or_default().push(v.into_owned());
        }
        QueryParams(map)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.first()).map(String::as_str)
    }

    /// Every value of a list parameter, comma-separated ones split.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.0
            .get(key)
            .into_iter()
            .flatten()
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// Parses a number; `Err` names the parameter.
    pub fn number(&self, key: &str) -> Result<Option<i64>, String> {
        match self.get(key) {
            None | Some("") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| format!("{key} must be a number")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_and_comma_lists() {
        let q = QueryParams::parse(Some("platforms%5B%5D=telegram&platforms[]=bluesky&limit=5&x=1"));
        assert_eq!(q.list("platforms"), vec!["telegram", "bluesky"]);
        assert_eq!(q.number("limit"), Ok(Some(5)));
        assert_eq!(QueryParams::parse(Some("platforms=a,b")).list("platforms"), vec!["a", "b"]);
        assert!(QueryParams::parse(Some("limit=x")).number("limit").is_err());
    }
}
