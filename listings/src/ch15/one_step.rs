//! One step of Bayesian optimisation with the standard acquisition functions, as a reusable
//! function: every argument checked before any work, a named result.

use gradbo::acquisition::{AcquisitionFunction, Analytic, Direction};
use gradbo::bo::AcquisitionChoice;
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::models::Model;
use gradbo::numeric::{column, linspace};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::test_functions::ComplexFamily;
use gradbo::{Bounds, Error};
use ndarray::{Array1, Array2};

// ANCHOR: types
/// How the acquisition functions are maximised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Search {
    /// Local runs of bounded L-BFGS (at least 1).
    pub restarts: usize,
    /// Sobol points surveyed to choose their starts (at least `restarts`).
    pub raw_samples: usize,
    /// Seed of the Sobol scrambling and the Boltzmann draws.
    pub seed: u64,
}

impl Default for Search {
    fn default() -> Self {
        Search { restarts: 10, raw_samples: 50, seed: 0 }
    }
}

/// What one acquisition function chose.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub choice: AcquisitionChoice,
    /// The point to evaluate next (d coordinates).
    pub candidate: Array1<f64>,
    /// The acquisition value there.
    pub value: f64,
    /// The acquisition value at every point of the display grid.
    pub on_grid: Array1<f64>,
}

/// The model, its posterior on the display grid and the proposals.
#[derive(Debug, Clone)]
pub struct Step {
    pub model: FittedGp,
    /// The posterior mean of f itself, in the objective's units whatever the direction.
    pub mean: Array1<f64>,
    /// The posterior standard deviation.
    pub sd: Array1<f64>,
    /// One proposal per requested choice, in the order requested.
    pub proposals: Vec<Proposal>,
}
// ANCHOR_END: types

// ANCHOR: validate
fn invalid(reason: String) -> Error {
    Error::InvalidInput { context: "one_step", reason }
}

/// Every check, before any fitting: the data's shapes and values, the grid, the choices and
/// the search settings.
fn validate(
    x: &Array2<f64>,
    y: &Array1<f64>,
    bounds: &Bounds,
    grid: &Array2<f64>,
    choices: &[AcquisitionChoice],
    search: &Search,
) -> gradbo::Result<()> {
    if x.nrows() == 0 {
        return Err(Error::Empty { context: "one_step: training inputs" });
    }
    if y.len() != x.nrows() {
        return Err(Error::ShapeMismatch {
            context: "one_step: one observation per training point",
            expected: vec![x.nrows()],
            found: vec![y.len()],
        });
    }
    bounds.check_points(x.view(), "one_step: training inputs")?;
    if y.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "one_step: observations" });
    }
    if grid.nrows() == 0 {
        return Err(Error::Empty { context: "one_step: display grid" });
    }
    if grid.ncols() != bounds.dim() {
        return Err(Error::ShapeMismatch {
            context: "one_step: display grid",
            expected: vec![grid.nrows(), bounds.dim()],
            found: grid.shape().to_vec(),
        });
    }
    if grid.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "one_step: display grid" });
    }
    if choices.is_empty() {
        return Err(invalid("no acquisition function was requested".into()));
    }
    let bad_beta = choices.iter().find_map(|choice| match *choice {
        AcquisitionChoice::UpperConfidenceBound { beta }
            if !(beta.is_finite() && beta >= 0.0) =>
        {
            Some(beta)
        }
        _ => None,
    });
    if let Some(beta) = bad_beta {
        return Err(invalid(format!("UCB needs a finite β ≥ 0, got {beta}")));
    }
    if search.restarts == 0 {
        return Err(invalid("at least one restart is needed".into()));
    }
    if search.raw_samples < search.restarts {
        return Err(invalid(format!(
            "{} raw samples cannot provide {} starts",
            search.raw_samples, search.restarts
        )));
    }
    Ok(())
}
// ANCHOR_END: validate

// ANCHOR: one_step
/// Fits BoTorch's single-task GP to (x, y), computes its posterior on `grid`, and maximises
/// each of `choices` over `bounds` for an objective to be optimised in `direction`, with the
/// best observation in that direction as the incumbent.
///
/// # Errors
/// [`Error::Empty`], [`Error::ShapeMismatch`], [`Error::NonFinite`] or
/// [`Error::InvalidInput`] for invalid arguments, all found before any work is done; the
/// fit's and the optimiser's errors after that.
pub fn one_step(
    x: &Array2<f64>,
    y: &Array1<f64>,
    bounds: &Bounds,
    grid: &Array2<f64>,
    choices: &[AcquisitionChoice],
    direction: Direction,
    search: &Search,
) -> gradbo::Result<Step> {
    validate(x, y, bounds, grid, choices, search)?;
    let model = fit(x.view(), y, &FitOptions::single_task(bounds.dim()))?;
    let posterior = model.marginals(grid.view())?;
    let best = direction
        .best(y.iter().copied())
        .ok_or(Error::Empty { context: "one_step" })?;
    let options = AcqfOptions {
        restarts: search.restarts,
        raw_samples: search.raw_samples,
        seed: search.seed,
        ..AcqfOptions::default()
    };
    let mut proposals = Vec::with_capacity(choices.len());
    for &choice in choices {
        let acqf = Analytic::new(&model, choice.with_incumbent(best), direction)?;
        let found = optimize_acqf(&acqf, bounds, &options)?;
        let on_grid = acqf.values(grid.view())?;
        proposals.push(Proposal {
            choice,
            candidate: found.x,
            value: found.value,
            on_grid,
        });
    }
    let sd = posterior.variance.mapv(f64::sqrt);
    Ok(Step { model, mean: posterior.mean, sd, proposals })
}
// ANCHOR_END: one_step

// ANCHOR: demo
/// Twelve noise-free observations linspace(−3, 3, 12) of chapter 15's objective, and the
/// LogEI step that minimises it.
pub fn demo() -> gradbo::Result<(Array2<f64>, Array1<f64>, Step)> {
    let f = ComplexFamily::standard_acquisitions();
    let x = column(&linspace(-3.0, 3.0, 12));
    let y = x.column(0).mapv(|x| f.eval(x));
    let step = one_step(
        &x,
        &y,
        &Bounds::cube(1, -3.0, 3.0)?,
        &column(&linspace(-3.0, 3.0, 500)),
        &[AcquisitionChoice::LogExpectedImprovement],
        Direction::Minimise,
        &Search::default(),
    )?;
    Ok((x, y, step))
}
// ANCHOR_END: demo

/// Prints the demonstration's proposal.
pub fn main() -> gradbo::Result<()> {
    let (_, y, step) = demo()?;
    let best = y.fold(f64::INFINITY, |m, v| m.min(*v));
    for p in &step.proposals {
        println!(
            "incumbent {best:+.5}; {:?} proposes x = {:+.5} (value {:.4})",
            p.choice, p.candidate[0], p.value
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> (Array2<f64>, Array1<f64>, Bounds, Array2<f64>) {
        let x = column(&linspace(-2.0, 2.0, 6));
        let y = x.column(0).mapv(|x| (2.0 * x).sin());
        (
            x,
            y,
            Bounds::cube(1, -3.0, 3.0).unwrap(),
            column(&linspace(-3.0, 3.0, 50)),
        )
    }

    #[test]
    fn invalid_arguments_are_refused() {
        let (x, y, b, g) = data();
        let log_ei = [AcquisitionChoice::LogExpectedImprovement];
        let s = Search::default();
        let run = |x: &Array2<f64>,
                   y: &Array1<f64>,
                   b: &Bounds,
                   g: &Array2<f64>,
                   c: &[_],
                   s: &Search| {
            one_step(x, y, b, g, c, Direction::Minimise, s)
        };
        let shape =
            |r: gradbo::Result<Step>| matches!(r, Err(Error::ShapeMismatch { .. }));
        let input =
            |r: gradbo::Result<Step>| matches!(r, Err(Error::InvalidInput { .. }));
        assert!(shape(run(
            &x,
            &y.slice(ndarray::s![..5]).to_owned(),
            &b,
            &g,
            &log_ei,
            &s
        )));
        assert!(shape(run(&Array2::zeros((6, 2)), &y, &b, &g, &log_ei, &s)));
        assert!(shape(run(&x, &y, &b, &Array2::zeros((5, 2)), &log_ei, &s)));
        assert!(matches!(
            run(&Array2::zeros((0, 1)), &Array1::zeros(0), &b, &g, &log_ei, &s),
            Err(Error::Empty { .. })
        ));
        let mut nan = y.clone();
        nan[2] = f64::NAN;
        assert!(matches!(
            run(&x, &nan, &b, &g, &log_ei, &s),
            Err(Error::NonFinite { .. })
        ));
        assert!(
            input(run(&(&x * 2.0), &y, &b, &g, &log_ei, &s)),
            "a point outside the box"
        );
        assert!(input(run(&x, &y, &b, &g, &[], &s)));
        for beta in [-1.0, f64::NAN, f64::INFINITY] {
            let ucb = [log_ei[0], AcquisitionChoice::UpperConfidenceBound { beta }];
            assert!(input(run(&x, &y, &b, &g, &ucb, &s)), "β = {beta}");
        }
        assert!(input(run(&x, &y, &b, &g, &log_ei, &Search { restarts: 0, ..s })));
        assert!(input(run(
            &x,
            &y,
            &b,
            &g,
            &log_ei,
            &Search { raw_samples: 5, ..s }
        )));
    }

    #[test]
    fn a_valid_call_returns_one_proposal_per_choice() {
        let (x, y, b, g) = data();
        let choices = [
            AcquisitionChoice::UpperConfidenceBound { beta: 2.0 },
            AcquisitionChoice::ProbabilityOfImprovement,
        ];
        let step = one_step(
            &x,
            &y,
            &b,
            &g,
            &choices,
            Direction::Maximise,
            &Search::default(),
        )
        .unwrap();
        assert_eq!(
            (step.mean.len(), step.sd.len(), step.proposals.len()),
            (50, 50, 2)
        );
        for (p, c) in step.proposals.iter().zip(choices) {
            assert_eq!(p.choice, c);
            assert!(b.contains(p.candidate.view()) && p.on_grid.len() == 50);
            let top = p.on_grid.fold(f64::NEG_INFINITY, |m, v| m.max(*v));
            assert!(p.value >= top - 1e-9);
        }
        // The mean is of f itself: near the data it follows y, whatever the direction.
        let down = one_step(
            &x,
            &y,
            &b,
            &g,
            &choices,
            Direction::Minimise,
            &Search::default(),
        )
        .unwrap();
        assert!((&step.mean - &down.mean).iter().all(|d| d.abs() < 1e-12));
    }

    #[test]
    fn the_demo_proposes_a_point_in_the_box() {
        let (x, y, step) = demo().unwrap();
        assert_eq!((x.nrows(), y.len(), step.proposals.len()), (12, 12, 1));
        let p = &step.proposals[0];
        assert!(p.candidate[0].abs() <= 3.0 && p.value.is_finite());
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
