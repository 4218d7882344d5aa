//! Every text of the linking page exists in every language, translated.

use crier_api::i18n::{LANGUAGES, Lang, Translator};

const KEYS_FILE: &str = include_str!("../locales/en/linking.ftl");

fn keys() -> Vec<&'static str> {
    KEYS_FILE.lines().filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim())).filter(|k| k.starts_with("link-")).collect()
}

#[test]
fn every_linking_text_exists_and_is_translated() {
    let t = Translator::new().expect("all Fluent files parse");
    let args = [("profile".to_string(), "Acme".to_string()), ("network".to_string(), "Telegram".to_string()), ("name".to_string(), "Chan".to_string()), ("title".to_string(), "Acme".to_string())];
    assert!(keys().len() > 30);
    for key in keys() {
        let english = t.message(Lang::ENGLISH, key, &args).unwrap();
        for (i, (tag, _)) in LANGUAGES.iter().enumerate().skip(1) {
            assert!(t.has_message(Lang(i), key), "{tag} lacks {key}");
            let other = t.message(Lang(i), key, &args).unwrap();
            assert!(!other.contains('{'), "{tag} {key} has an unfilled placeable: {other}");
            // The logo's alt text is the white-label title in every language.
            if key != "link-logo-alt" {
                assert_ne!(other, english, "{tag} {key} is the English text");
            }
        }
    }
}
