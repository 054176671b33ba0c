//! Trust-region Bayesian optimisation for higher dimensions: TuRBO-1 (Eriksson et al., 2019,
//! "Scalable global optimization via local Bayesian optimization", NeurIPS), following
//! BoTorch's TuRBO-1 tutorial.
//!
//! A global GP over a 20-dimensional box needs thousands of points before its
//! acquisition function stops sending the search to the box's corners. TuRBO keeps the
//! search local instead: a box around the best point so far, in proportion to the model's
//! lengthscales, that doubles after repeated successes, halves after repeated failures and,
//! once it has shrunk to nothing, restarts elsewhere from a fresh design.
//!
//! - [`TrustRegion`], [`RegionOptions`], [`failure_tolerance`]: the side length and the
//!   success and failure counters.
//! - [`region_bounds`], [`lengthscale_weights`]: the region's box in the unit cube.
//! - [`region_candidates`]: Thompson-sampling candidates inside it.
//! - [`posterior_draws`], [`thompson_choice`]: joint posterior draws over thousands of
//!   candidates by pathwise conditioning on random Fourier features, and the batch they
//!   choose.
//! - [`Turbo`]: the whole method as an ask/tell optimiser over a [`Bounds`](crate::Bounds)
//!   box, with a [`TurboIteration`] per ask.

mod candidates;
mod driver;
mod pathwise;
mod region;
mod state;

pub use candidates::{
    default_candidates, perturbation_probability, region_candidates,
};
pub use driver::{
    turbo_fit_options, AskKind, Turbo, TurboIteration, TurboOptions,
    MAX_WEIGHT_LENGTHSCALE,
};
pub use pathwise::{posterior_draws, thompson_choice, DEFAULT_FEATURES};
pub use region::{lengthscale_weights, region_bounds};
pub use state::{failure_tolerance, RegionOptions, Step, TrustRegion};
