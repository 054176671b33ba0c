//! Chapter 9's figures.

use super::{finals, BUDGET_SIGMAS, ESCAPE_SIGMAS};
use crate::figures::{bar_chart, Layer, Legend, LinePlot, Marker, PlanePlot};
use gradbo::optim::functions::multi_well;
use gradbo::optim::{self, Method};
use gradbo_listings::ch09::landscape::CENTRAL_STARTS;
use gradbo_listings::ch09::noise::{self, Outcome};
use ndarray::array;

fn multi_well_value(x: f64, y: f64) -> f64 {
    0.2 * (x.powi(4) + y.powi(4)) - (x * x + y * y) + 0.3 * x * y
}

pub(super) fn landscape_figure() -> String {
    let mut plot = PlanePlot::new(
        "The multi-well landscape and six starts near its peak",
        ((-2.5, 2.5), (-2.5, 2.5)),
    );
    plot.contours = Some(&multi_well_value);
    let f = multi_well();
    plot.layers = CENTRAL_STARTS
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let t = optim::run(
                &f,
                Method::GradientDescent { lr: 0.05 },
                &array![s[0], s[1]],
                80,
                None,
            )
            .expect("valid");
            Layer::path(
                format!("from ({:+.1}, {:+.1})", s[0], s[1]),
                t.xs.iter().map(|x| (x[0], x[1])).collect(),
                i,
            )
        })
        .collect();
    plot.render((800, 780)).expect("draws")
}

pub(super) fn noisy_paths_figure() -> String {
    let q = noise::quadratic();
    let quad = |x: f64, y: f64| 0.5 * (10.0 * x * x + y * y);
    let mut plot = PlanePlot::new(
        "Noisy gradients on diag(10, 1): 120 steps, η = 0.05",
        ((-2.5, 2.5), (-2.5, 2.5)),
    );
    plot.contours = Some(&quad);
    plot.layers = [0.0, 0.2, 0.5]
        .iter()
        .enumerate()
        .map(|(i, &sigma)| {
            let t = &noise::noisy_runs(&q, &array![2.0, 2.0], sigma, 120, 1, 0)
                .expect("valid")[0];
            Layer::path(
                format!("σ = {sigma}"),
                t.xs.iter().map(|x| (x[0], x[1])).collect(),
                i,
            )
        })
        .collect();
    plot.render((800, 780)).expect("draws")
}

pub(super) fn spread_figure() -> String {
    let q = noise::quadratic();
    let mut plot = LinePlot::new(
        "20 runs per noise level: mean loss and mean + 1 std",
        "step t",
        "loss",
    );
    plot.y_log = true;
    plot.legend = Legend::LowerLeft;
    let mut series = Vec::new();
    for (i, sigma) in [0.0, 0.5, 1.0].into_iter().enumerate() {
        let runs = noise::noisy_runs(&q, &array![2.0, 2.0], sigma, 100, 20, 0)
            .expect("valid");
        let stats: Vec<(f64, f64)> = (0..100)
            .map(|t| {
                noise::mean_std(
                    &runs.iter().map(|r| r.losses[t]).collect::<Vec<_>>(),
                )
            })
            .collect();
        let mean = stats
            .iter()
            .enumerate()
            .map(|(t, s)| (t as f64, s.0.max(1e-12)))
            .collect();
        series.push(Layer::line(format!("σ = {sigma}: mean"), mean, i));
        if sigma > 0.0 {
            let upper = stats
                .iter()
                .enumerate()
                .map(|(t, s)| (t as f64, (s.0 + s.1).max(1e-12)))
                .collect();
            series.push(Layer::dashed(
                format!("σ = {sigma}: mean + std"),
                upper,
                i,
            ));
        }
    }
    // The predicted floors ½ Σ λᵢ sᵢ², drawn once the start has been forgotten.
    for (k, sigma) in [0.5, 1.0].into_iter().enumerate() {
        let [floor, _, _] = noise::predicted_floor(&[10.0, 1.0], 0.05, sigma);
        let label = if k == 0 { "predicted floors" } else { "" };
        series.push(Layer::dashed(label, vec![(40.0, floor), (99.0, floor)], 6));
    }
    plot.layers = series;
    plot.render().expect("draws")
}

pub(super) fn restarts_figure() -> String {
    let counts = noise::restart_counts(0).expect("valid");
    let categories: Vec<String> =
        counts.iter().map(|c| format!("f = {}", c.0)).collect();
    let values = counts.iter().map(|c| c.1 as f64).collect();
    bar_chart(
        "Where 1000 random restarts end (100 steps, η = 0.05)",
        ("final value of f", "restarts"),
        &categories,
        &[("restarts".into(), values, 0)],
        false,
    )
    .expect("draws")
}

fn escape_runs(sigma: f64) -> Vec<gradbo::optim::Trajectory> {
    noise::noisy_runs(&multi_well(), &array![0.05, 0.05], sigma, 100, 100, 0)
        .expect("valid")
}

pub(super) fn escape_points_figure() -> String {
    let mut plot = PlanePlot::new(
        "End points of 100 runs from (0.05, 0.05) with σ = 0.2",
        ((-2.5, 2.5), (-2.5, 2.5)),
    );
    plot.contours = Some(&multi_well_value);
    let f = multi_well();
    let runs = escape_runs(0.2);
    let values = noise::final_values(&f, &runs).expect("valid");
    for (o, name, c) in [
        (Outcome::Better, "global minimum", 1),
        (Outcome::Worse, "local minimum", 0),
        (Outcome::Other, "other", 6),
    ] {
        let pts: Vec<(f64, f64)> = runs
            .iter()
            .zip(&values)
            .filter(|(_, v)| noise::outcome(**v) == o)
            .map(|(t, _)| (t.last()[0], t.last()[1]))
            .collect();
        if !pts.is_empty() {
            // Separate end points of separate runs: dots, not a path joining them.
            plot.layers.push(Layer::dots(
                format!("{name} ({})", pts.len()),
                pts,
                c,
            ));
        }
    }
    plot.layers.push(Layer::points("start", vec![(0.05, 0.05)], 2, Marker::Square));
    plot.render((800, 780)).expect("draws")
}

pub(super) fn escape_shares_figure() -> String {
    let f = multi_well();
    let mut groups = vec![
        ("worse (local)".to_owned(), Vec::new(), 0),
        ("better (global)".to_owned(), Vec::new(), 1),
        ("other".to_owned(), Vec::new(), 6),
    ];
    for sigma in ESCAPE_SIGMAS {
        let values = noise::final_values(&f, &escape_runs(sigma)).expect("valid");
        for (g, o) in
            groups.iter_mut().zip([Outcome::Worse, Outcome::Better, Outcome::Other])
        {
            g.1.push(
                values.iter().filter(|&&v| noise::outcome(v) == o).count() as f64
            );
        }
    }
    groups.retain(|g| g.1.iter().any(|&v| v > 0.0));
    let categories: Vec<String> =
        ESCAPE_SIGMAS.iter().map(|s| format!("σ = {s}")).collect();
    bar_chart(
        "Outcomes of 100 runs from (0.05, 0.05), 100 steps",
        ("gradient noise", "runs"),
        &categories,
        &groups,
        true,
    )
    .expect("draws")
}

pub(super) fn grad_norm_figure() -> String {
    let q = noise::quadratic();
    let mut plot = LinePlot::new(
        "Mean gradient norm over 100 runs on diag(10, 1)",
        "step t",
        "‖∇f(x_t)‖",
    );
    plot.y_log = true;
    plot.legend = Legend::LowerLeft;
    plot.layers = [0.0, 0.2, 0.5, 1.0]
        .iter()
        .enumerate()
        .map(|(i, &sigma)| {
            let runs = noise::noisy_runs(&q, &array![2.0, 2.0], sigma, 100, 100, 3)
                .expect("valid");
            let pts = (0..100)
                .map(|t| {
                    (
                        t as f64,
                        noise::mean_std(
                            &runs
                                .iter()
                                .map(|r| r.grad_norms[t])
                                .collect::<Vec<_>>(),
                        )
                        .0,
                    )
                })
                .filter(|p| p.1 > 0.0)
                .collect();
            Layer::line(format!("σ = {sigma}"), pts, i)
        })
        .collect();
    plot.render().expect("draws")
}

pub(super) fn budget_figure() -> String {
    let mut mean_pts = Vec::new();
    let mut lower = Vec::new();
    let mut upper = Vec::new();
    let mut inside = Vec::new();
    for sigma in BUDGET_SIGMAS {
        let values = finals([0.05, 0.05], sigma, 60, 2);
        let (mean, std) = noise::mean_std(&values);
        mean_pts.push((sigma, mean));
        lower.push((sigma, mean - std));
        upper.push((sigma, mean + std));
        inside.push((sigma, noise::mean_std(&finals([1.8, -1.7], sigma, 60, 1)).0));
    }
    let mut plot = LinePlot::new(
        "A fixed budget of 60 steps: final f against noise",
        "gradient noise σ",
        "final value of f",
    );
    plot.legend = Legend::UpperRight;
    plot.y_range = Some((-3.5, -0.4));
    plot.layers = vec![
        Layer::line("from (0.05, 0.05): mean", mean_pts, 0),
        Layer::dashed("mean ± 1 std", lower, 0),
        Layer::dashed("", upper, 0),
        Layer::line("from (1.8, −1.7), inside the global basin: mean", inside, 1),
        Layer::dashed(
            "global minimum −3.30625",
            vec![(0.0, -3.30625), (0.6, -3.30625)],
            6,
        ),
    ];
    plot.render().expect("draws")
}
