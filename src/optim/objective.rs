//! Objectives: functions to minimise, with their gradients.

use crate::autodiff::{Tape, Var};
use crate::{Error, Result};
use ndarray::{Array1, Array2};

/// A function f : Rⁿ → R to minimise, with its gradient.
pub trait Objective {
    /// The dimension n of the input.
    fn dim(&self) -> usize;

    /// f(x) and ∇f(x).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `x` does not have [`dim`](Objective::dim) entries.
    fn value_and_gradient(&self, x: &Array1<f64>) -> Result<(f64, Array1<f64>)>;

    /// f(x) alone (by default through [`value_and_gradient`](Objective::value_and_gradient)).
    ///
    /// # Errors
    /// As for [`value_and_gradient`](Objective::value_and_gradient).
    fn value(&self, x: &Array1<f64>) -> Result<f64> {
        Ok(self.value_and_gradient(x)?.0)
    }
}

/// Checks that `x` has `n` entries.
pub(crate) fn check_dim(
    x: &Array1<f64>,
    n: usize,
    context: &'static str,
) -> Result<()> {
    if x.len() == n {
        Ok(())
    } else {
        Err(Error::ShapeMismatch {
            context,
            expected: vec![n],
            found: vec![x.len()],
        })
    }
}

/// The quadratic f(x) = ½ xᵀAx, with gradient Ax, for a symmetric matrix A.
#[derive(Debug, Clone, PartialEq)]
pub struct Quadratic {
    a: Array2<f64>,
}

impl Quadratic {
    /// The quadratic of the symmetric matrix `a`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `a` is square, [`Error::NonFinite`] for NaN or
    /// infinite entries, [`Error::InvalidInput`] if it is not symmetric.
    pub fn new(a: Array2<f64>) -> Result<Self> {
        crate::linalg::symmetric_eigen(a.view())?; // validates shape, finiteness, symmetry
        Ok(Quadratic { a })
    }

    /// The quadratic of diag(d₁, …, dₙ).
    ///
    /// # Errors
    /// [`Error::NonFinite`] for NaN or infinite entries, [`Error::Empty`] for no entries.
    pub fn diagonal(d: &[f64]) -> Result<Self> {
        if d.is_empty() {
            return Err(Error::Empty { context: "Quadratic::diagonal" });
        }
        Quadratic::new(Array2::from_diag(&Array1::from(d.to_vec())))
    }

    /// The matrix A.
    pub fn matrix(&self) -> &Array2<f64> {
        &self.a
    }
}

impl Objective for Quadratic {
    fn dim(&self) -> usize {
        self.a.nrows()
    }

    fn value_and_gradient(&self, x: &Array1<f64>) -> Result<(f64, Array1<f64>)> {
        check_dim(x, self.dim(), "Quadratic")?;
        let ax = self.a.dot(x);
        Ok((0.5 * x.dot(&ax), ax))
    }
}

/// An objective from a closure returning the value and the gradient.
pub struct FnObjective<F> {
    dim: usize,
    f: F,
}

impl<F> FnObjective<F>
where
    F: Fn(&Array1<f64>) -> (f64, Array1<f64>),
{
    /// Wraps `f`, a function of `dim` variables returning (value, gradient).
    pub fn new(dim: usize, f: F) -> Self {
        FnObjective { dim, f }
    }
}

impl<F> Objective for FnObjective<F>
where
    F: Fn(&Array1<f64>) -> (f64, Array1<f64>),
{
    fn dim(&self) -> usize {
        self.dim
    }

    fn value_and_gradient(&self, x: &Array1<f64>) -> Result<(f64, Array1<f64>)> {
        check_dim(x, self.dim, "FnObjective")?;
        let (value, gradient) = (self.f)(x);
        check_dim(&gradient, self.dim, "FnObjective: the gradient")?;
        Ok((value, gradient))
    }
}

/// An objective written with tape operations: its gradient comes from reverse-mode
/// autodiff, so only the function itself has to be written.
pub struct TapeObjective<F> {
    dim: usize,
    f: F,
}

impl<F> TapeObjective<F>
where
    F: for<'t> Fn(Var<'t>) -> Var<'t>,
{
    /// Wraps `f`, a scalar function of a vector of `dim` entries.
    pub fn new(dim: usize, f: F) -> Self {
        TapeObjective { dim, f }
    }
}

impl<F> Objective for TapeObjective<F>
where
    F: for<'t> Fn(Var<'t>) -> Var<'t>,
{
    fn dim(&self) -> usize {
        self.dim
    }

    fn value_and_gradient(&self, x: &Array1<f64>) -> Result<(f64, Array1<f64>)> {
        check_dim(x, self.dim, "TapeObjective")?;
        let tape = Tape::new();
        let xv = tape.param(x.clone().into_dyn());
        let y = (self.f)(xv);
        let value = tape.item(y)?;
        tape.backward(y)?;
        let gradient =
            tape.grad(xv).unwrap_or_else(|| ndarray::ArrayD::zeros(vec![x.len()]));
        let gradient = Array1::from_iter(gradient.iter().copied());
        Ok((value, gradient))
    }
}
