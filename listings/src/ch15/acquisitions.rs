//! UCB, PI and LogEI through the library: on a grid, maximised by `optimize_acqf`, and the
//! consequence of evaluating each one's choice.

use gradbo::acquisition::{AcquisitionFunction, Analytic, Direction};
use gradbo::bo::AcquisitionChoice;
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::numeric::{column, linspace};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions, Optimised};
use gradbo::test_functions::{ComplexFamily, TestProblem};
use gradbo::Bounds;
use ndarray::{concatenate, Array1, Array2, Axis};

// The setting of the problem listing, repeated so that this file stands alone.

/// The seed of the observation noise.
pub const SEED: u64 = 15;

/// We minimise f; every acquisition function built here scores −f.
pub const DIRECTION: Direction = Direction::Minimise;

/// The member (a₂, a_t) = (0.89, 0.24) of the complex family on [−3, 3].
pub fn objective() -> ComplexFamily {
    ComplexFamily::standard_acquisitions()
}

/// The box [−3, 3].
pub fn bounds() -> gradbo::Result<Bounds> {
    Bounds::cube(1, -3.0, 3.0)
}

/// 500 evenly spaced points of [−3, 3], one per row.
pub fn grid() -> Array2<f64> {
    column(&linspace(-3.0, 3.0, 500))
}

/// Ten points linspace(−2, 2, 10) and their observations f(x) + 0.03·U, U uniform on
/// [0, 1).
pub fn training_data(seed: u64) -> gradbo::Result<(Array2<f64>, Array1<f64>)> {
    let x = column(&linspace(-2.0, 2.0, 10));
    let y = objective().observe(x.view(), 0.03, seed)?;
    Ok((x, y))
}

/// BoTorch's single-task GP fitted to (x, y).
pub fn fit_model(x: &Array2<f64>, y: &Array1<f64>) -> gradbo::Result<FittedGp> {
    fit(x.view(), y, &FitOptions::single_task(x.ncols()))
}

/// The best observation in the direction: the lowest y.
pub fn incumbent(y: &Array1<f64>) -> gradbo::Result<f64> {
    DIRECTION
        .best(y.iter().copied())
        .ok_or(gradbo::Error::Empty { context: "incumbent: no observations" })
}

// ANCHOR: grid
/// BoTorch's β for UCB: μ + √β σ, a multiplier of √2 ≈ 1.414.
pub const BETA: f64 = 2.0;

/// The three acquisition functions of the chapter.
pub const CHOICES: [AcquisitionChoice; 3] = [
    AcquisitionChoice::LogExpectedImprovement,
    AcquisitionChoice::ProbabilityOfImprovement,
    AcquisitionChoice::UpperConfidenceBound { beta: BETA },
];

/// `choice` through `model` with the incumbent `best`, scoring g = −f (the direction).
pub fn acquisition(
    model: &FittedGp,
    choice: AcquisitionChoice,
    best: f64,
) -> gradbo::Result<Analytic<'_, FittedGp>> {
    Analytic::new(model, choice.with_incumbent(best), DIRECTION)
}

/// The value of `choice` at every row of `points` (one candidate of one point per row).
pub fn on_grid(
    model: &FittedGp,
    choice: AcquisitionChoice,
    best: f64,
    points: &Array2<f64>,
) -> gradbo::Result<Array1<f64>> {
    acquisition(model, choice, best)?.values(points.view())
}
// ANCHOR_END: grid

// ANCHOR: optimise
/// q = 1 (one point per candidate), 10 local runs started from 50 Sobol points.
pub fn acqf_options(seed: u64) -> AcqfOptions {
    AcqfOptions { restarts: 10, raw_samples: 50, seed, ..AcqfOptions::default() }
}

/// Maximises `choice` over the box: the candidate, its value and every local run.
pub fn propose(
    model: &FittedGp,
    choice: AcquisitionChoice,
    best: f64,
    bounds: &Bounds,
    options: &AcqfOptions,
) -> gradbo::Result<Optimised> {
    optimize_acqf(&acquisition(model, choice, best)?, bounds, options)
}
// ANCHOR_END: optimise

// ANCHOR: consequence
/// One step's consequence: evaluate f (without noise) at `candidate`, append it to the
/// data, refit. Returns the new data and the new model.
pub fn after_evaluating(
    x: &Array2<f64>,
    y: &Array1<f64>,
    candidate: f64,
) -> gradbo::Result<(Array2<f64>, Array1<f64>, FittedGp)> {
    let new_x = Array2::from_elem((1, 1), candidate);
    let x = concatenate(Axis(0), &[x.view(), new_x.view()]).map_err(|e| {
        gradbo::Error::InvalidInput {
            context: "after_evaluating",
            reason: e.to_string(),
        }
    })?;
    let mut y = y.to_vec();
    y.push(objective().eval(candidate));
    let y = Array1::from(y);
    let model = fit_model(&x, &y)?;
    Ok((x, y, model))
}
// ANCHOR_END: consequence

/// A short name for a choice.
pub fn name(choice: AcquisitionChoice) -> &'static str {
    match choice {
        AcquisitionChoice::LogExpectedImprovement => "LogEI",
        AcquisitionChoice::ProbabilityOfImprovement => "PI",
        AcquisitionChoice::UpperConfidenceBound { .. } => "UCB",
        AcquisitionChoice::ExpectedImprovement => "EI",
        AcquisitionChoice::LogProbabilityOfImprovement => "LogPI",
        AcquisitionChoice::PosteriorMean => "mean",
    }
}

/// Prints each function's maximum on the grid, the candidate `optimize_acqf` finds, and f
/// there.
pub fn main() -> gradbo::Result<()> {
    let (x, y) = training_data(SEED)?;
    let model = fit_model(&x, &y)?;
    let best = incumbent(&y)?;
    let (points, bounds) = (grid(), bounds()?);
    for choice in CHOICES {
        let values = on_grid(&model, choice, best, &points)?;
        let found = propose(&model, choice, best, &bounds, &acqf_options(SEED))?;
        let x_next = found.x[0];
        println!(
            "{:>5}: {} values on the grid; candidate x = {x_next:+.5}, value {:.5}, f = {:+.5}",
            name(choice),
            values.len(),
            found.value,
            objective().eval(x_next)
        );
        let (_, y_next, _) = after_evaluating(&x, &y, x_next)?;
        println!(
            "       best observation after the step: {:+.5}",
            incumbent(&y_next)?
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_candidate_is_at_least_as_good_as_the_grid() {
        let (x, y) = training_data(SEED).unwrap();
        let model = fit_model(&x, &y).unwrap();
        let best = incumbent(&y).unwrap();
        let (points, bounds) = (grid(), bounds().unwrap());
        for choice in CHOICES {
            let values = on_grid(&model, choice, best, &points).unwrap();
            assert_eq!(values.len(), 500);
            let top = values.fold(f64::NEG_INFINITY, |m, v| m.max(*v));
            let found = propose(&model, choice, best, &bounds, &acqf_options(SEED))
                .unwrap();
            assert_eq!(found.x.len(), 1);
            assert!(bounds.contains(found.x.view()));
            assert!(found.value >= top - 1e-9 * top.abs().max(1.0), "{choice:?}");
            assert_eq!(found.runs.len(), 10);
        }
    }

    #[test]
    fn evaluating_adds_one_noise_free_point() {
        let (x, y) = training_data(SEED).unwrap();
        let (x2, y2, _) = after_evaluating(&x, &y, 0.5).unwrap();
        assert_eq!((x2.nrows(), y2.len()), (11, 11));
        assert_eq!(y2[10], objective().eval(0.5));
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
