//! Acquisition functions: a score over candidate points that says where to evaluate next,
//! computed from a [`Model`]'s posterior.
//!
//! The library's form is maximisation: a larger score marks a more promising candidate.
//! Whether the objective itself is to be minimised or maximised is a [`Direction`], chosen
//! once when the acquisition function is built — not a sign flipped at every call site. For
//! [`Direction::Minimise`] the formulas are applied to g = −f: the posterior mean enters as
//! −μ, and the incumbent, given in the objective's own units (the *lowest* value seen), as
//! −f*.
//!
//! [`formulas`] holds the analytic formulas in (μ, σ); [`Analytic`] applies one of them
//! through any model, with its gradient in x by the chain rule through μ(x) and σ(x).
//! [`Ensemble`] averages one over the members of an ensemble (a fully Bayesian GP's draws).
//! Every acquisition function implements [`AcquisitionFunction`], which is what the
//! optimiser of acquisition functions needs.

mod ensemble;
pub mod formulas;
pub mod monte_carlo;

pub use ensemble::Ensemble;

pub use formulas::{
    expected_improvement, log_expected_improvement, log_probability_of_improvement,
    probability_of_improvement, upper_confidence_bound, Value,
};

pub use monte_carlo::{
    MonteCarlo, MonteCarloKind, MonteCarloOptions, NoisyExpectedImprovement,
    NoisyOptions,
};

use crate::models::Model;
use crate::{Error, Result};
use ndarray::{Array1, ArrayView1, ArrayView2, Zip};

/// Whether larger or smaller values of the objective are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Larger is better: the acquisition functions' own form.
    Maximise,
    /// Smaller is better: the formulas see −f.
    Minimise,
}

impl Direction {
    /// +1 for [`Direction::Maximise`], −1 for [`Direction::Minimise`]: g = sign · f is the
    /// quantity to maximise.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Maximise => 1.0,
            Direction::Minimise => -1.0,
        }
    }

    /// The best of `values` in this direction (the incumbent), or `None` if there are none.
    pub fn best(self, values: impl IntoIterator<Item = f64>) -> Option<f64> {
        let s = self.sign();
        values.into_iter().map(|v| s * v).reduce(f64::max).map(|g| s * g)
    }

    /// The best value after each observation: entry k is the best of `values[..=k]` in this
    /// direction (the best-so-far curve of a run).
    pub fn best_so_far(self, values: &[f64]) -> Vec<f64> {
        let s = self.sign();
        let mut best = f64::NEG_INFINITY;
        values
            .iter()
            .map(|&v| {
                best = best.max(s * v);
                s * best
            })
            .collect()
    }
}

/// An acquisition function over candidates of q points in d dimensions, each given as a
/// flat vector of q·d coordinates (the q points one after another). The analytic functions
/// have q = 1.
pub trait AcquisitionFunction {
    /// The dimension d of one point.
    fn dim(&self) -> usize;

    /// The number of points q in one candidate.
    fn q(&self) -> usize {
        1
    }

    /// The value at each candidate, one candidate (q·d coordinates) per row of `x`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has q·d columns, [`Error::NonFinite`] for NaN or
    /// infinite entries or a value that is not finite.
    fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>>;

    /// The value at one candidate and its gradient in the candidate's q·d coordinates.
    ///
    /// # Errors
    /// As for [`AcquisitionFunction::values`].
    fn value_and_gradient(
        &self,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)>;
}

/// Which analytic acquisition function, with its parameter. Incumbents (`best`) are in the
/// objective's own units; [`Direction`] says which way is better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Acquisition {
    /// Upper confidence bound μ + √β σ (BoTorch's β: the square of σ's multiplier); for
    /// minimisation, −(μ − √β σ), the negated lower confidence bound.
    UpperConfidenceBound {
        /// β ≥ 0.
        beta: f64,
    },
    /// Probability of improving on `best`.
    ProbabilityOfImprovement {
        /// The incumbent f*.
        best: f64,
    },
    /// The logarithm of the probability of improving on `best`, finite where PI underflows.
    LogProbabilityOfImprovement {
        /// The incumbent f*.
        best: f64,
    },
    /// Expected improvement on `best`.
    ExpectedImprovement {
        /// The incumbent f*.
        best: f64,
    },
    /// The logarithm of the expected improvement on `best`, finite where EI underflows.
    LogExpectedImprovement {
        /// The incumbent f*.
        best: f64,
    },
    /// The posterior mean alone: pure exploitation.
    PosteriorMean,
}

impl Acquisition {
    /// The value and its partial derivatives from a posterior mean and standard deviation, in
    /// the maximisation form (the mean and the incumbent already multiplied by the
    /// direction's sign).
    pub fn from_moments(&self, mean: f64, sd: f64) -> Value {
        match *self {
            Acquisition::UpperConfidenceBound { beta } => {
                upper_confidence_bound(mean, sd, beta)
            }
            Acquisition::ProbabilityOfImprovement { best } => {
                probability_of_improvement(mean, sd, best)
            }
            Acquisition::LogProbabilityOfImprovement { best } => {
                log_probability_of_improvement(mean, sd, best)
            }
            Acquisition::ExpectedImprovement { best } => {
                expected_improvement(mean, sd, best)
            }
            Acquisition::LogExpectedImprovement { best } => {
                log_expected_improvement(mean, sd, best)
            }
            Acquisition::PosteriorMean => {
                Value { value: mean, d_mean: 1.0, d_sd: 0.0 }
            }
        }
    }

    /// The incumbent f* of an improvement-based function, `None` for UCB and the mean.
    pub fn incumbent(&self) -> Option<f64> {
        use Acquisition::*;
        match *self {
            ProbabilityOfImprovement { best }
            | LogProbabilityOfImprovement { best }
            | ExpectedImprovement { best }
            | LogExpectedImprovement { best } => Some(best),
            UpperConfidenceBound { .. } | PosteriorMean => None,
        }
    }

    /// The same function with incumbent `best` (unchanged if it has none).
    pub fn with_incumbent(self, best: f64) -> Self {
        self.map_incumbent(|_| best)
    }

    /// The same function for g = sign · f: its incumbent multiplied by the sign.
    fn signed(self, sign: f64) -> Self {
        self.map_incumbent(|best| sign * best)
    }

    /// The same function with its incumbent (if any) mapped by `new`.
    fn map_incumbent(self, new: impl Fn(f64) -> f64) -> Self {
        use Acquisition::*;
        match self {
            ProbabilityOfImprovement { best } => {
                ProbabilityOfImprovement { best: new(best) }
            }
            LogProbabilityOfImprovement { best } => {
                LogProbabilityOfImprovement { best: new(best) }
            }
            ExpectedImprovement { best } => ExpectedImprovement { best: new(best) },
            LogExpectedImprovement { best } => {
                LogExpectedImprovement { best: new(best) }
            }
            other => other,
        }
    }

    fn validate(&self) -> Result<()> {
        let (name, value) = match *self {
            Acquisition::UpperConfidenceBound { beta } => ("β", beta),
            Acquisition::ProbabilityOfImprovement { best }
            | Acquisition::LogProbabilityOfImprovement { best }
            | Acquisition::ExpectedImprovement { best }
            | Acquisition::LogExpectedImprovement { best } => {
                ("the incumbent", best)
            }
            Acquisition::PosteriorMean => return Ok(()),
        };
        if !value.is_finite() {
            return Err(Error::NonFinite { context: "Acquisition: its parameter" });
        }
        if name == "β" && value < 0.0 {
            return Err(Error::InvalidInput {
                context: "Acquisition",
                reason: format!("β must be non-negative, got {value}"),
            });
        }
        Ok(())
    }
}

/// An analytic acquisition function evaluated through a single-output model.
#[derive(Debug, Clone, Copy)]
pub struct Analytic<'m, M: Model + ?Sized> {
    model: &'m M,
    /// The function for g = sign · f.
    kind: Acquisition,
    sign: f64,
}

impl<'m, M: Model + ?Sized> Analytic<'m, M> {
    /// `kind` through `model`, for an objective to be optimised in `direction`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a model with more than one output (an analytic function
    /// of one posterior cannot say which output to improve, or in which direction) or a
    /// negative β, [`Error::NonFinite`] for a non-finite parameter.
    pub fn new(
        model: &'m M,
        kind: Acquisition,
        direction: Direction,
    ) -> Result<Self> {
        if model.num_outputs() != 1 {
            return Err(Error::InvalidInput {
                context: "Analytic acquisition",
                reason: format!(
                    "the model has {} outputs; an analytic acquisition function needs one",
                    model.num_outputs()
                ),
            });
        }
        kind.validate()?;
        let sign = direction.sign();
        Ok(Analytic { model, kind: kind.signed(sign), sign })
    }
}

fn finite(value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::NonFinite { context: "acquisition value" })
    }
}

impl<M: Model + ?Sized> AcquisitionFunction for Analytic<'_, M> {
    fn dim(&self) -> usize {
        self.model.dim()
    }

    fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let p = self.model.marginals(x)?;
        let mut out = Array1::zeros(x.nrows());
        Zip::from(&mut out).and(&p.mean).and(&p.variance).for_each(|o, &m, &v| {
            *o = self.kind.from_moments(self.sign * m, v.sqrt()).value;
        });
        out.iter().try_for_each(|&v| finite(v).map(|_| ()))?;
        Ok(out)
    }

    /// By the chain rule, ∇a = (∂a/∂μ)·sign·∇μ + (∂a/∂σ)·∇σ²/(2σ).
    fn value_and_gradient(
        &self,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)> {
        let p = self.model.point(x)?;
        let sd = p.variance.sqrt();
        let v = self.kind.from_moments(self.sign * p.mean, sd);
        let gradient = &p.mean_gradient * (self.sign * v.d_mean)
            + &p.variance_gradient * (v.d_sd / (2.0 * sd));
        if gradient.iter().any(|g| !g.is_finite()) {
            return Err(Error::NonFinite { context: "acquisition gradient" });
        }
        Ok((finite(v.value)?, gradient))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{fit, FitOptions, Gp, Hyperparameters, Kernel, KernelKind};
    use crate::numeric::{central_difference, column, linspace};
    use crate::test_functions::running_example;
    use ndarray::{array, Array2, Axis};

    fn all_kinds(best: f64) -> [Acquisition; 6] {
        [
            Acquisition::UpperConfidenceBound { beta: 2.0 },
            Acquisition::ProbabilityOfImprovement { best },
            Acquisition::LogProbabilityOfImprovement { best },
            Acquisition::ExpectedImprovement { best },
            Acquisition::LogExpectedImprovement { best },
            Acquisition::PosteriorMean,
        ]
    }

    #[test]
    fn gradients_in_x_match_finite_differences_through_the_transforms() {
        // Data far from the unit cube and far from mean 0: the gradient passes through both
        // transforms and the direction.
        let x = Array2::from_shape_fn((10, 2), |(i, j)| {
            20.0 * (((i * 5 + j * 3) % 7) as f64 / 3.0 - 1.0) + 100.0 * j as f64
        });
        let y = x.map_axis(Axis(1), |r| {
            50.0 + 3.0 * (r[0] / 20.0).sin() - (r[1] / 40.0).powi(2)
        });
        let model = fit(x.view(), &y, &FitOptions::single_task(2)).unwrap();
        let at = array![4.6, 91.8];
        for direction in [Direction::Maximise, Direction::Minimise] {
            let best = direction.best(y.iter().copied()).unwrap();
            for kind in all_kinds(best) {
                let a = Analytic::new(&model, kind, direction).unwrap();
                let (value, g) = a.value_and_gradient(at.view()).unwrap();
                let row = a.values(at.view().insert_axis(Axis(0))).unwrap();
                assert!(
                    (value - row[0]).abs() < 1e-8 * value.abs().max(1.0),
                    "{kind:?}"
                );
                let fd = central_difference(
                    |p| a.value_and_gradient(p.view()).unwrap().0,
                    &at,
                    1e-6,
                );
                for d in 0..2 {
                    assert!(
                        (g[d] - fd[d]).abs() < 1e-5 * fd[d].abs().max(1e-3),
                        "{direction:?} {kind:?} {d}: {} vs {}",
                        g[d],
                        fd[d]
                    );
                }
            }
        }
    }

    #[test]
    fn every_kernel_gives_gradients_that_match_finite_differences() {
        let x = Array2::from_shape_fn((10, 2), |(i, j)| {
            ((i * 5 + j * 3) % 7) as f64 / 3.0 - 1.0
        });
        let y = x.map_axis(Axis(1), |r| r[0].sin() - r[1] * r[1]);
        for kind in [
            KernelKind::SquaredExponential,
            KernelKind::Matern32,
            KernelKind::Matern52,
        ] {
            let kernel = Kernel::new(kind, array![0.7, 1.2], 1.3).unwrap();
            let hyper = Hyperparameters { kernel, mean: 0.1, noise: 1e-3 };
            let gp = Gp::new(x.clone(), y.clone(), hyper).unwrap();
            let at = array![0.23, -0.41];
            for acq in all_kinds(0.4) {
                let a = Analytic::new(&gp, acq, Direction::Maximise).unwrap();
                let (_, g) = a.value_and_gradient(at.view()).unwrap();
                let fd = central_difference(
                    |p| a.value_and_gradient(p.view()).unwrap().0,
                    &at,
                    1e-6,
                );
                assert!(
                    (&g - &fd)
                        .iter()
                        .zip(&fd)
                        .all(|(e, f)| e.abs() < 1e-5 * f.abs().max(1.0)),
                    "{kind:?} {acq:?}: {g} vs {fd}"
                );
            }
        }
    }

    #[test]
    fn minimising_is_maximising_the_negated_objective() {
        // A model of f with Direction::Minimise scores every point exactly as a model of −f
        // with Direction::Maximise does.
        let x = column(&linspace(-1.5, 1.5, 8));
        let y = x.column(0).mapv(running_example);
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0).unwrap();
        let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
        let gp = Gp::new(x.clone(), y.clone(), hyper.clone()).unwrap();
        let negated = Gp::new(x, -&y, hyper).unwrap();
        let grid = column(&linspace(-3.0, 3.0, 41));
        let best = Direction::Minimise.best(y.iter().copied()).unwrap();
        assert_eq!(best, y.fold(f64::INFINITY, |m, v| m.min(*v)));
        for (kind, mirrored) in all_kinds(best).into_iter().zip(all_kinds(-best)) {
            let a = Analytic::new(&gp, kind, Direction::Minimise).unwrap();
            let b = Analytic::new(&negated, mirrored, Direction::Maximise).unwrap();
            let (va, vb) =
                (a.values(grid.view()).unwrap(), b.values(grid.view()).unwrap());
            assert!((&va - &vb).iter().all(|d| d.abs() < 1e-12), "{kind:?}");
        }
    }

    #[test]
    fn the_course_ei_loop_picks_the_published_points() {
        // Chapter 13's loop, minimising the running example with EI on a 400-point grid,
        // sampled points excluded: the picks of the course.
        let grid = column(&linspace(-3.0, 3.0, 400));
        let mut xs = linspace(-1.5, 1.5, 8);
        let mut picks = Vec::new();
        for _ in 0..5 {
            let y: Vec<f64> = xs.iter().map(|&x| running_example(x)).collect();
            let kernel =
                Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0)
                    .unwrap();
            let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
            let gp = Gp::new(column(&xs), y.clone().into(), hyper).unwrap();
            let best = Direction::Minimise.best(y).unwrap();
            let ei = Analytic::new(
                &gp,
                Acquisition::ExpectedImprovement { best },
                Direction::Minimise,
            )
            .unwrap();
            let values = ei.values(grid.view()).unwrap();
            let mut top = (f64::NEG_INFINITY, 0.0);
            for (&v, &x) in values.iter().zip(grid.column(0)) {
                if v > top.0 && !xs.iter().any(|s| (s - x).abs() < 1e-6) {
                    top = (v, x);
                }
            }
            picks.push(top.1);
            xs.push(top.1);
        }
        for (got, want) in
            picks.iter().zip([2.3985, -2.5940, 2.0226, 1.9925, 2.0075])
        {
            assert!((got - want).abs() < 1e-4, "{picks:?}");
        }
    }

    #[test]
    fn bad_parameters_and_inputs_are_errors() {
        let x = column(&[0.0, 1.0]);
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0).unwrap();
        let gp = Gp::new(
            x,
            array![0.0, 1.0],
            Hyperparameters { kernel, mean: 0.0, noise: 1e-4 },
        )
        .unwrap();
        let nan = Acquisition::ExpectedImprovement { best: f64::NAN };
        assert!(matches!(
            Analytic::new(&gp, nan, Direction::Minimise),
            Err(Error::NonFinite { .. })
        ));
        let beta = Acquisition::UpperConfidenceBound { beta: -1.0 };
        assert!(matches!(
            Analytic::new(&gp, beta, Direction::Minimise),
            Err(Error::InvalidInput { .. })
        ));
        let a = Analytic::new(&gp, Acquisition::PosteriorMean, Direction::Maximise)
            .unwrap();
        assert!(matches!(
            a.values(Array2::zeros((2, 2)).view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            a.value_and_gradient(array![f64::INFINITY].view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
