//! What the fit maximises: the log marginal likelihood (plus log-priors) as a function of an
//! unconstrained vector θ, with the map from θ to the hyperparameters it stands for.
//!
//! Each positive hyperparameter with a lower bound b is written b + e^θ, so that any real θ is
//! allowed and the bound is never crossed (GPyTorch writes b + softplus(θ); the optimum is the
//! same). θ holds, in order, one entry per lengthscale, one for the output scale σ² unless it
//! is fixed, and one for the noise variance σₙ² unless the noise is known.

use super::kernel::{Kernel, KernelKind};
use super::lml::LmlWorkspace;
use super::model::Hyperparameters;
use super::prior::Priors;
use crate::optim::Objective;
use crate::{Error, Result};
use ndarray::{s, Array1, ArrayView1, ArrayView2};
use std::cell::RefCell;

/// How the noise enters the model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Noise {
    /// A homoscedastic σₙ² = floor + e^θ, learned.
    Learned { floor: f64 },
    /// Known per-observation variances (model units); nothing is learned.
    Known(Array1<f64>),
}

/// Which hyperparameters θ holds and how they are constrained.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub d: usize,
    pub kind: KernelKind,
    /// ℓ = floor + e^θ.
    pub lengthscale_floor: f64,
    /// A fixed σ², or `None` for a learned one (σ² = e^θ).
    pub outputscale: Option<f64>,
    pub noise: Noise,
}

/// Starting values, each given as its excess over its lower bound (so that θ = ln(excess)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Start {
    pub lengthscale: f64,
    pub outputscale: f64,
    pub noise: f64,
}

impl Layout {
    /// The index of σ² in θ, if it is learned.
    pub fn outputscale_index(&self) -> Option<usize> {
        self.outputscale.is_none().then_some(self.d)
    }

    /// The index of σₙ² in θ, if it is learned.
    pub fn noise_index(&self) -> Option<usize> {
        matches!(self.noise, Noise::Learned { .. })
            .then(|| self.d + usize::from(self.outputscale.is_none()))
    }

    /// The length of θ.
    pub fn len(&self) -> usize {
        self.d
            + usize::from(self.outputscale_index().is_some())
            + usize::from(self.noise_index().is_some())
    }

    /// The known noise variances, if any.
    pub fn known_noise(&self) -> Option<&Array1<f64>> {
        match &self.noise {
            Noise::Known(v) => Some(v),
            Noise::Learned { .. } => None,
        }
    }

    fn noise_floor(&self) -> f64 {
        match self.noise {
            Noise::Learned { floor } => floor,
            Noise::Known(_) => 0.0,
        }
    }

    /// θ for a start.
    pub fn theta(&self, start: Start) -> Array1<f64> {
        let mut theta = Array1::from_elem(self.len(), start.lengthscale.ln());
        if let Some(k) = self.outputscale_index() {
            theta[k] = start.outputscale.ln();
        }
        if let Some(k) = self.noise_index() {
            theta[k] = start.noise.ln();
        }
        theta
    }

    /// The hyperparameters at θ, with the constant mean `mean` (σₙ² = 0 for known noise,
    /// which the model adds separately).
    ///
    /// # Errors
    /// [`Error::NonFinite`] or [`Error::InvalidInput`] if θ maps to values that overflow.
    pub fn hyperparameters(
        &self,
        theta: &Array1<f64>,
        mean: f64,
    ) -> Result<Hyperparameters> {
        let floor = self.lengthscale_floor;
        let lengthscales = theta.slice(s![..self.d]).mapv(|t| floor + t.exp());
        let outputscale = match self.outputscale_index() {
            Some(k) => theta[k].exp(),
            None => self.outputscale.unwrap_or(1.0),
        };
        let kernel = Kernel::new(self.kind, lengthscales, outputscale)?;
        let noise =
            self.noise_index().map_or(0.0, |k| self.noise_floor() + theta[k].exp());
        if !mean.is_finite() || !noise.is_finite() {
            return Err(Error::NonFinite { context: "fit: hyperparameters" });
        }
        Ok(Hyperparameters { kernel, mean, noise })
    }
}

/// The last evaluation of the objective: θ, its value and gradient.
type Evaluation = (Array1<f64>, f64, Array1<f64>);

/// −(LML + log prior)/n as an [`Objective`] of θ, with the constant mean profiled out, caching
/// the last evaluation (L-BFGS asks for the value and the gradient at the same point
/// separately, and each costs a factorisation). Per point, so that the tolerances mean the
/// same at every n.
pub(crate) struct NegativeLml {
    workspace: RefCell<LmlWorkspace>,
    n: usize,
    layout: Layout,
    priors: Priors,
    cache: RefCell<Option<Evaluation>>,
}

impl NegativeLml {
    /// The objective on inputs `x` and outputs `y` (model units, checked). Priors on a fixed
    /// output scale or on known noise are constants and are dropped.
    pub fn new(
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
        layout: Layout,
        priors: Priors,
    ) -> Self {
        let priors = Priors {
            outputscale: priors
                .outputscale
                .filter(|_| layout.outputscale.is_none()),
            noise: priors.noise.filter(|_| layout.noise_index().is_some()),
            ..priors
        };
        NegativeLml {
            workspace: RefCell::new(LmlWorkspace::new(x, y)),
            n: x.nrows(),
            layout,
            priors,
            cache: RefCell::new(None),
        }
    }

    /// The hyperparameters at θ with the mean that maximises the likelihood there.
    ///
    /// # Errors
    /// As for [`Layout::hyperparameters`], or if the covariance does not factor.
    pub fn profiled(&self, theta: &Array1<f64>) -> Result<Hyperparameters> {
        let hyper = self.layout.hyperparameters(theta, 0.0)?;
        let e = self.workspace.borrow_mut().evaluate_with(
            &hyper.kernel,
            None,
            hyper.noise,
            self.layout.known_noise(),
        )?;
        Ok(Hyperparameters { mean: e.mean, ..hyper })
    }
}

impl Objective for NegativeLml {
    fn dim(&self) -> usize {
        self.layout.len()
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
        let layout = &self.layout;
        let hyper = layout.hyperparameters(theta, 0.0)?;
        let e = self.workspace.borrow_mut().evaluate_with(
            &hyper.kernel,
            None,
            hyper.noise,
            layout.known_noise(),
        )?;
        // ∂/∂(m, log ℓ₁, …, log ℓ_d, log σ², log σₙ²); ∂/∂m is zero at the profiled mean.
        let mut full = e.gradient;
        let mut lml = e.lml;
        let lengthscales = hyper.kernel.lengthscales();
        if !self.priors.is_none() {
            let (lp, lp_grad) = self.priors.log_prior(
                &lengthscales.to_vec(),
                hyper.kernel.outputscale(),
                hyper.noise,
            );
            lml += lp;
            for (g, p) in full.slice_mut(s![1..]).iter_mut().zip(lp_grad) {
                *g += p;
            }
        }
        // The chain rule from log x to θ = ln(x − b): ∂/∂θ = ∂/∂log x · (x − b)/x.
        let d = layout.d;
        let mut grad = Array1::zeros(layout.len());
        for (k, l) in lengthscales.iter().enumerate() {
            grad[k] = full[1 + k] * (l - layout.lengthscale_floor) / l;
        }
        if let Some(k) = layout.outputscale_index() {
            grad[k] = full[d + 1];
        }
        if let Some(k) = layout.noise_index() {
            let noise = hyper.noise;
            grad[k] = full[d + 2] * (noise - layout.noise_floor()) / noise;
        }
        let scale = -1.0 / self.n as f64;
        let value = scale * lml;
        grad *= scale;
        if !value.is_finite() || grad.iter().any(|g| !g.is_finite()) {
            return Err(Error::NonFinite { context: "fit: the objective" });
        }
        *self.cache.borrow_mut() = Some((theta.clone(), value, grad.clone()));
        Ok((value, grad))
    }
}
