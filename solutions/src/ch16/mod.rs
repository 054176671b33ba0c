//! Chapter 16, the full sequential optimisation loop: the 1-D run on the complex family with
//! its seven states, the library's `Optimizer` as the same loop, the 2-D runs of 10 and 100
//! steps on the two-basin surface (kept apart), the seeds study against random search and a
//! Sobol design, figures and exercise answers.

mod exercises;
mod figures;
mod reading;
mod report;

use crate::{Artifact, Context};
use gradbo::bo::Optimizer;
use gradbo_listings::ch16::bo_loop::{
    best_so_far_regret, optimizer_run, regret_curve, Method, OneD, State, TwoD,
    SEED,
};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part4", "ch16");
/// Steps of the short and the long 2-D run.
const SHORT: usize = 10;
const LONG: usize = 100;
/// The seeds of the study, and its budget of evaluations after the design.
const SEEDS: std::ops::Range<u64> = 0..10;
const BUDGET: usize = 32;
/// The methods of the study, with the names the output uses.
const METHODS: [(Method, &str); 3] = [
    (Method::Bayesian, "Bayesian optimisation"),
    (Method::Random, "random search"),
    (Method::Sobol, "Sobol design"),
];

/// Everything the chapter computes, computed once.
pub(crate) struct Worked {
    pub one_d: OneD,
    pub history: Vec<State>,
    pub optimizer: Optimizer,
    pub two_d: TwoD,
    /// The 10-step run and, separately, the 100-step run.
    pub short: Vec<State>,
    pub long: Vec<State>,
    /// The Bayesian loop of each seed of the study (BUDGET steps), and the regret curves of
    /// each method, seed by seed.
    pub study_runs: Vec<Vec<State>>,
    pub curves: [Vec<Vec<f64>>; 3],
}

impl Worked {
    fn compute() -> Self {
        let one_d = OneD::new(SEED).expect("the 1-D problem");
        let history = one_d.run(SEED).expect("the 1-D loop");
        let optimizer = optimizer_run(&one_d, SEED).expect("the optimizer");
        let two_d = TwoD::new(SEED).expect("the 2-D problem");
        let short = two_d.run(SHORT, SEED).expect("the 10-step loop");
        // The long run and the study are independent: two threads.
        let (long, (study_runs, curves)) = std::thread::scope(|s| {
            let long =
                s.spawn(|| two_d.run(LONG, SEED).expect("the 100-step loop"));
            let study = study();
            (long.join().expect("the long run"), study)
        });
        // The counts the chapter states: n steps make n + 1 states and n evaluations.
        assert_eq!((history.len(), history[6].y.len()), (7, 14));
        assert_eq!((short.len(), short[SHORT].y.len()), (11, 16));
        assert_eq!((long.len(), long[LONG].y.len()), (101, 106));
        Worked { one_d, history, optimizer, two_d, short, long, study_runs, curves }
    }
}

/// The seeds study: the Bayesian loop of every seed (its regret from its own history) and
/// the two baselines.
fn study() -> (Vec<Vec<State>>, [Vec<Vec<f64>>; 3]) {
    let runs: Vec<Vec<State>> = SEEDS
        .map(|seed| {
            TwoD::new(seed)
                .and_then(|p| p.run(BUDGET, seed))
                .expect("a seed's loop")
        })
        .collect();
    let bayes = runs
        .iter()
        .map(|h| {
            let p = TwoD::new(0).expect("the problem");
            best_so_far_regret(&p.f, h[BUDGET].x.view(), 6).expect("regret")
        })
        .collect();
    let baseline = |m: Method| -> Vec<Vec<f64>> {
        SEEDS
            .map(|seed| regret_curve(m, BUDGET, seed).expect("a baseline"))
            .collect()
    };
    (runs, [bayes, baseline(Method::Random), baseline(Method::Sobol)])
}

/// Everything chapter 16 shows.
pub fn run() -> Vec<Artifact> {
    let w = Worked::compute();
    vec![
        Artifact::new(CTX.output(), report::report(&w)),
        Artifact::new(CTX.figure("snapshots"), figures::snapshots(&w)),
        Artifact::new(CTX.figure("best-so-far"), figures::best_so_far_1d(&w)),
        Artifact::new(CTX.figure("chosen"), figures::chosen(&w)),
        Artifact::new(CTX.figure("surface"), figures::surface(&w)),
        Artifact::new(CTX.figure("short-run"), figures::short_run(&w)),
        Artifact::new(CTX.figure("long-run"), figures::long_run(&w)),
        Artifact::new(CTX.figure("seeds"), figures::seeds(&w)),
    ]
}
