//! Bar charts over named categories, grouped or stacked.

use super::colour::colour;
use super::style::{
    label_font, legend_font, svg, tick_font, tick_label, title_font, DrawResult,
    SIZE,
};
use plotters::prelude::*;

/// A bar chart over named categories: one bar per category for each group, side by side, or
/// stacked when `stacked` is set. Groups are (legend label, one value per category, palette
/// index).
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
