//! Models and their posteriors: what the Bayesian-optimisation layer asks of a surrogate.
//!
//! A [`Model`] answers one question — given inputs, what do we now believe about the latent
//! function there? — as a [`Posterior`] (the joint Gaussian over the points), as
//! [`Prediction`] marginals (means and variances, cheaper when only they are needed), or as a
//! [`PointPrediction`] at one point with the gradients in x that acquisition optimisation
//! needs. Everything the layers above compute — acquisition values, samples, their
//! gradients — goes through this trait, so a new model needs only to implement it.
//!
//! Two implementations come with the library: the exact [`Gp`], which answers in the units
//! of its own data, and the [`FittedGp`], which fitted its hyperparameters on normalised
//! inputs and standardised outputs and answers in the data's units: the transforms are
//! applied in this one place, to the mean, the variance and their gradients (see
//! [`transforms`](crate::transforms)).

use crate::gp::{FittedGp, Gp, PointPrediction, Prediction};
use crate::linalg::Cholesky;
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// A probabilistic surrogate of an unknown function of d inputs.
pub trait Model {
    /// The input dimension d.
    fn dim(&self) -> usize;

    /// The number of outputs m (1 for a single-task model).
    fn num_outputs(&self) -> usize {
        1
    }

    /// The joint posterior of the latent function at the rows of `x` (n × d).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has d columns, [`Error::NonFinite`] for NaN or
    /// infinite inputs.
    fn posterior(&self, x: ArrayView2<'_, f64>) -> Result<Posterior>;

    /// The posterior means and variances at the rows of `x`, without the covariances.
    ///
    /// # Errors
    /// As for [`Model::posterior`].
    fn marginals(&self, x: ArrayView2<'_, f64>) -> Result<Prediction>;

    /// The posterior mean and variance at one point, with their gradients in x.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has d entries, [`Error::NonFinite`] for NaN or
    /// infinite entries.
    fn point(&self, x: ArrayView1<'_, f64>) -> Result<PointPrediction>;
}

/// The joint Gaussian posterior N(μ, Σ) of the latent function at n points.
#[derive(Debug, Clone, PartialEq)]
pub struct Posterior {
    mean: Array1<f64>,
    covariance: Array2<f64>,
    prior_variance: f64,
}

impl Posterior {
    /// The posterior with mean `mean` and covariance `covariance`. `prior_variance`, the
    /// function's prior variance, sets the scale of the jitter that sampling may need: where
    /// the data pin the function down, Σ is zero up to rounding and only the prior says what
    /// "small" means.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless the covariance is n × n, [`Error::NonFinite`] for
    /// non-finite entries, [`Error::InvalidInput`] for a prior variance that is not positive.
    pub fn new(
        mean: Array1<f64>,
        covariance: Array2<f64>,
        prior_variance: f64,
    ) -> Result<Self> {
        let n = mean.len();
        if covariance.dim() != (n, n) {
            return Err(Error::ShapeMismatch {
                context: "Posterior: the covariance",
                expected: vec![n, n],
                found: covariance.shape().to_vec(),
            });
        }
        if mean.iter().chain(&covariance).any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Posterior" });
        }
        if !(prior_variance > 0.0 && prior_variance.is_finite()) {
            return Err(Error::InvalidInput {
                context: "Posterior",
                reason: format!(
                    "the prior variance must be positive, got {prior_variance}"
                ),
            });
        }
        Ok(Posterior { mean, covariance, prior_variance })
    }

    /// The number of points n.
    pub fn len(&self) -> usize {
        self.mean.len()
    }

    /// Whether the posterior is over no points at all.
    pub fn is_empty(&self) -> bool {
        self.mean.is_empty()
    }

    /// The posterior mean μ.
    pub fn mean(&self) -> &Array1<f64> {
        &self.mean
    }

    /// The posterior covariance Σ.
    pub fn covariance(&self) -> &Array2<f64> {
        &self.covariance
    }

    /// The posterior variances, the diagonal of Σ (never below
    /// [`MIN_VARIANCE`](crate::gp::MIN_VARIANCE)).
    pub fn variance(&self) -> Array1<f64> {
        self.covariance.diag().mapv(|v| v.max(crate::gp::MIN_VARIANCE))
    }

    /// Reparameterised samples f = μ + L z, one per row of `base` (s × n standard normal
    /// draws supplied by the caller), with L L ᵀ = Σ + εI, ε from the jitter schedule of
    /// [`Cholesky::with_jitter_scaled`] relative to the prior variance. Fixed base samples
    /// make the samples — and anything averaged over them — a smooth, deterministic function
    /// of the posterior, which is what Monte Carlo acquisition functions differentiate.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `base` has n columns, [`Error::NonFinite`] for
    /// non-finite draws, [`Error::InvalidInput`] if Σ cannot be factored even with jitter.
    pub fn sample(&self, base: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        if base.ncols() != self.len() {
            return Err(Error::ShapeMismatch {
                context: "Posterior::sample: base samples, one column per point",
                expected: vec![base.nrows(), self.len()],
                found: base.shape().to_vec(),
            });
        }
        if base.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                context: "Posterior::sample: base samples",
            });
        }
        if self.is_empty() {
            return Ok(Array2::zeros((base.nrows(), 0)));
        }
        let chol = Cholesky::with_jitter_scaled(
            self.covariance.view(),
            self.prior_variance,
        )?;
        // Rows of base are zᵀ: the samples are zᵀLᵀ + μᵀ.
        let mut samples = base.dot(&chol.factor().t());
        samples += &self.mean.view().insert_axis(Axis(0));
        Ok(samples)
    }
}

impl Model for Gp {
    fn dim(&self) -> usize {
        self.hyperparameters().kernel.dim()
    }

    fn posterior(&self, x: ArrayView2<'_, f64>) -> Result<Posterior> {
        let (mean, covariance) = self.covariance(x)?;
        Posterior::new(
            mean,
            covariance,
            self.hyperparameters().kernel.outputscale(),
        )
    }

    fn marginals(&self, x: ArrayView2<'_, f64>) -> Result<Prediction> {
        self.predict(x)
    }

    fn point(&self, x: ArrayView1<'_, f64>) -> Result<PointPrediction> {
        self.predict_with_gradient(x)
    }
}

impl Model for FittedGp {
    fn dim(&self) -> usize {
        self.normalize.dim()
    }

    fn posterior(&self, x: ArrayView2<'_, f64>) -> Result<Posterior> {
        let xn = self.normalize.apply(x)?;
        let p = self.gp.posterior(xn.view())?;
        let s = self.standardize;
        let mean = p.mean.mapv(|m| s.untransform(m));
        let covariance = p.covariance.mapv(|c| s.untransform_variance(c));
        // Posterior::new refuses what overflowed in the data's units.
        Posterior::new(mean, covariance, s.untransform_variance(p.prior_variance))
    }

    fn marginals(&self, x: ArrayView2<'_, f64>) -> Result<Prediction> {
        self.predict(x)
    }

    fn point(&self, x: ArrayView1<'_, f64>) -> Result<PointPrediction> {
        let xn = self.normalize.apply_point(x)?;
        let p = self.gp.predict_with_gradient(xn.view())?;
        let s = self.standardize;
        // μ = ȳ + s μₙ(xₙ), σ² = s² σₙ²(xₙ), and ∂/∂x = (∂/∂xₙ) ⊘ r.
        let point = PointPrediction {
            mean: s.untransform(p.mean),
            variance: s.untransform_variance(p.variance),
            mean_gradient: self
                .normalize
                .gradient_to_data(p.mean_gradient.view())?
                * s.std,
            variance_gradient: self
                .normalize
                .gradient_to_data(p.variance_gradient.view())?
                * (s.std * s.std),
        };
        let values = [point.mean, point.variance];
        if values
            .iter()
            .chain(&point.mean_gradient)
            .chain(&point.variance_gradient)
            .any(|v| !v.is_finite())
        {
            return Err(crate::gp::overflow("FittedGp::point"));
        }
        Ok(point)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{fit, FitOptions, Hyperparameters, Kernel, KernelKind};
    use crate::numeric::central_difference;
    use ndarray::{array, Array};
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};
    use rand_distr::StandardNormal;

    fn data() -> (Array2<f64>, Array1<f64>) {
        let x = Array2::from_shape_fn((12, 2), |(i, j)| {
            -5.0 + 15.0 * (((i * 7 + j * 5) % 13) as f64 / 12.0) + 3.0 * j as f64
        });
        let y =
            x.map_axis(Axis(1), |r| 100.0 + 20.0 * (0.3 * r[0]).sin() - 0.5 * r[1]);
        (x, y)
    }

    #[test]
    fn the_fitted_model_answers_in_data_units() {
        let (x, y) = data();
        let model = fit(x.view(), &y, &FitOptions::single_task(2)).unwrap();
        // The posterior through the model equals the GP's in model units, mapped back.
        let xs = array![[0.0, 4.0], [7.5, 10.0], [9.0, 2.0]];
        let p = model.posterior(xs.view()).unwrap();
        let xn = model.normalize.apply(xs.view()).unwrap();
        let raw = model.gp.predict(xn.view()).unwrap();
        let s = model.standardize;
        for i in 0..3 {
            assert!((p.mean()[i] - (s.mean + s.std * raw.mean[i])).abs() < 1e-9);
            assert!(
                (p.variance()[i] - s.std * s.std * raw.variance[i]).abs() < 1e-9
            );
        }
        // The marginals agree with the joint posterior's diagonal.
        let m = model.marginals(xs.view()).unwrap();
        assert!((&m.mean - p.mean()).iter().all(|d| d.abs() < 1e-9));
        assert!((&m.variance - &p.variance()).iter().all(|d| d.abs() < 1e-9));
        // It interpolates the data it was fitted on, in data units.
        let at_data = model.marginals(x.view()).unwrap();
        assert!((&at_data.mean - &y).iter().all(|r| r.abs() < 0.05 * s.std));
    }

    #[test]
    fn point_gradients_through_the_transforms_match_finite_differences() {
        let (x, y) = data();
        let model = fit(x.view(), &y, &FitOptions::single_task(2)).unwrap();
        let at = array![3.3, 6.1];
        let p = model.point(at.view()).unwrap();
        let m = model.marginals(at.view().insert_axis(Axis(0))).unwrap();
        assert!((p.mean - m.mean[0]).abs() < 1e-9 * p.mean.abs());
        assert!((p.variance - m.variance[0]).abs() < 1e-9 * p.variance.max(1.0));
        let mean = |x: &Array1<f64>| model.point(x.view()).unwrap().mean;
        let var = |x: &Array1<f64>| model.point(x.view()).unwrap().variance;
        let gm = central_difference(mean, &at, 1e-5);
        let gv = central_difference(var, &at, 1e-5);
        for j in 0..2 {
            assert!(
                (p.mean_gradient[j] - gm[j]).abs() < 1e-5 * gm[j].abs().max(1.0),
                "{gm}"
            );
            assert!(
                (p.variance_gradient[j] - gv[j]).abs()
                    < 1e-5 * gv[j].abs().max(1.0),
                "{gv} vs {}",
                p.variance_gradient
            );
        }
    }

    #[test]
    fn samples_from_fixed_base_draws_have_the_posterior_s_moments() {
        let x = Array::linspace(-1.0, 1.0, 5).insert_axis(Axis(1));
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.5], 2.0).unwrap();
        let gp = Gp::new(
            x,
            array![0.1, -0.3, 0.2, 0.5, 0.0],
            Hyperparameters { kernel, mean: 0.0, noise: 1e-3 },
        )
        .unwrap();
        let xs = array![[-0.5], [0.3], [1.5]];
        let p = gp.posterior(xs.view()).unwrap();
        // z = e₁ gives μ + L e₁: its first coordinate is μ₁ + √Σ₁₁.
        let one =
            p.sample(array![[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]].view()).unwrap();
        assert!(
            (one[[0, 0]] - p.mean()[0] - p.covariance()[[0, 0]].sqrt()).abs()
                < 1e-12
        );
        assert_eq!(one.row(1), p.mean().view());
        // Many draws: the sample covariance approaches Σ.
        let s = 20000;
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let base =
            Array2::from_shape_simple_fn((s, 3), || rng.sample(StandardNormal));
        let f = p.sample(base.view()).unwrap();
        let centred = &f - &f.mean_axis(Axis(0)).unwrap();
        let cov = centred.t().dot(&centred) / (s as f64 - 1.0);
        for (a, b) in cov.iter().zip(p.covariance()) {
            assert!(
                (a - b).abs() < 0.05 * p.covariance()[[2, 2]],
                "{cov} vs {}",
                p.covariance()
            );
        }
        assert!(p.sample(array![[1.0, 2.0]].view()).is_err());
    }

    #[test]
    fn a_wrong_width_is_an_error_everywhere() {
        let (x, y) = data();
        let model = fit(x.view(), &y, &FitOptions::single_task(2)).unwrap();
        for bad in [Array2::<f64>::zeros((3, 1)), Array2::zeros((3, 3))] {
            assert!(matches!(
                model.posterior(bad.view()),
                Err(Error::ShapeMismatch { .. })
            ));
            assert!(matches!(
                model.marginals(bad.view()),
                Err(Error::ShapeMismatch { .. })
            ));
            assert!(matches!(
                model.point(bad.row(0)),
                Err(Error::ShapeMismatch { .. })
            ));
        }
        assert!(matches!(
            model.point(array![f64::NAN, 0.0].view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
