//! Markov chain Monte Carlo: drawing samples from a distribution known only through its
//! log density, up to a constant.
//!
//! A target is a [`LogDensity`] on ℝᵏ. [`slice_sample`] draws from it by slice sampling
//! (Neal, 2003): each coordinate in turn moves to a uniform draw from the "slice" of the
//! line through the current point where the density exceeds a level drawn under the current
//! density, found by stepping out in steps of a width and shrinking back. It needs no
//! gradient and no tuning beyond that width, which the warm-up adapts. [`effective_sample_size`]
//! says how many independent draws a correlated chain is worth (Geyer's initial positive
//! sequence estimator), which is what the error of an average over the chain depends on.
//!
//! This module knows nothing of Gaussian processes; [`crate::gp::fully_bayesian`] uses it to
//! sample a GP's hyperparameters.

mod ess;
mod slice;
#[cfg(test)]
mod tests;

pub use ess::{autocorrelations, effective_sample_size};
pub use slice::{slice_sample, Chain, SliceOptions};

use crate::Result;

/// A log density log p(θ) + const on ℝᵏ, the target of a sampler.
///
/// Where θ is outside the support, return `Ok(f64::NEG_INFINITY)`; a NaN or +∞ value is
/// treated as −∞ too. An `Err` stops the sampler and is passed on.
pub trait LogDensity {
    /// The dimension k.
    fn dim(&self) -> usize;

    /// log p(θ) up to an additive constant, for θ of length k. It takes `&mut self` so that
    /// a density can keep workspaces and caches between calls.
    ///
    /// # Errors
    /// Whatever the density cannot evaluate for a reason other than θ being outside the
    /// support.
    fn log_density(&mut self, theta: &[f64]) -> Result<f64>;
}

/// A [`LogDensity`] from a dimension and a closure.
pub struct FnDensity<F: FnMut(&[f64]) -> f64> {
    dim: usize,
    f: F,
}

impl<F: FnMut(&[f64]) -> f64> FnDensity<F> {
    /// The density θ ↦ f(θ) on ℝ^dim.
    pub fn new(dim: usize, f: F) -> Self {
        FnDensity { dim, f }
    }
}

impl<F: FnMut(&[f64]) -> f64> LogDensity for FnDensity<F> {
    fn dim(&self) -> usize {
        self.dim
    }

    fn log_density(&mut self, theta: &[f64]) -> Result<f64> {
        Ok((self.f)(theta))
    }
}
