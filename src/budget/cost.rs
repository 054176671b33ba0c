//! What an experiment costs, and a budget that pays for experiments one at a time.

use crate::{Error, Result};

/// The price of running a design: a positive, finite number in the budget's units.
///
/// Implementors supply [`CostModel::cost`], which may refuse a design it cannot price;
/// callers use [`CostModel::checked_cost`], which also refuses a price no budget can pay.
/// Any `Fn(&D) -> Result<f64>` is a cost model.
pub trait CostModel<D: ?Sized> {
    /// The cost c(d) of design `d`, not yet checked by [`check_cost`].
    ///
    /// # Errors
    /// Whatever the model refuses to price.
    fn cost(&self, design: &D) -> Result<f64>;

    /// The cost c(d), checked by [`check_cost`].
    ///
    /// # Errors
    /// The model's own errors; as [`check_cost`]: [`Error::NonFinite`] for NaN or ±∞,
    /// [`Error::InvalidInput`] for c(d) ≤ 0.
    fn checked_cost(&self, design: &D) -> Result<f64> {
        check_cost(self.cost(design)?)
    }
}

impl<D: ?Sized, F: Fn(&D) -> Result<f64>> CostModel<D> for F {
    fn cost(&self, design: &D) -> Result<f64> {
        self(design)
    }
}

/// `cost` itself if it is a valid price: finite and strictly positive. A zero or negative
/// cost would make every cost-aware rule degenerate (a free design is infinitely good per
/// unit cost; the logarithm of the cost does not exist).
///
/// # Errors
/// [`Error::NonFinite`] for NaN or ±∞, [`Error::InvalidInput`] for a cost ≤ 0.
pub fn check_cost(cost: f64) -> Result<f64> {
    if !cost.is_finite() {
        return Err(Error::NonFinite { context: "cost" });
    }
    if cost <= 0.0 {
        return Err(Error::InvalidInput {
            context: "cost",
            reason: format!("a cost must be positive, got {cost}"),
        });
    }
    Ok(cost)
}

/// The smallest cost min_d c(d) over `designs`, each checked.
///
/// # Errors
/// [`Error::Empty`] for no designs; [`check_cost`]'s errors for any design's cost.
pub fn cheapest<'a, D: 'a + ?Sized>(
    model: &impl CostModel<D>,
    designs: impl IntoIterator<Item = &'a D>,
) -> Result<f64> {
    let mut low: Option<f64> = None;
    for d in designs {
        let c = model.checked_cost(d)?;
        low = Some(low.map_or(c, |l| l.min(c)));
    }
    low.ok_or(Error::Empty { context: "cheapest: the designs" })
}

/// A budget B and a ledger of what has been paid from it: one entry per evaluation that was
/// run. A proposal that does not fit is refused and leaves no trace in the ledger, so
/// [`Budget::evaluations`] counts only experiments that were paid for.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    total: f64,
    spent: f64,
    paid: Vec<f64>,
}

/// The relative slack with which a cost is judged to fit: costs quoted in decimals (12.3,
/// 47.7) do not add up exactly in binary, and a sum that equals the budget in decimal
/// arithmetic must not be refused over its last bit.
pub const FIT_TOLERANCE: f64 = 1e-9;

impl Budget {
    /// A budget of `total`, for designs of which the cheapest costs `cheapest` (see
    /// [`cheapest`]): a budget that cannot pay even for that design is refused, since
    /// nothing could ever be run from it.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite total, [`check_cost`]'s errors for `cheapest`,
    /// [`Error::InvalidInput`] for a total below the cheapest cost.
    pub fn new(total: f64, cheapest: f64) -> Result<Self> {
        if !total.is_finite() {
            return Err(Error::NonFinite { context: "Budget: the total" });
        }
        let cheapest = check_cost(cheapest)?;
        if total < cheapest {
            return Err(Error::InvalidInput {
                context: "Budget",
                reason: format!(
                    "a budget of {total} cannot pay for the cheapest design, which costs \
                     {cheapest}"
                ),
            });
        }
        Ok(Budget { total, spent: 0.0, paid: Vec::new() })
    }

    /// The budget B.
    pub fn total(&self) -> f64 {
        self.total
    }

    /// The sum of everything paid so far.
    pub fn spent(&self) -> f64 {
        self.spent
    }

    /// B minus what was spent, never below 0.
    pub fn remaining(&self) -> f64 {
        (self.total - self.spent).max(0.0)
    }

    /// The number of evaluations paid for.
    pub fn evaluations(&self) -> usize {
        self.paid.len()
    }

    /// The cost of each evaluation paid for, in order.
    pub fn payments(&self) -> &[f64] {
        &self.paid
    }

    /// Whether a design costing `cost` fits: spent + cost ≤ B (within [`FIT_TOLERANCE`]·B).
    ///
    /// # Errors
    /// [`check_cost`]'s errors for `cost`.
    pub fn fits(&self, cost: f64) -> Result<bool> {
        let cost = check_cost(cost)?;
        Ok(self.spent + cost <= self.total + FIT_TOLERANCE * self.total.abs())
    }

    /// Pays `cost` for one evaluation and records it.
    ///
    /// # Errors
    /// [`check_cost`]'s errors for `cost`; [`Error::InvalidInput`], leaving the budget
    /// unchanged, if it does not fit.
    pub fn pay(&mut self, cost: f64) -> Result<()> {
        if !self.fits(cost)? {
            return Err(Error::InvalidInput {
                context: "Budget::pay",
                reason: format!(
                    "a design costing {cost} does not fit: {} of {} remain",
                    self.remaining(),
                    self.total
                ),
            });
        }
        self.spent += cost;
        self.paid.push(cost);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_must_be_positive_and_finite() {
        assert_eq!(check_cost(1.6), Ok(1.6));
        assert!(matches!(check_cost(0.0), Err(Error::InvalidInput { .. })));
        assert!(matches!(check_cost(-2.0), Err(Error::InvalidInput { .. })));
        assert!(matches!(check_cost(f64::NAN), Err(Error::NonFinite { .. })));
        assert!(matches!(check_cost(f64::INFINITY), Err(Error::NonFinite { .. })));
        let model = |d: &f64| Ok(d - 1.0);
        assert_eq!(model.checked_cost(&3.5), Ok(2.5));
        assert!(model.checked_cost(&1.0).is_err());
    }

    #[test]
    fn cheapest_is_the_minimum_and_checks_every_design() {
        let model = |d: &f64| Ok(2.0 * d);
        assert_eq!(cheapest(&model, &[3.0, 0.8, 5.0]), Ok(1.6));
        assert!(matches!(
            cheapest(&model, &[] as &[f64]),
            Err(Error::Empty { .. })
        ));
        assert!(cheapest(&model, &[3.0, -1.0]).is_err());
    }

    #[test]
    fn a_budget_below_the_cheapest_design_is_refused() {
        assert!(matches!(Budget::new(1.0, 1.6), Err(Error::InvalidInput { .. })));
        assert!(matches!(Budget::new(f64::NAN, 1.6), Err(Error::NonFinite { .. })));
        assert!(Budget::new(60.0, 0.0).is_err());
        assert!(Budget::new(1.6, 1.6).is_ok());
    }

    #[test]
    fn paying_counts_only_what_fits() {
        // The costs of the chapter's initial design: they sum to 51.8 in decimal.
        let costs = [12.3, 13.3, 3.4, 1.6, 12.3, 5.7, 1.6, 1.6];
        let mut budget = Budget::new(51.8, 1.0).unwrap();
        for c in costs {
            budget.pay(c).unwrap();
        }
        assert_eq!(budget.evaluations(), 8);
        assert!((budget.spent() - 51.8).abs() < 1e-12);
        assert!(budget.remaining() < 1e-12);
        // Nothing more fits; the refused proposal leaves no trace.
        assert_eq!(budget.fits(1.0), Ok(false));
        assert!(matches!(budget.pay(1.0), Err(Error::InvalidInput { .. })));
        assert_eq!(budget.evaluations(), 8);
        assert_eq!(budget.payments(), &costs);
        assert!(budget.pay(f64::NAN).is_err());
    }

    #[test]
    fn a_loop_that_stops_at_its_first_unaffordable_proposal_counts_the_paid_ones() {
        // Proposals 12.3, 12.3, 14.3, 13.3, 14.3 against 60: the fifth (12.3+12.3+14.3+13.3
        // = 52.2, plus 14.3 = 66.5) does not fit. Four evaluations, 52.2 spent.
        let mut budget = Budget::new(60.0, 1.0).unwrap();
        let mut refused = None;
        for c in [12.3, 12.3, 14.3, 13.3, 14.3] {
            if budget.fits(c).unwrap() {
                budget.pay(c).unwrap();
            } else {
                refused = Some(c);
                break;
            }
        }
        assert_eq!(budget.evaluations(), 4);
        assert!((budget.spent() - 52.2).abs() < 1e-12);
        assert_eq!(refused, Some(14.3));
    }
}
