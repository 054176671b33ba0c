//! Heat layers: a quantity over a rectangle drawn as filled colour — filled contours of
//! f(x₁, x₂), or the entries of a matrix — and the colour bar that reads the colours back
//! as values.
//!
//! A [`Heat`] holds the value at the centre of each cell of a regular grid over its window.
//! A [`ColourBar`] cuts its range into `levels` equal bands and paints each band in one
//! colour of its scale ([`fill_ramp`] unless told otherwise): a few levels draw filled contours, a
//! hundred a smooth shading. A value outside the range takes the nearest band; a non-finite
//! value leaves its cell blank. The same bar colours the heat ([`Layer::heat`]), any points
//! coloured by a value ([`Layer::graded`]), and is drawn beside the axes so that a reader can
//! read a colour back as a number ([`Panel::with_bar`], [`PlanePlot::bar`]).
//!
//! ```ignore
//! let window = ((-3.0, 3.0), (-3.0, 3.0));
//! let heat = Heat::function(&two_basins, window, 100);
//! let bar = ColourBar::new("F(x₁, x₂)", heat.range(), 30);
//! let mut panel = Panel::new("The surface", "x₁", "x₂")
//!     .with(Layer::heat(heat, &bar))
//!     .with(Layer::dots("design", design, Colour::Observation))
//!     .with_bar(bar);
//! (panel.x_range, panel.y_range) = window;
//! ```
//!
//! [`Layer::heat`]: super::Layer::heat
//! [`Layer::graded`]: super::Layer::graded
//! [`Panel::with_bar`]: super::Panel::with_bar
//! [`PlanePlot::bar`]: super::PlanePlot::bar

use super::colour::fill_ramp;
use super::layer::{Chart, Window};
use super::style::{
    label_font, svg, tick_font, tick_label, title_font, DrawResult,
};
use ndarray::ArrayView2;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A sequential colour scale: `t` in [0, 1], from the low end to the high end.
pub type Scale = fn(f64) -> RGBColor;

/// Width in pixels that a colour bar takes beside the axes (ticks and label included).
pub const BAR_WIDTH: u32 = 150;

/// How values map to colours, and the bar that shows it: `levels` equal bands over
/// `range`, band k painted `scale((k + ½) / levels)`.
#[derive(Debug, Clone)]
pub struct ColourBar {
    /// What the colours measure, written along the bar.
    pub label: String,
    /// The values at the bottom and the top of the bar.
    pub range: (f64, f64),
    /// How many bands the range is cut into (at least one).
    pub levels: usize,
    /// The colours, low to high.
    pub scale: Scale,
}

impl ColourBar {
    /// A bar of `levels` bands over `range` in [`fill_ramp`]'s colours (nearly white
    /// for low values, full blue for high ones).
    pub fn new(label: impl Into<String>, range: (f64, f64), levels: usize) -> Self {
        ColourBar {
            label: label.into(),
            range,
            levels: levels.max(1),
            scale: fill_ramp,
        }
    }

    /// The same bar in the colours of `scale`.
    pub fn scale(mut self, scale: Scale) -> Self {
        self.scale = scale;
        self
    }

    /// The band of `v`, 0 … levels − 1 (values beyond the range take the end band);
    /// `None` for a non-finite value.
    pub fn level(&self, v: f64) -> Option<usize> {
        if !v.is_finite() {
            return None;
        }
        let (lo, hi) = self.range;
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        let k = (t * self.levels as f64).floor().max(0.0) as usize;
        Some(k.min(self.levels - 1))
    }

    /// The colour of band `k`.
    pub fn band_colour(&self, k: usize) -> RGBColor {
        (self.scale)((k as f64 + 0.5) / self.levels as f64)
    }

    /// The colour of the value `v`, if it is finite.
    pub fn colour(&self, v: f64) -> Option<RGBColor> {
        self.level(v).map(|k| self.band_colour(k))
    }

    /// Draws the bar in `area`, its ends level with the pixel rows `rows` (the top and
    /// bottom of the plotting area it stands beside), ticks and label on its left.
    pub(crate) fn draw(
        &self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
        rows: (i32, i32),
    ) -> DrawResult {
        let top = area.get_base_pixel().1;
        let bottom = top + area.dim_in_pixel().1 as i32;
        let (lo, hi) = self.range;
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let mut chart = ChartBuilder::on(area)
            .margin_top((rows.0 - top).max(0))
            .margin_bottom((bottom - rows.1).max(0))
            .margin_left(6)
            .margin_right(20)
            .y_label_area_size(BAR_WIDTH - 66)
            .build_cartesian_2d(0.0..1.0, lo..hi)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_labels(6)
            .y_label_formatter(&|v| tick_label(*v, false))
            .y_desc(self.label.as_str())
            .axis_desc_style(tick_font())
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .draw()?;
        let step = (hi - lo) / self.levels as f64;
        chart.draw_series((0..self.levels).map(|k| {
            let a = lo + k as f64 * step;
            Rectangle::new(
                [(0.0, a), (1.0, a + step)],
                self.band_colour(k).filled(),
            )
        }))?;
        chart.draw_series([Rectangle::new(
            [(0.0, lo), (1.0, hi)],
            BLACK.stroke_width(1),
        )])?;
        Ok(())
    }
}

/// Values on a regular grid of cells over a window.
#[derive(Debug, Clone)]
pub struct Heat {
    /// The rectangle the cells tile, `((x₀, x₁), (y₀, y₁))`.
    pub window: Window,
    /// `values[j][i]`: the cell `i` from the left in row `j` from the bottom (all rows the
    /// same length).
    pub values: Vec<Vec<f64>>,
}

impl Heat {
    /// `f` at the centres of `cells` × `cells` cells tiling `window`.
    pub fn function(
        f: &dyn Fn(f64, f64) -> f64,
        window: Window,
        cells: usize,
    ) -> Self {
        let ((x0, x1), (y0, y1)) = window;
        let n = cells.max(1);
        let centre =
            |a: f64, b: f64, k: usize| a + (b - a) * (k as f64 + 0.5) / n as f64;
        let values = (0..n)
            .map(|j| {
                let y = centre(y0, y1, j);
                (0..n).map(|i| f(centre(x0, x1, i), y)).collect()
            })
            .collect();
        Heat { window, values }
    }

    /// The entries of a matrix, entry (i, j) in the unit cell centred on (j, rows − 1 − i):
    /// column index across, row 0 at the top.
    pub fn matrix(m: ArrayView2<'_, f64>) -> Self {
        let (rows, cols) = m.dim();
        let values = m.rows().into_iter().rev().map(|r| r.to_vec()).collect();
        Heat {
            window: ((-0.5, cols as f64 - 0.5), (-0.5, rows as f64 - 0.5)),
            values,
        }
    }

    /// The smallest and largest finite values ((0, 1) if there are none).
    pub fn range(&self) -> (f64, f64) {
        let finite =
            self.values.iter().flatten().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if lo > hi {
            (0.0, 1.0)
        } else {
            (lo, hi)
        }
    }

    /// Draws the cells into `chart` in the colours of `bar`: along each row, cells of one
    /// band are merged into one rectangle.
    pub(crate) fn draw<'a, X, Y>(
        &self,
        chart: &mut Chart<'a, X, Y>,
        bar: &ColourBar,
    ) -> DrawResult
    where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let ((x0, x1), (y0, y1)) = self.window;
        let rows = self.values.len();
        let mut runs = Vec::new();
        for (j, row) in self.values.iter().enumerate() {
            let (w, h) = ((x1 - x0) / row.len() as f64, (y1 - y0) / rows as f64);
            let levels: Vec<Option<usize>> =
                row.iter().map(|&v| bar.level(v)).collect();
            let mut start = 0;
            for i in 1..=levels.len() {
                if i < levels.len() && levels[i] == levels[start] {
                    continue;
                }
                if let Some(k) = levels[start] {
                    // Each run reaches a third of a cell into the next run and row, which
                    // are drawn over it: abutting edges would leave hairline seams when
                    // the figure is scaled.
                    let corners = [
                        (x0 + start as f64 * w, y0 + j as f64 * h),
                        (
                            (x0 + (i as f64 + 0.3) * w).min(x1),
                            (y0 + (j as f64 + 1.3) * h).min(y1),
                        ),
                    ];
                    runs.push(Rectangle::new(corners, bar.band_colour(k).filled()));
                }
                start = i;
            }
        }
        chart.draw_series(runs)?;
        Ok(())
    }
}

/// A matrix drawn as a heat map beside its colour bar: column index j across, row index
/// i down (row 0 at the top), each axis labelled at a round step of indices.
pub fn matrix_heat_map(
    title: &str,
    (x_label, y_label): (&str, &str),
    m: ArrayView2<'_, f64>,
    bar: &ColourBar,
    size: (u32, u32),
) -> DrawResult<String> {
    let heat = Heat::matrix(m);
    let (rows, cols) = m.dim();
    svg(size, |root| {
        let body = root.titled(title, title_font())?;
        let width = body.dim_in_pixel().0;
        let (left, right) =
            body.split_horizontally(width.saturating_sub(BAR_WIDTH));
        let ((x0, x1), (y0, y1)) = heat.window;
        let mut chart = ChartBuilder::on(&left)
            .margin(15)
            .x_label_area_size(65)
            .y_label_area_size(75)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        // Ticks at every index, labelled only at multiples of the step; the y
        // coordinate of row i is rows − 1 − i.
        let index = |v: f64, from: f64, n: usize| {
            let k = (from - v).abs().round();
            let step = index_step(n) as f64;
            if (v - v.round()).abs() < 1e-9 && k.rem_euclid(step) == 0.0 {
                format!("{k:.0}")
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(cols)
            .y_labels(rows)
            .x_label_formatter(&|v| index(*v, 0.0, cols))
            .y_label_formatter(&|v| index(*v, rows as f64 - 1.0, rows))
            .x_desc(x_label)
            .y_desc(y_label)
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .draw()?;
        heat.draw(&mut chart, bar)?;
        let (_, rows_px) = chart.plotting_area().get_pixel_range();
        bar.draw(&right, (rows_px.start, rows_px.end))
    })
}

/// A round step (1, 2 or 5 times a power of ten) that labels at most seven of `n` indices.
fn index_step(n: usize) -> usize {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if n.div_ceil(step * m) <= 7 {
                return step * m;
            }
        }
        step *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn values_fall_in_their_bands() {
        let bar = ColourBar::new("v", (0.0, 1.0), 4);
        assert_eq!(bar.level(0.0), Some(0));
        assert_eq!(bar.level(0.26), Some(1));
        assert_eq!(bar.level(1.0), Some(3));
        assert_eq!(bar.level(-5.0), Some(0));
        assert_eq!(bar.level(7.0), Some(3));
        assert_eq!(bar.level(f64::NAN), None);
        assert_eq!(bar.band_colour(0), fill_ramp(0.125));
    }

    #[test]
    fn a_function_is_sampled_at_cell_centres() {
        let heat =
            Heat::function(&|x, y| x + 10.0 * y, ((0.0, 2.0), (0.0, 1.0)), 2);
        assert_eq!(heat.values, vec![vec![3.0, 4.0], vec![8.0, 9.0]]);
        assert_eq!(heat.range(), (3.0, 9.0));
    }

    #[test]
    fn a_matrix_puts_row_zero_at_the_top() {
        let heat = Heat::matrix(array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]].view());
        assert_eq!(heat.values, vec![vec![4.0, 5.0, 6.0], vec![1.0, 2.0, 3.0]]);
        assert_eq!(heat.window, ((-0.5, 2.5), (-0.5, 1.5)));
    }

    #[test]
    fn index_steps_are_round() {
        assert_eq!(index_step(5), 1);
        assert_eq!(index_step(12), 2);
        assert_eq!(index_step(60), 10);
        assert_eq!(index_step(300), 50);
    }

    #[test]
    fn a_heat_map_draws_merged_runs_and_a_bar() {
        let m = array![[0.0, 0.0, 1.0], [0.0, 1.0, 1.0]];
        let bar = ColourBar::new("m", (0.0, 1.0), 2);
        let svg =
            matrix_heat_map("m", ("j", "i"), m.view(), &bar, (500, 400)).unwrap();
        // Four runs of cells (two per row) and the bar's two bands.
        let fills = |c: RGBColor| {
            let hex = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
            svg.matches(&format!("fill=\"{hex}\"")).count()
        };
        assert_eq!(fills(bar.band_colour(0)) + fills(bar.band_colour(1)), 6);
    }
}
