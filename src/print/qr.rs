//! QR codes as SVG, drawn as one path so that the PDF keeps them as sharp vectors.

use qrcodegen::{QrCode, QrCodeEcc};

/// The code for `text`, with the four-module quiet zone scanners need, one unit per module.
/// `None` only for text too long for any QR code, which no page address is.
pub fn svg(text: &str) -> Option<String> {
    // Medium correction survives a smudged or creased poster without making the code dense.
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let quiet = 4;
    let size = code.size() + 2 * quiet;
    let mut path = String::new();
    for y in 0..code.size() {
        for x in 0..code.size() {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + quiet, y + quiet));
            }
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn draws_a_square_code() {
        let svg = super::svg("https://safesurgeries.example/ar/print/register-poster/")
            .unwrap_or_default();
        assert!(svg.starts_with("<svg") && svg.contains("viewBox=\"0 0 "));
        // Finder patterns: the top-left module of the code (after the quiet zone) is dark.
        assert!(svg.contains("M4,4h1v1h-1z"));
    }
}
