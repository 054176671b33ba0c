//! Chapter 24, multiple fidelities and contexts: high-fidelity-only BO against multi-fidelity
//! BO (with and without target-fidelity confirmations) under one budget, and the contextual
//! loop with its regret at six test contexts, each over twenty seeds of the initial design; the
//! tables, the figures and the exercises' answers.

pub mod exercises;
pub mod figures;
pub mod report;

use crate::{Artifact, Context};
use gradbo::test_functions::cocatalyst::{grid, grid_maximum, target};
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch24::context;
use gradbo_listings::ch24::fidelity::{self, Strategy};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part6", "ch24");

/// Seeds of the initial designs (the only randomness: every loop is a grid argmax over a
/// deterministic fit). Seed 0 is the example.
pub const SEEDS: u64 = 20;

/// A job for the two threads.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Fidelity(Strategy, u64),
    Context(u64),
}

/// What a job returns.
pub enum Outcome {
    Fidelity(Box<fidelity::Run>),
    Context(Box<context::Run>),
}

/// Every run the chapter reads.
pub struct Results {
    pub strategies: Vec<Strategy>,
    /// `fidelity[k][s]`: strategy k, seed s.
    pub fidelity: Vec<Vec<fidelity::Run>>,
    /// `context[s]`: seed s.
    pub context: Vec<context::Run>,
    pub exercises: exercises::Answers,
}

/// Runs `jobs` on two threads, results in the jobs' order.
pub fn run_jobs(jobs: &[Job]) -> Vec<Outcome> {
    crate::parallel::run_all(jobs, |job| match *job {
        Job::Fidelity(strategy, seed) => Outcome::Fidelity(Box::new(
            fidelity::run(strategy, seed).expect("the fidelity loop runs"),
        )),
        Job::Context(seed) => Outcome::Context(Box::new(
            context::run(seed).expect("the contextual loop runs"),
        )),
    })
}

/// Runs everything.
pub fn results() -> Results {
    let strategies = fidelity::strategies().to_vec();
    let mut jobs = Vec::new();
    for &s in &strategies {
        jobs.extend((0..SEEDS).map(|seed| Job::Fidelity(s, seed)));
    }
    jobs.extend((0..SEEDS).map(Job::Context));
    let extra = exercises::jobs();
    jobs.extend(extra.iter().copied());
    let mut out = run_jobs(&jobs).into_iter();
    let mut next_fidelity = || match out.next() {
        Some(Outcome::Fidelity(r)) => *r,
        _ => unreachable!("jobs come back in order"),
    };
    let fidelity: Vec<Vec<fidelity::Run>> = strategies
        .iter()
        .map(|_| (0..SEEDS).map(|_| next_fidelity()).collect())
        .collect();
    let context: Vec<context::Run> = (0..SEEDS)
        .map(|_| match out.next() {
            Some(Outcome::Context(r)) => *r,
            _ => unreachable!("jobs come back in order"),
        })
        .collect();
    let rest: Vec<Outcome> = out.collect();
    let exercises = exercises::answers(&rest, &fidelity, &context);
    Results { strategies, fidelity, context, exercises }
}

/// Everything chapter 24 shows.
pub fn run() -> Vec<Artifact> {
    let r = results();
    vec![
        Artifact::new(CTX.output(), report::report(&r)),
        Artifact::new(CTX.figure("fidelities"), figures::fidelities()),
        Artifact::new(CTX.figure("cost"), figures::by_cost(&r)),
        Artifact::new(CTX.figure("choices"), figures::choices(&r)),
        Artifact::new(CTX.figure("recommendations"), figures::recommendations(&r)),
        Artifact::new(CTX.figure("contexts"), figures::contexts()),
        Artifact::new(CTX.figure("test-contexts"), figures::test_contexts(&r)),
    ]
}

/// Median, lower and upper quartile.
pub fn quartiles(v: &[f64]) -> [f64; 3] {
    [quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75)]
}

/// The high-fidelity maximum on the grid, h* = max h, as computed on the grid (the regret
/// of the grid optimiser itself is then exactly 0).
pub fn h_star() -> (f64, f64) {
    let xs = grid();
    let (i, h) = grid_maximum(&xs, target).expect("the grid is fine");
    (xs[i], h)
}
