//! What a laid-out item looks like on paper, read from Typst's frames: text whose lines run into
//! each other, or that leaves the trimmed page. Glyphs are found by their outlines' bounding
//! boxes in the fonts, and two glyphs of different lines whose boxes meet are drawn (with
//! tiny-skia, the rasteriser Typst's own renderer uses) to see whether their ink does: the check
//! sees what a reader sees, whatever the script. A Nastaliq headline whose descenders reach
//! into the next line is caught; the wide box of a swash that only passes above a letter is
//! not a collision.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::{FontInstance, TextItem};
use typst_layout::PagedDocument;

/// How far two lines' glyphs may reach into each other, in points, before it is an overlap:
/// bounding boxes are a little larger than the ink, and a glyph's box touching the next line's
/// is not yet a collision a reader notices.
const TOLERANCE: f64 = 0.75;

/// One glyph's box on its page, in points from the page's top left.
#[derive(Debug, Clone)]
struct Ink {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// The line the glyph's run was laid out in.
    line: usize,
    /// How far down the page that line is, for telling which of two lines is above.
    baseline: f64,
    /// Which text run it came from, for the message.
    run: usize,
    /// What is needed to draw it: its outline, and where it sits.
    glyph: Drawn,
}

#[derive(Debug, Clone)]
struct Drawn {
    font: FontInstance,
    id: u16,
    /// The glyph's origin on the page and font units to points, y up.
    origin: (f64, f64),
    scale: f64,
    ts: Transform,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Problem {
    /// Two lines of text overlap on page `page`, `from_top` millimetres down it: the texts of
    /// the two runs.
    Overlap {
        page: usize,
        from_top: u32,
        upper: String,
        lower: String,
    },
    /// Text reaches past the trimmed edge of page `page`.
    OutsidePage { page: usize, text: String },
}

/// The problems of `document`, at most one of each kind per page. A page's frame is its trimmed
/// page: bleed lies outside it.
pub fn problems(document: &PagedDocument) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, page) in document.pages().iter().enumerate() {
        let mut runs = Vec::new();
        let mut inks = Vec::new();
        collect(&page.frame, Transform::identity(), &mut runs, &mut inks);
        let (line_of, merged) = lines(&runs);
        for ink in &mut inks {
            ink.line = line_of[ink.run];
        }
        let size = page.frame.size();
        let (width, height) = (size.x.to_pt(), size.y.to_pt());
        if let Some(ink) = inks.iter().find(|i| {
            i.left < -TOLERANCE
                || i.top < -TOLERANCE
                || i.right > width + TOLERANCE
                || i.bottom > height + TOLERANCE
        }) {
            problems.push(Problem::OutsidePage {
                page: index + 1,
                text: runs[ink.run].text.clone(),
            });
        }
        if let Some((upper, lower, y)) = merged.or_else(|| first_overlap(&mut inks)) {
            problems.push(Problem::Overlap {
                page: index + 1,
                from_top: (y * 25.4 / 72.0).round() as u32,
                upper: runs[upper].text.clone(),
                lower: runs[lower].text.clone(),
            });
        }
    }
    problems
}

/// The runs of the first pair of glyphs on different lines whose boxes overlap, upper first,
/// and how far down the page (in points) they meet.
fn first_overlap(inks: &mut [Ink]) -> Option<(usize, usize, f64)> {
    inks.sort_by(|a, b| a.top.total_cmp(&b.top));
    for (i, a) in inks.iter().enumerate() {
        // Sorted by top: once a glyph starts below `a`'s bottom, none after it can reach `a`.
        for b in inks[i + 1..]
            .iter()
            .take_while(|b| b.top < a.bottom - TOLERANCE)
        {
            let same_line = a.line == b.line;
            let across = a.right.min(b.right) - a.left.max(b.left);
            let down = a.bottom.min(b.bottom) - a.top.max(b.top);
            if !same_line && across > TOLERANCE && down > TOLERANCE && ink_meets(a, b) {
                let (upper, lower) = if a.baseline < b.baseline {
                    (a, b)
                } else {
                    (b, a)
                };
                return Some((upper.run, lower.run, lower.top.max(upper.top)));
            }
        }
    }
    None
}

/// One run of text on a page, before it is assigned to a line.
struct Run {
    text: String,
    /// Where Typst placed the run: its line's baseline, less the run's vertical offset.
    y: f64,
    size: f64,
}

/// How finely glyphs are drawn to compare their ink: four pixels to the point, a fifth of a
/// millimetre, finer than a reader notices two strokes touch.
const PIXELS_PER_PT: f64 = 4.0;

/// Whether the outlines of two glyphs, drawn where they are, share ink inside the rectangle
/// where their boxes meet (beyond a pixel or two of anti-aliasing).
fn ink_meets(a: &Ink, b: &Ink) -> bool {
    let left = a.left.max(b.left);
    let top = a.top.max(b.top);
    let width = a.right.min(b.right) - left;
    let height = a.bottom.min(b.bottom) - top;
    let px = |v: f64| (v * PIXELS_PER_PT).ceil().clamp(1.0, 4096.0) as u32;
    let (Some(mask_a), Some(mask_b)) = (
        draw(&a.glyph, left, top, px(width), px(height)),
        draw(&b.glyph, left, top, px(width), px(height)),
    ) else {
        // A glyph that cannot be drawn is judged by its box.
        return true;
    };
    let shared = mask_a
        .data()
        .iter()
        .zip(mask_b.data())
        .filter(|(x, y)| **x > 96 && **y > 96)
        .count();
    shared > 3
}

/// A glyph's outline filled into a mask covering the page rectangle at (`left`, `top`).
fn draw(glyph: &Drawn, left: f64, top: f64, width: u32, height: u32) -> Option<tiny_skia::Mask> {
    struct Builder(tiny_skia::PathBuilder);
    impl ttf_parser::OutlineBuilder for Builder {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.move_to(x, y);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.line_to(x, y);
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.quad_to(x1, y1, x, y);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.cubic_to(x1, y1, x2, y2, x, y);
        }
        fn close(&mut self) {
            self.0.close();
        }
    }
    let mut builder = Builder(tiny_skia::PathBuilder::new());
    glyph
        .font
        .ttf()
        .outline_glyph(ttf_parser::GlyphId(glyph.id), &mut builder)?;
    let path = builder.0.finish()?;
    // Font units, y up -> the glyph's place on the page -> the mask's pixels.
    let t = glyph.ts;
    let (ox, oy) = glyph.origin;
    let s = glyph.scale;
    let page = tiny_skia::Transform::from_row(
        t.sx.get() as f32,
        t.ky.get() as f32,
        t.kx.get() as f32,
        t.sy.get() as f32,
        t.tx.to_pt() as f32,
        t.ty.to_pt() as f32,
    )
    .pre_translate(ox as f32, oy as f32)
    .pre_scale(s as f32, -s as f32);
    let to_mask = tiny_skia::Transform::from_translate(-left as f32, -top as f32)
        .post_scale(PIXELS_PER_PT as f32, PIXELS_PER_PT as f32);
    let mut mask = tiny_skia::Mask::new(width, height)?;
    mask.fill_path(
        &path,
        tiny_skia::FillRule::Winding,
        true,
        page.post_concat(to_mask),
    );
    Some(mask)
}

fn collect(frame: &Frame, ts: Transform, runs: &mut Vec<Run>, inks: &mut Vec<Ink>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let ts = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                collect(&group.frame, ts, runs, inks);
            }
            FrameItem::Text(text) => {
                runs.push(Run {
                    text: text.text.to_string(),
                    y: pos.transform(ts).y.to_pt(),
                    size: text.size.to_pt(),
                });
                glyphs(text, *pos, ts, runs.len() - 1, inks);
            }
            _ => {}
        }
    }
}

/// The line of each run. Typst's frames keep no line boundaries, and it places a run at its
/// line's baseline less the run's vertical offset, so a script such as Nastaliq, whose words
/// climb and fall, spreads one line over runs at many heights. Runs are one line while each is
/// within half its size of the one above it; lines are further apart than that. A "line" taller
/// than one and a half times its text is two lines run together.
fn lines(runs: &[Run]) -> (Vec<usize>, Option<(usize, usize, f64)>) {
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&a, &b| runs[a].y.total_cmp(&runs[b].y));
    let mut line_of = vec![0; runs.len()];
    let mut line = 0;
    let mut first = 0;
    let mut merged = None;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 {
            let above = &runs[order[k - 1]];
            if runs[i].y - above.y > 0.5 * runs[i].size {
                line += 1;
                first = k;
            } else if runs[i].y - runs[order[first]].y > 1.5 * runs[i].size && merged.is_none() {
                merged = Some((order[first], i, runs[i].y));
            }
        }
        line_of[i] = line;
    }
    (line_of, merged)
}

/// The boxes of a run's glyphs, placed on the page.
fn glyphs(text: &TextItem, pos: Point, ts: Transform, run: usize, inks: &mut Vec<Ink>) {
    let font = &text.font;
    let ttf = font.ttf();
    let scale = text.size.to_pt() / font.units_per_em();
    let mut x = pos.x.to_pt();
    let baseline = pos.y.to_pt();
    for glyph in &text.glyphs {
        let gx = x + glyph.x_offset.at(text.size).to_pt();
        // Offsets are y-up; the frame is y-down.
        let gy = baseline - glyph.y_offset.at(text.size).to_pt();
        if let Some(b) = ttf.glyph_bounding_box(ttf_parser::GlyphId(glyph.id)) {
            let corner = |dx: i16, dy: i16| {
                Point::new(
                    Abs::pt(gx + f64::from(dx) * scale),
                    Abs::pt(gy - f64::from(dy) * scale),
                )
                .transform(ts)
            };
            let (a, b, base) = (
                corner(b.x_min, b.y_max),
                corner(b.x_max, b.y_min),
                // The run's baseline, not the glyph's: a mark raised above its letter is still
                // on the letter's line.
                Point::new(Abs::pt(gx), Abs::pt(baseline)).transform(ts),
            );
            inks.push(Ink {
                left: a.x.to_pt().min(b.x.to_pt()),
                right: a.x.to_pt().max(b.x.to_pt()),
                top: a.y.to_pt().min(b.y.to_pt()),
                bottom: a.y.to_pt().max(b.y.to_pt()),
                baseline: base.y.to_pt(),
                line: 0,
                run,
                glyph: Drawn {
                    font: text.font.clone(),
                    id: glyph.id,
                    origin: (gx, gy),
                    scale,
                    ts,
                },
            });
        }
        x += glyph.x_advance.at(text.size).to_pt();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ink(top: f64, bottom: f64, line: usize, run: usize) -> Ink {
        Ink {
            left: 0.0,
            right: 10.0,
            top,
            bottom,
            line,
            baseline: bottom,
            run,
            glyph: Drawn {
                font: font(),
                // .notdef: no outline to draw, so the boxes decide.
                id: u16::MAX,
                origin: (0.0, bottom),
                scale: 0.01,
                ts: Transform::identity(),
            },
        }
    }

    fn font() -> FontInstance {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/print/fonts/NotoSans-Regular.ttf"
        ))
        .unwrap_or_default();
        let font = typst::text::Font::new(typst::foundations::Bytes::new(bytes), 0);
        font.unwrap_or_else(|| panic!("the theme's Noto Sans loads"))
            .instantiate(
                Default::default(),
                typst::layout::Abs::pt(10.0),
                &Default::default(),
            )
    }

    #[test]
    fn glyphs_of_two_lines_reaching_into_each_other_overlap() {
        let mut inks = [ink(0.0, 12.0, 0, 0), ink(9.0, 22.0, 1, 1)];
        assert_eq!(
            first_overlap(&mut inks).map(|(a, b, _)| (a, b)),
            Some((0, 1))
        );
    }

    #[test]
    fn touching_lines_and_glyphs_of_one_line_do_not() {
        let mut touching = [ink(0.0, 12.0, 0, 0), ink(11.5, 22.0, 1, 1)];
        assert!(first_overlap(&mut touching).is_none());
        let mut one_line = [ink(0.0, 12.0, 0, 0), ink(2.0, 12.0, 0, 1)];
        assert!(first_overlap(&mut one_line).is_none());
    }
}
