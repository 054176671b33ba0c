//! Chapter 18: a campaign in d dimensions with the library's `minimise`, and what to read
//! from it without seeing the surface — the best value so far, the incumbent's coordinates,
//! the learned lengthscales and noise.

use super::setup::{campaign, n_init, DIM, SEED, STEPS};
use gradbo::bo::{minimise, CampaignResult};
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use ndarray::Array2;

// ANCHOR: run
/// Minimises the shifted Rosenbrock function in `dim` dimensions: `n_init` Sobol points,
/// then `steps` steps of the loop, everything random drawn from `seed`.
pub fn run(
    dim: usize,
    n_init: usize,
    steps: usize,
    seed: u64,
) -> gradbo::Result<CampaignResult> {
    let r = ShiftedRosenbrock::new(dim)?;
    minimise(|x| r.value(x), r.bounds(), &campaign(n_init, steps, seed))
}
// ANCHOR_END: run

// ANCHOR: diagnostics
/// The simple regret after the design and after each step: the best value so far minus
/// the minimum R* = 0 — here the best value itself, which is what makes this benchmark
/// convenient. A campaign on a real experiment does not know R*; it reads the best values.
pub fn regret(result: &CampaignResult) -> Vec<f64> {
    let r_star = 0.0;
    result.best_so_far().iter().map(|b| b - r_star).collect()
}

/// The lengthscales the model learned at each step, one row per step, one column per
/// variable, in the data's units (the box is 4 wide in every variable).
pub fn lengthscales(result: &CampaignResult) -> Array2<f64> {
    let d = result.dim();
    Array2::from_shape_fn((result.history.len(), d), |(k, j)| {
        result.history[k].hyperparameters.lengthscales[j]
    })
}

/// The noise variance the model learned at each step, in the data's units.
pub fn noise(result: &CampaignResult) -> Vec<f64> {
    result.history.iter().map(|h| h.hyperparameters.noise).collect()
}
// ANCHOR_END: diagnostics

/// The chapter's campaign: d = 5, 10 Sobol points, 20 steps, seed 7.
pub fn main() -> gradbo::Result<()> {
    // ANCHOR: main
    let result = run(DIM, n_init(DIM), STEPS, SEED)?;
    println!(
        "{} values of the best so far, {} observations, {} fits, variables {:?}",
        result.best_so_far().len(),
        result.y.len(),
        result.history.len(),
        result.names
    );
    println!("best R = {:.3} at {:.3} (R* = 0 at c)", result.best_y, result.best_x);
    // ANCHOR_END: main
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Axis;

    /// A short campaign keeps the test fast; the chapter's own runs are in solutions/.
    #[test]
    fn the_diagnostics_of_a_short_campaign() {
        let result = run(3, 6, 4, SEED).unwrap();
        assert_eq!(result.best_so_far().len(), 5);
        assert_eq!(result.y.len(), 10);
        assert_eq!(result.names, ["x1", "x2", "x3"]);
        let regret = regret(&result);
        assert_eq!(regret, result.best_so_far());
        assert!(regret.iter().all(|&r| r > 0.0));
        let l = lengthscales(&result);
        assert_eq!(l.dim(), (4, 3));
        assert!(l.iter().all(|&v| v > 0.0 && v.is_finite()));
        assert!(noise(&result).iter().all(|&v| v > 0.0));
        // The incumbent's coordinates change only at steps that improved the best value.
        let inc = result.incumbents();
        for (k, w) in regret.windows(2).enumerate() {
            let moved =
                inc.index_axis(Axis(0), k) != inc.index_axis(Axis(0), k + 1);
            assert_eq!(moved, w[1] < w[0]);
        }
    }
}
