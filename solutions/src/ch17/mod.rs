//! Chapter 17, practical modelling choices: the 2-D loop of chapter 16 with one surrounding
//! choice changed at a time — transforms, noise in the initial design, the acquisition
//! optimiser's effort, the initial design — each compared over ten seeds, with the figures
//! and the exercises' answers.

pub mod experiments;
pub mod figures;
pub mod reading;
pub mod report;

use crate::{Artifact, Context};
use experiments::{comparisons, run_all, Comparison, Job, SEEDS};
use gradbo::bo::Settings;
use gradbo::gp::FitOptions;
use gradbo::test_functions::TwoBasins;
use gradbo::Bounds;
use gradbo_listings::ch17::choices::{settings, Run, Variant, STEPS};
use gradbo_listings::ch17::evidence::quantile;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part4", "ch17");

/// Seeds of the exercises' extra runs (compared with the same seeds of the chapter's).
pub const EXERCISE_SEEDS: u64 = 5;
/// Exercise 1's noise floor, in standardised units (the library's is 1e-4).
pub const EXERCISE_FLOOR: f64 = 1e-2;
/// The second basin's minimum: a best value below it means the deep basin was found.
pub const SECOND_BASIN: f64 = TwoBasins::LOCAL_MINIMA[0].1;

/// Every run the chapter reads.
pub struct Results {
    pub comparisons: Vec<Comparison>,
    /// `runs[c][v][s]`: comparison c, variant v, seed s.
    pub runs: Vec<[Vec<Run>; 2]>,
    /// Exercise 1: chapter 16's loop with the noise floor raised, seeds 0 … 4.
    pub floor: Vec<Run>,
    /// Exercise 2: 0.10·U noise on every evaluation, seeds 0 … 4.
    pub everywhere: Vec<Run>,
    /// Exercise 3: outputs standardised, inputs left in the data's units, seeds 0 … 4.
    pub outputs_only: Vec<Run>,
    /// The default variant without the survey around the best observations, seeds as in
    /// the comparisons: set against the first comparison's variant A, which has it.
    pub sobol_only: Vec<Run>,
}

/// Exercise 1's settings: what editing `noise_floor: 1e-4` to 1e-2 in
/// `FitOptions::single_task` does to the loop's default fit.
pub fn raised_floor(seed: u64) -> Settings {
    let base = settings(&Variant::default(), 1000 * seed);
    let cube = Bounds::cube(2, -3.0, 3.0).expect("a valid box");
    Settings {
        fit: Some(FitOptions {
            noise_floor: EXERCISE_FLOOR,
            input_bounds: Some(cube),
            ..FitOptions::single_task(2)
        }),
        ..base
    }
}

/// The default variant's settings with the survey around the best observations switched
/// off: the acquisition optimiser surveys its Sobol points alone.
pub fn sobol_only(seed: u64) -> Settings {
    Settings { around_best: false, ..settings(&Variant::default(), 1000 * seed) }
}

/// Exercise 3's settings: the outputs standardised, the inputs not normalised.
pub fn outputs_only(seed: u64) -> Settings {
    let base = settings(&Variant::default(), 1000 * seed);
    Settings {
        fit: Some(FitOptions {
            normalize_inputs: false,
            standardize_outputs: true,
            ..FitOptions::single_task(2)
        }),
        ..base
    }
}

fn everywhere() -> Variant {
    Variant { initial_noise: 0.10, later_noise: 0.10, ..Variant::default() }
}

/// Runs everything on two threads.
pub fn results() -> Results {
    let comparisons = comparisons();
    let mut jobs = Vec::new();
    for c in &comparisons {
        for (_, v) in &c.variants {
            for seed in 0..SEEDS {
                jobs.push(Job { variant: v.clone(), settings: None, seed });
            }
        }
    }
    for seed in 0..EXERCISE_SEEDS {
        jobs.push(Job {
            variant: Variant::default(),
            settings: Some(raised_floor(seed)),
            seed,
        });
    }
    for seed in 0..EXERCISE_SEEDS {
        jobs.push(Job { variant: everywhere(), settings: None, seed });
    }
    for seed in 0..EXERCISE_SEEDS {
        jobs.push(Job {
            variant: Variant::default(),
            settings: Some(outputs_only(seed)),
            seed,
        });
    }
    for seed in 0..SEEDS {
        jobs.push(Job {
            variant: Variant::default(),
            settings: Some(sobol_only(seed)),
            seed,
        });
    }
    let mut all = run_all(&jobs).into_iter();
    let mut take = |n: u64| (0..n).filter_map(|_| all.next()).collect::<Vec<_>>();
    let runs = comparisons.iter().map(|_| [take(SEEDS), take(SEEDS)]).collect();
    let floor = take(EXERCISE_SEEDS);
    let everywhere = take(EXERCISE_SEEDS);
    let outputs_only = take(EXERCISE_SEEDS);
    let sobol_only = take(SEEDS);
    Results { comparisons, runs, floor, everywhere, outputs_only, sobol_only }
}

/// Everything chapter 17 shows.
pub fn run() -> Vec<Artifact> {
    let r = results();
    let mut artifacts = vec![Artifact::new(CTX.output(), report::report(&r))];
    artifacts.push(Artifact::new(CTX.figure("designs"), figures::designs()));
    for (c, runs) in r.comparisons.iter().zip(&r.runs) {
        artifacts
            .push(Artifact::new(CTX.figure(c.key), figures::comparison(c, runs)));
    }
    artifacts.push(Artifact::new(
        CTX.figure("hyperparameters"),
        figures::hyperparameters(&r.runs[0]),
    ));
    artifacts
}

// ---------------------------------------------------------------- reading the runs

/// The best value after the loop's last step.
pub fn final_best(run: &Run) -> f64 {
    run.best_so_far()[STEPS]
}

/// The first state (steps taken) at which the best value is below the second basin's
/// minimum, if any.
pub fn reached(run: &Run) -> Option<usize> {
    run.best_so_far().iter().position(|&b| b < SECOND_BASIN)
}

/// The steps whose candidate lay within 0.5 of `centre` (a basin's minimum).
pub fn steps_near(run: &Run, centre: [f64; 2]) -> usize {
    run.history
        .iter()
        .filter(|h| {
            let c = &h.candidate;
            ((c[0] - centre[0]).powi(2) + (c[1] - centre[1]).powi(2)).sqrt() < 0.5
        })
        .count()
}

/// Median, lower and upper quartile of the best-so-far over seeds, at each state.
pub fn band(runs: &[Run]) -> Vec<[f64; 3]> {
    let curves: Vec<Vec<f64>> = runs.iter().map(Run::best_so_far).collect();
    (0..=STEPS)
        .map(|s| {
            let at: Vec<f64> = curves.iter().map(|c| c[s]).collect();
            [quantile(&at, 0.5), quantile(&at, 0.25), quantile(&at, 0.75)]
        })
        .collect()
}

/// The seed whose paired difference (first variant's final best minus the second's) is the
/// median one (the lower median for an even count): a run typical of the comparison.
pub fn representative(runs: &[Vec<Run>; 2]) -> usize {
    let mut d: Vec<(f64, usize)> = runs[0]
        .iter()
        .zip(&runs[1])
        .enumerate()
        .map(|(s, (a, b))| (final_best(a) - final_best(b), s))
        .collect();
    d.sort_by(|x, y| x.0.total_cmp(&y.0));
    d[(d.len() - 1) / 2].1
}

/// The hyperparameters at each step in the units the model was fitted in: lengthscales
/// and noise as the history records them (data units) for a run without transforms;
/// divided by the box's width 6 and by the outputs' variance s² with them.
pub fn model_units(run: &Run, transforms: bool) -> Vec<([f64; 2], f64)> {
    run.history
        .iter()
        .map(|h| {
            let l = &h.hyperparameters.lengthscales;
            let noise = h.hyperparameters.noise;
            if transforms {
                let y = &run.observed[..h.observations];
                let s2 = variance(y);
                ([l[0] / 6.0, l[1] / 6.0], noise / s2)
            } else {
                ([l[0], l[1]], noise)
            }
        })
        .collect()
}

/// The sample (n − 1) variance.
pub fn variance(y: &[f64]) -> f64 {
    let n = y.len() as f64;
    let m = y.iter().sum::<f64>() / n;
    y.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)
}
