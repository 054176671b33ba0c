//! Chapter 15, standard acquisition functions: the complex objective recast for the library's
//! maximisation by a direction, UCB, PI and LogEI on a grid and maximised by `optimize_acqf`,
//! each choice's one-step consequence, LogEI where EI underflows, the reusable one-step
//! function, and the exercises' answers.

pub mod compute;
pub mod exercises;
pub mod report;

use crate::Artifact;

const OUTPUT: &str = "book/part4/outputs/ch15.txt";

/// Everything chapter 15 shows.
pub fn run() -> Vec<Artifact> {
    let run = compute::run();
    vec![Artifact::new(OUTPUT, report::report(&run))]
}
