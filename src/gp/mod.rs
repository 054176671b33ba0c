//! Gaussian processes: kernels, the exact regression model, its marginal likelihood with the
//! likelihood's gradient in closed form, and fitting by maximum likelihood (optionally
//! with log-priors on the hyperparameters); and, in [`fully_bayesian`], GPs whose
//! hyperparameters are sampled from their posterior by MCMC.

mod baseline;
mod condition;
mod describe;
mod diagnostics;
mod fit;
pub mod fully_bayesian;
mod kernel;
mod lml;
mod model;
mod objective;
mod on_tape;
mod prior;

pub use baseline::BaselineSamples;
pub use diagnostics::{ScaleWarning, SCALE_TOLERANCE};
pub(crate) use fit::overflow;
pub use fit::{
    fit, DataUnits, FitOptions, FittedGp, MIN_SCREENED, SCREENING_SUBSET,
};
pub use fully_bayesian::{
    fit_fully_bayesian, BayesianPriors, FullyBayesianGp, FullyBayesianOptions,
};
pub use kernel::{Kernel, KernelKind};
pub use model::{
    prior_samples, Gp, Hyperparameters, PointPrediction, Prediction, MIN_VARIANCE,
};
#[cfg(test)]
pub(crate) use on_tape::fixed_model;
pub use on_tape::{FixedPoints, TapePosterior};
pub use prior::{Prior, Priors};
