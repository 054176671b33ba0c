//! Spending a time allowance on each decision: one option on the loop. The same ask/tell
//! optimiser as Chapter 16's, with `Settings::quality` set by `SpendOptions::within`, which
//! chooses what to spend the allowance on from the allowance and the dimension.

use gradbo::acquisition::Direction;
use gradbo::bo::{Optimizer, Quality, Settings, SpendOptions};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{Ackley, TestProblem};
use gradbo::Result;
use ndarray::{array, Axis};

/// Seconds each ask may take, model fit included.
pub const ALLOWANCE: f64 = 0.2;

// ANCHOR: settings
/// The loop's settings for an allowance of `seconds` per ask in `dim` dimensions: below
/// twenty dimensions a fully Bayesian model under SAAS priors whose chain must fit the
/// allowance, the Monte Carlo acquisition function and the usual search (level 0 of its
/// effort ladder); from twenty on, a TuRBO trust region.
pub fn spending(seconds: f64, dim: usize) -> Settings {
    Settings {
        quality: Quality::Spend(SpendOptions::within(seconds, dim)),
        ..Settings::default()
    }
}
// ANCHOR_END: settings

/// One ask of the loop as it was decided: hyperparameter draws averaged over, the
/// effort level reached, whether a trust region chose it, its seconds.
pub struct Decision {
    pub draws: usize,
    pub level: Option<usize>,
    pub region: bool,
    pub seconds: f64,
}

// ANCHOR: run
/// `asks` decisions on `problem` after a Sobol design of `2d + 2` points, with `settings`.
pub fn run(
    problem: &dyn TestProblem,
    settings: Settings,
    asks: usize,
) -> Result<Vec<Decision>> {
    let bounds = problem.bounds().clone();
    let d = bounds.dim();
    let mut opt = Optimizer::new(bounds.clone(), Direction::Minimise, settings)?;
    let design = draw_sobol_samples(&bounds, 2 * d + 2, 0)?;
    opt.tell(design.view(), problem.values(design.view())?.view())?;
    for _ in 0..asks {
        let x = opt.ask()?;
        let y = problem.value(x.view())?;
        opt.tell(x.view().insert_axis(Axis(0)), array![y].view())?;
    }
    Ok(opt
        .history()
        .iter()
        .map(|h| Decision {
            draws: h.draws,
            level: h.effort_level,
            region: h.trust_region.is_some(),
            seconds: h.fit_seconds + h.acquisition_seconds,
        })
        .collect())
}
// ANCHOR_END: run

pub fn main() -> Result<()> {
    let ackley = Ackley::new(5)?;
    println!("Ackley-5, an allowance of {ALLOWANCE} s per ask:");
    for (k, h) in run(&ackley, spending(ALLOWANCE, 5), 3)?.iter().enumerate() {
        println!(
            "ask {k}: {} draws, ladder level {:?}, trust region {}, {:.3} s",
            h.draws, h.level, h.region, h.seconds
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::bo::SpendModel;
    use gradbo::test_functions::{Embedded, Hartmann6};

    #[test]
    fn below_twenty_dimensions_the_loop_averages_over_saas_draws() {
        let settings = spending(ALLOWANCE, 5);
        let Quality::Spend(spend) = &settings.quality else {
            panic!("a spending mode")
        };
        assert!(matches!(spend.model, SpendModel::FullyBayesian(_)));
        let ackley = Ackley::new(5).unwrap();
        let asks = run(&ackley, settings, 2).unwrap();
        // The first ask always samples (8 draws); a later one falls back to the usual fit
        // only if the last chain, scaled by n², would take more than three quarters of the
        // allowance.
        assert_eq!(asks[0].draws, 8);
        assert!(asks.iter().all(|h| h.draws == 8 || h.draws == 0));
        assert!(asks.iter().all(|h| h.level.is_some() && !h.region));
    }

    #[test]
    fn from_twenty_dimensions_a_trust_region_decides() {
        let embedded = Embedded::spread(Hartmann6::new(), 20).unwrap();
        let asks = run(&embedded, spending(ALLOWANCE, 20), 2).unwrap();
        assert!(asks.iter().all(|h| h.region && h.draws == 0 && h.level.is_none()));
    }
}
