//! "Did you mean …?": the names nearest a misspelt one, for messages that list what would work.

/// Every candidate, nearest `wrong` first (by Damerau–Levenshtein distance, then by name).
pub fn ranked<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(wrong, c), c))
        .collect();
    scored.sort_unstable();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().map(|(_, c)| c).collect()
}

/// The candidate `wrong` is most likely a misspelling of: within a third of its length in
/// edits (at least one), as a typo is; none when nothing is that close.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(wrong, c), c))
        .filter(|&(distance, _)| distance <= limit)
        .min()
        .map(|(_, c)| c)
}

/// "did you mean `x`? " when a candidate is near `wrong`, else nothing: the start of a help text
/// that goes on to list every candidate.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(wrong, candidates)
        .map(|near| format!("did you mean `{near}`? "))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_its_word_and_nonsense_finds_none() {
        let keys = [
            "guidance/reception.md",
            "guidance/registration.md",
            "_index.md",
        ];
        assert_eq!(
            nearest("guidance/recepton.md", keys),
            Some("guidance/reception.md")
        );
        assert_eq!(nearest("patients/elsewhere.md", keys), None);
        let ids = ranked("how-to-registr", ["sources", "how-to-register", "why"]);
        assert_eq!(ids.first(), Some(&"how-to-register"));
        assert_eq!(ids.len(), 3);
    }
}
