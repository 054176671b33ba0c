//! Pictures of the plane: contour lines of f(x₁, x₂), optimisation paths and points
//! over them, and arrow fields — drawn in the shared style. Filled contours are a
//! [`Layer::Heat`] (see [`heat`](super::heat)), drawn under the lines, with its
//! [`ColourBar`] beside the axes.
//!
//! Contours are traced by marching squares: f is sampled on a grid, and in each grid cell the
//! points where a level crosses the cell's edges (found by linear interpolation) are joined.

use super::colour::ramp;
use super::heat::{ColourBar, BAR_WIDTH};
use super::layer::{draw_layer, Edge, Layer};
use super::style::{
    label_font, legend_font, svg, tick_font, title_font, DrawResult,
};
use plotters::prelude::*;

/// A chart of the (x₁, x₂) plane.
pub struct PlanePlot<'f> {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// The window [x_lo, x_hi] × [y_lo, y_hi].
    pub window: ((f64, f64), (f64, f64)),
    /// The function whose contour lines are drawn, if any, in [`ramp`]'s colours.
    pub contours: Option<&'f dyn Fn(f64, f64) -> f64>,
    /// How many contour levels.
    pub levels: usize,
    /// Arrows: (tail, vector) pairs, drawn to scale.
    pub arrows: Vec<((f64, f64), (f64, f64))>,
    /// Paths and points over the plane, drawn in order over the contours; heat layers
    /// are drawn first, under the contours.
    pub layers: Vec<Layer>,
    /// A colour bar beside the axes (for a heat layer).
    pub bar: Option<ColourBar>,
    /// Whether to draw the axes x₁ = 0 and x₂ = 0.
    pub axes_through_origin: bool,
}

impl<'f> PlanePlot<'f> {
    /// An empty chart of `window`.
    pub fn new(title: &str, window: ((f64, f64), (f64, f64))) -> Self {
        PlanePlot {
            title: title.into(),
            x_label: "x₁".into(),
            y_label: "x₂".into(),
            window,
            contours: None,
            levels: 30,
            arrows: Vec::new(),
            layers: Vec::new(),
            bar: None,
            axes_through_origin: false,
        }
    }

    /// Renders the chart to SVG.
    pub fn render(&self, size: (u32, u32)) -> DrawResult<String> {
        svg(size, |root| {
            let ((x0, x1), (y0, y1)) = self.window;
            let width = root.dim_in_pixel().0;
            let (root, bar_area) = match self.bar {
                Some(_) => root.split_horizontally(width.saturating_sub(BAR_WIDTH)),
                None => root.split_horizontally(width),
            };
            let mut chart = ChartBuilder::on(&root)
                .caption(&self.title, title_font())
                .margin(20)
                .x_label_area_size(65)
                .y_label_area_size(80)
                .build_cartesian_2d(x0..x1, y0..y1)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_desc(&self.x_label)
                .y_desc(&self.y_label)
                .axis_desc_style(label_font())
                .label_style(tick_font())
                .axis_style(BLACK.stroke_width(2))
                .draw()?;
            let heat = |layer: &&Layer| matches!(layer, Layer::Heat { .. });
            for layer in self.layers.iter().filter(heat) {
                draw_layer(&mut chart, layer, self.window, Edge::AsGiven)?;
            }
            if let Some(f) = self.contours {
                let segments = contour_segments(f, self.window, 200, self.levels);
                for (k, level) in segments.iter().enumerate() {
                    let shade = ramp(k as f64 / self.levels.max(1) as f64);
                    chart.draw_series(level.iter().map(|&(a, b)| {
                        PathElement::new(vec![a, b], shade.stroke_width(2))
                    }))?;
                }
            }
            if self.axes_through_origin {
                let grey = RGBColor(150, 150, 150).stroke_width(1);
                chart.draw_series([PathElement::new(
                    vec![(x0, 0.0), (x1, 0.0)],
                    grey,
                )])?;
                chart.draw_series([PathElement::new(
                    vec![(0.0, y0), (0.0, y1)],
                    grey,
                )])?;
            }
            for &(tail, (dx, dy)) in &self.arrows {
                let head = (tail.0 + dx, tail.1 + dy);
                let style = BLACK.stroke_width(2);
                chart.draw_series([PathElement::new(vec![tail, head], style)])?;
                let len = dx.hypot(dy).max(1e-12);
                let (ux, uy) = (dx / len, dy / len);
                let size = 0.3 * len;
                let side = |s: f64| {
                    (
                        head.0 - size * ux + s * 0.5 * size * uy,
                        head.1 - size * uy - s * 0.5 * size * ux,
                    )
                };
                chart.draw_series([Polygon::new(
                    vec![head, side(1.0), side(-1.0)],
                    BLACK.filled(),
                )])?;
            }
            for layer in self.layers.iter().filter(|l| !heat(l)) {
                draw_layer(&mut chart, layer, self.window, Edge::AsGiven)?;
            }
            if let Some(bar) = &self.bar {
                let (_, rows) = chart.plotting_area().get_pixel_range();
                bar.draw(&bar_area, (rows.start, rows.end))?;
            }
            if self.layers.iter().any(|l| !heat(&l)) {
                chart
                    .configure_series_labels()
                    .position(SeriesLabelPosition::UpperRight)
                    .label_font(legend_font())
                    .background_style(WHITE.mix(0.9))
                    .border_style(BLACK)
                    .draw()?;
            }
            Ok(())
        })
    }
}

type Segment = ((f64, f64), (f64, f64));

/// The contour segments of `f` over `window` on an `n`×`n` grid, for `levels` levels between
/// the smallest and largest sampled values.
pub fn contour_segments(
    f: &dyn Fn(f64, f64) -> f64,
    ((x0, x1), (y0, y1)): ((f64, f64), (f64, f64)),
    n: usize,
    levels: usize,
) -> Vec<Vec<Segment>> {
    let xs: Vec<f64> =
        (0..n).map(|i| x0 + (x1 - x0) * i as f64 / (n - 1) as f64).collect();
    let ys: Vec<f64> =
        (0..n).map(|j| y0 + (y1 - y0) * j as f64 / (n - 1) as f64).collect();
    let values: Vec<Vec<f64>> =
        xs.iter().map(|&x| ys.iter().map(|&y| f(x, y)).collect()).collect();
    let lo = values.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().flatten().copied().fold(f64::NEG_INFINITY, f64::max);
    // Square-root spacing: lines crowd near the minimum, where the paths end, and thin out
    // on the steep walls (for a quadratic bowl, equal steps in distance from the centre).
    let level_values: Vec<f64> = (1..=levels)
        .map(|k| lo + (hi - lo) * (k as f64 / (levels + 1) as f64).powi(2))
        .collect();
    level_values
        .iter()
        .map(|&level| {
            let mut segments = Vec::new();
            for i in 0..n - 1 {
                for j in 0..n - 1 {
                    // Corners counter-clockwise from (i, j); edges k join corner k to k + 1.
                    let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
                    let mut crossings = Vec::with_capacity(4);
                    for k in 0..4 {
                        let (a, b) = (corners[k], corners[(k + 1) % 4]);
                        let (va, vb) =
                            (values[a.0][a.1] - level, values[b.0][b.1] - level);
                        if (va < 0.0) != (vb < 0.0) {
                            let t = va / (va - vb);
                            let x = xs[a.0] + t * (xs[b.0] - xs[a.0]);
                            let y = ys[a.1] + t * (ys[b.1] - ys[a.1]);
                            crossings.push((x, y));
                        }
                    }
                    for pair in crossings.chunks_exact(2) {
                        segments.push((pair[0], pair[1]));
                    }
                }
            }
            segments
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Heat, Layer};

    #[test]
    fn filled_contours_sit_under_the_lines_beside_their_bar() {
        let f = |x: f64, y: f64| x * x + y * y;
        let window = ((-1.0, 1.0), (-1.0, 1.0));
        let heat = Heat::function(&f, window, 20);
        let bar = ColourBar::new("f", heat.range(), 5);
        let mut plot = PlanePlot::new("bowl", window);
        plot.contours = Some(&f);
        plot.levels = 3;
        plot.layers.push(Layer::heat(heat, &bar));
        plot.bar = Some(bar.clone());
        let svg = plot.render((700, 600)).unwrap();
        let fill = |k: usize| {
            let c = bar.band_colour(k);
            format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2)
        };
        // The lowest band fills cells first; the lowest contour line is drawn over it.
        let line = ramp(0.0);
        let line =
            format!("stroke=\"#{:02X}{:02X}{:02X}\"", line.0, line.1, line.2);
        let cells = svg.find(&fill(0)).unwrap();
        assert!(cells < svg.find(&line).unwrap());
        assert!(svg.contains("\nf\n</text>"));
    }

    #[test]
    fn contour_points_lie_on_their_level() {
        let f = |x: f64, y: f64| x * x + 4.0 * y * y;
        let levels = contour_segments(&f, ((-2.0, 2.0), (-2.0, 2.0)), 101, 5);
        assert_eq!(levels.len(), 5);
        for segments in &levels {
            let (a, _) = segments[0];
            let level = f(a.0, a.1);
            for &(p, q) in segments {
                // Linear interpolation of a quadratic: exact to the grid spacing squared.
                assert!(
                    (f(p.0, p.1) - level).abs() < 0.02
                        && (f(q.0, q.1) - level).abs() < 0.02
                );
            }
        }
    }
}
