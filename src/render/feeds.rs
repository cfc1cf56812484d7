//! Files for machines: `sitemap.xml`, an Atom feed per language, `robots.txt`, and the small
//! redirect pages that keep old addresses (aliases) working.

use std::fmt::Write;

use crate::config::LangId;
use crate::site::{PageId, Site};
use crate::text::escape_html as esc;

pub fn sitemap(site: &Site) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut ids: Vec<PageId> = site.page_ids().collect();
    ids.sort_by(|a, b| site.places[*a].path.cmp(&site.places[*b].path));
    for id in ids {
        let page = &site.pages[id];
        let _ = write!(out, "<url><loc>{}</loc>", esc(&site.permalink(id)));
        if let Some(date) = page.front.updated.as_ref().or(page.front.date.as_ref()) {
            let _ = write!(out, "<lastmod>{}</lastmod>", esc(date.as_str()));
        }
        let versions = site.versions(id);
        if versions.iter().flatten().count() > 1 {
            for (lang, version) in site.versions_by_language(id) {
                if let Some(v) = version {
                    let code = &site.config.language(lang).code;
                    let _ = write!(
                        out,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        esc(code),
                        esc(&site.permalink(v))
                    );
                }
            }
            let default = versions[site.config.default_language].unwrap_or(id);
            let _ = write!(
                out,
                "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                esc(&site.permalink(default))
            );
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// The feed of `lang`: its pages with a `date`, newest first.
pub fn atom(site: &Site, lang: LangId) -> String {
    let config = &site.config;
    let language = config.language(lang);
    let mut dated: Vec<PageId> = site
        .page_ids()
        .filter(|&id| {
            site.pages[id].lang == lang
                && !site.pages[id].is_section()
                && site.pages[id].front.date.is_some()
        })
        .collect();
    let when = |id: &PageId| {
        let front = &site.pages[*id].front;
        front
            .updated
            .as_ref()
            .or(front.date.as_ref())
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    };
    dated.sort_by(|a, b| {
        when(b)
            .cmp(&when(a))
            .then_with(|| site.places[*a].path.cmp(&site.places[*b].path))
    });
    let home = config.permalink(&language.prefix);
    let updated = dated
        .iter()
        .map(when)
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n<title>{title}</title>\n<link href=\"{self_url}\" rel=\"self\"/>\n<link href=\"{home}\"/>\n<id>{home}</id>\n<updated>{updated}</updated>\n<author><name>{title}</name></author>\n",
        lang = esc(&language.code),
        title = esc(&config.title),
        self_url = esc(&config.permalink(&crate::paths::feed(language))),
        home = esc(&home),
    );
    for id in dated {
        let page = &site.pages[id];
        let link = esc(&site.permalink(id));
        let _ = write!(
            out,
            "<entry><title>{}</title><link href=\"{link}\" rel=\"alternate\"/><id>{link}</id><updated>{}</updated>",
            esc(&page.front.title),
            when(&id)
        );
        if let Some(date) = &page.front.date {
            let _ = write!(out, "<published>{}</published>", date.to_rfc3339());
        }
        if let Some(description) = &page.front.description {
            let _ = write!(out, "<summary>{}</summary>", esc(description));
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.permalink("sitemap.xml")
    )
}

/// A page at an old address that sends readers on to `target`.
pub fn redirect(site: &Site, target: PageId) -> String {
    let url = esc(&site.url(target));
    let page = &site.pages[target];
    let lang = esc(&site.config.language(page.lang).code);
    let title = esc(&page.front.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title><link rel=\"canonical\" href=\"{url}\"><meta http-equiv=\"refresh\" content=\"0; url={url}\"></head><body><p><a href=\"{url}\">{title}</a></p></body></html>\n"
    )
}

/// Used when the theme has no `404.html`.
pub fn plain_404(site: &Site) -> String {
    let lang = site.config.language(site.config.default_language);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Page not found</title></head><body><main><h1>Page not found</h1><p><a href=\"{}\">{}</a></p></main></body></html>\n",
        esc(&lang.code),
        lang.dir.as_str(),
        esc(&site.config.base_path),
        esc(&site.config.title)
    )
}
