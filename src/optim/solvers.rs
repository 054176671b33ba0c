//! The course's objectives handed to argmin's solvers: L-BFGS (with a Moré–Thuente line
//! search) and Nelder–Mead (no gradients at all), for comparison with the hand-built
//! iteration maps.

use super::Objective;
use crate::{Error, Result};
use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;

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
}

/// Adapts an [`Objective`] to argmin's problem traits.
struct Problem<'a>(&'a dyn Objective);

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
        self.0.value(x).map_err(to_argmin)
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(
        &self,
        x: &Array1<f64>,
    ) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        self.0.value_and_gradient(x).map(|(_, g)| g).map_err(to_argmin)
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
    Ok(SolverReport {
        x,
        value: state.get_best_cost(),
        iterations: state.get_iter(),
        cost_evaluations: count("cost_count"),
        gradient_evaluations: count("gradient_count"),
    })
}

/// Minimises `objective` from `x0` with L-BFGS (memory `m`), for at most `max_iters`
/// iterations or until the gradient norm falls below `tol_grad`.
///
/// # Errors
/// [`Error::ShapeMismatch`] for a starting point of the wrong length, [`Error::InvalidInput`]
/// if the solver fails (its message is kept).
pub fn lbfgs(
    objective: &dyn Objective,
    x0: &Array1<f64>,
    m: usize,
    max_iters: u64,
    tol_grad: f64,
) -> Result<SolverReport> {
    super::objective::check_dim(x0, objective.dim(), "lbfgs: the starting point")?;
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), m)
        .with_tolerance_grad(tol_grad)
        .map_err(solver_error)?
        .with_tolerance_cost(0.0)
        .map_err(solver_error)?;
    let result = Executor::new(Problem(objective), solver)
        .configure(|state| {
            state.param(x0.clone()).max_iters(max_iters).counting(true)
        })
        .run()
        .map_err(solver_error)?;
    report(&result.state)
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
    let result = Executor::new(Problem(objective), solver)
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
    fn a_wrong_starting_point_is_an_error() {
        let q = Quadratic::diagonal(&[10.0, 1.0]).unwrap();
        assert!(matches!(
            lbfgs(&q, &array![1.0], 5, 10, 1e-8),
            Err(Error::ShapeMismatch { .. })
        ));
    }
}
