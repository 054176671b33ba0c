//! The figures of chapter 17: for each comparison, best-so-far medians with quartile bands
//! beside one representative seed's points on filled contours; the two designs; the learned
//! hyperparameters.

use super::experiments::Comparison;
use super::{band, model_units, representative};
use crate::style::{
    colour, label_font, legend_font, svg, tick_font, tick_label, tint, title_font,
    DrawResult, LINE,
};
use gradbo::test_functions::{two_basins, TwoBasins};
use gradbo_listings::ch17::choices::{Run, CLUSTERED, SPACE_FILLING, STEPS};
use gradbo_listings::ch17::evidence::quantile;
use plotters::coord::Shift;
use plotters::prelude::*;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// A labelled point set and its marker.
type PointSet<'a> = (&'a str, &'a Vec<(f64, f64)>, Mark);
/// A labelled line: points, palette index, dashed.
type Line<'a> = (&'a str, Vec<(f64, f64)>, usize, bool);

/// Grid cells per side of the filled contours.
const CELLS: usize = 90;
/// Filled-contour levels.
const LEVELS: usize = 14;
/// The range of F the colour scale covers (F on [−3, 3]² lies within it).
const F_RANGE: (f64, f64) = (-0.9, 0.9);

fn draw(size: (u32, u32), f: impl FnOnce(&Area<'_>) -> DrawResult) -> String {
    svg(size, f).expect("chapter 17's figures draw")
}

/// A comparison: best-so-far over seeds (left), one seed's points on the surface (right).
pub fn comparison(c: &Comparison, runs: &[Vec<Run>; 2]) -> String {
    draw((1500, 620), |root| {
        let (left, right) = root.split_horizontally(760);
        best_panel(&left, c, runs)?;
        let seed = representative(runs);
        let points = [0, 1].map(|v| {
            let r = &runs[v][seed];
            (
                c.variants[v].0,
                r.x.rows().into_iter().map(|p| (p[0], p[1])).collect(),
            )
        });
        contour_panel(
            &right,
            &format!("Evaluated points, seed {seed}"),
            &[
                (points[0].0, &points[0].1, Mark::Circle),
                (points[1].0, &points[1].1, Mark::Square),
            ],
        )
    })
}

/// The space-filling and the clustered designs on the surface.
pub fn designs() -> String {
    draw((1500, 620), |root| {
        let (left, right) = root.split_horizontally(750);
        for (area, name, design) in [
            (&left, "Space-filling design", SPACE_FILLING),
            (&right, "Clustered design", CLUSTERED),
        ] {
            let pts: Vec<(f64, f64)> =
                design.iter().map(|p| (p[0], p[1])).collect();
            contour_panel(area, name, &[("design", &pts, Mark::Circle)])?;
        }
        Ok(())
    })
}

/// Lengthscales and noise against step, medians over seeds, each run in its own units.
pub fn hyperparameters(runs: &[Vec<Run>; 2]) -> String {
    let medians = |v: usize, k: usize| -> Vec<(f64, f64)> {
        let units: Vec<_> =
            runs[v].iter().map(|r| model_units(r, v == 0)).collect();
        (0..STEPS)
            .map(|s| {
                let at: Vec<f64> = units
                    .iter()
                    .map(|u| if k < 2 { u[s].0[k] } else { u[s].1 })
                    .collect();
                ((s + 1) as f64, quantile(&at, 0.5))
            })
            .collect()
    };
    draw((1500, 620), |root| {
        let (left, right) = root.split_horizontally(750);
        let lines = [
            ("ℓ₁, on (normalised)", medians(0, 0), 0, false),
            ("ℓ₂, on (normalised)", medians(0, 1), 2, false),
            ("ℓ₁, off (data units)", medians(1, 0), 1, true),
            ("ℓ₂, off (data units)", medians(1, 1), 3, true),
        ];
        log_panel(
            &left,
            "Learned lengthscales",
            "lengthscale",
            (0.03, 20.0),
            &lines,
        )?;
        let lines = [
            ("σₙ², on (standardised)", medians(0, 2), 0, false),
            ("σₙ², off (data units)", medians(1, 2), 1, true),
        ];
        log_panel(
            &right,
            "Learned noise variance",
            "noise variance",
            (3e-5, 0.3),
            &lines,
        )
    })
}

fn best_panel(area: &Area<'_>, c: &Comparison, runs: &[Vec<Run>; 2]) -> DrawResult {
    let bands = [band(&runs[0]), band(&runs[1])];
    let top =
        bands.iter().flat_map(|b| b.iter().map(|m| m[2])).fold(f64::MIN, f64::max);
    let (lo, hi) = (TwoBasins::MINIMUM - 0.05, top + 0.05);
    let mut chart = ChartBuilder::on(area)
        .caption(c.title, title_font())
        .margin(20)
        .x_label_area_size(70)
        .y_label_area_size(100)
        .build_cartesian_2d(0f64..STEPS as f64, lo..hi)?;
    chart
        .configure_mesh()
        .x_desc("step")
        .y_desc("best F so far (noise-free)")
        .y_label_formatter(&|v| tick_label(*v, false))
        .axis_desc_style(label_font())
        .label_style(tick_font())
        .axis_style(BLACK.stroke_width(2))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(210, 210, 210))
        .draw()?;
    for (v, b) in bands.iter().enumerate() {
        let col = colour(v);
        let upper = b.iter().enumerate().map(|(s, m)| (s as f64, m[2]));
        let lower = b.iter().enumerate().rev().map(|(s, m)| (s as f64, m[1]));
        chart.draw_series(std::iter::once(Polygon::new(
            upper.chain(lower).collect::<Vec<_>>(),
            tint(col, 0.25).mix(0.6).filled(),
        )))?;
    }
    for (v, b) in bands.iter().enumerate() {
        let col = colour(v);
        let median = b.iter().enumerate().map(|(s, m)| (s as f64, m[0]));
        chart
            .draw_series(LineSeries::new(median, col.stroke_width(LINE)))?
            .label(format!("{} (median, quartiles)", c.variants[v].0))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 30, y)], col.stroke_width(LINE))
            });
    }
    let star = [(0.0, TwoBasins::MINIMUM), (STEPS as f64, TwoBasins::MINIMUM)];
    chart
        .draw_series(DashedLineSeries::new(star, 12, 8, BLACK.stroke_width(2)))?
        .label("F* (global minimum)")
        .legend(|(x, y)| {
            PathElement::new(vec![(x, y), (x + 12, y)], BLACK.stroke_width(2))
        });
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(legend_font())
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

#[derive(Clone, Copy)]
enum Mark {
    Circle,
    Square,
}

/// Viridis, from five anchors: dark violet (low F) to yellow (high F).
fn viridis(t: f64) -> RGBColor {
    const A: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let x = t.clamp(0.0, 1.0) * 4.0;
    let i = (x.floor() as usize).min(3);
    let f = x - i as f64;
    let mix = |a: f64, b: f64| (a + f * (b - a)).round() as u8;
    RGBColor(
        mix(A[i].0, A[i + 1].0),
        mix(A[i].1, A[i + 1].1),
        mix(A[i].2, A[i + 1].2),
    )
}

/// The level of a value: 0 … LEVELS − 1.
fn level(v: f64) -> usize {
    let t = (v - F_RANGE.0) / (F_RANGE.1 - F_RANGE.0);
    ((t * LEVELS as f64).floor().max(0.0) as usize).min(LEVELS - 1)
}

fn level_colour(k: usize) -> RGBColor {
    viridis((k as f64 + 0.5) / LEVELS as f64)
}

/// Filled contours of F on [−3, 3]² with a colour bar, and point sets on top.
fn contour_panel(
    area: &Area<'_>,
    title: &str,
    sets: &[PointSet<'_>],
) -> DrawResult {
    let (plot, bar) = area.split_horizontally(area.dim_in_pixel().0 - 130);
    let mut chart = ChartBuilder::on(&plot)
        .caption(title, title_font())
        .margin(20)
        .x_label_area_size(70)
        .y_label_area_size(80)
        .build_cartesian_2d(-3f64..3f64, -3f64..3f64)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("x₁")
        .y_desc("x₂")
        .axis_desc_style(label_font())
        .label_style(tick_font())
        .axis_style(BLACK.stroke_width(2))
        .draw()?;
    // Cells of one level next to each other in a row are drawn as one rectangle.
    let h = 6.0 / CELLS as f64;
    let mut cells = Vec::new();
    for j in 0..CELLS {
        let y = -3.0 + h * j as f64;
        let levels: Vec<usize> = (0..CELLS)
            .map(|i| level(two_basins(-3.0 + h * (i as f64 + 0.5), y + 0.5 * h)))
            .collect();
        let mut start = 0;
        for i in 1..=CELLS {
            if i == CELLS || levels[i] != levels[start] {
                let (x0, x1) = (-3.0 + h * start as f64, -3.0 + h * i as f64);
                // A sliver of overlap: abutting edges would leave hairline seams.
                cells.push(Rectangle::new(
                    [(x0, y), (x1 + 0.01 * h, (y + 1.04 * h).min(3.0))],
                    level_colour(levels[start]).filled(),
                ));
                start = i;
            }
        }
    }
    chart.draw_series(cells)?;
    let [a, b] = TwoBasins::MINIMISER;
    chart
        .draw_series(std::iter::once(Cross::new((a, b), 9, WHITE.stroke_width(3))))?
        .label("global minimum")
        .legend(|(x, y)| Cross::new((x + 15, y), 7, BLACK.stroke_width(3)));
    for &(label, points, mark) in sets {
        match mark {
            Mark::Circle => {
                chart
                    .draw_series(points.iter().map(|&p| {
                        EmptyElement::at(p)
                            + Circle::new((0, 0), 7, WHITE.filled())
                            + Circle::new((0, 0), 7, BLACK.stroke_width(2))
                    }))?
                    .label(label)
                    .legend(|(x, y)| {
                        EmptyElement::at((x + 15, y))
                            + Circle::new((0, 0), 7, WHITE.filled())
                            + Circle::new((0, 0), 7, BLACK.stroke_width(2))
                    });
            }
            Mark::Square => {
                let square = |c: (i32, i32)| {
                    EmptyElement::at(c)
                        + Rectangle::new([(-6, -6), (6, 6)], colour(1).filled())
                        + Rectangle::new([(-6, -6), (6, 6)], WHITE.stroke_width(2))
                };
                chart
                    .draw_series(points.iter().map(|&p| {
                        EmptyElement::at(p)
                            + Rectangle::new([(-6, -6), (6, 6)], colour(1).filled())
                            + Rectangle::new(
                                [(-6, -6), (6, 6)],
                                WHITE.stroke_width(2),
                            )
                    }))?
                    .label(label)
                    .legend(move |(x, y)| square((x + 15, y)));
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font(legend_font())
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    colour_bar(&bar)
}

/// A vertical bar of the contour levels with their values.
fn colour_bar(area: &Area<'_>) -> DrawResult {
    let mut chart = ChartBuilder::on(area)
        .margin_top(60)
        .margin_bottom(90)
        .margin_right(10)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..1f64, F_RANGE.0..F_RANGE.1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_desc("F")
        .y_labels(7)
        .y_label_formatter(&|v| tick_label(*v, false))
        .axis_desc_style(label_font())
        .label_style(tick_font())
        .draw()?;
    let step = (F_RANGE.1 - F_RANGE.0) / LEVELS as f64;
    chart.draw_series((0..LEVELS).map(|k| {
        let y = F_RANGE.0 + step * k as f64;
        Rectangle::new([(0.0, y), (1.0, y + step)], level_colour(k).filled())
    }))?;
    Ok(())
}

fn log_panel(
    area: &Area<'_>,
    title: &str,
    y_label: &str,
    range: (f64, f64),
    lines: &[Line<'_>],
) -> DrawResult {
    let mut chart = ChartBuilder::on(area)
        .caption(title, title_font())
        .margin(20)
        .x_label_area_size(70)
        .y_label_area_size(100)
        .build_cartesian_2d(1f64..STEPS as f64, (range.0..range.1).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("step (median over seeds)")
        .y_desc(y_label)
        .y_label_formatter(&|v| tick_label(*v, true))
        .axis_desc_style(label_font())
        .label_style(tick_font())
        .axis_style(BLACK.stroke_width(2))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(210, 210, 210))
        .draw()?;
    for (label, points, c, dashed) in lines {
        let col = colour(*c);
        let style = col.stroke_width(LINE);
        let drawn = if *dashed {
            chart.draw_series(DashedLineSeries::new(
                points.clone(),
                12,
                8,
                style,
            ))?
        } else {
            chart.draw_series(LineSeries::new(points.clone(), style))?
        };
        let dashed = *dashed;
        drawn.label(*label).legend(move |(x, y)| {
            let style = col.stroke_width(LINE);
            let (end, start) = if dashed { (11, 19) } else { (15, 15) };
            EmptyElement::at((x, y))
                + PathElement::new(vec![(0, 0), (end, 0)], style)
                + PathElement::new(vec![(start, 0), (30, 0)], style)
        });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(legend_font())
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
