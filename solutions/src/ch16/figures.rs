//! The chapter's figures: posterior snapshots, best-so-far and chosen points in 1-D; filled
//! contours of the two-basin surface with the runs' points; the seeds study.

use super::report::{band, best_curve};
use super::{Worked, BUDGET, LONG, METHODS, SHORT};
use crate::figures::{
    Colour, ColourBar, Heat, Layer, Legend, LinePlot, Marker, Panel,
};
use gradbo::test_functions::{two_basins, TestProblem, TwoBasins};
use gradbo_listings::ch16::bo_loop::State;

/// The 1-D states drawn, and the 2-D ones.
const SNAPSHOTS: [usize; 4] = [0, 2, 4, 6];
const STATES_2D: [usize; 3] = [0, 5, SHORT];
/// Filled contours: bands of F, and the cells per side they are drawn with.
const LEVELS: usize = 30;
const CELLS: usize = 100;
const BOX: (f64, f64) = (-3.0, 3.0);
/// The colours of the study's methods, in the order of `METHODS`.
const METHOD_COLOURS: [usize; 3] = [0, 1, 2];

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
    .with(Layer::band("μ ± 2σ", &grid, &lower, &upper, Colour::Mean))
    .with(Layer::line("true f", truth, Colour::Truth))
    .with(Layer::line(
        "posterior mean μ",
        grid.iter().copied().zip(s.mean.iter().copied()).collect(),
        Colour::Mean,
    ))
    .with(Layer::dots("observations", data, Colour::Observation));
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
            Colour::Chosen,
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
    Panel::grid(
        "The posterior as the loop runs (the last proposal is not evaluated)",
        (1300, 1000),
        2,
        &panels,
    )
    .expect("draws")
}

/// A best-so-far curve as steps: each value held until the next evaluation.
fn steps(best: &[f64]) -> Vec<(f64, f64)> {
    let mut steps: Vec<(f64, f64)> = Vec::new();
    for (k, &v) in best.iter().enumerate() {
        if let Some(&(_, previous)) = steps.last() {
            steps.push((k as f64, previous));
        }
        steps.push((k as f64, v));
    }
    steps
}

pub(crate) fn best_so_far_1d(w: &Worked) -> String {
    let last = &w.history[w.history.len() - 1];
    let best = best_curve(&last.y);
    let n0 = w.one_d.x.nrows();
    let after = (last.y.len() - n0) as f64;
    let f_star = w.one_d.f.optimal_value();
    let mut plot = LinePlot::new(
        "Best observed value, 1-D loop",
        "evaluations after the initial design",
        "best observed f",
    )
    .with(Layer::line("best so far", steps(&best[n0 - 1..]), 0))
    .with(Layer::dashed(
        format!("true minimum {f_star:.5}"),
        vec![(0.0, f_star), (after, f_star)],
        Colour::Truth,
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
        .with(Layer::line("true f", truth, Colour::Truth))
        .with(Layer::dots("initial data (noisy)", initial, Colour::Observation))
        .with(Layer::points(
            "chosen by the loop",
            picks.clone(),
            Colour::Chosen,
            Marker::Star,
        ));
    // Number the picks; picks close together are labelled one above another.
    for (k, &(x, y)) in picks.iter().enumerate() {
        let close = picks[..k].iter().filter(|p| (p.0 - x).abs() < 0.15).count();
        panel = panel.with(Layer::text(
            (x, y - 0.17 - 0.11 * close as f64),
            format!("{}", k + 1),
        ));
    }
    panel.x_range = Some(BOX);
    panel.y_range = Some((-1.6, 1.0));
    panel.render((900, 560)).expect("draws")
}

// ---------------------------------------------------------------- the plane

/// F sampled on the box, and the colour bar of its filled contours: LEVELS bands from
/// the smallest sampled value (or F*, if lower) to the largest.
fn surface_heat() -> (Heat, ColourBar) {
    let heat = Heat::function(&two_basins, (BOX, BOX), CELLS);
    let (lo, hi) = heat.range();
    let bar = ColourBar::new("F(x₁, x₂)", (lo.min(TwoBasins::MINIMUM), hi), LEVELS);
    (heat, bar)
}

/// Axes over the box with F's filled contours, the legend at the lower right.
fn plane_panel(title: &str) -> Panel {
    let (heat, bar) = surface_heat();
    let mut panel = Panel::new(title, "x₁", "x₂").with(Layer::heat(heat, &bar));
    panel.x_range = Some(BOX);
    panel.y_range = Some(BOX);
    panel.legend = Some(Legend::LowerRight);
    panel
}

fn rows(x: &ndarray::Array2<f64>) -> Vec<(f64, f64)> {
    x.rows().into_iter().map(|r| (r[0], r[1])).collect()
}

pub(crate) fn surface(w: &Worked) -> String {
    plane_panel("The two-basin surface F and the initial design")
        .with(Layer::dots("initial design", rows(&w.two_d.x), Colour::Observation))
        .with_bar(surface_heat().1)
        .render((1000, 860))
        .expect("draws")
}

pub(crate) fn short_run(w: &Worked) -> String {
    let panels: Vec<Panel> = STATES_2D
        .iter()
        .map(|&k| {
            let s = &w.short[k];
            plane_panel(&format!("state {k}: {} observations", s.y.len()))
                .with(Layer::dots("observed", rows(&s.x), Colour::Observation))
                .with(Layer::points(
                    "next candidate",
                    vec![(s.candidate[0], s.candidate[1])],
                    Colour::Chosen,
                    Marker::Star,
                ))
        })
        .collect();
    Panel::grid_with_bar(
        "Ten steps of the loop on F: states 0, 5 and 10",
        (1800, 700),
        3,
        &panels,
        &surface_heat().1,
    )
    .expect("draws")
}

/// Sampling order: light orange for the earliest points, full orange for the latest.
fn order_scale(t: f64) -> plotters::style::RGBColor {
    Colour::Chosen.tint(0.12 + 0.88 * t)
}

pub(crate) fn long_run(w: &Worked) -> String {
    let last = &w.long[LONG];
    let best = best_curve(&last.y);
    let n0 = w.two_d.x.nrows();
    let floor = TwoBasins::LOCAL_MINIMA[0].1;
    let mut left = Panel::new(
        "best observed F",
        "evaluations after the design",
        "best observed F",
    )
    .with(Layer::line("best so far", steps(&best[n0 - 1..]), 0))
    .with(Layer::dashed(
        format!("F* = {:.5}", TwoBasins::MINIMUM),
        vec![(0.0, TwoBasins::MINIMUM), (LONG as f64, TwoBasins::MINIMUM)],
        Colour::Truth,
    ))
    .with(Layer::dashed(
        format!("second basin {floor:.5}"),
        vec![(0.0, floor), (LONG as f64, floor)],
        2,
    ));
    left.x_range = Some((0.0, LONG as f64));
    left.y_range = Some((TwoBasins::MINIMUM - 0.05, 0.0));
    left.legend = Some(Legend::UpperRight);
    // All points coloured by sampling order.
    let n = last.y.len();
    let order =
        ColourBar::new("sampling order (0 = earliest)", (0.0, (n - 1) as f64), 50)
            .scale(order_scale);
    let ranks: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let mut right = plane_panel(&format!("all {n} points, by sampling order"))
        .with(Layer::graded("", &rows(&last.x), &ranks, &order))
        .with_bar(order);
    right.legend = None;
    Panel::grid("The 100-step run", (1700, 760), 2, &[left, right]).expect("draws")
}

pub(crate) fn seeds(w: &Worked) -> String {
    let top = w.curves.iter().map(|c| band(c, 0).2).fold(0.0, f64::max);
    let mut panel = Panel::new(
        "Regret over 10 seeds: median and inter-quartile band",
        "evaluations after the design",
        "regret F(best) − F*",
    );
    let evaluations: Vec<f64> = (0..=BUDGET).map(|k| k as f64).collect();
    let stats: Vec<Vec<(f64, f64, f64)>> = w
        .curves
        .iter()
        .map(|curves| (0..=BUDGET).map(|k| band(curves, k)).collect())
        .collect();
    // All bands first, then the medians over them.
    for (s, &c) in stats.iter().zip(&METHOD_COLOURS) {
        let lower: Vec<f64> = s.iter().map(|b| b.0).collect();
        let upper: Vec<f64> = s.iter().map(|b| b.2).collect();
        panel = panel.with(Layer::spread("", &evaluations, &lower, &upper, c));
    }
    for ((s, &c), (_, name)) in stats.iter().zip(&METHOD_COLOURS).zip(&METHODS) {
        let median = evaluations.iter().zip(s).map(|(&k, b)| (k, b.1)).collect();
        panel = panel.with(Layer::line(*name, median, c));
    }
    panel.x_range = Some((0.0, BUDGET as f64));
    panel.y_range = Some((0.0, 1.15 * top));
    panel.legend = Some(Legend::LowerLeft);
    panel.render((1000, 640)).expect("draws")
}
