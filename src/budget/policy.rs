//! A person in the loop: rules that veto candidates, with a reason, and preferences that
//! favour some, applied to a pool ranked by the acquisition function.
//!
//! A [`Policy`] reviews a pool in the order given (best LogEI first). Each candidate is either
//! refused — because it does not fit the budget ([`BUDGET_EXCEEDED`]) or because a veto rule
//! returns a reason — or acceptable. Among the acceptable ones the policy chooses the largest
//!
//! u(x) = LogEI(x) + b(x) − w·c(x),
//!
//! with b the sum of the preferences' bonuses and w the policy's cost weight; ties go to the
//! larger LogEI. Every refusal is counted once, under its reason, in a [`VetoTally`].

use super::cost::{check_cost, Budget};
use crate::{Error, Result};
use std::collections::BTreeMap;

/// The reason recorded for a candidate that does not fit the remaining budget.
pub const BUDGET_EXCEEDED: &str = "budget_exceeded";

/// A veto rule: the design and the loop's step (0 for the first BO step) in, a reason out
/// if the design is refused. Reasons are short fixed labels, so that refusals can be counted
/// by reason.
pub type VetoRule<D> = Box<dyn Fn(&D, usize) -> Option<&'static str> + Send + Sync>;

/// A soft preference: an additive bonus (in units of LogEI) for a design.
pub type Preference<D> = Box<dyn Fn(&D) -> f64 + Send + Sync>;

/// Refusals counted by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VetoTally {
    counts: BTreeMap<&'static str, usize>,
}

impl VetoTally {
    /// No refusals.
    pub fn new() -> Self {
        VetoTally::default()
    }

    /// Counts one refusal for `reason`.
    pub fn record(&mut self, reason: &'static str) {
        *self.counts.entry(reason).or_insert(0) += 1;
    }

    /// The refusals for `reason`.
    pub fn count(&self, reason: &str) -> usize {
        self.counts.get(reason).copied().unwrap_or(0)
    }

    /// All refusals.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    /// Every reason with its count, in alphabetical order of reason.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        self.counts.iter().map(|(&r, &n)| (r, n))
    }

    /// Adds another tally's counts to this one's.
    pub fn merge(&mut self, other: &VetoTally) {
        for (r, n) in other.iter() {
            *self.counts.entry(r).or_insert(0) += n;
        }
    }
}

/// One candidate of a pool offered to a [`Policy`]: the design, its LogEI and its cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offer<'a, D> {
    /// The design (for the rules and preferences).
    pub design: &'a D,
    /// ln EI at the candidate.
    pub log_ei: f64,
    /// What running it costs (positive).
    pub cost: f64,
}

/// Veto rules, preferences and a cost weight w: what a person adds to the loop's choice.
pub struct Policy<D> {
    vetoes: Vec<VetoRule<D>>,
    preferences: Vec<Preference<D>>,
    cost_weight: f64,
}

impl<D: PartialEq> Policy<D> {
    /// A policy with no rules and no preferences, charging `cost_weight` w (units of LogEI
    /// per unit cost) in its utility.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite w, [`Error::InvalidInput`] for w < 0.
    pub fn new(cost_weight: f64) -> Result<Self> {
        if !cost_weight.is_finite() {
            return Err(Error::NonFinite { context: "Policy: the cost weight" });
        }
        if cost_weight < 0.0 {
            return Err(Error::InvalidInput {
                context: "Policy",
                reason: format!(
                    "the cost weight must be non-negative, got {cost_weight}"
                ),
            });
        }
        Ok(Policy { vetoes: Vec::new(), preferences: Vec::new(), cost_weight })
    }

    /// Adds a veto rule; rules are asked in the order they were added.
    pub fn with_veto(
        mut self,
        rule: impl Fn(&D, usize) -> Option<&'static str> + Send + Sync + 'static,
    ) -> Self {
        self.vetoes.push(Box::new(rule));
        self
    }

    /// Adds a preference; bonuses add up.
    pub fn with_preference(
        mut self,
        bonus: impl Fn(&D) -> f64 + Send + Sync + 'static,
    ) -> Self {
        self.preferences.push(Box::new(bonus));
        self
    }

    /// The cost weight w.
    pub fn cost_weight(&self) -> f64 {
        self.cost_weight
    }

    /// The reason of the first rule that vetoes `design` at `step`, if any: a design refused
    /// by two rules is refused once.
    pub fn veto(&self, design: &D, step: usize) -> Option<&'static str> {
        self.vetoes.iter().find_map(|rule| rule(design, step))
    }

    /// The bonus b(x): the preferences' sum.
    ///
    /// # Errors
    /// [`Error::NonFinite`] if a preference returns NaN or ±∞, or the sum overflows.
    pub fn bonus(&self, design: &D) -> Result<f64> {
        let b: f64 = self.preferences.iter().map(|p| p(design)).sum();
        if b.is_finite() {
            Ok(b)
        } else {
            Err(Error::NonFinite { context: "Policy: a preference's bonus" })
        }
    }

    /// The policy's utility u = LogEI + b − w·c of an offer.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite LogEI, bonus or utility; [`check_cost`]'s errors
    /// for the cost.
    pub fn utility(&self, offer: &Offer<'_, D>) -> Result<f64> {
        if !offer.log_ei.is_finite() {
            return Err(Error::NonFinite { context: "Policy: LogEI" });
        }
        let cost = check_cost(offer.cost)?;
        let u = offer.log_ei + self.bonus(offer.design)? - self.cost_weight * cost;
        if u.is_finite() {
            Ok(u)
        } else {
            Err(Error::NonFinite { context: "Policy: the utility overflowed" })
        }
    }

    /// Reviews every offer in order and returns the index of the chosen one, or `None` if
    /// none is acceptable; see [`Policy::choose_among`].
    ///
    /// # Errors
    /// As [`Policy::choose_among`].
    pub fn choose(
        &self,
        offers: &[Offer<'_, D>],
        budget: &Budget,
        step: usize,
        tally: &mut VetoTally,
    ) -> Result<Option<usize>> {
        self.choose_among(offers, budget, step, usize::MAX, tally)
    }

    /// Reviews the offers in order until `at_most` acceptable ones have been found: an offer
    /// that does not fit the budget is counted under [`BUDGET_EXCEEDED`], one that a rule
    /// vetoes under the rule's reason, and an offer whose design equals an earlier one's is
    /// passed over without being counted again. Returns the index of the acceptable offer of
    /// largest utility (ties: larger LogEI, then the earlier offer), or `None`.
    ///
    /// # Errors
    /// [`Policy::utility`]'s errors for any offer reviewed; nothing is counted in `tally`
    /// then.
    pub fn choose_among(
        &self,
        offers: &[Offer<'_, D>],
        budget: &Budget,
        step: usize,
        at_most: usize,
        tally: &mut VetoTally,
    ) -> Result<Option<usize>> {
        let mut counted = VetoTally::new();
        let mut best: Option<(usize, f64, f64)> = None;
        let mut acceptable = 0;
        for (i, offer) in offers.iter().enumerate() {
            if acceptable == at_most {
                break;
            }
            let u = self.utility(offer)?;
            if offers[..i].iter().any(|o| o.design == offer.design) {
                continue;
            }
            if !budget.fits(offer.cost)? {
                counted.record(BUDGET_EXCEEDED);
                continue;
            }
            if let Some(reason) = self.veto(offer.design, step) {
                counted.record(reason);
                continue;
            }
            acceptable += 1;
            let better = match best {
                None => true,
                Some((_, bu, bl)) => u > bu || (u == bu && offer.log_ei > bl),
            };
            if better {
                best = Some((i, u, offer.log_ei));
            }
        }
        tally.merge(&counted);
        Ok(best.map(|(i, _, _)| i))
    }
}

impl<D> std::fmt::Debug for Policy<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("vetoes", &self.vetoes.len())
            .field("preferences", &self.preferences.len())
            .field("cost_weight", &self.cost_weight)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A design: temperature and solvent.
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct D(f64, char);

    fn policy() -> Policy<D> {
        Policy::new(0.025)
            .unwrap()
            .with_veto(|d: &D, step| {
                (step < 3 && d.1 == 'C' && d.0 >= 130.0).then_some("hot")
            })
            .with_veto(|d: &D, step| (step < 3 && d.1 == 'C').then_some("any_C"))
            .with_preference(|d: &D| if d.1 == 'A' { 0.05 } else { 0.0 })
            .with_preference(|d: &D| if d.0 <= 105.0 { 0.02 } else { 0.0 })
    }

    #[test]
    fn refusals_are_counted_once_by_reason() {
        let designs = [
            D(130.0, 'C'),
            D(125.0, 'C'),
            D(90.0, 'B'),
            D(70.0, 'A'),
            D(130.0, 'C'),
        ];
        let costs = [14.3, 14.3, 3.4, 1.6, 14.3];
        let log_ei = [-1.0, -1.1, -1.5, -1.6, -1.0];
        let offers: Vec<Offer<'_, D>> = designs
            .iter()
            .zip(costs)
            .zip(log_ei)
            .map(|((design, cost), log_ei)| Offer { design, log_ei, cost })
            .collect();
        let budget = Budget::new(60.0, 1.0).unwrap();
        let mut tally = VetoTally::new();
        let chosen = policy().choose(&offers, &budget, 0, &mut tally).unwrap();
        // The hottest C design is vetoed by both rules but counted once, under the first;
        // its repeat at the end is not counted again.
        assert_eq!(tally.count("hot"), 1);
        assert_eq!(tally.count("any_C"), 1);
        assert_eq!(tally.total(), 2);
        // B: −1.5 + 0.02 − 0.085 = −1.565; A: −1.6 + 0.07 − 0.04 = −1.57. B wins.
        assert_eq!(chosen, Some(2));
        // From step 3 the C rules are off: C at −1.0 − 0.3575 = −1.3575 wins.
        let mut later = VetoTally::new();
        assert_eq!(
            policy().choose(&offers, &budget, 3, &mut later).unwrap(),
            Some(0)
        );
        assert_eq!(later.total(), 0);
    }

    #[test]
    fn unaffordable_offers_are_budget_refusals_not_vetoes() {
        let designs = [D(130.0, 'C'), D(70.0, 'A')];
        let offers = [
            Offer { design: &designs[0], log_ei: 0.0, cost: 14.3 },
            Offer { design: &designs[1], log_ei: -4.0, cost: 1.6 },
        ];
        let mut budget = Budget::new(60.0, 1.0).unwrap();
        budget.pay(50.0).unwrap();
        let mut tally = VetoTally::new();
        assert_eq!(policy().choose(&offers, &budget, 0, &mut tally), Ok(Some(1)));
        assert_eq!(tally.count(BUDGET_EXCEEDED), 1);
        assert_eq!(tally.count("hot"), 0);
        budget.pay(8.5).unwrap();
        assert_eq!(policy().choose(&offers, &budget, 0, &mut tally), Ok(None));
        assert_eq!(tally.count(BUDGET_EXCEEDED), 3);
    }

    #[test]
    fn the_scan_stops_after_enough_acceptable_offers() {
        let designs = [D(70.0, 'A'), D(125.0, 'C'), D(90.0, 'B')];
        let offers: Vec<_> = designs
            .iter()
            .map(|design| Offer { design, log_ei: -1.0, cost: 2.0 })
            .collect();
        let budget = Budget::new(60.0, 1.0).unwrap();
        let mut tally = VetoTally::new();
        let p = policy();
        assert_eq!(p.choose_among(&offers, &budget, 0, 1, &mut tally), Ok(Some(0)));
        // The C design after the first acceptable one was never reviewed.
        assert_eq!(tally.total(), 0);
    }

    #[test]
    fn bad_policies_and_offers_are_errors() {
        assert!(matches!(Policy::<D>::new(-1.0), Err(Error::InvalidInput { .. })));
        assert!(matches!(Policy::<D>::new(f64::NAN), Err(Error::NonFinite { .. })));
        let nan = Policy::new(0.0).unwrap().with_preference(|_: &D| f64::NAN);
        let d = D(70.0, 'A');
        let offer = Offer { design: &d, log_ei: -1.0, cost: 1.0 };
        assert!(nan.utility(&offer).is_err());
        let budget = Budget::new(60.0, 1.0).unwrap();
        let mut tally = VetoTally::new();
        let free = Offer { design: &d, log_ei: -1.0, cost: 0.0 };
        assert!(policy().choose(&[free], &budget, 0, &mut tally).is_err());
        assert_eq!(tally.total(), 0);
    }
}
