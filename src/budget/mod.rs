//! Experiments that cost something: a [`CostModel`] prices a design, a [`Budget`] tracks what
//! has been spent and refuses what does not fit, [`CostUtility`] weighs an acquisition value
//! against a price, and a [`Policy`] lets a person veto or favour candidates before the loop
//! chooses one.
//!
//! The pieces work on a *pool*: a short list of distinct candidate designs, each with its
//! acquisition value (LogEI, from [`crate::acquisition`]) and its cost. How the pool is built
//! is the caller's: [`rank_distinct`] keeps the best-ranked candidate of each distinct design.
//!
//! - [`cost`]: [`CostModel`], [`check_cost`], [`cheapest`] and the [`Budget`] ledger, which
//!   counts an evaluation only when it is paid for;
//! - [`utility`]: expected improvement per unit cost, computed in log space, and the
//!   additive utility LogEI − λ·cost, with [`choose_affordable`];
//! - [`policy`]: veto rules with reasons, additive preferences, and the choice from a ranked
//!   pool with every refusal counted once, by reason, in a [`VetoTally`].

pub mod cost;
pub mod policy;
pub mod utility;

pub use cost::{cheapest, check_cost, Budget, CostModel};
pub use policy::{Offer, Policy, VetoTally, BUDGET_EXCEEDED};
pub use utility::{choose_affordable, rank_distinct, CostUtility, Priced};
