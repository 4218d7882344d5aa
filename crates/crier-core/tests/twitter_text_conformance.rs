//! twitter-text's own conformance cases for the weighted length (config v3), copied into
//! tests/fixtures/twitter_text_weighted.json with their source, and its URL extraction cases
//! (tests/fixtures/twitter_text_urls.json). Every case of the sections copied runs.

use crier_core::text_length::x::{parse, Parsed};
use serde_json::Value;

#[test]
fn weighted_length_conformance() {
    let raw = include_str!("fixtures/twitter_text_weighted.json");
    let doc: Value = serde_json::from_str(raw).unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for (section, cases) in doc["sections"].as_object().unwrap() {
        for case in cases.as_array().unwrap() {
            let text = case["text"].as_str().unwrap();
            let e = &case["expected"];
            let want = Parsed {
                weighted_length: e["weightedLength"].as_u64().unwrap() as usize,
                valid: e["valid"].as_bool().unwrap(),
                permillage: e["permillage"].as_u64().unwrap() as usize,
            };
            let got = parse(text);
            ran += 1;
            if got != want {
                failures.push(format!("{section} / {}: got {got:?}, want {want:?}", case["description"]));
            }
        }
    }
    assert!(ran >= 24, "only {ran} cases");
    assert!(failures.is_empty(), "{} of {ran} cases differ:\n{}", failures.len(), failures.join("\n"));
}

/// The URL cases of extract.yml (X's weighting gives each URL 23): all of them run.
#[test]
fn url_extraction_conformance() {
    let raw = include_str!("fixtures/twitter_text_urls.json");
    let doc: Value = serde_json::from_str(raw).unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in doc["cases"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        let want: Vec<String> = case["expected"].as_array().unwrap().iter().map(|u| u.as_str().unwrap().to_string()).collect();
        let got = crier_core::text_length::x::urls(text);
        ran += 1;
        if got != want {
            failures.push(format!("{}: {text:?}: got {got:?}, want {want:?}", case["description"]));
        }
    }
    assert!(failures.is_empty(), "{} of {ran} cases differ:\n{}", failures.len(), failures.join("\n"));
}
