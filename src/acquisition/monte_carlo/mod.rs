//! Monte Carlo batch acquisition functions: qEI, qLogEI and qUCB, BoTorch's way, with
//! their gradients from the course's autodiff tape.
//!
//! A batch X = (x₁, …, x_q) is scored by what the joint posterior of f at the q points
//! says about the best of them. The expectation has no closed form for q > 1, so it is
//! estimated from s reparameterised samples Y⁽ⁱ⁾ = μ(X) + L(X) z⁽ⁱ⁾, L L ᵀ = Σ(X), with
//! base samples z⁽ⁱ⁾ drawn once ([`NormalSampler`]) and held fixed: the estimate is then a
//! deterministic, smooth function of X whose gradient is exact, and a deterministic
//! optimiser can climb it (BoTorch's "fixed base samples", the sample average
//! approximation). With ξ the incumbent (`best`) and β the UCB parameter:
//!
//! - qEI(X) ≈ (1/s) Σᵢ maxⱼ (Y⁽ⁱ⁾ⱼ − ξ)⁺;
//! - qLogEI(X) ≈ ln (1/s) Σᵢ exp(fatmax_τmax,j ln fatplus_τrelu(Y⁽ⁱ⁾ⱼ − ξ)), the
//!   logarithm of a smoothed qEI: the ReLU replaced by the fat-tailed softplus at
//!   τ_relu = 10⁻⁶, the maximum over j by the fat-tailed smooth maximum at τ_max = 10⁻²,
//!   and the mean over i taken in log space ([`smooth`]); finite and informative where
//!   qEI underflows to 0;
//! - qUCB(X) ≈ (1/s) Σᵢ maxⱼ (Ȳⱼ + √(βπ/2) |Y⁽ⁱ⁾ⱼ − Ȳⱼ|), Ȳ the sample mean over i: for
//!   q = 1 this tends to μ + √β σ, since E|Y − μ| = √(2/π) σ.
//!
//! [`noisy`] adds qNEI and qLogNEI, whose incumbent is itself drawn from the posterior at
//! the observed points.
//!
//! For [`Direction::Minimise`] the formulas see −Y and −ξ, as the analytic functions do.
//! **Pending points** X_p (m points chosen but not yet observed) join the batch in the
//! joint posterior: the maxima run over the q + m points, so a candidate scores only what
//! it adds to them. The samples come from [`TapePosterior::samples`]: the gradient in X
//! flows back through the maxima, the Cholesky factor of Σ(X), the triangular solve and the
//! kernel.

pub mod noisy;
mod sequential;
pub mod smooth;

pub use noisy::{
    prune_inferior_points, NoisyExpectedImprovement, NoisyOptions, PruneOptions,
};
pub use sequential::{optimize_acqf_sequential, SequentialBatch};
pub use smooth::{TAU_MAX, TAU_RELU};

use super::{AcquisitionFunction, Direction};
use crate::autodiff::{Tape, Var};
use crate::gp::{FittedGp, FixedPoints, TapePosterior};
use crate::sampling::NormalSampler;
use crate::{Error, Result};
use ndarray::{concatenate, Array1, Array2, ArrayView1, ArrayView2, Axis};
use smooth::{FatMax, FatSoftplus, LogFatplus, LogMeanExp, RowMax, Sign};
use std::sync::Arc;

/// Which Monte Carlo acquisition function, with its parameter. Incumbents are in the
/// objective's own units; [`Direction`] says which way is better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MonteCarloKind {
    /// qEI: the expected improvement of the best of the batch on ξ = `best`.
    ExpectedImprovement {
        /// The incumbent ξ.
        best: f64,
    },
    /// qLogEI: the logarithm of a smoothed qEI, BoTorch's default (see the module).
    LogExpectedImprovement {
        /// The incumbent ξ.
        best: f64,
    },
    /// qUCB with BoTorch's β (√β multiplies σ when q = 1).
    UpperConfidenceBound {
        /// β ≥ 0.
        beta: f64,
    },
}

impl MonteCarloKind {
    fn validate(&self) -> Result<()> {
        match *self {
            MonteCarloKind::ExpectedImprovement { best }
            | MonteCarloKind::LogExpectedImprovement { best } => {
                if !best.is_finite() {
                    return Err(Error::NonFinite {
                        context: "MonteCarlo: the incumbent ξ",
                    });
                }
            }
            MonteCarloKind::UpperConfidenceBound { beta } => {
                if !beta.is_finite() {
                    return Err(Error::NonFinite { context: "MonteCarlo: β" });
                }
                if beta < 0.0 {
                    return Err(Error::InvalidInput {
                        context: "MonteCarlo",
                        reason: format!("β must be non-negative, got {beta}"),
                    });
                }
            }
        }
        Ok(())
    }

    /// The same function for g = sign · f: its incumbent multiplied by the sign.
    fn signed(self, sign: f64) -> Self {
        match self {
            MonteCarloKind::ExpectedImprovement { best } => {
                MonteCarloKind::ExpectedImprovement { best: sign * best }
            }
            MonteCarloKind::LogExpectedImprovement { best } => {
                MonteCarloKind::LogExpectedImprovement { best: sign * best }
            }
            other => other,
        }
    }
}

/// Settings of the Monte Carlo estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarloOptions {
    /// The number of base samples s (512 by default, BoTorch's; a power of two keeps the
    /// Sobol points balanced).
    pub samples: usize,
    /// The seed of the scrambled Sobol base samples.
    pub seed: u64,
    /// qLogEI's τ_max ([`TAU_MAX`] by default).
    pub tau_max: f64,
    /// qLogEI's τ_relu ([`TAU_RELU`] by default).
    pub tau_relu: f64,
}

impl Default for MonteCarloOptions {
    fn default() -> Self {
        MonteCarloOptions {
            samples: 512,
            seed: 0,
            tau_max: TAU_MAX,
            tau_relu: TAU_RELU,
        }
    }
}

/// A Monte Carlo acquisition function over batches of q points, for a GP posterior on the
/// tape. Implements [`AcquisitionFunction`] over q·d coordinates (the q points one after
/// another), so [`optimize_acqf`](crate::optimize_acqf::optimize_acqf) searches the
/// q-fold box jointly.
#[derive(Debug, Clone)]
pub struct MonteCarlo {
    posterior: Arc<TapePosterior>,
    /// The function for g = sign · f.
    kind: MonteCarloKind,
    direction: Direction,
    q: usize,
    options: MonteCarloOptions,
    /// X_p, m × d (m may be 0).
    pending: Array2<f64>,
    /// The pending points' share of the joint posterior, computed once (m ≥ 1).
    fixed: Option<Arc<FixedPoints>>,
    /// z, s × (q + m).
    base: Array2<f64>,
}

impl MonteCarlo {
    /// `kind` for batches of `q` points through `model`, for an objective to be optimised
    /// in `direction`, with no pending points and base samples from `options`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for q = 0, a negative β, τ's that are not positive numbers;
    /// [`Error::NonFinite`] for a non-finite incumbent or β; [`Error::Empty`] for no
    /// samples; as for [`TapePosterior::new`] and [`NormalSampler::new`].
    pub fn new(
        model: &FittedGp,
        kind: MonteCarloKind,
        direction: Direction,
        q: usize,
        options: &MonteCarloOptions,
    ) -> Result<Self> {
        let posterior = TapePosterior::new(model)?;
        MonteCarlo::with_posterior(posterior, kind, direction, q, options)
    }

    /// As [`MonteCarlo::new`], for a posterior already prepared (of a plain
    /// [`Gp`](crate::gp::Gp), say, by [`TapePosterior::from_gp`]).
    ///
    /// # Errors
    /// As for [`MonteCarlo::new`].
    pub fn with_posterior(
        posterior: TapePosterior,
        kind: MonteCarloKind,
        direction: Direction,
        q: usize,
        options: &MonteCarloOptions,
    ) -> Result<Self> {
        if q == 0 {
            return Err(Error::InvalidInput {
                context: "MonteCarlo",
                reason: "a batch needs at least one point (q ≥ 1)".into(),
            });
        }
        kind.validate()?;
        for (name, tau) in
            [("τ_max", options.tau_max), ("τ_relu", options.tau_relu)]
        {
            if !(tau > 0.0 && tau.is_finite()) {
                return Err(Error::InvalidInput {
                    context: "MonteCarlo",
                    reason: format!("{name} must be a positive number, got {tau}"),
                });
            }
        }
        let d = posterior.dim();
        let base = NormalSampler::new(options.samples, q, options.seed)?;
        Ok(MonteCarlo {
            posterior: Arc::new(posterior),
            kind: kind.signed(direction.sign()),
            direction,
            q,
            options: *options,
            pending: Array2::zeros((0, d)),
            fixed: None,
            base: base.base().to_owned(),
        })
    }

    /// The same function with pending points X_p (m × d, m ≥ 0, replacing any before):
    /// they join the batch in the joint posterior, and the base samples are drawn afresh
    /// for q + m columns from the same seed.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `pending` has d columns, [`Error::NonFinite`] for
    /// non-finite entries; as for [`NormalSampler::new`].
    pub fn with_pending(&self, pending: ArrayView2<'_, f64>) -> Result<Self> {
        crate::error::check_points(
            pending,
            self.dim(),
            "MonteCarlo: the pending points",
        )?;
        let width = self.q + pending.nrows();
        let base =
            NormalSampler::new(self.options.samples, width, self.options.seed)?;
        let fixed = match pending.nrows() {
            0 => None,
            _ => Some(Arc::new(self.posterior.fix(pending)?)),
        };
        Ok(MonteCarlo {
            pending: pending.to_owned(),
            fixed,
            base: base.base().to_owned(),
            ..self.clone()
        })
    }

    /// The same function with explicit base samples z (s × (q + m), one column per point
    /// of the batch and then per pending point), for instance to reproduce another
    /// library's estimate draw for draw.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `base` has q + m columns, [`Error::Empty`] for no
    /// rows, [`Error::NonFinite`] for non-finite draws.
    pub fn with_base_samples(&self, base: ArrayView2<'_, f64>) -> Result<Self> {
        let width = self.q + self.pending.nrows();
        if base.ncols() != width {
            return Err(Error::ShapeMismatch {
                context: "MonteCarlo: base samples, one column per point and pending point",
                expected: vec![base.nrows(), width],
                found: base.shape().to_vec(),
            });
        }
        if base.nrows() == 0 {
            return Err(Error::Empty { context: "MonteCarlo: base samples" });
        }
        if base.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "MonteCarlo: base samples" });
        }
        Ok(MonteCarlo { base: base.to_owned(), ..self.clone() })
    }

    /// The pending points X_p (m × d).
    pub fn pending(&self) -> ArrayView2<'_, f64> {
        self.pending.view()
    }

    /// The base samples z (s × (q + m)).
    pub fn base_samples(&self) -> ArrayView2<'_, f64> {
        self.base.view()
    }

    /// The direction of the objective.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The settings it was built with.
    pub fn options(&self) -> &MonteCarloOptions {
        &self.options
    }

    /// The acquisition value at the batch `x` (q × d, in the data's units) as a
    /// 0-dimensional value on `x`'s tape, for a caller that wants to combine it with
    /// other quantities before differentiating.
    ///
    /// # Errors
    /// As for [`TapePosterior::samples`] (shape, non-finite entries, a covariance that
    /// cannot be factored).
    pub fn value_on_tape<'t>(&self, x: Var<'t>) -> Result<Var<'t>> {
        let tape = x.tape();
        let y = match &self.fixed {
            None => self.posterior.samples(x, self.base.view())?,
            Some(fixed) => {
                self.posterior.samples_with_fixed(x, fixed, self.base.view())?
            }
        };
        let minimise = self.direction == Direction::Minimise;
        // g − best with g = −y for minimisation, taken as (−best) − y: one recorded
        // operation instead of two, and the same number, since both are the one rounded
        // sum (−best) + (−y).
        let improvement = |best: f64| if minimise { (-best) - y } else { y - best };
        let value = match self.kind {
            MonteCarloKind::ExpectedImprovement { best } => {
                tape.custom(RowMax, &[improvement(best).relu()]).mean()
            }
            MonteCarloKind::LogExpectedImprovement { best } => {
                let li = tape.custom(
                    LogFatplus(FatSoftplus::new(self.options.tau_relu)),
                    &[improvement(best)],
                );
                let per_sample = tape.custom(FatMax(self.options.tau_max), &[li]);
                tape.custom(LogMeanExp, &[per_sample])
            }
            MonteCarloKind::UpperConfidenceBound { beta } => {
                let g = if minimise { -y } else { y };
                let weight = (beta * std::f64::consts::FRAC_PI_2).sqrt();
                let mean = g.mean_axis(0);
                let deviation = g - mean;
                let spread = deviation * tape.custom(Sign, &[deviation]);
                tape.custom(RowMax, &[mean + spread * weight]).mean()
            }
        };
        let v = tape.item(value)?;
        if !v.is_finite() {
            return Err(Error::NonFinite { context: "MonteCarlo: the value" });
        }
        Ok(value)
    }

    /// The q·d coordinates of one candidate as a q × d matrix.
    fn batch(&self, x: ArrayView1<'_, f64>) -> Result<Array2<f64>> {
        let d = self.dim();
        if x.len() != self.q * d {
            return Err(Error::ShapeMismatch {
                context: "MonteCarlo: a candidate has q·d coordinates",
                expected: vec![self.q * d],
                found: vec![x.len()],
            });
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "MonteCarlo: a candidate" });
        }
        Array2::from_shape_vec((self.q, d), x.to_vec()).map_err(|e| {
            Error::InvalidInput { context: "MonteCarlo", reason: e.to_string() }
        })
    }
}

impl AcquisitionFunction for MonteCarlo {
    fn dim(&self) -> usize {
        self.posterior.dim()
    }

    fn q(&self) -> usize {
        self.q
    }

    fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        check_blocks(
            x,
            self.q * self.dim(),
            "MonteCarlo::values: one candidate of q·d coordinates per row",
        )?;
        x.rows()
            .into_iter()
            .map(|row| value_off_tape(self.batch(row)?, |v| self.value_on_tape(v)))
            .collect()
    }

    fn value_and_gradient(
        &self,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)> {
        value_and_gradient_on_tape(
            self.batch(x)?,
            |v| self.value_on_tape(v),
            "MonteCarlo: the gradient",
        )
    }
}

/// Checks that every row of `x` is one candidate block of `width` = q·d coordinates.
pub(crate) fn check_blocks(
    x: ArrayView2<'_, f64>,
    width: usize,
    context: &'static str,
) -> Result<()> {
    if x.ncols() != width {
        return Err(Error::ShapeMismatch {
            context,
            expected: vec![x.nrows(), width],
            found: x.shape().to_vec(),
        });
    }
    Ok(())
}

/// The value of a batch acquisition function written on the tape, at one q × d block, with
/// the block recorded as a constant (nothing to differentiate).
pub(crate) fn value_off_tape(
    block: Array2<f64>,
    value: impl for<'t> Fn(Var<'t>) -> Result<Var<'t>>,
) -> Result<f64> {
    let tape = Tape::new();
    let v = value(tape.constant(block.into_dyn()))?;
    tape.item(v)
}

/// The value and its gradient in the q·d coordinates of one block, by one backward pass of
/// the tape; a gradient that is not finite is an error named by `context`.
pub(crate) fn value_and_gradient_on_tape(
    block: Array2<f64>,
    value: impl for<'t> Fn(Var<'t>) -> Result<Var<'t>>,
    context: &'static str,
) -> Result<(f64, Array1<f64>)> {
    let len = block.len();
    let tape = Tape::new();
    let xv = tape.param(block.into_dyn());
    let v = value(xv)?;
    tape.backward(v)?;
    let gradient: Array1<f64> = match tape.grad(xv) {
        Some(g) => g.iter().copied().collect(),
        None => Array1::zeros(len),
    };
    if gradient.iter().any(|g| !g.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    Ok((tape.item(v)?, gradient))
}

/// The rows of `a` followed by those of `b` (both with d columns).
fn stacked<'a>(
    a: ArrayView2<'a, f64>,
    b: ArrayView2<'a, f64>,
) -> Result<Array2<f64>> {
    concatenate(Axis(0), &[a, b]).map_err(|e| Error::InvalidInput {
        context: "MonteCarlo: pending points",
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests;
