//! Chapter 22: Bayesian optimisation of a latent objective seen through noise — a fixed-noise
//! GP, a model-based incumbent, and three ways to spend the same budget: LogEI on new
//! points, a rule that sometimes replicates the best-looking point, and qLogNEI (or the
//! PyTorch course's qNEI). Every run is judged by the latent value at its recommendation.

use gradbo::acquisition::monte_carlo::PruneOptions;
use gradbo::acquisition::{
    Acquisition, AcquisitionFunction, Analytic, Direction, MonteCarloOptions,
    NoisyExpectedImprovement, NoisyOptions,
};
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::models::Model;
use gradbo::noise::{model_incumbent, Action, Reason, ReplicationRule};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{ComplexFamily, TestProblem};
use gradbo::{Bounds, Result};
use ndarray::{Array, Array1, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

// ANCHOR: constants
/// The noise's standard deviation σ: every observation is y = f(x) + ε, ε ~ N(0, σ²).
pub const SIGMA: f64 = 0.12;
/// Its variance σ² = 0.0144, known to the model.
pub const NOISE_VARIANCE: f64 = SIGMA * SIGMA;
/// Points of the grid on which recommendations are made.
pub const GRID: usize = 600;
/// Scrambled Sobol points of the initial design.
pub const N_INIT: usize = 8;
/// The seed of the chapter's single run.
pub const SEED: u64 = 7;
/// Steps of the single run.
pub const STEPS: usize = 15;
// ANCHOR_END: constants

// ANCHOR: problem
/// The latent objective, to be minimised on [−3, 3]: Part 4's family with (a₂, a_t) =
/// (0.95, 0.24), whose global minimum is the narrow dip near −0.345.
pub fn problem() -> ComplexFamily {
    ComplexFamily::noise_and_replication()
}

/// The recommendation grid: 600 points from −3 to 3.
pub fn grid() -> Array1<f64> {
    Array::linspace(-3.0, 3.0, GRID)
}

/// One noisy observation of f at x.
pub fn observe(f: &ComplexFamily, x: f64, rng: &mut ChaCha8Rng) -> f64 {
    let e: f64 = rng.sample(StandardNormal);
    f.eval(x) + SIGMA * e
}

/// The initial design of `seed`: 8 scrambled Sobol points, each observed once with noise
/// drawn from the same seed.
pub fn initial_design(seed: u64) -> Result<(Array2<f64>, Array1<f64>)> {
    let f = problem();
    let x = draw_sobol_samples(f.bounds(), N_INIT, seed)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let y = x.column(0).mapv(|v| observe(&f, v, &mut rng));
    Ok((x, y))
}
// ANCHOR_END: problem

// ANCHOR: model
/// The fixed-noise GP: BoTorch's single-task GP told the noise variance of every
/// observation (0.0144 each), so it learns the lengthscale and the mean but no noise.
pub fn fit_model(x: &Array2<f64>, y: &Array1<f64>) -> Result<FittedGp> {
    let noise = Array1::from_elem(y.len(), NOISE_VARIANCE);
    fit(x.view(), y, &FitOptions::fixed_noise(1, noise))
}

/// The model's recommendation: the grid point of lowest posterior mean, with the mean and
/// the posterior standard deviation there.
pub fn recommend(model: &FittedGp) -> Result<(f64, f64, f64)> {
    let g = grid();
    let p = model.marginals(g.view().insert_axis(Axis(1)))?;
    let k = (0..GRID).fold(0, |b, i| if p.mean[i] < p.mean[b] { i } else { b });
    Ok((g[k], p.mean[k], p.variance[k].sqrt()))
}
// ANCHOR_END: model

/// The number of distinct locations after rounding to four decimals.
pub fn unique_locations(x: &Array2<f64>) -> usize {
    let mut keys: Vec<i64> =
        x.column(0).iter().map(|v| (v * 1e4).round_ties_even() as i64).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

// ANCHOR: methods
/// How a loop spends its next evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Analytic LogEI on the model-based incumbent: always a new point.
    LogEi,
    /// The replication rule: replicate the best-looking observed point, or take LogEI's.
    Replication,
    /// Noisy expected improvement with every observed point as baseline: qLogNEI if `log`,
    /// the plain qNEI of the PyTorch course otherwise.
    NoisyEi { log: bool },
}

/// The optimiser's effort: local runs, raw Sobol points and Monte Carlo draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effort {
    pub restarts: usize,
    pub raw_samples: usize,
    pub mc_samples: usize,
}

/// The single run's effort.
pub const SINGLE: Effort =
    Effort { restarts: 10, raw_samples: 128, mc_samples: 128 };
/// The ten-seed study's effort.
pub const STUDY: Effort = Effort { restarts: 8, raw_samples: 96, mc_samples: 96 };
// ANCHOR_END: methods

impl Method {
    /// A short name for tables and legends.
    pub fn name(&self) -> &'static str {
        match self {
            Method::LogEi => "LogEI",
            Method::Replication => "replication rule",
            Method::NoisyEi { log: true } => "qLogNEI",
            Method::NoisyEi { log: false } => "qNEI",
        }
    }
}

// ANCHOR: propose
/// The next point to evaluate under `method`, for the data `x` and its model, and why:
/// `Some(reason)` when the replication rule decided (to replicate or not).
pub fn propose(
    method: Method,
    model: &FittedGp,
    x: &Array2<f64>,
    effort: Effort,
    seed: u64,
    rule: &ReplicationRule,
) -> Result<(f64, Option<Reason>)> {
    let f = problem();
    let bounds: &Bounds = f.bounds();
    let options = AcqfOptions {
        restarts: effort.restarts,
        raw_samples: effort.raw_samples,
        seed,
        ..AcqfOptions::default()
    };
    let log_ei = |model: &FittedGp| -> Result<f64> {
        let best = model_incumbent(model, x.view(), Direction::Minimise)?.mean;
        let acqf = Analytic::new(
            model,
            Acquisition::LogExpectedImprovement { best },
            Direction::Minimise,
        )?;
        Ok(optimize_acqf(&acqf, bounds, &options)?.x[0])
    };
    match method {
        Method::LogEi => Ok((log_ei(model)?, None)),
        Method::Replication => {
            let decision = rule.decide(model, x.view(), Direction::Minimise)?;
            match decision.action {
                Action::Replicate(at) => Ok((at[0], Some(decision.reason))),
                Action::Explore => Ok((log_ei(model)?, Some(decision.reason))),
            }
        }
        Method::NoisyEi { log } => {
            let noisy = NoisyOptions {
                log,
                monte_carlo: MonteCarloOptions {
                    samples: effort.mc_samples,
                    seed,
                    ..MonteCarloOptions::default()
                },
                prune: Some(PruneOptions { seed, ..PruneOptions::default() }),
            };
            let acqf = NoisyExpectedImprovement::new(
                model,
                x.view(),
                Direction::Minimise,
                1,
                &noisy,
            )?;
            debug_assert_eq!(acqf.q(), 1);
            Ok((optimize_acqf(&acqf, bounds, &options)?.x[0], None))
        }
    }
}
// ANCHOR_END: propose

/// What the model says after a step, and what is true there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Observations so far.
    pub observations: usize,
    /// Distinct locations among them.
    pub unique: usize,
    /// The lowest noisy observation.
    pub best_noisy: f64,
    /// The lowest latent value among the points observed (known only to us).
    pub best_latent: f64,
    /// The recommendation: the grid point of lowest posterior mean…
    pub recommended: f64,
    /// …the latent value there…
    pub latent: f64,
    /// …and the posterior standard deviation there.
    pub sd: f64,
}

impl Summary {
    /// The recommendation's regret: its latent value minus the grid minimum.
    pub fn regret(&self) -> f64 {
        self.latent - grid_minimum().1
    }
}

/// The grid minimiser of the latent f and its value.
pub fn grid_minimum() -> (f64, f64) {
    let f = problem();
    grid().iter().map(|&x| (x, f.eval(x))).fold(
        (f64::NAN, f64::INFINITY),
        |b, p| {
            if p.1 < b.1 {
                p
            } else {
                b
            }
        },
    )
}

/// The summary of the data `x`, `y` under their model.
pub fn summarise(
    model: &FittedGp,
    x: &Array2<f64>,
    y: &Array1<f64>,
) -> Result<Summary> {
    let f = problem();
    let (recommended, _, sd) = recommend(model)?;
    Ok(Summary {
        observations: y.len(),
        unique: unique_locations(x),
        best_noisy: y.iter().copied().fold(f64::INFINITY, f64::min),
        best_latent: x
            .column(0)
            .iter()
            .map(|&v| f.eval(v))
            .fold(f64::INFINITY, f64::min),
        recommended,
        latent: f.eval(recommended),
        sd,
    })
}

/// One step: where it evaluated, what it saw, and the replication rule's reason.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub x: f64,
    pub y: f64,
    pub reason: Option<Reason>,
    /// Whether the point had been evaluated before.
    pub replicated: bool,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub method: Method,
    /// Every observation, the design's first.
    pub x: Array2<f64>,
    pub y: Array1<f64>,
    pub steps: Vec<Step>,
    /// The summary before each step and after the last: steps + 1 of them.
    pub summaries: Vec<Summary>,
}

impl Run {
    /// The final summary.
    pub fn last(&self) -> &Summary {
        &self.summaries[self.summaries.len() - 1]
    }

    /// Steps that evaluated a point already observed.
    pub fn replications(&self) -> usize {
        self.steps.iter().filter(|s| s.replicated).count()
    }
}

// ANCHOR: run
/// `steps` steps of `method` from the design (`x0`, `y0`): each fits the fixed-noise GP,
/// summarises, proposes, observes with noise from `seed` and appends; a final fit
/// summarises the end.
pub fn run(
    method: Method,
    (x0, y0): (&Array2<f64>, &Array1<f64>),
    steps: usize,
    effort: Effort,
    seed: u64,
) -> Result<Run> {
    let f = problem();
    let rule = ReplicationRule::default();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut x, mut y) = (x0.clone(), y0.clone());
    let (mut record, mut summaries) = (Vec::new(), Vec::new());
    for k in 0..steps {
        let model = fit_model(&x, &y)?;
        summaries.push(summarise(&model, &x, &y)?);
        let step_seed = seed.wrapping_mul(1000).wrapping_add(k as u64);
        let (next, reason) = propose(method, &model, &x, effort, step_seed, &rule)?;
        let replicated =
            x.column(0).iter().any(|&v| (v - next).abs() <= rule.tolerance);
        let value = observe(&f, next, &mut rng);
        x = ndarray::concatenate![Axis(0), x, ndarray::array![[next]]];
        y = ndarray::concatenate![Axis(0), y, ndarray::array![value]];
        record.push(Step { x: next, y: value, reason, replicated });
    }
    summaries.push(summarise(&fit_model(&x, &y)?, &x, &y)?);
    Ok(Run { method, x, y, steps: record, summaries })
}
// ANCHOR_END: run

/// The three methods of the chapter, in the order of every table.
pub const METHODS: [Method; 3] =
    [Method::LogEi, Method::Replication, Method::NoisyEi { log: true }];

pub fn main() -> Result<()> {
    let design = initial_design(SEED)?;
    let (xm, fm) = grid_minimum();
    println!("grid minimiser x = {xm:.6}, latent f = {fm:.6}; noise σ = {SIGMA}");
    println!("method            observations  unique  best noisy  recommended x  latent f  regret");
    for method in METHODS {
        let r = run(method, (&design.0, &design.1), STEPS, SINGLE, SEED)?;
        let s = r.last();
        println!(
            "{:<17} {:>12}  {:>6}  {:>10.4}  {:>13.4}  {:>8.4}  {:>6.4}",
            method.name(),
            s.observations,
            s.unique,
            s.best_noisy,
            s.recommended,
            s.latent,
            s.regret()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latent_objective_has_the_course_s_grid_minimum_and_values() {
        let (x, v) = grid_minimum();
        assert!((x + 0.3455759599332221).abs() < 1e-15, "{x}");
        assert!((v + 0.9774750898844072).abs() < 1e-15, "{v}");
        let f = problem();
        assert!((f.eval(-1.803161) + 0.164846).abs() < 5e-6);
        assert!((f.eval(1.593833) + 0.743405).abs() < 5e-6);
        // The continuous minimum lies just beside the grid's.
        assert!((f.minimiser() + 0.34498).abs() < 1e-5);
    }

    #[test]
    fn the_design_is_eight_noisy_sobol_points() {
        let (x, y) = initial_design(SEED).unwrap();
        assert_eq!((x.nrows(), y.len()), (8, 8));
        let f = problem();
        // Noise of σ = 0.12: every residual within 4σ, not all zero.
        let r: Vec<f64> =
            x.column(0).iter().zip(&y).map(|(&x, y)| y - f.eval(x)).collect();
        assert!(
            r.iter().all(|e| e.abs() < 4.0 * SIGMA)
                && r.iter().any(|e| e.abs() > 1e-3)
        );
        assert_eq!(initial_design(SEED).unwrap(), (x, y));
    }

    #[test]
    fn each_method_ends_with_twenty_three_observations_and_a_recommendation() {
        let design = initial_design(SEED).unwrap();
        let light = Effort { restarts: 3, raw_samples: 32, mc_samples: 32 };
        for method in METHODS {
            let r = run(method, (&design.0, &design.1), 4, light, SEED).unwrap();
            assert_eq!(r.y.len(), 12);
            assert_eq!(r.summaries.len(), 5);
            let s = r.last();
            assert!(s.unique <= 12 && s.unique >= 8);
            assert!(
                (-3.0..=3.0).contains(&s.recommended) && s.sd > 0.0 && s.sd < 1.0
            );
            // Regret against the grid minimum: never much below zero.
            assert!(s.regret() > -1e-3);
            match method {
                Method::Replication => {
                    assert!(r.steps.iter().all(|s| s.reason.is_some()));
                    assert_eq!(s.unique, 12 - r.replications());
                }
                _ => assert!(r.steps.iter().all(|s| s.reason.is_none())),
            }
        }
    }

    #[test]
    fn unique_locations_round_to_four_decimals() {
        let x = ndarray::array![[0.12344], [0.12341], [0.5], [0.50006]];
        assert_eq!(unique_locations(&x), 3);
    }
}
