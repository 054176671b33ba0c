//! A fully Bayesian GP: instead of the single most probable set of hyperparameters, draws
//! from their posterior p(θ | y) ∝ p(y | θ) p(θ) by MCMC, and a model that averages over
//! them.
//!
//! A maximum a posteriori fit commits to one lengthscale per input, however little the data
//! say about it; with few points in many dimensions that choice is close to arbitrary, and
//! the acquisition function inherits its overconfidence. Here the hyperparameters — the
//! lengthscales, the output scale σ², the noise variance σₙ² and the constant mean m — are
//! sampled by slice sampling ([`crate::mcmc`]) in an unconstrained parameterisation (logs
//! of the positive ones, with the Jacobian in the density), under either the library's
//! single-task priors ([`BayesianPriors::single_task`]) or the sparsity-inducing SAAS priors
//! of Eriksson & Jankowiak (2021) ([`BayesianPriors::saas`]), which shrink every input's
//! inverse lengthscale towards 0 unless the data show it matters — what makes GP models in
//! tens of dimensions from tens of points workable. As in BoTorch, the inputs are normalised
//! to the unit cube and the outputs standardised before sampling.
//!
//! The result, [`FullyBayesianGp`], holds one [`FittedGp`] per kept draw and implements
//! [`Model`](crate::models::Model) with the moments of the equal-weight mixture of their
//! posteriors; [`Ensemble`](crate::acquisition::Ensemble) averages an acquisition function
//! over the members the way BoTorch does.
//!
//! Each evaluation of the posterior density costs one Cholesky factorisation of the n × n
//! covariance (n³/3 flops) and a forward substitution; a move of the mean alone reuses the
//! factor. No gradient is needed.

mod model;
mod priors;

pub use priors::{BayesianPriors, LengthscalePrior, MeanPrior, ScalePrior};

use super::fit::{FitOptions, FittedGp};
use super::lml::LmlWorkspace;
use super::model::Gp;
use crate::mcmc::{slice_sample, Chain, LogDensity, SliceOptions};
use crate::transforms::{Normalize, Standardize};
use crate::{Bounds, Error, Result};
use ndarray::{Array1, ArrayView1, ArrayView2};

/// How to sample.
#[derive(Debug, Clone, PartialEq)]
pub struct FullyBayesianOptions {
    /// The priors (on normalised inputs and standardised outputs).
    pub priors: BayesianPriors,
    /// The sampler's settings: its warm-up, its kept sweeps, the thinning (the model holds
    /// `samples / thinning` GPs), the seed.
    pub sampler: SliceOptions,
    /// Normalise inputs with this box rather than with the training inputs' range (`None`,
    /// the default), as [`FitOptions::input_bounds`].
    pub input_bounds: Option<Bounds>,
    /// Where the chain starts: `None` for the priors' modes ([`BayesianPriors::start`]),
    /// or a θ such as the last draw of an earlier fit ([`FullyBayesianGp::last_draw`]),
    /// which continues that chain on new data and so needs a shorter warm-up. A start
    /// outside the posterior's support falls back to the modes.
    pub start: Option<Vec<f64>>,
}

impl FullyBayesianOptions {
    /// SAAS priors with the sampler's defaults (256 warm-up sweeps, 128 more of which every
    /// 16th is kept: 8 GPs).
    pub fn saas() -> Self {
        FullyBayesianOptions {
            priors: BayesianPriors::saas(),
            sampler: SliceOptions::default(),
            input_bounds: None,
            start: None,
        }
    }

    /// The library's single-task priors for d inputs with the sampler's defaults.
    pub fn single_task(d: usize) -> Self {
        FullyBayesianOptions {
            priors: BayesianPriors::single_task(d),
            sampler: SliceOptions::default(),
            input_bounds: None,
            start: None,
        }
    }
}

/// The log posterior density of θ on one data set (model units): log p(y | θ) + log p(θ)
/// with the Jacobian of θ's logs; −∞ where θ maps to hyperparameters that overflow or to
/// a covariance that will not factor.
pub(crate) struct Posterior {
    workspace: LmlWorkspace,
    priors: BayesianPriors,
    d: usize,
}

impl Posterior {
    /// The density for inputs `x` and outputs `y`, assumed checked.
    pub(crate) fn new(
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
        priors: BayesianPriors,
    ) -> Self {
        Posterior { workspace: LmlWorkspace::new(x, y), priors, d: x.ncols() }
    }
}

impl LogDensity for Posterior {
    fn dim(&self) -> usize {
        self.priors.len(self.d)
    }

    fn log_density(&mut self, theta: &[f64]) -> Result<f64> {
        let Ok(h) = self.priors.hyperparameters(theta, self.d) else {
            return Ok(f64::NEG_INFINITY);
        };
        let prior = self.priors.log_prior_theta(theta, self.d)?;
        if !prior.is_finite() {
            return Ok(f64::NEG_INFINITY);
        }
        match self.workspace.log_likelihood(&h.kernel, h.mean, h.noise) {
            Ok(lml) => Ok(lml + prior),
            Err(_) => Ok(f64::NEG_INFINITY),
        }
    }
}

/// GPs for every kept draw of the hyperparameters' posterior; see the module's
/// documentation.
#[derive(Debug, Clone)]
pub struct FullyBayesianGp {
    members: Vec<FittedGp>,
    chain: Chain,
    priors: BayesianPriors,
}

impl FullyBayesianGp {
    /// The member GPs, one per kept draw, each predicting in the data's units.
    pub fn members(&self) -> &[FittedGp] {
        &self.members
    }

    /// The chain: the kept draws of θ (see [`BayesianPriors::hyperparameters`] for what θ
    /// holds), their log posterior densities, the sampler's widths and its number of
    /// density evaluations.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// The chain's last kept draw of θ, from which a later fit on more data can continue
    /// ([`FullyBayesianOptions::start`]).
    pub fn last_draw(&self) -> Vec<f64> {
        let draws = &self.chain.draws;
        draws.row(draws.nrows() - 1).to_vec()
    }

    /// The member whose draw has the highest posterior density: a representative set of
    /// hyperparameters to report.
    pub fn most_probable(&self) -> &FittedGp {
        let best = (0..self.members.len())
            .reduce(|b, i| {
                if self.chain.log_densities[i] > self.chain.log_densities[b] {
                    i
                } else {
                    b
                }
            })
            .unwrap_or(0);
        &self.members[best]
    }

    /// The priors it was sampled under.
    pub fn priors(&self) -> &BayesianPriors {
        &self.priors
    }

    /// Builds the ensemble from given draws of θ on the normalised inputs `xn` and
    /// standardised outputs `yn`.
    fn from_chain(
        xn: ndarray::Array2<f64>,
        yn: Array1<f64>,
        normalize: Normalize,
        standardize: Standardize,
        chain: Chain,
        priors: BayesianPriors,
    ) -> Result<Self> {
        let d = xn.ncols();
        let options = FitOptions {
            kind: priors.kind,
            noise_floor: priors.noise_floor,
            ..FitOptions::default()
        };
        let members = chain
            .draws
            .rows()
            .into_iter()
            .map(|theta| {
                let theta = theta.to_vec();
                let hyper = priors.hyperparameters(&theta, d)?;
                let gp = Gp::new(xn.clone(), yn.clone(), hyper)?;
                Ok(FittedGp {
                    gp,
                    normalize: normalize.clone(),
                    standardize,
                    options: options.clone(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(FullyBayesianGp { members, chain, priors })
    }
}

/// Samples a GP's hyperparameters given inputs `x` (n × d) and outputs `y` (n), and builds
/// one GP per kept draw.
///
/// The inputs are normalised to the unit cube (by their range, or by
/// [`FullyBayesianOptions::input_bounds`]) and the outputs standardised; the chain starts
/// at the priors' modes ([`BayesianPriors::start`]) and runs
/// [`slice_sample`] with `options.sampler`. Deterministic for the sampler's seed.
///
/// # Errors
/// [`Error::Empty`] for no data, [`Error::ShapeMismatch`] if `x` and `y` disagree or the
/// bounds have the wrong dimension, [`Error::NonFinite`] for NaN or infinite data,
/// [`Error::InvalidInput`] for invalid priors or sampler options (no draw kept, for
/// instance), or if the priors' modes are outside the posterior's support.
pub fn fit_fully_bayesian(
    x: ArrayView2<'_, f64>,
    y: &Array1<f64>,
    options: &FullyBayesianOptions,
) -> Result<FullyBayesianGp> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Empty { context: "fit_fully_bayesian: training data" });
    }
    if y.len() != x.nrows() {
        return Err(Error::ShapeMismatch {
            context: "fit_fully_bayesian: one observation per input row",
            expected: vec![x.nrows()],
            found: vec![y.len()],
        });
    }
    if x.iter().chain(y.iter()).any(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            context: "fit_fully_bayesian: training data",
        });
    }
    options.priors.validate()?;
    options.sampler.validate()?;
    let normalize = match &options.input_bounds {
        None => Normalize::learn(x)?,
        Some(b) if b.dim() == x.ncols() => Normalize::from_bounds(b),
        Some(b) => return Err(Error::ShapeMismatch {
            context:
                "fit_fully_bayesian: input bounds, one interval per input column",
            expected: vec![x.ncols()],
            found: vec![b.dim()],
        }),
    };
    let standardize = Standardize::learn(y.view())?;
    let xn = normalize.apply(x)?;
    let yn = standardize.apply(y.view());
    let d = xn.ncols();
    let mut posterior = Posterior::new(xn.view(), yn.view(), options.priors);
    let modes = options.priors.start(d);
    let start = match &options.start {
        Some(theta) if theta.len() != modes.len() => {
            return Err(Error::ShapeMismatch {
                context:
                    "fit_fully_bayesian: the chain's start, one entry per parameter",
                expected: vec![modes.len()],
                found: vec![theta.len()],
            })
        }
        Some(theta)
            if theta.iter().all(|t| t.is_finite())
                && posterior.log_density(theta)?.is_finite() =>
        {
            theta.clone()
        }
        _ => modes,
    };
    let chain = slice_sample(&mut posterior, &start, &options.sampler)?;
    FullyBayesianGp::from_chain(
        xn,
        yn,
        normalize,
        standardize,
        chain,
        options.priors,
    )
}

#[cfg(test)]
mod tests;
