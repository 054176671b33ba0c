//! Optimisation as a dynamical system: objectives, iteration maps and their analysis.
//!
//! - [`Objective`]: a function to minimise that supplies its value and gradient, in closed
//!   form ([`Quadratic`], [`functions`]) or from the autodiff tape ([`TapeObjective`]);
//! - [`Method`] and [`run`]: gradient descent, heavy-ball momentum and Nesterov's method as
//!   iterated maps, recording whole trajectories, optionally with seeded gradient noise;
//! - [`dynamics`]: what the linear algebra predicts for quadratics — iteration matrices,
//!   spectral radii, stable and optimal steps — and fixed points of one-dimensional maps;
//! - [`solvers`]: the same objectives handed to argmin's L-BFGS and Nelder–Mead;
//! - [`bounded`]: [`minimise_bounded`], a projected L-BFGS method for minimisation in a box
//!   (argmin has no L-BFGS-B), the inner solver of acquisition-function optimisation.

pub mod bounded;
pub mod dynamics;
pub mod functions;
mod method;
mod objective;
pub mod solvers;

pub use bounded::{minimise_bounded, BoundedOptions, BoundedReport, Termination};
pub use method::{run, Method, Noise, Trajectory};
pub use objective::{FnObjective, Objective, Quadratic, TapeObjective};
