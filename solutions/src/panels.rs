//! Pictures of one-dimensional models, in one panel or a grid of panels: the true
//! function, a surrogate's mean, an uncertainty band, the observations, the chosen
//! point, shaded regions and guide lines. Part 3 onwards draws with this module.
//!
//! Lines are clipped to the panel's window where they leave it (a polynomial that
//! shoots off to ±10 is cut at the frame, not drawn over the axes), and a
//! non-finite y breaks a line, so that "not defined here" shows as a gap.

use crate::style::{
    annotation_font, colour, label_font, legend_font, svg, tick_font, tick_label,
    tint, title_font, DrawResult, Legend, LINE,
};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The shape of a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A filled dot: observations.
    Dot,
    /// A five-pointed star: the point chosen next.
    Star,
    /// A diagonal cross: a reference such as the true minimum.
    Cross,
    /// A filled square: a starting point.
    Square,
}

/// One thing drawn in a [`Panel`]. An empty label leaves it out of the legend.
pub enum Layer {
    /// A polyline.
    Line { label: String, points: Vec<(f64, f64)>, colour: usize, dashed: bool },
    /// A filled region between two curves sampled at the same x.
    Band {
        label: String,
        x: Vec<f64>,
        lower: Vec<f64>,
        upper: Vec<f64>,
        colour: usize,
    },
    /// Markers at points.
    Points { label: String, points: Vec<(f64, f64)>, colour: usize, marker: Marker },
    /// A shaded vertical strip from x₀ to x₁ over the full height.
    Shade { label: String, from: f64, to: f64, colour: usize },
    /// A dashed vertical line at x.
    VLine { x: f64, colour: usize },
    /// Text centred at a point.
    Text { at: (f64, f64), text: String },
}

impl Layer {
    /// A solid line.
    pub fn line(label: &str, points: Vec<(f64, f64)>, colour: usize) -> Self {
        Layer::Line { label: label.into(), points, colour, dashed: false }
    }

    /// A dashed line.
    pub fn dashed(label: &str, points: Vec<(f64, f64)>, colour: usize) -> Self {
        Layer::Line { label: label.into(), points, colour, dashed: true }
    }

    /// A band between `lower` and `upper` at the points `x`.
    pub fn band(
        label: &str,
        x: &[f64],
        lower: &[f64],
        upper: &[f64],
        colour: usize,
    ) -> Self {
        Layer::Band {
            label: label.into(),
            x: x.to_vec(),
            lower: lower.to_vec(),
            upper: upper.to_vec(),
            colour,
        }
    }

    /// Markers of one shape.
    pub fn points(
        label: &str,
        points: Vec<(f64, f64)>,
        colour: usize,
        marker: Marker,
    ) -> Self {
        Layer::Points { label: label.into(), points, colour, marker }
    }

    /// A shaded strip between two x values.
    pub fn shade(label: &str, from: f64, to: f64, colour: usize) -> Self {
        Layer::Shade { label: label.into(), from, to, colour }
    }
}

/// One set of axes with its layers.
pub struct Panel {
    /// Panel title (the figure title when the figure has a single panel).
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// Drawn in order: later layers on top.
    pub layers: Vec<Layer>,
    /// Fixed window; by default the extent of the lines, bands and points.
    pub x_range: Option<(f64, f64)>,
    /// See `x_range`.
    pub y_range: Option<(f64, f64)>,
    /// Where the legend goes; `None` draws no legend.
    pub legend: Option<Legend>,
}

impl Panel {
    /// An empty panel with the legend at the upper left.
    pub fn new(title: &str, x_label: &str, y_label: &str) -> Self {
        Panel {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            layers: Vec::new(),
            x_range: None,
            y_range: None,
            legend: Some(Legend::UpperLeft),
        }
    }

    /// Adds a layer on top of those already there.
    pub fn with(mut self, layer: Layer) -> Self {
        self.layers.push(layer);
        self
    }

    /// The window: fixed ranges, or the data's extent padded by 5%.
    fn window(&self) -> ((f64, f64), (f64, f64)) {
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for layer in &self.layers {
            match layer {
                Layer::Line { points, .. } | Layer::Points { points, .. } => {
                    xs.extend(points.iter().map(|p| p.0));
                    ys.extend(points.iter().map(|p| p.1));
                }
                Layer::Band { x, lower, upper, .. } => {
                    xs.extend(x);
                    ys.extend(lower.iter().chain(upper));
                }
                Layer::Shade { .. } | Layer::VLine { .. } | Layer::Text { .. } => {}
            }
        }
        let extent = |v: &[f64]| {
            let finite = v.iter().copied().filter(|v| v.is_finite());
            let lo = finite.clone().fold(f64::INFINITY, f64::min);
            let hi = finite.fold(f64::NEG_INFINITY, f64::max);
            if lo > hi {
                return (0.0, 1.0);
            }
            let pad = 0.05 * (hi - lo).max(1e-12);
            (lo - pad, hi + pad)
        };
        (
            self.x_range.unwrap_or_else(|| extent(&xs)),
            self.y_range.unwrap_or_else(|| extent(&ys)),
        )
    }
}

/// A figure of one panel, titled with the panel's title.
pub fn figure(panel: &Panel, size: (u32, u32)) -> DrawResult<String> {
    svg(size, |root| draw_panel(root, panel, true))
}

/// A figure of panels under a common `title`, `cols` panels to a row.
pub fn grid(
    title: &str,
    size: (u32, u32),
    cols: usize,
    panels: &[Panel],
) -> DrawResult<String> {
    svg(size, |root| {
        let body = root.titled(title, title_font())?;
        let rows = panels.len().div_ceil(cols.max(1));
        for (area, panel) in
            body.split_evenly((rows, cols.max(1))).iter().zip(panels)
        {
            draw_panel(area, panel, false)?;
        }
        Ok(())
    })
}

fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    panel: &Panel,
    alone: bool,
) -> DrawResult {
    let ((x0, x1), (y0, y1)) = panel.window();
    let (caption, margin, x_area, y_area) = if alone {
        (title_font(), 20, 70, 100)
    } else {
        (label_font(), 12, 60, 85)
    };
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, caption)
        .margin(margin)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|v| tick_label(*v, false))
        .y_label_formatter(&|v| tick_label(*v, false))
        .x_labels(7)
        .y_labels(7)
        .x_desc(&panel.x_label)
        .y_desc(&panel.y_label)
        .axis_desc_style(if alone { label_font() } else { tick_font() })
        .label_style(tick_font())
        .axis_style(BLACK.stroke_width(2))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(210, 210, 210))
        .draw()?;
    let window = ((x0, x1), (y0, y1));
    for layer in &panel.layers {
        draw_layer(&mut chart, layer, window)?;
    }
    if let Some(legend) = panel.legend {
        chart
            .configure_series_labels()
            .position(legend.position())
            .label_font(if alone { legend_font() } else { tick_font() })
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
    }
    Ok(())
}

type Chart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

type Window = ((f64, f64), (f64, f64));

fn draw_layer<'a>(
    chart: &mut Chart<'a, 'a>,
    layer: &Layer,
    window: Window,
) -> DrawResult {
    let ((x0, x1), (y0, y1)) = window;
    match layer {
        Layer::Line { label, points, colour: c, dashed } => {
            let style = colour(*c).stroke_width(LINE);
            let mut first = true;
            for run in clip(points, window) {
                let drawn = if *dashed {
                    chart.draw_series(DashedLineSeries::new(run, 12, 8, style))?
                } else {
                    chart.draw_series(LineSeries::new(run, style))?
                };
                if first && !label.is_empty() {
                    let dashed = *dashed;
                    drawn.label(label).legend(move |(x, y)| {
                        let (end, start) = if dashed { (11, 19) } else { (15, 15) };
                        EmptyElement::at((x, y))
                            + PathElement::new(vec![(0, 0), (end, 0)], style)
                            + PathElement::new(vec![(start, 0), (30, 0)], style)
                    });
                }
                first = false;
            }
        }
        Layer::Band { label, x, lower, upper, colour: c } => {
            let fill = tint(colour(*c), 0.3);
            let clamp = |v: f64| v.clamp(y0, y1);
            let mut outline: Vec<(f64, f64)> =
                x.iter().zip(upper).map(|(&x, &u)| (x, clamp(u))).collect();
            outline.extend(x.iter().zip(lower).rev().map(|(&x, &l)| (x, clamp(l))));
            let drawn =
                chart.draw_series([Polygon::new(outline, fill.filled())])?;
            if !label.is_empty() {
                drawn.label(label).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 8), (x + 30, y + 8)], fill.filled())
                });
            }
        }
        Layer::Points { label, points, colour: c, marker } => {
            let c = colour(*c);
            let inside: Vec<(f64, f64)> = points
                .iter()
                .copied()
                .filter(|&(x, y)| (x0..=x1).contains(&x) && (y0..=y1).contains(&y))
                .collect();
            // Each shape is its own element type, hence one arm per shape.
            macro_rules! markers {
                ($($part:expr),+) => {{
                    let drawn = chart.draw_series(
                        inside.iter().map(|&p| EmptyElement::at(p) $(+ $part)+),
                    )?;
                    if !label.is_empty() {
                        drawn.label(label).legend(move |(x, y)| {
                            EmptyElement::at((x + 15, y)) $(+ $part)+
                        });
                    }
                }};
            }
            match marker {
                Marker::Dot => markers!(Circle::new((0, 0), 6, c.filled())),
                Marker::Square => markers!(
                    Rectangle::new([(-7, -7), (7, 7)], c.filled()),
                    Rectangle::new([(-7, -7), (7, 7)], BLACK.stroke_width(1))
                ),
                Marker::Cross => markers!(
                    PathElement::new(vec![(-9, -9), (9, 9)], c.stroke_width(4)),
                    PathElement::new(vec![(-9, 9), (9, -9)], c.stroke_width(4))
                ),
                Marker::Star => markers!(
                    Polygon::new(star(), c.filled()),
                    PathElement::new(star_outline(), BLACK.stroke_width(1))
                ),
            }
        }
        Layer::Shade { label, from, to, colour: c } => {
            let fill = tint(colour(*c), 0.15);
            let corners = [(from.max(x0), y0), (to.min(x1), y1)];
            let drawn =
                chart.draw_series([Rectangle::new(corners, fill.filled())])?;
            if !label.is_empty() {
                drawn.label(label).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 8), (x + 30, y + 8)], fill.filled())
                });
            }
        }
        Layer::VLine { x, colour: c } => {
            let style = colour(*c).stroke_width(2);
            chart.draw_series(DashedLineSeries::new(
                [(*x, y0), (*x, y1)],
                10,
                7,
                style,
            ))?;
        }
        Layer::Text { at, text } => {
            let font =
                annotation_font(18).pos(Pos::new(HPos::Center, VPos::Center));
            chart.draw_series([plotters::element::Text::new(
                text.clone(),
                *at,
                font,
            )])?;
        }
    }
    Ok(())
}

/// A five-pointed star in pixel offsets from its centre.
fn star() -> Vec<(i32, i32)> {
    (0..10)
        .map(|k| {
            let r = if k % 2 == 0 { 15.0 } else { 6.5 };
            let a = std::f64::consts::PI * (f64::from(k) / 5.0 - 0.5);
            ((r * a.cos()).round() as i32, (r * a.sin()).round() as i32)
        })
        .collect()
}

/// The star's outline, closed.
fn star_outline() -> Vec<(i32, i32)> {
    let mut outline = star();
    outline.push(outline[0]);
    outline
}

/// The pieces of a polyline inside `window`: a non-finite point breaks the line,
/// and a segment that crosses the frame is cut where it crosses.
pub fn clip(points: &[(f64, f64)], window: Window) -> Vec<Vec<(f64, f64)>> {
    let ((x0, x1), (y0, y1)) = window;
    let inside =
        |p: (f64, f64)| (x0..=x1).contains(&p.0) && (y0..=y1).contains(&p.1);
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for pair in points.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let finite = [p.0, p.1, q.0, q.1].iter().all(|v| v.is_finite());
        let cut = if finite { clip_segment(p, q, window) } else { None };
        match cut {
            Some((a, b)) => {
                if run.last() != Some(&a) {
                    if !run.is_empty() {
                        runs.push(std::mem::take(&mut run));
                    }
                    run.push(a);
                }
                run.push(b);
                if !inside(q) {
                    runs.push(std::mem::take(&mut run));
                }
            }
            None => {
                if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs.retain(|r| r.len() > 1);
    runs
}

/// The part of the segment p–q inside the window (Liang–Barsky), if any.
fn clip_segment(p: (f64, f64), q: (f64, f64), window: Window) -> Option<Point2> {
    let ((x0, x1), (y0, y1)) = window;
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (denominator, numerator) in
        [(-dx, p.0 - x0), (dx, x1 - p.0), (-dy, p.1 - y0), (dy, y1 - p.1)]
    {
        if denominator == 0.0 {
            if numerator < 0.0 {
                return None;
            }
        } else {
            let t = numerator / denominator;
            if denominator < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (p.0 + t * dx, p.1 + t * dy);
    Some((if t0 == 0.0 { p } else { at(t0) }, if t1 == 1.0 { q } else { at(t1) }))
}

type Point2 = ((f64, f64), (f64, f64));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_cuts_at_the_frame_and_breaks_at_gaps() {
        let window = ((0.0, 4.0), (0.0, 1.0));
        let pts = [(0.0, 0.5), (1.0, 0.5), (2.0, 1.5), (3.0, 0.5), (4.0, f64::NAN)];
        let runs = clip(&pts, window);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0], vec![(0.0, 0.5), (1.0, 0.5), (1.5, 1.0)]);
        assert_eq!(runs[1], vec![(2.5, 1.0), (3.0, 0.5)]);
    }

    #[test]
    fn a_grid_of_panels_renders() {
        let panel = || {
            Panel::new("p", "x", "y")
                .with(Layer::band(
                    "band",
                    &[0.0, 1.0],
                    &[-1.0, -1.0],
                    &[1.0, 2.0],
                    0,
                ))
                .with(Layer::line("line", vec![(0.0, 0.0), (1.0, 5.0)], 1))
                .with(Layer::points("star", vec![(0.5, 0.0)], 2, Marker::Star))
                .with(Layer::shade("", 0.2, 0.4, 3))
                .with(Layer::VLine { x: 0.5, colour: 6 })
        };
        let svg = grid("two", (900, 400), 2, &[panel(), panel()]).unwrap();
        assert!(svg.contains("<polygon"));
        assert!(figure(&panel(), (900, 560)).unwrap().contains("<svg"));
    }
}
