//! Chapter 9, optimisation beyond convexity: the multi-well landscape, restarts, noise that
//! helps and noise that hurts, figures and exercise answers.

use crate::figures::{bar_chart, Layer, Legend, LinePlot, PlanePlot};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo::optim::functions::multi_well;
use gradbo::optim::{self, Method, Objective};
use gradbo_listings::ch09::landscape::{self, CENTRAL_STARTS};
use gradbo_listings::ch09::noise::{self, Outcome};
use ndarray::array;
use std::fmt::Write as _;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part2", "ch09");
const ESCAPE_SIGMAS: [f64; 5] = [0.0, 0.05, 0.1, 0.2, 0.4];
const BUDGET_SIGMAS: [f64; 6] = [0.0, 0.05, 0.1, 0.2, 0.4, 0.6];

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
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("landscape"), landscape_figure()),
        Artifact::new(CTX.figure("noisy-paths"), noisy_paths_figure()),
        Artifact::new(CTX.figure("spread"), spread_figure()),
        Artifact::new(CTX.figure("restarts"), restarts_figure()),
        Artifact::new(CTX.figure("escape-points"), escape_points_figure()),
        Artifact::new(CTX.figure("escape-shares"), escape_shares_figure()),
        Artifact::new(CTX.figure("grad-norms"), grad_norm_figure()),
        Artifact::new(CTX.figure("budget"), budget_figure()),
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
        String::from("   σ    mean final f   std     median     worst    better\n");
    for sigma in BUDGET_SIGMAS {
        let values = finals([0.05, 0.05], sigma, 60, 2);
        let (mean, std) = noise::mean_std(&values);
        let better = values
            .iter()
            .filter(|&&v| noise::outcome(v) == Outcome::Better)
            .count();
        let worst = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let _ = writeln!(
            budget,
            "{sigma:>4}   {mean:>11.5}   {std:.4}   {:>8.5}   {worst:>7.4}   {better:>6}",
            median(&values)
        );
    }
    r.section("budget", budget);
    r.section("floor", floor_table());
    r.section("evaluations", evaluation_counts());
    r.section("solvers", solver_table());
    r.section("answers", answers());
    r.finish()
}

fn solver_table() -> String {
    use gradbo_listings::ch09::solvers;
    let mut out = String::new();
    let problems = solvers::problems().expect("valid problems");
    for solvers::Problem { name, f, x0, x_star, methods, parameters } in problems {
        let _ = writeln!(
            out,
            "{name} — hand-built methods {parameters}\n  \
             method                                 iters    f only   f and ∇f   ‖x − x*‖      f"
        );
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

/// The noise floor on diag(10, 1), predicted and measured, for the chapter's step and for a
/// quarter of it.
fn floor_table() -> String {
    let mut out = String::from(
        "diag(10, 1): floor predicted | measured (40 runs, steps 400–1399)\n\
         \x20   η      σ     mean f              rms ‖x‖             rms ‖∇f‖\n",
    );
    for (lr, sigma) in [(0.05, 0.2), (0.05, 0.5), (0.05, 1.0), (0.0125, 1.0)] {
        let p = noise::predicted_floor(&[10.0, 1.0], lr, sigma);
        let m = noise::measured_floor(lr, sigma, 40, 400, 1400).expect("valid");
        let _ = write!(out, "{lr:>6}  {sigma:>4}");
        for k in 0..3 {
            let _ = write!(out, "   {:.4} | {:.4}", p[k], m[k]);
        }
        out.push('\n');
    }
    out
}

/// How many evaluations of f and ∇f the chapter's experiments make: one per step of each
/// run. Returns (name, runs, steps per run).
pub fn experiment_sizes() -> Vec<(&'static str, usize, usize)> {
    vec![
        ("restart study", 1000, 100),
        ("noise escaping a basin", ESCAPE_SIGMAS.len() * 100, 100),
        ("noise inside a basin", BUDGET_SIGMAS.len() * 100, 60),
        ("fixed budget", BUDGET_SIGMAS.len() * 100, 60),
    ]
}

fn evaluation_counts() -> String {
    let mut out =
        String::from("evaluations of f and ∇f, one per step of each run\n");
    for (name, runs, steps) in experiment_sizes() {
        let _ = writeln!(
            out,
            "{name:<24} {runs:>5} runs × {steps:>3} steps = {:>7}",
            runs * steps
        );
    }
    out
}

/// Exercise 1: the Hessian [[2.4x₁² − 2, 0.3], [0.3, 2.4x₂² − 2]] at the stationary point near
/// (1.5628, 0.2399), its eigenvalues, and the kind `stationary_points` printed for it.
pub fn exercise_classify() -> ([f64; 3], [f64; 2], landscape::Kind) {
    let (x, _, kind) = landscape::stationary_points()
        .into_iter()
        .find(|(x, _, _)| {
            (x[0] - 1.5628).abs() < 1e-3 && (x[1] - 0.2399).abs() < 1e-3
        })
        .expect("the saddle is in the table");
    let (a, b, d) = (2.4 * x[0] * x[0] - 2.0, 0.3, 2.4 * x[1] * x[1] - 2.0);
    ([a, b, d], gradbo::linalg::eigenvalues_2x2(a, b, d), kind)
}

/// Exercise 2: noise-free 200-step runs from a 51 × 51 grid of starts on [−2.5, 2.5]²: the
/// share that reaches a global minimum, and the same share with each start weighted by the
/// restart study's density, that of 2·N(0, I), ∝ exp(−‖x₀‖²/8).
pub fn exercise_basin_share() -> (f64, f64) {
    let f = multi_well();
    let (mut global, mut weighted, mut total) = (0, 0.0, 0.0);
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
            let w = (-x0.dot(&x0) / 8.0).exp();
            total += w;
            if (f.value(t.last()).expect("valid") + 3.30625).abs() < 1e-3 {
                global += 1;
                weighted += w;
            }
        }
    }
    (f64::from(global) / 2601.0, weighted / total)
}

/// The restart study's share of global minima and its standard error √(p(1 − p)/n).
pub fn restart_share() -> (f64, f64) {
    let counts = noise::restart_counts(0).expect("valid");
    let n: usize = counts.iter().map(|c| c.1).sum();
    let global = counts.iter().find(|c| c.0 == -3.306).map_or(0, |c| c.1);
    let p = global as f64 / n as f64;
    (p, (p * (1.0 - p) / n as f64).sqrt())
}

/// Exercise 3: for each σ of the budget table, over its 100 runs: the mean final f, the share
/// that reaches a global minimum, the expected best of 20 runs drawn from the 100 without
/// replacement (exactly, from the order statistics) and the chance that at least one of the
/// 20 reaches a global minimum.
pub fn exercise_budget_choice() -> Vec<(f64, f64, f64, f64, f64)> {
    // C(n, k) as a float: the counts here stay far below 2⁵³.
    let choose = |n: usize, k: usize| -> f64 {
        if k > n {
            return 0.0;
        }
        (0..k).fold(1.0, |c, i| c * (n - i) as f64 / (i + 1) as f64)
    };
    BUDGET_SIGMAS
        .iter()
        .map(|&sigma| {
            let mut values = finals([0.05, 0.05], sigma, 60, 2);
            values.sort_by(f64::total_cmp);
            let n = values.len();
            let (mean, _) = noise::mean_std(&values);
            let better = values
                .iter()
                .filter(|&&v| noise::outcome(v) == Outcome::Better)
                .count();
            // The k-th smallest (0-based) is the best of 20 when the other 19 come from the
            // n − k − 1 larger ones.
            let all = choose(n, 20);
            let best_of_20: f64 = values
                .iter()
                .enumerate()
                .map(|(k, v)| v * choose(n - k - 1, 19) / all)
                .sum();
            let some_global = 1.0 - choose(n - better, 20) / all;
            (sigma, mean, better as f64 / n as f64, best_of_20, some_global)
        })
        .collect()
}

fn answers() -> String {
    let ([a, b, d], [lo, hi], kind) = exercise_classify();
    let (share, weighted) = exercise_basin_share();
    let (restarts, se) = restart_share();
    let mut choice = String::from(
        "   σ    one run: mean f   P(global)   best of 20: expected f   P(a global among 20)\n",
    );
    for (sigma, mean, p, best, some) in exercise_budget_choice() {
        let _ = writeln!(
            choice,
            "   {sigma:>4}   {mean:>15.5}   {p:>9.2}   {best:>22.5}   {some:>20.4}"
        );
    }
    format!(
        "1. Hessian at the saddle: [[{a:.4}, {b}], [{b}, {d:.4}]]; eigenvalues {lo:.4} and {hi:.4}:\n   \
         one negative, one positive, so a saddle — the table says {kind:?}\n\
         2. share of the 51 × 51 grid of starts on [−2.5, 2.5]² that reach a global minimum: {share:.3};\n   \
         the restarts: {restarts:.3} ± {se:.3} (one standard error of a share of 1000 draws). The grid\n   \
         counts the square's corners as much as its centre; weighted by the restarts' density\n   \
         ∝ exp(−‖x₀‖²/8) its share becomes {weighted:.3}, within sampling error of theirs. A basin's\n   \
         share is always relative to how the starts are drawn\n\
         3. from the budget table's 100 runs per σ (best of 20: drawn without replacement, exactly):\n\
         {choice}   \
         One run: σ = 0 is the only safe choice (−1.80461 every time); every σ > 0 can end worse,\n   \
         and only from σ = 0.2 does the mean improve on it. To bet on the average, σ = 0.6 has the\n   \
         lowest mean and median but a spread of 0.77. Twenty runs, keeping the best: σ = 0.4 or 0.6\n   \
         find a global minimum almost surely; the best of 20 is then limited by how close the noise\n   \
         lets a run settle, which favours the smaller σ that still escapes reliably"
    )
}

fn landscape_figure() -> String {
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

fn noisy_paths_figure() -> String {
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
            plot.layers.push(Layer::path(
                format!("{name} ({})", pts.len()),
                pts,
                c,
            ));
        }
    }
    plot.layers.push(Layer::path("start", vec![(0.05, 0.05)], 2));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_answers() {
        let ([a, _, d], [lo, hi], kind) = exercise_classify();
        assert!(a > 0.0 && d < 0.0 && lo < 0.0 && hi > 0.0);
        assert_eq!(kind, landscape::Kind::Saddle);
        let (share, weighted) = exercise_basin_share();
        assert!(share > 0.5 && share < 0.7, "{share}");
        // Weighted like the restarts, the grid agrees with them within two standard errors;
        // unweighted, it does not.
        let (restarts, se) = restart_share();
        assert!((weighted - restarts).abs() < 2.0 * se, "{weighted} vs {restarts}");
        assert!((share - restarts).abs() > 2.0 * se, "{share} vs {restarts}");
        // Exercise 3: every σ > 0 can end worse than σ = 0; σ = 0.6 has the lowest mean; the
        // best of twenty is best at σ = 0.4.
        let choice = exercise_budget_choice();
        let lowest = |k: usize| {
            let pick = |c: &(f64, f64, f64, f64, f64)| [c.1, c.3][k];
            choice.iter().min_by(|p, q| pick(p).total_cmp(&pick(q))).unwrap().0
        };
        assert_eq!((lowest(0), lowest(1)), (0.6, 0.4));
        let worst_at_zero = finals([0.05, 0.05], 0.0, 60, 2)[0];
        for &sigma in &BUDGET_SIGMAS[1..] {
            let worst = finals([0.05, 0.05], sigma, 60, 2)
                .into_iter()
                .fold(f64::NEG_INFINITY, f64::max);
            assert!(worst > worst_at_zero, "σ = {sigma}");
        }
    }

    #[test]
    fn the_budget_table_says_what_the_chapter_says() {
        let stats: Vec<(f64, f64)> = BUDGET_SIGMAS
            .iter()
            .map(|&s| noise::mean_std(&finals([0.05, 0.05], s, 60, 2)))
            .collect();
        // A little noise makes the mean worse than none; from σ = 0.2 on it improves on it.
        assert!(stats[1].0 > stats[0].0 && stats[2].0 > stats[0].0);
        assert!(stats[3..].iter().all(|s| s.0 < stats[0].0));
        assert!(stats[2..].windows(2).all(|w| w[1].0 < w[0].0));
        // The evaluation counts of the motivation section.
        let sizes = experiment_sizes();
        assert_eq!(sizes[0].1 * sizes[0].2, 100_000);
        assert_eq!(sizes[1].1 * sizes[1].2, 50_000);
    }
}
