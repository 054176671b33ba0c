//! Chapter 20, mixed variables and constraints: the catalyst problem's pipeline on the
//! initial design, every reachable experiment, the naive, repair-aware and mixed-space
//! loops on the chapter's seed and over ten seeds, the figures and the exercises' answers.

pub mod exercises;
pub mod figures;
pub mod reading;
pub mod report;

use crate::{Artifact, Context};
use gradbo_listings::ch20::loops::{run_with, Method, Run, ATTEMPTS, SEED};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part5", "ch20");

/// The seeds of the comparison: the chapter's seed and the nine after it.
pub const SEEDS: std::ops::Range<u64> = SEED..SEED + 10;
/// Optimiser attempts per step of the repair-aware loop in the comparison over seeds (the
/// chapter's own run makes forty; see the chapter for why three lose nothing).
pub const SEED_ATTEMPTS: usize = 3;

/// Every run the chapter reads.
pub struct Results {
    /// The chapter's seed: naive, repair-aware with forty attempts, mixed.
    pub chapter: [Run; 3],
    /// `seeds[m][k]`: method m (in `Method::ALL`'s order), seed `SEEDS.start + k`.
    pub seeds: [Vec<Run>; 3],
    /// The mixed loop with T and L searched continuously in each solvent's window
    /// (`optimize_acqf_mixed`), seed `SEEDS.start + k`.
    pub continuous: Vec<Run>,
    /// Exercise 3: the mixed loop with the solvent encoded as one number 0, 1, 2.
    pub ordinal: Vec<Run>,
}

/// One loop to run.
#[derive(Clone, Copy)]
pub enum Job {
    /// A method, a seed and the repair-aware loop's attempts.
    Loop(Method, u64, usize),
    /// Exercise 3's mixed loop with an ordinal solvent.
    Ordinal(u64),
}

/// Runs every job on two threads ([`crate::parallel::run_all`]), results in the jobs'
/// order.
pub fn run_all(jobs: &[Job]) -> Vec<Run> {
    crate::parallel::run_all(jobs, |job| {
        match *job {
            Job::Loop(m, seed, attempts) => run_with(m, seed, attempts),
            Job::Ordinal(seed) => exercises::ordinal_run(seed),
        }
        .expect("the loop runs")
    })
}

/// Runs everything.
pub fn results() -> Results {
    let mut jobs = vec![Job::Loop(Method::RepairAware, SEED, ATTEMPTS)];
    for m in Method::ALL {
        jobs.extend(SEEDS.map(|s| Job::Loop(m, s, SEED_ATTEMPTS)));
    }
    jobs.extend(
        SEEDS.map(|s| Job::Loop(Method::MixedContinuous, s, SEED_ATTEMPTS)),
    );
    jobs.extend(SEEDS.map(Job::Ordinal));
    let mut runs = run_all(&jobs).into_iter();
    let mut take = |n: usize| -> Vec<Run> { runs.by_ref().take(n).collect() };
    let full = take(1).remove(0);
    let n = SEEDS.count();
    let seeds = [take(n), take(n), take(n)];
    let continuous = take(n);
    let ordinal = take(n);
    // The naive and mixed loops do not use the attempts: their chapter runs are the
    // comparison's first seed.
    let chapter = [seeds[0][0].clone(), full, seeds[2][0].clone()];
    Results { chapter, seeds, continuous, ordinal }
}

/// The chapter's worked output and figures.
pub fn run() -> Vec<Artifact> {
    let r = results();
    vec![
        Artifact::new(CTX.output(), report::report(&r)),
        Artifact::new(CTX.figure("best"), figures::best(&r)),
        Artifact::new(CTX.figure("distinct"), figures::distinct(&r)),
    ]
}
