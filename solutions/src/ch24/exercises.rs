//! The exercises' answers: dearer low fidelities, the contextual model before its loop, and
//! a recommendation read off the wrong fidelity's slice.

use super::{h_star, quartiles, Job, Outcome, SEEDS};
use gradbo::acquisition::Acquisition;
use gradbo::augmented::best_on_slice;
use gradbo::context::{self as ctx, ContextRange};
use gradbo::fidelity::{Confirmation, Fidelities, QuadraticCost};
use gradbo::gp::{fit, FitOptions};
use gradbo::test_functions::cocatalyst::{contextual, grid, target, LEVELS};
use gradbo_listings::ch24::context::{self, TEST_CONTEXTS};
use gradbo_listings::ch24::fidelity::{self, Strategy, CONFIRM_EVERY};
use ndarray::{Array1, Array2};

/// Exercise 1's prices: 0.5 + 0.5 s², so the lowest fidelity costs 0.52 instead of 0.184.
pub const DEAR: QuadraticCost = QuadraticCost { fixed: 0.5, scale: 0.5 };

/// The multi-fidelity strategy of the exercises.
pub const MF: Strategy =
    Strategy::MultiFidelity(Confirmation::Every(CONFIRM_EVERY));

/// The exercises' extra runs (none: exercise 1 runs through [`dear_runs`] on the seeds).
pub fn jobs() -> Vec<Job> {
    Vec::new()
}

/// Exercise 1's runs: the multi-fidelity loop at the dearer prices, every seed.
pub fn dear_runs() -> Vec<fidelity::Run> {
    let fids = Fidelities::new(&LEVELS, &DEAR).expect("positive prices");
    let seeds: Vec<u64> = (0..SEEDS).collect();
    crate::parallel::run_all(&seeds, |&s| {
        fidelity::run_with(MF, s, &fids).expect("the loop runs")
    })
}

/// Medians (with quartiles) over the seeds.
pub struct Answers {
    /// Exercise 1, at the course's prices and at the dearer ones: evaluations, share of
    /// evaluations (after the initial design) at s = 1, regret h* − h(x_rec).
    pub prices: [[[f64; 3]; 3]; 2],
    /// The dearer prices of the three levels.
    pub dear_costs: Vec<f64>,
    /// Exercise 2: per test context, the median regret from the initial design alone and
    /// after the loop.
    pub before_after: Vec<(f64, f64, f64)>,
    /// Exercise 3: regret of the argmax of the mean on the s = 0.2 and on the s = 1 slice,
    /// from each multi-fidelity run's final model: medians with quartiles.
    pub slices: [[f64; 3]; 2],
}

fn summary(runs: &[fidelity::Run]) -> [[f64; 3]; 3] {
    let evals: Vec<f64> = runs.iter().map(|r| r.evaluations.len() as f64).collect();
    let share: Vec<f64> = runs
        .iter()
        .map(|r| {
            let bo = &r.evaluations[fidelity::N_INIT..];
            bo.iter().filter(|e| e.fidelity == 1.0).count() as f64
                / bo.len().max(1) as f64
        })
        .collect();
    let regret: Vec<f64> =
        runs.iter().map(|r| h_star().1 - r.recommendation().h).collect();
    [quartiles(&evals), quartiles(&share), quartiles(&regret)]
}

/// Computes the answers from the chapter's runs.
pub fn answers(
    _extra: &[Outcome],
    fidelity_runs: &[Vec<fidelity::Run>],
    context_runs: &[context::Run],
) -> Answers {
    let mf =
        fidelity::strategies().iter().position(|s| *s == MF).expect("in the list");
    let dear = dear_runs();
    let prices = [summary(&fidelity_runs[mf]), summary(&dear)];
    let dear_costs =
        Fidelities::new(&LEVELS, &DEAR).expect("positive").costs().to_vec();
    // Exercise 2: the model of the initial design alone.
    let xs = grid();
    let range = ContextRange::unit();
    let before: Vec<Vec<f64>> = context_runs
        .iter()
        .map(|r| {
            let x = Array2::from_shape_fn((r.initial.len(), 2), |(i, j)| {
                if j == 0 {
                    r.initial[i].0
                } else {
                    r.initial[i].1
                }
            });
            let y: Array1<f64> = r.initial.iter().map(|d| d.2).collect();
            let m = fit(x.view(), &y, &FitOptions::single_task(2)).expect("fits");
            TEST_CONTEXTS
                .iter()
                .map(|&c| {
                    let rec = ctx::recommend(&m, &xs, &range, c).expect("in range");
                    ctx::regret(contextual, &xs, &range, c, rec.x)
                        .expect("finite")
                        .regret
                })
                .collect()
        })
        .collect();
    let before_after = TEST_CONTEXTS
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let b: Vec<f64> = before.iter().map(|v| v[k]).collect();
            let a: Vec<f64> =
                context_runs.iter().map(|r| r.regrets[k].regret).collect();
            (c, quartiles(&b)[0], quartiles(&a)[0])
        })
        .collect();
    // Exercise 3: the wrong slice.
    let regret_on = |s: f64| -> Vec<f64> {
        fidelity_runs[mf]
            .iter()
            .map(|r| {
                let b = best_on_slice(&r.model, &xs, s, Acquisition::PosteriorMean)
                    .expect("a model of [x, s]");
                h_star().1 - target(b.x)
            })
            .collect()
    };
    let slices = [quartiles(&regret_on(0.2)), quartiles(&regret_on(1.0))];
    Answers { prices, dear_costs, before_after, slices }
}
