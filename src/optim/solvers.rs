//! The course's objectives handed to argmin's solvers: L-BFGS (with a Moré–Thuente line
//! search) and Nelder–Mead (no gradients at all), for comparison with the hand-built
//! iteration maps.

use super::Objective;
use crate::{Error, Result};
use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;
use std::cell::RefCell;

/// What a solver run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverReport {
    /// The best point found.
    pub x: Array1<f64>,
    /// The objective there.
    pub value: f64,
    /// Solver iterations.
    pub iterations: u64,
    /// Evaluations of the objective's value.
    pub cost_evaluations: u64,
    /// Evaluations of its gradient.
    pub gradient_evaluations: u64,
    /// Why the solver stopped before meeting its tolerance, if it failed part-way (for
    /// example, the objective could not be evaluated at a trial point): the report then
    /// holds the best point evaluated before the failure.
    pub stopped_by: Option<String>,
}

/// Adapts an [`Objective`] to argmin's problem traits — the one seam between the library's
/// objectives and argmin — and remembers the best point it has evaluated, so that a run that
/// fails part-way (an evaluation that errs or overflows at a trial point) still yields the
/// best iterate rather than nothing.
struct Problem<'a> {
    objective: &'a dyn Objective,
    best: &'a Best,
}

/// The best finite value evaluated so far, and where.
type Best = RefCell<Option<(f64, Array1<f64>)>>;

impl Problem<'_> {
    fn record(&self, x: &Array1<f64>, value: f64) {
        let mut best = self.best.borrow_mut();
        if value.is_finite() && best.as_ref().is_none_or(|(v, _)| value < *v) {
            *best = Some((value, x.clone()));
        }
    }
}

fn to_argmin(e: Error) -> argmin::core::Error {
    argmin::core::Error::msg(e.to_string())
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;
    fn cost(
        &self,
        x: &Array1<f64>,
    ) -> std::result::Result<f64, argmin::core::Error> {
        let value = self.objective.value(x).map_err(to_argmin)?;
        self.record(x, value);
        Ok(value)
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(
        &self,
        x: &Array1<f64>,
    ) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        let (value, gradient) =
            self.objective.value_and_gradient(x).map_err(to_argmin)?;
        self.record(x, value);
        Ok(gradient)
    }
}

fn solver_error(e: argmin::core::Error) -> Error {
    Error::InvalidInput { context: "argmin solver", reason: e.to_string() }
}

fn report<S: State<Param = Array1<f64>, Float = f64>>(
    state: &S,
) -> Result<SolverReport> {
    let counts = state.get_func_counts();
    let count = |key: &str| counts.get(key).copied().unwrap_or(0);
    let x = state
        .get_best_param()
        .cloned()
        .ok_or(Error::Empty { context: "solver result" })?;
    // A line search that fails ends the run as a "solver exit" rather than an error.
    let stopped_by = match state.get_termination_reason() {
        Some(TerminationReason::SolverExit(reason)) => Some(reason.clone()),
        _ => None,
    };
    Ok(SolverReport {
        x,
        value: state.get_best_cost(),
        iterations: state.get_iter(),
        cost_evaluations: count("cost_count"),
        gradient_evaluations: count("gradient_count"),
        stopped_by,
    })
}

/// Settings of an L-BFGS run ([`lbfgs_with`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LbfgsSettings {
    /// How many curvature pairs are kept.
    pub memory: usize,
    /// At most this many iterations.
    pub max_iters: u64,
    /// Stop once the gradient's norm is below this.
    pub tol_grad: f64,
    /// Stop once an iteration changes the objective by less than this (0: never).
    pub tol_change: f64,
}

/// Minimises `objective` from `x0` with L-BFGS (memory `m`), for at most `max_iters`
/// iterations or until the gradient norm falls below `tol_grad` ([`lbfgs_with`] with those
/// settings).
///
/// # Errors
/// As for [`lbfgs_with`].
pub fn lbfgs(
    objective: &dyn Objective,
    x0: &Array1<f64>,
    m: usize,
    max_iters: u64,
    tol_grad: f64,
) -> Result<SolverReport> {
    let settings =
        LbfgsSettings { memory: m, max_iters, tol_grad, tol_change: 0.0 };
    lbfgs_with(objective, x0, &settings)
}

/// L-BFGS with a Moré–Thuente line search from `x0`, with the given settings.
///
/// A run that fails part-way — the objective errs or is not finite at some trial point, or
/// the line search gives up — is not lost: the report holds the best point evaluated before
/// the failure, with [`SolverReport::stopped_by`] saying what happened.
///
/// # Errors
/// [`Error::ShapeMismatch`] for a starting point of the wrong length, [`Error::InvalidInput`]
/// for invalid settings or if the objective could not be evaluated at any point.
pub fn lbfgs_with(
    objective: &dyn Objective,
    x0: &Array1<f64>,
    settings: &LbfgsSettings,
) -> Result<SolverReport> {
    super::objective::check_dim(x0, objective.dim(), "lbfgs: the starting point")?;
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), settings.memory)
        .with_tolerance_grad(settings.tol_grad)
        .map_err(solver_error)?
        .with_tolerance_cost(settings.tol_change)
        .map_err(solver_error)?;
    let best = Best::default();
    let problem = Problem { objective, best: &best };
    let run = Executor::new(problem, solver)
        .configure(|state| {
            state.param(x0.clone()).max_iters(settings.max_iters).counting(true)
        })
        .run();
    match run {
        Ok(result) => report(&result.state),
        Err(e) => {
            let Some((value, x)) = best.borrow_mut().take() else {
                return Err(solver_error(e));
            };
            Ok(SolverReport {
                x,
                value,
                iterations: 0,
                cost_evaluations: 0,
                gradient_evaluations: 0,
                stopped_by: Some(e.to_string()),
            })
        }
    }
}

/// Minimises `objective` with Nelder–Mead from a simplex of `x0` and `x0 + step·eᵢ`, for at
/// most `max_iters` iterations or until the standard deviation of the simplex's values falls
/// below `sd_tol`.
///
/// # Errors
/// [`Error::ShapeMismatch`] for a starting point of the wrong length, [`Error::InvalidInput`]
/// if the solver fails.
pub fn nelder_mead(
    objective: &dyn Objective,
    x0: &Array1<f64>,
    step: f64,
    max_iters: u64,
    sd_tol: f64,
) -> Result<SolverReport> {
    super::objective::check_dim(
        x0,
        objective.dim(),
        "nelder_mead: the starting point",
    )?;
    let mut simplex = vec![x0.clone()];
    for i in 0..x0.len() {
        let mut vertex = x0.clone();
        vertex[i] += step;
        simplex.push(vertex);
    }
    let solver =
        NelderMead::new(simplex).with_sd_tolerance(sd_tol).map_err(solver_error)?;
    let best = Best::default();
    let result = Executor::new(Problem { objective, best: &best }, solver)
        .configure(|state| state.max_iters(max_iters).counting(true))
        .run()
        .map_err(solver_error)?;
    report(&result.state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::functions::rosenbrock;
    use crate::optim::Quadratic;
    use ndarray::array;

    #[test]
    fn lbfgs_solves_rosenbrock() {
        let r = lbfgs(&rosenbrock(), &array![-1.2, 1.0], 7, 200, 1e-10).unwrap();
        assert!((&r.x - &array![1.0, 1.0]).iter().all(|d| d.abs() < 1e-6), "{r:?}");
        assert!(r.iterations < 100 && r.gradient_evaluations > 0, "{r:?}");
    }

    #[test]
    fn nelder_mead_solves_a_quadratic_without_gradients() {
        let q = Quadratic::diagonal(&[10.0, 1.0]).unwrap();
        let r = nelder_mead(&q, &array![2.0, 2.0], 0.5, 500, 1e-14).unwrap();
        assert!(r.x.iter().all(|v| v.abs() < 1e-5), "{r:?}");
        assert_eq!(r.gradient_evaluations, 0);
    }

    #[test]
    fn a_run_that_fails_part_way_keeps_its_best_point() {
        // f(x) = (x − 10)², which cannot be evaluated beyond x = 3: L-BFGS's first trial step
        // from x = −1 (along −f' = 22) lands in that region. argmin then aborts the run; the
        // report keeps the best point evaluated before it and says why it stopped.
        struct Fenced;
        impl Objective for Fenced {
            fn dim(&self) -> usize {
                1
            }
            fn value_and_gradient(
                &self,
                x: &Array1<f64>,
            ) -> Result<(f64, Array1<f64>)> {
                if x[0] > 3.0 {
                    return Err(Error::NonFinite { context: "test: beyond x = 3" });
                }
                Ok(((x[0] - 10.0).powi(2), array![2.0 * (x[0] - 10.0)]))
            }
        }
        let f = Fenced;
        let settings = LbfgsSettings {
            memory: 5,
            max_iters: 50,
            tol_grad: 1e-8,
            tol_change: 0.0,
        };
        let r = lbfgs_with(&f, &array![-1.0], &settings).unwrap();
        assert!(
            r.stopped_by.as_deref().is_some_and(|s| s.contains("beyond x = 3")),
            "{r:?}"
        );
        assert!(r.x[0] <= 3.0 && r.value == (r.x[0] - 10.0).powi(2), "{r:?}");
        assert!(r.value <= 121.0);
    }

    #[test]
    fn a_wrong_starting_point_is_an_error() {
        let q = Quadratic::diagonal(&[10.0, 1.0]).unwrap();
        assert!(matches!(
            lbfgs(&q, &array![1.0], 5, 10, 1e-8),
            Err(Error::ShapeMismatch { .. })
        ));
    }
}
