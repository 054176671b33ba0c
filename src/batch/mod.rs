//! Batches of q points built greedily from a single-point acquisition function: one point
//! at a time, each choice *conditioned* on the points chosen before it (and on pending
//! points, chosen earlier but not yet observed), so that the batch spreads out without
//! random filling.
//!
//! Maximising the same function q times returns the same point q times: nothing in it knows
//! that the first point will be evaluated. Two ways to tell it, both cheap:
//!
//! - **Kriging believer** ([`Conditioning::KrigingBeliever`]): pretend each chosen point was
//!   observed at the model's own mean there ([`FittedGp::condition_on`]). The mean stays,
//!   the variance around the point collapses, and improvement-based functions stop
//!   rewarding that neighbourhood.
//! - **Local penalisation** ([`Conditioning::LocalPenalisation`], [`Penalised`]): multiply
//!   the function by a soft exclusion factor around each chosen point, sized by a Lipschitz
//!   estimate of the mean.
//!
//! [`Conditioning::None`] keeps the unconditioned function for every slot, to show what the
//! conditioning buys. A [`RadiusRule`] may further demand a minimum or maximum distance
//! between the batch's points; candidates it refuses are retried (new optimiser seeds) and
//! then sought among Sobol points of the box, and [`Batch::sources`] says which slots came
//! from that fallback. The joint alternative — scoring all q points at once with a Monte
//! Carlo acquisition function — is [`optimize_acqf`] over a q-point function.

mod penalty;
mod rule;

pub use penalty::Penalised;
pub use rule::RadiusRule;
use rule::Ruled;

use crate::acquisition::{Acquisition, AcquisitionFunction, Analytic, Direction};
use crate::gp::FittedGp;
use crate::models::Model;
use crate::optimize_acqf::{optimize_acqf, AcqfOptions};
use crate::sampling::draw_sobol_samples;
use crate::{Bounds, Error, Result};
use ndarray::{Array1, Array2, ArrayView2};

/// How each slot's function learns about the points chosen before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conditioning {
    /// Condition the model on its own mean at every chosen and pending point.
    KrigingBeliever,
    /// Penalise the (logarithmic) function around every chosen and pending point.
    LocalPenalisation,
    /// Nothing: the same function for every slot.
    None,
}

/// How a greedy batch chooses each point: the conditioning on the points before it, and an
/// optional distance rule with how it is kept. [`crate::bo::BatchChoice::Greedy`] carries
/// one, so that an [`crate::bo::Optimizer`] builds its batches this way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GreedyOptions {
    /// How each slot is conditioned on the points before it.
    pub conditioning: Conditioning,
    /// A distance rule between the batch's points, if any.
    pub rule: Option<RadiusRule>,
    /// Whether the search itself respects the rule, through a smooth barrier around the
    /// batch's points (on by default). Off, the rule only accepts or refuses what the
    /// unconstrained search finds.
    pub barrier: bool,
    /// Optimiser runs per slot before falling back, each conditioned on the candidates the
    /// rule refused before it; 1 without a rule.
    pub attempts: usize,
    /// Sobol points of the box searched, best value first, when every attempt is refused.
    pub fallback: usize,
}

impl GreedyOptions {
    /// Conditioning by `conditioning`, no rule; if a rule is added, its barrier on, 25
    /// attempts and 200 fallback points.
    pub const fn new(conditioning: Conditioning) -> Self {
        GreedyOptions {
            conditioning,
            rule: None,
            barrier: true,
            attempts: 25,
            fallback: 200,
        }
    }

    /// The same with the distance rule `rule`.
    pub const fn with_rule(self, rule: RadiusRule) -> Self {
        GreedyOptions { rule: Some(rule), ..self }
    }
}

impl Default for GreedyOptions {
    /// The Kriging believer, no rule.
    fn default() -> Self {
        GreedyOptions::new(Conditioning::KrigingBeliever)
    }
}

impl From<Conditioning> for GreedyOptions {
    fn from(conditioning: Conditioning) -> Self {
        GreedyOptions::new(conditioning)
    }
}

/// Settings of [`greedy_batch`].
#[derive(Debug, Clone, PartialEq)]
pub struct BatchOptions {
    /// The number of points q.
    pub q: usize,
    /// How each point is chosen: conditioning and distance rule.
    pub greedy: GreedyOptions,
    /// The acquisition optimiser's settings (its seed is offset per slot and attempt).
    pub acqf: AcqfOptions,
}

impl BatchOptions {
    /// q points by the Kriging believer, no rule ([`GreedyOptions::default`]); the
    /// optimiser's defaults.
    pub fn new(q: usize) -> Self {
        BatchOptions {
            q,
            greedy: GreedyOptions::default(),
            acqf: AcqfOptions::default(),
        }
    }
}

/// Where a slot's point came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The acquisition optimiser, at this attempt (0-based).
    Optimiser {
        /// Attempts refused before it.
        attempt: usize,
    },
    /// The Sobol fallback, the best-valued acceptable point of the survey.
    Fallback,
}

/// A batch and how it was built.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The points, one per row (fewer than q if the rule could not be met; see
    /// [`Batch::shortfall`]).
    pub x: Array2<f64>,
    /// Each point's value under the function it was chosen by (conditioned on the points
    /// before it).
    pub values: Vec<f64>,
    /// Where each point came from.
    pub sources: Vec<Source>,
    /// Candidates the rule refused, over all slots.
    pub refused: usize,
    /// Why the batch has fewer than q points, if it does.
    pub shortfall: Option<String>,
}

impl Batch {
    /// The number of slots filled by the Sobol fallback.
    pub fn fallback_slots(&self) -> usize {
        self.sources.iter().filter(|s| **s == Source::Fallback).count()
    }
}

/// A batch of `options.q` points for `model`, each maximising `acquisition` (with the
/// incumbent it carries) conditioned on the points chosen before it and on the rows of
/// `pending`.
///
/// # Errors
/// [`Error::InvalidInput`] for q = 0, no attempts, a radius that is not a positive number,
/// an exclusion radius larger than the box's diagonal (no two points could satisfy it),
/// local penalisation of a function that is not LogEI or log PI, or pending points outside
/// the box; [`Error::ShapeMismatch`] for pending points or bounds of another dimension; as
/// [`optimize_acqf`] and the model.
pub fn greedy_batch(
    model: &FittedGp,
    acquisition: Acquisition,
    direction: Direction,
    bounds: &Bounds,
    pending: Option<ArrayView2<'_, f64>>,
    options: &BatchOptions,
) -> Result<Batch> {
    check(model, bounds, pending, options)?;
    let greedy = &options.greedy;
    let d = bounds.dim();
    let slot_function =
        |set: ArrayView2<'_, f64>, chosen: ArrayView2<'_, f64>| SlotFunction {
            chosen: chosen.to_owned(),
            model,
            acquisition,
            direction,
            bounds,
            set: set.to_owned(),
            conditioning: greedy.conditioning,
            seed: options.acqf.seed,
            rule: greedy.rule.filter(|_| greedy.barrier),
        };
    let mut fixed = pending.map_or_else(|| Array2::zeros((0, d)), |p| p.to_owned());
    let mut batch = Batch {
        x: Array2::zeros((0, d)),
        values: vec![],
        sources: vec![],
        refused: 0,
        shortfall: None,
    };
    let attempts = if greedy.rule.is_some() { greedy.attempts } else { 1 };
    for slot in 0..options.q {
        let seed = options.acqf.seed.wrapping_add(1000 * slot as u64);
        // The conditioning set: the fixed points and this slot's refused candidates, so
        // that each refusal sends the next attempt elsewhere.
        let mut tried = fixed.clone();
        let mut found = None;
        for attempt in 0..attempts {
            let acqf = AcqfOptions {
                seed: seed.wrapping_add(attempt as u64),
                ..options.acqf.clone()
            };
            let r = slot_function(tried.view(), batch.x.view())
                .apply(|f| optimize_acqf(f, bounds, &acqf))?;
            let accepted = greedy
                .rule
                .is_none_or(|rule| rule.accepts(r.x.view(), batch.x.view()));
            if accepted {
                found = Some((r.x, r.value, Source::Optimiser { attempt }));
                break;
            }
            batch.refused += 1;
            tried.push_row(r.x.view()).map_err(shape)?;
        }
        if let (None, Some(rule)) = (&found, greedy.rule) {
            let chosen = batch.x.view();
            found = slot_function(fixed.view(), chosen).apply(|f| {
                fallback(f, rule, chosen, bounds, greedy.fallback, seed)
            })?;
        }
        let Some((x, value, source)) = found else {
            batch.shortfall = Some(format!(
                "no point of {attempts} optimiser runs or {} Sobol points satisfies the rule \
                 for slot {} of {}",
                greedy.fallback,
                slot + 1,
                options.q
            ));
            break;
        };
        batch.x.push_row(x.view()).map_err(shape)?;
        fixed.push_row(x.view()).map_err(shape)?;
        batch.values.push(value);
        batch.sources.push(source);
    }
    Ok(batch)
}

/// The single-point function of one slot, conditioned on the rows of `set`.
struct SlotFunction<'m> {
    model: &'m FittedGp,
    acquisition: Acquisition,
    direction: Direction,
    bounds: &'m Bounds,
    set: Array2<f64>,
    conditioning: Conditioning,
    seed: u64,
    /// The rule, as a smooth barrier around the batch's points so far.
    rule: Option<RadiusRule>,
    chosen: Array2<f64>,
}

impl SlotFunction<'_> {
    /// Builds the function, with the rule's barrier if there is one, and hands it to `body`.
    fn apply<R>(
        &self,
        body: impl FnOnce(&dyn AcquisitionFunction) -> Result<R>,
    ) -> Result<R> {
        match self.rule {
            Some(rule) if self.chosen.nrows() > 0 => self.conditioned(|f| {
                body(&Ruled { base: f, rule, chosen: self.chosen.view() })
            }),
            _ => self.conditioned(body),
        }
    }

    /// Builds the conditioned function and hands it to `body`.
    fn conditioned<R>(
        &self,
        body: impl FnOnce(&dyn AcquisitionFunction) -> Result<R>,
    ) -> Result<R> {
        let (model, acquisition, direction) =
            (self.model, self.acquisition, self.direction);
        match self.conditioning {
            Conditioning::None => {
                body(&Analytic::new(model, acquisition, direction)?)
            }
            Conditioning::KrigingBeliever => {
                let (believed, acquisition) =
                    believe(model, acquisition, direction, self.set.view())?;
                body(&Analytic::new(&believed, acquisition, direction)?)
            }
            Conditioning::LocalPenalisation => {
                let mut p = Penalised::new(
                    model,
                    acquisition,
                    direction,
                    self.bounds,
                    self.seed,
                )?;
                for x in self.set.rows() {
                    p.penalise(x)?;
                }
                body(&p)
            }
        }
    }
}

/// The best-valued of `n` Sobol points that `rule` accepts, if any.
fn fallback(
    f: &dyn AcquisitionFunction,
    rule: RadiusRule,
    chosen: ArrayView2<'_, f64>,
    bounds: &Bounds,
    n: usize,
    seed: u64,
) -> Result<Option<(Array1<f64>, f64, Source)>> {
    if n == 0 {
        return Ok(None);
    }
    let survey = draw_sobol_samples(bounds, n, seed ^ 0x5eed)?;
    let values = f.values(survey.view())?;
    let mut order: Vec<usize> = (0..survey.nrows()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    Ok(order
        .into_iter()
        .find(|&i| rule.accepts(survey.row(i), chosen))
        .map(|i| (survey.row(i).to_owned(), values[i], Source::Fallback)))
}

fn shape(_: ndarray::ShapeError) -> Error {
    Error::InvalidInput {
        context: "greedy_batch",
        reason: "a point of the wrong length".into(),
    }
}

/// The Kriging believer: the model conditioned on its own mean at the rows of `fixed`, and
/// the function with its incumbent updated as if those means had been observed — without
/// that, a point whose mean already beats the incumbent would keep its improvement however
/// small its variance, and the next slot would land beside it.
fn believe(
    model: &FittedGp,
    acquisition: Acquisition,
    direction: Direction,
    fixed: ArrayView2<'_, f64>,
) -> Result<(FittedGp, Acquisition)> {
    if fixed.nrows() == 0 {
        return Ok((model.clone(), acquisition));
    }
    let mean = model.marginals(fixed)?.mean;
    let acquisition = match acquisition.incumbent() {
        Some(best) => {
            let believed =
                direction.best(mean.iter().copied().chain([best])).unwrap_or(best);
            acquisition.with_incumbent(believed)
        }
        None => acquisition,
    };
    Ok((model.condition_on(fixed, mean.view())?, acquisition))
}

fn check(
    model: &FittedGp,
    bounds: &Bounds,
    pending: Option<ArrayView2<'_, f64>>,
    options: &BatchOptions,
) -> Result<()> {
    let invalid = |reason: String| {
        Err(Error::InvalidInput { context: "greedy_batch", reason })
    };
    if model.dim() != bounds.dim() {
        return Err(Error::ShapeMismatch {
            context: "greedy_batch: the bounds",
            expected: vec![model.dim()],
            found: vec![bounds.dim()],
        });
    }
    if options.q == 0 {
        return invalid("a batch needs at least one point (q ≥ 1)".into());
    }
    let greedy = &options.greedy;
    if greedy.rule.is_some() && greedy.attempts == 0 {
        return invalid(
            "a rule needs at least one optimiser attempt per slot".into(),
        );
    }
    if let Some(rule) = greedy.rule {
        let r = rule.radius();
        if !(r > 0.0 && r.is_finite()) {
            return invalid(format!(
                "the radius must be a positive number, got {r}"
            ));
        }
        let diagonal = bounds.widths().dot(&bounds.widths()).sqrt();
        if matches!(rule, RadiusRule::Exclude { .. }) && r > diagonal {
            return invalid(format!(
                "an exclusion radius of {r} exceeds the box's diagonal {diagonal}: no two \
                 points of the box are that far apart"
            ));
        }
    }
    if let Some(p) = pending {
        bounds.check_points(p, "greedy_batch: pending points")?;
    }
    Ok(())
}

/// The pairwise Euclidean distances of the rows of `x` (all unordered pairs).
pub fn pairwise_distances(x: ArrayView2<'_, f64>) -> Vec<f64> {
    let mut out = Vec::new();
    for i in 0..x.nrows() {
        for j in i + 1..x.nrows() {
            let d = &x.row(i) - &x.row(j);
            out.push(d.dot(&d).sqrt());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{fit, FitOptions};
    use ndarray::{array, Axis};

    /// A GP of a 2-D function with two basins from 10 points of [−2, 2]², LogEI for
    /// minimisation, and a light optimiser.
    fn setting() -> (FittedGp, Bounds, Acquisition, BatchOptions) {
        let bounds = Bounds::cube(2, -2.0, 2.0).unwrap();
        let x = draw_sobol_samples(&bounds, 10, 3).unwrap();
        let y = x.map_axis(Axis(1), |r| {
            (r[0] - 1.0).powi(2) + (r[1] + 0.5).powi(2)
                - 2.0 * (-(r[0] + 1.0).powi(2)).exp()
        });
        let model = fit(x.view(), &y, &FitOptions::single_task(2)).unwrap();
        let best = y.iter().copied().fold(f64::INFINITY, f64::min);
        let options = BatchOptions {
            acqf: AcqfOptions {
                restarts: 4,
                raw_samples: 64,
                ..AcqfOptions::default()
            },
            ..BatchOptions::new(4)
        };
        (model, bounds, Acquisition::LogExpectedImprovement { best }, options)
    }

    fn smallest_distance(x: ArrayView2<'_, f64>) -> f64 {
        pairwise_distances(x).into_iter().fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn without_conditioning_every_slot_returns_the_same_point() {
        let (model, bounds, a, options) = setting();
        let options = BatchOptions { greedy: Conditioning::None.into(), ..options };
        let b =
            greedy_batch(&model, a, Direction::Minimise, &bounds, None, &options)
                .unwrap();
        assert_eq!(b.x.nrows(), 4);
        assert!(smallest_distance(b.x.view()) < 1e-6, "{}", b.x);
    }

    #[test]
    fn conditioned_batches_are_distinct() {
        let (model, bounds, a, options) = setting();
        for conditioning in
            [Conditioning::KrigingBeliever, Conditioning::LocalPenalisation]
        {
            let options =
                BatchOptions { greedy: conditioning.into(), ..options.clone() };
            let b = greedy_batch(
                &model,
                a,
                Direction::Minimise,
                &bounds,
                None,
                &options,
            )
            .unwrap();
            assert_eq!((b.x.nrows(), b.fallback_slots(), b.refused), (4, 0, 0));
            assert!(
                smallest_distance(b.x.view()) > 1e-2,
                "{conditioning:?}: {}",
                b.x
            );
            assert!(b.x.rows().into_iter().all(|r| bounds.contains(r)));
        }
    }

    #[test]
    fn the_first_slot_is_the_plain_maximiser_and_pending_points_move_it() {
        let (model, bounds, a, options) = setting();
        let plain = Analytic::new(&model, a, Direction::Minimise).unwrap();
        let top = optimize_acqf(&plain, &bounds, &options.acqf).unwrap();
        let b =
            greedy_batch(&model, a, Direction::Minimise, &bounds, None, &options)
                .unwrap();
        assert!((&b.x.row(0) - &top.x).iter().all(|v| v.abs() < 1e-9));
        // With the maximiser pending, the believer looks elsewhere.
        let pending = top.x.clone().insert_axis(Axis(0));
        let b = greedy_batch(
            &model,
            a,
            Direction::Minimise,
            &bounds,
            Some(pending.view()),
            &options,
        )
        .unwrap();
        let moved = &b.x.row(0) - &top.x;
        assert!(moved.dot(&moved).sqrt() > 1e-2, "{}", b.x);
    }

    #[test]
    fn rules_are_enforced_and_the_barrier_makes_the_fallback_unneeded() {
        let (model, bounds, a, options) = setting();
        for rule in [
            RadiusRule::Exclude { radius: 1.0 },
            RadiusRule::Include { radius: 1.0 },
        ] {
            for conditioning in [Conditioning::None, Conditioning::KrigingBeliever]
            {
                for barrier in [false, true] {
                    let options = BatchOptions {
                        greedy: GreedyOptions {
                            rule: Some(rule),
                            barrier,
                            attempts: 3,
                            ..conditioning.into()
                        },
                        ..options.clone()
                    };
                    let b = greedy_batch(
                        &model,
                        a,
                        Direction::Minimise,
                        &bounds,
                        None,
                        &options,
                    )
                    .unwrap();
                    assert_eq!(b.x.nrows(), 4);
                    let d = pairwise_distances(b.x.view());
                    let kept = match rule {
                        RadiusRule::Exclude { .. } => {
                            d.iter().all(|&d| d >= 1.0 - 1e-8)
                        }
                        RadiusRule::Include { .. } => {
                            d.iter().all(|&d| (1e-3..=1.0 + 1e-8).contains(&d))
                        }
                    };
                    assert!(kept, "{rule:?} {conditioning:?} {barrier}: {d:?}");
                    let fallback = b.fallback_slots();
                    match (barrier, conditioning, rule) {
                        // The course's selector: the same maximiser every time, refused.
                        (false, Conditioning::None, RadiusRule::Exclude { .. }) => {
                            assert_eq!(fallback, 3)
                        }
                        // With the barrier, conditioned batches need no fallback. (Without
                        // conditioning, inclusion still returns the first point again, which
                        // the rule refuses: nothing pushes the search off it.)
                        (true, Conditioning::KrigingBeliever, _)
                        | (true, Conditioning::None, RadiusRule::Exclude { .. }) => {
                            assert_eq!(fallback, 0, "{rule:?} {conditioning:?}")
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    #[test]
    fn an_impossible_rule_gives_a_shorter_batch_with_the_reason() {
        let (model, bounds, a, options) = setting();
        // Two points of [−2, 2]² can be 5.6 apart, three cannot all be.
        let options = BatchOptions {
            greedy: GreedyOptions {
                rule: Some(RadiusRule::Exclude { radius: 5.5 }),
                attempts: 2,
                ..GreedyOptions::default()
            },
            q: 3,
            ..options
        };
        let b =
            greedy_batch(&model, a, Direction::Minimise, &bounds, None, &options)
                .unwrap();
        assert!(b.x.nrows() < 3 && b.shortfall.is_some(), "{b:?}");
    }

    #[test]
    fn bad_settings_are_refused() {
        let (model, bounds, a, options) = setting();
        let run = |o: &BatchOptions, p: Option<ArrayView2<'_, f64>>| {
            greedy_batch(&model, a, Direction::Minimise, &bounds, p, o)
        };
        assert!(run(&BatchOptions { q: 0, ..options.clone() }, None).is_err());
        for radius in [0.0, -1.0, f64::NAN, f64::INFINITY, 5.7] {
            let o = BatchOptions {
                greedy: GreedyOptions::default()
                    .with_rule(RadiusRule::Exclude { radius }),
                ..options.clone()
            };
            assert!(run(&o, None).is_err(), "{radius}");
        }
        let no_attempts = BatchOptions {
            greedy: GreedyOptions {
                attempts: 0,
                ..GreedyOptions::default()
                    .with_rule(RadiusRule::Include { radius: 1.0 })
            },
            ..options.clone()
        };
        assert!(run(&no_attempts, None).is_err());
        let outside = array![[3.0, 0.0]];
        assert!(run(&options, Some(outside.view())).is_err());
        let wrong = array![[0.0, 0.0, 0.0]];
        assert!(run(&options, Some(wrong.view())).is_err());
        let ei = Acquisition::ExpectedImprovement { best: 0.0 };
        let o = BatchOptions {
            greedy: Conditioning::LocalPenalisation.into(),
            ..options
        };
        assert!(greedy_batch(&model, ei, Direction::Minimise, &bounds, None, &o)
            .is_err());
    }
}
