//! Cell grids: small matrices drawn as labelled, shaded cells, several panels under
//! one title (memory layouts, broadcasting, Jacobians).

use super::colour::{tint, Colour};
use super::style::{
    annotation_font, label_font, svg, tick_font, title_font, DrawResult,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One panel of a [`cell_grids`] figure: a small matrix drawn as labelled, shaded
/// cells.
pub struct CellGrid {
    /// Panel title.
    pub title: String,
    /// The text written in each cell (row-major, `rows × cols`).
    pub labels: Vec<Vec<String>>,
    /// How strongly each cell is shaded, in [0, 1].
    pub shade: Vec<Vec<f64>>,
    /// The shading colour.
    pub colour: Colour,
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
    let fill = panel.colour.rgb();
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
