//! Chapter 19: a batch loop on the shifted Rosenbrock function in four dimensions — each
//! round fits the GP, chooses q points by a strategy (jointly by qLogEI, or greedily by
//! LogEI conditioned on the points before, with or without a distance rule), evaluates all
//! q and appends them.

use gradbo::acquisition::{
    Acquisition, Direction, MonteCarlo, MonteCarloKind, MonteCarloOptions,
};
use gradbo::batch::{
    greedy_batch, pairwise_distances, BatchOptions, Conditioning, RadiusRule,
};
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::sampling::draw_sobol_samples;
use gradbo::{Bounds, Error, Result};
use ndarray::{concatenate, Array1, Array2, ArrayView1, ArrayView2, Axis};

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

/// The shifted Rosenbrock function on [−2, 2]ᵈ: with c = linspace(−1.5, 1.5, d) and
/// z = x − c + 1, R(x) = Σᵢ [100 (zᵢ₊₁ − zᵢ²)² + (1 − zᵢ)²]; R* = 0 at x = c.
pub fn objective(x: ArrayView1<'_, f64>) -> f64 {
    let d = x.len();
    let z: Vec<f64> = (0..d)
        .map(|i| {
            let c =
                if d > 1 { -1.5 + 3.0 * i as f64 / (d - 1) as f64 } else { 0.0 };
            x[i] - c + 1.0
        })
        .collect();
    z.windows(2)
        .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
        .sum()
}

/// The box [−2, 2]⁴.
pub fn bounds() -> Result<Bounds> {
    Bounds::cube(DIM, -2.0, 2.0)
}

// ANCHOR: strategy
/// How a round chooses its q points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Strategy {
    /// qLogEI maximised over the whole q × d block at once.
    Joint,
    /// LogEI one point at a time, each slot conditioned on the points before it, and
    /// optionally a distance rule between the batch's points (enforced in the search by a
    /// smooth barrier if `barrier`, and checked exactly on every candidate).
    Greedy { conditioning: Conditioning, rule: Option<RadiusRule>, barrier: bool },
}
// ANCHOR_END: strategy

impl Strategy {
    /// The greedy Kriging believer without a rule.
    pub const BELIEVER: Strategy = Strategy::Greedy {
        conditioning: Conditioning::KrigingBeliever,
        rule: None,
        barrier: true,
    };

    /// A short name for tables and legends.
    pub fn name(&self) -> String {
        match *self {
            Strategy::Joint => "joint qLogEI".into(),
            Strategy::Greedy { conditioning, rule, barrier } => {
                let base = match conditioning {
                    Conditioning::KrigingBeliever => "Kriging believer",
                    Conditioning::LocalPenalisation => "local penalisation",
                    Conditioning::None => "unconditioned",
                };
                match rule {
                    None => base.into(),
                    Some(RadiusRule::Exclude { radius }) => {
                        format!(
                            "{base}, exclusion r = {radius}{}",
                            if barrier { "" } else { ", no barrier" }
                        )
                    }
                    Some(RadiusRule::Include { radius }) => {
                        format!(
                            "{base}, inclusion r = {radius}{}",
                            if barrier { "" } else { ", no barrier" }
                        )
                    }
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
    pub strategy: Strategy,
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
/// The acquisition optimiser of round `round` of the run with seed `seed`.
pub fn acqf_options(seed: u64, round: usize) -> AcqfOptions {
    AcqfOptions {
        restarts: RESTARTS,
        raw_samples: RAW_SAMPLES,
        seed: seed.wrapping_mul(1000).wrapping_add(round as u64),
        ..AcqfOptions::default()
    }
}

/// The fixed base samples of round `round`.
pub fn monte_carlo_options(seed: u64, round: usize) -> MonteCarloOptions {
    MonteCarloOptions {
        samples: MC_SAMPLES,
        seed: seed.wrapping_mul(1000).wrapping_add(round as u64),
        ..MonteCarloOptions::default()
    }
}
// ANCHOR_END: settings

// ANCHOR: choose
/// The q points of one round for `model`, whose best observation is `best`.
pub fn choose(
    strategy: Strategy,
    model: &FittedGp,
    best: f64,
    q: usize,
    bounds: &Bounds,
    acqf: AcqfOptions,
    mc: MonteCarloOptions,
) -> Result<Round> {
    match strategy {
        Strategy::Joint => {
            let kind = MonteCarloKind::LogExpectedImprovement { best };
            let q_log_ei =
                MonteCarlo::new(model, kind, Direction::Minimise, q, &mc)?;
            // One search over q·d coordinates: the q points move together.
            let found = optimize_acqf(&q_log_ei, bounds, &acqf)?;
            let batch =
                found.x.into_shape_with_order((q, bounds.dim())).map_err(|e| {
                    Error::InvalidInput { context: "choose", reason: e.to_string() }
                })?;
            Ok(Round {
                batch,
                values: Array1::zeros(0),
                acquisition_value: found.value,
                fallback: 0,
                refused: 0,
            })
        }
        Strategy::Greedy { conditioning, rule, barrier } => {
            let options = BatchOptions {
                conditioning,
                rule,
                barrier,
                acqf,
                ..BatchOptions::new(q)
            };
            let log_ei = Acquisition::LogExpectedImprovement { best };
            let b = greedy_batch(
                model,
                log_ei,
                Direction::Minimise,
                bounds,
                None,
                &options,
            )?;
            if let Some(why) = b.shortfall {
                return Err(Error::InvalidInput { context: "choose", reason: why });
            }
            Ok(Round {
                fallback: b.fallback_slots(),
                refused: b.refused,
                acquisition_value: b.values.first().copied().unwrap_or(f64::NAN),
                batch: b.x,
                values: Array1::zeros(0),
            })
        }
    }
}
// ANCHOR_END: choose

// ANCHOR: run
/// ROUNDS rounds of `q` points by `strategy` from an N_INIT-point Sobol design drawn with
/// `seed`.
pub fn run(strategy: Strategy, q: usize, seed: u64) -> Result<Run> {
    let bounds = bounds()?;
    let design = draw_sobol_samples(&bounds, N_INIT, seed)?;
    let design_values: Array1<f64> =
        design.rows().into_iter().map(objective).collect();
    let (mut x, mut y) = (design.clone(), design_values.clone());
    let options = FitOptions {
        input_bounds: Some(bounds.clone()),
        ..FitOptions::single_task(DIM)
    };
    let mut rounds = Vec::new();
    for round in 0..ROUNDS {
        let model = fit(x.view(), &y, &options)?;
        let best = y.iter().copied().fold(f64::INFINITY, f64::min);
        let (acqf, mc) =
            (acqf_options(seed, round), monte_carlo_options(seed, round));
        let mut chosen = choose(strategy, &model, best, q, &bounds, acqf, mc)?;
        chosen.values = chosen.batch.rows().into_iter().map(objective).collect();
        x = concatenate(Axis(0), &[x.view(), chosen.batch.view()])
            .map_err(shape)?;
        y = concatenate(Axis(0), &[y.view(), chosen.values.view()])
            .map_err(shape)?;
        rounds.push(chosen);
    }
    Ok(Run { strategy, q, design, design_values, rounds })
}
// ANCHOR_END: run

fn shape(e: ndarray::ShapeError) -> Error {
    Error::InvalidInput { context: "run", reason: e.to_string() }
}

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
    let r = run(Strategy::Joint, 4, SEED)?;
    println!("{:?}", r.best_by_round());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn timing() {
        for (s, q) in [
            (Strategy::Joint, 6),
            (Strategy::Joint, 4),
            (Strategy::BELIEVER, 4),
            (
                Strategy::Greedy {
                    conditioning: Conditioning::KrigingBeliever,
                    rule: Some(RadiusRule::Exclude { radius: 2.0 }),
                    barrier: true,
                },
                4,
            ),
            (
                Strategy::Greedy {
                    conditioning: Conditioning::None,
                    rule: Some(RadiusRule::Exclude { radius: 2.0 }),
                    barrier: false,
                },
                4,
            ),
        ] {
            let t = Instant::now();
            let r = run(s, q, SEED).unwrap();
            println!(
                "{} q={q}: {:.1}s best {:?} fallback {:?}",
                s.name(),
                t.elapsed().as_secs_f64(),
                r.best_by_round(),
                r.rounds.iter().map(|r| r.fallback).collect::<Vec<_>>()
            );
        }
    }
}
