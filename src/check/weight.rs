//! The page-weight budget (`check: budget` in site.yaml): readers on cheap phones and slow or
//! rationed data wait for every byte. A page (its HTML, stylesheets and scripts) and the fonts
//! one language's pages load are each compared with their budget; what is over is a warning.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{Finding, Kind};
use crate::assets::{self, Stylesheet};
use crate::site::Site;

pub fn check(output: &Path, site: &Site, page_bytes: &BTreeMap<String, u64>) -> Vec<Finding> {
    let budget = &site.config.check.budget;
    let mut findings = Vec::new();
    let page_limit = budget.page_kb * 1000;
    let mut heavy: Vec<(&String, u64)> = page_bytes
        .iter()
        .filter(|(_, bytes)| **bytes > page_limit)
        .map(|(page, bytes)| (page, *bytes))
        .collect();
    heavy.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    for (page, bytes) in heavy {
        findings.push(Finding::warning(
            Kind::PageWeight,
            format!(
                "{page} weighs {} kB with its stylesheets and scripts, over the budget of {} kB",
                bytes.div_ceil(1000),
                budget.page_kb
            ),
            "split the page, or move large tables and images to pages of their own; \
             raise check: budget: page_kb in site.yaml only if readers can afford it",
        ));
    }

    let fonts = stylesheet_fonts(output);
    let font_limit = budget.fonts_kb * 1000;
    for language in &site.config.languages {
        let files: Vec<String> = fonts
            .iter()
            .flat_map(|by_language| assets::fonts_for(by_language, &language.code))
            .collect();
        let bytes: u64 = files
            .iter()
            .map(|f| std::fs::metadata(output.join(f)).map_or(0, |m| m.len()))
            .sum();
        if bytes > font_limit {
            findings.push(Finding::warning(
                Kind::PageWeight,
                format!(
                    "pages in {} load {} kB of fonts ({}), over the budget of {} kB",
                    language.code,
                    bytes.div_ceil(1000),
                    files.join(", "),
                    budget.fonts_kb
                ),
                "subset the fonts to the characters the language needs (see the theme's \
                 static/fonts/README.md), or raise check: budget: fonts_kb in site.yaml",
            ));
        }
    }
    findings
}

/// The fonts each built stylesheet makes each language load.
fn stylesheet_fonts(output: &Path) -> Vec<HashMap<String, Vec<String>>> {
    let Ok(entries) = std::fs::read_dir(output.join("css")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "css"))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(e.path()).ok()?;
            Some(assets::fonts_by_language(&Stylesheet {
                name: name.clone(),
                path: format!("css/{name}"),
                bytes,
            }))
        })
        .collect()
}
