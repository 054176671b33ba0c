//! Chapter 15, standard acquisition functions: the complex objective recast for the library's
//! maximisation by a direction, UCB, PI and LogEI on a grid and maximised by `optimize_acqf`,
//! each choice's one-step consequence, LogEI where EI underflows, the reusable one-step
//! function, and the exercises' answers.

pub mod compute;
pub mod exercises;
pub mod figures;
pub mod report;

use crate::Artifact;

const OUTPUT: &str = "book/part4/outputs/ch15.txt";

/// Everything chapter 15 shows.
pub fn run() -> Vec<Artifact> {
    let run = compute::run();
    let figure = |name: &str| format!("book/part4/figures/ch15-{name}.svg");
    vec![
        Artifact::new(OUTPUT, report::report(&run)),
        Artifact::new(figure("posterior"), figures::posterior(&run)),
        Artifact::new(figure("acquisitions"), figures::acquisitions(&run)),
        Artifact::new(figure("optimize"), figures::optimize(&run)),
        Artifact::new(figure("candidates"), figures::candidates(&run)),
        Artifact::new(figure("consequences"), figures::consequences(&run)),
        Artifact::new(figure("demo"), figures::demo(&run)),
    ]
}
