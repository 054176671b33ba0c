//! Contexts: an input the world **gives** — the light intensity of the day, the feedstock
//! that arrived — which moves the best design but is neither chosen nor paid for.
//!
//! The model is an ordinary GP on the augmented input [x, c] (fit it with
//! [`crate::gp::fit`]). For each context that arrives the loop chooses x on the slice at that
//! c ([`choose`]); to act in a context the model recommends x\*(c), the argmax of the
//! posterior mean over the designs at c ([`recommend`]); and a recommendation is judged by
//! its regret at that context ([`regret`]). A model of [x, c] knows only the contexts its
//! data span, so a [`ContextRange`] says which contexts are allowed, and a context outside
//! it is an error.

use crate::acquisition::Acquisition;
use crate::augmented::{best_on_slice, SliceBest};
use crate::models::Model;
use crate::{Error, Result};

/// The contexts a model may be asked about: a closed interval [lo, hi].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContextRange {
    lo: f64,
    hi: f64,
}

impl ContextRange {
    /// The contexts [`lo`, `hi`].
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite end, [`Error::InvalidInput`] for lo > hi.
    pub fn new(lo: f64, hi: f64) -> Result<Self> {
        if !lo.is_finite() || !hi.is_finite() {
            return Err(Error::NonFinite { context: "ContextRange" });
        }
        if lo > hi {
            return Err(Error::InvalidInput {
                context: "ContextRange",
                reason: format!("the range [{lo}, {hi}] is empty"),
            });
        }
        Ok(ContextRange { lo, hi })
    }

    /// The unit interval [0, 1].
    pub fn unit() -> Self {
        ContextRange { lo: 0.0, hi: 1.0 }
    }

    /// The lower end.
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// The upper end.
    pub fn hi(&self) -> f64 {
        self.hi
    }

    /// `c` itself if it is a context of the range.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite c, [`Error::InvalidInput`] for a c outside
    /// [lo, hi].
    pub fn check(&self, c: f64) -> Result<f64> {
        if !c.is_finite() {
            return Err(Error::NonFinite { context: "ContextRange: the context" });
        }
        if c < self.lo || c > self.hi {
            return Err(Error::InvalidInput {
                context: "ContextRange",
                reason: format!(
                    "the context {c} lies outside [{}, {}]",
                    self.lo, self.hi
                ),
            });
        }
        Ok(c)
    }
}

/// The design to evaluate in context `c`: the argmax over `designs` of `acquisition` at
/// [x, c] (for maximisation).
///
/// # Errors
/// [`ContextRange::check`]'s errors for c; as for [`best_on_slice`].
pub fn choose<M: Model + ?Sized>(
    model: &M,
    designs: &[f64],
    range: &ContextRange,
    c: f64,
    acquisition: Acquisition,
) -> Result<SliceBest> {
    best_on_slice(model, designs, range.check(c)?, acquisition)
}

/// The recommendation x\*(c) for context `c`: the argmax over `designs` of the posterior
/// mean at [x, c].
///
/// # Errors
/// As for [`choose`].
pub fn recommend<M: Model + ?Sized>(
    model: &M,
    designs: &[f64],
    range: &ContextRange,
    c: f64,
) -> Result<SliceBest> {
    choose(model, designs, range, c, Acquisition::PosteriorMean)
}

/// A recommendation judged against the truth at one context.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Regret {
    /// The context c.
    pub context: f64,
    /// The best design over the designs, by the true function.
    pub best_x: f64,
    /// The true value there, max_x g(x, c).
    pub best_value: f64,
    /// The recommended design.
    pub x: f64,
    /// The true value at the recommendation, g(x, c).
    pub value: f64,
    /// max_x g(x, c) − g(x_rec, c) ≥ 0 when the recommendation is one of the designs.
    pub regret: f64,
}

/// The regret of recommending `x` at context `c`, against the best of `designs` by the true
/// function `truth(x, c)` (first on ties).
///
/// # Errors
/// [`ContextRange::check`]'s errors for c; [`Error::Empty`] for no designs;
/// [`Error::NonFinite`] for a non-finite design, x, or value of `truth`.
pub fn regret(
    truth: impl Fn(f64, f64) -> f64,
    designs: &[f64],
    range: &ContextRange,
    c: f64,
    x: f64,
) -> Result<Regret> {
    let c = range.check(c)?;
    if designs.is_empty() {
        return Err(Error::Empty { context: "regret: the designs" });
    }
    if !x.is_finite() {
        return Err(Error::NonFinite { context: "regret: the recommendation" });
    }
    let mut best: Option<(f64, f64)> = None;
    for &d in designs {
        let v = truth(d, c);
        if !d.is_finite() || !v.is_finite() {
            return Err(Error::NonFinite {
                context: "regret: the designs or their values",
            });
        }
        if best.is_none_or(|(_, b)| v > b) {
            best = Some((d, v));
        }
    }
    let (best_x, best_value) =
        best.ok_or(Error::Empty { context: "regret: the designs" })?;
    let value = truth(x, c);
    if !value.is_finite() {
        return Err(Error::NonFinite {
            context: "regret: the value at the recommendation",
        });
    }
    Ok(Regret {
        context: c,
        best_x,
        best_value,
        x,
        value,
        regret: best_value - value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{Gp, Hyperparameters, Kernel, KernelKind};
    use crate::test_functions::cocatalyst::{contextual, grid};
    use ndarray::{array, Array1, Array2};

    #[test]
    fn a_context_outside_its_range_is_an_error() {
        let r = ContextRange::unit();
        assert_eq!(r.check(0.0), Ok(0.0));
        assert_eq!(r.check(1.0), Ok(1.0));
        assert!(matches!(r.check(1.01), Err(Error::InvalidInput { .. })));
        assert!(matches!(r.check(-0.5), Err(Error::InvalidInput { .. })));
        assert!(matches!(r.check(f64::NAN), Err(Error::NonFinite { .. })));
        assert!(matches!(
            ContextRange::new(1.0, 0.0),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            ContextRange::new(0.0, f64::NAN),
            Err(Error::NonFinite { .. })
        ));
        assert_eq!(ContextRange::new(0.2, 0.2).unwrap().lo(), 0.2);
    }

    #[test]
    fn regret_is_the_gap_to_the_grid_optimum_of_the_truth() {
        let xs = grid();
        let r = ContextRange::unit();
        // The course's six test contexts: grid optima (recomputed check values).
        let g = regret(contextual, &xs, &r, 0.6, 0.575150).unwrap();
        assert!(
            (g.best_x - 0.575150).abs() < 5e-7
                && (g.best_value - 1.461868).abs() < 5e-7
        );
        assert!(g.regret.abs() < 1e-6);
        // At c = 1 the design 0.7395 (the course's recommendation) loses 0.0952.
        let g = regret(contextual, &xs, &r, 1.0, 0.7395).unwrap();
        assert!((g.regret - 0.0952).abs() < 1e-3, "{}", g.regret);
        assert!((g.value + g.regret - g.best_value).abs() < 1e-15);
        assert!(regret(contextual, &xs, &r, 1.2, 0.5).is_err());
        assert!(regret(contextual, &[], &r, 0.5, 0.5).is_err());
        assert!(regret(contextual, &xs, &r, 0.5, f64::NAN).is_err());
        assert!(regret(|_, _| f64::NAN, &xs, &r, 0.5, 0.5).is_err());
    }

    #[test]
    fn the_recommendation_follows_the_context() {
        // A GP interpolating g on a 9 × 9 grid of (x, c), with lengthscales short enough
        // to follow it: the recommendation at each context is near the true grid optimum.
        let pts: Vec<(f64, f64)> =
            (0..81).map(|k| ((k / 9) as f64 / 8.0, (k % 9) as f64 / 8.0)).collect();
        let x = Array2::from_shape_fn((81, 2), |(i, j)| {
            if j == 0 {
                pts[i].0
            } else {
                pts[i].1
            }
        });
        let y: Array1<f64> = pts.iter().map(|&(a, c)| contextual(a, c)).collect();
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.12, 0.3], 0.25)
                .unwrap();
        let mean = y.mean().unwrap();
        let gp =
            Gp::new(x, y, Hyperparameters { kernel, noise: 1e-6, mean }).unwrap();
        let xs = grid();
        let range = ContextRange::unit();
        for c in [0.25, 0.5, 0.75] {
            let rec = recommend(&gp, &xs, &range, c).unwrap();
            let g = regret(contextual, &xs, &range, c, rec.x).unwrap();
            assert!(g.regret < 0.02, "c = {c}: {g:?}");
        }
        let ucb = Acquisition::UpperConfidenceBound { beta: 2.25 };
        let pick = choose(&gp, &xs, &range, 0.5, ucb).unwrap();
        assert!((pick.value - (pick.mean + 1.5 * pick.sd)).abs() < 1e-15);
        assert!(recommend(&gp, &xs, &range, 1.5).is_err());
    }
}
