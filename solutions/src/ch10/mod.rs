//! Chapter 10, why model an unknown function: the black box and its budget, polynomial
//! surrogates (fits, errors, conditioning, predicted minima), one surrogate-guided step and
//! the guided-versus-uniform comparison, figures and exercise answers.

mod exercises;
mod figures;
mod report;

use crate::{Artifact, Context};
pub use exercises::{
    exercise_end_errors, exercise_leave_one_out, exercise_min_distance,
    exercise_six_start,
};
use figures::{
    budget_figure, cumulative_figure, designs_figure, fits_figure, mse_figure,
    objective_figure, one_step_figure, predicted_minima_figure, sampling_figure,
};
use gradbo::surrogate::{polyfit, Polynomial};
use gradbo_listings::ch10::guided::{self, Rule, RULE};
use gradbo_listings::ch10::polynomial::linspace;
use report::report;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part3", "ch10");

/// The budget of the sequential comparison.
const BUDGET: usize = 20;

/// Everything chapter 10 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("objective"), objective_figure()),
        Artifact::new(CTX.figure("sampling"), sampling_figure()),
        Artifact::new(CTX.figure("budget"), budget_figure()),
        Artifact::new(CTX.figure("fits"), fits_figure()),
        Artifact::new(CTX.figure("mse"), mse_figure()),
        Artifact::new(CTX.figure("predicted-minima"), predicted_minima_figure()),
        Artifact::new(CTX.figure("one-step"), one_step_figure()),
        Artifact::new(CTX.figure("designs"), designs_figure()),
        Artifact::new(CTX.figure("cumulative-best"), cumulative_figure()),
    ]
}

/// The 600-point grid on which curves are drawn and surrogates minimised.
fn grid() -> Vec<f64> {
    linspace(-3.0, 3.0, 600)
}

fn points(x: &[f64], y: &[f64]) -> Vec<(f64, f64)> {
    x.iter().copied().zip(y.iter().copied()).collect()
}

fn fit(x: &[f64], y: &[f64], degree: usize) -> Polynomial {
    polyfit(x, y, degree).expect("valid data")
}

fn guided_run(initial: usize, rule: &Rule) -> (Vec<f64>, Vec<f64>) {
    guided::guided(&linspace(-3.0, 3.0, initial), BUDGET, rule).expect("valid data")
}

/// The evaluation (1-based) at which the running minimum last improved.
fn reached_at(y: &[f64]) -> usize {
    let best = guided::cumulative_best(y);
    1 + best.iter().position(|&b| b == best[best.len() - 1]).expect("non-empty")
}

fn list(v: &[f64]) -> String {
    v.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(", ")
}

/// The rule's pick for a given polynomial (the chapter's rule, with the fit replaced).
fn next_with(p: &Polynomial, x: &[f64]) -> f64 {
    let candidates = linspace(-3.0, 3.0, RULE.candidates);
    let top =
        candidates.iter().map(|&c| p.eval(c)).fold(f64::NEG_INFINITY, f64::max);
    let score = |c: f64| {
        if x.iter().any(|s| (s - c).abs() < RULE.min_distance) {
            top + 1.0
        } else {
            p.eval(c)
        }
    };
    candidates
        .into_iter()
        .min_by(|a, b| score(*a).total_cmp(&score(*b)))
        .expect("candidates")
}

#[cfg(test)]
mod tests {
    use super::report::*;
    use super::*;
    use gradbo_listings::ch10::guided::{self, RULE};
    use gradbo_listings::ch10::polynomial::{self, linspace};

    #[test]
    fn the_comparison_and_the_one_step_conventions() {
        let (_, gy) = guided_run(5, &RULE);
        let (_, uy) = guided::uniform(BUDGET);
        let g = guided::cumulative_best(&gy);
        let u = guided::cumulative_best(&uy);
        assert!((g[19] + 0.7009).abs() < 5e-5 && (u[19] + 0.6844).abs() < 5e-5);
        assert_eq!((reached_at(&gy), reached_at(&uy)), (10, 9));
        // At 9 evaluations the evenly spread design is ahead; from 10 on, the guided one.
        assert!(u[8] < g[8] && g[9] < u[9]);
        let (x, y) = polynomial::observe(5);
        let other = polynomial::unscaled_minimum_norm(&x, &y, 5).unwrap();
        assert!((next_with(&other, &x) - 2.383).abs() < 5e-4);
        assert!((next_with(&fit(&x, &y, 5), &x) - 2.218).abs() < 5e-4);
    }

    #[test]
    fn conditioning_and_error_claims_in_the_text() {
        let x = linspace(-3.0, 3.0, 12);
        let scaled: Vec<f64> =
            (1..=10).map(|d| polynomial::conditioning(&x, d).unwrap().1).collect();
        for w in scaled.windows(2) {
            let ratio = w[1] / w[0];
            assert!((1.8..3.8).contains(&ratio), "{ratio}");
        }
        let test: Vec<f64> =
            (1..=10).map(|d| polynomial::train_test(d).unwrap().1).collect();
        // The test error is not monotone before degree 7: degree 3 is worse than degree 2 ...
        assert!(
            test[2] > test[1]
                && test[6] < test[1..6].iter().cloned().fold(1.0, f64::min)
        );
        // ... degree 7 is its minimum, and degree 10 its maximum.
        assert!(test[7] > test[6] && test[8] > test[6] && test[8] < test[7]);
        assert!(test[9] > test[..9].iter().cloned().fold(0.0, f64::max));
    }

    #[test]
    fn three_local_minima_and_the_global_one() {
        let minima = local_minima();
        assert_eq!(minima.len(), 3);
        let want = [(-0.6313, -0.6079), (0.5852, -0.0354), (1.95954, -0.705535)];
        for ((x, y), (wx, wy)) in minima.iter().zip(want) {
            assert!((x - wx).abs() < 1e-4 && (y - wy).abs() < 1e-4, "{x} {y}");
        }
    }

    #[test]
    fn exercise_answers() {
        let (x, y) = exercise_six_start();
        assert!((x[6] - 2.444).abs() < 5e-4);
        let best = guided::cumulative_best(&y);
        assert!((best[19] + 0.7028).abs() < 5e-5 && reached_at(&y) == 13);
        let rows = exercise_min_distance();
        let row = |d: f64| *rows.iter().find(|r| r.0 == d).unwrap();
        assert_eq!(row(0.15).2, 20);
        assert!((row(0.15).1 + 0.7009).abs() < 5e-5);
        // Without the rule the loop re-evaluates the same points ...
        assert!(row(0.0).2 < 12 && (row(0.0).1 + 0.5655).abs() < 5e-5);
        // ... and with a large one every candidate is ruled out, and the first (−3) wins.
        assert!(row(0.5).2 < 12);
        let loo = exercise_leave_one_out();
        let chosen = loo.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert_eq!(chosen.0, 1);
        assert!(
            loo[8].1 > 100.0 && loo[8].2 > 0.9,
            "degree 9 explodes at the ends"
        );
        // Degree 10 leaves an interpolant, whose end errors are ∓ and ± the 11th difference.
        let (e9, e10, d11, bound) = exercise_end_errors();
        assert!(
            (e10[1] + d11).abs() < 1e-6 && (e10[0] - d11).abs() < 1e-6,
            "{e10:?} {d11}"
        );
        assert!(
            d11.abs() < 2.0 && bound > 100.0 && e9[0].abs().min(e9[1].abs()) > 10.0
        );
    }
}
