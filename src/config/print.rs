//! `print:` in site.yaml: how printable items become PDFs, checked once into [`PrintSettings`].

use serde::Deserialize;

use super::Problem;
use crate::diagnostics::Diagnostic;

/// `print:` as written; [`settings`] checks it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrint {
    #[serde(default)]
    bleed: Option<String>,
    #[serde(default)]
    standards: Vec<String>,
    #[serde(default = "yes")]
    system_fonts: bool,
    #[serde(default)]
    qr: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    logo: Option<String>,
}

fn yes() -> bool {
    true
}

impl Default for RawPrint {
    fn default() -> Self {
        RawPrint {
            bleed: None,
            standards: Vec::new(),
            system_fonts: true,
            qr: None,
            owner: None,
            logo: None,
        }
    }
}

/// How printable items become PDFs.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintSettings {
    /// Extra paper around each page for print shops, with crop marks; 0 for office printers.
    pub bleed_mm: f64,
    /// PDF standards to conform to.
    pub standards: Vec<PdfStandard>,
    /// Whether the machine's fonts may fill in characters the theme's fonts lack.
    pub system_fonts: bool,
    /// The page every item's QR code opens unless the item names its own: an `@/` link,
    /// resolved in each item's language (the patient page, for a toolkit of posters).
    pub qr: Option<String>,
    /// Who publishes the printed items, for the line at their foot ("Published by …"); the
    /// site's title when not given.
    pub owner: Option<String>,
    /// The publisher's logo, printed beside the owner line: an SVG, PNG or JPEG file, from the
    /// site folder.
    pub logo: Option<String>,
}

/// A PDF standard `print.standards` may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdfStandard {
    /// PDF/UA-1: tagged for screen readers.
    Ua1,
    /// PDF/A-2a: for archiving, tagged.
    A2a,
}

impl PdfStandard {
    pub const ALL: [PdfStandard; 2] = [PdfStandard::Ua1, PdfStandard::A2a];

    /// The name site.yaml uses.
    pub fn name(self) -> &'static str {
        match self {
            PdfStandard::Ua1 => "ua-1",
            PdfStandard::A2a => "a-2a",
        }
    }

    fn named(name: &str) -> Option<PdfStandard> {
        PdfStandard::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Checks `raw`, pushing one error per bad setting.
pub(super) fn settings(
    raw: RawPrint,
    problem: &impl Problem,
    errors: &mut Vec<Diagnostic>,
) -> PrintSettings {
    let bleed_mm = match &raw.bleed {
        None => 0.0,
        Some(bleed) => parse_length_mm(bleed).unwrap_or_else(|| {
            errors.push(problem(
                "bleed",
                format!("print bleed `{bleed}` is not a length"),
                "write a length of up to 20mm with its unit, such as 3mm",
            ));
            0.0
        }),
    };
    if let Some(qr) = &raw.qr
        && !qr.starts_with("@/")
    {
        errors.push(problem(
            "qr",
            format!("print qr `{qr}` is not a link to a page of the site"),
            "write an @/ link to the page the QR codes open, such as @/patients/right-to-register.md",
        ));
    }
    if let Some(logo) = &raw.logo {
        let inside = !logo.is_empty()
            && !logo.starts_with(['/', '\\'])
            && !logo.contains(':')
            && !logo.split(['/', '\\']).any(|part| part == "..");
        if !inside {
            errors.push(problem(
                "logo",
                format!("print logo `{logo}` is not a file inside the site folder"),
                "give the path from the site folder, such as static/logo.svg",
            ));
        } else if logo_extension(logo).is_none() {
            errors.push(problem(
                "logo",
                format!("print logo `{logo}` is not an SVG, PNG or JPEG image"),
                "use a file ending in .svg, .png, .jpg or .jpeg",
            ));
        }
    }
    let mut standards = Vec::new();
    for name in &raw.standards {
        match PdfStandard::named(name) {
            Some(standard) if !standards.contains(&standard) => standards.push(standard),
            Some(_) => {}
            None => {
                let names: Vec<&str> = PdfStandard::ALL.iter().map(|s| s.name()).collect();
                // The value's own line, so a list of several points at the wrong one.
                let needle = if name.is_empty() { "standards" } else { name };
                errors.push(problem(
                    needle,
                    format!("`{name}` is not a PDF standard this tool writes"),
                    &format!("use {}", names.join(" or ")),
                ));
            }
        }
    }
    PrintSettings {
        bleed_mm,
        standards,
        system_fonts: raw.system_fonts,
        qr: raw.qr,
        owner: raw.owner,
        logo: raw.logo,
    }
}

/// The kind of image a logo file is, by its name: what Typst reads.
pub fn logo_extension(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "svg" => Some("svg"),
        "png" => Some("png"),
        "jpg" | "jpeg" => Some("jpg"),
        _ => None,
    }
}

/// A length such as `3mm`, `0.3cm`, `9pt` or `0.1in`, in millimetres.
pub fn parse_length_mm(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.trim().parse().ok()?;
    let factor = match unit {
        "mm" => 1.0,
        "cm" => 10.0,
        "pt" => 25.4 / 72.0,
        "in" => 25.4,
        _ => return None,
    };
    let mm = number * factor;
    (mm.is_finite() && (0.0..=20.0).contains(&mm)).then_some(mm)
}
