//! Panels: pictures of one-dimensional models, alone or in a grid — the true
//! function, a surrogate's mean and its uncertainty band, the observations, the chosen
//! point, shaded regions and guide lines — and of surfaces in the plane, as heat with
//! points over it and a colour bar beside it. Part 3 onwards draws with this module.
//!
//! Lines are clipped to the panel's window where they leave it (a polynomial that
//! shoots off to ±10 is cut at the frame, not drawn over the axes), and a
//! non-finite y breaks a line, so that "not defined here" shows as a gap.

use super::heat::{ColourBar, BAR_WIDTH};
use super::layer::{draw_layer, window, Edge, Layer};
use super::style::{
    label_font, legend_font, svg, tick_font, tick_label, title_font, DrawResult,
    Legend,
};
use plotters::coord::Shift;
use plotters::prelude::*;

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
    /// A colour bar beside the axes, on the right of the panel's area.
    pub bar: Option<ColourBar>,
}

/// The pixel rows of a plotting area, top and bottom: where a colour bar beside it
/// begins and ends.
type Rows = (i32, i32);

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
            bar: None,
        }
    }

    /// Adds a layer on top of those already there.
    pub fn with(mut self, layer: Layer) -> Self {
        self.layers.push(layer);
        self
    }

    /// Draws `bar` beside the axes.
    pub fn with_bar(mut self, bar: ColourBar) -> Self {
        self.bar = Some(bar);
        self
    }

    /// A figure of this one panel, titled with the panel's title.
    pub fn render(&self, size: (u32, u32)) -> DrawResult<String> {
        svg(size, |root| draw_panel(root, self, true).map(|_| ()))
    }

    /// A figure of `panels` under a common `title`, `cols` panels to a row.
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

    /// A figure of `panels` under a common `title`, `cols` to a row, and one colour
    /// bar on the right for them all (for panels of heat in the same colours).
    pub fn grid_with_bar(
        title: &str,
        size: (u32, u32),
        cols: usize,
        panels: &[Panel],
        bar: &ColourBar,
    ) -> DrawResult<String> {
        svg(size, |root| {
            let body = root.titled(title, title_font())?;
            let width = body.dim_in_pixel().0;
            let (left, right) =
                body.split_horizontally(width.saturating_sub(BAR_WIDTH));
            let rows = panels.len().div_ceil(cols.max(1));
            let mut span: Option<Rows> = None;
            for (area, panel) in
                left.split_evenly((rows, cols.max(1))).iter().zip(panels)
            {
                let (top, bottom) = draw_panel(area, panel, false)?;
                span =
                    Some(span.map_or((top, bottom), |(t, b)| {
                        (t.min(top), b.max(bottom))
                    }));
            }
            match span {
                Some(rows) => bar.draw(&right, rows),
                None => Ok(()),
            }
        })
    }
}

/// Draws `panel` into `area` (its bar, if any, on the right) and returns the pixel rows
/// of its plotting area.
fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    panel: &Panel,
    alone: bool,
) -> DrawResult<Rows> {
    let Some(bar) = &panel.bar else {
        return draw_axes(area, panel, alone, true);
    };
    // A figure's title is centred over the whole figure, bar included; a panel's
    // title in a grid over its own axes.
    let body =
        if alone { area.titled(&panel.title, title_font())? } else { area.clone() };
    let width = body.dim_in_pixel().0;
    let (left, right) = body.split_horizontally(width.saturating_sub(BAR_WIDTH));
    let rows = draw_axes(&left, panel, alone, !alone)?;
    bar.draw(&right, rows)?;
    Ok(rows)
}

fn draw_axes(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    panel: &Panel,
    alone: bool,
    captioned: bool,
) -> DrawResult<Rows> {
    let frame = window(&panel.layers, panel.x_range, panel.y_range, (false, false));
    let ((x0, x1), (y0, y1)) = frame;
    let (caption, margin, x_area, y_area) = if alone {
        (title_font(), 20, 70, 100)
    } else {
        (label_font(), 12, 60, 85)
    };
    let mut builder = ChartBuilder::on(area);
    if captioned {
        builder.caption(&panel.title, caption);
    }
    let mut chart = builder
        .margin(margin)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let mut mesh = chart.configure_mesh();
    // Heat covers the whole window: grid lines would only show at its edges.
    if panel.layers.iter().any(|l| matches!(l, Layer::Heat { .. })) {
        mesh.disable_mesh();
    }
    mesh.x_label_formatter(&|v| tick_label(*v, false))
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
    for layer in &panel.layers {
        draw_layer(&mut chart, layer, frame, Edge::Clip)?;
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
    let (_, rows) = chart.plotting_area().get_pixel_range();
    Ok((rows.start, rows.end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Colour, Heat, Marker};

    #[test]
    fn a_grid_of_panels_renders() {
        let panel = || {
            Panel::new("p", "x", "y")
                .with(Layer::band(
                    "band",
                    &[0.0, 1.0],
                    &[-1.0, -1.0],
                    &[1.0, 2.0],
                    Colour::Mean,
                ))
                .with(Layer::line("line", vec![(0.0, 0.0), (1.0, 5.0)], 1))
                .with(Layer::points(
                    "star",
                    vec![(0.5, 0.0)],
                    Colour::Chosen,
                    Marker::Star,
                ))
                .with(Layer::shade("", 0.2, 0.4, Colour::Region))
                .with(Layer::vline(0.5, Colour::Truth))
        };
        let svg = Panel::grid("two", (900, 400), 2, &[panel(), panel()]).unwrap();
        assert!(svg.contains("<polygon"));
        assert!(panel().render((900, 560)).unwrap().contains("<svg"));
    }

    #[test]
    fn a_triangle_is_a_filled_polygon_of_three_corners() {
        let svg = Panel::new("p", "x", "y")
            .with(Layer::points("t", vec![(0.5, 0.5)], 2, Marker::Triangle))
            .render((900, 560))
            .unwrap();
        // The marker and its legend entry, in bluish green.
        let triangles: Vec<&str> = svg
            .lines()
            .filter(|l| l.contains("<polygon") && l.contains("fill=\"#009E73\""))
            .collect();
        assert_eq!(triangles.len(), 2);
        for t in triangles {
            let points = t.split("points=\"").nth(1).unwrap();
            let corners = points.split('"').next().unwrap();
            assert_eq!(corners.split_whitespace().count(), 3, "{t}");
        }
    }

    #[test]
    fn panels_of_heat_share_one_bar() {
        let window = ((0.0, 1.0), (0.0, 1.0));
        let heat = Heat::function(&|x, y| x * y, window, 10);
        let bar = ColourBar::new("xy", (0.0, 1.0), 4);
        let panel = || {
            let mut p =
                Panel::new("p", "x", "y").with(Layer::heat(heat.clone(), &bar));
            (p.x_range, p.y_range) = (Some(window.0), Some(window.1));
            p
        };
        let svg =
            Panel::grid_with_bar("two", (900, 400), 2, &[panel(), panel()], &bar)
                .unwrap();
        // One bar label, and the bar's top band once beside the two panels' cells.
        assert_eq!(svg.matches("\nxy\n</text>").count(), 1);
        let top = bar.band_colour(3);
        let top = format!("fill=\"#{:02X}{:02X}{:02X}\"", top.0, top.1, top.2);
        assert!(svg.matches(&top).count() >= 3);
        // Alone, a panel draws its own bar.
        let alone = panel().with_bar(bar.clone()).render((700, 500)).unwrap();
        assert_eq!(alone.matches("\nxy\n</text>").count(), 1);
    }
}
