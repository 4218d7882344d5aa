//! Every catalog code has a real message in every language.

use crier_api::i18n::{LANGUAGES, Lang, Translator};
use crier_core::{Action, Code, ErrorReport, Platform};

#[test]
fn every_code_has_a_message_in_every_language() {
    let t = Translator::new().expect("all Fluent files parse");
    for code in Code::ALL {
        let key = code.entry().message_key();
        for (i, (tag, _)) in LANGUAGES.iter().enumerate() {
            assert!(t.has_message(Lang(i), &key), "{tag} lacks {key}");
        }
    }
}

#[test]
fn no_language_copies_the_english_text() {
    let t = Translator::new().unwrap();
    for code in Code::ALL {
        let report = ErrorReport::for_platform(*code, Action::Post, Platform::Bluesky)
            .arg("network", "Bluesky")
            .arg("limit", 300)
            .arg("overage", 12)
            .arg("count", 1)
            .arg("missing", "X-Twitter-OAuth1-Api-Secret")
            .arg("field", "post");
        let english = t.error_message(Lang::ENGLISH, &report);
        for (i, (tag, _)) in LANGUAGES.iter().enumerate().skip(1) {
            let other = t.error_message(Lang(i), &report);
            assert_ne!(other, english, "{tag} message for {} is the English text", code.number());
            assert!(!other.contains("{"), "{tag} message for {} has an unfilled placeable: {other}", code.number());
        }
    }
}

#[test]
fn placeholders_are_filled() {
    let t = Translator::new().unwrap();
    let r = ErrorReport::for_platform(Code::TextTooLong, Action::Post, Platform::Bluesky)
        .arg("network", "Bluesky")
        .arg("limit", 300)
        .arg("overage", 12);
    let fr = t.error_message(Lang(1), &r);
    assert!(fr.contains("Bluesky") && fr.contains("300") && fr.contains("12"), "{fr}");
    let two = ErrorReport::new(Code::TwitterByoMissing, Action::Post).arg("count", 2).arg("missing", "A, B");
    let one = ErrorReport::new(Code::TwitterByoMissing, Action::Post).arg("count", 1).arg("missing", "B");
    assert_ne!(t.error_message(Lang::ENGLISH, &two).replace("A, B", "B"), t.error_message(Lang::ENGLISH, &one));
}
