//! Evaluations of several fidelities: the same experiment run cheaply and roughly, or
//! expensively and exactly. A fidelity s is an input the loop **chooses**, and pays for.
//!
//! The model is an ordinary GP on the augmented input [x, s] (fit it with
//! [`crate::gp::fit`]); the kernel's lengthscale in s says how alike the fidelities are.
//! Around it this module supplies what a multi-fidelity loop needs:
//!
//! - [`Fidelities`]: the levels that can be run, each with its price from a
//!   [`CostModel`] (such as [`QuadraticCost`]); a fidelity that is not one of the levels is
//!   an error, and the highest level is the *target*, the one the loop must do well at;
//! - [`Pool`]: the discrete candidates, every design of a grid at every level;
//! - [`propose`]: the next evaluation under a [`Budget`] — a periodic confirmation of the
//!   current recommendation at the target fidelity ([`Confirmation`]), or else the affordable
//!   candidate of largest acquisition value per unit cost;
//! - [`recommend`]: the design the model believes best at the target fidelity, the argmax of
//!   the posterior mean on the slice s = target.
//!
//! The budget and the prices are [`crate::budget`]'s: a [`Budget`] counts only what was paid,
//! and every price passes [`check_cost`].

use crate::acquisition::Acquisition;
use crate::augmented::{best_on_slice, SliceBest};
use crate::budget::{check_cost, Budget, CostModel};
use crate::models::Model;
use crate::{Error, Result};
use ndarray::{Array2, ArrayView2};

/// A price that grows with the square of the fidelity: c(s) = fixed + scale·s².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuadraticCost {
    /// The price of any run, however rough (the set-up).
    pub fixed: f64,
    /// What fidelity adds, times s².
    pub scale: f64,
}

impl QuadraticCost {
    /// The course's prices, 0.15 + 0.85 s²: 0.184 at s = 0.2, 0.3625 at 0.5, 1.0 at 1.
    pub const COURSE: QuadraticCost = QuadraticCost { fixed: 0.15, scale: 0.85 };
}

impl CostModel<f64> for QuadraticCost {
    /// c(s) = fixed + scale·s².
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite s or price.
    fn cost(&self, s: &f64) -> Result<f64> {
        let c = self.fixed + self.scale * s * s;
        if c.is_finite() && s.is_finite() {
            Ok(c)
        } else {
            Err(Error::NonFinite { context: "QuadraticCost" })
        }
    }
}

/// The fidelities that can be run, lowest first, each with its price.
#[derive(Debug, Clone, PartialEq)]
pub struct Fidelities {
    levels: Vec<f64>,
    costs: Vec<f64>,
}

/// How close a requested fidelity must be to a level to be that level (absolute): levels are
/// written as decimals, and 0.1 + 0.2 must still find the level 0.3.
pub const LEVEL_TOLERANCE: f64 = 1e-12;

impl Fidelities {
    /// The fidelities `levels` (in any order; sorted here), priced by `cost`.
    ///
    /// # Errors
    /// [`Error::Empty`] for no level, [`Error::NonFinite`] for a non-finite level,
    /// [`Error::InvalidInput`] for two equal levels (within [`LEVEL_TOLERANCE`]);
    /// [`check_cost`]'s errors (NaN, ∞ or a price ≤ 0) for any level's price.
    pub fn new(levels: &[f64], cost: &impl CostModel<f64>) -> Result<Self> {
        if levels.is_empty() {
            return Err(Error::Empty { context: "Fidelities: the levels" });
        }
        if levels.iter().any(|s| !s.is_finite()) {
            return Err(Error::NonFinite { context: "Fidelities: the levels" });
        }
        let mut sorted = levels.to_vec();
        sorted.sort_by(f64::total_cmp);
        if let Some(w) = sorted.windows(2).find(|w| w[1] - w[0] <= LEVEL_TOLERANCE)
        {
            return Err(Error::InvalidInput {
                context: "Fidelities",
                reason: format!("the level {} is given twice", w[0]),
            });
        }
        let costs =
            sorted.iter().map(|s| cost.checked_cost(s)).collect::<Result<_>>()?;
        Ok(Fidelities { levels: sorted, costs })
    }

    /// The levels, lowest first.
    pub fn levels(&self) -> &[f64] {
        &self.levels
    }

    /// The price of each level, in the order of [`Fidelities::levels`].
    pub fn costs(&self) -> &[f64] {
        &self.costs
    }

    /// The target fidelity: the highest level, the one whose results count.
    pub fn target(&self) -> f64 {
        self.levels[self.levels.len() - 1]
    }

    /// The price of an evaluation at the target fidelity.
    pub fn target_cost(&self) -> f64 {
        self.costs[self.costs.len() - 1]
    }

    /// The lowest price of any level.
    pub fn cheapest(&self) -> f64 {
        self.costs.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// The position of fidelity `s` among the levels.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite s, [`Error::InvalidInput`] for an s that is not
    /// a level (within [`LEVEL_TOLERANCE`]).
    pub fn index(&self, s: f64) -> Result<usize> {
        if !s.is_finite() {
            return Err(Error::NonFinite { context: "Fidelities: the fidelity" });
        }
        self.levels
            .iter()
            .position(|l| (l - s).abs() <= LEVEL_TOLERANCE)
            .ok_or_else(|| Error::InvalidInput {
                context: "Fidelities",
                reason: format!(
                    "{s} is not one of the fidelity levels {:?}",
                    self.levels
                ),
            })
    }

    /// The price of an evaluation at fidelity `s`.
    ///
    /// # Errors
    /// As for [`Fidelities::index`].
    pub fn cost(&self, s: f64) -> Result<f64> {
        Ok(self.costs[self.index(s)?])
    }

    /// The total price of evaluations at the fidelities `s`.
    ///
    /// # Errors
    /// As for [`Fidelities::index`], for the first fidelity that is not a level.
    pub fn total_cost(&self, s: &[f64]) -> Result<f64> {
        s.iter().map(|&s| self.cost(s)).sum()
    }
}

/// The candidates of a multi-fidelity loop: every design of a grid at every level, as rows
/// [x, s] — design-major (x₀ at every level, then x₁, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    designs: Vec<f64>,
    points: Array2<f64>,
    costs: Vec<f64>,
}

impl Pool {
    /// Every design of `designs` at every level of `fidelities`.
    ///
    /// # Errors
    /// [`Error::Empty`] for no design, [`Error::NonFinite`] for a non-finite design.
    pub fn new(designs: &[f64], fidelities: &Fidelities) -> Result<Self> {
        if designs.is_empty() {
            return Err(Error::Empty { context: "Pool: the designs" });
        }
        if designs.iter().any(|x| !x.is_finite()) {
            return Err(Error::NonFinite { context: "Pool: the designs" });
        }
        let k = fidelities.levels.len();
        let points = Array2::from_shape_fn((designs.len() * k, 2), |(i, j)| {
            if j == 0 {
                designs[i / k]
            } else {
                fidelities.levels[i % k]
            }
        });
        let costs =
            (0..designs.len() * k).map(|i| fidelities.costs[i % k]).collect();
        Ok(Pool { designs: designs.to_vec(), points, costs })
    }

    /// The designs x, in the grid's order.
    pub fn designs(&self) -> &[f64] {
        &self.designs
    }

    /// The candidates [x, s], one per row.
    pub fn points(&self) -> ArrayView2<'_, f64> {
        self.points.view()
    }

    /// The price of each candidate.
    pub fn costs(&self) -> &[f64] {
        &self.costs
    }

    /// The number of candidates.
    pub fn len(&self) -> usize {
        self.costs.len()
    }

    /// Whether the pool is empty (never, for a pool that was built).
    pub fn is_empty(&self) -> bool {
        self.costs.is_empty()
    }
}

/// When to spend a target-fidelity evaluation on the current recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// Never: every evaluation is chosen by acquisition value per cost.
    Never,
    /// At every k-th step of the loop (k ≥ 1; steps counted from 0, the first step never
    /// confirms), if the target fidelity is still affordable.
    Every(usize),
}

impl Confirmation {
    /// Whether step `step` (from 0) is a confirmation step.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for [`Confirmation::Every`]`(0)`.
    pub fn due(self, step: usize) -> Result<bool> {
        match self {
            Confirmation::Never => Ok(false),
            Confirmation::Every(0) => Err(Error::InvalidInput {
                context: "Confirmation",
                reason:
                    "confirmations every 0 steps: use Confirmation::Never or k ≥ 1"
                        .into(),
            }),
            Confirmation::Every(k) => Ok(step > 0 && step.is_multiple_of(k)),
        }
    }
}

/// Why a candidate was proposed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    /// A scheduled confirmation: the recommendation, at the target fidelity.
    Confirmation,
    /// The largest acquisition value per unit cost among the affordable candidates.
    PerCost {
        /// The acquisition value a(x, s).
        acquisition: f64,
        /// a(x, s)/c(s).
        per_cost: f64,
    },
}

/// The next evaluation of a multi-fidelity loop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proposal {
    /// The design x.
    pub x: f64,
    /// The fidelity s.
    pub fidelity: f64,
    /// Its price c(s).
    pub cost: f64,
    /// Why it was chosen.
    pub reason: Reason,
}

/// The design the model believes best at the target fidelity: the argmax over the pool's
/// designs of the posterior mean μ(x, target).
///
/// # Errors
/// As for [`best_on_slice`] (a model of two inputs is needed).
pub fn recommend<M: Model + ?Sized>(
    model: &M,
    pool: &Pool,
    fidelities: &Fidelities,
) -> Result<SliceBest> {
    best_on_slice(
        model,
        pool.designs(),
        fidelities.target(),
        Acquisition::PosteriorMean,
    )
}

/// The next evaluation at step `step` (from 0) of a loop spending `budget`, or `None` when
/// no candidate fits what remains:
///
/// 1. if `confirmation` is due at this step and the target fidelity fits, the current
///    [`recommend`]ation at the target fidelity;
/// 2. otherwise the affordable candidate (within [`Budget::fits`]) of largest
///    a(x, s)/c(s), a = `acquisition` for maximisation (first on ties).
///
/// A ratio is only a ranking of value per price when the values are positive (a negative
/// value divided by a larger price comes *closer* to zero, and would favour the dearer
/// candidate), so an affordable candidate with a(x, s) ≤ 0 is an error: shift the objective,
/// or use a positive acquisition such as EI.
///
/// # Errors
/// [`Error::ShapeMismatch`] unless the model has two inputs; [`Confirmation::due`]'s error;
/// the acquisition's errors; [`Error::InvalidInput`] for an affordable candidate whose
/// acquisition value is not positive.
pub fn propose<M: Model + ?Sized>(
    model: &M,
    pool: &Pool,
    fidelities: &Fidelities,
    budget: &Budget,
    step: usize,
    confirmation: Confirmation,
    acquisition: Acquisition,
) -> Result<Option<Proposal>> {
    if model.dim() != 2 {
        return Err(Error::ShapeMismatch {
            context: "propose: a model of [x, s]",
            expected: vec![2],
            found: vec![model.dim()],
        });
    }
    let due = confirmation.due(step)?;
    let affordable: Vec<bool> =
        pool.costs.iter().map(|&c| budget.fits(c)).collect::<Result<_>>()?;
    if !affordable.iter().any(|&a| a) {
        return Ok(None);
    }
    let target_cost = fidelities.target_cost();
    if due && budget.fits(target_cost)? {
        let rec = recommend(model, pool, fidelities)?;
        return Ok(Some(Proposal {
            x: rec.x,
            fidelity: fidelities.target(),
            cost: target_cost,
            reason: Reason::Confirmation,
        }));
    }
    let analytic = crate::acquisition::Analytic::new(
        model,
        acquisition,
        crate::acquisition::Direction::Maximise,
    )?;
    use crate::acquisition::AcquisitionFunction;
    let values = analytic.values(pool.points())?;
    let mut best: Option<(usize, f64)> = None;
    for (i, (&a, &ok)) in values.iter().zip(&affordable).enumerate() {
        if !ok {
            continue;
        }
        if a <= 0.0 {
            return Err(Error::InvalidInput {
                context: "propose",
                reason: format!(
                    "the acquisition value {a} at [{}, {}] is not positive, so value per \
                     unit cost does not rank it; shift the objective",
                    pool.points[[i, 0]],
                    pool.points[[i, 1]]
                ),
            });
        }
        let r = a / check_cost(pool.costs[i])?;
        if best.is_none_or(|(_, b)| r > b) {
            best = Some((i, r));
        }
    }
    Ok(best.map(|(i, per_cost)| Proposal {
        x: pool.points[[i, 0]],
        fidelity: pool.points[[i, 1]],
        cost: pool.costs[i],
        reason: Reason::PerCost { acquisition: values[i], per_cost },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{Gp, Hyperparameters, Kernel, KernelKind};
    use ndarray::array;

    fn course() -> Fidelities {
        Fidelities::new(&[1.0, 0.2, 0.5], &QuadraticCost::COURSE).unwrap()
    }

    /// An exact GP of [x, s] through four points: high at x = 0.7 at s = 1, high at
    /// x = 0.3 at s = 0.2.
    fn model() -> Gp {
        let x = array![[0.3, 0.2], [0.7, 0.2], [0.3, 1.0], [0.7, 1.0]];
        let y = array![1.2, 0.8, 0.9, 1.3];
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.2, 2.0], 1.0)
                .unwrap();
        Gp::new(x, y, Hyperparameters { kernel, noise: 1e-6, mean: 0.0 }).unwrap()
    }

    #[test]
    fn the_courses_levels_and_prices() {
        let f = course();
        assert_eq!(f.levels(), &[0.2, 0.5, 1.0]);
        // 0.15 + 0.85 s²: 0.15 + 0.034, 0.15 + 0.2125, 0.15 + 0.85.
        for (c, want) in f.costs().iter().zip([0.184, 0.3625, 1.0]) {
            assert!((c - want).abs() < 1e-15, "{c}");
        }
        assert_eq!(f.target(), 1.0);
        assert_eq!(f.target_cost(), 1.0);
        assert_eq!(f.cheapest(), f.costs()[0]);
        // The course's initial designs: five at s = 1 cost 5.0, 62.5 % of 8.0; the levels
        // (0.2, 0.5, 1.0, 0.2, 0.5) cost 2.093, 26.1625 %.
        assert!((f.total_cost(&[1.0; 5]).unwrap() - 5.0).abs() < 1e-12);
        let mf = f.total_cost(&[0.2, 0.5, 1.0, 0.2, 0.5]).unwrap();
        assert!((mf - 2.093).abs() < 1e-12, "{mf}");
        assert!((100.0 * mf / 8.0 - 26.1625).abs() < 1e-10);
        assert!((f.index(0.1 + 0.4).unwrap() as i32 - 1).abs() == 0);
    }

    #[test]
    fn a_fidelity_outside_the_levels_or_a_bad_price_is_an_error() {
        let f = course();
        assert!(matches!(f.cost(0.3), Err(Error::InvalidInput { .. })));
        assert!(matches!(f.cost(f64::NAN), Err(Error::NonFinite { .. })));
        assert!(f.total_cost(&[0.2, 0.7]).is_err());
        assert!(matches!(
            Fidelities::new(&[], &QuadraticCost::COURSE),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            Fidelities::new(&[0.5, 0.5], &QuadraticCost::COURSE),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            Fidelities::new(&[0.5, f64::INFINITY], &QuadraticCost::COURSE),
            Err(Error::NonFinite { .. })
        ));
        // A free level, a negative price or a NaN price is refused (budget::check_cost).
        let free = QuadraticCost { fixed: 0.0, scale: 1.0 };
        assert!(matches!(
            Fidelities::new(&[0.0, 1.0], &free),
            Err(Error::InvalidInput { .. })
        ));
        let negative = QuadraticCost { fixed: -1.0, scale: 0.5 };
        assert!(Fidelities::new(&[0.5, 1.0], &negative).is_err());
        let nan = QuadraticCost { fixed: f64::NAN, scale: 0.5 };
        assert!(matches!(
            Fidelities::new(&[1.0], &nan),
            Err(Error::NonFinite { .. })
        ));
        // Any function is a cost model too.
        let linear = |s: &f64| Ok(0.1 + *s);
        assert_eq!(Fidelities::new(&[0.5], &linear).unwrap().costs(), &[0.6]);
    }

    #[test]
    fn the_pool_is_every_design_at_every_level() {
        let f = course();
        let pool = Pool::new(&[0.0, 0.5], &f).unwrap();
        assert_eq!(pool.len(), 6);
        assert_eq!(
            pool.points(),
            array![
                [0.0, 0.2],
                [0.0, 0.5],
                [0.0, 1.0],
                [0.5, 0.2],
                [0.5, 0.5],
                [0.5, 1.0]
            ]
        );
        assert_eq!(pool.costs()[4], f.costs()[1]);
        assert!(Pool::new(&[], &f).is_err());
        assert!(Pool::new(&[f64::NAN], &f).is_err());
    }

    #[test]
    fn confirmations_come_every_k_steps_but_not_at_the_start() {
        let c = Confirmation::Every(5);
        let due: Vec<usize> = (0..16).filter(|&s| c.due(s).unwrap()).collect();
        assert_eq!(due, vec![5, 10, 15]);
        assert_eq!(Confirmation::Never.due(5), Ok(false));
        assert!(Confirmation::Every(0).due(3).is_err());
    }

    #[test]
    fn the_proposal_is_the_best_value_per_cost_among_what_fits() {
        let gp = model();
        let f = course();
        let xs: Vec<f64> = (0..=10).map(|k| k as f64 / 10.0).collect();
        let pool = Pool::new(&xs, &f).unwrap();
        let ucb = Acquisition::UpperConfidenceBound { beta: 2.25 };
        let budget = Budget::new(8.0, f.cheapest()).unwrap();
        let p = propose(&gp, &pool, &f, &budget, 0, Confirmation::Every(5), ucb)
            .unwrap()
            .unwrap();
        // By hand: the largest (μ + 1.5σ)/c over the pool.
        let pred = gp.predict(pool.points()).unwrap();
        let ratios: Vec<f64> = (0..pool.len())
            .map(|i| {
                (pred.mean[i] + 1.5 * pred.variance[i].sqrt()) / pool.costs()[i]
            })
            .collect();
        let i =
            crate::array::argmax(&ndarray::Array1::from(ratios.clone())).unwrap();
        assert_eq!(
            (p.x, p.fidelity),
            (pool.points()[[i, 0]], pool.points()[[i, 1]])
        );
        match p.reason {
            Reason::PerCost { per_cost, acquisition } => {
                assert!((per_cost - ratios[i]).abs() < 1e-12);
                assert!((acquisition / p.cost - per_cost).abs() < 1e-12);
            }
            Reason::Confirmation => panic!("step 0 never confirms"),
        }
        // Cheap levels win the ratio here: the low fidelity costs 0.184.
        assert_eq!(p.fidelity, 0.2);
    }

    #[test]
    fn a_confirmation_evaluates_the_recommendation_at_the_target() {
        let gp = model();
        let f = course();
        let xs: Vec<f64> = (0..=10).map(|k| k as f64 / 10.0).collect();
        let pool = Pool::new(&xs, &f).unwrap();
        let ucb = Acquisition::UpperConfidenceBound { beta: 2.25 };
        let mut budget = Budget::new(8.0, f.cheapest()).unwrap();
        let rec = recommend(&gp, &pool, &f).unwrap();
        // At s = 1 the model is high at x = 0.7 (the low fidelity's peak at 0.3 misleads).
        assert!((rec.x - 0.7).abs() < 1e-12, "{}", rec.x);
        let p = propose(&gp, &pool, &f, &budget, 5, Confirmation::Every(5), ucb)
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.x, p.fidelity, p.cost, p.reason),
            (0.7, 1.0, 1.0, Reason::Confirmation)
        );
        // With less than the target's price left, the step chooses by value per cost.
        budget.pay(7.5).unwrap();
        let p = propose(&gp, &pool, &f, &budget, 5, Confirmation::Every(5), ucb)
            .unwrap()
            .unwrap();
        assert!(p.fidelity < 1.0 && p.cost <= 0.5);
        // Nothing fits: no proposal.
        budget.pay(0.4).unwrap();
        assert_eq!(
            propose(&gp, &pool, &f, &budget, 6, Confirmation::Never, ucb),
            Ok(None)
        );
    }

    #[test]
    fn a_non_positive_acquisition_value_cannot_be_ranked_per_cost() {
        let x = array![[0.3, 0.2], [0.7, 1.0]];
        let y = array![-2.0, -1.0];
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.2, 2.0], 1.0)
                .unwrap();
        let gp = Gp::new(x, y, Hyperparameters { kernel, noise: 1e-6, mean: -1.5 })
            .unwrap();
        let f = course();
        let pool = Pool::new(&[0.3, 0.7], &f).unwrap();
        let budget = Budget::new(8.0, f.cheapest()).unwrap();
        assert!(matches!(
            propose(
                &gp,
                &pool,
                &f,
                &budget,
                0,
                Confirmation::Never,
                Acquisition::PosteriorMean
            ),
            Err(Error::InvalidInput { .. })
        ));
        let one_d = Gp::new(
            array![[0.1]],
            array![1.0],
            Hyperparameters {
                kernel: Kernel::new(
                    KernelKind::SquaredExponential,
                    array![0.3],
                    1.0,
                )
                .unwrap(),
                noise: 1e-6,
                mean: 0.0,
            },
        )
        .unwrap();
        assert!(matches!(
            propose(
                &one_d,
                &pool,
                &f,
                &budget,
                0,
                Confirmation::Never,
                Acquisition::PosteriorMean
            ),
            Err(Error::ShapeMismatch { .. })
        ));
    }
}
