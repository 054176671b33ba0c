//! Chapter 22, noise and replication: the latent objective and its noisy design, the
//! fixed-noise GP, the three loops of the single run (seed 7, 15 steps) and the ten-seed
//! study (seeds 0–9, 10 steps), the figures and the exercises' answers.

pub mod exercises;
pub mod figures;
pub mod report;

use crate::{Artifact, Context};
use gradbo_listings::ch22::noisy_loop::{
    self, initial_design, Effort, Method, Run, METHODS, SEED, SINGLE, STEPS, STUDY,
};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part6", "ch22");

/// The seeds of the study.
pub const SEEDS: [u64; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/// Steps of each run of the study.
pub const STUDY_STEPS: usize = 10;

/// The seed offset of each method in the study (LogEI, replication, qLogNEI), so that
/// every method sees its own noise; qNEI (an exercise) shares qLogNEI's.
pub fn offset(method: Method) -> u64 {
    match method {
        Method::LogEi => 100,
        Method::Replication => 200,
        Method::NoisyEi { .. } => 300,
    }
}

/// One run to make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Job {
    pub method: Method,
    /// The design's seed.
    pub design: u64,
    /// The loop's seed.
    pub seed: u64,
    pub steps: usize,
    pub effort: Effort,
}

impl Job {
    /// The study's run of `method` on seed `s`.
    pub fn study(method: Method, s: u64) -> Job {
        Job {
            method,
            design: s,
            seed: s + offset(method),
            steps: STUDY_STEPS,
            effort: STUDY,
        }
    }
}

/// Runs every job on two threads, results in the jobs' order.
pub fn run_all(jobs: &[Job]) -> Vec<Run> {
    crate::parallel::run_all(jobs, |job| {
        let (x, y) = initial_design(job.design).expect("the design draws");
        noisy_loop::run(job.method, (&x, &y), job.steps, job.effort, job.seed)
            .expect("the loop runs")
    })
}

/// Every run the chapter reads.
pub struct Results {
    /// The single run of each method (seed 7, 15 steps), in the order of `METHODS`.
    pub single: Vec<Run>,
    /// `study[m][s]`: METHODS[m] on SEEDS[s].
    pub study: Vec<Vec<Run>>,
    /// qNEI (the PyTorch course's) on every seed, for the exercises.
    pub plain: Vec<Run>,
}

/// Runs everything.
pub fn results() -> Results {
    let mut jobs: Vec<Job> = METHODS
        .iter()
        .map(|&method| Job {
            method,
            design: SEED,
            seed: SEED,
            steps: STEPS,
            effort: SINGLE,
        })
        .collect();
    for &method in &METHODS {
        jobs.extend(SEEDS.iter().map(|&s| Job::study(method, s)));
    }
    let plain = Method::NoisyEi { log: false };
    jobs.extend(SEEDS.iter().map(|&s| Job::study(plain, s)));
    let mut all = run_all(&jobs).into_iter();
    let mut take = |n: usize| -> Vec<Run> { all.by_ref().take(n).collect() };
    let single = take(METHODS.len());
    let study = METHODS.iter().map(|_| take(SEEDS.len())).collect();
    let plain = take(SEEDS.len());
    Results { single, study, plain }
}

/// Everything chapter 22 shows.
pub fn run() -> Vec<Artifact> {
    let r = results();
    vec![
        Artifact::new(CTX.output(), report::report(&r)),
        Artifact::new(CTX.figure("problem"), figures::problem_figure()),
        Artifact::new(
            CTX.figure("initial-posterior"),
            figures::initial_posterior(),
        ),
        Artifact::new(
            CTX.figure("final-posteriors"),
            figures::final_posteriors(&r),
        ),
        Artifact::new(CTX.figure("progress"), figures::progress(&r)),
        Artifact::new(CTX.figure("locations"), figures::locations(&r)),
        Artifact::new(CTX.figure("study"), figures::study(&r)),
    ]
}

/// Mean and sample standard deviation (n − 1).
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var =
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}
