//! Effort that grows with a budget: [`optimize_acqf`] run in rounds of growing size, the
//! best end point over every round kept.
//!
//! Round 0 is one call of [`optimize_acqf`] with the given [`AcqfOptions`] — R restarts from
//! N raw samples (BoTorch's 10 and 512 by default). Round k ≥ 1 is another call with
//! R·2ᵏ⁻¹ restarts from N·2ᵏ⁻¹ fresh Sobol points (a new scrambling, from a seed derived
//! from the options' seed and k), and the same anchors, so the survey around the best
//! observations is repeated at the round's size. After round k the totals are R·2ᵏ restarts
//! from N·2ᵏ raw samples: that is *level* k of the [`ladder`], and each level costs about
//! as much as all the levels below it together.
//!
//! The rounds do not depend on each other, so level k is the same computation however it
//! was reached: [`Effort::Fixed`]`(k)` runs rounds 0 to k, and [`Effort::Allowance`] runs
//! rounds while the next one is predicted to fit in the time left, then reports the level it
//! reached — [`Effort::Fixed`] at that level repeats its result exactly. The candidate is
//! the best end point of all the rounds run (the earliest of equal values), so a higher
//! level never returns a lower acquisition value than a lower one.

use super::{optimize_acqf, AcqfOptions, Optimised};
use crate::acquisition::AcquisitionFunction;
use crate::{Bounds, Error, Result};
use std::time::Instant;

/// The highest level of the [`ladder`]: R·2¹⁰ restarts from N·2¹⁰ raw samples (10 240
/// restarts from 524 288 points with BoTorch's 10 and 512).
pub const MAX_LEVEL: usize = 10;

/// How much acquisition optimisation to spend on one candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effort {
    /// Run the [`ladder`] up to this level (0 to [`MAX_LEVEL`]): deterministic for a seed,
    /// whatever it takes. `Fixed(0)` is one plain call of [`optimize_acqf`].
    Fixed(usize),
    /// Spend up to this many seconds of wall-clock time: run levels while the next one's
    /// predicted time — its size times the seconds per unit of size measured on the
    /// rounds so far — fits in what is left, up to [`MAX_LEVEL`]. Level 0 is always run,
    /// however short the allowance. **The level reached depends on the clock** (the
    /// machine, its load): the result is reproducible only through the level it reports,
    /// given to [`Effort::Fixed`].
    Allowance(f64),
}

impl Effort {
    /// Checks the effort.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a level above [`MAX_LEVEL`] and for an allowance that is
    /// not a positive finite number of seconds.
    pub fn check(&self) -> Result<()> {
        match *self {
            Effort::Fixed(level) if level > MAX_LEVEL => Err(Error::InvalidInput {
                context: "Effort",
                reason: format!("level {level} is above the highest, {MAX_LEVEL}"),
            }),
            Effort::Allowance(s) if !(s > 0.0 && s.is_finite()) => {
                Err(Error::InvalidInput {
                    context: "Effort",
                    reason: format!(
                        "an allowance must be a positive number of seconds, got {s}"
                    ),
                })
            }
            _ => Ok(()),
        }
    }
}

/// One level of the [`ladder`]: the totals after its rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rung {
    /// The level k.
    pub level: usize,
    /// Local runs in all: R·2ᵏ.
    pub restarts: usize,
    /// Sobol points surveyed in all: N·2ᵏ (as many again around the anchors, if any).
    pub raw_samples: usize,
}

/// The levels 0 to `top` for the restarts R and raw samples N of `base`: R·2ᵏ restarts from
/// N·2ᵏ raw samples at level k.
///
/// # Errors
/// [`Error::InvalidInput`] for `top` above [`MAX_LEVEL`], for no restarts or fewer raw
/// samples than restarts in `base`, and for totals too large to count.
pub fn ladder(base: &AcqfOptions, top: usize) -> Result<Vec<Rung>> {
    check_base(base)?;
    Effort::Fixed(top).check()?;
    (0..=top)
        .map(|level| {
            let (restarts, raw_samples) = doubled(base, level).ok_or_else(|| {
                Error::InvalidInput {
                    context: "ladder",
                    reason: format!(
                        "{} restarts from {} raw samples are too many to double {level} \
                         times",
                        base.restarts, base.raw_samples
                    ),
                }
            })?;
            Ok(Rung { level, restarts, raw_samples })
        })
        .collect()
}

/// One round of the ladder, as it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Local runs in this round.
    pub restarts: usize,
    /// Sobol points surveyed in this round.
    pub raw_samples: usize,
    /// The best acquisition value this round found on its own, or why it failed.
    pub value: std::result::Result<f64, String>,
    /// Wall-clock seconds the round took.
    pub seconds: f64,
}

/// What [`optimize_acqf_with_effort`] found and spent.
#[derive(Debug, Clone, PartialEq)]
pub struct Spent {
    /// The best end point over every round, with every round's local runs in order and
    /// every failed attempt's reason.
    pub found: Optimised,
    /// The level reached: the last round run.
    pub level: usize,
    /// The rounds, in order (level + 1 of them).
    pub rounds: Vec<Round>,
}

/// Maximises `acqf` over `bounds` with the ladder's rounds (see the module's
/// documentation), from the restarts, raw samples, seed and anchors of `options`; an
/// [`Effort::Allowance`] counts from the call.
///
/// # Errors
/// [`Effort::check`]'s errors; [`optimize_acqf`]'s for round 0 (a later round that fails
/// is recorded in [`Round::value`] and [`Optimised::retried`], and the best of the other
/// rounds stands); [`Error::InvalidInput`] for a ladder too large to count.
pub fn optimize_acqf_with_effort(
    acqf: &dyn AcquisitionFunction,
    bounds: &Bounds,
    options: &AcqfOptions,
    effort: Effort,
) -> Result<Spent> {
    optimize_acqf_since(acqf, bounds, options, effort, Instant::now())
}

/// As [`optimize_acqf_with_effort`], with an allowance counted from `started` (the loop
/// counts its model fit against the allowance too). Once the allowance has run out, level 0
/// alone is run.
pub(crate) fn optimize_acqf_since(
    acqf: &dyn AcquisitionFunction,
    bounds: &Bounds,
    options: &AcqfOptions,
    effort: Effort,
    started: Instant,
) -> Result<Spent> {
    effort.check()?;
    let top = match effort {
        Effort::Fixed(level) => level,
        Effort::Allowance(_) => MAX_LEVEL,
    };
    let rungs = ladder(options, top)?;
    let mut best: Option<Optimised> = None;
    let mut rounds: Vec<Round> = Vec::with_capacity(rungs.len());
    let (mut runs, mut retried) = (Vec::new(), Vec::new());
    for level in 0..=top {
        let (restarts, raw_samples) = round_size(&rungs, level);
        if let (Effort::Allowance(allowance), Some(_)) = (effort, rounds.last()) {
            // The rounds so far ran rungs[level − 1].restarts local runs (and proportionate
            // surveys) in their measured seconds; the next runs `restarts` more.
            let so_far = rounds.iter().map(|r| r.seconds).sum::<f64>();
            let predicted =
                so_far * restarts as f64 / rungs[level - 1].restarts as f64;
            if started.elapsed().as_secs_f64() + predicted > allowance {
                break;
            }
        }
        let round_options = AcqfOptions {
            restarts,
            raw_samples,
            seed: round_seed(options.seed, level),
            ..options.clone()
        };
        let clock = Instant::now();
        let found = optimize_acqf(acqf, bounds, &round_options);
        let seconds = clock.elapsed().as_secs_f64();
        let value = match found {
            Ok(found) => {
                let value = found.value;
                runs.extend(found.runs.iter().cloned());
                retried.extend(
                    found.retried.iter().map(|r| format!("round {level}: {r}")),
                );
                if best.as_ref().is_none_or(|b| found.value > b.value) {
                    best = Some(found);
                }
                Ok(value)
            }
            Err(e) if level == 0 => return Err(e),
            Err(e) => {
                retried.push(format!("round {level}: {e}"));
                Err(e.to_string())
            }
        };
        rounds.push(Round { restarts, raw_samples, value, seconds });
    }
    let best = best.ok_or(Error::Empty { context: "optimize_acqf_with_effort" })?;
    Ok(Spent {
        found: Optimised { runs, retried, ..best },
        level: rounds.len() - 1,
        rounds,
    })
}

/// The base options' restarts and raw samples, checked as [`optimize_acqf`] checks them.
fn check_base(base: &AcqfOptions) -> Result<()> {
    if base.restarts == 0 || base.raw_samples < base.restarts {
        return Err(Error::InvalidInput {
            context: "ladder",
            reason: format!(
                "{} restarts from {} raw samples: at least one restart, and at least as \
                 many raw samples as restarts, are needed",
                base.restarts, base.raw_samples
            ),
        });
    }
    Ok(())
}

/// R·2ᵏ and N·2ᵏ, if they can be counted.
fn doubled(base: &AcqfOptions, level: usize) -> Option<(usize, usize)> {
    let factor = 1usize.checked_shl(u32::try_from(level).ok()?)?;
    Some((
        base.restarts.checked_mul(factor)?,
        base.raw_samples.checked_mul(factor)?,
    ))
}

/// Round k's own size: level 0's totals for k = 0, else level k's less level k − 1's.
fn round_size(rungs: &[Rung], level: usize) -> (usize, usize) {
    match level {
        0 => (rungs[0].restarts, rungs[0].raw_samples),
        k => (
            rungs[k].restarts - rungs[k - 1].restarts,
            rungs[k].raw_samples - rungs[k - 1].raw_samples,
        ),
    }
}

/// Round k's seed: the options' own for round 0 (so that level 0 is [`optimize_acqf`]
/// itself), a well-mixed other one for each later round.
fn round_seed(seed: u64, level: usize) -> u64 {
    seed ^ (level as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquisition::{Acquisition, Analytic, Direction};
    use crate::gp::{fit, FitOptions};
    use crate::sampling::draw_sobol_samples;
    use crate::test_functions::{Hartmann6, TestProblem};

    #[test]
    fn the_ladder_doubles_restarts_and_raw_samples_together() {
        let rungs = ladder(&AcqfOptions::default(), 3).unwrap();
        let totals: Vec<_> =
            rungs.iter().map(|r| (r.level, r.restarts, r.raw_samples)).collect();
        assert_eq!(
            totals,
            [(0, 10, 512), (1, 20, 1024), (2, 40, 2048), (3, 80, 4096)]
        );
        // Each round adds what the levels below it hold together.
        let sizes: Vec<_> = (0..=3).map(|k| round_size(&rungs, k)).collect();
        assert_eq!(sizes, [(10, 512), (10, 512), (20, 1024), (40, 2048)]);
        let top = ladder(&AcqfOptions::default(), MAX_LEVEL).unwrap();
        assert_eq!(
            (top[MAX_LEVEL].restarts, top[MAX_LEVEL].raw_samples),
            (10240, 524288)
        );
        // The ladder starts from the options given.
        let small =
            AcqfOptions { restarts: 3, raw_samples: 7, ..AcqfOptions::default() };
        assert_eq!(
            ladder(&small, 1).unwrap()[1],
            Rung { level: 1, restarts: 6, raw_samples: 14 }
        );
        // Invalid ladders and efforts.
        let invalid =
            |r: Result<Vec<Rung>>| matches!(r, Err(Error::InvalidInput { .. }));
        assert!(invalid(ladder(&AcqfOptions::default(), MAX_LEVEL + 1)));
        assert!(invalid(ladder(&AcqfOptions { restarts: 0, ..small.clone() }, 1)));
        assert!(invalid(ladder(
            &AcqfOptions { raw_samples: 2, ..small.clone() },
            1
        )));
        let huge = AcqfOptions {
            restarts: usize::MAX / 4,
            raw_samples: usize::MAX / 2,
            ..small
        };
        assert!(invalid(ladder(&huge, 3)));
        for bad in [
            Effort::Fixed(MAX_LEVEL + 1),
            Effort::Allowance(0.0),
            Effort::Allowance(-1.0),
            Effort::Allowance(f64::NAN),
            Effort::Allowance(f64::INFINITY),
        ] {
            assert!(
                matches!(bad.check(), Err(Error::InvalidInput { .. })),
                "{bad:?}"
            );
        }
        assert!(Effort::Fixed(MAX_LEVEL).check().is_ok());
        assert!(Effort::Allowance(1e-9).check().is_ok());
    }

    /// Runs `check` on LogEI of a GP fitted to 12 Sobol points of Hartmann-6 (minimised),
    /// with the function's box.
    fn on_hartmann_logei(check: impl FnOnce(&dyn AcquisitionFunction, &Bounds)) {
        let h = Hartmann6::new();
        let x = draw_sobol_samples(h.bounds(), 12, 3).unwrap();
        let y = h.values(x.view()).unwrap();
        let options = FitOptions {
            input_bounds: Some(h.bounds().clone()),
            ..FitOptions::single_task(6)
        };
        let model = fit(x.view(), &y, &options).unwrap();
        let best = y.iter().copied().fold(f64::INFINITY, f64::min);
        let a = Analytic::new(
            &model,
            Acquisition::LogExpectedImprovement { best },
            Direction::Minimise,
        )
        .unwrap();
        check(&a, h.bounds());
    }

    #[test]
    fn fixed_levels_are_deterministic_prefixes_whose_value_never_falls() {
        on_hartmann_logei(|a, bounds| {
            let options = AcqfOptions {
                restarts: 4,
                raw_samples: 64,
                ..AcqfOptions::default()
            };
            let spent: Vec<Spent> = (0..=4)
                .map(|k| {
                    optimize_acqf_with_effort(a, bounds, &options, Effort::Fixed(k))
                        .unwrap()
                })
                .collect();
            // Level 0 is optimize_acqf itself.
            assert_eq!(spent[0].found, optimize_acqf(a, bounds, &options).unwrap());
            for (k, s) in spent.iter().enumerate() {
                assert_eq!(s.level, k);
                assert_eq!(s.rounds.len(), k + 1);
                // 4·2ᵏ local runs in all, and the same result on a second call.
                assert_eq!(s.found.runs.len(), 4 << k);
                let again = optimize_acqf_with_effort(
                    a,
                    bounds,
                    &options,
                    Effort::Fixed(k),
                )
                .unwrap();
                assert_eq!(again.found, s.found);
                // Level k's rounds are level k + 1's first rounds, and the value is the best
                // of its rounds'.
                if k > 0 {
                    assert_eq!(
                        s.rounds
                            .iter()
                            .map(|r| r.value.clone())
                            .collect::<Vec<_>>(),
                        spent[4].rounds[..=k]
                            .iter()
                            .map(|r| r.value.clone())
                            .collect::<Vec<_>>()
                    );
                    assert!(s.found.value >= spent[k - 1].found.value);
                }
                let top = s.rounds.iter().filter_map(|r| r.value.clone().ok());
                assert_eq!(s.found.value, top.fold(f64::NEG_INFINITY, f64::max));
                // The value is the function's at the point (batched evaluation may differ
                // in the last bit).
                let at = a
                    .values(s.found.x.view().insert_axis(ndarray::Axis(0)))
                    .unwrap();
                assert!((at[0] - s.found.value).abs() <= 1e-12 * at[0].abs());
            }
            // Later rounds survey other points: some round beats round 0 on this function.
            let values: Vec<f64> =
                spent[4].rounds.iter().map(|r| r.value.clone().unwrap()).collect();
            assert!(values.iter().any(|v| *v != values[0]), "{values:?}");
        });
    }

    #[test]
    fn an_allowance_reports_a_level_that_fixed_repeats() {
        on_hartmann_logei(|a, bounds| {
            let options = AcqfOptions {
                restarts: 2,
                raw_samples: 32,
                ..AcqfOptions::default()
            };
            let one =
                optimize_acqf_with_effort(a, bounds, &options, Effort::Fixed(0))
                    .unwrap();
            // A generous allowance goes past level 0; a tiny one stops there.
            let allowance = 20.0 * one.rounds[0].seconds + 0.02;
            let spent = optimize_acqf_with_effort(
                a,
                bounds,
                &options,
                Effort::Allowance(allowance),
            )
            .unwrap();
            assert!(spent.level >= 1, "level {} in {allowance} s", spent.level);
            let fixed = optimize_acqf_with_effort(
                a,
                bounds,
                &options,
                Effort::Fixed(spent.level),
            )
            .unwrap();
            assert_eq!(fixed.found, spent.found);
            let tiny = optimize_acqf_with_effort(
                a,
                bounds,
                &options,
                Effort::Allowance(1e-9),
            )
            .unwrap();
            assert_eq!((tiny.level, tiny.found), (0, one.found));
            // Bad allowances are errors, not a level-0 run.
            for bad in [0.0, -0.5, f64::NAN] {
                assert!(matches!(
                    optimize_acqf_with_effort(
                        a,
                        bounds,
                        &options,
                        Effort::Allowance(bad)
                    ),
                    Err(Error::InvalidInput { .. })
                ));
            }
        });
    }
}
