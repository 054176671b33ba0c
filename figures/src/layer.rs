//! The one vocabulary of things drawn on a set of axes: lines, bands, markers,
//! paths, shaded strips, guide lines, text and heat (filled colour over a rectangle).
//! Line plots, panels and plane plots all hold a list of [`Layer`]s, find their window
//! with [`extent`], and draw each layer with [`draw_layer`].

use super::colour::{Colour, BAND_TINT, SHADE_TINT};
use super::heat::{ColourBar, Heat};
use super::style::{annotation_font, DrawResult, LINE};
use plotters::coord::ranged1d::Ranged;
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
    /// A filled triangle pointing up: a third kind of point beside the star and the
    /// square (one more method's choice, say).
    Triangle,
}

/// One thing drawn on a set of axes. An empty label leaves it out of the legend.
pub enum Layer {
    /// A polyline.
    Line { label: String, points: Vec<(f64, f64)>, colour: Colour, dashed: bool },
    /// A filled region between two curves sampled at the same x: an uncertainty
    /// band, or the spread of runs over seeds. A translucent band lets the bands
    /// drawn before it show through where they overlap.
    Band {
        label: String,
        x: Vec<f64>,
        lower: Vec<f64>,
        upper: Vec<f64>,
        colour: Colour,
        translucent: bool,
    },
    /// Markers at points.
    Points {
        label: String,
        points: Vec<(f64, f64)>,
        colour: Colour,
        marker: Marker,
    },
    /// A path through the plane: a line with a small dot at each point (an
    /// optimiser's iterates).
    Path { label: String, points: Vec<(f64, f64)>, colour: Colour },
    /// A shaded vertical strip from x₀ to x₁ over the full height.
    Shade { label: String, from: f64, to: f64, colour: Colour },
    /// A dashed vertical line at x.
    VLine { x: f64, colour: Colour },
    /// Text centred at a point.
    Text { at: (f64, f64), text: String },
    /// A quantity over a rectangle in the colours of a [`ColourBar`]: filled contours or
    /// a heat map. Draw it first, under everything else.
    Heat { heat: Heat, bar: ColourBar },
    /// Dots, each in its own colour: a value read through a [`ColourBar`] (points by
    /// the order they were sampled in).
    Graded { label: String, points: Vec<(f64, f64)>, colours: Vec<RGBColor> },
    /// Many small, faint dots without outlines: a cloud of thousands of points (every
    /// point of a grid mapped somewhere) that other layers are drawn over.
    Cloud { label: String, points: Vec<(f64, f64)>, colour: Colour },
}

impl Layer {
    /// A solid line.
    pub fn line(
        label: impl Into<String>,
        points: Vec<(f64, f64)>,
        colour: impl Into<Colour>,
    ) -> Self {
        Layer::Line {
            label: label.into(),
            points,
            colour: colour.into(),
            dashed: false,
        }
    }

    /// A dashed line: for references such as a theoretical bound.
    pub fn dashed(
        label: impl Into<String>,
        points: Vec<(f64, f64)>,
        colour: impl Into<Colour>,
    ) -> Self {
        Layer::Line {
            label: label.into(),
            points,
            colour: colour.into(),
            dashed: true,
        }
    }

    /// A band between `lower` and `upper` at the points `x`.
    pub fn band(
        label: impl Into<String>,
        x: &[f64],
        lower: &[f64],
        upper: &[f64],
        colour: impl Into<Colour>,
    ) -> Self {
        Layer::Band {
            label: label.into(),
            x: x.to_vec(),
            lower: lower.to_vec(),
            upper: upper.to_vec(),
            colour: colour.into(),
            translucent: false,
        }
    }

    /// A translucent band: the spread of runs of several methods, whose bands
    /// overlap. Alone on white it looks like [`Layer::band`]; where two overlap, both
    /// show.
    pub fn spread(
        label: impl Into<String>,
        x: &[f64],
        lower: &[f64],
        upper: &[f64],
        colour: impl Into<Colour>,
    ) -> Self {
        let mut band = Layer::band(label, x, lower, upper, colour);
        if let Layer::Band { translucent, .. } = &mut band {
            *translucent = true;
        }
        band
    }

    /// Markers of one shape.
    pub fn points(
        label: impl Into<String>,
        points: Vec<(f64, f64)>,
        colour: impl Into<Colour>,
        marker: Marker,
    ) -> Self {
        Layer::Points { label: label.into(), points, colour: colour.into(), marker }
    }

    /// Dots without a line: measurements set beside a curve.
    pub fn dots(
        label: impl Into<String>,
        points: Vec<(f64, f64)>,
        colour: impl Into<Colour>,
    ) -> Self {
        Layer::points(label, points, colour, Marker::Dot)
    }

    /// A path: a line with a dot at each point.
    pub fn path(
        label: impl Into<String>,
        points: Vec<(f64, f64)>,
        colour: impl Into<Colour>,
    ) -> Self {
        Layer::Path { label: label.into(), points, colour: colour.into() }
    }

    /// A shaded strip between two x values.
    pub fn shade(
        label: impl Into<String>,
        from: f64,
        to: f64,
        colour: impl Into<Colour>,
    ) -> Self {
        Layer::Shade { label: label.into(), from, to, colour: colour.into() }
    }

    /// A dashed vertical guide line at `x`.
    pub fn vline(x: f64, colour: impl Into<Colour>) -> Self {
        Layer::VLine { x, colour: colour.into() }
    }

    /// Text centred at `at`.
    pub fn text(at: (f64, f64), text: impl Into<String>) -> Self {
        Layer::Text { at, text: text.into() }
    }

    /// `heat` in the colours of `bar` (draw the bar itself beside the axes with
    /// [`Panel::with_bar`](super::Panel::with_bar)).
    pub fn heat(heat: Heat, bar: &ColourBar) -> Self {
        Layer::Heat { heat, bar: bar.clone() }
    }

    /// Dots at `points`, point k coloured by `values[k]` through `bar`; a point with
    /// a non-finite value is left out.
    pub fn graded(
        label: impl Into<String>,
        points: &[(f64, f64)],
        values: &[f64],
        bar: &ColourBar,
    ) -> Self {
        let (points, colours) = points
            .iter()
            .zip(values)
            .filter_map(|(&p, &v)| bar.colour(v).map(|c| (p, c)))
            .unzip();
        Layer::Graded { label: label.into(), points, colours }
    }

    /// A cloud of small faint dots in `colour`'s tint.
    pub fn cloud(
        label: impl Into<String>,
        points: Vec<(f64, f64)>,
        colour: impl Into<Colour>,
    ) -> Self {
        Layer::Cloud { label: label.into(), points, colour: colour.into() }
    }

    /// The data points that set the window: those of lines, markers, paths, both
    /// edges of bands and the corners of heat (strips, guide lines and text fit into
    /// whatever window there is).
    pub fn data(&self) -> Vec<(f64, f64)> {
        match self {
            Layer::Line { points, .. }
            | Layer::Points { points, .. }
            | Layer::Path { points, .. }
            | Layer::Graded { points, .. }
            | Layer::Cloud { points, .. } => points.clone(),
            Layer::Heat { heat, .. } => {
                let ((x0, x1), (y0, y1)) = heat.window;
                vec![(x0, y0), (x1, y1)]
            }
            Layer::Band { x, lower, upper, .. } => {
                let lower = x.iter().copied().zip(lower.iter().copied());
                lower.chain(x.iter().copied().zip(upper.iter().copied())).collect()
            }
            Layer::Shade { .. } | Layer::VLine { .. } | Layer::Text { .. } => {
                Vec::new()
            }
        }
    }

    /// Whether the layer has a legend entry.
    pub fn labelled(&self) -> bool {
        match self {
            Layer::Line { label, .. }
            | Layer::Band { label, .. }
            | Layer::Points { label, .. }
            | Layer::Path { label, .. }
            | Layer::Shade { label, .. }
            | Layer::Graded { label, .. }
            | Layer::Cloud { label, .. } => !label.is_empty(),
            Layer::VLine { .. } | Layer::Text { .. } | Layer::Heat { .. } => false,
        }
    }
}

/// The window `(x range, y range)` of some axes.
pub type Window = ((f64, f64), (f64, f64));

/// The range along one axis of `values`, padded a little: by 5% of the range on a
/// linear axis, by a factor of 1.5 on a logarithmic one (where only positive values
/// count). Non-finite values are ignored; with none left the range is [0, 1].
pub fn extent(values: impl IntoIterator<Item = f64>, log: bool) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return (0.0, 1.0);
    }
    if log {
        (lo / 1.5, hi * 1.5)
    } else {
        let pad = 0.05 * (hi - lo).max(1e-12);
        (lo - pad, hi + pad)
    }
}

/// The window of `layers`: each fixed range where given, else the padded extent of
/// the layers' data along that axis.
pub fn window(
    layers: &[Layer],
    x_range: Option<(f64, f64)>,
    y_range: Option<(f64, f64)>,
    log: (bool, bool),
) -> Window {
    let data: Vec<(f64, f64)> = layers.iter().flat_map(Layer::data).collect();
    (
        x_range.unwrap_or_else(|| extent(data.iter().map(|p| p.0), log.0)),
        y_range.unwrap_or_else(|| extent(data.iter().map(|p| p.1), log.1)),
    )
}

/// How lines and markers meet the edge of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Lines are cut where they cross the frame (and broken at non-finite points);
    /// markers outside are left out. For linear axes.
    Clip,
    /// Everything is drawn as given: the caller has already cut the data (a line
    /// plot stops a line where it first leaves a fixed window, which stays right on
    /// logarithmic axes).
    AsGiven,
}

/// A chart on an SVG backend with f64 coordinates along both axes (linear or
/// logarithmic).
pub type Chart<'a, X, Y> = ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>;

/// Draws one layer into `chart`, whose window is `window`.
pub fn draw_layer<'a, X, Y>(
    chart: &mut Chart<'a, X, Y>,
    layer: &Layer,
    window: Window,
    edge: Edge,
) -> DrawResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let ((x0, x1), (y0, y1)) = window;
    match layer {
        Layer::Line { label, points, colour, dashed } => {
            let style = colour.rgb().stroke_width(LINE);
            let runs = match edge {
                Edge::Clip => clip(points, window),
                Edge::AsGiven => vec![points.clone()],
            };
            for (k, run) in runs.into_iter().enumerate() {
                let drawn = if *dashed {
                    chart.draw_series(DashedLineSeries::new(run, 12, 8, style))?
                } else {
                    chart.draw_series(LineSeries::new(run, style))?
                };
                // The first piece carries the legend entry; an empty label marks a
                // companion of the layer before it, with no entry of its own.
                if k == 0 && !label.is_empty() {
                    let dashed = *dashed;
                    drawn.label(label).legend(move |(x, y)| {
                        // A dashed entry is two dashes, a solid one an unbroken stroke.
                        let (end, start) = if dashed { (11, 19) } else { (15, 15) };
                        EmptyElement::at((x, y))
                            + PathElement::new(vec![(0, 0), (end, 0)], style)
                            + PathElement::new(vec![(start, 0), (30, 0)], style)
                    });
                }
            }
        }
        Layer::Band { label, x, lower, upper, colour, translucent } => {
            // The translucent fill is the full colour at the tint's strength, which
            // over white gives the tint.
            let fill = if *translucent {
                colour.rgb().mix(BAND_TINT)
            } else {
                colour.tint(BAND_TINT).to_rgba()
            };
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
        Layer::Points { label, points, colour, marker } => {
            let c = colour.rgb();
            let inside: Vec<(f64, f64)> = match edge {
                Edge::Clip => points
                    .iter()
                    .copied()
                    .filter(|&(x, y)| {
                        (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
                    })
                    .collect(),
                Edge::AsGiven => points.clone(),
            };
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
                Marker::Triangle => markers!(
                    Polygon::new(TRIANGLE.to_vec(), c.filled()),
                    PathElement::new(closed(&TRIANGLE), BLACK.stroke_width(1))
                ),
            }
        }
        Layer::Path { label, points, colour } => {
            let c = colour.rgb();
            let drawn = chart.draw_series(LineSeries::new(
                points.iter().copied(),
                c.stroke_width(3),
            ))?;
            if !label.is_empty() {
                drawn.label(label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 30, y)], c.stroke_width(3))
                });
            }
            chart.draw_series(
                points.iter().map(|&q| Circle::new(q, 4, c.filled())),
            )?;
        }
        Layer::Shade { label, from, to, colour } => {
            let fill = colour.tint(SHADE_TINT);
            let corners = [(from.max(x0), y0), (to.min(x1), y1)];
            let drawn =
                chart.draw_series([Rectangle::new(corners, fill.filled())])?;
            if !label.is_empty() {
                drawn.label(label).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 8), (x + 30, y + 8)], fill.filled())
                });
            }
        }
        Layer::VLine { x, colour } => {
            let style = colour.rgb().stroke_width(2);
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
        Layer::Heat { heat, bar } => heat.draw(chart, bar)?,
        Layer::Cloud { label, points, colour } => {
            let c = colour.tint(CLOUD_TINT);
            let inside = |p: &&(f64, f64)| {
                edge == Edge::AsGiven
                    || ((x0..=x1).contains(&p.0) && (y0..=y1).contains(&p.1))
            };
            let drawn = chart.draw_series(
                points
                    .iter()
                    .filter(inside)
                    .map(|&p| Circle::new(p, 3, c.filled())),
            )?;
            if !label.is_empty() {
                drawn
                    .label(label)
                    .legend(move |(x, y)| Circle::new((x + 15, y), 5, c.filled()));
            }
        }
        Layer::Graded { label, points, colours } => {
            let dot = |at: (i32, i32), c: RGBColor| {
                EmptyElement::at(at)
                    + Circle::new((0, 0), 7, c.filled())
                    + Circle::new((0, 0), 7, BLACK.stroke_width(1))
            };
            let inside = |p: &(f64, f64)| {
                edge == Edge::AsGiven
                    || ((x0..=x1).contains(&p.0) && (y0..=y1).contains(&p.1))
            };
            let drawn = chart.draw_series(
                points.iter().zip(colours).filter(|(p, _)| inside(p)).map(
                    |(&p, &c)| {
                        EmptyElement::at(p)
                            + Circle::new((0, 0), 7, c.filled())
                            + Circle::new((0, 0), 7, BLACK.stroke_width(1))
                    },
                ),
            )?;
            // The legend shows the middle colour of the scale.
            if let (false, Some(&c)) =
                (label.is_empty(), colours.get(colours.len() / 2))
            {
                drawn.label(label).legend(move |(x, y)| dot((x + 15, y), c));
            }
        }
    }
    Ok(())
}

/// How strongly the dots of a [`Layer::Cloud`] are tinted.
const CLOUD_TINT: f64 = 0.3;

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
    closed(&star())
}

/// An upward triangle in pixel offsets from its centre (the centre of its circumcircle,
/// radius 11, so that it looks about as large as the square).
const TRIANGLE: [(i32, i32); 3] = [(0, -11), (10, 6), (-10, 6)];

/// A polygon's outline: its corners with the first repeated at the end.
fn closed(corners: &[(i32, i32)]) -> Vec<(i32, i32)> {
    let mut outline = corners.to_vec();
    outline.extend(corners.first());
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

type Segment = ((f64, f64), (f64, f64));

/// The part of the segment p–q inside the window (Liang–Barsky), if any.
fn clip_segment(p: (f64, f64), q: (f64, f64), window: Window) -> Option<Segment> {
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
    fn extents_pad_linear_and_log_axes() {
        assert_eq!(extent([0.0, 10.0, f64::NAN], false), (-0.5, 10.5));
        assert_eq!(extent([-1.0, 0.1, 10.0], true), (0.1 / 1.5, 15.0));
        assert_eq!(extent([], false), (0.0, 1.0));
    }
}
