//! The theme's Tera templates: loading with every syntax error reported, the functions
//! templates call, and turning Tera's errors into diagnostics.

pub mod context;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::config::LangId;
use crate::diagnostics::{Diagnostic, Stage};
use crate::i18n::Lookup;
use crate::links;
use crate::site::Site;
use crate::source;

pub struct Templates {
    tera: Tera,
    files: TemplateFiles,
}

/// Template name to the file it came from and its text, for messages.
#[derive(Default)]
pub struct TemplateFiles {
    files: HashMap<String, (String, String)>,
}

impl TemplateFiles {
    fn file(&self, name: &str) -> String {
        self.files
            .get(name)
            .map_or_else(|| name.to_owned(), |(file, _)| file.clone())
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(|(_, text)| text.as_str())
    }
}

/// Reads every template of the theme. Syntax errors in all of them are reported, not just the
/// first. Tera checks function names when it parses, so the functions need the resolved site.
pub fn load(
    site: &Arc<Site>,
    css: &Arc<HashMap<String, String>>,
) -> Result<Templates, Vec<Diagnostic>> {
    let (root, theme) = (&site.root, &site.config.theme);
    let engine = || {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        register_functions(&mut tera, site, Arc::clone(css));
        tera
    };
    let dir_rel = crate::paths::theme_folder(theme, crate::paths::ThemeFolder::Templates);
    let dir = root.join(&dir_rel);
    if !dir.is_dir() {
        return Err(vec![
            Diagnostic::error(
                Stage::Templates,
                format!("the theme `{theme}` has no {dir_rel}/ folder"),
            )
            .with_help("check `theme:` in site.yaml names a folder under themes/"),
        ]);
    }
    let files = read_files(&dir, &dir_rel)?;
    let tera = compile(&files, engine)?;
    Ok(Templates { tera, files })
}

/// The text of every file under the templates folder `dir` (`dir_rel` from the site folder),
/// by template name, or why some could not be read: all of them, before any is parsed.
fn read_files(dir: &Path, dir_rel: &str) -> Result<TemplateFiles, Vec<Diagnostic>> {
    let mut files = TemplateFiles::default();
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        let file = format!("{dir_rel}/{name}");
        let text = std::fs::read(entry.path())
            .map_err(|err| {
                Diagnostic::error(Stage::Templates, format!("cannot read {file}: {err}"))
            })
            .and_then(|bytes| source::decode(&bytes, &file, Stage::Templates));
        match text {
            Ok(text) => {
                files.files.insert(name, (file, text));
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(files)
}

/// `files` parsed into a fresh engine from `engine`, or the errors of every broken template.
/// Tera stops at the first broken template; editors want them all, so each broken one is
/// set aside and the rest tried again, ignoring the knock-on errors of templates using it.
fn compile(files: &TemplateFiles, engine: impl Fn() -> Tera) -> Result<Tera, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut broken: Vec<String> = Vec::new();
    let tera = loop {
        let mut tera = engine();
        let healthy = files.files.iter().filter(|(n, _)| !broken.contains(n));
        let Err(err) = tera.add_raw_templates(healthy.map(|(n, (_, t))| (n.as_str(), t.as_str())))
        else {
            break tera;
        };
        let knock_on = broken.iter().any(|b| err.to_string().contains(b.as_str()));
        if !knock_on {
            errors.push(diagnostic(&err, files));
        }
        match culprit(&err) {
            Some(name) if !name.is_empty() && !broken.contains(&name) => broken.push(name),
            _ => return Err(errors),
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(tera)
}

/// The template a Tera error is in, to set aside; none when Tera does not say.
fn culprit(err: &tera::Error) -> Option<String> {
    match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r.filename().to_owned()),
        ErrorKind::MissingParent { current, .. } => Some(current.clone()),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Some(tpl.clone())
        }
        _ => None,
    }
}

/// A Tera error as a diagnostic pointing into the template file.
fn diagnostic(err: &tera::Error, files: &TemplateFiles) -> Diagnostic {
    // A function's own message (`t()`: "there is no interface string …") is the error's source.
    let mut causes = String::new();
    let mut cause = std::error::Error::source(err);
    while let Some(inner) = cause {
        causes.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    let report = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let help = "fix the template, or ask whoever maintains the theme";
    match report {
        Some(report) => {
            let help = format!("{}{help}", field_hint(report.message()));
            let file = files.file(report.filename());
            let span = report.span();
            Diagnostic::error(
                Stage::Templates,
                format!(
                    "template error in {}: {}{causes}",
                    report.filename(),
                    report.message()
                ),
            )
            .at(
                &file,
                files.text(report.filename()),
                span.start_line,
                span.start_col + 1,
            )
            .with_help(help)
        }
        None => Diagnostic::error(Stage::Templates, format!("template error: {err}{causes}"))
            .with_help(help),
    }
}

/// "did you mean `title`? " for Tera's "Field `titel` is not defined. Available fields: …".
fn field_hint(message: &str) -> String {
    let Some((_, rest)) = message.split_once("Field `") else {
        return String::new();
    };
    let Some((wrong, rest)) = rest.split_once('`') else {
        return String::new();
    };
    let available = rest.split_once("Available fields: ").map_or("", |(_, a)| a);
    crate::suggest::did_you_mean(wrong, available.split(", ").map(str::trim))
}

impl Templates {
    /// The templates that are among `changed` or use one of them (extend, include or import
    /// it, directly or through others): what must render again after those files changed.
    /// A changed file defining components could be used anywhere, so then all of them.
    pub fn users_of(&self, changed: &[String]) -> HashSet<String> {
        let mut affected: HashSet<String> = changed.iter().cloned().collect();
        let defines_components = changed.iter().any(|name| {
            self.files.files.get(name).is_some_and(|(_, text)| {
                text.contains("{% component") || text.contains("{%- component")
            })
        });
        if defines_components {
            return self.files.files.keys().cloned().collect();
        }
        loop {
            let before = affected.len();
            for (name, (_, text)) in &self.files.files {
                if !affected.contains(name) && uses(text).iter().any(|used| affected.contains(used))
                {
                    affected.insert(name.clone());
                }
            }
            if affected.len() == before {
                return affected;
            }
        }
    }

    /// A digest of the templates and of everything they read from the site beyond a page's
    /// context: stylesheet URLs and the URLs their `url()` calls give in each language. With
    /// the same digest and the same [`context::Shared::fingerprint`], a page renders the same.
    /// (`t()` reads the interface strings, which watch mode never carries over from a build.)
    pub fn fingerprint(&self, site: &Site, css: &HashMap<String, String>) -> blake3::Hash {
        let mut hasher = blake3::Hasher::new();
        let mut names: Vec<&String> = self.files.files.keys().collect();
        names.sort_unstable();
        let mut paths = Some(Vec::new());
        for name in names {
            let (_, text) = &self.files.files[name];
            for part in [name, text] {
                hasher.update(&(part.len() as u64).to_le_bytes());
                hasher.update(part.as_bytes());
            }
            paths = paths.zip(url_paths(text)).map(|(mut all, more)| {
                all.extend(more);
                all
            });
        }
        let mut sheets: Vec<_> = css.iter().collect();
        sheets.sort_unstable();
        for (name, url) in sheets {
            hasher.update(format!("{name}\0{url}\0").as_bytes());
        }
        match paths {
            Some(paths) => {
                for path in paths {
                    for lang in site.config.language_ids() {
                        let url = resolve_url(site, &path, lang).unwrap_or_default();
                        hasher.update(format!("{path}\0{url}\0").as_bytes());
                    }
                }
            }
            // Any page's URL could be asked for: every page's counts.
            None => {
                for id in site.page_ids() {
                    hasher
                        .update(format!("{}\0{}\0", site.pages[id].file, site.url(id)).as_bytes());
                }
            }
        }
        hasher.finalize()
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Every template file, as editors see its path, with its text, sorted by path.
    pub fn sources(&self) -> Vec<(&str, &str)> {
        let mut sources: Vec<(&str, &str)> = self
            .files
            .files
            .values()
            .map(|(file, text)| (file.as_str(), text.as_str()))
            .collect();
        sources.sort_unstable();
        sources
    }

    /// The file of template `name`, as editors see its path.
    pub fn file_of(&self, name: &str) -> Option<&str> {
        self.files.files.get(name).map(|(file, _)| file.as_str())
    }

    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.tera.get_template_names().collect();
        names.sort_unstable();
        names
    }

    pub fn render(
        &self,
        name: &str,
        context: &Context,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        self.tera
            .render_to(name, context, out)
            .map_err(|err| diagnostic(&err, &self.files))
    }
}

fn lang_of(site: &Site, state: &State) -> LangId {
    state
        .get::<String>("lang")
        .ok()
        .flatten()
        .and_then(|code| site.config.find_language(&code))
        .unwrap_or(site.config.default_language)
}

fn register_functions(tera: &mut Tera, site: &Arc<Site>, css: Arc<HashMap<String, String>>) {
    let strings_site = Arc::clone(site);
    tera.register_function("t", move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let key: String = kwargs.must_get("key")?;
        // `lang` picks another language, for labels written in the language they describe
        // (a language switcher saying "not translated yet" in each language).
        let lang = match kwargs.get::<String>("lang")? {
            Some(code) => strings_site.config.find_language(&code).ok_or_else(|| {
                let codes = strings_site.config.languages.iter().map(|l| l.code.as_str());
                tera::Error::message(format!(
                    "t(): `{code}` is not one of the site's languages; {}they are: {}",
                    crate::suggest::did_you_mean(&code, codes),
                    strings_site.config.language_codes()
                ))
            })?,
            None => lang_of(&strings_site, state),
        };
        match strings_site.strings.get(lang, &key) {
            Lookup::Found(text) | Lookup::FellBack(text) => Ok(text.to_owned()),
            Lookup::Unknown => Err(tera::Error::message(format!(
                "there is no interface string `{key}`: add `{key}: …` to themes/{}/i18n/{}.yaml",
                strings_site.config.theme,
                strings_site.config.language(strings_site.config.default_language).code
            ))),
        }
    });

    tera.register_function(
        "css",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let name: String = kwargs.must_get("name")?;
            css.get(name.trim_end_matches(".css"))
                .cloned()
                .ok_or_else(|| {
                    let mut known: Vec<&str> = css.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    tera::Error::message(format!(
                        "there is no stylesheet `{name}`; the theme's css/ folder has: {}",
                        known.join(", ")
                    ))
                })
        },
    );

    // Every character but letters, digits and `-._~` escaped (RFC 3986's unreserved set), for
    // a web address carried inside another one's query (`sms:?&body=…`).
    tera.register_filter(
        "urlencode_strict",
        |text: &str, _: Kwargs, _: &State| -> String {
            const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
                .remove(b'-')
                .remove(b'.')
                .remove(b'_')
                .remove(b'~');
            percent_encoding::utf8_percent_encode(text, RESERVED).to_string()
        },
    );

    let url_site = Arc::clone(site);
    tera.register_function(
        "url",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            resolve_url(&url_site, &path, lang_of(&url_site, state)).map_err(tera::Error::message)
        },
    );
}

/// What `url(path=…)` gives in a page of language `lang`: a page's URL for an `@/` path, in
/// `lang` unless it names another, or the path under the site's base.
fn resolve_url(site: &Site, path: &str, lang: LangId) -> Result<String, String> {
    match links::parse_internal(path, &site.config) {
        None => Ok(site.config.url(path)),
        Some(Err(message)) => Err(message),
        Some(Ok(link)) => {
            let id = site
                .find(&link.key, link.lang.unwrap_or(lang))
                .ok_or_else(|| format!("url(): no page content/{}", link.key))?;
            let mut url = site.url(id);
            if let Some(anchor) = link.anchor {
                url.push('#');
                url.push_str(anchor);
            }
            Ok(url)
        }
    }
}

/// The paths a template passes to `url()`, or `None` when one is not a plain string (and so
/// could be any page's).
fn url_paths(text: &str) -> Option<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("url(") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let argument = rest.trim_start().strip_prefix("path")?.trim_start();
        let value = argument.strip_prefix('=')?.trim_start();
        let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let (path, after) = value[1..].split_once(quote)?;
        if !after.trim_start().starts_with(')') {
            return None;
        }
        paths.push(path.to_owned());
    }
    Some(paths)
}

/// The templates a template's text names in `extends`, `include` and `import` tags.
fn uses(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.trim_start_matches('-').trim_start();
        let Some(rest) = ["extends", "include", "import"]
            .iter()
            .find_map(|kw| tag.strip_prefix(kw))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        if let Some(name) = rest[1..].split(quote).next() {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::url_paths;

    #[test]
    fn url_paths_are_read_from_plain_string_arguments() {
        let text = r#"<a href="{{ url(path="@/about.md") }}">{{ url( path = 'favicon.svg' ) }}{{ my_url(x=1) }}"#;
        assert_eq!(
            url_paths(text),
            Some(vec!["@/about.md".to_owned(), "favicon.svg".to_owned()])
        );
        assert_eq!(url_paths(r#"{{ url(path="@/" ~ page.extra.next) }}"#), None);
        assert_eq!(url_paths("{{ url(path=page.extra.link) }}"), None);
    }
}
