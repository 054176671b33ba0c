//! Chapter 24: contextual BO. A light intensity c arrives with each experiment; the loop
//! chooses the loading x for it, and at the end recommends x for contexts it may not have
//! seen, judged by the regret at each.

use gradbo::acquisition::Acquisition;
use gradbo::context::{self, ContextRange, Regret};
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::sampling::sobol_points;
use gradbo::test_functions::cocatalyst::{contextual, grid};
use gradbo::Result;
use ndarray::{Array1, Array2};

// ANCHOR: constants
/// Initial design: scrambled Sobol points in [0, 1]² of (x, c).
pub const N_INIT: usize = 10;
/// The contexts that arrive, one per step, in order.
pub const CONTEXTS: [f64; 12] =
    [0.15, 0.85, 0.35, 0.65, 0.25, 0.75, 0.45, 0.95, 0.10, 0.55, 0.70, 0.30];
/// The contexts the final model is asked about.
pub const TEST_CONTEXTS: [f64; 6] = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
/// UCB μ + √β σ with β = 2.25: a multiplier of 1.5 on σ.
pub const UCB: Acquisition = Acquisition::UpperConfidenceBound { beta: 2.25 };
// ANCHOR_END: constants

/// One step of the loop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// The context that arrived.
    pub c: f64,
    /// The loading chosen by UCB at c, and the activity measured there.
    pub x: f64,
    pub y: f64,
    /// The recommendation for c before the measurement: x*(c), its true activity, and the
    /// model's mean and standard deviation there.
    pub recommended: f64,
    pub recommended_g: f64,
    pub mean: f64,
    pub sd: f64,
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct Run {
    pub seed: u64,
    /// The initial design (x, c, g).
    pub initial: Vec<(f64, f64, f64)>,
    pub steps: Vec<Step>,
    /// The model after the last step.
    pub model: FittedGp,
    /// The final recommendation at each test context, with its regret.
    pub regrets: Vec<Regret>,
}

fn model(data: &[(f64, f64, f64)]) -> Result<FittedGp> {
    let x = Array2::from_shape_fn((data.len(), 2), |(i, j)| {
        if j == 0 {
            data[i].0
        } else {
            data[i].1
        }
    });
    let y: Array1<f64> = data.iter().map(|d| d.2).collect();
    fit(x.view(), &y, &FitOptions::single_task(2))
}

// ANCHOR: run
/// The contextual loop from the initial design of `seed`.
pub fn run(seed: u64) -> Result<Run> {
    let xs = grid();
    let range = ContextRange::unit();
    let design = sobol_points(N_INIT, 2, seed)?;
    let initial: Vec<(f64, f64, f64)> = design
        .rows()
        .into_iter()
        .map(|r| (r[0], r[1], contextual(r[0], r[1])))
        .collect();
    let mut data = initial.clone();
    let mut steps = Vec::new();
    for &c in &CONTEXTS {
        let m = model(&data)?;
        // What the model would recommend for c now, before it sees c's result.
        let rec = context::recommend(&m, &xs, &range, c)?;
        // The experiment: the loading of largest UCB at the given context.
        let pick = context::choose(&m, &xs, &range, c, UCB)?;
        let y = contextual(pick.x, c);
        data.push((pick.x, c, y));
        steps.push(Step {
            c,
            x: pick.x,
            y,
            recommended: rec.x,
            recommended_g: contextual(rec.x, c),
            mean: rec.mean,
            sd: rec.sd,
        });
    }
    let model = model(&data)?;
    let regrets = TEST_CONTEXTS
        .iter()
        .map(|&c| {
            let rec = context::recommend(&model, &xs, &range, c)?;
            context::regret(contextual, &xs, &range, c, rec.x)
        })
        .collect::<Result<_>>()?;
    Ok(Run { seed, initial, steps, model, regrets })
}
// ANCHOR_END: run

pub fn main() -> Result<()> {
    let r = run(0)?;
    println!("   c   recommended x   g there   best x    best g    regret");
    for g in &r.regrets {
        println!(
            "{:.1}   {:>13.6}   {:.6}  {:.6}  {:.6}  {:.6}",
            g.context, g.x, g.value, g.best_x, g.best_value, g.regret
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loop_measures_at_the_given_contexts_and_the_regrets_are_true_gaps() {
        let r = run(0).unwrap();
        assert_eq!(r.initial.len(), N_INIT);
        assert_eq!(r.steps.len(), CONTEXTS.len());
        for (s, &c) in r.steps.iter().zip(&CONTEXTS) {
            // The context is given, not chosen.
            assert_eq!(s.c, c);
            assert_eq!(s.y, contextual(s.x, c));
        }
        assert_eq!(r.regrets.len(), TEST_CONTEXTS.len());
        for g in &r.regrets {
            assert!(g.regret >= 0.0);
            assert!((g.best_value - g.value - g.regret).abs() < 1e-15);
        }
        // A context outside [0, 1] is refused.
        let xs = grid();
        assert!(
            context::recommend(&r.model, &xs, &ContextRange::unit(), 1.2).is_err()
        );
    }
}
