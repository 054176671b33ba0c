//! The study's figures: regret of the best against evaluations for each problem, and
//! the seconds per iteration of each loop.

use super::{Study, BOTORCH, DEFAULT, METHODS, PROBLEMS, SPEND, TURBO};
use crate::figures::{extent, DrawResult, Layer, Legend, LinePlot, Marker, Panel};

/// Each loop's palette entry, the same in both figures.
fn colour(method: usize) -> usize {
    match method {
        BOTORCH => 1,
        SPEND => 0,
        DEFAULT => 2,
        _ => 3,
    }
}

/// The panel that carries the one legend: Rosenbrock-10's, whose curves fall early and
/// leave its upper right free once the window is raised to hold the legend.
const LEGEND_PANEL: usize = 4;

/// Median log₁₀ regret of the best against evaluations, one panel per problem: BoTorch's
/// default loop and gradbo's spend mode with the range over their seeds as a band,
/// gradbo's default loop and BoTorch's TuRBO (where it ran) as dashed medians.
pub fn regret(study: &Study) -> DrawResult<String> {
    let panels: Vec<Panel> = PROBLEMS
        .iter()
        .enumerate()
        .map(|(p, problem)| {
            let mut panel = Panel::new(
                problem.title,
                "evaluations",
                "log₁₀ regret of the best",
            );
            // The bands first, the medians on top of them. A band shares its median's
            // legend entry, which the figure's title explains.
            for m in [BOTORCH, SPEND] {
                if let Some(runs) = study.get(p, m) {
                    let (x, _, lo, hi) = runs.curves();
                    panel = panel.with(Layer::spread("", &x, &lo, &hi, colour(m)));
                }
            }
            for m in [BOTORCH, SPEND, DEFAULT, TURBO] {
                let Some(runs) = study.get(p, m) else { continue };
                let (x, med, _, _) = runs.curves();
                let points = x.into_iter().zip(med).collect();
                let label = METHODS[m].name;
                panel = panel.with(if m == BOTORCH || m == SPEND {
                    Layer::line(label, points, colour(m))
                } else {
                    Layer::dashed(label, points, colour(m))
                });
            }
            panel.x_range = Some((1.0, problem.budget as f64));
            panel.legend = None;
            if p == LEGEND_PANEL {
                let y = panel.layers.iter().flat_map(Layer::data).map(|d| d.1);
                let (lo, hi) = y
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                        (lo.min(v), hi.max(v))
                    });
                if lo < hi {
                    let span = hi - lo;
                    panel.y_range = Some((lo - 0.05 * span, hi + 0.5 * span));
                }
                panel.legend = Some(Legend::UpperRight);
            }
            panel
        })
        .collect();
    Panel::grid(
        "Regret of the best point found: the median over seeds (lines) and the least to \
         the greatest (bands)",
        (1500, 1000),
        3,
        &panels,
    )
}

/// Median seconds per iteration of BoTorch's default loop, gradbo's spend mode and
/// gradbo's default loop on each problem, side by side on a logarithmic axis.
pub fn seconds(study: &Study) -> DrawResult<String> {
    let shown = [
        (BOTORCH, Marker::Square),
        (SPEND, Marker::Dot),
        (DEFAULT, Marker::Triangle),
    ];
    let names = PROBLEMS
        .iter()
        .map(|p| p.title.split(" (").next().unwrap_or(p.title).into());
    let mut plot = LinePlot::new(
        "the median over every iteration of every seed",
        "problem",
        "seconds per iteration",
    )
    .with_x_levels(names.collect());
    for (k, &(m, marker)) in shown.iter().enumerate() {
        let offset = 0.22 * (k as f64 - 1.0);
        let points = (0..PROBLEMS.len())
            .filter_map(|p| {
                let secs = if m == BOTORCH {
                    study.botorch_seconds(p)?
                } else {
                    study.get(p, m)?.median_seconds()?
                };
                Some((p as f64 + offset, secs))
            })
            .collect();
        plot = plot.with(Layer::points(METHODS[m].name, points, colour(m), marker));
    }
    // Whole decades (a little beyond, so that their ticks are labelled), and one more
    // above the points for the legend.
    let data = plot.layers.iter().flat_map(Layer::data).map(|p| p.1);
    let (lo, hi) = extent(data, true);
    let decade = |v: f64, up: bool| {
        let e = v.log10();
        10f64.powf(if up { e.ceil() } else { e.floor() })
    };
    plot.y_range =
        Some((decade(lo * 1.5, false) * 0.95, decade(hi / 1.5, true) * 10.5));
    plot.y_log = true;
    plot.legend = Legend::UpperLeft;
    LinePlot::grid("Seconds per iteration of three loops", (1200, 600), 1, &[plot])
}
