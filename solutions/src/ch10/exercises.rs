//! The answers to chapter 10's exercises.

use super::{fit, guided_run, list, reached_at, BUDGET};
use gradbo_listings::ch10::guided::{self, Rule, RULE};
use gradbo_listings::ch10::polynomial;
use std::fmt::Write as _;

/// Exercise 1: the guided strategy from six initial points (its first fit is determined).
pub fn exercise_six_start() -> (Vec<f64>, Vec<f64>) {
    guided_run(6, &RULE)
}

/// Exercise 2: final best, number of distinct points and the evaluation of the final best,
/// for several minimum distances.
pub fn exercise_min_distance() -> Vec<(f64, f64, usize, usize)> {
    [0.0, 0.05, 0.1, 0.15, 0.3, 0.5]
        .into_iter()
        .map(|d| {
            let (x, y) = guided_run(5, &Rule { min_distance: d, ..RULE });
            let mut distinct = x.clone();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let best = guided::cumulative_best(&y)[BUDGET - 1];
            (d, best, distinct.len(), reached_at(&y))
        })
        .collect()
}

/// Exercise 3: leave-one-out mean squared error of each degree on the 12 training points,
/// and the share of it that comes from leaving out the two end points.
pub fn exercise_leave_one_out() -> Vec<(usize, f64, f64)> {
    let (x, y) = polynomial::observe(12);
    (1..=10)
        .map(|degree| {
            let errors: Vec<f64> = (0..x.len())
                .map(|i| {
                    let (xs, ys): (Vec<f64>, Vec<f64>) = x
                        .iter()
                        .zip(&y)
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, (a, b))| (*a, *b))
                        .unzip();
                    (fit(&xs, &ys, degree).eval(x[i]) - y[i]).powi(2)
                })
                .collect();
            let total: f64 = errors.iter().sum();
            let ends = errors[0] + errors[x.len() - 1];
            (degree, total / x.len() as f64, ends / total)
        })
        .collect()
}

pub(super) fn answers() -> String {
    let mut out = String::new();
    let (x, y) = exercise_six_start();
    let best = guided::cumulative_best(&y);
    let _ = writeln!(
        out,
        "1. six initial points {} (a determined degree-5 fit)\n   \
         guided points: {}\n   \
         first step x = {:.3} (f = {:+.3}); final best {:+.4}, first reached at evaluation {}\n   \
         cumulative best: {}",
        list(&x[..6]),
        list(&x[6..]),
        x[6],
        y[6],
        best[BUDGET - 1],
        reached_at(&y),
        best.iter().map(|b| format!("{b:+.4}")).collect::<Vec<_>>().join(" ")
    );
    let _ = writeln!(out, "2. minimum distance   final best   distinct points   best first reached at");
    for (d, best, distinct, at) in exercise_min_distance() {
        let _ =
            writeln!(out, "   {d:>16}   {best:>+10.4}   {distinct:>15}   {at:>21}");
    }
    let loo = exercise_leave_one_out();
    let chosen = loo.iter().min_by(|a, b| a.1.total_cmp(&b.1)).expect("degrees");
    let _ = writeln!(
        out,
        "3. degree   leave-one-out MSE   share from the two end points"
    );
    for (degree, mse, ends) in &loo {
        let _ = writeln!(
            out,
            "   {degree:>6}   {mse:>17.3e}   {:>28.0}%",
            100.0 * ends
        );
    }
    let _ = writeln!(
        out,
        "   leave-one-out chooses degree {}; the test error (200 extra evaluations) chooses 7",
        chosen.0
    );
    let ends = exercise_end_errors();
    let _ = writeln!(
        out,
        "   error at the left-out end point (prediction − y): degree 9: left {:+.3}, right {:+.3}; \
         degree 10: left {:+.3}, right {:+.3}\n   \
         eleventh difference of the 12 values, Δ¹¹y = {:+.4}; the cos(5x) term alone could give up to ±{:.0}",
        ends.0[0], ends.0[1], ends.1[0], ends.1[1], ends.2, ends.3
    );
    out.push_str(ANSWER_TEXT);
    out
}

/// Exercise 3, degrees 9 and 10: the prediction errors at the left-out end points, the
/// eleventh forward difference of the 12 training values, and the largest value the
/// 0.15 cos(5x) term alone could give it, 0.15 (2 sin(5h/2))¹¹.
pub fn exercise_end_errors() -> ([f64; 2], [f64; 2], f64, f64) {
    let (x, y) = polynomial::observe(12);
    let n = x.len();
    let end = |degree: usize, i: usize| {
        let (xs, ys): (Vec<f64>, Vec<f64>) = x
            .iter()
            .zip(&y)
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, (a, b))| (*a, *b))
            .unzip();
        fit(&xs, &ys, degree).eval(x[i]) - y[i]
    };
    let mut d = y.clone();
    for _ in 0..n - 1 {
        d = d.windows(2).map(|w| w[1] - w[0]).collect();
    }
    let h = x[1] - x[0];
    let bound = 0.15 * (2.0 * (2.5 * h).sin()).powi(11);
    ([end(9, 0), end(9, n - 1)], [end(10, 0), end(10, n - 1)], d[0], bound)
}

const ANSWER_TEXT: &str = "\
why:
1. With six points the first degree-5 fit interpolates and no convention decides it; its
   minimum is at 2.444 rather than 2.218. The run spends one more unit on the initial grid and
   reaches a slightly better best (−0.7028 against −0.7009), but three evaluations later
   (13 against 10). The two starts end within 0.002 of each other: the start changes the path
   the exclusion rule walks, not what the method can reach in 20 evaluations.
2. With no minimum distance the surrogate's minimiser stays where it is, the loop evaluates the
   same points again and learns nothing (9 distinct points, stuck at −0.5655). With a large one
   every candidate is soon ruled out, all score the same, and the first candidate, x = −3, wins
   every time (9 distinct points again). From 0.05 to 0.3 the rule does its job and every run
   ends within 0.006 of the minimum.
3. Leaving out an end point turns prediction into extrapolation, one grid spacing beyond the
   data, and that is where high-degree polynomials go wrong; inside [−3, 3], where the test
   points lie, they interpolate. So leave-one-out is dominated by the two end points and
   prefers the stiffest fit, while the test error prefers degree 7.
   Degree 10 looks good only by luck. Left with 11 points it interpolates them, and for evenly
   spaced points the error of that interpolant at the twelfth point is exactly the eleventh
   difference of the 12 values (the eleventh difference of a degree-10 polynomial is zero),
   with the same size at either end. For this grid that difference happens to be small, −1.33,
   although the cos(5x) term alone could make it as large as ±242. Degree 9 fits 11 points with
   10 coefficients by least squares; its end error is not one difference of the data, nothing
   keeps it small, and here it misses by about 48.5 at each end.
";
