//! Mixed design spaces: continuous, integer, discrete and categorical variables, their
//! encoding for a Gaussian process, and acquisition optimisation over them.
//!
//! A design is written in its *natural* coordinates, one number per variable: a
//! temperature in °C, a time in minutes, and a categorical variable's level as its index
//! 0, 1, …, k − 1. [`MixedSpace`] checks designs (a category outside its set or an integer
//! with a fraction is an [`Error`](crate::Error)) and encodes them for a model:
//!
//! - a numeric variable (continuous, integer or discrete) is normalised to [0, 1] over its
//!   range;
//! - a categorical variable of k levels becomes k one-hot columns.
//!
//! One-hot columns under a stationary ARD kernel put every pair of distinct levels at the
//! same distance, scaled by the learned lengthscales of their two columns: the model learns
//! how much the category matters without inventing an order among the levels (an index
//! 0, 1, 2 fed to the kernel would make A closer to B than to C). It needs no new kernel —
//! BoTorch's other route, a Hamming-distance kernel for the categorical columns, would.
//!
//! Two acquisition optimisers, after BoTorch's `optimize_acqf_discrete` and
//! `optimize_acqf_mixed` (module [`optimize`]):
//! - [`optimize_acqf_discrete`]: when the feasible designs form a small finite set, score
//!   them all and take the best one not yet evaluated;
//! - [`optimize_acqf_mixed`]: for each [`Combination`] of the categorical and discrete
//!   variables — each with its own bounds for the continuous ones, such as a solvent's
//!   temperature window — maximise over the continuous variables with
//!   [`crate::optimize_acqf::optimize_acqf`], and take the best combination's optimum.

pub mod optimize;
mod space;

pub use optimize::{
    acquisition_values, optimize_acqf_discrete, optimize_acqf_mixed,
    DiscreteChoice, MixedChoice,
};
pub use space::{Combination, MixedSpace, Variable, ENUMERATION_LIMIT};
