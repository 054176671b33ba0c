//! Line plots: a title, labelled axes (linear or logarithmic), layers and a legend —
//! loss curves, rates, sweeps, best-so-far curves.

use super::layer::{draw_layer, window, Edge, Layer, Window};
use super::style::{
    label_font, legend_font, svg, tick_font, tick_label, title_font, DrawResult,
    Legend, SIZE,
};
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A line chart of [`Layer`]s on linear or logarithmic axes.
pub struct LinePlot {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_log: bool,
    pub y_log: bool,
    /// Drawn in order: later layers on top.
    pub layers: Vec<Layer>,
    /// Where the legend goes.
    pub legend: Legend,
    /// Fixed axis ranges, in place of the data's extent. A line stops where it
    /// first leaves a fixed window, and markers after that point are not drawn.
    pub x_range: Option<(f64, f64)>,
    /// See `x_range`.
    pub y_range: Option<(f64, f64)>,
    /// Names for the values 0, 1, …, k − 1 of a y axis of unordered levels (a categorical
    /// variable's labels): the ticks at those values carry the names and the axis spans
    /// −0.5 to k − 0.5. `None` for a numeric axis.
    pub y_levels: Option<Vec<String>>,
    /// The same for the x axis: names for the values 0, 1, …, k − 1 (categories side by
    /// side, such as problems), the axis spanning −0.5 to k − 0.5.
    pub x_levels: Option<Vec<String>>,
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
            layers: Vec::new(),
            legend: Legend::UpperRight,
            x_range: None,
            y_range: None,
            y_levels: None,
            x_levels: None,
        }
    }

    /// A y axis of named levels at 0, 1, …, k − 1 (see [`LinePlot::y_levels`]).
    pub fn with_levels(mut self, levels: Vec<String>) -> Self {
        self.y_range = Some((-0.5, levels.len() as f64 - 0.5));
        self.y_levels = Some(levels);
        self
    }

    /// An x axis of named levels at 0, 1, …, k − 1 (see [`LinePlot::x_levels`]).
    pub fn with_x_levels(mut self, levels: Vec<String>) -> Self {
        self.x_range = Some((-0.5, levels.len() as f64 - 0.5));
        self.x_levels = Some(levels);
        self
    }

    /// Adds a layer on top of those already there.
    pub fn with(mut self, layer: Layer) -> Self {
        self.layers.push(layer);
        self
    }

    /// Renders the plot to SVG.
    pub fn render(&self) -> DrawResult<String> {
        svg(SIZE, |root| self.draw_into(root, title_font()))
    }

    /// A figure of `plots` side by side under a common `title`, `cols` to a row (each
    /// plot keeps its own title, in the smaller type of a panel's, axes and legend).
    pub fn grid(
        title: &str,
        size: (u32, u32),
        cols: usize,
        plots: &[LinePlot],
    ) -> DrawResult<String> {
        svg(size, |root| {
            let body = root.titled(title, title_font())?;
            let rows = plots.len().div_ceil(cols.max(1));
            for (area, plot) in
                body.split_evenly((rows, cols.max(1))).iter().zip(plots)
            {
                plot.draw_into(area, label_font())?;
            }
            Ok(())
        })
    }

    /// Draws the plot into `area`, on the axes its log flags ask for, titled in
    /// `caption`.
    fn draw_into(
        &self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
        caption: TextStyle<'_>,
    ) -> DrawResult {
        let frame = window(
            &self.layers,
            self.x_range,
            self.y_range,
            (self.x_log, self.y_log),
        );
        let ((x0, x1), (y0, y1)) = frame;
        match (self.x_log, self.y_log) {
            (false, false) => self.draw(area, &caption, frame, x0..x1, y0..y1),
            (true, false) => {
                self.draw(area, &caption, frame, (x0..x1).log_scale(), y0..y1)
            }
            (false, true) => {
                self.draw(area, &caption, frame, x0..x1, (y0..y1).log_scale())
            }
            (true, true) => self.draw(
                area,
                &caption,
                frame,
                (x0..x1).log_scale(),
                (y0..y1).log_scale(),
            ),
        }
    }

    /// Whether a point lies in the fixed ranges (any point does along a free axis).
    fn inside(&self, p: &(f64, f64)) -> bool {
        self.x_range.is_none_or(|(lo, hi)| (lo..=hi).contains(&p.0))
            && self.y_range.is_none_or(|(lo, hi)| (lo..=hi).contains(&p.1))
    }

    /// A line or marker layer cut where it first leaves the fixed window; `None` for
    /// other layers, which are drawn as they are.
    fn cut(&self, layer: &Layer) -> Option<Layer> {
        let keep = |points: &[(f64, f64)]| {
            points.iter().copied().take_while(|p| self.inside(p)).collect()
        };
        match layer {
            Layer::Line { label, points, colour, dashed } => Some(Layer::Line {
                label: label.clone(),
                points: keep(points),
                colour: *colour,
                dashed: *dashed,
            }),
            Layer::Points { label, points, colour, marker } => {
                Some(Layer::Points {
                    label: label.clone(),
                    points: keep(points),
                    colour: *colour,
                    marker: *marker,
                })
            }
            _ => None,
        }
    }

    fn draw<X, Y>(
        &self,
        root: &DrawingArea<SVGBackend<'_>, Shift>,
        caption: &TextStyle<'_>,
        window: Window,
        x: X,
        y: Y,
    ) -> DrawResult
    where
        X: AsRangedCoord<Value = f64>,
        Y: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, caption.clone())
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(100)
            .build_cartesian_2d(x, y)?;
        let x_fmt = |v: &f64| match &self.x_levels {
            Some(levels) => level_name(levels, *v),
            None => tick_label(*v, self.x_log),
        };
        let y_fmt = |v: &f64| match &self.y_levels {
            Some(levels) => level_name(levels, *v),
            None => tick_label(*v, self.y_log),
        };
        let mut mesh = chart.configure_mesh();
        // A tick at every level and between them: the between ones stay unnamed.
        if let Some(levels) = &self.x_levels {
            mesh.x_labels(2 * levels.len() + 1).disable_x_mesh();
        }
        if let Some(levels) = &self.y_levels {
            mesh.y_labels(2 * levels.len() + 1);
        }
        mesh.x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()?;
        for layer in &self.layers {
            let cut = self.cut(layer);
            draw_layer(
                &mut chart,
                cut.as_ref().unwrap_or(layer),
                window,
                Edge::AsGiven,
            )?;
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

/// The name of level `v` of an axis of named levels, or nothing between levels.
fn level_name(levels: &[String], v: f64) -> String {
    let k = v.round();
    if (v - k).abs() < 1e-9 && k >= 0.0 && (k as usize) < levels.len() {
        levels[k as usize].clone()
    } else {
        String::new()
    }
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
    use super::*;

    #[test]
    fn plots_side_by_side_keep_their_own_axes() {
        let linear = LinePlot::new("linear", "x", "y").with(Layer::line(
            "a",
            vec![(0.0, 1.0), (1.0, 2.0)],
            0,
        ));
        let mut log = LinePlot::new("logarithmic", "x", "y").with(Layer::line(
            "b",
            vec![(1.0, 1e-3), (2.0, 10.0)],
            1,
        ));
        log.y_log = true;
        let svg = LinePlot::grid("both", (1000, 400), 2, &[linear, log]).unwrap();
        for title in ["both", "linear", "logarithmic"] {
            assert!(svg.contains(&format!("\n{title}\n</text>")), "{title}");
        }
        // The log axis labels its powers of ten.
        assert!(svg.contains("\n1e-3\n</text>"));
    }

    #[test]
    fn named_levels_label_their_ticks_only() {
        let mut plot = LinePlot::new("levels", "problem", "seconds")
            .with_x_levels(vec!["first".into(), "second".into()])
            .with(Layer::dots("a", vec![(0.0, 0.5), (1.0, 20.0)], 0));
        plot.y_log = true;
        let svg = plot.render().unwrap();
        assert_eq!(plot.x_range, Some((-0.5, 1.5)));
        for name in ["first", "second"] {
            assert_eq!(
                svg.matches(&format!("\n{name}\n</text>")).count(),
                1,
                "{name}"
            );
        }
        // No numeric tick along the named axis.
        assert!(
            !svg.contains("\n0.5\n</text>") && !svg.contains("\n-0.5\n</text>")
        );
    }
}
