//! [`Turbo`]: TuRBO-1 as an ask/tell optimiser over a box.

use super::candidates::{default_candidates, region_candidates};
use super::pathwise::{posterior_draws, thompson_choice, DEFAULT_FEATURES};
use super::region::region_bounds;
use super::state::{RegionOptions, Step, TrustRegion};
use crate::acquisition::Direction;
use crate::gp::{fit, FitOptions, FittedGp, KernelKind};
use crate::sampling::sobol_points;
use crate::{Bounds, Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use std::collections::VecDeque;
use std::time::Instant;

/// The largest lengthscale (unit-cube units) that enters the region's weights: the upper
/// end of the interval [0.005, 4] that BoTorch's TuRBO-1 tutorial constrains the
/// lengthscales to. The library's fit has a floor on lengthscales but no ceiling, so the
/// ceiling is applied where the lengthscales are used: an input the model finds irrelevant
/// then cannot stretch the region along it (and squeeze it along the others) without bound.
pub const MAX_WEIGHT_LENGTHSCALE: f64 = 4.0;

/// The model TuRBO fits, as BoTorch's TuRBO-1 tutorial configures it where the library can:
/// a Matérn-5/2 kernel with one lengthscale per input (at least 0.005, the tutorial's lower
/// constraint) and a learned output scale, a constant mean, no priors (maximum
/// likelihood), on inputs in the unit cube and standardised outputs. (The tutorial also
/// caps the noise variance at 10⁻³ and the lengthscales at 4; the fit here has no
/// ceilings, see [`MAX_WEIGHT_LENGTHSCALE`].)
pub fn turbo_fit_options(dim: usize) -> Result<FitOptions> {
    Ok(FitOptions {
        kind: KernelKind::Matern52,
        lengthscale_floor: 0.005,
        input_bounds: Some(Bounds::unit(dim)?),
        ..FitOptions::default()
    })
}

/// How [`Turbo`] searches. The defaults are BoTorch's TuRBO-1 tutorial's.
#[derive(Debug, Clone, PartialEq)]
pub struct TurboOptions {
    /// Points in the Sobol design that starts each region (and each restart); `None` for
    /// 2d, the tutorial's `n_init`.
    pub initial_points: Option<usize>,
    /// The region's lengths, tolerances and success threshold.
    pub region: RegionOptions,
    /// Thompson-sampling candidates per batch; `None` for min(5000, max(2000, 200·d)).
    pub candidates: Option<usize>,
    /// Random Fourier features per posterior draw ([`DEFAULT_FEATURES`]).
    pub features: usize,
    /// The model; `None` for [`turbo_fit_options`]. Its `input_bounds` is replaced by the
    /// unit cube, where the region lives.
    pub fit: Option<FitOptions>,
    /// Seed of the designs, candidates and draws.
    pub seed: u64,
}

impl Default for TurboOptions {
    fn default() -> Self {
        TurboOptions {
            initial_points: None,
            region: RegionOptions::default(),
            candidates: None,
            features: DEFAULT_FEATURES,
            fit: None,
            seed: 0,
        }
    }
}

/// What an ask proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskKind {
    /// Points of the Sobol design that starts a region.
    Design,
    /// A batch chosen by Thompson sampling inside the region.
    Region,
}

/// What one [`Turbo::ask`] proposed and the region's state it rested on.
#[derive(Debug, Clone, PartialEq)]
pub struct TurboIteration {
    /// A design batch or a region batch.
    pub kind: AskKind,
    /// Restarts before this ask (0 for the first region).
    pub restarts: usize,
    /// Observations of the current region the model was fitted to (0 for a design batch).
    pub observations: usize,
    /// The best value of the current region so far, if any (in the objective's units).
    pub incumbent: Option<f64>,
    /// The region's centre in the data's units (for a region batch).
    pub centre: Option<Array1<f64>>,
    /// The region's box in the data's units (for a region batch).
    pub region: Option<Bounds>,
    /// The side length L (unit-cube units).
    pub length: f64,
    /// The success counter.
    pub successes: usize,
    /// The failure counter.
    pub failures: usize,
    /// The points proposed, one per row, in the data's units.
    pub batch: Array2<f64>,
    /// Seconds spent fitting the model (0 for a design batch).
    pub fit_seconds: f64,
    /// Seconds spent on the candidates and the Thompson draws (0 for a design batch).
    pub candidate_seconds: f64,
    /// For a region batch, the first point's value under the posterior draw that chose it,
    /// in the objective's units (`None` for a design batch).
    pub draw_value: Option<f64>,
}

/// TuRBO-1 (Eriksson et al., 2019) as an ask/tell optimiser over a box: one trust region,
/// Thompson sampling inside it, restarts when it collapses.
///
/// Each region starts with a scrambled Sobol design of [`TurboOptions::initial_points`].
/// Then every [`ask`](Turbo::ask)`(q)`:
/// 1. maps the region's observations to the unit cube and fits a GP to them (outputs
///    standardised, [`turbo_fit_options`]), minimisation handled as maximisation of −y;
/// 2. centres the region at the region's best observation, with side L·wᵢ along input i,
///    w the lengthscales normalised to geometric mean 1, clipped to the cube
///    ([`region_bounds`](super::region_bounds));
/// 3. draws min(5000, max(2000, 200·d)) candidates in it, perturbing each coordinate of
///    the centre with probability min(1, 20/d) ([`region_candidates`]);
/// 4. takes q joint posterior draws over the candidates by pathwise conditioning
///    ([`posterior_draws`]) and returns each draw's best unchosen candidate
///    ([`thompson_choice`]).
///
/// The [`tell`](Turbo::tell) after a region ask is that batch's outcome: it moves the
/// counters and L ([`TrustRegion::update`]). When L falls below L_min the region restarts:
/// its state is reset, its observations are set aside (kept in
/// [`values`](Turbo::values) but no longer modelled, as the tutorial and the paper do) and
/// the next asks return a fresh Sobol design.
///
/// Why Thompson sampling rather than qLogEI inside the region: it is the paper's and the
/// tutorial's default, and with pathwise draws it costs a few milliseconds for 5000
/// candidates where a joint draw by Cholesky costs N³/3 flops, and where maximising qLogEI
/// costs many restarts of a q·d-dimensional L-BFGS; TuRBO's strength is many cheap
/// decisions in a small region. qLogEI inside the region remains possible with
/// [`optimize_acqf`](crate::optimize_acqf::optimize_acqf) over the box
/// [`TurboIteration::region`] gives.
///
/// TuRBO-1 is synchronous: an ask does not know about points asked before and not yet told;
/// ask, evaluate and tell one batch at a time. Deterministic for a seed.
#[derive(Debug, Clone)]
pub struct Turbo {
    bounds: Bounds,
    direction: Direction,
    options: TurboOptions,
    fit_options: FitOptions,
    region: TrustRegion,
    x: Vec<Array1<f64>>,
    y: Vec<f64>,
    /// The region's observations are those from this index on.
    region_start: usize,
    design: VecDeque<Array1<f64>>,
    batch_open: bool,
    restarts: usize,
    history: Vec<TurboIteration>,
    steps: Vec<Step>,
    model: Option<FittedGp>,
}

impl Turbo {
    /// An optimiser over `bounds`, minimising or maximising.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for no initial points, no candidates, no features or a
    /// fit that does not normalise inputs; as for [`RegionOptions::validate`].
    pub fn new(
        bounds: Bounds,
        direction: Direction,
        options: TurboOptions,
    ) -> Result<Self> {
        let d = bounds.dim();
        let context = "Turbo::new";
        let invalid = |reason: &str| {
            Err(Error::InvalidInput { context, reason: reason.into() })
        };
        if options.initial_points == Some(0) {
            return invalid("a region needs at least one initial point");
        }
        if options.candidates == Some(0) {
            return invalid("at least one candidate is needed");
        }
        if options.features == 0 {
            return invalid("at least one random feature is needed");
        }
        let mut fit_options = match &options.fit {
            Some(f) => f.clone(),
            None => turbo_fit_options(d)?,
        };
        if !fit_options.normalize_inputs {
            return invalid("the fit must normalise the inputs (to the unit cube)");
        }
        fit_options.input_bounds = Some(Bounds::unit(d)?);
        let region = TrustRegion::new(d, 1, options.region)?;
        let mut turbo = Turbo {
            bounds,
            direction,
            options,
            fit_options,
            region,
            x: Vec::new(),
            y: Vec::new(),
            region_start: 0,
            design: VecDeque::new(),
            batch_open: false,
            restarts: 0,
            history: Vec::new(),
            steps: Vec::new(),
            model: None,
        };
        turbo.new_design()?;
        Ok(turbo)
    }

    /// The Sobol design of the current restart, in the unit cube, queued for the next asks.
    fn new_design(&mut self) -> Result<()> {
        let d = self.bounds.dim();
        let n = self.options.initial_points.unwrap_or(2 * d);
        let seed = stream(self.options.seed, DESIGN_STREAM, self.restarts as u64);
        let u = sobol_points(n, d, seed)?;
        self.design = u.rows().into_iter().map(|r| r.to_owned()).collect();
        Ok(())
    }

    /// The next `q` points to evaluate, one per row, in the data's units: the next points
    /// of the region's Sobol design while any remain (then possibly fewer than q: the rest
    /// of the design), a Thompson-sampling batch of the region otherwise. Records a
    /// [`TurboIteration`].
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for q = 0 or q above the candidates;
    /// [`Error::Empty`] for a region batch before any of the region's observations are told;
    /// the fit's errors.
    pub fn ask(&mut self, q: usize) -> Result<Array2<f64>> {
        let d = self.bounds.dim();
        let n_candidates =
            self.options.candidates.unwrap_or_else(|| default_candidates(d));
        if q == 0 || q > n_candidates {
            return Err(Error::InvalidInput {
                context: "Turbo::ask",
                reason: format!("q must be between 1 and the {n_candidates} candidates, got {q}"),
            });
        }
        if !self.design.is_empty() {
            let take = q.min(self.design.len());
            let mut u = Array2::zeros((take, d));
            for mut row in u.rows_mut() {
                let p = self
                    .design
                    .pop_front()
                    .unwrap_or_else(|| unreachable!("counted"));
                row.assign(&p);
            }
            let batch = self.bounds.from_unit(u.view())?;
            self.record(
                AskKind::Design,
                batch.clone(),
                None,
                None,
                [0.0, 0.0],
                None,
            );
            self.batch_open = false;
            return Ok(batch);
        }
        if self.y.len() == self.region_start {
            return Err(Error::Empty {
                context: "Turbo::ask: tell the region's initial design first",
            });
        }
        self.region.set_batch_size(q)?;
        // The region's data in the unit cube, as values to maximise.
        let x = self.region_inputs()?;
        let g: Array1<f64> = self.y[self.region_start..]
            .iter()
            .map(|v| self.direction.sign() * v)
            .collect();
        let start = Instant::now();
        let model = fit(x.view(), &g, &self.fit_options)?;
        let fit_seconds = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let best = (0..g.len())
            .reduce(|b, i| if g[i] > g[b] { i } else { b })
            .unwrap_or(0);
        let centre = x.row(best).to_owned();
        let lengthscales = model
            .gp
            .hyperparameters()
            .kernel
            .lengthscales()
            .mapv(|l| l.min(MAX_WEIGHT_LENGTHSCALE));
        let region = region_bounds(
            centre.view(),
            lengthscales.view(),
            self.region.length(),
        )?;
        let ask_index = self.history.len() as u64;
        let seed = stream(self.options.seed, CANDIDATE_STREAM, ask_index);
        let candidates =
            region_candidates(centre.view(), &region, n_candidates, seed)?;
        let model_inputs = model.normalize.apply(candidates.view())?;
        let seed = stream(self.options.seed, DRAW_STREAM, ask_index);
        let draws = posterior_draws(
            &model.gp,
            model_inputs.view(),
            q,
            self.options.features,
            seed,
        )?;
        let chosen = thompson_choice(draws.view())?;
        let draw_value = self.direction.sign()
            * model.standardize.untransform(draws[[0, chosen[0]]]);
        let u = candidates.select(Axis(0), &chosen);
        let candidate_seconds = start.elapsed().as_secs_f64();
        let batch = self.bounds.from_unit(u.view())?;
        let centre = self
            .bounds
            .from_unit(centre.insert_axis(Axis(0)).view())?
            .row(0)
            .to_owned();
        let corners =
            ndarray::stack![Axis(0), region.lower().view(), region.upper().view()];
        let corners = self.bounds.from_unit(corners.view())?;
        let region =
            Bounds::new(corners.row(0).to_owned(), corners.row(1).to_owned())?;
        self.record(
            AskKind::Region,
            batch.clone(),
            Some(centre),
            Some(region),
            [fit_seconds, candidate_seconds],
            Some(draw_value),
        );
        self.model = Some(model);
        self.batch_open = true;
        Ok(batch)
    }

    /// The region's observations mapped to the unit cube (clamped, against rounding).
    fn region_inputs(&self) -> Result<Array2<f64>> {
        let d = self.bounds.dim();
        let mut x = Array2::zeros((self.x.len() - self.region_start, d));
        for (mut row, p) in
            x.rows_mut().into_iter().zip(&self.x[self.region_start..])
        {
            row.assign(p);
        }
        let mut u = self.bounds.to_unit(x.view())?;
        u.mapv_inplace(|v| v.clamp(0.0, 1.0));
        Ok(u)
    }

    fn record(
        &mut self,
        kind: AskKind,
        batch: Array2<f64>,
        centre: Option<Array1<f64>>,
        region: Option<Bounds>,
        [fit_seconds, candidate_seconds]: [f64; 2],
        draw_value: Option<f64>,
    ) {
        let s = self.direction.sign();
        self.history.push(TurboIteration {
            kind,
            restarts: self.restarts,
            observations: if kind == AskKind::Region {
                self.y.len() - self.region_start
            } else {
                0
            },
            incumbent: self.region.best().map(|b| s * b),
            centre,
            region,
            length: self.region.length(),
            successes: self.region.successes(),
            failures: self.region.failures(),
            batch,
            fit_seconds,
            candidate_seconds,
            draw_value,
        });
    }

    /// Records observations: `y[i]` at row i of `x`. After a region ask, this tell is that
    /// batch's outcome and moves the region's counters and length; otherwise (a design, or
    /// points of the caller's own) the values only update the region's best. If the region
    /// has collapsed, it restarts. Every row is checked before anything changes.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for rows of the wrong width or a count of values that does
    /// not match, [`Error::NonFinite`] for NaN or infinite points or values,
    /// [`Error::InvalidInput`] for a point outside the bounds, [`Error::Empty`] for no
    /// points.
    pub fn tell(
        &mut self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
    ) -> Result<()> {
        let context = "Turbo::tell";
        if y.len() != x.nrows() {
            return Err(Error::ShapeMismatch {
                context,
                expected: vec![x.nrows()],
                found: vec![y.len()],
            });
        }
        self.bounds.check_points(x, context)?;
        if y.is_empty() {
            return Err(Error::Empty { context });
        }
        if y.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context });
        }
        let g: Vec<f64> = y.iter().map(|v| self.direction.sign() * v).collect();
        if self.batch_open {
            let step = self.region.update(&g)?;
            self.steps.push(step);
            self.batch_open = false;
        } else {
            self.region.observe(&g)?;
        }
        self.x.extend(x.rows().into_iter().map(|r| r.to_owned()));
        self.y.extend(y.iter().copied());
        if self.region.needs_restart() {
            self.restarts += 1;
            self.region.restart();
            self.region_start = self.y.len();
            self.new_design()?;
        }
        Ok(())
    }

    /// Starts the first region from the caller's own design instead of the queued Sobol
    /// one: tells `x` and `y` (as [`Turbo::tell`]) and drops the queued design, so that the
    /// next ask is already a region's batch. Restarts still draw their own designs.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] after the first ask or tell; as for [`Turbo::tell`].
    pub fn start_from(
        &mut self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
    ) -> Result<()> {
        if !self.history.is_empty() || !self.y.is_empty() {
            return Err(Error::InvalidInput {
                context: "Turbo::start_from",
                reason: "only a fresh optimiser can start from a design".into(),
            });
        }
        self.tell(x, y)?;
        if self.restarts == 0 {
            self.design.clear();
        }
        Ok(())
    }

    /// The model of the last region batch (fitted to the region's points in the unit cube,
    /// to the objective's values times the direction's sign), if any.
    pub fn model(&self) -> Option<&FittedGp> {
        self.model.as_ref()
    }

    /// The trust region's current state.
    pub fn region(&self) -> &TrustRegion {
        &self.region
    }

    /// How many times the region has restarted.
    pub fn restarts(&self) -> usize {
        self.restarts
    }

    /// What each told region batch did, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// One record per ask, in order.
    pub fn history(&self) -> &[TurboIteration] {
        &self.history
    }

    /// Every value told, in order (all regions).
    pub fn values(&self) -> &[f64] {
        &self.y
    }

    /// Every point told, one per row (all regions).
    pub fn inputs(&self) -> Array2<f64> {
        let mut x = Array2::zeros((self.x.len(), self.bounds.dim()));
        for (mut row, p) in x.rows_mut().into_iter().zip(&self.x) {
            row.assign(p);
        }
        x
    }

    /// The best observation of all regions: the point and its value.
    pub fn best(&self) -> Option<(Array1<f64>, f64)> {
        let s = self.direction.sign();
        (0..self.y.len())
            .reduce(|b, i| if s * self.y[i] > s * self.y[b] { i } else { b })
            .map(|i| (self.x[i].clone(), self.y[i]))
    }

    /// The best value after each observation: the best-so-far curve over all regions.
    pub fn best_so_far(&self) -> Vec<f64> {
        self.direction.best_so_far(&self.y)
    }

    /// The box searched.
    pub fn bounds(&self) -> &Bounds {
        &self.bounds
    }

    /// The Sobol design points of the current region not yet asked for.
    pub fn design_remaining(&self) -> usize {
        self.design.len()
    }
}

/// Tags that keep the designs', candidates' and draws' seeds apart.
const DESIGN_STREAM: u64 = 1;
const CANDIDATE_STREAM: u64 = 2;
const DRAW_STREAM: u64 = 3;

/// A seed for item `index` of stream `tag` under `seed`: SplitMix64's finaliser of their
/// combination, so that neighbouring indices and tags give unrelated seeds.
fn stream(seed: u64, tag: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_add(tag.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_add(index.wrapping_mul(0xd1b5_4a32_d192_ed03));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_functions::{Ackley, TestProblem};
    use ndarray::array;
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// A shifted bowl on [−1, 2]ᵈ, minimum 0 at cᵢ = 0.1 + 0.07 i.
    fn bowl(x: ArrayView1<'_, f64>) -> f64 {
        x.iter().enumerate().map(|(i, v)| (v - 0.1 - 0.07 * i as f64).powi(2)).sum()
    }

    fn box_of(d: usize) -> Bounds {
        Bounds::cube(d, -1.0, 2.0).unwrap()
    }

    /// Asks, evaluates with `f` and tells, `rounds` times.
    fn run(
        turbo: &mut Turbo,
        f: impl Fn(ArrayView1<'_, f64>) -> f64,
        q: usize,
        rounds: usize,
    ) {
        for _ in 0..rounds {
            let x = turbo.ask(q).unwrap();
            let y: Array1<f64> = x.rows().into_iter().map(&f).collect();
            turbo.tell(x.view(), y.view()).unwrap();
        }
    }

    #[test]
    fn the_design_comes_first_then_batches_inside_the_region() {
        let options =
            TurboOptions { initial_points: Some(6), ..TurboOptions::default() };
        let mut turbo =
            Turbo::new(box_of(3), Direction::Minimise, options).unwrap();
        let first = turbo.ask(4).unwrap();
        assert_eq!(first.nrows(), 4);
        let rest = turbo.ask(4).unwrap();
        assert_eq!((rest.nrows(), turbo.design_remaining()), (2, 0));
        // The design is the Sobol design of the first stream, mapped to the box.
        let design = ndarray::concatenate![Axis(0), first, rest];
        let seed = stream(0, DESIGN_STREAM, 0);
        let want =
            box_of(3).from_unit(sobol_points(6, 3, seed).unwrap().view()).unwrap();
        assert_eq!(design, want);
        // A region batch before the design is told: nothing to model.
        assert!(matches!(turbo.ask(2), Err(Error::Empty { .. })));
        let y: Array1<f64> = design.rows().into_iter().map(bowl).collect();
        turbo.tell(design.view(), y.view()).unwrap();
        assert!(turbo.steps().is_empty());
        let best = (0..6).min_by(|&a, &b| y[a].total_cmp(&y[b])).unwrap();
        for round in 0..4 {
            let x = turbo.ask(3).unwrap();
            let record = turbo.history().last().unwrap().clone();
            assert_eq!(record.kind, AskKind::Region);
            assert_eq!(record.batch, x);
            let region = record.region.unwrap();
            assert!(
                x.rows().into_iter().all(|r| region.contains(r)),
                "{x}\n{region:?}"
            );
            assert!(region.contains(record.centre.as_ref().unwrap().view()));
            if round == 0 {
                // The centre is the best design point, L is L₀ and the counters are 0.
                assert_eq!(record.centre.unwrap(), design.row(best));
                assert_eq!(
                    (record.length, record.successes, record.failures),
                    (0.8, 0, 0)
                );
                assert_eq!(record.incumbent, Some(y[best]));
                assert_eq!(record.observations, 6);
            }
            // Distinct points.
            assert!(x.rows().into_iter().enumerate().all(|(i, a)| x
                .rows()
                .into_iter()
                .skip(i + 1)
                .all(|b| a != b)));
            let v: Array1<f64> = x.rows().into_iter().map(bowl).collect();
            turbo.tell(x.view(), v.view()).unwrap();
        }
        assert_eq!(turbo.steps().len(), 4);
        assert_eq!(turbo.values().len(), 18);
        // Failure tolerance ⌈max(4, 3)/3⌉ = 2 for q = 3.
        assert_eq!(turbo.region().failure_tolerance(), 2);
    }

    #[test]
    fn a_collapsed_region_restarts_with_a_fresh_design() {
        // L₀ = 0.01 just above L_min = 0.008 and one failure to halve: the first failed
        // batch collapses the region.
        let region = RegionOptions {
            length_init: 0.01,
            length_min: 0.008,
            failure_tolerance: Some(1),
            ..RegionOptions::default()
        };
        let options = TurboOptions {
            initial_points: Some(5),
            region,
            ..TurboOptions::default()
        };
        let mut turbo =
            Turbo::new(box_of(2), Direction::Maximise, options).unwrap();
        let design = turbo.ask(5).unwrap();
        turbo.tell(design.view(), Array1::from_elem(5, 1.0).view()).unwrap();
        // A batch that does not improve on 1.0: a failure, L = 0.005 < 0.008, restart.
        let x = turbo.ask(2).unwrap();
        assert_eq!(turbo.restarts(), 0);
        turbo.tell(x.view(), array![0.5, 1.0].view()).unwrap();
        assert_eq!(turbo.steps(), &[Step::Shrunk]);
        assert_eq!(turbo.restarts(), 1);
        let r = turbo.region();
        assert_eq!(
            (r.length(), r.successes(), r.failures(), r.best()),
            (0.01, 0, 0, None)
        );
        assert_eq!(turbo.design_remaining(), 5);
        // The next asks are a new design, unlike the first; everything told is kept.
        let again = turbo.ask(5).unwrap();
        assert_eq!(turbo.history().last().unwrap().kind, AskKind::Design);
        assert_eq!(turbo.history().last().unwrap().restarts, 1);
        assert_ne!(again, design);
        assert_eq!(turbo.values().len(), 7);
        // The new region models only its own observations: after its design is told, the
        // next region batch is fitted to 5 points, not 12.
        turbo.tell(again.view(), Array1::from_elem(5, 0.0).view()).unwrap();
        turbo.ask(1).unwrap();
        let record = turbo.history().last().unwrap();
        assert_eq!((record.observations, record.incumbent), (5, Some(0.0)));
        assert_eq!(turbo.best().unwrap().1, 1.0);
    }

    #[test]
    fn a_fresh_optimiser_starts_from_a_given_design_only() {
        let bounds = Bounds::unit(3).unwrap();
        let x = array![
            [0.1, 0.2, 0.3],
            [0.7, 0.5, 0.9],
            [0.4, 0.8, 0.2],
            [0.9, 0.1, 0.6]
        ];
        let y = array![3.0, 1.0, 2.0, 4.0];
        let mut turbo = Turbo::new(
            bounds.clone(),
            Direction::Minimise,
            TurboOptions::default(),
        )
        .unwrap();
        turbo.start_from(x.view(), y.view()).unwrap();
        assert_eq!(turbo.design_remaining(), 0);
        turbo.ask(1).unwrap();
        assert_eq!(turbo.history()[0].kind, AskKind::Region);
        assert!(turbo.model().is_some());
        assert!(turbo.history()[0].draw_value.is_some_and(f64::is_finite));
        assert!(matches!(
            turbo.start_from(x.view(), y.view()),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn a_run_is_deterministic_for_a_seed() {
        let runs: Vec<Turbo> = [7, 7, 8]
            .into_iter()
            .map(|seed| {
                let options = TurboOptions {
                    initial_points: Some(8),
                    seed,
                    ..TurboOptions::default()
                };
                let mut t =
                    Turbo::new(box_of(4), Direction::Minimise, options).unwrap();
                run(&mut t, bowl, 4, 5);
                t
            })
            .collect();
        assert_eq!(runs[0].values(), runs[1].values());
        assert_eq!(runs[0].inputs(), runs[1].inputs());
        assert_ne!(runs[0].values(), runs[2].values());
    }

    /// The best of `n` uniform random points of the box (seed 0).
    fn random_search(problem: &dyn TestProblem, n: usize) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let b = problem.bounds();
        (0..n)
            .map(|_| {
                let x: Array1<f64> = b
                    .lower()
                    .iter()
                    .zip(b.upper())
                    .map(|(l, u)| l + (u - l) * rng.random::<f64>())
                    .collect();
                problem.value(x.view()).unwrap()
            })
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn turbo_beats_random_search_on_ackley_10() {
        // 100 evaluations in d = 10 with the default settings (a 20-point design, batches
        // of 4), seed 0; random search with the same budget.
        let ackley = Ackley::new(10).unwrap();
        let mut turbo = Turbo::new(
            ackley.bounds().clone(),
            Direction::Minimise,
            TurboOptions::default(),
        )
        .unwrap();
        let f = |x: ArrayView1<'_, f64>| ackley.value(x).unwrap();
        run(&mut turbo, f, 4, 25);
        assert_eq!(turbo.values().len(), 100);
        let best = turbo.best().unwrap().1;
        let random = random_search(&ackley, 100);
        assert!(best < 0.7 * random, "TuRBO {best}, random search {random}");
        let curve = turbo.best_so_far();
        assert!(curve.windows(2).all(|w| w[1] <= w[0]));
    }

    #[test]
    fn bad_input_is_refused_and_changes_nothing() {
        let mut turbo =
            Turbo::new(box_of(2), Direction::Minimise, TurboOptions::default())
                .unwrap();
        assert!(turbo.ask(0).is_err());
        assert!(turbo.ask(2001).is_err());
        let x = turbo.ask(4).unwrap();
        let y: Array1<f64> = x.rows().into_iter().map(bowl).collect();
        let bad = [
            (x.clone(), array![1.0, 2.0, 3.0]),
            (x.clone(), array![1.0, f64::NAN, 3.0, 4.0]),
            (array![[0.0, 0.0], [5.0, 0.0], [0.0, 0.0], [0.0, 0.0]], y.clone()),
            (
                array![[0.0, f64::NAN], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
                y.clone(),
            ),
            (Array2::zeros((0, 2)), Array1::zeros(0)),
        ];
        for (bx, by) in bad {
            assert!(turbo.tell(bx.view(), by.view()).is_err(), "{bx} {by}");
            assert!(turbo.values().is_empty());
        }
        assert!(turbo
            .tell(array![[0.0, 0.0, 0.0]].view(), array![1.0].view())
            .is_err());
        turbo.tell(x.view(), y.view()).unwrap();
        assert_eq!(turbo.values().len(), 4);
        let options = [
            TurboOptions { initial_points: Some(0), ..TurboOptions::default() },
            TurboOptions { candidates: Some(0), ..TurboOptions::default() },
            TurboOptions { features: 0, ..TurboOptions::default() },
            TurboOptions {
                region: RegionOptions {
                    length_min: -1.0,
                    ..RegionOptions::default()
                },
                ..TurboOptions::default()
            },
            TurboOptions {
                fit: Some(FitOptions {
                    normalize_inputs: false,
                    ..FitOptions::default()
                }),
                ..TurboOptions::default()
            },
        ];
        for o in options {
            assert!(
                Turbo::new(box_of(2), Direction::Minimise, o.clone()).is_err(),
                "{o:?}"
            );
        }
    }
}
