//! Heading ids that keep their script: `## التسجيل` gets `id="التسجيل"`, not an empty or
//! transliterated one, so links into Arabic or Chinese pages read as words.

use std::collections::HashMap;

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        // Letters, digits and combining marks (Indic vowel signs and viramas, Arabic harakat)
        // are part of words; joiners shape Persian and Indic words.
        let keep = c.is_alphanumeric()
            || c.general_category_group() == GeneralCategoryGroup::Mark
            || c == '\u{200C}'
            || c == '\u{200D}';
        if keep {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

/// Hands out ids unique within one page.
#[derive(Default)]
pub struct Ids {
    used: HashMap<String, usize>,
}

impl Ids {
    pub fn unique(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        while let Some(count) = self.used.get_mut(&candidate) {
            *count += 1;
            candidate = format!("{base}-{count}");
        }
        self.used.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_scripts_and_marks() {
        assert_eq!(
            slugify("Step 1: Register the patient!"),
            "step-1-register-the-patient"
        );
        assert_eq!(slugify("التسجيل في العيادة"), "التسجيل-في-العيادة");
        assert_eq!(slugify("অধিকার"), "অধিকার");
        assert_eq!(slugify("ਰਜਿਸਟ੍ਰੇਸ਼ਨ"), "ਰਜਿਸਟ੍ਰੇਸ਼ਨ");
        assert_eq!(slugify("如何登记？"), "如何登记");
        assert_eq!(slugify("می‌توانید"), "می‌توانید");
        assert_eq!(slugify("?!"), "section");
    }

    #[test]
    fn ids_are_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.unique("a".into()), "a");
        assert_eq!(ids.unique("a".into()), "a-1");
        assert_eq!(ids.unique("a".into()), "a-2");
        assert_eq!(ids.unique("a-1".into()), "a-1-1");
    }
}
