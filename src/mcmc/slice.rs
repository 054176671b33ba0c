//! Coordinate-wise slice sampling with stepping out and shrinkage (Neal, 2003, §4).

use super::LogDensity;
use crate::{Error, Result};
use ndarray::Array2;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// Settings of [`slice_sample`]. A *sweep* updates every coordinate once, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct SliceOptions {
    /// Sweeps run first and discarded, during which the widths adapt.
    pub warmup: usize,
    /// Sweeps run after the warm-up.
    pub samples: usize,
    /// Every `thinning`-th of those sweeps is kept: `samples / thinning` draws in all.
    pub thinning: usize,
    /// The initial width w of every coordinate's stepping-out interval (in θ's units).
    pub width: f64,
    /// Neal's m: the interval grows by at most this many widths in all.
    pub max_steps_out: usize,
    /// Adapt each coordinate's width during the warm-up to twice the mean distance it
    /// moved (`true` by default). The widths are fixed after the warm-up, so the kept
    /// sweeps form a Markov chain with the target as its stationary distribution.
    pub adapt: bool,
    /// Seed of the uniform draws: the chain is a deterministic function of it.
    pub seed: u64,
}

impl Default for SliceOptions {
    /// 256 warm-up sweeps and 128 more of which every 16th is kept (8 draws), width 1,
    /// at most 32 steps out, adaptation on, seed 0.
    fn default() -> Self {
        SliceOptions {
            warmup: 256,
            samples: 128,
            thinning: 16,
            width: 1.0,
            max_steps_out: 32,
            adapt: true,
            seed: 0,
        }
    }
}

impl SliceOptions {
    /// How many draws the chain keeps: `samples / thinning`.
    pub fn kept(&self) -> usize {
        self.samples.checked_div(self.thinning).unwrap_or(0)
    }

    /// Checks the settings.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a thinning of 0, for settings that keep no draw, or for
    /// a width that is not a positive number.
    pub fn validate(&self) -> Result<()> {
        let invalid = |reason: String| {
            Err(Error::InvalidInput { context: "slice sampling", reason })
        };
        if self.thinning == 0 {
            return invalid("the thinning must be at least 1".into());
        }
        if self.kept() == 0 {
            return invalid(format!(
                "{} samples thinned by {} keep no draw",
                self.samples, self.thinning
            ));
        }
        if !(self.width > 0.0 && self.width.is_finite()) {
            return invalid(format!(
                "the width must be a positive number, got {}",
                self.width
            ));
        }
        Ok(())
    }
}

/// A chain's kept draws and how it got them.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// The kept draws, one per row (`options.kept()` × k).
    pub draws: Array2<f64>,
    /// The log density at each kept draw.
    pub log_densities: Vec<f64>,
    /// The widths used after the warm-up, one per coordinate.
    pub widths: Vec<f64>,
    /// How many times the log density was evaluated, the start included.
    pub evaluations: usize,
}

/// At most this many shrinkage steps per update; past them (a slice narrower than about
/// 2⁻¹⁰⁰ of the interval, which only a discontinuous density at the current point makes)
/// the coordinate stays where it is.
const MAX_SHRINKS: usize = 100;

/// Widths are kept within these bounds while they adapt.
const MIN_WIDTH: f64 = 1e-12;
const MAX_WIDTH: f64 = 1e12;

struct Counted<'a> {
    target: &'a mut dyn LogDensity,
    evaluations: usize,
}

impl Counted<'_> {
    /// log p(θ), NaN and +∞ mapped to −∞.
    fn eval(&mut self, theta: &[f64]) -> Result<f64> {
        self.evaluations += 1;
        let v = self.target.log_density(theta)?;
        Ok(if v.is_finite() { v } else { f64::NEG_INFINITY })
    }
}

/// One update of coordinate `i` of `x` (log density `fx` there) by stepping out and
/// shrinkage; returns the new log density.
fn update(
    counted: &mut Counted<'_>,
    rng: &mut ChaCha8Rng,
    x: &mut [f64],
    fx: f64,
    i: usize,
    w: f64,
    m: usize,
) -> Result<f64> {
    let x0 = x[i];
    // The level: log of a uniform draw under p(x), i.e. log p(x) − Exp(1).
    let level = fx + (1.0 - rng.random::<f64>()).ln();
    let mut lo = x0 - w * rng.random::<f64>();
    let mut hi = lo + w;
    let mut left = (m as f64 * rng.random::<f64>()).floor() as usize;
    let mut right = m.saturating_sub(1).saturating_sub(left);
    if m == 0 {
        left = 0;
        right = 0;
    }
    while left > 0 {
        x[i] = lo;
        if counted.eval(x)? <= level {
            break;
        }
        lo -= w;
        left -= 1;
    }
    while right > 0 {
        x[i] = hi;
        if counted.eval(x)? <= level {
            break;
        }
        hi += w;
        right -= 1;
    }
    for _ in 0..MAX_SHRINKS {
        let x1 = lo + rng.random::<f64>() * (hi - lo);
        x[i] = x1;
        let f1 = counted.eval(x)?;
        if f1 > level {
            return Ok(f1);
        }
        if x1 < x0 {
            lo = x1;
        } else {
            hi = x1;
        }
    }
    x[i] = x0;
    Ok(fx)
}

/// Draws from `target` by coordinate-wise slice sampling from `start`: `options.warmup`
/// sweeps discarded (adapting the widths if asked), then `options.samples` sweeps of which
/// every `options.thinning`-th is kept. Deterministic for a seed.
///
/// Each coordinate update draws a level under the current density, places an interval of
/// width w at random around the current value, steps it out by w at a time while its ends
/// are above the level (at most m steps in all, split at random between the two ends), and
/// then draws uniformly from the interval, shrinking it towards the current value after
/// each draw below the level. The update leaves the target invariant for any w and m
/// (Neal, 2003); w and m only set its cost and how far it moves.
///
/// # Errors
/// [`Error::Empty`] for a target of dimension 0; [`Error::ShapeMismatch`] unless `start`
/// has the target's dimension; [`Error::NonFinite`] for a non-finite start;
/// [`Error::InvalidInput`] for invalid options or a start outside the support (log density
/// −∞); any error of the target's.
pub fn slice_sample(
    target: &mut dyn LogDensity,
    start: &[f64],
    options: &SliceOptions,
) -> Result<Chain> {
    let k = target.dim();
    if k == 0 {
        return Err(Error::Empty {
            context: "slice sampling: the target's dimension",
        });
    }
    if start.len() != k {
        return Err(Error::ShapeMismatch {
            context: "slice sampling: the start",
            expected: vec![k],
            found: vec![start.len()],
        });
    }
    if start.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "slice sampling: the start" });
    }
    options.validate()?;
    let mut counted = Counted { target, evaluations: 0 };
    let mut x = start.to_vec();
    let mut fx = counted.eval(&x)?;
    if fx == f64::NEG_INFINITY {
        return Err(Error::InvalidInput {
            context: "slice sampling",
            reason: "the start is outside the support: its log density is −∞ (or not finite)"
                .into(),
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut widths = vec![options.width; k];
    let kept = options.kept();
    let mut draws = Array2::zeros((kept, k));
    let mut log_densities = Vec::with_capacity(kept);
    // Σ|Δx| per coordinate and the sweeps counted, restarted halfway through the warm-up so
    // that the early approach to the typical set does not set the widths.
    let mut moved = vec![0.0; k];
    let mut counted_sweeps = 0usize;
    for sweep in 0..options.warmup + options.samples {
        for i in 0..k {
            let before = x[i];
            fx = update(
                &mut counted,
                &mut rng,
                &mut x,
                fx,
                i,
                widths[i],
                options.max_steps_out,
            )?;
            moved[i] += (x[i] - before).abs();
        }
        if sweep < options.warmup && options.adapt {
            counted_sweeps += 1;
            for (w, m) in widths.iter_mut().zip(&moved) {
                let mean = m / counted_sweeps as f64;
                if mean > 0.0 {
                    *w = (2.0 * mean).clamp(MIN_WIDTH, MAX_WIDTH);
                }
            }
            if sweep + 1 == options.warmup / 2 {
                moved.fill(0.0);
                counted_sweeps = 0;
            }
        }
        if sweep >= options.warmup {
            let s = sweep - options.warmup + 1;
            if s.is_multiple_of(options.thinning) && s / options.thinning <= kept {
                draws
                    .row_mut(s / options.thinning - 1)
                    .assign(&ndarray::aview1(&x));
                log_densities.push(fx);
            }
        }
    }
    Ok(Chain { draws, log_densities, widths, evaluations: counted.evaluations })
}
