//! Chapter 15, standard acquisition functions: the complex objective recast for the library's
//! maximisation by a direction, UCB, PI and LogEI on a grid and maximised by `optimize_acqf`,
//! each choice's one-step consequence, LogEI where EI underflows, the reusable one-step
//! function, and the exercises' answers.

pub mod compute;
pub mod exercises;
pub mod figures;
pub mod report;

use crate::{Artifact, Context};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part4", "ch15");

/// Everything chapter 15 shows.
pub fn run() -> Vec<Artifact> {
    let run = compute::run();
    vec![
        Artifact::new(CTX.output(), report::report(&run)),
        Artifact::new(CTX.figure("posterior"), figures::posterior(&run)),
        Artifact::new(CTX.figure("acquisitions"), figures::acquisitions(&run)),
        Artifact::new(CTX.figure("optimize"), figures::optimize(&run)),
        Artifact::new(CTX.figure("candidates"), figures::candidates(&run)),
        Artifact::new(CTX.figure("consequences"), figures::consequences(&run)),
        Artifact::new(CTX.figure("demo"), figures::demo(&run)),
    ]
}
