//! Chapter 18: a design space of d variables — the box, the benchmark, the settings of every
//! campaign in the chapter, and the first look at the objective.

use gradbo::bo::{Campaign, Settings};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use ndarray::Array1;
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

/// The settings, R at the minimiser and at a random point, and a first Sobol design.
pub fn main() -> gradbo::Result<()> {
    // ANCHOR: first_look
    let r = ShiftedRosenbrock::new(DIM)?;
    let c = r.centres();
    println!("{}: d = {}, box [−2, 2]^{DIM}", r.name(), r.dim());
    println!("centres c = {c}, R(c) = {}", r.value(c.view())?);
    let x = random_point(&r, SEED);
    println!("a random point x = {x:.3}, R(x) = {:.2}", r.value(x.view())?);
    let design = draw_sobol_samples(r.bounds(), n_init(DIM), SEED)?;
    let y = r.values(design.view())?;
    let best = y.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "a Sobol design: x {:?}, y {:?}, lowest R {best:.2}",
        design.dim(),
        y.dim()
    );
    // ANCHOR_END: first_look
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_runs() {
        main().unwrap();
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
