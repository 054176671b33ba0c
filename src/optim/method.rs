//! Gradient descent, heavy-ball momentum and Nesterov's method as iterated maps.

use super::objective::{check_dim, Objective};
use crate::{Error, Result};
use ndarray::Array1;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

/// An update rule. Each keeps a position x and a velocity v (zero for plain gradient descent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// x ← x − η ∇f(x).
    GradientDescent {
        /// The learning rate η.
        lr: f64,
    },
    /// Polyak's heavy ball: v ← β v + ∇f(x), then x ← x − η v.
    HeavyBall {
        /// The learning rate η.
        lr: f64,
        /// The momentum coefficient β.
        beta: f64,
    },
    /// Nesterov's method: the gradient is taken at the look-ahead point x − ηβ v.
    Nesterov {
        /// The learning rate η.
        lr: f64,
        /// The momentum coefficient β.
        beta: f64,
    },
}

/// Gaussian noise added to every gradient the method sees: ∇f(x) + σ ξ, ξ ~ N(0, I).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noise {
    /// The standard deviation σ.
    pub sigma: f64,
    /// The seed of the noise stream.
    pub seed: u64,
}

/// A recorded run: T + 1 positions and velocities, and the T losses and gradient norms
/// measured *before* each update (with the exact gradient, even under noise).
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// x₀, …, x_T.
    pub xs: Vec<Array1<f64>>,
    /// v₀ = 0, …, v_T.
    pub vs: Vec<Array1<f64>>,
    /// f(x₀), …, f(x_{T−1}).
    pub losses: Vec<f64>,
    /// ‖∇f(x₀)‖, …, ‖∇f(x_{T−1})‖.
    pub grad_norms: Vec<f64>,
}

impl Trajectory {
    /// The last position.
    pub fn last(&self) -> &Array1<f64> {
        &self.xs[self.xs.len() - 1]
    }

    /// Whether the run blew up: a non-finite loss or position, or a coordinate beyond
    /// `threshold` in magnitude.
    pub fn diverged(&self, threshold: f64) -> bool {
        self.losses.iter().any(|l| !l.is_finite())
            || self
                .xs
                .iter()
                .flatten()
                .any(|v| !v.is_finite() || v.abs() > threshold)
    }
}

impl Method {
    fn validate(&self) -> Result<()> {
        let (lr, beta) = match *self {
            Method::GradientDescent { lr } => (lr, 0.0),
            Method::HeavyBall { lr, beta } | Method::Nesterov { lr, beta } => {
                (lr, beta)
            }
        };
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::InvalidInput {
                context: "Method",
                reason: format!(
                    "the learning rate must be positive and finite, got {lr}"
                ),
            });
        }
        if !(0.0..1.0).contains(&beta) {
            return Err(Error::InvalidInput {
                context: "Method",
                reason: format!(
                    "the momentum coefficient must lie in [0, 1), got {beta}"
                ),
            });
        }
        Ok(())
    }
}

/// Runs `method` on `objective` from `x0` for `steps` steps, optionally with gradient noise.
///
/// A run that blows up is recorded, not refused: its losses become infinite or NaN, which
/// [`Trajectory::diverged`] detects.
///
/// # Errors
/// [`Error::ShapeMismatch`] if `x0` has the wrong length, [`Error::NonFinite`] if it holds
/// NaN or infinity, [`Error::InvalidInput`] for a non-positive learning rate or a momentum
/// coefficient outside [0, 1), or a negative noise level.
pub fn run(
    objective: &dyn Objective,
    method: Method,
    x0: &Array1<f64>,
    steps: usize,
    noise: Option<Noise>,
) -> Result<Trajectory> {
    check_dim(x0, objective.dim(), "run: the starting point")?;
    if x0.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "run: the starting point" });
    }
    method.validate()?;
    if let Some(n) = noise {
        if !(n.sigma.is_finite() && n.sigma >= 0.0) {
            return Err(Error::InvalidInput {
                context: "run",
                reason: format!(
                    "the noise level must be non-negative, got {}",
                    n.sigma
                ),
            });
        }
    }
    let mut rng = noise.map(|n| (n.sigma, ChaCha8Rng::seed_from_u64(n.seed)));
    let mut noisy = |g: Array1<f64>| match &mut rng {
        Some((sigma, rng)) => {
            g.mapv(|v| v + *sigma * rng.sample::<f64, _>(StandardNormal))
        }
        None => g,
    };
    let mut x = x0.clone();
    let mut v = Array1::zeros(x0.len());
    let mut t = Trajectory {
        xs: vec![x.clone()],
        vs: vec![v.clone()],
        losses: vec![],
        grad_norms: vec![],
    };
    for _ in 0..steps {
        let (loss, grad) = objective.value_and_gradient(&x)?;
        t.losses.push(loss);
        t.grad_norms.push(grad.dot(&grad).sqrt());
        match method {
            Method::GradientDescent { lr } => {
                x.scaled_add(-lr, &noisy(grad));
            }
            Method::HeavyBall { lr, beta } => {
                v = v * beta + noisy(grad);
                x.scaled_add(-lr, &v);
            }
            Method::Nesterov { lr, beta } => {
                let ahead = &x - &(&v * (lr * beta));
                let (_, g_ahead) = objective.value_and_gradient(&ahead)?;
                v = v * beta + noisy(g_ahead);
                x.scaled_add(-lr, &v);
            }
        }
        t.xs.push(x.clone());
        t.vs.push(v.clone());
    }
    Ok(t)
}
