//! Sampling designs: where to put points when the points themselves are the tool.
//!
//! Bayesian optimisation needs well-spread points in a box again and again: the initial
//! design before any model exists, the raw candidates from which an acquisition function's
//! optimiser starts, and (for Monte Carlo acquisition functions) the base samples that turn
//! an expectation over the posterior into an average. Independent uniform draws clump and
//! leave holes; the quasi-random designs here spread n points evenly at every scale while
//! staying random enough to give unbiased averages.
//!
//! - [`Sobol`], [`sobol_points`], [`draw_sobol_samples`]: scrambled Sobol points in the unit
//!   cube or in a [`Bounds`](crate::Bounds) box.
//! - [`qmc_normal`], [`NormalSampler`]: quasi-random standard normal base samples, Sobol points
//!   through the normal quantile, for Monte Carlo acquisition functions.

mod joe_kuo;
mod normal;
mod sobol;

pub use normal::{qmc_normal, NormalSampler};
pub use sobol::{draw_sobol_samples, sobol_points, Sobol, MAX_DIM, MAX_POINTS};
