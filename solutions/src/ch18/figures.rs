//! The figures of chapter 18: the single campaign's diagnostics (best so far, the
//! incumbent's coordinates, lengthscales and noise) and the comparisons over seeds
//! (dimensions on a log axis, budgets against evaluations).

use super::reading::variance;
use crate::figures::{Colour, Layer, Legend, LinePlot};
use gradbo::bo::CampaignResult;
use gradbo::test_functions::ShiftedRosenbrock;
use gradbo_listings::ch18::campaign::{lengthscales, noise, regret};
use gradbo_listings::ch18::compare::{self, quartiles, Arm};

/// Two plots side by side.
const WIDE: (u32, u32) = (1500, 620);
/// The offset added to the regret on a logarithmic axis, where 0 has no place.
pub const LOG_OFFSET: f64 = 1e-6;

/// The best value so far against step, with the minimum R* = 0 dashed.
pub fn best_so_far(main: &CampaignResult) -> String {
    let b = main.best_so_far();
    let steps = (b.len() - 1) as f64;
    let mut plot = LinePlot::new(
        &format!("Best value so far, d = {}", main.dim()),
        "step (0: the Sobol design)",
        "best R so far",
    )
    .with(Layer::dashed(
        "R* = 0, the minimum",
        vec![(0.0, 0.0), (steps, 0.0)],
        Colour::Truth,
    ))
    .with(Layer::line("best R so far", held(&b), Colour::Mean));
    plot.x_range = Some((0.0, steps));
    plot.y_range = Some((-0.04 * b[0], 1.08 * b[0]));
    plot.render().expect("chapter 18's figures draw")
}

/// Each coordinate of the incumbent against step, held between steps, with the minimiser's
/// coordinate dashed in the same colour.
pub fn incumbent(main: &CampaignResult) -> String {
    let inc = main.incumbents();
    let steps = (inc.nrows() - 1) as f64;
    let c = ShiftedRosenbrock::new(main.dim()).expect("d ≥ 2").centres().clone();
    let mut plot = LinePlot::new(
        "Coordinates of the best point so far",
        "step (0: the Sobol design)",
        "coordinate",
    );
    for (j, name) in main.names.iter().enumerate() {
        plot = plot.with(Layer::dashed("", vec![(0.0, c[j]), (steps, c[j])], j));
        let v: Vec<f64> = inc.column(j).to_vec();
        plot = plot.with(Layer::line(
            format!("{name} (dashed: its minimiser {:+.2})", c[j]),
            held(&v),
            j,
        ));
    }
    plot.x_range = Some((0.0, steps));
    plot.y_range = Some((-2.0, 3.6));
    plot.legend = Legend::UpperRight;
    plot.render().expect("chapter 18's figures draw")
}

/// The lengthscales (data units) and the noise variance (as a fraction of the observations'
/// variance, the units the model is fitted in) against step.
pub fn hyperparameters(main: &CampaignResult) -> String {
    let l = lengthscales(main);
    let steps = l.nrows() as f64;
    let mut ls =
        LinePlot::new("Learned lengthscales", "step", "lengthscale (box width 4)");
    ls.y_log = true;
    for (j, name) in main.names.iter().enumerate() {
        let points = (0..l.nrows()).map(|k| ((k + 1) as f64, l[[k, j]])).collect();
        ls = ls.with(Layer::line(format!("ℓ({name})"), points, j));
    }
    ls.x_range = Some((1.0, steps));
    ls.y_range = Some((0.1, 100.0));
    ls.legend = Legend::UpperLeft;
    let s = noise(main);
    let y = main.y.as_slice().unwrap_or(&[]);
    let relative: Vec<(f64, f64)> = main
        .history
        .iter()
        .enumerate()
        .map(|(k, h)| ((k + 1) as f64, s[k] / variance(&y[..h.observations])))
        .collect();
    let mut nz = LinePlot::new(
        "Learned noise variance",
        "step",
        "σₙ² / variance of the observations",
    )
    .with(Layer::dashed(
        "the fit's floor, 10⁻⁴",
        vec![(1.0, 1e-4), (steps, 1e-4)],
        Colour::Truth,
    ))
    .with(Layer::line("σₙ² (standardised units)", relative, Colour::Mean));
    nz.y_log = true;
    nz.x_range = Some((1.0, steps));
    nz.y_range = Some((3e-5, 1.0));
    LinePlot::grid("What the model learned at each step", WIDE, 2, &[ls, nz])
        .expect("chapter 18's figures draw")
}

/// Regret against step for d = 2, 4, 8: medians over seeds with quartile bands, on a log
/// axis (regret + 10⁻⁶).
pub fn dimensions_plot(runs: &[Vec<CampaignResult>]) -> LinePlot {
    let arms = compare::dimensions();
    let mut plot = LinePlot::new(
        "Same steps, more dimensions",
        "step (0: the Sobol design of 2d points)",
        "regret R(best) − R* + 10⁻⁶",
    );
    plot.y_log = true;
    plot = with_bands(
        plot,
        &arms,
        runs,
        |_, k| k as f64,
        LOG_OFFSET,
        |a| format!("d = {} ({} + {} evaluations)", a.dim, a.n_init, a.steps),
    );
    plot.x_range = Some((0.0, 30.0));
    plot.y_range = Some((1e-3, 1e4));
    plot.legend = Legend::LowerLeft;
    plot
}

/// The dimension comparison's figure.
pub fn dimensions(runs: &[Vec<CampaignResult>]) -> String {
    dimensions_plot(runs).render().expect("chapter 18's figures draw")
}

/// Regret against evaluations for the three budgets in d = 5, each from the end of its
/// design: medians over seeds with quartile bands, on a linear axis.
pub fn budgets(runs: &[Vec<CampaignResult>]) -> String {
    let arms = budgets_arms();
    let mut plot = LinePlot::new(
        "Three budgets in d = 5",
        "evaluations (each curve starts after its Sobol design)",
        "regret R(best) − R*",
    );
    plot = with_bands(
        plot,
        &arms,
        runs,
        |a, k| (a.n_init + k) as f64,
        0.0,
        |a| format!("{} + {} = {} evaluations", a.n_init, a.steps, a.evaluations()),
    );
    let top = runs
        .iter()
        .flat_map(|rs| quartiles(&rs.iter().map(regret).collect::<Vec<_>>()))
        .map(|q| q[2])
        .fold(0.0, f64::max);
    plot.x_range = Some((0.0, 56.0));
    plot.y_range = Some((0.0, 1.05 * top));
    plot.render().expect("chapter 18's figures draw")
}

fn budgets_arms() -> [Arm; 3] {
    compare::budgets()
}

/// Median lines and quartile bands of the regret for each arm, at x = `x(arm, k)` for
/// the k-th value of a run, plus `offset`.
fn with_bands(
    mut plot: LinePlot,
    arms: &[Arm],
    runs: &[Vec<CampaignResult>],
    x: impl Fn(&Arm, usize) -> f64,
    offset: f64,
    label: impl Fn(&Arm) -> String,
) -> LinePlot {
    let summaries: Vec<Vec<[f64; 3]>> = runs
        .iter()
        .map(|rs| quartiles(&rs.iter().map(regret).collect::<Vec<_>>()))
        .collect();
    for (i, (arm, q)) in arms.iter().zip(&summaries).enumerate() {
        let xs: Vec<f64> = (0..q.len()).map(|k| x(arm, k)).collect();
        let lower: Vec<f64> = q.iter().map(|v| v[1] + offset).collect();
        let upper: Vec<f64> = q.iter().map(|v| v[2] + offset).collect();
        plot = plot.with(Layer::spread("", &xs, &lower, &upper, i));
    }
    for (i, (arm, q)) in arms.iter().zip(&summaries).enumerate() {
        let median =
            q.iter().enumerate().map(|(k, v)| (x(arm, k), v[0] + offset)).collect();
        plot = plot.with(Layer::line(
            format!("{} (median, quartiles)", label(arm)),
            median,
            i,
        ));
    }
    plot
}

/// A step curve: each value held until the next step.
fn held(values: &[f64]) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(2 * values.len());
    for (k, &v) in values.iter().enumerate() {
        if k > 0 {
            points.push((k as f64, values[k - 1]));
        }
        points.push((k as f64, v));
    }
    points
}
