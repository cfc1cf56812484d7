//! The URL scheme and `@/` internal links.

use crate::config::{Config, LangId};
use crate::content::file_name;

/// Why a slug cannot be a URL segment, if it cannot.
pub fn check_slug(slug: &str) -> Result<(), &'static str> {
    if slug.trim().is_empty() {
        Err("is empty")
    } else if slug.contains(['/', '\\', '?', '#']) {
        Err("contains / \\ ? or #, which cannot be part of one address segment")
    } else if slug == "." || slug == ".." {
        Err("is not a name")
    } else if slug != slug.trim() {
        Err("starts or ends with a space")
    } else {
        Ok(())
    }
}

/// A parsed `@/dir/file.md#anchor` link.
#[derive(Debug, PartialEq, Eq)]
pub struct InternalLink<'a> {
    /// The translation group key the link names.
    pub key: String,
    /// Set when the link names a translation file explicitly (`@/a.ar.md`).
    pub lang: Option<LangId>,
    pub anchor: Option<&'a str>,
}

/// `None` when `target` is not an `@/` link; `Err` with the reason when it is malformed.
pub fn parse_internal<'a>(
    target: &'a str,
    config: &Config,
) -> Option<Result<InternalLink<'a>, String>> {
    let rest = target.strip_prefix("@/")?;
    let (path, anchor) = match rest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (rest, None),
    };
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let parsed = match file_name::parse(name, config) {
        None => {
            return Some(Err(format!(
                "`{target}` does not name a Markdown file (it must end in .md)"
            )));
        }
        Some(Err(message)) => return Some(Err(message)),
        Some(Ok(parsed)) => parsed,
    };
    let file = parsed.key_file();
    let key = if dir.is_empty() {
        file
    } else {
        format!("{dir}/{file}")
    };
    // `a.ar.md` names the Arabic version; `a.md` (and `nhs.england.md`) the page in any language.
    let explicit = parsed.stem != name.trim_end_matches(".md");
    Some(Ok(InternalLink {
        key,
        lang: explicit.then_some(parsed.lang),
        anchor: anchor.filter(|a| !a.is_empty()),
    }))
}

/// True for URLs that name a scheme or a host, which links leave alone.
pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        })
}

/// A relative link (`diagram.png`, `./a/b.pdf`) that a page bundle's asset may satisfy.
pub fn is_relative(url: &str) -> bool {
    !url.is_empty() && !url.starts_with(['/', '#', '?', '@']) && !is_external(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse("title: T\nbase_url: https://x.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: ar, name: العربية}\n")
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn internal_links() {
        let c = config();
        let parse = |t| parse_internal(t, &c).and_then(Result::ok);
        assert_eq!(
            parse("@/guidance/registration.md#step-1"),
            Some(InternalLink {
                key: "guidance/registration.md".into(),
                lang: None,
                anchor: Some("step-1")
            })
        );
        assert_eq!(
            parse("@/guidance/registration.ar.md").map(|l| l.lang),
            Some(Some(LangId(1)))
        );
        assert_eq!(
            parse("@/guidance/_index.md").map(|l| l.key),
            Some("guidance/_index.md".into())
        );
        assert_eq!(
            parse("@/_index.md").map(|l| l.key),
            Some("_index.md".into())
        );
        assert!(parse_internal("https://x.org", &c).is_none());
        assert!(parse_internal("@/guidance/x.de.md", &c).is_some_and(|r| r.is_err()));
    }

    #[test]
    fn slugs_keep_their_script_and_stay_one_segment() {
        assert!(check_slug("a/b").is_err());
        assert!(check_slug("تسجيل").is_ok());
    }

    #[test]
    fn externals() {
        assert!(is_external("https://nhs.uk"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("/guidance/"));
        assert!(is_relative("diagram.png"));
        assert!(!is_relative("#top"));
    }
}
