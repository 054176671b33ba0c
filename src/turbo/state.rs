//! The trust region's state: its side length and the success and failure counters that
//! grow and shrink it (TuRBO-1, Eriksson et al., 2019).

use crate::{Error, Result};

/// The settings of a trust region, in the unit cube of the inputs.
///
/// The defaults are those of the TuRBO paper (Eriksson et al., 2019, "Scalable global
/// optimization via local Bayesian optimization", NeurIPS) as BoTorch's TuRBO-1 tutorial
/// (`tutorials/turbo_1`) sets them: L₀ = 0.8, L_min = 0.5⁷, L_max = 1.6, a success
/// tolerance of 10 (the tutorial's value; the paper uses 3) and a failure tolerance of
/// ⌈max(4/q, d/q)⌉ for batches of q points in d dimensions (both the paper and the
/// tutorial), and a "success" being an improvement on the region's best value by more than
/// 10⁻³·|best|.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionOptions {
    /// The side length L a region starts with (0.8).
    pub length_init: f64,
    /// Below this side length the region has converged and restarts (0.5⁷ = 0.0078125).
    pub length_min: f64,
    /// Expansion stops at this side length (1.6).
    pub length_max: f64,
    /// Consecutive successful batches that double L (10).
    pub success_tolerance: usize,
    /// Consecutive failed batches that halve L; `None` (the default) for ⌈max(4/q, d/q)⌉.
    pub failure_tolerance: Option<usize>,
    /// A batch succeeds if its best value beats the region's best by more than this times
    /// |best| (10⁻³).
    pub relative_improvement: f64,
}

impl Default for RegionOptions {
    fn default() -> Self {
        RegionOptions {
            length_init: 0.8,
            length_min: 0.5f64.powi(7),
            length_max: 1.6,
            success_tolerance: 10,
            failure_tolerance: None,
            relative_improvement: 1e-3,
        }
    }
}

impl RegionOptions {
    /// Checks the settings.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite length or threshold, [`Error::InvalidInput`]
    /// unless 0 < L_min ≤ L₀ ≤ L_max, the tolerances are at least 1 and the relative
    /// improvement is non-negative.
    pub fn validate(&self) -> Result<()> {
        let context = "RegionOptions";
        let numbers = [
            self.length_init,
            self.length_min,
            self.length_max,
            self.relative_improvement,
        ];
        if numbers.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context });
        }
        let invalid = |reason: String| Err(Error::InvalidInput { context, reason });
        if !(0.0 < self.length_min
            && self.length_min <= self.length_init
            && self.length_init <= self.length_max)
        {
            return invalid(format!(
                "the lengths must satisfy 0 < L_min ≤ L_init ≤ L_max, got {}, {}, {}",
                self.length_min, self.length_init, self.length_max
            ));
        }
        if self.success_tolerance == 0 || self.failure_tolerance == Some(0) {
            return invalid("the tolerances must be at least 1".into());
        }
        if self.relative_improvement < 0.0 {
            return invalid(format!(
                "the relative improvement must be non-negative, got {}",
                self.relative_improvement
            ));
        }
        Ok(())
    }
}

/// ⌈max(4/q, d/q)⌉: the failure tolerance of the TuRBO paper and BoTorch's tutorial for
/// batches of q points in d dimensions.
///
/// # Errors
/// [`Error::InvalidInput`] for q = 0 or d = 0.
pub fn failure_tolerance(dim: usize, q: usize) -> Result<usize> {
    if q == 0 || dim == 0 {
        return Err(Error::InvalidInput {
            context: "failure_tolerance",
            reason: format!("q and d must be positive, got q = {q}, d = {dim}"),
        });
    }
    // ⌈max(4, d)/q⌉ in integers.
    Ok(dim.max(4).div_ceil(q))
}

/// What one batch did to the region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The batch improved the best value; the counters moved, L did not.
    Success,
    /// The batch did not improve; the counters moved, L did not.
    Failure,
    /// Enough successes in a row: L doubled (at most to L_max).
    Expanded,
    /// Enough failures in a row: L halved.
    Shrunk,
}

/// The state of one trust region in the unit cube: side length L, counters and the best
/// value seen in it, for maximisation (a minimising caller passes −y).
///
/// [`update`](TrustRegion::update) is the tutorial's `update_state`: a batch whose best
/// value beats the region's best by more than 10⁻³·|best| is a success (the success
/// counter goes up and the failure counter to 0), anything else a failure (the other way
/// round); at the success tolerance L doubles, capped at L_max, and at the failure
/// tolerance it halves, the counter then starting again from 0. When L falls below L_min
/// the region has converged: [`needs_restart`](TrustRegion::needs_restart) turns true and
/// [`restart`](TrustRegion::restart) resets it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustRegion {
    options: RegionOptions,
    dim: usize,
    failure_tolerance: usize,
    length: f64,
    successes: usize,
    failures: usize,
    best: Option<f64>,
}

impl TrustRegion {
    /// A fresh region (L = L₀, counters 0, no best value yet) for batches of `q` points in
    /// `dim` dimensions.
    ///
    /// # Errors
    /// As for [`RegionOptions::validate`]; [`Error::InvalidInput`] for q = 0 or d = 0.
    pub fn new(dim: usize, q: usize, options: RegionOptions) -> Result<Self> {
        options.validate()?;
        let from_batch = failure_tolerance(dim, q)?;
        let failure_tolerance = options.failure_tolerance.unwrap_or(from_batch);
        Ok(TrustRegion {
            options,
            dim,
            failure_tolerance,
            length: options.length_init,
            successes: 0,
            failures: 0,
            best: None,
        })
    }

    /// Sets the batch size the failure tolerance follows (unless the options fix it);
    /// the counters are kept.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for q = 0.
    pub fn set_batch_size(&mut self, q: usize) -> Result<()> {
        let t = failure_tolerance(self.dim, q)?;
        if self.options.failure_tolerance.is_none() {
            self.failure_tolerance = t;
        }
        Ok(())
    }

    /// Records values observed without being a batch of the region (an initial design):
    /// they raise the best value and leave L and the counters alone.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a NaN or infinite value (nothing changes then).
    pub fn observe(&mut self, values: &[f64]) -> Result<()> {
        let top = batch_best(values, "TrustRegion::observe")?;
        if let Some(top) = top {
            self.best = Some(self.best.map_or(top, |b| b.max(top)));
        }
        Ok(())
    }

    /// Updates the region with the values of one batch (larger is better). Before any best
    /// value exists the batch only sets it ([`Step::Success`]).
    ///
    /// # Errors
    /// [`Error::Empty`] for no values, [`Error::NonFinite`] for a NaN or infinite one
    /// (nothing changes then).
    pub fn update(&mut self, values: &[f64]) -> Result<Step> {
        let top =
            batch_best(values, "TrustRegion::update")?.ok_or(Error::Empty {
                context: "TrustRegion::update: the batch's values",
            })?;
        let Some(best) = self.best else {
            self.best = Some(top);
            return Ok(Step::Success);
        };
        let improved = top > best + self.options.relative_improvement * best.abs();
        if improved {
            self.successes += 1;
            self.failures = 0;
        } else {
            self.successes = 0;
            self.failures += 1;
        }
        let step = if self.successes == self.options.success_tolerance {
            self.length = (2.0 * self.length).min(self.options.length_max);
            self.successes = 0;
            Step::Expanded
        } else if self.failures == self.failure_tolerance {
            self.length /= 2.0;
            self.failures = 0;
            Step::Shrunk
        } else if improved {
            Step::Success
        } else {
            Step::Failure
        };
        self.best = Some(best.max(top));
        Ok(step)
    }

    /// Whether L has fallen below L_min: the region has converged and should restart.
    pub fn needs_restart(&self) -> bool {
        self.length < self.options.length_min
    }

    /// Resets the region: L = L₀, counters 0, no best value.
    pub fn restart(&mut self) {
        self.length = self.options.length_init;
        self.successes = 0;
        self.failures = 0;
        self.best = None;
    }

    /// The side length L.
    pub fn length(&self) -> f64 {
        self.length
    }

    /// Consecutive successful batches since L last changed or a failure.
    pub fn successes(&self) -> usize {
        self.successes
    }

    /// Consecutive failed batches since L last changed or a success.
    pub fn failures(&self) -> usize {
        self.failures
    }

    /// The failure tolerance in force.
    pub fn failure_tolerance(&self) -> usize {
        self.failure_tolerance
    }

    /// The success tolerance.
    pub fn success_tolerance(&self) -> usize {
        self.options.success_tolerance
    }

    /// The best value seen in this region (since its last restart), if any.
    pub fn best(&self) -> Option<f64> {
        self.best
    }

    /// The settings.
    pub fn options(&self) -> &RegionOptions {
        &self.options
    }
}

/// The largest of `values` (`None` for none), refusing NaN and infinity.
fn batch_best(values: &[f64], context: &'static str) -> Result<Option<f64>> {
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    Ok(values.iter().copied().reduce(f64::max))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(dim: usize, q: usize) -> TrustRegion {
        TrustRegion::new(dim, q, RegionOptions::default()).unwrap()
    }

    #[test]
    fn the_tolerances_are_the_paper_s() {
        // ⌈max(4/q, d/q)⌉: the tutorial's Ackley-20 with q = 4 prints 5.
        assert_eq!(failure_tolerance(20, 4).unwrap(), 5);
        assert_eq!(failure_tolerance(10, 1).unwrap(), 10);
        assert_eq!(failure_tolerance(10, 3).unwrap(), 4);
        assert_eq!(failure_tolerance(2, 1).unwrap(), 4);
        assert_eq!(failure_tolerance(2, 8).unwrap(), 1);
        assert_eq!(failure_tolerance(30, 7).unwrap(), 5);
        assert!(failure_tolerance(10, 0).is_err());
        let r = region(20, 4);
        assert_eq!((r.failure_tolerance(), r.success_tolerance()), (5, 10));
        assert_eq!((r.length(), r.options().length_min), (0.8, 0.0078125));
    }

    #[test]
    fn the_first_batch_only_sets_the_best_value() {
        let mut r = region(5, 1);
        assert_eq!(r.update(&[1.0, 3.0]).unwrap(), Step::Success);
        assert_eq!((r.best(), r.successes(), r.failures()), (Some(3.0), 0, 0));
        r.observe(&[2.0, 4.0]).unwrap();
        assert_eq!((r.best(), r.successes(), r.failures()), (Some(4.0), 0, 0));
    }

    #[test]
    fn an_improvement_must_beat_a_thousandth_of_the_best() {
        let mut r = region(5, 1);
        r.observe(&[-10.0]).unwrap();
        // −10 + 1e-3·10 = −9.99: −9.995 is not enough, −9.98 is.
        assert_eq!(r.update(&[-9.995]).unwrap(), Step::Failure);
        assert_eq!(r.best(), Some(-9.995));
        assert_eq!(r.update(&[-9.98]).unwrap(), Step::Success);
        assert_eq!((r.successes(), r.failures()), (1, 0));
        // At a best of 0 any increase counts.
        let mut r = region(5, 1);
        r.observe(&[0.0]).unwrap();
        assert_eq!(r.update(&[1e-300]).unwrap(), Step::Success);
        assert_eq!(r.update(&[1e-300]).unwrap(), Step::Failure);
    }

    #[test]
    fn successes_double_the_length_up_to_the_cap() {
        let mut r = region(4, 1);
        r.observe(&[0.0]).unwrap();
        let mut value = 1.0;
        let mut lengths = vec![];
        for _ in 0..40 {
            let step = r.update(&[value]).unwrap();
            value *= 2.0;
            if step == Step::Expanded {
                lengths.push(r.length());
                assert_eq!(r.successes(), 0);
            }
        }
        // Every 10th success: 0.8 → 1.6, then capped at 1.6.
        assert_eq!(lengths, vec![1.6, 1.6, 1.6, 1.6]);
        // A failure resets the success counter: nine successes, a failure, nine more do not
        // expand.
        let mut r = region(4, 1);
        r.observe(&[0.0]).unwrap();
        let mut value = 1.0;
        for i in 0..19 {
            let v = if i == 9 { 0.0 } else { value };
            value *= 2.0;
            assert_ne!(r.update(&[v]).unwrap(), Step::Expanded, "batch {i}");
        }
        assert_eq!((r.length(), r.successes()), (0.8, 9));
    }

    #[test]
    fn failures_halve_the_length_until_a_restart() {
        // d = 10, q = 2: failure tolerance 5.
        let mut r = region(10, 2);
        assert_eq!(r.failure_tolerance(), 5);
        r.observe(&[1.0]).unwrap();
        let mut shrinks = 0;
        let mut batches = 0;
        while !r.needs_restart() {
            let step = r.update(&[0.5, 1.0]).unwrap();
            batches += 1;
            if step == Step::Shrunk {
                shrinks += 1;
                assert_eq!(r.failures(), 0);
                assert_eq!(r.length(), 0.8 / 2f64.powi(shrinks));
            } else {
                assert_eq!(step, Step::Failure);
                assert_eq!(r.failures(), batches % 5);
            }
        }
        // 0.8/2⁷ = 0.00625 < 0.5⁷ = 0.0078125 < 0.8/2⁶: seven halvings, 35 batches.
        assert_eq!((shrinks, batches), (7, 35));
        // A success in between resets the failure counter.
        r.restart();
        assert_eq!(
            (r.length(), r.successes(), r.failures(), r.best()),
            (0.8, 0, 0, None)
        );
        assert!(!r.needs_restart());
        r.observe(&[1.0]).unwrap();
        for _ in 0..4 {
            r.update(&[0.0]).unwrap();
        }
        assert_eq!(r.update(&[2.0]).unwrap(), Step::Success);
        assert_eq!((r.failures(), r.successes()), (0, 1));
        for _ in 0..4 {
            assert_eq!(r.update(&[0.0]).unwrap(), Step::Failure);
        }
        assert_eq!(r.update(&[0.0]).unwrap(), Step::Shrunk);
        assert_eq!(r.length(), 0.4);
    }

    #[test]
    fn the_batch_size_sets_the_failure_tolerance_unless_fixed() {
        let mut r = region(12, 1);
        assert_eq!(r.failure_tolerance(), 12);
        r.set_batch_size(5).unwrap();
        assert_eq!(r.failure_tolerance(), 3);
        assert!(r.set_batch_size(0).is_err());
        let fixed =
            RegionOptions { failure_tolerance: Some(7), ..Default::default() };
        let mut r = TrustRegion::new(12, 1, fixed).unwrap();
        r.set_batch_size(5).unwrap();
        assert_eq!(r.failure_tolerance(), 7);
    }

    #[test]
    fn bad_options_and_values_are_refused() {
        let bad = [
            RegionOptions { length_min: 0.0, ..Default::default() },
            RegionOptions { length_init: 2.0, ..Default::default() },
            RegionOptions { length_init: 0.001, ..Default::default() },
            RegionOptions { length_max: f64::NAN, ..Default::default() },
            RegionOptions { success_tolerance: 0, ..Default::default() },
            RegionOptions { failure_tolerance: Some(0), ..Default::default() },
            RegionOptions { relative_improvement: -1.0, ..Default::default() },
        ];
        for options in bad {
            assert!(TrustRegion::new(3, 1, options).is_err(), "{options:?}");
        }
        assert!(TrustRegion::new(3, 0, RegionOptions::default()).is_err());
        assert!(TrustRegion::new(0, 1, RegionOptions::default()).is_err());
        let mut r = region(3, 1);
        r.observe(&[1.0]).unwrap();
        let before = r.clone();
        assert!(r.update(&[]).is_err());
        assert!(r.update(&[2.0, f64::NAN]).is_err());
        assert!(r.observe(&[f64::INFINITY]).is_err());
        assert_eq!(r, before);
    }
}
