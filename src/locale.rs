//! Which of the site's languages stands in for another when a text is missing.
//!
//! The chain is CLDR's locale inheritance (UTS #35), as ICU4X computes it from CLDR's likely
//! subtags and parent locales, kept to the languages the site has, and ending in the default
//! language. CLDR knows where a chain must stop that a plain truncation of the tag does not:
//! `fa-AF` inherits from `fa`, `zh-HK` from `zh-Hant`, but `zh-Hant` never from `zh` (whose
//! script is Simplified), and `pa-Arab` never from `pa` (written in Gurmukhi).

use icu_locale::fallback::LocaleFallbacker;
use icu_locale::{LanguageIdentifier, Locale, LocaleExpander};

/// For each of `codes`, the other languages to try, nearest first, ending with `default` (which
/// has an empty chain itself). Codes ICU cannot read fall back to `default` alone.
pub fn fallback_chains(codes: &[&str], default: usize) -> Vec<Vec<usize>> {
    let fallbacker = LocaleFallbacker::new().for_config(Default::default());
    // Each language's steps, its own (normalised: `zh-Hans` is `zh`) first.
    let steps: Vec<Vec<String>> = codes
        .iter()
        .map(|code| {
            let Ok(locale) = code.parse::<Locale>() else {
                return Vec::new();
            };
            let mut iterator = fallbacker.fallback_for((&locale).into());
            let mut steps = Vec::new();
            // CLDR chains are a handful of steps long; the bound guards against a data bug.
            while !iterator.get().is_unknown() && steps.len() < 16 {
                steps.push(iterator.get().to_string());
                iterator.step();
            }
            steps
        })
        .collect();
    (0..codes.len())
        .map(|lang| {
            if lang == default {
                return Vec::new();
            }
            let mut chain: Vec<usize> = steps[lang]
                .iter()
                .skip(1)
                .filter_map(|step| {
                    (0..codes.len())
                        .find(|&other| other != lang && steps[other].first() == Some(step))
                })
                .collect();
            chain.dedup();
            if !chain.contains(&default) {
                chain.push(default);
            }
            chain
        })
        .collect()
}

/// The region a text in `code` is written for, where the tag says more than its language:
/// its own region (`fa-AF`: `AF`), or the likeliest one for its script (`zh-Hant`: `TW`). A font's
/// regional forms depend on it: Traditional Chinese shapes with the `ZHT` forms of a CJK font
/// only when the shaper is told the region.
pub fn region(code: &str) -> Option<String> {
    let mut id: LanguageIdentifier = code.parse().ok()?;
    if let Some(region) = id.region {
        return Some(region.to_string());
    }
    id.script?;
    LocaleExpander::new_common().maximize(&mut id);
    id.region.map(|r| r.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain<'a>(codes: &[&'a str], of: &str) -> Vec<&'a str> {
        let chains = fallback_chains(codes, 0);
        let at = codes.iter().position(|c| *c == of).unwrap_or(0);
        chains[at].iter().map(|&i| codes[i]).collect()
    }

    #[test]
    fn a_regional_variety_inherits_from_its_language_then_the_default() {
        let codes = ["en", "fa", "fa-AF", "pt", "pt-BR"];
        assert_eq!(chain(&codes, "fa-AF"), ["fa", "en"]);
        assert_eq!(chain(&codes, "pt-BR"), ["pt", "en"]);
        assert_eq!(chain(&codes, "fa"), ["en"]);
        assert!(chain(&codes, "en").is_empty());
    }

    #[test]
    fn no_chain_crosses_from_one_script_to_another() {
        let codes = [
            "en", "zh-Hans", "zh-Hant", "zh", "pa", "pa-Arab", "sr", "sr-Latn",
        ];
        assert_eq!(chain(&codes, "zh-Hant"), ["en"]);
        assert_eq!(chain(&codes, "pa-Arab"), ["en"]);
        assert_eq!(chain(&codes, "sr-Latn"), ["en"]);
    }

    #[test]
    fn a_region_that_implies_a_script_inherits_within_that_script() {
        let codes = ["en", "zh-Hans", "zh-Hant", "zh-HK"];
        assert_eq!(chain(&codes, "zh-HK"), ["zh-Hant", "en"]);
        let codes = ["en", "pa", "pa-Arab", "pa-PK"];
        assert_eq!(chain(&codes, "pa-PK"), ["pa-Arab", "en"]);
    }

    #[test]
    fn regions_come_from_the_tag_or_its_script() {
        assert_eq!(region("zh-Hant").as_deref(), Some("TW"));
        assert_eq!(region("zh-Hant-HK").as_deref(), Some("HK"));
        assert_eq!(region("fa-AF").as_deref(), Some("AF"));
        assert_eq!(region("zh-Hans").as_deref(), Some("CN"));
        // A bare language says nothing more: its texts keep the font's default forms.
        assert_eq!(region("ar"), None);
        assert_eq!(region("zh"), None);
    }

    #[test]
    fn languages_of_one_family_do_not_stand_in_for_each_other() {
        let codes = ["en", "ckb", "kmr", "ku", "fa"];
        assert_eq!(chain(&codes, "ckb"), ["en"]);
        assert_eq!(chain(&codes, "kmr"), ["en"]);
    }
}
