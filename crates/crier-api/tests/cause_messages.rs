//! 435's message names its cause (Meta's 429, the velocity block, Meta's daily cap, crier's own
//! configured limit) in every language; without a cause it names no number.

use crier_api::i18n::{LANGUAGES, Lang, Translator};
use crier_core::{Action, Code, ErrorReport, Platform};

fn report(cause: Option<&str>) -> ErrorReport {
    let mut r = ErrorReport::for_platform(Code::InstagramRateLimit, Action::Post, Platform::Instagram).arg("network", "Instagram");
    if let Some(c) = cause {
        r = r.arg("cause", c).arg("limit", 37);
    }
    r
}

#[test]
fn every_cause_has_its_own_text_in_every_language() {
    let t = Translator::new().unwrap();
    for (i, (tag, _)) in LANGUAGES.iter().enumerate() {
        let texts: Vec<String> = [Some("meta"), Some("velocity"), Some("daily"), Some("limit"), None]
            .into_iter()
            .map(|c| t.error_message(Lang(i), &report(c)))
            .collect();
        for (n, a) in texts.iter().enumerate() {
            assert!(!a.contains('{') && !a.contains("50"), "{tag}: {a}");
            for b in &texts[n + 1..] {
                assert_ne!(a, b, "{tag}: two causes read the same");
            }
        }
        assert!(texts[3].contains("37"), "{tag}: the configured limit is named: {}", texts[3]);
    }
}
