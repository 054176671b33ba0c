//! Chapter 9, optimisation beyond convexity: the multi-well landscape, restarts, noise that
//! helps and noise that hurts, figures and exercise answers.

use crate::plane::{Path, PlanePlot};
use crate::report::Report;
use crate::style::{bar_chart, Legend, LinePlot, Series};
use crate::Artifact;
use gradbo::optim::functions::multi_well;
use gradbo::optim::{self, Method, Objective};
use gradbo_listings::ch09::landscape::{self, CENTRAL_STARTS};
use gradbo_listings::ch09::noise::{self, Outcome};
use ndarray::array;
use std::fmt::Write as _;

const OUTPUT: &str = "book/part2/outputs/ch09.txt";
const ESCAPE_SIGMAS: [f64; 5] = [0.0, 0.05, 0.1, 0.2, 0.4];
const BUDGET_SIGMAS: [f64; 6] = [0.0, 0.05, 0.1, 0.2, 0.4, 0.6];

fn figure(name: &str) -> String {
    format!("book/part2/figures/ch09-{name}.svg")
}

fn multi_well_value(x: f64, y: f64) -> f64 {
    0.2 * (x.powi(4) + y.powi(4)) - (x * x + y * y) + 0.3 * x * y
}

/// Final values of f for 100 noisy runs from `x0`, for one σ.
fn finals(x0: [f64; 2], sigma: f64, steps: usize, seed: u64) -> Vec<f64> {
    let f = multi_well();
    let runs =
        noise::noisy_runs(&f, &array![x0[0], x0[1]], sigma, steps, 100, seed)
            .expect("valid");
    noise::final_values(&f, &runs).expect("valid")
}

/// Everything chapter 9 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(OUTPUT, report()),
        Artifact::new(figure("landscape"), landscape_figure()),
        Artifact::new(figure("noisy-paths"), noisy_paths_figure()),
        Artifact::new(figure("spread"), spread_figure()),
        Artifact::new(figure("restarts"), restarts_figure()),
        Artifact::new(figure("escape-points"), escape_points_figure()),
        Artifact::new(figure("escape-shares"), escape_shares_figure()),
        Artifact::new(figure("grad-norms"), grad_norm_figure()),
        Artifact::new(figure("budget"), budget_figure()),
    ]
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn report() -> String {
    let mut r = Report::new();
    let mut points = String::from("kind       x₁        x₂        f\n");
    for (x, value, kind) in landscape::stationary_points() {
        let _ = writeln!(
            points,
            "{:<8} {:>+8.5} {:>+8.5} {value:>+10.5}",
            format!("{kind:?}"),
            x[0],
            x[1]
        );
    }
    r.section("stationary", points);
    let mut starts = String::new();
    for (s, (end, value)) in CENTRAL_STARTS
        .iter()
        .zip(landscape::endpoints(&CENTRAL_STARTS).expect("valid"))
    {
        let which = if (value + 3.30625).abs() < 1e-3 { "global" } else { "local" };
        let _ = writeln!(
            starts,
            "({:+.1}, {:+.1}) → ({:+.4}, {:+.4})  f = {value:.5}  {which}",
            s[0], s[1], end[0], end[1]
        );
    }
    r.section("starts", starts);
    let mut restarts = String::new();
    for (level, n) in noise::restart_counts(0).expect("valid") {
        let _ = writeln!(restarts, "f = {level:>7}: {n:>4} of 1000 restarts");
    }
    r.section("restarts", restarts);
    let mut escape = String::from("   σ    better   worse   other\n");
    for sigma in ESCAPE_SIGMAS {
        let outcomes: Vec<Outcome> = finals([0.05, 0.05], sigma, 100, 0)
            .into_iter()
            .map(noise::outcome)
            .collect();
        let count = |o: Outcome| outcomes.iter().filter(|&&x| x == o).count();
        let _ = writeln!(
            escape,
            "{sigma:>4}   {:>6}   {:>5}   {:>5}",
            count(Outcome::Better),
            count(Outcome::Worse),
            count(Outcome::Other)
        );
    }
    r.section("escape", escape);
    let mut inside = String::from(
        "   σ    mean final f   std      (60 steps from (1.8, −1.7), 100 runs)\n",
    );
    for sigma in BUDGET_SIGMAS {
        let (mean, std) = noise::mean_std(&finals([1.8, -1.7], sigma, 60, 1));
        let _ = writeln!(inside, "{sigma:>4}   {mean:>11.5}   {std:.5}");
    }
    r.section("inside", inside);
    let mut budget =
        String::from("   σ    mean final f   std     median    better\n");
    for sigma in BUDGET_SIGMAS {
        let values = finals([0.05, 0.05], sigma, 60, 2);
        let (mean, std) = noise::mean_std(&values);
        let better = values
            .iter()
            .filter(|&&v| noise::outcome(v) == Outcome::Better)
            .count();
        let _ = writeln!(
            budget,
            "{sigma:>4}   {mean:>11.5}   {std:.4}   {:>8.5}   {better:>6}",
            median(&values)
        );
    }
    r.section("budget", budget);
    r.section("solvers", solver_table());
    r.section("answers", answers());
    r.finish()
}

fn solver_table() -> String {
    use gradbo_listings::ch09::solvers;
    let mut out = String::new();
    for solvers::Problem { name, f, x0, x_star, methods } in solvers::problems() {
        let _ = writeln!(out, "{name}
  method                                 iters   f evals   ∇f evals   ‖x − x*‖      f");
        let mut rows: Vec<solvers::Row> = methods
            .into_iter()
            .map(|m| {
                solvers::hand_built(f.as_ref(), m, &x0, &x_star, 50_000)
                    .expect("valid")
            })
            .collect();
        rows.extend(solvers::library(f.as_ref(), &x0, &x_star).expect("valid"));
        for row in rows {
            let method = &row.method;
            let _ = writeln!(
                out,
                "  {method:<36} {:>6}   {:>7}   {:>8}   {:>8.1e}   {:>+9.5}",
                row.iterations,
                row.cost_evaluations,
                row.gradient_evaluations,
                row.error,
                row.value
            );
        }
    }
    out
}

/// Exercise 2: the share of a 51 × 51 grid of starts in [−2.5, 2.5]² whose noise-free
/// 200-step run ends at a global minimum.
pub fn exercise_basin_share() -> f64 {
    let f = multi_well();
    let mut global = 0;
    for i in 0..51 {
        for j in 0..51 {
            let x0 = array![-2.5 + 0.1 * f64::from(i), -2.5 + 0.1 * f64::from(j)];
            let t = optim::run(
                &f,
                Method::GradientDescent { lr: 0.05 },
                &x0,
                200,
                None,
            )
            .expect("valid");
            if (f.value(t.last()).expect("valid") + 3.30625).abs() < 1e-3 {
                global += 1;
            }
        }
    }
    f64::from(global) / 2601.0
}

fn answers() -> String {
    format!(
        "1. the Hessian's eigenvalues classify each stationary point; see the table above\n\
         2. share of a 51 × 51 grid of starts on [−2.5, 2.5]² that reach a global minimum: {:.3}\n\
         3. from (0.05, 0.05) more noise lowers the mean final f (more runs escape to the global\n   \
         basin) and widens the spread; inside the global basin any noise only raises it. Noise\n   \
         buys exploration with consistency",
        exercise_basin_share()
    )
}

fn landscape_figure() -> String {
    let mut plot = PlanePlot::new(
        "The multi-well landscape and six starts near its peak",
        ((-2.5, 2.5), (-2.5, 2.5)),
    );
    plot.contours = Some(&multi_well_value);
    let f = multi_well();
    plot.paths = CENTRAL_STARTS
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
            Path::new(
                format!("from ({:+.1}, {:+.1})", s[0], s[1]),
                t.xs.iter().map(|x| (x[0], x[1])).collect(),
                i,
            )
        })
        .collect();
    plot.render((800, 780)).expect("draws")
}

fn noisy_paths_figure() -> String {
    let q = noise::quadratic();
    let quad = |x: f64, y: f64| 0.5 * (10.0 * x * x + y * y);
    let mut plot = PlanePlot::new(
        "Noisy gradients on diag(10, 1): 120 steps, η = 0.05",
        ((-2.5, 2.5), (-2.5, 2.5)),
    );
    plot.contours = Some(&quad);
    plot.paths = [0.0, 0.2, 0.5]
        .iter()
        .enumerate()
        .map(|(i, &sigma)| {
            let t = &noise::noisy_runs(&q, &array![2.0, 2.0], sigma, 120, 1, 0)
                .expect("valid")[0];
            Path::new(
                format!("σ = {sigma}"),
                t.xs.iter().map(|x| (x[0], x[1])).collect(),
                i,
            )
        })
        .collect();
    plot.render((800, 780)).expect("draws")
}

fn spread_figure() -> String {
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
        series.push(Series::line(format!("σ = {sigma}: mean"), mean, i));
        if sigma > 0.0 {
            let upper = stats
                .iter()
                .enumerate()
                .map(|(t, s)| (t as f64, (s.0 + s.1).max(1e-12)))
                .collect();
            series.push(Series::dashed(
                format!("σ = {sigma}: mean + std"),
                upper,
                i,
            ));
        }
    }
    plot.series = series;
    plot.render().expect("draws")
}

fn restarts_figure() -> String {
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

fn escape_points_figure() -> String {
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
            plot.paths.push(Path::scatter(
                format!("{name} ({})", pts.len()),
                pts,
                c,
            ));
        }
    }
    plot.paths.push(Path::scatter("start", vec![(0.05, 0.05)], 2));
    plot.render((800, 780)).expect("draws")
}

fn escape_shares_figure() -> String {
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

fn grad_norm_figure() -> String {
    let q = noise::quadratic();
    let mut plot = LinePlot::new(
        "Mean gradient norm over 100 runs on diag(10, 1)",
        "step t",
        "‖∇f(x_t)‖",
    );
    plot.y_log = true;
    plot.legend = Legend::LowerLeft;
    plot.series = [0.0, 0.2, 0.5, 1.0]
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
            Series::line(format!("σ = {sigma}"), pts, i)
        })
        .collect();
    plot.render().expect("draws")
}

fn budget_figure() -> String {
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
    plot.series = vec![
        Series::line("from (0.05, 0.05): mean", mean_pts, 0),
        Series::dashed("mean ± 1 std", lower, 0),
        Series::dashed("", upper, 0),
        Series::line("from (1.8, −1.7), inside the global basin: mean", inside, 1),
        Series::dashed(
            "global minimum −3.30625",
            vec![(0.0, -3.30625), (0.6, -3.30625)],
            6,
        ),
    ];
    plot.render().expect("draws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_answers() {
        let share = exercise_basin_share();
        assert!(share > 0.5 && share < 0.7, "{share}");
    }
}
