//! Chapter 9, optimisation beyond convexity: the multi-well landscape, restarts, noise that
//! helps and noise that hurts, figures and exercise answers.

mod exercises;
mod figures;
mod report;

use crate::{Artifact, Context};
pub use exercises::{
    exercise_basin_share, exercise_budget_choice, exercise_classify, restart_share,
};
use figures::{
    budget_figure, escape_points_figure, escape_shares_figure, grad_norm_figure,
    landscape_figure, noisy_paths_figure, restarts_figure, spread_figure,
};
use gradbo::optim::functions::multi_well;
use gradbo_listings::ch09::noise;
use ndarray::array;
pub use report::experiment_sizes;
use report::report;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part2", "ch09");

const ESCAPE_SIGMAS: [f64; 5] = [0.0, 0.05, 0.1, 0.2, 0.4];
const BUDGET_SIGMAS: [f64; 6] = [0.0, 0.05, 0.1, 0.2, 0.4, 0.6];

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

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo_listings::ch09::landscape;
    use gradbo_listings::ch09::noise;

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
