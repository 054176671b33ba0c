//! The chapter's figures: posterior snapshots, best-so-far and chosen points in 1-D; filled
//! contours of the two-basin surface with the runs' points; the seeds study.

use super::report::{band, best_curve};
use super::{Worked, BUDGET, LONG, METHODS, SHORT};
use crate::panels::{self, Layer, Marker, Panel};
use crate::style::{
    colour, label_font, legend_font, svg, tick_font, tick_label, tint, title_font,
    DrawResult, Legend, LinePlot, Series, LINE,
};
use gradbo::test_functions::{two_basins, TestProblem, TwoBasins};
use gradbo_listings::ch16::bo_loop::State;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colour roles: the model blue, truth and data black, the next point vermilion.
const MODEL: usize = 0;
const NEXT: usize = 1;
const TRUTH: usize = 6;
/// The 1-D states drawn, and the 2-D ones.
const SNAPSHOTS: [usize; 4] = [0, 2, 4, 6];
const STATES_2D: [usize; 3] = [0, 5, SHORT];
/// Filled contours: bands of F, and the cells per side they are drawn with.
const LEVELS: usize = 30;
const CELLS: usize = 100;
const BOX: (f64, f64) = (-3.0, 3.0);

// ---------------------------------------------------------------- one dimension

fn posterior_panel(w: &Worked, s: &State, star: bool) -> Panel {
    let grid: Vec<f64> = w.one_d.grid.column(0).to_vec();
    let lower: Vec<f64> =
        s.mean.iter().zip(&s.sd).map(|(m, d)| m - 2.0 * d).collect();
    let upper: Vec<f64> =
        s.mean.iter().zip(&s.sd).map(|(m, d)| m + 2.0 * d).collect();
    let truth = grid.iter().map(|&x| (x, w.one_d.f.eval(x))).collect();
    let data = s.x.column(0).iter().copied().zip(s.y.iter().copied()).collect();
    let mut panel = Panel::new(
        &format!("state {}: {} observations", s.step, s.y.len()),
        "x",
        "f(x)",
    )
    .with(Layer::band("μ ± 2σ", &grid, &lower, &upper, MODEL))
    .with(Layer::line("true f", truth, TRUTH))
    .with(Layer::line(
        "posterior mean μ",
        grid.iter().copied().zip(s.mean.iter().copied()).collect(),
        MODEL,
    ))
    .with(Layer::points("observations", data, TRUTH, Marker::Dot));
    if star {
        let c = s.candidate[0];
        let i = (0..grid.len()).fold(0, |b, i| {
            if (grid[i] - c).abs() < (grid[b] - c).abs() {
                i
            } else {
                b
            }
        });
        panel = panel.with(Layer::points(
            "next candidate",
            vec![(c, s.mean[i])],
            NEXT,
            Marker::Star,
        ));
    }
    panel.x_range = Some(BOX);
    panel.y_range = Some((-1.6, 1.8));
    panel.legend = if s.step == 0 { Some(Legend::UpperLeft) } else { None };
    panel
}

pub(crate) fn snapshots(w: &Worked) -> String {
    let last = w.history.len() - 1;
    let panels: Vec<Panel> = SNAPSHOTS
        .iter()
        .map(|&k| posterior_panel(w, &w.history[k], k < last))
        .collect();
    panels::grid(
        "The posterior as the loop runs (the last state proposes nothing)",
        (1300, 1000),
        2,
        &panels,
    )
    .expect("draws")
}

pub(crate) fn best_so_far_1d(w: &Worked) -> String {
    let last = &w.history[w.history.len() - 1];
    let best = best_curve(&last.y);
    let n0 = w.one_d.x.nrows();
    let mut plot = LinePlot::new(
        "Best observed value, 1-D loop",
        "evaluations after the initial design",
        "best observed f",
    );
    let mut steps: Vec<(f64, f64)> = Vec::new();
    for k in 0..=(last.y.len() - n0) {
        let v = best[n0 - 1 + k];
        if k > 0 {
            steps.push((k as f64, steps[steps.len() - 1].1));
        }
        steps.push((k as f64, v));
    }
    let f_star = w.one_d.f.optimal_value();
    plot.series.push(Series::line("best so far", steps, MODEL));
    plot.series.push(Series::dashed(
        format!("true minimum {f_star:.5}"),
        vec![(0.0, f_star), ((last.y.len() - n0) as f64, f_star)],
        TRUTH,
    ));
    plot.y_range = Some((f_star - 0.02, best[n0 - 1] + 0.02));
    plot.render().expect("draws")
}

pub(crate) fn chosen(w: &Worked) -> String {
    let last = &w.history[w.history.len() - 1];
    let n0 = w.one_d.x.nrows();
    let grid: Vec<f64> = w.one_d.grid.column(0).to_vec();
    let truth = grid.iter().map(|&x| (x, w.one_d.f.eval(x))).collect();
    let initial = (0..n0).map(|i| (last.x[[i, 0]], last.y[i])).collect();
    let picks: Vec<(f64, f64)> =
        (n0..last.y.len()).map(|i| (last.x[[i, 0]], last.y[i])).collect();
    let mut panel = Panel::new("Where the six steps went", "x", "f(x)")
        .with(Layer::line("true f", truth, TRUTH))
        .with(Layer::points("initial data (noisy)", initial, TRUTH, Marker::Dot))
        .with(Layer::points(
            "chosen by the loop",
            picks.clone(),
            NEXT,
            Marker::Star,
        ));
    // Number the picks; picks close together are labelled one above another.
    for (k, &(x, y)) in picks.iter().enumerate() {
        let close = picks[..k].iter().filter(|p| (p.0 - x).abs() < 0.15).count();
        panel = panel.with(Layer::Text {
            at: (x, y - 0.13 - 0.11 * close as f64),
            text: format!("{}", k + 1),
        });
    }
    panel.x_range = Some(BOX);
    panel.y_range = Some((-1.6, 1.0));
    panel.legend = Some(Legend::UpperLeft);
    panels::figure(&panel, (900, 560)).expect("draws")
}

// ---------------------------------------------------------------- the plane

/// Viridis-like ramp: dark for low values.
fn ramp(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 5] =
        [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];
    let t = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let u = t - i as f64;
    let mix = |a: u8, b: u8| {
        (f64::from(a) + u * (f64::from(b) - f64::from(a))).round() as u8
    };
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Red ramp for sampling order: light for early points, dark for late ones.
fn order_colour(t: f64) -> RGBColor {
    tint(RGBColor(165, 0, 38), 0.15 + 0.85 * t.clamp(0.0, 1.0))
}

/// F's range over the box, sampled at the cell centres.
fn f_range() -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for (x1, x2) in cells() {
        let v = two_basins(x1, x2);
        lo = lo.min(v);
        hi = hi.max(v);
    }
    (lo.min(TwoBasins::MINIMUM), hi)
}

fn cell_width() -> f64 {
    (BOX.1 - BOX.0) / CELLS as f64
}

fn cells() -> impl Iterator<Item = (f64, f64)> {
    let h = cell_width();
    (0..CELLS).flat_map(move |j| {
        (0..CELLS).map(move |i| {
            (BOX.0 + (i as f64 + 0.5) * h, BOX.0 + (j as f64 + 0.5) * h)
        })
    })
}

fn level(v: f64, (lo, hi): (f64, f64)) -> usize {
    (((v - lo) / (hi - lo) * LEVELS as f64).floor() as usize).min(LEVELS - 1)
}

type PlaneChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Axes over the box with F's filled contours: each row of cells merged into runs of one
/// level, so the picture costs a rectangle per run rather than per cell.
fn contour_chart<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, Shift>,
    title: &str,
    range: (f64, f64),
) -> DrawResult<PlaneChart<'a, 'b>> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, label_font())
        .margin(12)
        .x_label_area_size(60)
        .y_label_area_size(70)
        .build_cartesian_2d(BOX.0..BOX.1, BOX.0..BOX.1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_label_formatter(&|v| tick_label(*v, false))
        .y_label_formatter(&|v| tick_label(*v, false))
        .x_labels(7)
        .y_labels(7)
        .x_desc("x₁")
        .y_desc("x₂")
        .axis_desc_style(tick_font())
        .label_style(tick_font())
        .axis_style(BLACK.stroke_width(2))
        .draw()?;
    let h = cell_width();
    let mut runs = Vec::new();
    for j in 0..CELLS {
        let y = BOX.0 + (j as f64 + 0.5) * h;
        let mut start = 0;
        let mut current = level(two_basins(BOX.0 + 0.5 * h, y), range);
        for i in 1..=CELLS {
            let next = (i < CELLS)
                .then(|| level(two_basins(BOX.0 + (i as f64 + 0.5) * h, y), range));
            if next != Some(current) {
                let fill = ramp((current as f64 + 0.5) / LEVELS as f64);
                runs.push(Rectangle::new(
                    [
                        (BOX.0 + start as f64 * h, BOX.0 + j as f64 * h),
                        // A third of a cell of overlap, drawn over by the next run and
                        // row, so that no hairline of background shows between them.
                        (
                            (BOX.0 + (i as f64 + 0.3) * h).min(BOX.1),
                            (BOX.0 + (j as f64 + 1.3) * h).min(BOX.1),
                        ),
                    ],
                    fill.filled(),
                ));
                start = i;
                if let Some(n) = next {
                    current = n;
                }
            }
        }
    }
    chart.draw_series(runs)?;
    Ok(chart)
}

/// A colour bar in `area`, from `lo` to `hi`, coloured by `paint`.
fn colour_bar(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    label: &str,
    (lo, hi): (f64, f64),
    steps: usize,
    paint: impl Fn(f64) -> RGBColor,
) -> DrawResult {
    let mut chart = ChartBuilder::on(area)
        .margin_top(50)
        .margin_bottom(72)
        .margin_right(8)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..1.0, lo..hi)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_label_formatter(&|v| tick_label(*v, false))
        .y_labels(6)
        .y_desc(label)
        .axis_desc_style(tick_font())
        .label_style(tick_font())
        .draw()?;
    let d = (hi - lo) / steps as f64;
    chart.draw_series((0..steps).map(|k| {
        let a = lo + k as f64 * d;
        Rectangle::new(
            [(0.0, a), (1.0, a + d)],
            paint((k as f64 + 0.5) / steps as f64).filled(),
        )
    }))?;
    Ok(())
}

fn star(r: i32) -> Vec<(i32, i32)> {
    (0..10)
        .map(|k| {
            let a = std::f64::consts::PI * (k as f64 / 5.0 - 0.5);
            let r = if k % 2 == 0 { f64::from(r) } else { 0.45 * f64::from(r) };
            ((r * a.cos()).round() as i32, (r * a.sin()).round() as i32)
        })
        .collect()
}

/// Observed points: white with a black edge.
fn draw_points<'a, 'b: 'a>(
    chart: &mut PlaneChart<'a, 'b>,
    points: &[(f64, f64)],
    label: &str,
) -> DrawResult {
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
    Ok(())
}

fn draw_star<'a, 'b: 'a>(
    chart: &mut PlaneChart<'a, 'b>,
    at: (f64, f64),
    label: &str,
) -> DrawResult {
    let c = colour(NEXT);
    let mut outline = star(15);
    outline.push(outline[0]);
    let closed = outline.clone();
    chart
        .draw_series([EmptyElement::at(at)
            + Polygon::new(star(15), c.filled())
            + PathElement::new(outline, BLACK.stroke_width(2))])?
        .label(label)
        .legend(move |(x, y)| {
            EmptyElement::at((x + 15, y))
                + Polygon::new(star(12), c.filled())
                + PathElement::new(closed.clone(), BLACK.stroke_width(1))
        });
    Ok(())
}

fn legend<'a, 'b: 'a>(chart: &mut PlaneChart<'a, 'b>) -> DrawResult {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font(legend_font())
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

fn rows(x: &ndarray::Array2<f64>) -> Vec<(f64, f64)> {
    x.rows().into_iter().map(|r| (r[0], r[1])).collect()
}

pub(crate) fn surface(w: &Worked) -> String {
    let range = f_range();
    svg((1000, 860), |root| {
        let body = root.titled(
            "The two-basin surface F and the initial design",
            title_font(),
        )?;
        let (plot, bar) = body.split_horizontally(860);
        let mut chart = contour_chart(&plot, "", range)?;
        draw_points(&mut chart, &rows(&w.two_d.x), "initial design")?;
        legend(&mut chart)?;
        colour_bar(&bar, "F(x₁, x₂)", range, LEVELS, ramp)
    })
    .expect("draws")
}

pub(crate) fn short_run(w: &Worked) -> String {
    let range = f_range();
    svg((1800, 700), |root| {
        let body = root.titled(
            "Ten steps of the loop on F: states 0, 5 and 10",
            title_font(),
        )?;
        let (plots, bar) = body.split_horizontally(1640);
        for (area, &k) in plots.split_evenly((1, 3)).iter().zip(&STATES_2D) {
            let s = &w.short[k];
            let mut chart = contour_chart(
                area,
                &format!("state {k}: {} observations", s.y.len()),
                range,
            )?;
            draw_points(&mut chart, &rows(&s.x), "observed")?;
            draw_star(
                &mut chart,
                (s.candidate[0], s.candidate[1]),
                "next candidate",
            )?;
            legend(&mut chart)?;
        }
        colour_bar(&bar, "F(x₁, x₂)", range, LEVELS, ramp)
    })
    .expect("draws")
}

pub(crate) fn long_run(w: &Worked) -> String {
    let range = f_range();
    let last = &w.long[LONG];
    let best = best_curve(&last.y);
    let n0 = w.two_d.x.nrows();
    svg((1700, 760), |root| {
        let body = root.titled("The 100-step run", title_font())?;
        let (left, right) = body.split_horizontally(760);
        // Best so far against evaluations after the design.
        let mut chart = ChartBuilder::on(&left)
            .caption("best observed F", label_font())
            .margin(16)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(
                0.0..LONG as f64,
                (TwoBasins::MINIMUM - 0.05)..0.0,
            )?;
        chart
            .configure_mesh()
            .x_label_formatter(&|v| tick_label(*v, false))
            .y_label_formatter(&|v| tick_label(*v, false))
            .x_desc("evaluations after the design")
            .y_desc("best observed F")
            .axis_desc_style(tick_font())
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()?;
        let mut steps: Vec<(f64, f64)> = Vec::new();
        for k in 0..=LONG {
            let v = best[n0 - 1 + k];
            if let Some(&(_, prev)) = steps.last() {
                steps.push((k as f64, prev));
            }
            steps.push((k as f64, v));
        }
        let blue = colour(MODEL);
        chart
            .draw_series(LineSeries::new(steps, blue.stroke_width(LINE)))?
            .label("best so far")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 30, y)], blue.stroke_width(LINE))
            });
        let floor = TwoBasins::LOCAL_MINIMA[0].1;
        for (v, label, c) in [
            (TwoBasins::MINIMUM, format!("F* = {:.5}", TwoBasins::MINIMUM), TRUTH),
            (floor, format!("second basin {floor:.5}"), 2),
        ] {
            let style = colour(c).stroke_width(2);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(0.0, v), (LONG as f64, v)],
                    12,
                    8,
                    style,
                ))?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 30, y)], style)
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(legend_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
        // All points coloured by sampling order.
        let (plot, bar) = right.split_horizontally(810);
        let mut chart =
            contour_chart(&plot, "all 106 points, by sampling order", range)?;
        let n = last.y.len();
        chart.draw_series(last.x.rows().into_iter().enumerate().map(
            |(i, r)| {
                let c = order_colour(i as f64 / (n - 1) as f64);
                EmptyElement::at((r[0], r[1]))
                    + Circle::new((0, 0), 7, c.filled())
                    + Circle::new((0, 0), 7, BLACK.stroke_width(1))
            },
        ))?;
        colour_bar(
            &bar,
            "sampling order (0 = earliest)",
            (0.0, (n - 1) as f64),
            50,
            order_colour,
        )
    })
    .expect("draws")
}

pub(crate) fn seeds(w: &Worked) -> String {
    let top = w.curves.iter().map(|c| band(c, 0).2).fold(0.0, f64::max);
    svg((1000, 640), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Regret over 10 seeds: median and inter-quartile band",
                title_font(),
            )
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(100)
            .build_cartesian_2d(0.0..BUDGET as f64, 0.0..(1.15 * top))?;
        chart
            .configure_mesh()
            .x_label_formatter(&|v| tick_label(*v, false))
            .y_label_formatter(&|v| tick_label(*v, false))
            .x_desc("evaluations after the design")
            .y_desc("regret F(best) − F*")
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()?;
        for (m, ((_, name), curves)) in METHODS.iter().zip(&w.curves).enumerate() {
            let c = colour([MODEL, NEXT, 2][m]);
            let stats: Vec<(f64, f64, f64)> =
                (0..=BUDGET).map(|k| band(curves, k)).collect();
            let mut outline: Vec<(f64, f64)> =
                stats.iter().enumerate().map(|(k, s)| (k as f64, s.2)).collect();
            outline.extend(
                stats.iter().enumerate().rev().map(|(k, s)| (k as f64, s.0)),
            );
            chart.draw_series([Polygon::new(outline, c.mix(0.18).filled())])?;
            let style = c.stroke_width(LINE);
            chart
                .draw_series(LineSeries::new(
                    stats.iter().enumerate().map(|(k, s)| (k as f64, s.1)),
                    style,
                ))?
                .label(*name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 30, y)], style)
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .label_font(legend_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
    .expect("draws")
}
