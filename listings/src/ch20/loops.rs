//! Three loops on the catalyst problem, from the same initial design: the naive latent loop
//! (evaluate the acquisition maximiser whatever it repairs to), the repair-aware latent loop
//! (reject a proposal whose repaired experiment has been run), and the mixed-space loop (a
//! model of the experiments themselves, its acquisition function scored on every feasible
//! experiment not yet run).

use gradbo::acquisition::{Acquisition, Analytic, Direction};
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::mixed::{
    optimize_acqf_discrete, optimize_acqf_mixed, Combination, MixedSpace, Variable,
};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::catalyst::{
    Catalyst, Design, DesignKey, Pipeline, Solvent, LOADING_RANGE, TIME_LEVELS,
};
use gradbo::{Bounds, Error};
use ndarray::{Array1, Array2, ArrayView1, Axis};
use std::collections::BTreeSet;

/// The chapter's seed.
pub const SEED: u64 = 6;
/// Latent points in the initial Sobol design.
pub const N_INIT: usize = 8;
/// Evaluations after the initial design.
pub const STEPS: usize = 20;
/// Times the repair-aware loop maximises the acquisition function before falling back.
pub const ATTEMPTS: usize = 40;
/// Single Sobol points the repair-aware loop tries after that.
pub const FALLBACK: usize = 200;

/// The chapter's pipeline: snapping in the repair.
pub const PROBLEM: Catalyst = Catalyst::new(Pipeline::SnapInRepair);

// ANCHOR: design
/// The initial design: `N_INIT` scrambled Sobol points of the latent cube [0, 1]⁴.
pub fn initial_design(seed: u64) -> gradbo::Result<Array2<f64>> {
    draw_sobol_samples(&Bounds::unit(Catalyst::LATENT_DIM)?, N_INIT, seed)
}
// ANCHOR_END: design

/// How a loop chooses its next experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Latent GP; the maximiser of LogEI, whatever it repairs to.
    Naive,
    /// Latent GP; proposals whose repaired experiment has been run are rejected.
    RepairAware,
    /// GP on the encoded experiments; LogEI over every reachable experiment not yet run.
    Mixed,
    /// GP on the encoded experiments; LogEI maximised over T and L inside each solvent's
    /// window, for each solvent and time, the best proposal snapped to the grids.
    MixedContinuous,
}

impl Method {
    /// The three methods of the chapter's first comparison, in its order.
    pub const ALL: [Method; 3] =
        [Method::Naive, Method::RepairAware, Method::Mixed];

    /// A label for tables and legends.
    pub fn label(self) -> &'static str {
        match self {
            Method::Naive => "naive latent",
            Method::RepairAware => "repair-aware latent",
            Method::Mixed => "mixed space",
            Method::MixedContinuous => "mixed, continuous T and L",
        }
    }
}

/// One run of a loop.
#[derive(Debug, Clone)]
pub struct Run {
    /// The method.
    pub method: Method,
    /// The seed of the initial design and of the acquisition optimiser.
    pub seed: u64,
    /// The latent point of every evaluation (the mixed loop has none after the design).
    pub latent: Vec<Option<Array1<f64>>>,
    /// The repaired experiment of every evaluation, initial design first.
    pub designs: Vec<Design>,
    /// The score of every evaluation.
    pub scores: Vec<f64>,
    /// The best score in each state: the design's, then one per step (`STEPS + 1`).
    pub best: Vec<f64>,
    /// Proposals rejected in each step because their experiment had been run.
    pub rejections: Vec<usize>,
    /// Steps in which no optimiser attempt was accepted and a Sobol point was.
    pub fallbacks: usize,
    /// In each step of the repair-aware loop, which optimiser attempt (0 = the first) was
    /// accepted, or `None` when the Sobol fallback supplied the point.
    pub accepted_attempt: Vec<Option<usize>>,
}

impl Run {
    /// The cumulative number of distinct experiments among the accepted candidates, after
    /// each step (the initial design not counted).
    pub fn distinct_accepted(&self) -> Vec<usize> {
        let mut seen = BTreeSet::new();
        self.designs[N_INIT..]
            .iter()
            .map(|d| {
                seen.insert(d.key());
                seen.len()
            })
            .collect()
    }

    /// The number of distinct experiments run, initial design included.
    pub fn distinct(&self) -> usize {
        self.designs.iter().map(Design::key).collect::<BTreeSet<_>>().len()
    }

    /// The evaluation with the best score (the first on a tie).
    pub fn best_index(&self) -> usize {
        (0..self.scores.len())
            .reduce(|b, i| if self.scores[i] > self.scores[b] { i } else { b })
            .unwrap_or(0)
    }
}

// ANCHOR: model
/// LogEI, for maximisation, from a GP fitted to the scores at the rows of `x` (points of
/// the unit cube: latent points, or encoded experiments).
pub fn fit_scores(x: &Array2<f64>, scores: &[f64]) -> gradbo::Result<FittedGp> {
    let d = x.ncols();
    let options = FitOptions {
        input_bounds: Some(Bounds::unit(d)?),
        threads: 1,
        ..FitOptions::single_task(d)
    };
    fit(x.view(), &Array1::from(scores.to_vec()), &options)
}

/// The acquisition optimiser's settings in the latent loops: q = 1, 20 restarts, 256 raw
/// samples.
pub fn acqf_options(seed: u64) -> AcqfOptions {
    AcqfOptions { restarts: 20, raw_samples: 256, seed, ..AcqfOptions::default() }
}
// ANCHOR_END: model

fn best_of(scores: &[f64]) -> f64 {
    scores.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

fn rows(points: &[Array1<f64>], d: usize) -> gradbo::Result<Array2<f64>> {
    let mut x = Array2::zeros((0, d));
    for p in points {
        x.push_row(p.view()).map_err(|_| Error::ShapeMismatch {
            context: "ch20 rows",
            expected: vec![d],
            found: vec![p.len()],
        })?;
    }
    Ok(x)
}

/// Runs `method` from the initial design of `seed`, the repair-aware loop with `ATTEMPTS`
/// optimiser attempts per step.
pub fn run(method: Method, seed: u64) -> gradbo::Result<Run> {
    run_with(method, seed, ATTEMPTS)
}

/// Runs `method` from the initial design of `seed`, the repair-aware loop with `attempts`
/// optimiser attempts per step before its Sobol fallback.
pub fn run_with(method: Method, seed: u64, attempts: usize) -> gradbo::Result<Run> {
    let design = initial_design(seed)?;
    let mut latent: Vec<Array1<f64>> =
        design.rows().into_iter().map(|r| r.to_owned()).collect();
    let mut run = Run {
        method,
        seed,
        latent: latent.iter().cloned().map(Some).collect(),
        designs: Vec::new(),
        scores: Vec::new(),
        best: Vec::new(),
        rejections: Vec::new(),
        fallbacks: 0,
        accepted_attempt: Vec::new(),
    };
    for r in &latent {
        let e = PROBLEM.evaluate(r.view())?;
        run.designs.push(e.repaired.design);
        run.scores.push(e.score);
    }
    let mut seen: BTreeSet<DesignKey> =
        run.designs.iter().map(Design::key).collect();
    let space = experiment_space()?;
    let feasible = feasible_set()?;
    let windows = window_combinations(&space)?;
    // 21 states: the design's, then one after each of the 20 evaluations.
    for step in 0..=STEPS {
        run.best.push(best_of(&run.scores));
        if step == STEPS {
            break;
        }
        let step_seed =
            seed.wrapping_mul(1_000_003).wrapping_add(1000 * step as u64);
        let (point, design, rejected) = match method {
            Method::Naive | Method::RepairAware => {
                let model =
                    fit_scores(&rows(&latent, Catalyst::LATENT_DIM)?, &run.scores)?;
                let best = best_of(&run.scores);
                let log_ei = Analytic::new(
                    &model,
                    Acquisition::LogExpectedImprovement { best },
                    Direction::Maximise,
                )?;
                if method == Method::Naive {
                    let x = optimize_acqf(
                        &log_ei,
                        &Bounds::unit(4)?,
                        &acqf_options(step_seed),
                    )?
                    .x;
                    let d = PROBLEM.evaluate(x.view())?.repaired.design;
                    (Some(x), d, 0)
                } else {
                    let (x, d, rejected, attempt) =
                        repair_aware_choice(&log_ei, &seen, step_seed, attempts)?;
                    run.fallbacks += usize::from(attempt.is_none());
                    run.accepted_attempt.push(attempt);
                    (Some(x), d, rejected)
                }
            }
            Method::Mixed => {
                // ANCHOR: mixed_step
                // The model sees the experiments run so far, encoded: T, L, t in [0, 1],
                // the solvent one-hot.
                let encoded = space.encode(natural(&run.designs).view())?;
                let model = fit_scores(&encoded, &run.scores)?;
                let best = best_of(&run.scores);
                let log_ei = Analytic::new(
                    &model,
                    Acquisition::LogExpectedImprovement { best },
                    Direction::Maximise,
                )?;
                let evaluated = natural(&run.designs);
                let choice = optimize_acqf_discrete(
                    &log_ei,
                    &space,
                    feasible.view(),
                    evaluated.view(),
                )?;
                // ANCHOR_END: mixed_step
                (None, from_natural(choice.design.view()), 0)
            }
            Method::MixedContinuous => {
                // ANCHOR: continuous_step
                let encoded = space.encode(natural(&run.designs).view())?;
                let model = fit_scores(&encoded, &run.scores)?;
                let best = best_of(&run.scores);
                let log_ei = Analytic::new(
                    &model,
                    Acquisition::LogExpectedImprovement { best },
                    Direction::Maximise,
                )?;
                // T and L searched continuously inside each solvent's window, for each of
                // the six pairs of a solvent and one of its times.
                let choice = optimize_acqf_mixed(
                    &log_ei,
                    &space,
                    &windows,
                    &acqf_options(step_seed),
                )?;
                // The experiment run: the proposal snapped to the 5 °C and 0.01 grids.
                let proposal = from_natural(choice.design.view());
                (None, PROBLEM.repair(&proposal)?.design, 0)
                // ANCHOR_END: continuous_step
            }
        };
        seen.insert(design.key());
        if let Some(x) = &point {
            latent.push(x.clone());
        }
        run.latent.push(point);
        run.scores.push(gradbo::test_functions::catalyst::score(&design)?);
        run.designs.push(design);
        run.rejections.push(rejected);
    }
    Ok(run)
}

// ANCHOR: repair_aware
/// The repair-aware choice: up to `attempts` maximisations of LogEI (each from its own
/// seeded starts), accepting the first whose repaired experiment is not in `seen`; then up
/// to `FALLBACK` single Sobol points. Returns the latent point, its experiment, the number
/// of rejected proposals and the accepted attempt (`None` if the fallback supplied it).
pub fn repair_aware_choice(
    log_ei: &Analytic<'_, FittedGp>,
    seen: &BTreeSet<DesignKey>,
    seed: u64,
    attempts: usize,
) -> gradbo::Result<(Array1<f64>, Design, usize, Option<usize>)> {
    let cube = Bounds::unit(Catalyst::LATENT_DIM)?;
    let mut rejected = 0;
    for attempt in 0..attempts {
        let options = acqf_options(seed + attempt as u64);
        let x = optimize_acqf(log_ei, &cube, &options)?.x;
        let design = PROBLEM.evaluate(x.view())?.repaired.design;
        if !seen.contains(&design.key()) {
            return Ok((x, design, rejected, Some(attempt)));
        }
        rejected += 1;
    }
    let sobol = draw_sobol_samples(&cube, FALLBACK, seed ^ 0x5eed)?;
    for x in sobol.rows() {
        let design = PROBLEM.evaluate(x)?.repaired.design;
        if !seen.contains(&design.key()) {
            return Ok((x.to_owned(), design, rejected, None));
        }
        rejected += 1;
    }
    Err(Error::InvalidInput {
        context: "repair_aware_choice",
        reason: format!("{attempts} optimisations and {FALLBACK} Sobol points found no new experiment"),
    })
}
// ANCHOR_END: repair_aware

// ANCHOR: space
/// The experiments as a mixed space: T and L continuous, t discrete, s categorical.
pub fn experiment_space() -> gradbo::Result<MixedSpace> {
    let times: Vec<f64> = TIME_LEVELS.iter().map(|&t| t as f64).collect();
    MixedSpace::new(vec![
        Variable::continuous("T", 40.0, 140.0),
        Variable::continuous("L", 0.01, 0.20),
        Variable::discrete("t", &times),
        Variable::categorical("s", &["A", "B", "C"]),
    ])
}

/// The six combinations of a solvent and one of its two times, each with the solvent's
/// window as the box of T and L.
pub fn window_combinations(space: &MixedSpace) -> gradbo::Result<Vec<Combination>> {
    let mut out = Vec::new();
    for s in Solvent::ALL {
        let w = s.window();
        let lower = [w.temperature.0, w.loading.0.unwrap_or(LOADING_RANGE.0)];
        let upper = [w.temperature.1, w.loading.1];
        for t in w.times {
            let fixed = [f64::from(t), s.index() as f64];
            out.push(Combination::new(space, &fixed, &lower, &upper)?);
        }
    }
    Ok(out)
}

/// Every reachable repaired experiment, one per row, in natural coordinates.
pub fn feasible_set() -> gradbo::Result<Array2<f64>> {
    Ok(natural(&PROBLEM.reachable_designs()))
}

/// Designs as rows (T, L, t, index of s), with T and L exactly as their keys give them,
/// so that equal experiments are equal rows.
pub fn natural(designs: &[Design]) -> Array2<f64> {
    let mut x = Array2::zeros((designs.len(), 4));
    for (mut row, d) in x.axis_iter_mut(Axis(0)).zip(designs) {
        let k = d.key().design();
        row.assign(&ndarray::arr1(&[
            k.temperature,
            k.loading,
            k.time as f64,
            k.solvent.index() as f64,
        ]));
    }
    x
}
// ANCHOR_END: space

/// The design of a row (T, L, t, index of s).
pub fn from_natural(x: ArrayView1<'_, f64>) -> Design {
    let solvent = Solvent::ALL[(x[3] as usize).min(2)];
    Design::new(x[0], x[1], x[2] as u32, solvent)
}

pub fn main() -> gradbo::Result<()> {
    for method in Method::ALL {
        let r = run(method, SEED)?;
        let i = r.best_index();
        println!(
            "{:<20} best {:.6} at {}, {} distinct experiments, {} rejections",
            method.label(),
            r.scores[i],
            r.designs[i].key(),
            r.distinct(),
            r.rejections.iter().sum::<usize>()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mixed_loop_never_repeats_and_finds_the_optimum_on_the_chapters_seed() {
        let r = run(Method::Mixed, SEED).unwrap();
        assert_eq!((r.scores.len(), r.best.len()), (N_INIT + STEPS, STEPS + 1));
        assert_eq!(r.distinct_accepted().last(), Some(&STEPS));
        let i = r.best_index();
        assert_eq!(r.designs[i].key(), Catalyst::OPTIMUM.key());
        assert!((r.scores[i] - Catalyst::OPTIMAL_SCORE).abs() < 1e-12);
        assert!(r.best.windows(2).all(|w| w[1] >= w[0]));
    }

    #[test]
    fn the_repair_aware_loop_runs_only_new_experiments() {
        // Three attempts per step keep the test short; the chapter runs forty.
        let r = run_with(Method::RepairAware, SEED, 3).unwrap();
        assert_eq!(r.distinct_accepted().last(), Some(&STEPS));
        assert_eq!(r.rejections.len(), STEPS);
        for (rejected, attempt) in r.rejections.iter().zip(&r.accepted_attempt) {
            match attempt {
                Some(a) => assert_eq!(rejected, a),
                None => assert!(*rejected >= 3),
            }
        }
    }

    #[test]
    fn the_continuous_mixed_loop_runs_only_feasible_experiments() {
        let r = run(Method::MixedContinuous, SEED).unwrap();
        assert_eq!((r.scores.len(), r.best.len()), (N_INIT + STEPS, STEPS + 1));
        let feasible: BTreeSet<DesignKey> =
            PROBLEM.reachable_designs().iter().map(Design::key).collect();
        assert!(r.designs.iter().all(|d| feasible.contains(&d.key())));
        assert!(r.best.windows(2).all(|w| w[1] >= w[0]));
        // Six combinations, each its solvent's window.
        let space = experiment_space().unwrap();
        let windows = window_combinations(&space).unwrap();
        assert_eq!(windows.len(), 6);
        let b = windows[2].bounds.as_ref().unwrap();
        assert_eq!(
            (b.lower()[0], b.upper()[0], b.lower()[1], b.upper()[1]),
            (88.0, 108.0, 0.08, 0.13)
        );
    }

    #[test]
    fn the_feasible_set_is_the_210_reachable_experiments() {
        let space = experiment_space().unwrap();
        let all = feasible_set().unwrap();
        assert_eq!(all.nrows(), 210);
        space.check_all(all.view()).unwrap();
        assert_eq!(space.encoded_dim(), 6);
        for row in all.rows() {
            let d = from_natural(row);
            assert_eq!(natural(&[d]).row(0), row);
        }
    }
}
