//! Diagrams: boxes joined by arrows (a computation graph), and the arrows themselves.

use super::colour::{colour, Colour};
use super::style::{legend_font, svg, title_font, DrawResult, FONT};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

/// One box of a [`diagram`]: a title line, a detail line, a position and a fill
/// colour.
pub struct DiagramNode {
    /// The bold first line.
    pub title: String,
    /// The second line (a shape, say).
    pub detail: String,
    /// Centre, as fractions of the drawing's width and height (0 = left / top).
    pub at: (f64, f64),
    /// The fill colour (tinted).
    pub colour: Colour,
}

/// Boxes joined by arrows: `edges` are (from, to) indices into `nodes`, drawn
/// solid; `back` edges are drawn dashed in the second palette colour, for flows
/// against the arrows (such as gradients). The legend names the two kinds of arrow.
pub fn diagram(
    title: &str,
    size: (u32, u32),
    nodes: &[DiagramNode],
    edges: &[(usize, usize)],
    back: &[(usize, usize)],
    legend: (&str, &str),
) -> DrawResult<String> {
    svg(size, |root| {
        let body = root.titled(title, title_font())?;
        let (w, h) = body.dim_in_pixel();
        let (bw, bh) = (190, 70);
        let centre = |n: &DiagramNode| {
            ((n.at.0 * f64::from(w)) as i32, (n.at.1 * f64::from(h)) as i32)
        };
        // Where the segment from a box's centre towards `other` leaves the box.
        let exit = |from: (i32, i32), to: (i32, i32)| {
            let (dx, dy) = (f64::from(to.0 - from.0), f64::from(to.1 - from.1));
            let scale = (f64::from(bw / 2 + 6) / dx.abs().max(1e-9))
                .min(f64::from(bh / 2 + 6) / dy.abs().max(1e-9));
            (
                (f64::from(from.0) + dx * scale) as i32,
                (f64::from(from.1) + dy * scale) as i32,
            )
        };
        let offset = |p: (i32, i32), by: i32| (p.0 + by, p.1);
        for (list, style, shift) in [
            (edges, BLACK.stroke_width(3), -8),
            (back, colour(1).stroke_width(3), 8),
        ] {
            for &(a, b) in list {
                let (ca, cb) = (centre(&nodes[a]), centre(&nodes[b]));
                let (from, to) =
                    (offset(exit(ca, cb), shift), offset(exit(cb, ca), shift));
                if shift > 0 {
                    dashed_arrow(&body, from, to, style)?;
                } else {
                    arrow(&body, from, to, style)?;
                }
            }
        }
        for n in nodes {
            let (cx, cy) = centre(n);
            let corners = [(cx - bw / 2, cy - bh / 2), (cx + bw / 2, cy + bh / 2)];
            body.draw(&Rectangle::new(corners, n.colour.tint(0.35).filled()))?;
            body.draw(&Rectangle::new(corners, BLACK.stroke_width(2)))?;
            let centred = |size: u32, bold: bool| {
                let font = (FONT, size).into_font();
                let font = if bold { font.style(FontStyle::Bold) } else { font };
                font.color(&BLACK).pos(Pos::new(HPos::Center, VPos::Center))
            };
            body.draw(&Text::new(
                n.title.clone(),
                (cx, cy - 13),
                centred(21, true),
            ))?;
            body.draw(&Text::new(
                n.detail.clone(),
                (cx, cy + 15),
                centred(18, false),
            ))?;
        }
        // The legend, top left.
        let y0 = 20;
        arrow(&body, (20, y0), (80, y0), BLACK.stroke_width(3))?;
        body.draw(&Text::new(legend.0.to_owned(), (92, y0 - 11), legend_font()))?;
        dashed_arrow(
            &body,
            (20, y0 + 34),
            (80, y0 + 34),
            colour(1).stroke_width(3),
        )?;
        body.draw(&Text::new(legend.1.to_owned(), (92, y0 + 23), legend_font()))?;
        Ok(())
    })
}

/// A straight arrow with a filled head at `to`.
pub fn arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
    style: ShapeStyle,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    area.draw(&PathElement::new(vec![from, to], style))?;
    area.draw(&Polygon::new(arrow_head(from, to), style.color.filled()))?;
    Ok(())
}

/// A dashed arrow with a filled head at `to`.
pub fn dashed_arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
    style: ShapeStyle,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (dx, dy) = (f64::from(to.0 - from.0), f64::from(to.1 - from.1));
    let len = dx.hypot(dy);
    let (dash, gap) = (10.0, 7.0);
    let mut t = 0.0;
    while t < len - 14.0 {
        let end = (t + dash).min(len - 14.0);
        let p = |s: f64| {
            (
                (f64::from(from.0) + dx * s / len) as i32,
                (f64::from(from.1) + dy * s / len) as i32,
            )
        };
        area.draw(&PathElement::new(vec![p(t), p(end)], style))?;
        t += dash + gap;
    }
    area.draw(&Polygon::new(arrow_head(from, to), style.color.filled()))?;
    Ok(())
}

fn arrow_head(from: (i32, i32), to: (i32, i32)) -> Vec<(i32, i32)> {
    let (dx, dy) = (f64::from(to.0 - from.0), f64::from(to.1 - from.1));
    let len = dx.hypot(dy).max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let side = |s: f64| {
        let x = f64::from(to.0) - 16.0 * ux + s * 8.0 * uy;
        let y = f64::from(to.1) - 16.0 * uy - s * 8.0 * ux;
        (x.round() as i32, y.round() as i32)
    };
    vec![to, side(1.0), side(-1.0)]
}
