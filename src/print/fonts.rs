//! The fonts print templates may use: the theme's own, chosen per language in `fonts.yaml`, and
//! the machine's only where the theme's lack a character. Text is checked against them before
//! anything is laid out, because Typst would otherwise print an empty box (tofu) silently.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::{FontPath, FontStore};

use crate::diagnostics::{Diagnostic, Stage};
use crate::yaml::Document;

pub struct Fonts {
    pub store: FontStore,
    /// The theme's faces: the family as the font names it, and what it covers.
    faces: Vec<FontInfo>,
    /// Per language code, the families it prefers; `default` follows every language's own.
    stacks: HashMap<String, Vec<String>>,
    default: Vec<String>,
    /// Hashes every font file, so a cached PDF is reused only with the same fonts.
    pub fingerprint: blake3::Hash,
    use_system: bool,
    system: OnceLock<Vec<(FontPath, FontInfo)>>,
    /// The font typed into fillable fields, where the theme names one.
    pub form_font: Option<super::forms::FormFont>,
}

/// `fonts.yaml`: families per language code, and `default` for text every language shares
/// (the web address, digits, the English side of a card).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FontsFile {
    default: Vec<String>,
    #[serde(default)]
    languages: BTreeMap<String, Vec<String>>,
    /// A TrueType font (path from the print folder) for the text typed into fillable fields:
    /// without it, items get lines to write on and no fields.
    #[serde(default)]
    form_fields: Option<String>,
}

impl Fonts {
    pub fn load(root: &Path, print_dir: &Path, use_system: bool) -> (Fonts, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut store = FontStore::new();
        let mut faces = Vec::new();
        let mut hasher = blake3::Hasher::new();
        let (files, read_errors) = super::read_theme_files(root, &print_dir.join("fonts"), |e| {
            e.file_type().is_dir()
                || e.path()
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| {
                        matches!(
                            x.to_ascii_lowercase().as_str(),
                            "ttf" | "otf" | "ttc" | "otc"
                        )
                    })
        });
        diagnostics.extend(read_errors);
        for super::ThemeFile {
            shown, bytes: data, ..
        } in files
        {
            hasher.update(&data);
            let before = faces.len();
            for font in Font::iter(Bytes::new(data)) {
                let info = font.info().clone();
                faces.push(info.clone());
                store.push((font, info));
            }
            if faces.len() == before {
                diagnostics.push(
                    Diagnostic::error(Stage::Print, format!("{shown} is not a font Typst can read"))
                        .with_help("use TrueType (.ttf) or OpenType (.otf) files; WOFF and WOFF2 are for the web only"),
                );
            }
        }

        let (stacks, default, form_file) = match read_stacks(root, print_dir) {
            Ok(stacks) => stacks,
            Err(errors) => {
                diagnostics.extend(errors);
                (HashMap::new(), Vec::new(), None)
            }
        };
        let form_font = form_file.and_then(|rel| {
            let path = print_dir.join(&rel);
            let shown = crate::text::shown_path(root, &path);
            let font = std::fs::read(&path)
                .ok()
                .inspect(|bytes| {
                    hasher.update(bytes);
                })
                .and_then(super::forms::FormFont::new);
            if font.is_none() {
                diagnostics.push(
                    Diagnostic::error(
                        Stage::Print,
                        format!("{shown}, named as form_fields in fonts.yaml, is not a TrueType font this tool can read"),
                    )
                    .with_help("name a .ttf file in the print folder, or remove form_fields to print lines instead of fields"),
                );
            }
            font
        });
        let fonts = Fonts {
            store,
            faces,
            stacks,
            default,
            fingerprint: hasher.finalize(),
            use_system,
            system: OnceLock::new(),
            form_font,
        };
        diagnostics.extend(fonts.check_families(root, print_dir));
        (fonts, diagnostics)
    }

    /// Every family `fonts.yaml` names must be one of the theme's fonts: a typo would otherwise
    /// show up only as a character no font covers.
    fn check_families(&self, root: &Path, print_dir: &Path) -> Vec<Diagnostic> {
        let file = crate::text::shown_path(root, &print_dir.join("fonts.yaml"));
        let mut named: Vec<&String> = self.default.iter().collect();
        named.extend(self.stacks.values().flatten());
        named.sort();
        named.dedup();
        named
            .into_iter()
            .filter(|family| !self.has_family(family))
            .map(|family| {
                let mut known: Vec<&str> = self.faces.iter().map(|f| f.family.as_str()).collect();
                known.sort();
                known.dedup();
                Diagnostic::error(
                    Stage::Print,
                    format!("{file}: no font in the theme has the family \"{family}\""),
                )
                .with_help(format!(
                    "add its .ttf or .otf file to {}, or use one of: {}",
                    crate::text::shown_path(root, &print_dir.join("fonts")),
                    known.join(", ")
                ))
            })
            .collect()
    }

    fn has_family(&self, family: &str) -> bool {
        self.faces
            .iter()
            .any(|f| f.family.eq_ignore_ascii_case(family))
    }

    /// The families for text in language `code`, best first.
    pub fn stack(&self, code: &str) -> Vec<String> {
        let own = self.stacks.get(code).or_else(|| {
            code.split('-')
                .next()
                .and_then(|primary| self.stacks.get(primary))
        });
        let mut stack: Vec<String> = own.cloned().unwrap_or_default();
        for family in &self.default {
            if !stack.contains(family) {
                stack.push(family.clone());
            }
        }
        stack
    }

    /// Whether one of the theme's faces of `stack`'s families has `c` (or needs none).
    pub fn theme_covers(&self, stack: &[String], c: char) -> bool {
        ignorable(c)
            || self.faces.iter().any(|info| {
                stack.iter().any(|f| info.family.eq_ignore_ascii_case(f))
                    && info.coverage.contains(c as u32)
            })
    }

    /// Whether a face of one of `stack`'s families has `c`: the theme's, or a machine font
    /// already taken into the stack.
    fn covered(&self, stack: &[String], c: char) -> bool {
        let in_stack = |info: &FontInfo| {
            stack.iter().any(|f| info.family.eq_ignore_ascii_case(f))
                && info.coverage.contains(c as u32)
        };
        self.faces.iter().any(in_stack)
            || self
                .system
                .get()
                .is_some_and(|system| system.iter().any(|(_, info)| in_stack(info)))
    }

    /// A family among the machine's fonts that has `c`, scanning them once on first need.
    fn system_family_for(&self, c: char) -> Option<String> {
        if !self.use_system {
            return None;
        }
        let system = self
            .system
            .get_or_init(|| typst_kit::fonts::system().collect());
        let mut families: Vec<&str> = system
            .iter()
            .filter(|(_, info)| info.coverage.contains(c as u32))
            .map(|(_, info)| info.family.as_str())
            .collect();
        families.sort();
        families.first().map(|f| (*f).to_owned())
    }

    /// Checks that `stack` covers every character of `text`. A character only a machine font
    /// has adds that font's family to the stack (the caller warns); `Err` gives the first one
    /// no font has.
    pub fn cover(&self, stack: &mut Vec<String>, text: &str) -> Result<Vec<(char, String)>, char> {
        let mut borrowed = Vec::new();
        for c in text.chars() {
            if ignorable(c) || self.covered(stack, c) {
                continue;
            }
            let family = self.system_family_for(c).ok_or(c)?;
            stack.push(family.clone());
            borrowed.push((c, family));
        }
        Ok(borrowed)
    }

    /// Adds the machine's fonts of these families to the store, so Typst can use them.
    pub fn add_system_families(&mut self, families: &[String]) {
        let Some(system) = self.system.get() else {
            return;
        };
        for (path, info) in system {
            if families.iter().any(|f| &info.family == f) {
                let path = FontPath {
                    path: path.path.clone(),
                    index: path.index,
                };
                self.store.push((path, info.clone()));
            }
        }
    }
}

/// Characters that never need a glyph: spaces, line breaks and the joiners and marks that only
/// steer shaping.
fn ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{00AD}')
}

type Stacks = (HashMap<String, Vec<String>>, Vec<String>, Option<String>);

fn read_stacks(root: &Path, print_dir: &Path) -> Result<Stacks, Vec<Diagnostic>> {
    let path = print_dir.join("fonts.yaml");
    let shown = crate::text::shown_path(root, &path);
    let text = std::fs::read_to_string(&path).map_err(|err| {
        vec![
            Diagnostic::error(Stage::Print, format!("cannot read {shown}: {err}")).with_help(
                "the print templates need fonts.yaml to know which fonts each language uses",
            ),
        ]
    })?;
    let file: FontsFile = Document {
        file: &shown,
        file_source: &text,
        yaml: &text,
        first_line: 1,
        stage: Stage::Print,
        what: "the print fonts file",
    }
    .parse()
    .map_err(|d| vec![d])?;
    Ok((
        file.languages.into_iter().collect(),
        file.default,
        file.form_fields,
    ))
}
