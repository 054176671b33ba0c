//! Chapter 19: a batch loop on the shifted Rosenbrock function in four dimensions — each
//! round asks the library's `Optimizer` for q points, chosen by a strategy (jointly by
//! qLogEI, or greedily by LogEI conditioned on the points before, with or without a
//! distance rule), evaluates all q and tells it the results.

use gradbo::acquisition::{
    Direction, MonteCarlo, MonteCarloKind, MonteCarloOptions,
};
use gradbo::batch::{pairwise_distances, Conditioning, GreedyOptions, RadiusRule};
use gradbo::bo::{BatchChoice, Optimizer, Settings};
use gradbo::gp::FittedGp;
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use gradbo::{Bounds, Error, Result};
use ndarray::{Array1, Array2, ArrayView2};

// ANCHOR: constants
/// Variables.
pub const DIM: usize = 4;
/// Scrambled Sobol points of the initial design.
pub const N_INIT: usize = 8;
/// Rounds of q parallel experiments.
pub const ROUNDS: usize = 8;
/// The seed of the chapter's first run.
pub const SEED: u64 = 7;
/// Local runs of the acquisition optimiser…
pub const RESTARTS: usize = 20;
/// …from this many raw Sobol points (each a whole q-point batch for the joint search).
pub const RAW_SAMPLES: usize = 256;
/// Quasi-Monte Carlo samples of the joint posterior behind qLogEI.
pub const MC_SAMPLES: usize = 128;
/// The radius of the distance rules.
pub const RADIUS: f64 = 2.0;
// ANCHOR_END: constants

// ANCHOR: problem
/// Part 5's benchmark in four dimensions: the shifted Rosenbrock function on [−2, 2]⁴,
/// R* = 0 at c = (−1.5, −0.5, 0.5, 1.5).
pub fn problem() -> Result<ShiftedRosenbrock> {
    ShiftedRosenbrock::new(DIM)
}
// ANCHOR_END: problem

// ANCHOR: strategy
/// The greedy Kriging believer, under `rule` if there is one (kept by the barrier inside
/// the search and by an exact check on every candidate).
pub fn believer(rule: Option<RadiusRule>) -> BatchChoice {
    let believer = GreedyOptions::new(Conditioning::KrigingBeliever);
    BatchChoice::Greedy(match rule {
        Some(rule) => believer.with_rule(rule),
        None => believer,
    })
}
// ANCHOR_END: strategy

/// A short name for tables and legends.
pub fn name(strategy: BatchChoice) -> String {
    match strategy {
        BatchChoice::Joint => "joint qLogEI".into(),
        BatchChoice::Sequential => "sequential qLogEI".into(),
        BatchChoice::Greedy(g) => {
            let base = match g.conditioning {
                Conditioning::KrigingBeliever => "Kriging believer",
                Conditioning::LocalPenalisation => "local penalisation",
                Conditioning::None => "unconditioned",
            };
            let barrier = if g.barrier { "" } else { ", no barrier" };
            match g.rule {
                None => base.into(),
                Some(RadiusRule::Exclude { radius }) => {
                    format!("{base}, exclusion r = {radius}{barrier}")
                }
                Some(RadiusRule::Include { radius }) => {
                    format!("{base}, inclusion r = {radius}{barrier}")
                }
            }
        }
    }
}

/// One round: the batch run, its values, and how it was built.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// The q points, one per row.
    pub batch: Array2<f64>,
    /// R at each of them.
    pub values: Array1<f64>,
    /// The acquisition value of the batch (joint) or of its first point (greedy).
    pub acquisition_value: f64,
    /// Slots filled by the Sobol fallback (greedy with a rule).
    pub fallback: usize,
    /// Candidates a rule refused.
    pub refused: usize,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub strategy: BatchChoice,
    pub q: usize,
    /// The initial design and its values.
    pub design: Array2<f64>,
    pub design_values: Array1<f64>,
    pub rounds: Vec<Round>,
}

impl Run {
    /// The best value after the design and after each round: ROUNDS + 1 states.
    pub fn best_by_round(&self) -> Vec<f64> {
        let mut best =
            self.design_values.iter().copied().fold(f64::INFINITY, f64::min);
        let mut out = vec![best];
        for r in &self.rounds {
            best = r.values.iter().copied().fold(best, f64::min);
            out.push(best);
        }
        out
    }

    /// (evaluations so far, best value) after the design and after each round.
    pub fn best_by_evaluations(&self) -> Vec<(usize, f64)> {
        self.best_by_round()
            .into_iter()
            .enumerate()
            .map(|(k, b)| (self.design.nrows() + k * self.q, b))
            .collect()
    }

    /// Every point evaluated, design first.
    pub fn inputs(&self) -> Array2<f64> {
        let mut x = self.design.clone();
        for r in &self.rounds {
            for row in r.batch.rows() {
                let _ = x.push_row(row);
            }
        }
        x
    }
}

// ANCHOR: settings
/// The loop's settings for `strategy` in the run with seed `seed`. The optimiser adds the
/// round to both seeds, so every round has its own starts and its own fixed base samples.
pub fn settings(strategy: BatchChoice, seed: u64) -> Settings {
    let seed = seed.wrapping_mul(1000);
    Settings {
        batch: strategy,
        acqf: AcqfOptions {
            restarts: RESTARTS,
            raw_samples: RAW_SAMPLES,
            seed,
            ..AcqfOptions::default()
        },
        monte_carlo: MonteCarloOptions {
            samples: MC_SAMPLES,
            seed,
            ..MonteCarloOptions::default()
        },
        // Sobol starts only, without Chapter 17's survey beside the best observations.
        around_best: false,
        ..Settings::default()
    }
}
// ANCHOR_END: settings

// ANCHOR: joint
/// What `ask_batch` does for `BatchChoice::Joint`, written out: qLogEI of q points for
/// `model` (best observation `best`), maximised over the whole q × d block at once.
pub fn joint_batch(
    model: &FittedGp,
    best: f64,
    q: usize,
    bounds: &Bounds,
    acqf: &AcqfOptions,
    mc: &MonteCarloOptions,
) -> Result<Array2<f64>> {
    let kind = MonteCarloKind::LogExpectedImprovement { best };
    let q_log_ei = MonteCarlo::new(model, kind, Direction::Minimise, q, mc)?;
    // One search over q·d coordinates: the q points move together.
    let found = optimize_acqf(&q_log_ei, bounds, acqf)?;
    found.x.into_shape_with_order((q, bounds.dim())).map_err(|e| {
        Error::InvalidInput { context: "joint_batch", reason: e.to_string() }
    })
}
// ANCHOR_END: joint

// ANCHOR: run
/// ROUNDS rounds of `q` points by `strategy` from an N_INIT-point Sobol design drawn with
/// `seed`.
pub fn run(strategy: BatchChoice, q: usize, seed: u64) -> Result<Run> {
    let problem = problem()?;
    let bounds = problem.bounds().clone();
    let design = draw_sobol_samples(&bounds, N_INIT, seed)?;
    let design_values = problem.values(design.view())?;
    let mut opt =
        Optimizer::new(bounds, Direction::Minimise, settings(strategy, seed))?;
    opt.tell(design.view(), design_values.view())?;
    let mut rounds = Vec::new();
    for _ in 0..ROUNDS {
        // Fit the GP to everything told, choose q points; they are pending until told.
        let batch = opt.ask_batch(q)?;
        // Run the q experiments (in parallel, in a laboratory) and report them.
        let values = problem.values(batch.view())?;
        opt.tell(batch.view(), values.view())?;
        let record = &opt.history()[rounds.len()];
        rounds.push(Round {
            batch,
            values,
            acquisition_value: record.acquisition_value,
            fallback: record.fallback_slots,
            refused: record.refused,
        });
    }
    Ok(Run { strategy, q, design, design_values, rounds })
}
// ANCHOR_END: run

// ANCHOR: geometry
/// The mean, smallest and largest distance between two points of a batch (all 0 for a
/// single point).
pub fn geometry(batch: ArrayView2<'_, f64>) -> [f64; 3] {
    let d = pairwise_distances(batch);
    if d.is_empty() {
        return [0.0; 3];
    }
    let mean = d.iter().sum::<f64>() / d.len() as f64;
    let min = d.iter().copied().fold(f64::INFINITY, f64::min);
    let max = d.iter().copied().fold(0.0, f64::max);
    [mean, min, max]
}
// ANCHOR_END: geometry

pub fn main() -> Result<()> {
    let run = run(BatchChoice::Joint, 4, SEED)?;
    println!("best R after the design and each round: {:?}", run.best_by_round());
    for (k, round) in run.rounds.iter().enumerate() {
        let [mean, min, max] = geometry(round.batch.view());
        println!(
            "round {}: distances mean {mean:.2}, min {min:.2}, max {max:.2}",
            k + 1
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn geometry_of_a_unit_square() {
        let square = array![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]];
        let [mean, min, max] = geometry(square.view());
        let root2 = 2f64.sqrt();
        assert!((mean - (4.0 + 2.0 * root2) / 6.0).abs() < 1e-15);
        assert_eq!((min, max), (1.0, root2));
        assert_eq!(geometry(array![[0.3, 0.4]].view()), [0.0; 3]);
    }

    #[test]
    fn a_run_of_four_per_round_has_nine_states_and_forty_observations() {
        let r = run(BatchChoice::Joint, 4, SEED).unwrap();
        let best = r.best_by_round();
        assert_eq!(best.len(), ROUNDS + 1);
        assert_eq!(r.inputs().nrows(), 40);
        assert_eq!(r.rounds[ROUNDS - 1].batch.dim(), (4, 4));
        assert_eq!(r.best_by_evaluations().last().map(|p| p.0), Some(40));
        assert!(best.windows(2).all(|w| w[1] <= w[0]));
        // The loop improves on its design by more than a factor of four.
        assert!(best[ROUNDS] < best[0] / 4.0, "{best:?}");
        let bounds = problem().unwrap().bounds().clone();
        assert!(r.inputs().rows().into_iter().all(|x| bounds.contains(x)));
    }

    /// The chapter's settings for `strategy` with a light acquisition optimiser and
    /// Monte Carlo estimate.
    fn light(strategy: BatchChoice) -> Settings {
        let base = settings(strategy, SEED);
        Settings {
            acqf: AcqfOptions { restarts: 4, raw_samples: 64, ..base.acqf.clone() },
            monte_carlo: MonteCarloOptions { samples: 64, ..base.monte_carlo },
            ..base
        }
    }

    /// An optimiser for `strategy` (light settings) told the seed-7 design.
    fn first_optimizer(strategy: BatchChoice) -> Optimizer {
        let problem = problem().unwrap();
        let bounds = problem.bounds().clone();
        let mut opt =
            Optimizer::new(bounds.clone(), Direction::Minimise, light(strategy))
                .unwrap();
        let x = draw_sobol_samples(&bounds, N_INIT, SEED).unwrap();
        opt.tell(x.view(), problem.values(x.view()).unwrap().view()).unwrap();
        opt
    }

    #[test]
    fn the_joint_batch_written_out_is_the_optimizer_s() {
        let mut opt = first_optimizer(BatchChoice::Joint);
        let theirs = opt.ask_batch(2).unwrap();
        let (model, best) = (opt.model().unwrap(), opt.best().unwrap().1);
        let s = light(BatchChoice::Joint);
        let mine =
            joint_batch(model, best, 2, opt.bounds(), &s.acqf, &s.monte_carlo)
                .unwrap();
        assert!(
            (&mine - &theirs).iter().all(|d| d.abs() < 1e-12),
            "{mine} vs {theirs}"
        );
    }

    #[test]
    fn conditioned_rules_are_kept_without_the_fallback() {
        for rule in [
            RadiusRule::Exclude { radius: RADIUS },
            RadiusRule::Include { radius: RADIUS },
        ] {
            let mut opt = first_optimizer(believer(Some(rule)));
            let batch = opt.ask_batch(4).unwrap();
            let [_, min, max] = geometry(batch.view());
            match rule {
                RadiusRule::Exclude { .. } => {
                    assert!(min >= RADIUS - 1e-8, "{min}")
                }
                RadiusRule::Include { .. } => {
                    assert!(max <= RADIUS + 1e-8 && min >= 1e-3)
                }
            }
            assert_eq!((opt.history()[0].fallback_slots, batch.nrows()), (0, 4));
        }
    }

    #[test]
    fn an_unconditioned_selector_fills_the_later_slots_from_the_fallback() {
        let course = GreedyOptions {
            barrier: false,
            ..GreedyOptions::new(Conditioning::None)
                .with_rule(RadiusRule::Exclude { radius: RADIUS })
        };
        let mut opt = first_optimizer(BatchChoice::Greedy(course));
        opt.ask_batch(4).unwrap();
        let record = &opt.history()[0];
        // Nearly always the same maximiser: all 25 attempts refused in at least two of the
        // slots 2–4 (in all three with the chapter's optimiser), filled from the fallback.
        assert!(record.fallback_slots >= 2 && record.refused >= 50, "{record:?}");
    }
}
