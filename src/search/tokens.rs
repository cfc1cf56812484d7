//! The tokenizer, shared in meaning with `tokenize` in the theme's `static/js/search.js`: the
//! browser splits a query exactly as the build split the pages, so the two must change
//! together (`tests/suite/search.rs` runs both on the same texts when Node.js is installed).
//!
//! Per character: lower-cased, then folded (below), then either part of a word (a letter,
//! number or combining mark, so that Bengali, Gurmukhi and Ethiopic vowel signs stay inside
//! their words), a Han ideograph, or a separator. Runs of Han ideographs become overlapping
//! bigrams, as Lucene's CJKAnalyzer makes them: Chinese has no spaces between words, and a
//! bigram index finds a word of any length without a dictionary.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Lower-case Latin letters with diacritics and the letters they fold to, by position: people
/// often type Polish and Romanian without them (and Romanian ș/ş, ț/ţ come in two encodings).
const LATIN_FROM: &str =
    "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšșţťțŧùúûüũūŭůűųŵýÿŷźżž";
const LATIN_TO: &str =
    "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssssttttuuuuuuuuuuwyyyzzz";

/// What one character becomes once folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Part of a word.
    Word(char),
    /// A Han ideograph, for bigrams.
    Han(char),
    /// Dropped without splitting the word: vowel marks (harakat), tatweel, joiners, apostrophes.
    Gone,
    Separator,
}

/// Folds a lower-cased character to its canonical form, or `None` to drop it.
///
/// Arabic script: harakat (U+064B–U+065F, U+0670) and tatweel go; alef forms become bare alef;
/// yeh forms ي ى become the Persian ی and Arabic ك the Persian ک (as Lucene's Persian
/// normaliser does: fa, ps and ur write these); teh marbuta ة and the heh forms ۀ ہ ۃ ە become
/// ه, since readers often type ه for ة. Digits of Arabic, Persian, Bengali and Gurmukhi
/// become ASCII digits, and full-width ASCII (typed with Chinese input methods) becomes ASCII.
pub fn fold(c: char) -> Option<char> {
    let folded = match c {
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => return None,
        // Combining accents (decomposed Latin text), soft hyphen, joiners inside Persian and
        // Bengali words, and apostrophes (Ukrainian з’явитися, Somali ka'a, English patient's).
        '\u{0300}'..='\u{036F}' | '\u{00AD}' | '\u{200C}' | '\u{200D}' => return None,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' => return None,
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ي' | 'ى' => 'ی',
        'ك' => 'ک',
        'ة' | 'ۀ' | 'ہ' | 'ۃ' | 'ە' => 'ه',
        '\u{0660}'..='\u{0669}' => digit(c, 0x0660),
        '\u{06F0}'..='\u{06F9}' => digit(c, 0x06F0),
        '\u{09E6}'..='\u{09EF}' => digit(c, 0x09E6),
        '\u{0A66}'..='\u{0A6F}' => digit(c, 0x0A66),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        'à'..='ž' | 'ș' | 'ț' => LATIN_FROM
            .chars()
            .position(|from| from == c)
            .and_then(|i| LATIN_TO.chars().nth(i))
            .unwrap_or(c),
        _ => c,
    };
    Some(folded)
}

fn digit(c: char, zero: u32) -> char {
    char::from_digit(c as u32 - zero, 10).unwrap_or(c)
}

/// CJK Unified Ideographs, their extensions and the compatibility ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{323AF}')
}

fn classify(c: char) -> Class {
    let Some(c) = fold(c) else {
        return Class::Gone;
    };
    if is_han(c) {
        return Class::Han(c);
    }
    match c.general_category_group() {
        GeneralCategoryGroup::Letter
        | GeneralCategoryGroup::Number
        | GeneralCategoryGroup::Mark => Class::Word(c),
        _ => Class::Separator,
    }
}

/// Splits `text` into search terms, in order, repeats kept (the index counts them).
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut han: Vec<char> = Vec::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        match classify(c) {
            Class::Word(c) => {
                // A mark after a Han ideograph has no word to belong to.
                if !han.is_empty() && c.general_category_group() == GeneralCategoryGroup::Mark {
                    continue;
                }
                flush_han(&mut han, &mut tokens);
                word.push(c);
            }
            Class::Han(c) => {
                flush_word(&mut word, &mut tokens);
                han.push(c);
            }
            Class::Gone => {}
            Class::Separator => {
                flush_word(&mut word, &mut tokens);
                flush_han(&mut han, &mut tokens);
            }
        }
    }
    flush_word(&mut word, &mut tokens);
    flush_han(&mut han, &mut tokens);
    tokens
}

fn flush_word(word: &mut String, tokens: &mut Vec<String>) {
    if !word.is_empty() {
        tokens.push(std::mem::take(word));
    }
}

/// A run of one ideograph is a term of its own; a longer run, its overlapping pairs.
fn flush_han(run: &mut Vec<char>, tokens: &mut Vec<String>) {
    match run.len() {
        0 => {}
        1 => tokens.push(run[0].to_string()),
        _ => tokens.extend(run.windows(2).map(|pair| pair.iter().collect())),
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        tokenize(text)
    }

    #[test]
    fn latin_words_are_lower_cased_and_split_on_punctuation() {
        assert_eq!(
            t("Book an Interpreter: free (NHS), 14 days."),
            ["book", "an", "interpreter", "free", "nhs", "14", "days"]
        );
        assert_eq!(t("patient’s don't"), ["patients", "dont"]);
        assert!(t(" … — ").is_empty());
    }

    #[test]
    fn every_latin_letter_has_its_folded_form() {
        assert_eq!(LATIN_FROM.chars().count(), LATIN_TO.chars().count());
        assert!(LATIN_FROM.chars().all(|c| c.is_lowercase()));
    }

    #[test]
    fn latin_diacritics_fold() {
        assert_eq!(t("Înregistrați ŞI ș"), ["inregistrati", "si", "s"]);
        assert_eq!(
            t("Przychodnia łóżko ŹRÓDŁA"),
            ["przychodnia", "lozko", "zrodla"]
        );
        // Decomposed accents fold like precomposed ones.
        assert_eq!(t("e\u{0301}te\u{0301}"), t("été"));
    }

    #[test]
    fn cyrillic_keeps_its_letters_and_joins_apostrophes() {
        assert_eq!(t("З’явиться ЗМІСТ ґанок"), ["зявиться", "зміст", "ґанок"]);
        assert_eq!(t("з'явиться"), t("зʼявиться"));
    }

    #[test]
    fn arabic_folds_harakat_tatweel_alef_yeh_kaf_and_teh_marbuta() {
        // مترجمًا with tanween, and a word stretched with tatweel.
        assert_eq!(t("مترجمًا"), ["مترجما"]);
        assert_eq!(t("مـتـرجـم"), ["مترجم"]);
        assert_eq!(t("أحمد إلى آخر ٱلكتاب"), ["احمد", "الی", "اخر", "الکتاب"]);
        // Arabic and Persian yeh and kaf are one letter for search.
        assert_eq!(t("كيف"), t("کیف"));
        assert_eq!(t("على"), t("علی"));
        assert_eq!(t("العيادة"), ["العیاده"]);
        // Arabic comma and question mark separate words; Persian ZWNJ does not.
        assert_eq!(t("نعم، لا؟"), ["نعم", "لا"]);
        assert_eq!(t("زبان‌ها"), ["زبانها"]);
        // Urdu heh goal folds with heh; do-chashmi heh (aspiration) stays.
        assert_eq!(t("یہ بھی"), ["یه", "بھی"]);
    }

    #[test]
    fn eastern_digits_fold_to_ascii() {
        assert_eq!(t("١٤ ۱۴ ১৪ ੧੪ １４"), ["14", "14", "14", "14", "14"]);
    }

    #[test]
    fn han_runs_become_bigrams() {
        assert_eq!(t("口译员"), ["口译", "译员"]);
        assert_eq!(
            t("您可以要求安排口译员。"),
            [
                "您可", "可以", "以要", "要求", "求安", "安排", "排口", "口译", "译员"
            ]
        );
        // A lone ideograph is its own term; Latin next to Han is a word of its own.
        assert_eq!(t("（GP）诊所"), ["gp", "诊所"]);
        assert_eq!(t("NHS号码 和 A4"), ["nhs", "号码", "和", "a4"]);
        // Full-width Latin and digits, as Chinese input methods type them.
        assert_eq!(t("ＮＨＳ １４"), ["nhs", "14"]);
    }

    #[test]
    fn bengali_and_gurmukhi_vowel_signs_stay_in_their_words() {
        // দোভাষী (interpreter): consonants with vowel signs (Mc and Mn).
        assert_eq!(t("একজন দোভাষী চান।"), ["একজন", "দোভাষী", "চান"]);
        // A conjunct with virama, and a ZWNJ that only controls its shape.
        assert_eq!(t("স্বাস্থ্য"), ["স্বাস্থ্য"]);
        assert_eq!(t("র\u{200C}্য"), ["র্য"]);
        assert_eq!(t("ਦੁਭਾਸ਼ੀਆ, ਮੁਫ਼ਤ।"), ["ਦੁਭਾਸ਼ੀਆ", "ਮੁਫ਼ਤ"]);
    }

    #[test]
    fn ethiopic_wordspace_and_full_stop_separate_words() {
        assert_eq!(t("ተርጓሚ፡ነጻ እዩ።"), ["ተርጓሚ", "ነጻ", "እዩ"]);
    }
}
