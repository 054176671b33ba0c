//! Chapter 25, hierarchical experimental workflows: the synthesis–operation problem and its
//! library, the flat, two-stage and random policies from one flat GP and the structured
//! GP's flat policy over ten seeds, the figures and the exercises' answers.

pub mod exercises;
pub mod figures;
pub mod report;

use crate::{Artifact, Context};
use gradbo::test_functions::hierarchical::library_values;
use gradbo_listings::ch25::policies::{run as run_policy, Policy, Run, SEED};
use ndarray::Array1;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part6", "ch25");

/// The seeds of the comparison: the chapter's seed and the nine after it.
pub const SEEDS: std::ops::Range<u64> = SEED..SEED + 10;

/// The policies compared, in the chapter's order.
pub const POLICIES: [Policy; 4] =
    [Policy::Flat, Policy::TwoStage, Policy::Random, Policy::StructuredFlat];

/// Every run the chapter reads.
pub struct Results {
    /// y at every library row.
    pub y: Array1<f64>,
    /// `runs[p][k]`: policy `POLICIES[p]`, seed `SEEDS.start + k`.
    pub runs: Vec<Vec<Run>>,
}

/// Runs everything, on two threads.
pub fn results() -> Results {
    let y = library_values();
    let jobs: Vec<(Policy, u64)> =
        POLICIES.iter().flat_map(|&p| SEEDS.map(move |s| (p, s))).collect();
    let all = crate::parallel::run_all(&jobs, |&(p, s)| {
        run_policy(p, s, &y).expect("the loop runs")
    });
    let n = SEEDS.count();
    let mut it = all.into_iter();
    let runs = (0..POLICIES.len()).map(|_| it.by_ref().take(n).collect()).collect();
    Results { y, runs }
}

/// The chapter's worked output and figures.
pub fn run() -> Vec<Artifact> {
    let r = results();
    let a = Artifact::new(CTX.output(), report::report(&r));
    let b =
        Artifact::new(CTX.figure("best-per-synthesis"), figures::synthesis_map(0));
    let b1 = Artifact::new(CTX.figure("v1-star"), figures::synthesis_map(1));
    let b2 = Artifact::new(CTX.figure("v2-star"), figures::synthesis_map(2));
    let c = Artifact::new(
        CTX.figure("operation-landscapes"),
        figures::operation_landscapes(),
    );
    let d = Artifact::new(CTX.figure("policies"), figures::policies(&r));
    vec![a, b, b1, b2, c, d]
}
