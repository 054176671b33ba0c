//! The answers to chapter 9's exercises.

use super::{finals, BUDGET_SIGMAS};
use gradbo::optim::functions::multi_well;
use gradbo::optim::{self, Method, Objective};
use gradbo_listings::ch09::landscape;
use gradbo_listings::ch09::noise::{self, Outcome};
use ndarray::array;
use std::fmt::Write as _;

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

pub(super) fn answers() -> String {
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
