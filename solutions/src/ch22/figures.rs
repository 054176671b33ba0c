//! The figures of chapter 22: the latent objective and the noisy design, the initial
//! posterior, the three final posteriors of the single run, its progress over steps, and
//! the ten-seed study as box plots.

use super::{Results, SEEDS};
use crate::figures::{Colour, Layer, Legend, LinePlot, Marker, Panel};
use gradbo::models::Model;
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch22::noisy_loop::{
    fit_model, grid, grid_minimum, initial_design, problem, recommend, Run,
    METHODS, SEED,
};
use ndarray::{Array1, Array2, Axis};

/// Two plots side by side, and three.
const WIDE: (u32, u32) = (1500, 640);
const THREE: (u32, u32) = (1800, 620);
/// The colours of the three methods.
const METHOD_COLOURS: [usize; 3] = [0, 1, 3];
/// The true minimum's colour: bluish green.
const GREEN: usize = 2;

fn draw(result: crate::figures::DrawResult<String>) -> String {
    result.expect("chapter 22's figures draw")
}

fn truth() -> Vec<(f64, f64)> {
    let f = problem();
    grid().iter().map(|&x| (x, f.eval(x))).collect()
}

/// The latent curve, the noisy design, the latent values at the design's x and the
/// minimiser.
pub fn problem_figure() -> String {
    let f = problem();
    let (x, y) = initial_design(SEED).expect("the design draws");
    let (xm, fm) = grid_minimum();
    let noisy: Vec<(f64, f64)> =
        x.column(0).iter().copied().zip(y.iter().copied()).collect();
    let latent: Vec<(f64, f64)> =
        x.column(0).iter().map(|&v| (v, f.eval(v))).collect();
    let mut panel = Panel::new(
        "The latent objective and eight noisy observations (seed 7)",
        "x",
        "f(x), y",
    )
    .with(Layer::line("latent f", truth(), Colour::Truth))
    .with(Layer::dots("noisy observations y", noisy, Colour::Mean))
    .with(Layer::points(
        "latent f at the observed x",
        latent,
        Colour::Chosen,
        Marker::Cross,
    ))
    .with(Layer::points("true minimum", vec![(xm, fm)], GREEN, Marker::Star))
    .with(Layer::vline(xm, GREEN));
    panel.legend = Some(Legend::UpperLeft);
    draw(panel.render((1200, 700)))
}

/// A posterior panel for the data `x`, `y`, with the recommendation and the true minimum.
fn posterior_panel(
    title: &str,
    x: &Array2<f64>,
    y: &Array1<f64>,
    marks: bool,
) -> Panel {
    let model = fit_model(x, y).expect("the model fits");
    let g = grid();
    let p = model.marginals(g.view().insert_axis(Axis(1))).expect("posterior");
    let gx = g.to_vec();
    let sd: Vec<f64> = p.variance.iter().map(|v| v.sqrt()).collect();
    let lower: Vec<f64> =
        p.mean.iter().zip(&sd).map(|(m, s)| m - 2.0 * s).collect();
    let upper: Vec<f64> =
        p.mean.iter().zip(&sd).map(|(m, s)| m + 2.0 * s).collect();
    let data = x.column(0).iter().copied().zip(y.iter().copied()).collect();
    let mut panel = Panel::new(title, "x", "f(x), y")
        .with(Layer::band("μ ± 2σ", &gx, &lower, &upper, Colour::Mean))
        .with(Layer::line("latent f", truth(), Colour::Truth))
        .with(Layer::line(
            "posterior mean μ",
            gx.iter().copied().zip(p.mean.iter().copied()).collect(),
            Colour::Mean,
        ))
        .with(Layer::dots("noisy observations", data, Colour::Observation));
    if marks {
        let (rec, mean, _) = recommend(&model).expect("recommendation");
        let (xm, fm) = grid_minimum();
        panel = panel
            .with(Layer::vline(rec, Colour::Chosen))
            .with(Layer::points(
                "recommendation",
                vec![(rec, mean)],
                Colour::Chosen,
                Marker::Star,
            ))
            .with(Layer::points(
                "true minimum",
                vec![(xm, fm)],
                GREEN,
                Marker::Cross,
            ));
    }
    // Room above the curves for the legend.
    panel.y_range = Some((-1.6, 2.6));
    panel
}

/// The fixed-noise posterior of the design.
pub fn initial_posterior() -> String {
    let (x, y) = initial_design(SEED).expect("the design draws");
    let panel = posterior_panel(
        "Fixed-noise GP on the eight noisy observations",
        &x,
        &y,
        false,
    );
    draw(panel.render((1200, 700)))
}

/// The single run's final posteriors, one panel per method.
pub fn final_posteriors(r: &Results) -> String {
    let panels: Vec<Panel> = r
        .single
        .iter()
        .map(|run| {
            let l = run.last();
            let title = format!("{}: regret {:.4}", run.method.name(), l.regret());
            posterior_panel(&title, &run.x, &run.y, true)
        })
        .collect();
    draw(Panel::grid("Final posteriors after 15 steps (seed 7)", THREE, 3, &panels))
}

fn steps_axis(run: &Run) -> Vec<f64> {
    (0..run.summaries.len()).map(|k| k as f64).collect()
}

fn series(
    run: &Run,
    offset: f64,
    f: impl Fn(&gradbo_listings::ch22::noisy_loop::Summary) -> f64,
) -> Vec<(f64, f64)> {
    steps_axis(run)
        .iter()
        .zip(&run.summaries)
        .map(|(&k, s)| (k + offset, f(s)))
        .collect()
}

/// Best noisy observation and latent value at the recommendation, against step.
pub fn progress(r: &Results) -> String {
    let (_, fm) = grid_minimum();
    let last = r.single[0].summaries.len() as f64 - 1.0;
    let mut noisy =
        LinePlot::new("Best noisy observation", "step", "lowest y so far");
    let mut latent =
        LinePlot::new("Latent f at the recommendation", "step", "f(recommended x)");
    for (i, run) in r.single.iter().enumerate() {
        let c = METHOD_COLOURS[i];
        noisy = noisy.with(Layer::path(
            run.method.name(),
            series(run, 0.0, |s| s.best_noisy),
            c,
        ));
        latent = latent.with(Layer::path(
            run.method.name(),
            series(run, 0.0, |s| s.latent),
            c,
        ));
    }
    let line = vec![(0.0, fm), (last, fm)];
    noisy = noisy.with(Layer::dashed("true minimum", line.clone(), GREEN));
    latent = latent.with(Layer::dashed("true minimum", line, GREEN));
    noisy.legend = Legend::UpperRight;
    latent.legend = Legend::UpperRight;
    draw(LinePlot::grid(
        "Progress of the single run (seed 7)",
        WIDE,
        2,
        &[noisy, latent],
    ))
}

/// Unique locations and posterior standard deviation at the recommendation, against step.
pub fn locations(r: &Results) -> String {
    let mut unique =
        LinePlot::new("Distinct locations evaluated", "step", "unique x");
    let mut sd = LinePlot::new(
        "Posterior sd at the recommendation",
        "step",
        "σ(recommended x)",
    );
    for (i, run) in r.single.iter().enumerate() {
        let c = METHOD_COLOURS[i];
        let offset = [-0.08, 0.0, 0.08][i];
        unique = unique.with(Layer::path(
            run.method.name(),
            series(run, offset, |s| s.unique as f64),
            c,
        ));
        sd = sd.with(Layer::path(run.method.name(), series(run, 0.0, |s| s.sd), c));
    }
    unique.legend = Legend::UpperLeft;
    sd.legend = Legend::UpperRight;
    draw(LinePlot::grid(
        "Where the single run spent its evaluations (seed 7)",
        WIDE,
        2,
        &[unique, sd],
    ))
}

/// A box plot of `values` at position `at`: the box from the lower to the upper quartile,
/// the median, whiskers to the furthest values within 1.5 interquartile ranges, and every
/// value as a dot.
fn boxed(
    plot: LinePlot,
    label: &str,
    at: f64,
    values: &[f64],
    colour: usize,
) -> LinePlot {
    let (q1, q2, q3) =
        (quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75));
    let iqr = q3 - q1;
    let low = values
        .iter()
        .copied()
        .filter(|&v| v >= q1 - 1.5 * iqr)
        .fold(f64::INFINITY, f64::min);
    let high = values
        .iter()
        .copied()
        .filter(|&v| v <= q3 + 1.5 * iqr)
        .fold(f64::NEG_INFINITY, f64::max);
    let (a, b) = (at - 0.25, at + 0.25);
    let dots: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(k, &v)| {
            (at - 0.12 + 0.24 * k as f64 / (values.len().max(2) - 1) as f64, v)
        })
        .collect();
    plot.with(Layer::band(label, &[a, b], &[q1, q1], &[q3, q3], colour))
        .with(Layer::line("", vec![(a, q2), (b, q2)], Colour::Truth))
        .with(Layer::line("", vec![(at, q3), (at, high)], colour))
        .with(Layer::line("", vec![(at, q1), (at, low)], colour))
        .with(Layer::line("", vec![(at - 0.1, high), (at + 0.1, high)], colour))
        .with(Layer::line("", vec![(at - 0.1, low), (at + 0.1, low)], colour))
        .with(Layer::points("", dots, Colour::Observation, Marker::Dot))
}

/// The ten-seed study: regret and unique locations per method.
pub fn study(r: &Results) -> String {
    let mut regret = LinePlot::new(
        "Regret of the recommendation",
        "method (1 LogEI, 2 replication rule, 3 qLogNEI)",
        "regret",
    );
    let mut unique = LinePlot::new(
        "Distinct locations among 18 observations",
        "method (1 LogEI, 2 replication rule, 3 qLogNEI)",
        "unique x",
    );
    for (i, runs) in r.study.iter().enumerate() {
        let name = METHODS[i].name();
        let c = METHOD_COLOURS[i];
        let at = i as f64 + 1.0;
        let reg: Vec<f64> = runs.iter().map(|r| r.last().regret()).collect();
        let uni: Vec<f64> = runs.iter().map(|r| r.last().unique as f64).collect();
        regret = boxed(regret, name, at, &reg, c);
        unique = boxed(unique, name, at, &uni, c);
    }
    for plot in [&mut regret, &mut unique] {
        plot.x_range = Some((0.4, 3.6));
    }
    regret.legend = Legend::UpperRight;
    unique.legend = Legend::LowerRight;
    unique.y_range = Some((5.5, 18.5));
    draw(LinePlot::grid(
        &format!(
            "{} seeds, 10 steps each: box plots with every seed as a dot",
            SEEDS.len()
        ),
        WIDE,
        2,
        &[regret, unique],
    ))
}
