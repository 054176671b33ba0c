//! Chapter 19, batches for parallel experiments: one batch run with q = 4, batch sizes
//! q ∈ {1, 2, 4, 6} and four batch strategies with q = 4 over five seeds, the PyTorch course's
//! unconditioned radius-rule selector beside them, the tape's gradient of qLogEI, the
//! figures and the exercises' answers.

pub mod exercises;
pub mod figures;
pub mod reading;
pub mod report;

use crate::{Artifact, Context};
use gradbo::batch::{Conditioning, GreedyOptions, RadiusRule};
use gradbo::bo::BatchChoice;
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch19::batch_loop::{self, believer, Run, RADIUS, SEED};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part5", "ch19");

/// Seeds of every comparison, the chapter's first run's among them: each draws its own
/// Sobol design and seeds the acquisition optimiser and the base samples.
pub const SEEDS: [u64; 5] = [SEED, 8, 9, 10, 11];

/// The batch sizes compared.
pub const Q_SIZES: [usize; 4] = [1, 2, 4, 6];

/// The batch size of the strategy comparison.
pub const Q: usize = 4;

/// The PyTorch course's selector: no conditioning, no barrier, the rule only accepting or
/// refusing.
pub fn unconditioned(rule: RadiusRule) -> BatchChoice {
    BatchChoice::Greedy(GreedyOptions {
        barrier: false,
        ..GreedyOptions::new(Conditioning::None).with_rule(rule)
    })
}

/// The strategies compared with q = 4, in the order of every table and legend.
pub fn strategies() -> Vec<BatchChoice> {
    vec![
        BatchChoice::Joint,
        believer(None),
        believer(Some(RadiusRule::Exclude { radius: RADIUS })),
        believer(Some(RadiusRule::Include { radius: RADIUS })),
    ]
}

/// The PyTorch course's two selectors, run on the chapter's first seed only.
pub fn course_selectors() -> Vec<BatchChoice> {
    vec![
        unconditioned(RadiusRule::Exclude { radius: RADIUS }),
        unconditioned(RadiusRule::Include { radius: RADIUS }),
    ]
}

/// One run to make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Job {
    pub strategy: BatchChoice,
    pub q: usize,
    pub seed: u64,
}

/// Runs every job on two threads ([`crate::parallel::run_all`]), results in the jobs'
/// order.
pub fn run_all(jobs: &[Job]) -> Vec<Run> {
    crate::parallel::run_all(jobs, |job| {
        batch_loop::run(job.strategy, job.q, job.seed).expect("the batch loop runs")
    })
}

/// Every run the chapter reads.
pub struct Results {
    /// `by_q[i][s]`: the joint choice with q = Q_SIZES[i] (analytic LogEI for q = 1),
    /// seed SEEDS[s].
    pub by_q: Vec<Vec<Run>>,
    /// `by_strategy[i][s]`: strategies()[i] with q = 4, seed SEEDS[s].
    pub by_strategy: Vec<Vec<Run>>,
    /// The PyTorch course's selectors on the first seed.
    pub course: Vec<Run>,
    pub exercises: exercises::Answers,
}

impl Results {
    /// The chapter's first run: joint qLogEI, q = 4, seed 7.
    pub fn first(&self) -> &Run {
        &self.by_q[2][0]
    }
}

/// Runs everything. The joint strategy with q = 4 is the batch-size comparison's q = 4
/// arm, run once.
pub fn results() -> Results {
    // The longest runs first, so that neither thread is left with one at the end.
    let mut jobs: Vec<Job> = course_selectors()
        .into_iter()
        .map(|strategy| Job { strategy, q: Q, seed: SEED })
        .collect();
    for &q in Q_SIZES.iter().rev() {
        jobs.extend(SEEDS.iter().map(|&seed| Job {
            strategy: BatchChoice::Joint,
            q,
            seed,
        }));
    }
    let greedy: Vec<BatchChoice> = strategies().into_iter().skip(1).collect();
    for &strategy in &greedy {
        jobs.extend(SEEDS.iter().map(|&seed| Job { strategy, q: Q, seed }));
    }
    let extra = exercises::jobs();
    jobs.extend(extra.iter().copied());
    let mut all = run_all(&jobs).into_iter();
    let mut take = |n: usize| -> Vec<Run> { all.by_ref().take(n).collect() };
    let course = take(course_selectors().len());
    let mut by_q: Vec<Vec<Run>> =
        Q_SIZES.iter().map(|_| take(SEEDS.len())).collect();
    by_q.reverse();
    let mut by_strategy = vec![by_q[2].clone()];
    by_strategy.extend(greedy.iter().map(|_| take(SEEDS.len())));
    let rest = take(extra.len());
    Results { by_q, by_strategy, course, exercises: exercises::answers(&rest) }
}

/// Everything chapter 19 shows.
pub fn run() -> Vec<Artifact> {
    let r = results();
    vec![
        Artifact::new(CTX.output(), report::report(&r)),
        Artifact::new(CTX.figure("best"), figures::best(&r)),
        Artifact::new(CTX.figure("coordinates"), figures::coordinates(&r)),
        Artifact::new(CTX.figure("batch-sizes"), figures::batch_sizes(&r)),
        Artifact::new(CTX.figure("spread"), figures::spread(&r)),
        Artifact::new(CTX.figure("strategies"), figures::strategies(&r)),
        Artifact::new(CTX.figure("enforcement"), figures::enforcement(&r)),
    ]
}

/// Median, lower and upper quartile.
pub fn quartiles(v: &[f64]) -> [f64; 3] {
    [quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75)]
}

/// Per round (0 = the design, then 1 … ROUNDS): the quartiles over `runs` of `f(run, k)`.
pub fn by_round(runs: &[Run], f: impl Fn(&Run, usize) -> f64) -> Vec<[f64; 3]> {
    (0..=batch_loop::ROUNDS)
        .map(|k| quartiles(&runs.iter().map(|r| f(r, k)).collect::<Vec<_>>()))
        .collect()
}

/// The best value after round k (0 = the design).
pub fn best_after(run: &Run, k: usize) -> f64 {
    run.best_by_round()[k]
}

/// The best value after at most `n` evaluations, counting whole rounds.
pub fn best_within(run: &Run, n: usize) -> f64 {
    run.best_by_evaluations()
        .into_iter()
        .take_while(|(e, _)| *e <= n)
        .last()
        .map_or(f64::NAN, |(_, b)| b)
}

/// The mean, smallest and largest pairwise distance of round k's batch (k = 1 … ROUNDS).
pub fn geometry_of(run: &Run, k: usize) -> [f64; 3] {
    batch_loop::geometry(run.rounds[k - 1].batch.view())
}
