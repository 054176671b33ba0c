//! # gradbo
//!
//! The library that the course *From gradients to Bayesian optimisation* builds
//! chapter by chapter and then uses: array helpers, reverse-mode automatic
//! differentiation, optimisers and the analysis of their dynamics, Gaussian
//! processes, acquisition functions and Bayesian optimisation.
//!
//! Modules, in the order the course builds them: [`array`](mod@array) (Part 1), [`autodiff`] (Part 1),
//! [`optim`] and [`linalg`] (Part 2), [`surrogate`], [`gp`], [`special`] and [`acquisition`]
//! (Part 3). Part 4's Bayesian-optimisation layer follows BoTorch's separation:
//! [`models`] (a model answers with a posterior), [`transforms`] (the units a model is fitted
//! in), [`acquisition`] (scores over candidates, behind one trait), [`sampling`] (scrambled
//! Sobol points), [`optimize_acqf`] (maximising an acquisition function over a box with
//! [`optim::bounded`]'s bounded L-BFGS) and [`bo`] (the ask/tell loop). Part 5 adds
//! [`batch`] (batches conditioned on the points before them), [`mixed`] (spaces of
//! continuous, integer, discrete and categorical variables, their encoding for a model, and
//! acquisition optimisation over them) and [`budget`] (costs, budgets and a person's vetoes
//! and preferences around the loop's choice). Part 6 adds [`noise`] (a model-based
//! incumbent and replication as a decision, for noisy observations), [`multi_objective`]
//! (dominance, Pareto fronts, exact hypervolume, box decompositions, qEHVI over independent
//! GPs and rules for choosing from a front), models with one input more than the design —
//! [`augmented`] (a slice of a model of [x, t] and its best point), [`fidelity`] (levels,
//! prices, a pool, value per cost under a budget and target-fidelity confirmations) and
//! [`context`] (recommendations per context and their regret) — and [`candidates`]
//! (choosing from a finite library of designs, in one stage or two, and the posterior over a
//! product of two sets). [`mcmc`] (slice sampling from a log density and the effective
//! sample size of a chain) underlies [`gp::fully_bayesian`]: GPs whose hyperparameters are
//! drawn from their posterior, under the library's priors or the sparsity-inducing SAAS
//! priors, with acquisition functions averaged over the draws
//! ([`acquisition::Ensemble`]); [`turbo`] is trust-region Bayesian optimisation for higher
//! dimensions (TuRBO-1, with Thompson sampling by pathwise posterior draws). The loop's
//! opt-in mode [`bo::Quality::Spend`] spends a time allowance per decision on them
//! ([`bo::SpendOptions::within`]). [`test_functions`]
//! holds every objective the course and the benchmarks minimise: the standard test problems
//! of Bayesian optimisation and the course's own. [`Bounds`], [`numeric`] and [`Error`] serve
//! them all.
//!
//! Conventions, fixed once for the whole course:
//! - numbers are `f64` (Part 1 shows `f32` only to say why we leave it);
//! - anything random takes an explicit seed, so a run is reproducible;
//! - bad input (shape mismatch, NaN or infinite values, empty data) is an
//!   [`Error`], never a panic; from finite inputs every public function returns finite
//!   outputs or an [`Error`] (tested over the public API in `tests/robustness.rs`).

pub mod acquisition;
pub mod array;
pub mod augmented;
pub mod autodiff;
pub mod batch;
pub mod bo;
pub mod bounds;
pub mod budget;
pub mod candidates;
pub mod context;
pub mod error;
pub mod fidelity;
pub mod gp;
pub mod linalg;
pub mod mcmc;
pub mod mixed;
pub mod models;
pub mod multi_objective;
pub mod noise;
pub mod numeric;
pub mod optim;
pub mod optimize_acqf;
pub mod sampling;
pub mod special;
pub mod surrogate;
pub mod test_functions;
pub mod transforms;
pub mod turbo;

pub use bounds::Bounds;
pub use error::{Error, Result};
