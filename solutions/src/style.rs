//! The one figure style of the book: every figure is drawn through this module.
//!
//! Figures are SVG, drawn by plotters into a `String` (so a test can compare them
//! with the committed copies without touching the disk). Text is measured with the
//! bundled DejaVu Sans, which is registered once; titles are bold, axis labels and
//! ticks large enough to read at the width of the text column, lines thick, and
//! colours from the Okabe–Ito palette, which stays distinguishable for readers with
//! colour-vision deficiencies.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;
use std::error::Error;
use std::sync::Once;

/// Default figure size in pixels (the SVG scales to the column width).
pub const SIZE: (u32, u32) = (900, 560);
/// The font family written into the SVG and used to measure text.
pub const FONT: &str = "sans-serif";
/// Stroke width of data lines.
pub const LINE: u32 = 3;

/// Okabe–Ito colours, in the order series use them.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermilion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
];

/// A plotting failure, boxed: figures are drawn by our own code, so any failure is
/// a bug to report.
pub type DrawResult<T = ()> = Result<T, Box<dyn Error>>;

/// Makes the bundled DejaVu Sans available to plotters under [`FONT`].
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fonts = [
            (FontStyle::Normal, dejavu::sans::regular()),
            (FontStyle::Bold, dejavu::sans::bold()),
        ];
        for (style, bytes) in fonts {
            if plotters::style::register_font(FONT, style, bytes).is_err() {
                panic!("the bundled DejaVu Sans font is invalid");
            }
        }
    });
}

/// Bold title text.
pub fn title_font() -> TextStyle<'static> {
    (FONT, 30).into_font().style(FontStyle::Bold).color(&BLACK)
}

/// Axis-label text.
pub fn label_font() -> TextStyle<'static> {
    (FONT, 24).into_font().color(&BLACK)
}

/// Tick-label text.
pub fn tick_font() -> TextStyle<'static> {
    (FONT, 19).into_font().color(&BLACK)
}

/// Legend text.
pub fn legend_font() -> TextStyle<'static> {
    (FONT, 20).into_font().color(&BLACK)
}

/// Text written inside a figure (cell labels, annotations).
pub fn annotation_font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK)
}

/// Draws a figure of `size` with `draw` and returns the SVG text.
pub fn svg<F>(size: (u32, u32), draw: F) -> DrawResult<String>
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> DrawResult,
{
    register_fonts();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(text)
}

/// Colour `i` of the palette (wrapping around).
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A colour between white and `to` for `t` in [0, 1]: fills for cells and heat
/// maps.
pub fn tint(to: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |c: u8| (255.0 + (f64::from(c) - 255.0) * t).round() as u8;
    RGBColor(mix(to.0), mix(to.1), mix(to.2))
}

/// One line (or marker set) of a [`LinePlot`].
pub struct Series {
    /// The legend entry.
    pub label: String,
    /// The (x, y) points, in order.
    pub points: Vec<(f64, f64)>,
    /// Index into [`PALETTE`].
    pub colour: usize,
    /// Dashed instead of solid: for references such as a theoretical bound.
    pub dashed: bool,
    /// Dots at the points and no line: for measurements set beside a curve.
    pub markers: bool,
}

impl Series {
    /// A solid line.
    pub fn line(
        label: impl Into<String>,
        points: Vec<(f64, f64)>,
        colour: usize,
    ) -> Self {
        Series {
            label: label.into(),
            points,
            colour,
            dashed: false,
            markers: false,
        }
    }

    /// A dashed line.
    pub fn dashed(
        label: impl Into<String>,
        points: Vec<(f64, f64)>,
        colour: usize,
    ) -> Self {
        Series { label: label.into(), points, colour, dashed: true, markers: false }
    }

    /// Dots without a line.
    pub fn markers(
        label: impl Into<String>,
        points: Vec<(f64, f64)>,
        colour: usize,
    ) -> Self {
        Series { label: label.into(), points, colour, dashed: false, markers: true }
    }
}

/// Which corner of the plot holds the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
    MiddleRight,
}

impl Legend {
    pub(crate) fn position(self) -> SeriesLabelPosition {
        match self {
            Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
            Legend::UpperRight => SeriesLabelPosition::UpperRight,
            Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
            Legend::LowerRight => SeriesLabelPosition::LowerRight,
            Legend::MiddleRight => SeriesLabelPosition::MiddleRight,
        }
    }
}

/// A line chart: title, labelled axes (linear or logarithmic), several series and a
/// legend.
pub struct LinePlot {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_log: bool,
    pub y_log: bool,
    pub series: Vec<Series>,
    /// Where the legend goes.
    pub legend: Legend,
    /// Fixed axis ranges, in place of the data's extent (points outside are not drawn).
    pub x_range: Option<(f64, f64)>,
    /// See `x_range`.
    pub y_range: Option<(f64, f64)>,
}

impl LinePlot {
    /// A plot with linear axes and the legend at the upper right.
    pub fn new(title: &str, x_label: &str, y_label: &str) -> Self {
        LinePlot {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_log: false,
            y_log: false,
            series: Vec::new(),
            legend: Legend::UpperRight,
            x_range: None,
            y_range: None,
        }
    }

    /// Renders the plot to SVG.
    pub fn render(&self) -> DrawResult<String> {
        let (x0, x1) =
            self.x_range.unwrap_or_else(|| self.extent(|p| p.0, self.x_log));
        let (y0, y1) =
            self.y_range.unwrap_or_else(|| self.extent(|p| p.1, self.y_log));
        svg(SIZE, |root| match (self.x_log, self.y_log) {
            (false, false) => self.draw(root, x0..x1, y0..y1),
            (true, false) => self.draw(root, (x0..x1).log_scale(), y0..y1),
            (false, true) => self.draw(root, x0..x1, (y0..y1).log_scale()),
            (true, true) => {
                self.draw(root, (x0..x1).log_scale(), (y0..y1).log_scale())
            }
        })
    }

    /// The data range along one axis, padded a little (multiplicatively on a log
    /// axis).
    fn extent(&self, pick: impl Fn(&(f64, f64)) -> f64, log: bool) -> (f64, f64) {
        let values = self.series.iter().flat_map(|s| s.points.iter().map(&pick));
        let values: Vec<f64> =
            values.filter(|v| v.is_finite() && (!log || *v > 0.0)).collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if log {
            (lo / 1.5, hi * 1.5)
        } else {
            let pad = 0.05 * (hi - lo).max(1e-12);
            (lo - pad, hi + pad)
        }
    }

    fn draw<X, Y>(
        &self,
        root: &DrawingArea<SVGBackend<'_>, Shift>,
        x: X,
        y: Y,
    ) -> DrawResult
    where
        X: plotters::coord::ranged1d::AsRangedCoord<Value = f64>,
        Y: plotters::coord::ranged1d::AsRangedCoord<Value = f64>,
        X::CoordDescType: plotters::coord::ranged1d::ValueFormatter<f64>,
        Y::CoordDescType: plotters::coord::ranged1d::ValueFormatter<f64>,
    {
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, title_font())
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(100)
            .build_cartesian_2d(x, y)?;
        let x_fmt = |v: &f64| tick_label(*v, self.x_log);
        let y_fmt = |v: &f64| tick_label(*v, self.y_log);
        chart
            .configure_mesh()
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()?;
        let inside = |p: &(f64, f64)| {
            self.x_range.is_none_or(|(lo, hi)| (lo..=hi).contains(&p.0))
                && self.y_range.is_none_or(|(lo, hi)| (lo..=hi).contains(&p.1))
        };
        for s in &self.series {
            let style = colour(s.colour).stroke_width(LINE);
            // A series leaving a fixed window is cut where it first leaves.
            let points = s.points.iter().copied().take_while(inside);
            if s.markers {
                let c = colour(s.colour);
                chart
                    .draw_series(points.map(|p| Circle::new(p, 6, c.filled())))?
                    .label(&s.label)
                    .legend(move |(x, y)| Circle::new((x + 15, y), 6, c.filled()));
                continue;
            }
            let drawn = if s.dashed {
                chart.draw_series(DashedLineSeries::new(points, 12, 8, style))?
            } else {
                chart.draw_series(LineSeries::new(points, style))?
            };
            if s.label.is_empty() {
                continue; // a companion of the series before it: no legend entry of its own
            }
            let legend_colour = colour(s.colour);
            let dashed = s.dashed;
            drawn.label(&s.label).legend(move |(x, y)| {
                let style = legend_colour.stroke_width(LINE);
                // A dashed entry is drawn as two dashes, a solid one as one unbroken stroke.
                let (end, start) = if dashed { (11, 19) } else { (15, 15) };
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (end, 0)], style)
                    + PathElement::new(vec![(start, 0), (30, 0)], style)
            });
        }
        chart
            .configure_series_labels()
            .position(self.legend.position())
            .label_font(legend_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    }
}

/// A tick label: powers of ten as `1e-6` on a log axis, and at most four
/// significant digits.
pub fn tick_label(v: f64, log: bool) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10();
    if log && !(-2.0..5.0).contains(&magnitude) {
        let exponent = magnitude.round();
        let mantissa = v / 10f64.powf(exponent);
        if (mantissa - 1.0).abs() < 1e-9 {
            return format!("1e{exponent}");
        }
        return format!("{v:.1e}");
    }
    let text = format!("{v:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    // A tick at −1e−16 (rounding in the axis range) prints as 0, not −0.
    if text.is_empty() || text == "-" || text == "-0" {
        "0".into()
    } else {
        text.to_owned()
    }
}

/// One panel of a [`cell_grids`] figure: a small matrix drawn as labelled, shaded
/// cells.
pub struct CellGrid {
    /// Panel title.
    pub title: String,
    /// The text written in each cell (row-major, `rows × cols`).
    pub labels: Vec<Vec<String>>,
    /// How strongly each cell is shaded, in [0, 1].
    pub shade: Vec<Vec<f64>>,
    /// Palette index of the shading colour.
    pub colour: usize,
    /// Axis descriptions (across, down); usually ("column j", "row i").
    pub axes: (String, String),
    /// Size of the cell labels, in pixels.
    pub font: u32,
}

impl CellGrid {
    fn rows(&self) -> usize {
        self.labels.len()
    }

    fn cols(&self) -> usize {
        self.labels.first().map_or(0, Vec::len)
    }
}

/// Panels of labelled cells under one title, laid out as `layout[r]` = the panels
/// of row `r`. Axes are the matrix's own: column index j across, row index i down.
pub fn cell_grids(
    title: &str,
    size: (u32, u32),
    layout: &[Vec<CellGrid>],
) -> DrawResult<String> {
    svg(size, |root| {
        let body = root.titled(title, title_font())?;
        // Give each row of panels a height in proportion to its tallest panel (plus
        // margins).
        let heights: Vec<f64> = layout
            .iter()
            .map(|row| row.iter().map(|p| p.rows()).max().unwrap_or(1) as f64 + 1.5)
            .collect();
        let rows = body.split_by_breakpoints(
            Vec::<i32>::new(),
            breakpoints(&heights, body.dim_in_pixel().1),
        );
        for (area, panels) in rows.iter().zip(layout) {
            // Share a row's width in proportion to each panel's number of columns
            // (plus margins).
            let widths: Vec<f64> =
                panels.iter().map(|p| p.cols() as f64 + 2.0).collect();
            let cuts = breakpoints(&widths, area.dim_in_pixel().0);
            for (cell_area, panel) in area
                .split_by_breakpoints(cuts, Vec::<i32>::new())
                .iter()
                .zip(panels)
            {
                draw_cell_grid(cell_area, panel)?;
            }
        }
        Ok(())
    })
}

/// Pixel positions that cut `length` into parts proportional to `weights`.
fn breakpoints(weights: &[f64], length: u32) -> Vec<i32> {
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    let mut cuts = Vec::new();
    for w in &weights[..weights.len().saturating_sub(1)] {
        acc += w / total * f64::from(length);
        cuts.push(acc.round() as i32);
    }
    cuts
}

fn draw_cell_grid(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    panel: &CellGrid,
) -> DrawResult {
    let (rows, cols) = (panel.rows(), panel.cols());
    // Row 0 is drawn at the top: the y coordinate of row i is rows - 1 - i.
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, label_font())
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(55)
        .build_cartesian_2d(-0.5..cols as f64 - 0.5, -0.5..rows as f64 - 0.5)?;
    let flip = move |y: &f64| format!("{:.0}", rows as f64 - 1.0 - y);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(cols.min(12))
        .y_labels(if panel.axes.1.is_empty() { 0 } else { rows.min(12) })
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&flip)
        .x_desc(panel.axes.0.as_str())
        .y_desc(panel.axes.1.as_str())
        .axis_desc_style(tick_font())
        .label_style(tick_font())
        .axis_style(BLACK.stroke_width(2))
        .draw()?;
    let fill = colour(panel.colour);
    for (i, (labels, shades)) in panel.labels.iter().zip(&panel.shade).enumerate() {
        let y = (rows - 1 - i) as f64;
        for (j, (label, &s)) in labels.iter().zip(shades).enumerate() {
            let x = j as f64;
            let corners = [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)];
            chart.draw_series([Rectangle::new(corners, tint(fill, s).filled())])?;
            chart.draw_series([Rectangle::new(corners, BLACK.stroke_width(2))])?;
            let ink = if s > 0.6 { WHITE } else { BLACK };
            let text = annotation_font(panel.font)
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            chart.draw_series([Text::new(label.clone(), (x, y), text)])?;
        }
    }
    Ok(())
}

/// One box of a [`diagram`]: a title line, a detail line, a position and a fill
/// colour.
pub struct DiagramNode {
    /// The bold first line.
    pub title: String,
    /// The second line (a shape, say).
    pub detail: String,
    /// Centre, as fractions of the drawing's width and height (0 = left / top).
    pub at: (f64, f64),
    /// Palette index of the fill.
    pub colour: usize,
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
            body.draw(&Rectangle::new(
                corners,
                tint(colour(n.colour), 0.35).filled(),
            ))?;
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

/// A bar chart over named categories: one bar per category for each group, side by side, or
/// stacked when `stacked` is set. Groups are (legend label, one value per category, colour).
pub fn bar_chart(
    title: &str,
    axes: (&str, &str),
    categories: &[String],
    groups: &[(String, Vec<f64>, usize)],
    stacked: bool,
) -> DrawResult<String> {
    let n = categories.len();
    let top = (0..n)
        .map(|c| {
            let values = groups.iter().map(|g| g.1[c]);
            if stacked {
                values.sum()
            } else {
                values.fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    svg(SIZE, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, title_font())
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(100)
            // Head room above the bars keeps the legend off them.
            .build_cartesian_2d(-0.6..n as f64 - 0.4, 0.0..top * 1.4)?;
        let name = |x: &f64| {
            let k = x.round();
            if (x - k).abs() < 1e-9 && k >= 0.0 && (k as usize) < n {
                categories[k as usize].clone()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(2 * n + 1)
            .x_label_formatter(&name)
            .y_label_formatter(&|v| tick_label(*v, false))
            .x_desc(axes.0)
            .y_desc(axes.1)
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()?;
        let width = if stacked { 0.6 } else { 0.8 / groups.len() as f64 };
        let mut base = vec![0.0; n];
        for (g, (label, values, c)) in groups.iter().enumerate() {
            let fill = colour(*c);
            let bars = (0..n).map(|k| {
                let (x0, y0) = if stacked {
                    (k as f64 - 0.3, base[k])
                } else {
                    (k as f64 - 0.4 + width * g as f64, 0.0)
                };
                Rectangle::new(
                    [(x0, y0), (x0 + width, y0 + values[k])],
                    fill.filled(),
                )
            });
            chart.draw_series(bars.collect::<Vec<_>>())?.label(label).legend(
                move |(x, y)| {
                    Rectangle::new([(x, y - 7), (x + 24, y + 7)], fill.filled())
                },
            );
            if stacked {
                base.iter_mut().zip(values).for_each(|(b, v)| *b += v);
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(legend_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
}

/// A step curve of yes/no verdicts at increasing x: 1 (plus `offset`) for yes, 0 for no,
/// each held until the next x, so that a change shows as a vertical edge.
pub fn step_curve(xs: &[f64], verdicts: &[bool], offset: f64) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for (&x, &yes) in xs.iter().zip(verdicts) {
        let y = if yes { 1.0 } else { 0.0 } + offset;
        if let Some(&(_, previous)) = pts.last() {
            pts.push((x, previous));
        }
        pts.push((x, y));
    }
    pts
}

#[cfg(test)]
mod tests {
    use super::tick_label;

    #[test]
    fn tick_labels() {
        assert_eq!(tick_label(-1e-16, false), "0");
        assert_eq!(tick_label(0.0, false), "0");
        assert_eq!(tick_label(-0.25, false), "-0.25");
        assert_eq!(tick_label(1e-6, true), "1e-6");
        assert_eq!(tick_label(2.5, false), "2.5");
    }
}
