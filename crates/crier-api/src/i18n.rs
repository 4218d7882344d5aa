//! Error messages in the caller's language. Fluent files live in
//! `locales/<lang>/errors.ftl` and are compiled into the binary. The language
//! comes from `Accept-Language`: q-values honoured, a region falls back to
//! its base language, then to English.

use crier_core::ErrorReport;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// Supported languages, English first (the fallback).
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en/errors.ftl")),
    ("fr", include_str!("../locales/fr/errors.ftl")),
    ("de", include_str!("../locales/de/errors.ftl")),
    ("es", include_str!("../locales/es/errors.ftl")),
    ("pt-BR", include_str!("../locales/pt-BR/errors.ftl")),
    ("it", include_str!("../locales/it/errors.ftl")),
    ("nl", include_str!("../locales/nl/errors.ftl")),
    ("ja", include_str!("../locales/ja/errors.ftl")),
    ("zh-CN", include_str!("../locales/zh-CN/errors.ftl")),
    ("ko", include_str!("../locales/ko/errors.ftl")),
    ("ar", include_str!("../locales/ar/errors.ftl")),
    ("vi", include_str!("../locales/vi/errors.ftl")),
];

/// The linking page's texts (`link-*` keys), in `LANGUAGES` order.
const LINKING: [&str; 12] = [
    include_str!("../locales/en/linking.ftl"),
    include_str!("../locales/fr/linking.ftl"),
    include_str!("../locales/de/linking.ftl"),
    include_str!("../locales/es/linking.ftl"),
    include_str!("../locales/pt-BR/linking.ftl"),
    include_str!("../locales/it/linking.ftl"),
    include_str!("../locales/nl/linking.ftl"),
    include_str!("../locales/ja/linking.ftl"),
    include_str!("../locales/zh-CN/linking.ftl"),
    include_str!("../locales/ko/linking.ftl"),
    include_str!("../locales/ar/linking.ftl"),
    include_str!("../locales/vi/linking.ftl"),
];

/// Index into `LANGUAGES`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lang(pub usize);

impl Lang {
    pub const ENGLISH: Lang = Lang(0);
    pub fn tag(self) -> &'static str {
        LANGUAGES[self.0].0
    }
}

pub struct Translator {
    bundles: Vec<FluentBundle<FluentResource>>,
}

impl Translator {
    /// Builds every bundle. Fails if a file does not parse: a broken translation must not ship.
    pub fn new() -> Result<Translator, String> {
        let mut bundles = Vec::new();
        for ((tag, source), linking) in LANGUAGES.iter().zip(LINKING) {
            let lang: LanguageIdentifier = tag.parse().map_err(|e| format!("{tag}: {e}"))?;
            let resource = FluentResource::try_new(source.to_string())
                .map_err(|(_, errs)| format!("{tag}/errors.ftl: {errs:?}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            // No Unicode isolation marks around placeables: these strings go into JSON, not a UI.
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).map_err(|e| format!("{tag}: {e:?}"))?;
            let linking = FluentResource::try_new(linking.to_string()).map_err(|(_, errs)| format!("{tag}/linking.ftl: {errs:?}"))?;
            bundle.add_resource(linking).map_err(|e| format!("{tag}/linking.ftl: {e:?}"))?;
            bundles.push(bundle);
        }
        Ok(Translator { bundles })
    }

    /// The message for `key` in `lang`, falling back to English if the key is missing there.
    pub fn message(&self, lang: Lang, key: &str, args: &[(String, String)]) -> Option<String> {
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            // Numbers as numbers, so plural selection works.
            match v.parse::<f64>() {
                Ok(n) => fargs.set(k.clone(), n),
                Err(_) => fargs.set(k.clone(), v.clone()),
            }
        }
        for bundle in [&self.bundles[lang.0], &self.bundles[0]] {
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
                return Some(text.into_owned());
            }
        }
        None
    }

    pub fn error_message(&self, lang: Lang, report: &ErrorReport) -> String {
        self.message(lang, &report.catalog_code().entry().message_key(), &report.args)
            .unwrap_or_else(|| format!("Error {}", report.code))
    }

    pub fn has_message(&self, lang: Lang, key: &str) -> bool {
        self.bundles[lang.0].get_message(key).and_then(|m| m.value()).is_some()
    }
}

/// Picks the language from an `Accept-Language` value.
pub fn negotiate(header: Option<&str>) -> Lang {
    let Some(header) = header else { return Lang::ENGLISH };
    let mut ranges: Vec<(f32, usize, &str)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim();
            if tag.is_empty() {
                return None;
            }
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, tag))
        })
        .collect();
    // Highest q first; equal q keeps the header's order.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, tag) in ranges {
        if let Some(lang) = match_tag(tag) {
            return lang;
        }
    }
    Lang::ENGLISH
}

fn match_tag(tag: &str) -> Option<Lang> {
    if tag == "*" {
        return Some(Lang::ENGLISH);
    }
    let tag = tag.replace('_', "-");
    if let Some(i) = LANGUAGES.iter().position(|(t, _)| t.eq_ignore_ascii_case(&tag)) {
        return Some(Lang(i));
    }
    let base = tag.split('-').next().unwrap_or("");
    LANGUAGES
        .iter()
        .position(|(t, _)| t.split('-').next().is_some_and(|b| b.eq_ignore_ascii_case(base)))
        .map(Lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(h: &str) -> &'static str {
        negotiate(Some(h)).tag()
    }

    #[test]
    fn negotiation() {
        assert_eq!(negotiate(None).tag(), "en");
        assert_eq!(tag("fr"), "fr");
        assert_eq!(tag("fr-CA,en;q=0.5"), "fr");
        assert_eq!(tag("pt"), "pt-BR");
        assert_eq!(tag("pt-PT"), "pt-BR");
        assert_eq!(tag("zh-TW;q=0.9, de;q=0.95"), "de");
        assert_eq!(tag("sv, nl;q=0.1"), "nl");
        assert_eq!(tag("sv"), "en");
        assert_eq!(tag("ja;q=0, ko"), "ko");
        assert_eq!(tag("en-US,en;q=0.9"), "en");
    }
}
