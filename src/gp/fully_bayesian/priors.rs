//! The priors of a fully Bayesian GP and the unconstrained vector θ the sampler moves in.

use crate::gp::{Hyperparameters, Kernel, KernelKind, Prior, Priors};
use crate::{Error, Result};
use ndarray::Array1;

/// The prior on the lengthscales.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LengthscalePrior {
    /// The same prior on every lengthscale ℓ_d, independently.
    Each(Prior),
    /// The sparse axis-aligned subspace (SAAS) prior of Eriksson & Jankowiak (2021): a
    /// global shrinkage τ ~ half-Cauchy(`global_scale`) and local ρ_d ~ half-Cauchy(1), with
    /// inverse squared lengthscales 1/ℓ_d² = τ ρ_d. Most of τ's mass is near 0, which
    /// switches every input off unless the data insist; the heavy tails of ρ_d let the few
    /// inputs that matter escape.
    Saas {
        /// The half-Cauchy scale of τ (0.1 in BoTorch's SAAS model).
        global_scale: f64,
    },
}

/// A positive hyperparameter (the output scale, or the noise variance's excess over its
/// floor), either fixed or learned under a prior on its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScalePrior {
    /// Held at this value.
    Fixed(f64),
    /// Sampled under this prior.
    Learned(Prior),
}

/// The prior on the constant mean m (standardised units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MeanPrior {
    /// Held at this value.
    Fixed(f64),
    /// m ~ N(loc, scale²), sampled.
    Normal {
        /// The prior mean.
        loc: f64,
        /// The prior standard deviation, positive.
        scale: f64,
    },
}

/// Everything a fully Bayesian GP puts a prior on, on normalised inputs and standardised
/// outputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BayesianPriors {
    /// The kernel's shape.
    pub kind: KernelKind,
    /// The lengthscales' prior.
    pub lengthscale: LengthscalePrior,
    /// The output scale σ².
    pub outputscale: ScalePrior,
    /// The noise variance's excess σₙ² − `noise_floor` (as in BoTorch's fully Bayesian
    /// models, the prior is on the excess).
    pub noise: ScalePrior,
    /// The smallest noise variance.
    pub noise_floor: f64,
    /// The constant mean.
    pub mean: MeanPrior,
}

impl BayesianPriors {
    /// The library's single-task priors, [`Priors::single_task`]: a squared-exponential
    /// kernel with LogNormal(√2 + ½ ln d, √3) on each lengthscale and the output scale
    /// fixed at 1, LogNormal(−4, 1) on the noise above its floor of 1e-4, and (what a
    /// maximum a posteriori fit profiles out instead) a N(0, 1) prior on the mean.
    pub fn single_task(d: usize) -> Self {
        let p = Priors::single_task(d);
        let fallback = Prior::LogNormal { loc: 0.0, scale: 1.0 };
        BayesianPriors {
            kind: KernelKind::SquaredExponential,
            lengthscale: LengthscalePrior::Each(p.lengthscale.unwrap_or(fallback)),
            outputscale: ScalePrior::Fixed(1.0),
            noise: ScalePrior::Learned(p.noise.unwrap_or(fallback)),
            noise_floor: p.noise_floor,
            mean: MeanPrior::Normal { loc: 0.0, scale: 1.0 },
        }
    }

    /// BoTorch's SAAS model (`SaasPyroModel`, botorch 0.18.1): a Matérn-5/2 kernel with the
    /// SAAS prior (τ ~ half-Cauchy(0.1), ρ_d ~ half-Cauchy(1)), Gamma(2, 0.15) on the output
    /// scale, Gamma(0.9, 10) on the noise above 1e-4, and N(0, 1) on the mean.
    pub fn saas() -> Self {
        BayesianPriors {
            kind: KernelKind::Matern52,
            lengthscale: LengthscalePrior::Saas { global_scale: 0.1 },
            outputscale: ScalePrior::Learned(Prior::Gamma {
                shape: 2.0,
                rate: 0.15,
            }),
            noise: ScalePrior::Learned(Prior::Gamma { shape: 0.9, rate: 10.0 }),
            noise_floor: 1e-4,
            mean: MeanPrior::Normal { loc: 0.0, scale: 1.0 },
        }
    }

    /// Checks every prior and fixed value.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an invalid prior, a fixed value or scale that is not a
    /// positive number, a noise floor that is not a non-negative number, or a fixed noise
    /// of zero over a zero floor.
    pub fn validate(&self) -> Result<()> {
        let invalid = |reason: String| {
            Err(Error::InvalidInput { context: "fully Bayesian priors", reason })
        };
        let positive = |v: f64| v > 0.0 && v.is_finite();
        match self.lengthscale {
            LengthscalePrior::Each(p) => p.validate()?,
            LengthscalePrior::Saas { global_scale } if !positive(global_scale) => {
                return invalid(format!(
                    "the SAAS global scale must be positive, got {global_scale}"
                ))
            }
            LengthscalePrior::Saas { .. } => {}
        }
        for (what, s) in [("output scale", self.outputscale), ("noise", self.noise)]
        {
            match s {
                ScalePrior::Learned(p) => p.validate()?,
                ScalePrior::Fixed(v)
                    if what == "noise" && v >= 0.0 && v.is_finite() => {}
                ScalePrior::Fixed(v) if positive(v) => {}
                ScalePrior::Fixed(v) => {
                    return invalid(format!(
                        "a fixed {what} must be positive, got {v}"
                    ))
                }
            }
        }
        if !(self.noise_floor >= 0.0 && self.noise_floor.is_finite()) {
            return invalid(format!(
                "the noise floor must be a non-negative number, got {}",
                self.noise_floor
            ));
        }
        if self.noise == ScalePrior::Fixed(0.0) && self.noise_floor == 0.0 {
            return invalid(
                "a noise variance of exactly 0 leaves nothing to factor".into(),
            );
        }
        if let MeanPrior::Normal { loc, scale } = self.mean {
            if !(loc.is_finite() && positive(scale)) {
                return invalid(format!("invalid mean prior N({loc}, {scale}²)"));
            }
        } else if let MeanPrior::Fixed(m) = self.mean {
            if !m.is_finite() {
                return Err(Error::NonFinite {
                    context: "fully Bayesian priors: the mean",
                });
            }
        }
        Ok(())
    }

    /// The length of θ for d inputs: d lengthscale coordinates (d + 1 for SAAS: τ first),
    /// then one for each learned output scale, noise and mean.
    pub fn len(&self, d: usize) -> usize {
        self.lengthscale_len(d)
            + usize::from(matches!(self.outputscale, ScalePrior::Learned(_)))
            + usize::from(matches!(self.noise, ScalePrior::Learned(_)))
            + usize::from(matches!(self.mean, MeanPrior::Normal { .. }))
    }

    fn lengthscale_len(&self, d: usize) -> usize {
        match self.lengthscale {
            LengthscalePrior::Each(_) => d,
            LengthscalePrior::Saas { .. } => d + 1,
        }
    }

    /// Where a chain starts: every learned quantity at its prior's mode (for SAAS, τ at its
    /// scale and ρ_d = 1), the mean at its prior's mean.
    pub fn start(&self, d: usize) -> Vec<f64> {
        let mut theta = match self.lengthscale {
            LengthscalePrior::Each(p) => vec![p.mode().ln(); d],
            LengthscalePrior::Saas { global_scale } => {
                let mut t = vec![0.0; d + 1];
                t[0] = global_scale.ln();
                t
            }
        };
        for s in [self.outputscale, self.noise] {
            if let ScalePrior::Learned(p) = s {
                theta.push(p.mode().ln());
            }
        }
        if let MeanPrior::Normal { loc, .. } = self.mean {
            theta.push(loc);
        }
        theta
    }

    /// The hyperparameters θ stands for, on d inputs.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless θ has [`len`](BayesianPriors::len) entries;
    /// [`Error::NonFinite`] or [`Error::InvalidInput`] where θ maps to values that overflow
    /// or underflow (a lengthscale of 0 or ∞).
    pub fn hyperparameters(
        &self,
        theta: &[f64],
        d: usize,
    ) -> Result<Hyperparameters> {
        self.check_len(theta, d)?;
        let lengthscales: Array1<f64> = match self.lengthscale {
            LengthscalePrior::Each(_) => {
                theta[..d].iter().map(|t| t.exp()).collect()
            }
            // ℓ_d = (τ ρ_d)^(−½), in logs.
            LengthscalePrior::Saas { .. } => {
                theta[1..=d].iter().map(|t| (-0.5 * (theta[0] + t)).exp()).collect()
            }
        };
        let mut k = self.lengthscale_len(d);
        let mut next = |s: ScalePrior| match s {
            ScalePrior::Fixed(v) => v,
            ScalePrior::Learned(_) => {
                k += 1;
                theta[k - 1].exp()
            }
        };
        let outputscale = next(self.outputscale);
        let noise = self.noise_floor + next(self.noise);
        let mean = match self.mean {
            MeanPrior::Fixed(m) => m,
            MeanPrior::Normal { .. } => theta[k],
        };
        let kernel = Kernel::new(self.kind, lengthscales, outputscale)?;
        if !(mean.is_finite() && noise.is_finite() && noise > 0.0) {
            return Err(Error::NonFinite {
                context: "fully Bayesian GP: hyperparameters",
            });
        }
        Ok(Hyperparameters { kernel, mean, noise })
    }

    /// The log prior density of θ: Σ log p over the hyperparameters, plus the log Jacobian
    /// of the map from θ to them (θ holds logs, so + θ for every log-transformed entry).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless θ has [`len`](BayesianPriors::len) entries.
    pub fn log_prior_theta(&self, theta: &[f64], d: usize) -> Result<f64> {
        self.check_len(theta, d)?;
        let mut total = 0.0;
        let mut k = self.lengthscale_len(d);
        // A prior on x = e^t, in t: log p(x) + t.
        let in_log = |p: Prior, t: f64| p.log_density_and_slope(t.exp()).0 + t;
        match self.lengthscale {
            LengthscalePrior::Each(p) => {
                total += theta[..d].iter().map(|&t| in_log(p, t)).sum::<f64>();
            }
            LengthscalePrior::Saas { global_scale } => {
                total += log_half_cauchy(theta[0].exp(), global_scale) + theta[0];
                total += theta[1..=d]
                    .iter()
                    .map(|&t| log_half_cauchy(t.exp(), 1.0) + t)
                    .sum::<f64>();
            }
        }
        for s in [self.outputscale, self.noise] {
            if let ScalePrior::Learned(p) = s {
                total += in_log(p, theta[k]);
                k += 1;
            }
        }
        if let MeanPrior::Normal { loc, scale } = self.mean {
            let z = (theta[k] - loc) / scale;
            total +=
                -0.5 * z * z - scale.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln();
        }
        Ok(total)
    }

    fn check_len(&self, theta: &[f64], d: usize) -> Result<()> {
        if theta.len() == self.len(d) {
            Ok(())
        } else {
            Err(Error::ShapeMismatch {
                context: "fully Bayesian GP: θ",
                expected: vec![self.len(d)],
                found: vec![theta.len()],
            })
        }
    }

    /// The log prior density of the hyperparameters themselves (no Jacobian): for SAAS, of
    /// (τ, ρ₁, …, ρ_d) rather than of the lengthscales they make. What BoTorch's model adds
    /// to its log likelihood before its own change of variables.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless θ has [`len`](BayesianPriors::len) entries.
    pub fn log_prior(&self, theta: &[f64], d: usize) -> Result<f64> {
        let with_jacobian = self.log_prior_theta(theta, d)?;
        let jacobian: f64 = match self.lengthscale {
            LengthscalePrior::Each(_) => theta[..d].iter().sum(),
            LengthscalePrior::Saas { .. } => theta[..=d].iter().sum(),
        };
        let k = self.lengthscale_len(d);
        let scales = [self.outputscale, self.noise]
            .iter()
            .filter(|s| matches!(s, ScalePrior::Learned(_)))
            .count();
        Ok(with_jacobian - jacobian - theta[k..k + scales].iter().sum::<f64>())
    }
}

/// The log density of a half-Cauchy distribution with scale s at x > 0:
/// ln(2/(π s)) − ln(1 + (x/s)²).
pub(crate) fn log_half_cauchy(x: f64, s: f64) -> f64 {
    let r = x / s;
    (2.0 / (std::f64::consts::PI * s)).ln() - (r * r).ln_1p()
}
