//! Gaussian processes: kernels, the exact regression model, its marginal likelihood and the
//! likelihood's gradient in closed form.

mod kernel;
mod model;

pub use kernel::{Kernel, KernelKind};
pub use model::{prior_samples, Gp, Hyperparameters, Prediction, MIN_VARIANCE};
