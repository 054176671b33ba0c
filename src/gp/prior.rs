//! Optional log-priors on the hyperparameters, for a maximum a posteriori (MAP) fit.
//!
//! A prior is a density on the hyperparameter itself (a lengthscale in normalised units, the
//! output scale σ² or the noise variance σₙ² in standardised units), evaluated at its value
//! with no Jacobian of the log transform, as GPyTorch (and so BoTorch) does it. The fit then
//! maximises log p(y | θ) + Σ log p(hyperparameter).

use crate::{Error, Result};

/// A prior density on one positive hyperparameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prior {
    /// Gamma(shape, rate): density ∝ x^(shape − 1) e^(−rate·x), mode (shape − 1)/rate.
    Gamma {
        /// The shape (concentration), positive.
        shape: f64,
        /// The rate (inverse scale), positive.
        rate: f64,
    },
    /// LogNormal(loc, scale): log x ~ N(loc, scale²).
    LogNormal {
        /// The mean of log x.
        loc: f64,
        /// The standard deviation of log x, positive.
        scale: f64,
    },
}

impl Prior {
    /// Checks that the parameters are finite and the positive ones positive.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the offending parameter.
    pub fn validate(&self) -> Result<()> {
        let ok = match *self {
            Prior::Gamma { shape, rate } => {
                shape > 0.0 && rate > 0.0 && shape.is_finite() && rate.is_finite()
            }
            Prior::LogNormal { loc, scale } => {
                loc.is_finite() && scale > 0.0 && scale.is_finite()
            }
        };
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidInput {
                context: "prior",
                reason: format!("invalid prior parameters: {self:?}"),
            })
        }
    }

    /// The mode: (shape − 1)/rate for a Gamma prior with shape > 1 (its mean, shape/rate,
    /// when the density peaks at 0), e^(loc − scale²) for a LogNormal one. Fits start here.
    pub fn mode(&self) -> f64 {
        match *self {
            Prior::Gamma { shape, rate } if shape > 1.0 => (shape - 1.0) / rate,
            Prior::Gamma { shape, rate } => shape / rate,
            Prior::LogNormal { loc, scale } => (loc - scale * scale).exp(),
        }
    }

    /// The log density at x > 0 and its derivative with respect to log x.
    pub fn log_density_and_slope(&self, x: f64) -> (f64, f64) {
        let lx = x.ln();
        match *self {
            Prior::Gamma { shape, rate } => (
                shape * rate.ln() - ln_gamma(shape) + (shape - 1.0) * lx - rate * x,
                (shape - 1.0) - rate * x,
            ),
            Prior::LogNormal { loc, scale } => {
                let z = (lx - loc) / scale;
                (
                    -lx - scale.ln()
                        - 0.5 * (2.0 * std::f64::consts::PI).ln()
                        - 0.5 * z * z,
                    -1.0 - z / scale,
                )
            }
        }
    }
}

/// Priors on a GP's hyperparameters, and a lower bound on the noise variance that comes with
/// them. [`Priors::default`] is [`Priors::none`]: plain maximum likelihood.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Priors {
    /// The prior of every lengthscale (normalised input units), if any.
    pub lengthscale: Option<Prior>,
    /// The prior of the output scale σ² (standardised units), if any.
    pub outputscale: Option<Prior>,
    /// The prior of the noise variance σₙ² (standardised units), if any.
    pub noise: Option<Prior>,
    /// A lower bound on the noise variance; the fit uses the larger of this and
    /// [`FitOptions::noise_floor`](super::FitOptions::noise_floor).
    pub noise_floor: f64,
}

impl Priors {
    /// No priors and no extra noise floor: maximum likelihood.
    pub const fn none() -> Self {
        Priors {
            lengthscale: None,
            outputscale: None,
            noise: None,
            noise_floor: 0.0,
        }
    }

    /// BoTorch's priors for a scaled Matérn kernel (checked against botorch 0.18.1): a
    /// `SingleTaskGP` with `get_matern_kernel_with_gamma_prior` has Gamma(3, 6) on each
    /// lengthscale and Gamma(2, 0.15) on the output scale, and its default likelihood has
    /// LogNormal(−4, 1) on the noise variance, which is kept ≥ 1e-4. (BoTorch's default
    /// kernel in that version is instead an RBF kernel without an output scale and a
    /// dimension-scaled LogNormal prior on the lengthscales.)
    pub const fn botorch() -> Self {
        Priors {
            lengthscale: Some(Prior::Gamma { shape: 3.0, rate: 6.0 }),
            outputscale: Some(Prior::Gamma { shape: 2.0, rate: 0.15 }),
            noise: Some(Prior::LogNormal { loc: -4.0, scale: 1.0 }),
            noise_floor: 1e-4,
        }
    }

    /// BoTorch's priors for its default `SingleTaskGP` on d inputs (botorch 0.18.1): a
    /// LogNormal(√2 + ½ ln d, √3) prior on every lengthscale — its median grows like √d, as
    /// the typical distance between points of the unit cube does — and LogNormal(−4, 1) on
    /// the noise variance, which is kept ≥ 1e-4. There is no output scale to put a prior on.
    pub fn single_task(d: usize) -> Self {
        let loc = std::f64::consts::SQRT_2 + 0.5 * (d.max(1) as f64).ln();
        Priors {
            lengthscale: Some(Prior::LogNormal { loc, scale: 3f64.sqrt() }),
            outputscale: None,
            noise: Some(Prior::LogNormal { loc: -4.0, scale: 1.0 }),
            noise_floor: 1e-4,
        }
    }

    /// Whether there is any prior or floor at all.
    pub fn is_none(&self) -> bool {
        *self == Priors::none()
    }

    /// Checks every prior and the floor.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an invalid prior or a floor that is negative or not finite.
    pub fn validate(&self) -> Result<()> {
        for p in
            [self.lengthscale, self.outputscale, self.noise].into_iter().flatten()
        {
            p.validate()?;
        }
        if !(self.noise_floor >= 0.0 && self.noise_floor.is_finite()) {
            return Err(Error::InvalidInput {
                context: "priors",
                reason: format!(
                    "the noise floor must be a non-negative number, got {}",
                    self.noise_floor
                ),
            });
        }
        Ok(())
    }

    /// Σ log p over the hyperparameters, and its gradient with respect to
    /// (log ℓ₁, …, log ℓ_d, log σ², log σₙ²).
    pub(crate) fn log_prior(
        &self,
        lengthscales: &[f64],
        outputscale: f64,
        noise: f64,
    ) -> (f64, Vec<f64>) {
        let d = lengthscales.len();
        let mut grad = vec![0.0; d + 2];
        let mut total = 0.0;
        if let Some(p) = self.lengthscale {
            for (g, &l) in grad.iter_mut().zip(lengthscales) {
                let (v, s) = p.log_density_and_slope(l);
                total += v;
                *g = s;
            }
        }
        for (k, prior, x) in
            [(d, self.outputscale, outputscale), (d + 1, self.noise, noise)]
        {
            if let Some(p) = prior {
                let (v, s) = p.log_density_and_slope(x);
                total += v;
                grad[k] = s;
            }
        }
        (total, grad)
    }
}

impl Default for Priors {
    fn default() -> Self {
        Priors::none()
    }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms; relative error near 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

#[cfg(test)]
mod tests {
    #[test]
    fn single_task_priors_have_botorch_s_modes() {
        // BoTorch 0.18.1 starts its fit here (tests/data/botorch_reference.json): the
        // lengthscale prior's mode for d = 2 and for d = 6, and the noise prior's e⁻⁵.
        let p = Priors::single_task(2);
        let mode = p.lengthscale.unwrap().mode();
        assert!((mode - 0.28961209717006176).abs() < 1e-15, "{mode}");
        let six = Priors::single_task(6).lengthscale.unwrap().mode();
        let want = (std::f64::consts::SQRT_2 + 0.5 * 6f64.ln() - 3.0).exp();
        assert!((six - want).abs() < 1e-15);
        assert!((p.noise.unwrap().mode() - 0.006737946999085467).abs() < 1e-17);
        assert_eq!(p.noise_floor, 1e-4);
        assert!(p.outputscale.is_none());
        // A Gamma prior's mode, and its mean when the density peaks at 0.
        assert!(
            (Prior::Gamma { shape: 3.0, rate: 6.0 }.mode() - 1.0 / 3.0).abs()
                < 1e-15
        );
        assert_eq!(Prior::Gamma { shape: 0.5, rate: 2.0 }.mode(), 0.25);
    }

    use super::*;
    use crate::numeric::derivative;

    #[test]
    fn ln_gamma_matches_known_values() {
        assert!((ln_gamma(1.0)).abs() < 1e-14);
        assert!((ln_gamma(3.0) - 2f64.ln()).abs() < 1e-14);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-14);
        assert!((ln_gamma(10.0) - 362_880f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn densities_integrate_to_one_and_slopes_match_differences() {
        for p in [
            Prior::Gamma { shape: 3.0, rate: 6.0 },
            Prior::Gamma { shape: 2.0, rate: 0.15 },
            Prior::LogNormal { loc: -4.0, scale: 1.0 },
        ] {
            // ∫ p(x) dx = ∫ p(eᵘ) eᵘ du, by the midpoint rule over u ∈ [−30, 10].
            let h = 1e-3;
            let total: f64 = (0..40_000)
                .map(|k| {
                    let u = -30.0 + (k as f64 + 0.5) * h;
                    (p.log_density_and_slope(u.exp()).0 + u).exp() * h
                })
                .sum();
            assert!((total - 1.0).abs() < 1e-6, "{p:?}: {total}");
            for x in [0.01, 0.3, 2.0] {
                // The slope in log x, x·d/dx ln p(x), at u = ln x.
                let fd = derivative(
                    |u| p.log_density_and_slope(x * u.exp()).0,
                    0.0,
                    1e-6,
                );
                let s = p.log_density_and_slope(x).1;
                assert!((fd - s).abs() < 1e-6, "{p:?} at {x}: {fd} vs {s}");
            }
        }
    }

    #[test]
    fn invalid_priors_are_refused() {
        assert!(Prior::Gamma { shape: 0.0, rate: 1.0 }.validate().is_err());
        assert!(Prior::LogNormal { loc: f64::NAN, scale: 1.0 }.validate().is_err());
        assert!(Priors { noise_floor: -1.0, ..Priors::none() }.validate().is_err());
        assert!(
            Priors::botorch().validate().is_ok() && Priors::default().is_none()
        );
    }
}
