//! The exact Gaussian-process regression model: a constant mean, a kernel, Gaussian noise,
//! and what conditioning on data gives in closed form.

use super::kernel::Kernel;
use crate::linalg::{lower_gram_into, Cholesky};
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

/// Everything that specifies a GP besides the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Hyperparameters {
    /// The covariance function.
    pub kernel: Kernel,
    /// The constant prior mean m.
    pub mean: f64,
    /// The observation-noise variance σₙ².
    pub noise: f64,
}

/// A GP conditioned on data: y = f(x) + ε, f ~ GP(m, k), ε ~ N(0, σₙ²).
#[derive(Debug, Clone)]
pub struct Gp {
    x: Array2<f64>,
    y: Array1<f64>,
    hyper: Hyperparameters,
    /// Known per-observation noise variances, added to σₙ² on the diagonal.
    noise_variances: Option<Array1<f64>>,
    chol: Cholesky,
    /// α = (K + σₙ²I)⁻¹ (y − m).
    alpha: Array1<f64>,
}

/// The posterior at a set of points: latent mean and variance (noise not added).
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub mean: Array1<f64>,
    pub variance: Array1<f64>,
}

/// The posterior at one point with its gradients in the point's coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct PointPrediction {
    /// The posterior mean μ(x).
    pub mean: f64,
    /// The posterior variance σ²(x) of the latent f (at least [`MIN_VARIANCE`]).
    pub variance: f64,
    /// ∇μ(x).
    pub mean_gradient: Array1<f64>,
    /// ∇σ²(x).
    pub variance_gradient: Array1<f64>,
}

/// Smallest variance a prediction reports: rounding can make σ² − vᵀv slightly negative.
pub const MIN_VARIANCE: f64 = 1e-12;

impl Gp {
    /// Conditions the GP on inputs `x` (n × d) and observations `y` (n).
    ///
    /// # Errors
    /// [`Error::Empty`] for no data, [`Error::ShapeMismatch`] if `x` and `y` disagree or `x`
    /// does not have the kernel's dimension, [`Error::NonFinite`] for NaN or infinity in the
    /// data or hyperparameters, [`Error::InvalidInput`] for a negative noise variance or a
    /// covariance that stays indefinite even after jitter.
    pub fn new(
        x: Array2<f64>,
        y: Array1<f64>,
        hyper: Hyperparameters,
    ) -> Result<Self> {
        Gp::build(x, y, hyper, None)
    }

    /// Conditions the GP on observations with known noise variances vᵢ, one per observation:
    /// yᵢ = f(xᵢ) + εᵢ with εᵢ ~ N(0, σₙ² + vᵢ) (σₙ² is usually 0 then).
    ///
    /// # Errors
    /// As for [`Gp::new`]; [`Error::ShapeMismatch`] unless there is one variance per
    /// observation, [`Error::NonFinite`] or [`Error::InvalidInput`] for a variance that is
    /// not a non-negative number.
    pub fn with_noise_variances(
        x: Array2<f64>,
        y: Array1<f64>,
        hyper: Hyperparameters,
        variances: Array1<f64>,
    ) -> Result<Self> {
        if variances.len() != y.len() {
            return Err(Error::ShapeMismatch {
                context: "Gp: one noise variance per observation",
                expected: vec![y.len()],
                found: vec![variances.len()],
            });
        }
        if variances.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Gp: noise variances" });
        }
        if variances.iter().any(|&v| v < 0.0) {
            return Err(Error::InvalidInput {
                context: "Gp",
                reason: "noise variances must be non-negative".into(),
            });
        }
        Gp::build(x, y, hyper, Some(variances))
    }

    fn build(
        x: Array2<f64>,
        y: Array1<f64>,
        hyper: Hyperparameters,
        noise_variances: Option<Array1<f64>>,
    ) -> Result<Self> {
        if x.nrows() == 0 {
            return Err(Error::Empty { context: "Gp: training data" });
        }
        if y.len() != x.nrows() {
            return Err(Error::ShapeMismatch {
                context: "Gp: one observation per input row",
                expected: vec![x.nrows()],
                found: vec![y.len()],
            });
        }
        if y.iter().any(|v| !v.is_finite())
            || !hyper.mean.is_finite()
            || !hyper.noise.is_finite()
        {
            return Err(Error::NonFinite {
                context: "Gp: observations or hyperparameters",
            });
        }
        if hyper.noise < 0.0 {
            return Err(Error::InvalidInput {
                context: "Gp",
                reason: format!(
                    "the noise variance must be non-negative, got {}",
                    hyper.noise
                ),
            });
        }
        let mut k = hyper.kernel.matrix(x.view(), x.view())?;
        k.diag_mut().mapv_inplace(|v| v + hyper.noise);
        if let Some(v) = &noise_variances {
            k.diag_mut().zip_mut_with(v, |d, v| *d += v);
        }
        let chol = Cholesky::with_jitter(k.view())?;
        let residual = &y - hyper.mean;
        let alpha = chol.solve_vec(residual.view())?;
        Ok(Gp { x, y, hyper, noise_variances, chol, alpha })
    }

    /// The known per-observation noise variances, if the GP was built with them.
    pub fn noise_variances(&self) -> Option<&Array1<f64>> {
        self.noise_variances.as_ref()
    }

    /// The hyperparameters.
    pub fn hyperparameters(&self) -> &Hyperparameters {
        &self.hyper
    }

    /// The training inputs.
    pub fn inputs(&self) -> &Array2<f64> {
        &self.x
    }

    /// The training observations.
    pub fn observations(&self) -> &Array1<f64> {
        &self.y
    }

    /// The jitter the Cholesky factorisation had to add to the diagonal (0 if none).
    pub fn jitter(&self) -> f64 {
        self.chol.jitter()
    }

    /// The Cholesky factor of K + σₙ²I (with its jitter), for code that reuses it.
    pub(crate) fn factor(&self) -> &Cholesky {
        &self.chol
    }

    /// α = (K + σₙ²I)⁻¹ (y − m).
    pub(crate) fn alpha(&self) -> &Array1<f64> {
        &self.alpha
    }

    /// The posterior mean and variance of f at the rows of `xs`:
    /// μ = m + K*ᵀα and σ² = k** − vᵀv with v = L⁻¹K*.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] or [`Error::NonFinite`] for bad test inputs.
    pub fn predict(&self, xs: ArrayView2<'_, f64>) -> Result<Prediction> {
        let ks = self.hyper.kernel.matrix(self.x.view(), xs)?;
        let mean = ks.t().dot(&self.alpha) + self.hyper.mean;
        let v = self.chol.solve_lower(ks.view())?;
        // Column sums of squares, accumulated row by row (contiguous, vectorised).
        let mut explained = Array1::<f64>::zeros(xs.nrows());
        for row in v.rows() {
            explained.zip_mut_with(&row, |e, r| *e += r * r);
        }
        let variance = (self.hyper.kernel.diagonal(xs.nrows()) - explained)
            .mapv(|s| s.max(MIN_VARIANCE));
        Ok(Prediction { mean, variance })
    }

    /// The posterior mean and variance at one point x, with their gradients in x:
    /// ∇μ = (∂k*/∂x)ᵀ α and ∇σ² = −2 (∂k*/∂x)ᵀ (K + σₙ²I)⁻¹ k* (k(x, x) does not depend on x
    /// for a stationary kernel). For the Matérn ½ kernel, which is not differentiable where
    /// x meets a training input, the gradient there is taken as 0.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] or [`Error::NonFinite`] for a bad point.
    pub fn predict_with_gradient(
        &self,
        x: ndarray::ArrayView1<'_, f64>,
    ) -> Result<PointPrediction> {
        let kernel = &self.hyper.kernel;
        let point = x.insert_axis(Axis(0));
        let ks = kernel.matrix(self.x.view(), point)?.column(0).to_owned();
        let r2 = kernel.scaled_sq_distances(self.x.view(), point)?;
        let (kind, s2) = (kernel.kind(), kernel.outputscale());
        // ∂k(x, xᵢ)/∂x_d = −σ² (−κ'/r) (x_d − xᵢ_d)/ℓ_d².
        let ls2 = kernel.lengthscales().mapv(|l| l * l);
        let mut dk = Array2::zeros((self.x.nrows(), x.len()));
        for (i, mut row) in dk.rows_mut().into_iter().enumerate() {
            let slope = s2 * kind.slope_over_r(r2[[i, 0]].sqrt());
            for d in 0..x.len() {
                row[d] = -slope * (x[d] - self.x[[i, d]]) / ls2[d];
            }
        }
        let mean = ks.dot(&self.alpha) + self.hyper.mean;
        let kinv_ks = self.chol.solve_vec(ks.view())?;
        let raw = s2 - ks.dot(&kinv_ks);
        let variance = raw.max(MIN_VARIANCE);
        // Where the variance is clamped at its floor, it does not move with x.
        let variance_gradient = if raw > MIN_VARIANCE {
            dk.t().dot(&kinv_ks) * -2.0
        } else {
            Array1::zeros(x.len())
        };
        Ok(PointPrediction {
            mean,
            variance,
            mean_gradient: dk.t().dot(&self.alpha),
            variance_gradient,
        })
    }

    /// The posterior mean and full covariance K** − vᵀv at the rows of `xs`.
    ///
    /// # Errors
    /// As for [`predict`](Gp::predict).
    pub fn covariance(
        &self,
        xs: ArrayView2<'_, f64>,
    ) -> Result<(Array1<f64>, Array2<f64>)> {
        let ks = self.hyper.kernel.matrix(self.x.view(), xs)?;
        let mean = ks.t().dot(&self.alpha) + self.hyper.mean;
        let v = self.chol.solve_lower(ks.view())?;
        let cov = self.hyper.kernel.matrix(xs, xs)? - v.t().dot(&v);
        Ok((mean, cov))
    }

    /// `count` joint samples of f at the rows of `xs` (one sample per row of the result),
    /// drawn as μ + L z from the posterior covariance with jitter where needed.
    ///
    /// # Errors
    /// As for [`predict`](Gp::predict), or if the covariance cannot be factored.
    pub fn sample(
        &self,
        xs: ArrayView2<'_, f64>,
        count: usize,
        seed: u64,
    ) -> Result<Array2<f64>> {
        let (mean, cov) = self.covariance(xs)?;
        draw(&mean, &cov, self.hyper.kernel.outputscale(), count, seed)
    }

    /// The log marginal likelihood log p(y) = −½ rᵀα − ½ log det(K + σₙ²I) − (n/2) log 2π,
    /// with r = y − m.
    pub fn log_marginal_likelihood(&self) -> f64 {
        let n = self.y.len() as f64;
        let r = &self.y - self.hyper.mean;
        -0.5 * r.dot(&self.alpha)
            - 0.5 * self.chol.log_det()
            - 0.5 * n * (2.0 * std::f64::consts::PI).ln()
    }

    /// The gradient of the log marginal likelihood with respect to
    /// (m, log ℓ₁, …, log ℓ_d, log σ², log σₙ²), in closed form:
    /// ∂/∂m = Σ αᵢ, and for a covariance parameter θ, ½ tr((ααᵀ − K⁻¹) ∂K/∂θ).
    ///
    /// K⁻¹ comes from the factor ([`Cholesky::inverse`]'s blocked algorithm, lower triangle
    /// only), and all the traces are summed in one pass over the lower triangle, with
    /// ∂K/∂θ written out element by element, never stored: ∂K/∂log σ² is the noise-free
    /// kernel matrix, ∂K/∂log ℓ_d = σ²(−κ'/r)(xᵢ_d − xⱼ_d)²/ℓ_d² and ∂K/∂log σₙ² = σₙ²I.
    pub fn lml_gradient(&self) -> Array1<f64> {
        let kernel = &self.hyper.kernel;
        let n = self.x.nrows();
        let cols = kernel.scaled_columns(self.x.view());
        let (mut values, mut slopes) = (vec![0.0; n * n], vec![0.0; n * n]);
        kernel.fill(&cols, &cols, true, n, &mut values, &mut slopes);
        // K⁻¹ = L⁻ᵀL⁻¹, lower triangle only.
        let m = self.chol.factor_inverse();
        let mut kinv = Array2::zeros((n, n));
        lower_gram_into(m.view(), kinv.view_mut());
        let kinv =
            kinv.as_slice().unwrap_or_else(|| unreachable!("standard layout"));
        let alpha = self.alpha.to_vec();
        super::lml::gradient(
            &cols,
            &alpha,
            kinv,
            &values,
            &slopes,
            self.hyper.noise,
        )
    }
}

/// `count` draws from N(mean, cov) as rows, with the jitter schedule of
/// [`Cholesky::with_jitter_scaled`] relative to the prior variance `scale`.
fn draw(
    mean: &Array1<f64>,
    cov: &Array2<f64>,
    scale: f64,
    count: usize,
    seed: u64,
) -> Result<Array2<f64>> {
    let chol = Cholesky::with_jitter_scaled(cov.view(), scale)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = Array2::from_shape_simple_fn((mean.len(), count), || {
        rng.sample(StandardNormal)
    });
    let f = chol.factor().dot(&z);
    let mut out = f.t().to_owned();
    for mut row in out.rows_mut() {
        row += mean;
    }
    Ok(out)
}

/// `count` samples of a zero-mean GP prior with `kernel` at the rows of `xs`.
///
/// # Errors
/// As for [`Kernel::matrix`], or if even the largest jitter cannot make the matrix positive
/// definite.
pub fn prior_samples(
    kernel: &Kernel,
    xs: ArrayView2<'_, f64>,
    count: usize,
    seed: u64,
) -> Result<Array2<f64>> {
    let cov = kernel.matrix(xs, xs)?;
    draw(&Array1::zeros(xs.nrows()), &cov, kernel.outputscale(), count, seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::KernelKind;
    use crate::linalg::Cholesky;
    use crate::numeric::central_difference;
    use crate::test_functions::running_example;
    use ndarray::{array, Array};

    fn course_gp(lengthscale: f64) -> Gp {
        let x = Array::linspace(-1.5, 1.5, 8);
        let y = x.mapv(running_example);
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![lengthscale], 1.0)
                .unwrap();
        let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
        Gp::new(x.insert_axis(Axis(1)), y, hyper).unwrap()
    }

    #[test]
    fn posterior_matches_the_course_check_values() {
        let xs = array![[-3.0], [0.0], [3.0]];
        let p = course_gp(1.0).predict(xs.view()).unwrap();
        let sd = p.variance.mapv(f64::sqrt);
        for (got, want) in p.mean.iter().zip([-3.349, -0.0840, -4.194]) {
            assert!((got - want).abs() < 1e-3, "{got} vs {want}");
        }
        for (got, want) in sd.iter().zip([0.7484, 0.00845, 0.7484]) {
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
        let p = course_gp(0.8).predict(xs.view()).unwrap();
        assert!(
            (p.mean[0] + 0.810).abs() < 1e-3 && (p.mean[2] + 1.241).abs() < 1e-3
        );
        let sd = p.variance.mapv(f64::sqrt);
        assert!((sd[0] - 0.9166).abs() < 1e-4 && (sd[1] - 0.00903).abs() < 1e-5);
    }

    #[test]
    fn covariance_and_samples_agree_with_predict() {
        let gp = course_gp(0.8);
        let xs = Array::linspace(-3.0, 3.0, 7).insert_axis(Axis(1));
        let p = gp.predict(xs.view()).unwrap();
        let (mean, cov) = gp.covariance(xs.view()).unwrap();
        assert!((&mean - &p.mean).iter().all(|d| d.abs() < 1e-12));
        assert!(cov.diag().iter().zip(&p.variance).all(|(c, v)| (c
            .max(MIN_VARIANCE)
            - v)
            .abs()
            < 1e-12));
        let samples = gp.sample(xs.view(), 4000, 7).unwrap();
        let sample_mean = samples.mean_axis(Axis(0)).unwrap();
        // Monte Carlo: within a few standard errors.
        for ((m, s), v) in sample_mean.iter().zip(&p.mean).zip(&p.variance) {
            assert!((m - s).abs() < 5.0 * (v / 4000.0).sqrt() + 1e-6);
        }
        assert_eq!(samples, gp.sample(xs.view(), 4000, 7).unwrap());
    }

    #[test]
    fn the_lml_gradient_matches_finite_differences_for_every_kernel() {
        let x = Array2::from_shape_fn((12, 2), |(i, j)| {
            ((i * 7 + j * 3) % 11) as f64 / 5.0 - 1.0
        });
        let y = x.map_axis(Axis(1), |r| (2.0 * r[0]).sin() + r[1] * r[1]);
        for kind in [
            KernelKind::SquaredExponential,
            KernelKind::Matern12,
            KernelKind::Matern32,
            KernelKind::Matern52,
        ] {
            let theta = array![
                0.3,
                (0.7f64).ln(),
                (1.3f64).ln(),
                (0.9f64).ln(),
                (0.05f64).ln()
            ];
            let lml = |t: &Array1<f64>| {
                let kernel =
                    Kernel::new(kind, array![t[1].exp(), t[2].exp()], t[3].exp())
                        .unwrap();
                let hyper =
                    Hyperparameters { kernel, mean: t[0], noise: t[4].exp() };
                Gp::new(x.clone(), y.clone(), hyper).unwrap()
            };
            let analytic = lml(&theta).lml_gradient();
            let fd = central_difference(
                |t| lml(t).log_marginal_likelihood(),
                &theta,
                1e-6,
            );
            for k in 0..theta.len() {
                assert!(
                    (analytic[k] - fd[k]).abs() < 1e-5 * fd[k].abs().max(1.0),
                    "{kind:?} θ{k}: {} vs {}",
                    analytic[k],
                    fd[k]
                );
            }
        }
    }

    #[test]
    fn duplicate_inputs_with_no_noise_are_rescued_by_jitter() {
        let x = array![[0.0], [0.0], [1.0]];
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![1.0], 1.0).unwrap();
        let gp = Gp::new(
            x,
            array![1.0, 1.0, 0.0],
            Hyperparameters { kernel, mean: 0.0, noise: 0.0 },
        )
        .unwrap();
        assert!(gp.jitter() > 0.0);
    }

    #[test]
    fn noise_free_posterior_samples_at_the_training_inputs() {
        // With no noise the posterior at the data has zero variance: its covariance is
        // rounding noise around 0 (some of it negative), and jitter relative to *that* scale
        // never helps. Jitter is taken relative to the prior variance σ² instead.
        let x = Array::linspace(-1.5, 1.5, 8).insert_axis(Axis(1));
        let y = x.column(0).mapv(running_example);
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0).unwrap();
        let gp = Gp::new(
            x.clone(),
            y.clone(),
            Hyperparameters { kernel, mean: 0.0, noise: 0.0 },
        )
        .unwrap();
        let samples = gp.sample(x.view(), 3, 1).unwrap();
        for row in samples.rows() {
            // Every sample interpolates the data, to within the jitter's √(1e-6 σ²).
            assert!((&row - &y).iter().all(|r| r.abs() < 1e-2), "{row} vs {y}");
        }
    }

    #[test]
    fn jitter_is_capped_and_reported() {
        // A matrix that needs more than 1e-6 of its diagonal is refused, not silently
        // altered by up to 1% as it used to be.
        let indefinite = array![[1.0, 0.0], [0.0, -1e-3]];
        assert!(matches!(
            Cholesky::with_jitter(indefinite.view()),
            Err(Error::InvalidInput { .. })
        ));
        let needs_some = array![[1.0, 1.0], [1.0, 1.0 - 1e-12]];
        let chol = Cholesky::with_jitter(needs_some.view()).unwrap();
        assert!(chol.jitter() > 0.0 && chol.jitter() <= 1e-6);
    }

    #[test]
    fn bad_data_is_an_error() {
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![1.0], 1.0).unwrap();
        let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
        assert!(matches!(
            Gp::new(Array2::zeros((0, 1)), Array1::zeros(0), hyper.clone()),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            Gp::new(array![[0.0], [1.0]], array![1.0], hyper.clone()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            Gp::new(array![[0.0]], array![f64::NAN], hyper.clone()),
            Err(Error::NonFinite { .. })
        ));
        let negative = Hyperparameters { noise: -1.0, ..hyper.clone() };
        assert!(matches!(
            Gp::new(array![[0.0]], array![1.0], negative),
            Err(Error::InvalidInput { .. })
        ));
        let gp = Gp::new(array![[0.0]], array![1.0], hyper).unwrap();
        assert!(matches!(
            gp.predict(array![[0.0, 1.0]].view()),
            Err(Error::ShapeMismatch { .. })
        ));
    }

    /// Two observations with known noise variances 0.1 and 0.4 (no learned noise), the SE
    /// kernel with ℓ = 1: the posterior at 0.5 from the 2 × 2 inverse written out,
    /// μ = k*ᵀ(K + V)⁻¹y and σ² = 1 − k*ᵀ(K + V)⁻¹k*.
    #[test]
    fn known_noise_posterior_matches_the_closed_form() {
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![1.0], 1.0).unwrap();
        let hyper = Hyperparameters { kernel, mean: 0.0, noise: 0.0 };
        let (y0, y1) = (0.7, -0.2);
        let gp = Gp::with_noise_variances(
            array![[0.0], [1.0]],
            array![y0, y1],
            hyper.clone(),
            array![0.1, 0.4],
        )
        .unwrap();
        assert_eq!(gp.jitter(), 0.0);
        let c = (-0.5f64).exp();
        let (a, b, d) = (1.1, c, 1.4);
        let det = a * d - b * b;
        let k = (-0.125f64).exp();
        // (K + V)⁻¹ = [[d, −b], [−b, a]]/det; k* = (k, k).
        let w0 = (d * k - b * k) / det;
        let w1 = (a * k - b * k) / det;
        let p = gp.predict(array![[0.5]].view()).unwrap();
        assert!((p.mean[0] - (w0 * y0 + w1 * y1)).abs() < 1e-14);
        assert!((p.variance[0] - (1.0 - (w0 * k + w1 * k))).abs() < 1e-14);
        // The noisier observation pulls less: swapping the variances moves the mean.
        let swapped = Gp::with_noise_variances(
            array![[0.0], [1.0]],
            array![y0, y1],
            hyper,
            array![0.4, 0.1],
        )
        .unwrap();
        assert!(swapped.predict(array![[0.5]].view()).unwrap().mean[0] < p.mean[0]);
    }

    /// n replicates of one input, each with noise variance v, tell the GP exactly what one
    /// observation of their mean with variance v/n does: the posteriors agree everywhere,
    /// and the Cholesky factor of the replicated data needs no jitter.
    #[test]
    fn replicates_with_known_noise_equal_one_averaged_observation() {
        let kernel = Kernel::new(KernelKind::Matern52, array![0.7], 1.3).unwrap();
        let hyper = Hyperparameters { kernel, mean: 0.1, noise: 0.0 };
        let reps = [0.31, 0.18, 0.27, 0.40, 0.22, 0.35];
        let mut x = vec![[-1.0], [1.5]];
        let mut y = vec![-0.5, 0.1];
        x.extend(std::iter::repeat_n([0.4], reps.len()));
        y.extend(reps);
        let v = 0.0144;
        let many = Gp::with_noise_variances(
            Array2::from(x),
            Array1::from(y),
            hyper.clone(),
            Array1::from_elem(8, v),
        )
        .unwrap();
        assert_eq!(many.jitter(), 0.0);
        let mean = reps.iter().sum::<f64>() / 6.0;
        let one = Gp::with_noise_variances(
            array![[-1.0], [1.5], [0.4]],
            array![-0.5, 0.1, mean],
            hyper,
            array![v, v, v / 6.0],
        )
        .unwrap();
        let xs = Array::linspace(-3.0, 3.0, 13).insert_axis(Axis(1));
        let (a, b) =
            (many.predict(xs.view()).unwrap(), one.predict(xs.view()).unwrap());
        for i in 0..13 {
            assert!((a.mean[i] - b.mean[i]).abs() < 1e-12, "{i}");
            assert!((a.variance[i] - b.variance[i]).abs() < 1e-12, "{i}");
        }
        // At the replicated input the variance is below v/6 (the prior adds information).
        let at = many.predict(array![[0.4]].view()).unwrap();
        assert!(at.variance[0] < v / 6.0 && at.variance[0] > 0.8 * v / 6.0);
    }

    /// A fixed-noise fit on six exact replicates and two other points: the known variances
    /// reach the GP divided by the outputs' variance, no jitter, finite predictions.
    #[test]
    fn a_fixed_noise_fit_on_replicates_fits_and_predicts() {
        let x = array![[0.4], [0.4], [0.4], [0.4], [0.4], [0.4], [-1.0], [1.5]];
        let y = array![0.31, 0.18, 0.27, 0.40, 0.22, 0.35, -0.5, 0.1];
        let v = Array1::from_elem(8, 0.0144);
        let fitted =
            crate::gp::fit(x.view(), &y, &crate::gp::FitOptions::fixed_noise(1, v))
                .unwrap();
        let s = fitted.standardize.std;
        let known = fitted.gp.noise_variances().unwrap();
        assert!(known.iter().all(|k| (k - 0.0144 / (s * s)).abs() < 1e-15));
        assert_eq!(fitted.gp.hyperparameters().noise, 0.0);
        assert_eq!(fitted.gp.jitter(), 0.0);
        let p = fitted.predict(array![[0.4], [0.0], [2.5]].view()).unwrap();
        assert!(p.mean.iter().chain(&p.variance).all(|v| v.is_finite()));
        // Six replicates: the latent value there is known to within about σ/√6 = 0.049.
        assert!(p.variance[0].sqrt() < 0.049 && p.variance[0].sqrt() > 0.03);
        assert!((p.mean[0] - 0.2883).abs() < 0.03, "{}", p.mean[0]);
    }
}
