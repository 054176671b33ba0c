//! Replication as a decision: evaluate the best-looking observed point again, or explore.
//!
//! With noisy observations, a point that looks best may owe it to one lucky draw. Each step,
//! [`ReplicationRule::decide`] finds the observed input with the best posterior mean (the
//! [model-based incumbent](super::model_incumbent)), its posterior standard deviation s and
//! its repeat count n (observed inputs within a tolerance of it), and replicates it if
//!
//! - *confirm*: it has been seen fewer than `confirm_repeats` times and s > `confirm_sd`, or
//! - *uncertain*: s > `uncertain_sd`,
//!
//! and it has been evaluated fewer than `max_repeats` times; otherwise the step explores
//! (the caller's acquisition function chooses a new point). The defaults are 3, 0.05, 0.10
//! and 5 with a tolerance of 10⁻⁴; the standard deviations are in the objective's units.

use super::incumbent::{model_incumbent, repeat_count, Incumbent};
use crate::acquisition::Direction;
use crate::models::Model;
use crate::{Error, Result};
use ndarray::{Array1, ArrayView2};

/// The thresholds of the replication rule (see the module).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplicationRule {
    /// Inputs within this distance in every coordinate count as the same point (10⁻⁴).
    pub tolerance: f64,
    /// Confirm a point seen fewer than this many times (3)…
    pub confirm_repeats: usize,
    /// …while its posterior standard deviation exceeds this (0.05).
    pub confirm_sd: f64,
    /// Replicate any incumbent whose posterior standard deviation exceeds this (0.10).
    pub uncertain_sd: f64,
    /// Never evaluate one point more than this many times (5).
    pub max_repeats: usize,
}

impl Default for ReplicationRule {
    fn default() -> Self {
        ReplicationRule {
            tolerance: 1e-4,
            confirm_repeats: 3,
            confirm_sd: 0.05,
            uncertain_sd: 0.10,
            max_repeats: 5,
        }
    }
}

/// What to do this step.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Evaluate this observed input again.
    Replicate(Array1<f64>),
    /// Evaluate a new point, chosen by the acquisition function.
    Explore,
}

/// Why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Seen fewer than `confirm_repeats` times, with s above `confirm_sd`.
    Confirm,
    /// s above `uncertain_sd`.
    Uncertain,
    /// It would be replicated, but it has been evaluated `max_repeats` times already.
    RepeatLimit,
    /// Neither to confirm nor uncertain: the model is sure enough of it.
    Settled,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reason::Confirm => "confirm: few repeats and not yet certain",
            Reason::Uncertain => {
                "uncertain: posterior standard deviation still large"
            }
            Reason::RepeatLimit => "repeat limit reached",
            Reason::Settled => "settled: certain enough",
        })
    }
}

/// The rule's decision, with what it was based on.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Replicate or explore.
    pub action: Action,
    /// Why.
    pub reason: Reason,
    /// The observed input with the best posterior mean, its mean and standard deviation.
    pub incumbent: Incumbent,
    /// How many times it has been evaluated.
    pub repeats: usize,
}

impl Decision {
    /// Whether the decision is to replicate.
    pub fn replicates(&self) -> bool {
        matches!(self.action, Action::Replicate(_))
    }
}

impl ReplicationRule {
    /// Checks the thresholds: the tolerance and the standard deviations non-negative
    /// numbers, `max_repeats` at least 1.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a NaN or infinite threshold, [`Error::InvalidInput`] for a
    /// negative one or `max_repeats` = 0.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("the tolerance", self.tolerance),
            ("confirm_sd", self.confirm_sd),
            ("uncertain_sd", self.uncertain_sd),
        ] {
            if !v.is_finite() {
                return Err(Error::NonFinite {
                    context: "ReplicationRule: a threshold",
                });
            }
            if v < 0.0 {
                return Err(Error::InvalidInput {
                    context: "ReplicationRule",
                    reason: format!("{name} must be non-negative, got {v}"),
                });
            }
        }
        if self.max_repeats == 0 {
            return Err(Error::InvalidInput {
                context: "ReplicationRule",
                reason: "max_repeats must be at least 1".into(),
            });
        }
        Ok(())
    }

    /// The decision from an incumbent's standard deviation and repeat count alone.
    pub fn judge(&self, sd: f64, repeats: usize) -> (bool, Reason) {
        let confirm = repeats < self.confirm_repeats && sd > self.confirm_sd;
        let uncertain = sd > self.uncertain_sd;
        match (confirm || uncertain, repeats < self.max_repeats) {
            (false, _) => (false, Reason::Settled),
            (true, false) => (false, Reason::RepeatLimit),
            (true, true) if uncertain => (true, Reason::Uncertain),
            (true, true) => (true, Reason::Confirm),
        }
    }

    /// The decision for the observed inputs `x` (n × d, replicates as repeated rows) under
    /// `model`, for an objective optimised in `direction` (see the module).
    ///
    /// # Errors
    /// As for [`ReplicationRule::validate`] and [`model_incumbent`].
    pub fn decide(
        &self,
        model: &dyn Model,
        x: ArrayView2<'_, f64>,
        direction: Direction,
    ) -> Result<Decision> {
        self.validate()?;
        let incumbent = model_incumbent(model, x, direction)?;
        let repeats = repeat_count(x, incumbent.x.view(), self.tolerance)?;
        let (replicate, reason) = self.judge(incumbent.sd, repeats);
        let action = if replicate {
            Action::Replicate(incumbent.x.clone())
        } else {
            Action::Explore
        };
        Ok(Decision { action, reason, incumbent, repeats })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{Gp, Hyperparameters, Kernel, KernelKind};
    use ndarray::{array, Array2};

    #[test]
    fn the_rule_follows_its_thresholds() {
        let rule = ReplicationRule::default();
        // (sd, repeats) → (replicate, reason)
        let cases = [
            (0.06, 1, true, Reason::Confirm),
            (0.06, 2, true, Reason::Confirm),
            (0.06, 3, false, Reason::Settled),
            (0.04, 1, false, Reason::Settled),
            (0.12, 3, true, Reason::Uncertain),
            (0.12, 4, true, Reason::Uncertain),
            (0.12, 5, false, Reason::RepeatLimit),
            (0.05, 1, false, Reason::Settled),
            (0.10, 3, false, Reason::Settled),
        ];
        for (sd, n, replicate, reason) in cases {
            assert_eq!(rule.judge(sd, n), (replicate, reason), "sd {sd}, n {n}");
        }
        let strict = ReplicationRule { max_repeats: 2, ..rule };
        assert_eq!(strict.judge(0.06, 2), (false, Reason::RepeatLimit));
    }

    /// Independent points with known noise variance 0.0144 (σ = 0.12): n replicates of
    /// one point leave a posterior variance 1/(1 + n/0.0144) there.
    #[test]
    fn decisions_on_a_model_count_replicates_and_read_the_posterior() {
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.01], 1.0).unwrap();
        let hyper = Hyperparameters { kernel, mean: 0.0, noise: 0.0 };
        let gp_for = |x: &Array2<f64>, y: Vec<f64>| {
            let v = Array1::from_elem(y.len(), 0.0144);
            Gp::with_noise_variances(x.clone(), y.into(), hyper.clone(), v).unwrap()
        };
        let rule = ReplicationRule::default();
        for n in 1..=6 {
            let mut rows = vec![[2.0]];
            rows.extend(std::iter::repeat_n([0.0], n));
            let x = Array2::from(rows);
            let mut y = vec![0.0];
            y.extend(std::iter::repeat_n(-1.0, n));
            let gp = gp_for(&x, y);
            let d = rule.decide(&gp, x.view(), Direction::Minimise).unwrap();
            let sd = (1.0 / (1.0 + n as f64 / 0.0144)).sqrt();
            assert_eq!(d.repeats, n);
            assert_eq!(d.incumbent.x, array![0.0]);
            assert!((d.incumbent.sd - sd).abs() < 1e-9, "{n}: {}", d.incumbent.sd);
            // s = 0.119, 0.085, 0.069, 0.060, 0.054, 0.049 for n = 1…6.
            let want = match n {
                1 => (true, Reason::Uncertain),
                2 => (true, Reason::Confirm),
                3 | 4 => (false, Reason::Settled),
                _ => (false, Reason::Settled),
            };
            assert_eq!((d.replicates(), d.reason), want, "n = {n}");
            assert_eq!(d.action == Action::Explore, !want.0);
        }
    }

    #[test]
    fn bad_thresholds_are_errors() {
        let rule = ReplicationRule::default();
        assert!(rule.validate().is_ok());
        for bad in [
            ReplicationRule { tolerance: -1.0, ..rule },
            ReplicationRule { confirm_sd: f64::NAN, ..rule },
            ReplicationRule { uncertain_sd: -0.1, ..rule },
            ReplicationRule { uncertain_sd: f64::INFINITY, ..rule },
            ReplicationRule { max_repeats: 0, ..rule },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
        assert_eq!(Reason::RepeatLimit.to_string(), "repeat limit reached");
    }
}
