//! Chapter 18: a design space of d variables — the box, the benchmark and the settings of
//! every campaign in the chapter; a campaign with the library's `minimise`, and what to read
//! from it without seeing the surface — the best value so far, the incumbent's coordinates,
//! the learned lengthscales and noise.

use gradbo::bo::{minimise, Campaign, CampaignResult, Settings};
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use ndarray::{Array1, Array2};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

// ANCHOR: constants
/// The number of variables of the chapter's main campaign.
pub const DIM: usize = 5;
/// Its steps after the design.
pub const STEPS: usize = 20;
/// The seed of the chapter's single campaign.
pub const SEED: u64 = 7;
/// Sobol points the acquisition optimiser surveys (as many again around the best)…
pub const RAW_SAMPLES: usize = 256;
/// …and local runs started from them.
pub const RESTARTS: usize = 20;

/// The initial design's size: two points per variable.
pub fn n_init(dim: usize) -> usize {
    2 * dim
}
// ANCHOR_END: constants

// ANCHOR: campaign
/// A campaign of `n_init` Sobol points and `steps` steps, seeded with `seed`: the library's
/// loop (LogEI, with the survey around the best observations) and a stronger acquisition
/// optimiser than its default, as befits a box of several dimensions.
pub fn campaign(n_init: usize, steps: usize, seed: u64) -> Campaign {
    let mut settings = Settings::default();
    settings.acqf.raw_samples = RAW_SAMPLES;
    settings.acqf.restarts = RESTARTS;
    Campaign { n_init, n_steps: steps, names: None, seed, settings }
}
// ANCHOR_END: campaign

/// A point drawn uniformly from the problem's box with `seed`.
pub fn random_point(problem: &ShiftedRosenbrock, seed: u64) -> Array1<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (lo, hi) = (problem.bounds().lower(), problem.bounds().upper());
    Array1::from_shape_fn(problem.dim(), |i| rng.random_range(lo[i]..hi[i]))
}

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

/// A first look at R, then the chapter's campaign: d = 5, 10 Sobol points, 20 steps, seed 7.
pub fn main() -> gradbo::Result<()> {
    // ANCHOR: first_look
    let r = ShiftedRosenbrock::new(DIM)?;
    let c = r.centres();
    println!("{}: d = {}, box [−2, 2]^{DIM}", r.name(), r.dim());
    println!("centres c = {c}, R(c) = {}", r.value(c.view())?);
    let x = random_point(&r, SEED);
    println!("a random point x = {x:.3}, R(x) = {:.2}", r.value(x.view())?);
    // ANCHOR_END: first_look
    // ANCHOR: main
    let result = run(DIM, n_init(DIM), STEPS, SEED)?;
    println!(
        "{} values of the best so far, {} observations, {} fits, variables {:?}",
        result.best_so_far().len(),
        result.y.len(),
        result.history.len(),
        result.names
    );
    println!(
        "its Sobol design: {} points, lowest R {:.2}",
        result.n_init,
        result.best_so_far()[0]
    );
    println!("best R = {:.3} at {:.3} (R* = 0 at c)", result.best_y, result.best_x);
    // ANCHOR_END: main
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Axis;

    #[test]
    fn main_runs() {
        main().unwrap();
    }

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

    #[test]
    fn the_box_the_minimum_and_the_scale_of_r() {
        let r = ShiftedRosenbrock::new(DIM).unwrap();
        assert_eq!(r.centres().to_vec(), [-1.5, -0.75, 0.0, 0.75, 1.5]);
        assert_eq!(r.value(r.centres().view()).unwrap(), 0.0);
        assert_eq!(r.value(Array1::zeros(DIM).view()).unwrap(), 2541.65625);
        // A random point of the box is far up the walls: R is in the hundreds or more.
        for seed in 0..20 {
            let x = random_point(&r, seed);
            assert!(r.bounds().contains(x.view()));
            assert!(r.value(x.view()).unwrap() > 10.0);
        }
    }

    #[test]
    fn the_campaign_settings() {
        let c = campaign(n_init(DIM), STEPS, SEED);
        assert_eq!((c.n_init, c.n_steps, c.seed), (10, 20, 7));
        assert_eq!(
            (c.settings.acqf.raw_samples, c.settings.acqf.restarts),
            (256, 20)
        );
        assert!(c.settings.around_best);
        assert_eq!(c.settings.acquisition, Settings::default().acquisition);
    }
}
