//! The library's loop: `gradbo::bo::Optimizer`, asked for points and told the results.

use super::step::{acqf_options, OneD, SEED};
use gradbo::acquisition::Direction;
use gradbo::bo::{AcquisitionChoice, Optimizer, Settings};
use gradbo::gp::FitOptions;
use gradbo::test_functions::TestProblem;
use ndarray::{aview1, Axis};

// ANCHOR: optimizer
/// The 1-D run of this chapter through the library's ask/tell optimiser: the same model
/// (inputs normalised by the data), the same acquisition function and the same optimiser
/// settings, seeded alike. Six asks are answered; a seventh asks for the point the loop
/// would evaluate next.
pub fn optimizer_run(problem: &OneD, seed: u64) -> gradbo::Result<Optimizer> {
    let settings = Settings {
        acquisition: AcquisitionChoice::LogExpectedImprovement,
        fit: Some(FitOptions::single_task(1)),
        acqf: acqf_options(10, 50, seed),
    };
    let mut opt =
        Optimizer::new(problem.bounds.clone(), Direction::Minimise, settings)?;
    opt.tell(problem.x.view(), problem.y.view())?;
    for _ in 0..6 {
        let x = opt.ask()?;
        let value = problem.f.value(x.view())?;
        opt.tell(x.view().insert_axis(Axis(0)), aview1(&[value]))?;
    }
    opt.ask()?;
    Ok(opt)
}
// ANCHOR_END: optimizer

pub fn main() -> gradbo::Result<()> {
    let problem = OneD::new(SEED)?;
    let opt = optimizer_run(&problem, SEED)?;
    // ANCHOR: history
    for (k, it) in opt.history().iter().enumerate() {
        println!(
            "ask {k}: n = {:2}, incumbent {:+.5}, x = {:+.4}, LogEI = {:+.3}, \
             ℓ = {:.4}, noise = {:.2e}, retried {}",
            it.observations,
            it.incumbent,
            it.candidate[0],
            it.acquisition_value,
            it.hyperparameters.lengthscales[0],
            it.hyperparameters.noise,
            it.retried.len()
        );
    }
    // ANCHOR_END: history
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packaged loop and the loop written out make the same decisions, to the last bit.
    #[test]
    fn the_optimizer_is_the_same_loop() {
        let problem = OneD::new(SEED).unwrap();
        let by_hand = problem.run(SEED).unwrap();
        let opt = optimizer_run(&problem, SEED).unwrap();
        assert_eq!(opt.history().len(), by_hand.len());
        for (it, state) in opt.history().iter().zip(&by_hand) {
            assert_eq!(it.candidate, state.candidate);
            assert_eq!(it.acquisition_value, state.acquisition_value);
            assert_eq!(it.observations, state.y.len());
        }
        assert_eq!(opt.values(), by_hand[6].y.as_slice().unwrap());
        let curve = opt.best_so_far();
        assert_eq!(curve.len(), 14);
        assert!(curve.windows(2).all(|w| w[1] <= w[0]));
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
