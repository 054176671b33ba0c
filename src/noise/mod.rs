//! Noisy observations: deciding from a model of the latent objective rather than from the
//! noisy values themselves.
//!
//! When every observation is y = f(x) + ε, the best observed y is the luckiest draw of the
//! noise as much as a good x, and a loop that trusts it chases noise. Two tools of this
//! module use the model's posterior of the latent f instead:
//!
//! - [`model_incumbent`]: the best posterior mean over the observed inputs, a
//!   *model-based incumbent* for expected improvement and for reporting;
//! - [`replication`]: a rule that decides, each step, whether to evaluate the
//!   best-looking observed point again (to confirm it or to shrink its uncertainty) or to
//!   explore a new point.
//!
//! The GP side is [`FitOptions::fixed_noise`](crate::gp::FitOptions::fixed_noise) (known
//! noise variances, one per observation, replicates included), and noisy expected
//! improvement ([`NoisyExpectedImprovement`](crate::acquisition::NoisyExpectedImprovement))
//! is the acquisition function that keeps the incumbent's uncertainty.

mod incumbent;
pub mod replication;

pub use incumbent::{model_incumbent, repeat_count, Incumbent};
pub use replication::{Action, Decision, Reason, ReplicationRule};
