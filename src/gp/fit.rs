//! Fitting a GP's hyperparameters by maximising the log marginal likelihood, on normalised
//! inputs and standardised outputs.
//!
//! Inputs are scaled column by column to [0, 1] with the training inputs' minimum and maximum
//! ("Normalize"); outputs are shifted and scaled to mean 0 and sample standard deviation 1
//! ("Standardize", with n − 1). The likelihood is then maximised over the unconstrained vector
//! θ = (m, log ℓ₁, …, log ℓ_d, log σ², log(σₙ² − floor)) with L-BFGS from several starts.

use super::kernel::{Kernel, KernelKind};
use super::model::{Gp, Hyperparameters, Prediction};
use crate::optim::solvers::lbfgs;
use crate::optim::Objective;
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::cell::RefCell;

/// Per-column min–max scaling of inputs to [0, 1], learned from the training inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalize {
    lo: Array1<f64>,
    range: Array1<f64>,
}

impl Normalize {
    /// Learns the scaling from `x` (a constant column gets range 1).
    pub fn learn(x: ArrayView2<'_, f64>) -> Self {
        let lo = x.fold_axis(Axis(0), f64::INFINITY, |m, v| m.min(*v));
        let hi = x.fold_axis(Axis(0), f64::NEG_INFINITY, |m, v| m.max(*v));
        let range = (&hi - &lo).mapv(|r| if r > 0.0 { r } else { 1.0 });
        Normalize { lo, range }
    }

    /// Scales `x` with the learned minimum and range.
    pub fn apply(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        (&x - &self.lo) / &self.range
    }
}

/// Output standardisation y ↦ (y − mean)/std with the sample (n − 1) standard deviation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standardize {
    /// The mean of the training outputs.
    pub mean: f64,
    /// Their sample standard deviation (1 if there is a single output or no spread).
    pub std: f64,
}

impl Standardize {
    /// Learns the shift and scale from `y`.
    pub fn learn(y: &Array1<f64>) -> Self {
        let n = y.len() as f64;
        let mean = y.mean().unwrap_or(0.0);
        let var = if y.len() > 1 {
            y.mapv(|v| (v - mean).powi(2)).sum() / (n - 1.0)
        } else {
            0.0
        };
        let std = if var > 0.0 { var.sqrt() } else { 1.0 };
        Standardize { mean, std }
    }
}

/// How to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// The kernel's shape.
    pub kind: KernelKind,
    /// Random starts besides the default one.
    pub restarts: usize,
    /// Seed of the random starts.
    pub seed: u64,
    /// L-BFGS iterations per start.
    pub max_iters: u64,
    /// Lower bound on the noise variance, in standardised units.
    pub noise_floor: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            kind: KernelKind::Matern52,
            restarts: 2,
            seed: 0,
            max_iters: 200,
            noise_floor: 1e-6,
        }
    }
}

/// A GP fitted on transformed data, predicting in the original units.
#[derive(Debug, Clone)]
pub struct FittedGp {
    /// The GP on normalised inputs and standardised outputs.
    pub gp: Gp,
    /// The input scaling.
    pub normalize: Normalize,
    /// The output scaling.
    pub standardize: Standardize,
}

impl FittedGp {
    /// The posterior mean and variance of the latent f at `xs`, in the original units.
    ///
    /// # Errors
    /// As for [`Gp::predict`].
    pub fn predict(&self, xs: ArrayView2<'_, f64>) -> Result<Prediction> {
        let p = self.gp.predict(self.normalize.apply(xs).view())?;
        let s = self.standardize;
        Ok(Prediction {
            mean: p.mean * s.std + s.mean,
            variance: p.variance * (s.std * s.std),
        })
    }

    /// The log marginal likelihood of the standardised data, per observation.
    pub fn lml_per_point(&self) -> f64 {
        self.gp.log_marginal_likelihood() / self.gp.observations().len() as f64
    }
}

/// The last evaluation of the objective: θ, −LML and its gradient.
type Evaluation = (Array1<f64>, f64, Array1<f64>);

/// −LML as an [`Objective`] of θ, caching the last evaluation (L-BFGS asks for the value and
/// the gradient at the same point separately, and each costs a factorisation).
struct NegativeLml<'a> {
    x: &'a Array2<f64>,
    y: &'a Array1<f64>,
    kind: KernelKind,
    floor: f64,
    cache: RefCell<Option<Evaluation>>,
}

impl NegativeLml<'_> {
    fn hyperparameters(&self, theta: &Array1<f64>) -> Result<Hyperparameters> {
        let d = self.x.ncols();
        let lengthscales = theta.slice(ndarray::s![1..=d]).mapv(f64::exp);
        let kernel = Kernel::new(self.kind, lengthscales, theta[d + 1].exp())?;
        Ok(Hyperparameters {
            kernel,
            mean: theta[0],
            noise: self.floor + theta[d + 2].exp(),
        })
    }
}

impl Objective for NegativeLml<'_> {
    fn dim(&self) -> usize {
        self.x.ncols() + 3
    }

    fn value_and_gradient(
        &self,
        theta: &Array1<f64>,
    ) -> Result<(f64, Array1<f64>)> {
        if let Some((t, v, g)) = self.cache.borrow().as_ref() {
            if t == theta {
                return Ok((*v, g.clone()));
            }
        }
        let hyper = self.hyperparameters(theta)?;
        let noise = hyper.noise;
        let gp = Gp::new(self.x.clone(), self.y.clone(), hyper)?;
        let mut grad = gp.lml_gradient();
        // Chain rule for the noise: ∂/∂θ = ∂/∂log σₙ² · (σₙ² − floor)/σₙ².
        let last = grad.len() - 1;
        grad[last] *= (noise - self.floor) / noise;
        let value = -gp.log_marginal_likelihood();
        let grad = -grad;
        *self.cache.borrow_mut() = Some((theta.clone(), value, grad.clone()));
        Ok((value, grad))
    }
}

/// Fits a GP to `x` (n × d) and `y` (n) by maximum marginal likelihood.
///
/// # Errors
/// [`Error::Empty`], [`Error::ShapeMismatch`] or [`Error::NonFinite`] for bad data;
/// [`Error::InvalidInput`] if no start could be optimised.
pub fn fit(
    x: ArrayView2<'_, f64>,
    y: &Array1<f64>,
    options: &FitOptions,
) -> Result<FittedGp> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Empty { context: "fit: training data" });
    }
    if y.len() != x.nrows() {
        return Err(Error::ShapeMismatch {
            context: "fit",
            expected: vec![x.nrows()],
            found: vec![y.len()],
        });
    }
    if x.iter().chain(y.iter()).any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "fit: training data" });
    }
    let normalize = Normalize::learn(x);
    let standardize = Standardize::learn(y);
    let xn = normalize.apply(x);
    let yn = y.mapv(|v| (v - standardize.mean) / standardize.std);
    let d = x.ncols();
    let objective = NegativeLml {
        x: &xn,
        y: &yn,
        kind: options.kind,
        floor: options.noise_floor,
        cache: RefCell::new(None),
    };
    let mut starts = vec![start(d, 0.5, 1.0, 1e-2)];
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    for _ in 0..options.restarts {
        let ell = (rng.random::<f64>() * 3.0 - 2.5).exp(); // 0.08 … 1.6
        let noise = (rng.random::<f64>() * 6.0 - 8.0).exp(); // 3e-4 … 0.14
        starts.push(start(d, ell, 0.5 + rng.random::<f64>(), noise));
    }
    let mut best: Option<(f64, Array1<f64>)> = None;
    for s in starts {
        let Ok(report) = lbfgs(&objective, &s, 10, options.max_iters, 1e-6) else {
            continue;
        };
        if best.as_ref().is_none_or(|(v, _)| report.value < *v) {
            best = Some((report.value, report.x));
        }
    }
    let (_, theta) = best.ok_or(Error::InvalidInput {
        context: "fit",
        reason: "the likelihood could not be optimised from any start".into(),
    })?;
    let hyper = objective.hyperparameters(&theta)?;
    let gp = Gp::new(xn.clone(), yn.clone(), hyper)?;
    Ok(FittedGp { gp, normalize, standardize })
}

fn start(d: usize, lengthscale: f64, outputscale: f64, noise: f64) -> Array1<f64> {
    let mut theta = Array1::zeros(d + 3);
    theta.slice_mut(ndarray::s![1..=d]).fill(lengthscale.ln());
    theta[d + 1] = outputscale.ln();
    theta[d + 2] = noise.ln();
    theta
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::prior_samples;
    use ndarray::{array, Array};

    #[test]
    fn transforms_match_their_definitions() {
        let x = array![[0.0, 5.0], [2.0, 5.0], [4.0, 5.0]];
        let n = Normalize::learn(x.view());
        assert_eq!(n.apply(x.view()), array![[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]]);
        let s = Standardize::learn(&array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert!(
            (s.mean - 3.5).abs() < 1e-15 && (s.std - 3.5_f64.sqrt()).abs() < 1e-15
        );
    }

    #[test]
    fn fitting_recovers_the_lengthscale_of_data_drawn_from_a_gp() {
        // 80 points of a sample path with ℓ = 0.2 on [0, 1] (already normalised).
        let x = Array::linspace(0.0, 1.0, 80).insert_axis(Axis(1));
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.2], 1.0).unwrap();
        let y = prior_samples(&kernel, x.view(), 1, 3).unwrap().row(0).to_owned();
        let options = FitOptions {
            kind: KernelKind::SquaredExponential,
            ..FitOptions::default()
        };
        let fitted = fit(x.view(), &y, &options).unwrap();
        let ell = fitted.gp.hyperparameters().kernel.lengthscales()[0];
        assert!((ell - 0.2).abs() < 0.05, "fitted ℓ = {ell}");
        // The fit is a maximum: the gradient vanishes there (in θ, noise aside at its floor).
        let grad = fitted.gp.lml_gradient();
        assert!(grad[1].abs() < 1e-3 && grad[2].abs() < 1e-3, "{grad}");
        // Predictions come back in the original units and interpolate the data.
        let p = fitted.predict(x.view()).unwrap();
        assert!((&p.mean - &y).iter().all(|r| r.abs() < 1e-2));
    }

    #[test]
    fn fitting_is_deterministic_and_refuses_bad_data() {
        let x = Array::linspace(-2.0, 2.0, 15).insert_axis(Axis(1));
        let y = x.column(0).mapv(|v: f64| v.sin());
        let a = fit(x.view(), &y, &FitOptions::default()).unwrap();
        let b = fit(x.view(), &y, &FitOptions::default()).unwrap();
        assert_eq!(a.gp.hyperparameters(), b.gp.hyperparameters());
        assert!(fit(
            Array2::zeros((0, 1)).view(),
            &Array1::zeros(0),
            &FitOptions::default()
        )
        .is_err());
        assert!(fit(x.view(), &Array1::zeros(3), &FitOptions::default()).is_err());
        let mut bad = y.clone();
        bad[0] = f64::NAN;
        assert!(matches!(
            fit(x.view(), &bad, &FitOptions::default()),
            Err(Error::NonFinite { .. })
        ));
    }
}
