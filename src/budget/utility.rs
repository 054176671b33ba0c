//! Weighing an acquisition value against a price, and choosing from a pool.
//!
//! Two ways to fold cost into the choice, both fed with LogEI, the logarithm of expected
//! improvement:
//!
//! - **EI per unit cost**, EI(x)/c(x): the improvement expected for each unit spent. It is a
//!   ratio of EI, not of LogEI: LogEI is usually negative, and dividing a negative number by a
//!   larger cost brings it *closer to zero*, which would favour the expensive design.
//!   EI itself underflows to 0 far below the incumbent, so the ratio is ranked through its
//!   logarithm, ln(EI/c) = LogEI − ln c, which is finite wherever LogEI is.
//! - **LogEI − λ·cost**, an additive utility. It equals ln(EI·e^(−λc)): every extra unit of
//!   cost must be repaid by a factor e^λ in EI. Whether that is a mild or a crushing price
//!   depends on how far apart the LogEI values of the pool are — a fraction of a unit when the
//!   model predicts candidates near the incumbent, tens of units far below it, where LogEI
//!   falls like −z²/2 — so one λ can make cost decide everything in one pool and nothing in the
//!   next.

use super::cost::{check_cost, Budget};
use crate::{Error, Result};

/// A pool member: its LogEI and its cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Priced {
    /// ln EI at the candidate.
    pub log_ei: f64,
    /// What running it costs (positive).
    pub cost: f64,
}

/// A rule that folds cost into the acquisition value; larger is better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CostUtility {
    /// ln(EI/c) = LogEI − ln c: ranks as EI per unit cost.
    EiPerCost,
    /// LogEI − λ·c, with λ ≥ 0 in units of LogEI per unit cost.
    LogEiMinusCost {
        /// λ ≥ 0: how many units of LogEI one unit of cost is worth.
        lambda: f64,
    },
}

impl CostUtility {
    /// The utility of a candidate with `log_ei` = ln EI and cost `cost`.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite LogEI or λ, or a utility that overflows (λ·c
    /// beyond the double range); [`check_cost`]'s errors for the cost;
    /// [`Error::InvalidInput`] for λ < 0.
    pub fn value(&self, log_ei: f64, cost: f64) -> Result<f64> {
        if !log_ei.is_finite() {
            return Err(Error::NonFinite { context: "CostUtility: LogEI" });
        }
        let cost = check_cost(cost)?;
        let u = match *self {
            CostUtility::EiPerCost => log_ei - cost.ln(),
            CostUtility::LogEiMinusCost { lambda } => {
                if !lambda.is_finite() {
                    return Err(Error::NonFinite { context: "CostUtility: λ" });
                }
                if lambda < 0.0 {
                    return Err(Error::InvalidInput {
                        context: "CostUtility",
                        reason: format!("λ must be non-negative, got {lambda}"),
                    });
                }
                log_ei - lambda * cost
            }
        };
        if u.is_finite() {
            Ok(u)
        } else {
            Err(Error::NonFinite { context: "CostUtility: the utility overflowed" })
        }
    }
}

/// The index of the pool member to run: among those that fit the budget, the one of largest
/// utility, ties broken by the lower cost and then by the earlier position. `None` if nothing
/// fits.
///
/// # Errors
/// [`CostUtility::value`]'s errors for any member, affordable or not.
pub fn choose_affordable(
    pool: &[Priced],
    budget: &Budget,
    utility: CostUtility,
) -> Result<Option<usize>> {
    let mut best: Option<(usize, f64, f64)> = None;
    for (i, p) in pool.iter().enumerate() {
        let u = utility.value(p.log_ei, p.cost)?;
        if !budget.fits(p.cost)? {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, bu, bc)) => u > bu || (u == bu && p.cost < bc),
        };
        if better {
            best = Some((i, u, p.cost));
        }
    }
    Ok(best.map(|(i, _, _)| i))
}

/// Indices of candidates in descending order of `values`, keeping only the first (best) of
/// each distinct key and none whose key is in `taken`, until `size` are kept: a pool of
/// distinct designs from candidates that may share one. Ties in value keep the earlier
/// candidate first.
///
/// # Errors
/// [`Error::ShapeMismatch`] unless there is one value per key; [`Error::NonFinite`] for a
/// NaN or infinite value.
pub fn rank_distinct<K: PartialEq>(
    keys: &[K],
    values: &[f64],
    taken: &[K],
    size: usize,
) -> Result<Vec<usize>> {
    if keys.len() != values.len() {
        return Err(Error::ShapeMismatch {
            context: "rank_distinct: one value per key",
            expected: vec![keys.len()],
            found: vec![values.len()],
        });
    }
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "rank_distinct: values" });
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    // A stable sort: equal values keep their order.
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let mut kept: Vec<usize> = Vec::new();
    for i in order {
        if kept.len() == size {
            break;
        }
        let k = &keys[i];
        if !taken.contains(k) && !kept.iter().any(|&j| keys[j] == *k) {
            kept.push(i);
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquisition::log_expected_improvement;

    #[test]
    fn ei_per_cost_is_the_ratio_in_log_space() {
        let u = CostUtility::EiPerCost.value(0.3_f64.ln(), 1.5).unwrap();
        assert!((u.exp() - 0.2).abs() < 1e-15);
        // Far below the incumbent EI underflows but its ratio to a cost stays comparable.
        let far = log_expected_improvement(-40.0, 1.0, 0.0).value;
        assert_eq!(far.exp(), 0.0);
        let cheap = CostUtility::EiPerCost.value(far, 1.0).unwrap();
        let dear = CostUtility::EiPerCost.value(far, 10.0).unwrap();
        assert!((cheap - dear - 10f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn dividing_log_ei_by_cost_would_favour_the_expensive_design() {
        // The reason the ratio is taken on EI: LogEI = −5 for both designs, costs 1 and 10.
        // LogEI/c gives −5 and −0.5, preferring the dearer; EI/c prefers the cheaper.
        let ratio = |log_ei: f64, cost: f64| log_ei / cost;
        assert!(ratio(-5.0, 10.0) > ratio(-5.0, 1.0));
        let pool = [
            Priced { log_ei: -5.0, cost: 1.0 },
            Priced { log_ei: -5.0, cost: 10.0 },
        ];
        let budget = Budget::new(60.0, 1.0).unwrap();
        assert_eq!(
            choose_affordable(&pool, &budget, CostUtility::EiPerCost),
            Ok(Some(0))
        );
    }

    #[test]
    fn lambdas_effect_depends_on_the_log_ei_level() {
        // Two candidates with σ = 1: A costs 1.6 with a mean 0.5 below B's, B costs 12.3.
        // `gap` is how far B's mean sits below the incumbent. With λ = 1, B must beat A by
        // 10.7 in LogEI; it does only far below the incumbent, where LogEI is steep.
        let choice = |gap: f64, utility: CostUtility| {
            let a = log_expected_improvement(-gap - 0.5, 1.0, 0.0).value;
            let b = log_expected_improvement(-gap, 1.0, 0.0).value;
            let pool =
                [Priced { log_ei: a, cost: 1.6 }, Priced { log_ei: b, cost: 12.3 }];
            let budget = Budget::new(60.0, 1.0).unwrap();
            choose_affordable(&pool, &budget, utility).unwrap().unwrap()
        };
        let lambda = CostUtility::LogEiMinusCost { lambda: 1.0 };
        assert_eq!(choice(0.0, lambda), 0);
        assert_eq!(choice(5.0, lambda), 0);
        assert_eq!(choice(25.0, lambda), 1);
        // EI per cost asks B for a factor 12.3/1.6 ≈ 7.7 in EI: it switches far sooner.
        assert_eq!(choice(0.0, CostUtility::EiPerCost), 0);
        assert_eq!(choice(5.0, CostUtility::EiPerCost), 1);
    }

    #[test]
    fn the_choice_skips_what_does_not_fit_and_breaks_ties_by_cost() {
        let mut budget = Budget::new(10.0, 1.0).unwrap();
        budget.pay(6.0).unwrap();
        let pool = [
            Priced { log_ei: 0.0, cost: 5.0 },
            Priced { log_ei: -3.0, cost: 2.0 },
            Priced { log_ei: -2.0, cost: 3.0 },
        ];
        let lambda = CostUtility::LogEiMinusCost { lambda: 1.0 };
        // Utilities −5, −5, −5: the first does not fit; of the others the cheaper wins.
        assert_eq!(choose_affordable(&pool, &budget, lambda), Ok(Some(1)));
        budget.pay(3.5).unwrap();
        assert_eq!(choose_affordable(&pool, &budget, lambda), Ok(None));
    }

    #[test]
    fn bad_utilities_are_errors() {
        let bad = CostUtility::LogEiMinusCost { lambda: -1.0 };
        assert!(matches!(bad.value(0.0, 1.0), Err(Error::InvalidInput { .. })));
        let nan = CostUtility::LogEiMinusCost { lambda: f64::NAN };
        assert!(matches!(nan.value(0.0, 1.0), Err(Error::NonFinite { .. })));
        let huge = CostUtility::LogEiMinusCost { lambda: 1e300 };
        assert!(matches!(huge.value(-1e300, 1e10), Err(Error::NonFinite { .. })));
        assert!(CostUtility::EiPerCost.value(f64::NEG_INFINITY, 1.0).is_err());
        assert!(CostUtility::EiPerCost.value(0.0, 0.0).is_err());
        // Extreme but finite inputs stay finite.
        let u = CostUtility::EiPerCost.value(-f64::MAX, 1e-300).unwrap();
        assert!(u.is_finite());
    }

    #[test]
    fn rank_distinct_keeps_the_best_of_each_design() {
        let keys = ["a", "b", "a", "c", "d", "b"];
        let values = [0.1, 0.5, 0.9, 0.2, 0.2, 0.7];
        assert_eq!(rank_distinct(&keys, &values, &[], 3), Ok(vec![2, 5, 3]));
        assert_eq!(rank_distinct(&keys, &values, &["a"], 10), Ok(vec![5, 3, 4]));
        assert!(rank_distinct(&keys, &values[..2], &[], 3).is_err());
        assert!(rank_distinct(&["a"], &[f64::NAN], &[], 3).is_err());
    }
}
