//! The Bayesian-optimisation loop as a small ask/tell [`Optimizer`]: it holds the data, the
//! direction and the box, and on each [`ask`](Optimizer::ask) fits a model, builds the
//! acquisition function and maximises it; [`tell`](Optimizer::tell) hands back what was
//! observed. A chapter, a benchmark and a command-line tool all drive this same code, and its
//! per-iteration [`history`](Optimizer::history) records what each decision rested on.
//!
//! [`ask_batch`](Optimizer::ask_batch) proposes q points to run in parallel, by
//! [`BatchChoice`]: jointly by the Monte Carlo form of the acquisition function (qLogEI for
//! LogEI, BoTorch's default), one at a time with the earlier points pending, or greedily
//! through a single-point function conditioned on the points before it, optionally under a
//! distance rule between the batch's points ([`GreedyOptions`]). Every asked point
//! is *pending* until it is told, and later asks are conditioned on the pending points: a
//! second ask before the results arrive proposes somewhere else. A caller that runs
//! something other than what it asked for says so with
//! [`clear_pending`](Optimizer::clear_pending).
//!
//! [`MixedOptimizer`] is the same loop over a [`MixedSpace`](crate::mixed::MixedSpace) of
//! continuous, integer, discrete and categorical variables.
//!
//! [`Settings::quality`] can spend more time on each decision ([`Quality::Spend`]); by
//! default it spends none ([`Quality::Default`]).
//!
//! [`minimise`] and [`maximise`] run a whole campaign — a Sobol design, then the loop — in
//! one call.

use crate::acquisition::monte_carlo::optimize_acqf_sequential;
use crate::acquisition::{
    Acquisition, Analytic, Direction, Ensemble, MonteCarlo, MonteCarloKind,
    MonteCarloOptions,
};
use crate::batch::{greedy_batch, BatchOptions, GreedyOptions};
use crate::gp::fully_bayesian::{
    fit_fully_bayesian, BayesianPriors, FullyBayesianGp, FullyBayesianOptions,
};
use crate::gp::{fit, DataUnits, FitOptions, FittedGp};
use crate::models::Model;
use crate::optimize_acqf::effort::optimize_acqf_since;
use crate::optimize_acqf::{optimize_acqf, AcqfOptions, Optimised};
use crate::turbo::{Turbo, TurboIteration, TurboOptions};
use crate::{Bounds, Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use std::time::Instant;

mod campaign;
mod mixed;
mod quality;
pub use campaign::{maximise, minimise, Campaign, CampaignResult};
pub use mixed::{
    AcquisitionBuilder, MixedBatch, MixedOptimizer, MixedSearch, MixedSettings,
};
pub use quality::{ChainOptions, Quality, SpendModel, SpendOptions, REGION_DIM};

/// Which acquisition function the loop maximises; the loop supplies the incumbent (the best
/// value observed so far).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AcquisitionChoice {
    /// log EI: the default, EI's choices without its numerical underflow.
    LogExpectedImprovement,
    /// EI.
    ExpectedImprovement,
    /// PI.
    ProbabilityOfImprovement,
    /// log PI.
    LogProbabilityOfImprovement,
    /// UCB with BoTorch's β.
    UpperConfidenceBound {
        /// β ≥ 0.
        beta: f64,
    },
    /// The posterior mean: exploitation alone.
    PosteriorMean,
}

impl AcquisitionChoice {
    /// The acquisition function with incumbent `best`.
    pub fn with_incumbent(self, best: f64) -> Acquisition {
        match self {
            AcquisitionChoice::LogExpectedImprovement => {
                Acquisition::LogExpectedImprovement { best }
            }
            AcquisitionChoice::ExpectedImprovement => {
                Acquisition::ExpectedImprovement { best }
            }
            AcquisitionChoice::ProbabilityOfImprovement => {
                Acquisition::ProbabilityOfImprovement { best }
            }
            AcquisitionChoice::LogProbabilityOfImprovement => {
                Acquisition::LogProbabilityOfImprovement { best }
            }
            AcquisitionChoice::UpperConfidenceBound { beta } => {
                Acquisition::UpperConfidenceBound { beta }
            }
            AcquisitionChoice::PosteriorMean => Acquisition::PosteriorMean,
        }
    }
}

impl AcquisitionChoice {
    /// The Monte Carlo form of the choice with incumbent `best` (qEI, qLogEI, qUCB), for
    /// batches and pending points.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for PI, log PI and the posterior mean, which have no Monte
    /// Carlo form here.
    pub fn monte_carlo(self, best: f64) -> Result<MonteCarloKind> {
        match self {
            AcquisitionChoice::LogExpectedImprovement => {
                Ok(MonteCarloKind::LogExpectedImprovement { best })
            }
            AcquisitionChoice::ExpectedImprovement => {
                Ok(MonteCarloKind::ExpectedImprovement { best })
            }
            AcquisitionChoice::UpperConfidenceBound { beta } => {
                Ok(MonteCarloKind::UpperConfidenceBound { beta })
            }
            other => Err(Error::InvalidInput {
                context: "batch acquisition",
                reason: format!(
                    "{other:?} has no Monte Carlo form; use LogEI, EI or UCB, or a greedy \
                     batch (BatchChoice::Greedy)"
                ),
            }),
        }
    }
}

/// How [`Optimizer::ask_batch`] chooses several points at once, and how any ask treats
/// pending points (asked for but not yet told).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BatchChoice {
    /// The Monte Carlo form of the acquisition function (qLogEI for LogEI) maximised
    /// jointly over the q × d block, with pending points in its joint posterior
    /// (BoTorch's default).
    Joint,
    /// The Monte Carlo form with q = 1, one point at a time, each added to the pending
    /// points of the next.
    Sequential,
    /// The analytic function one point at a time, each conditioned on the points before it
    /// and on the pending points, under a distance rule if the options give one
    /// ([`crate::batch`]). `Greedy(Conditioning::KrigingBeliever.into())` is the believer
    /// without a rule.
    Greedy(GreedyOptions),
}

/// How the loop models and decides.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The acquisition function.
    pub acquisition: AcquisitionChoice,
    /// How the model is fitted; `None` for [`FitOptions::single_task`] with inputs
    /// normalised by the box, so that normalised units stay fixed across iterations.
    pub fit: Option<FitOptions>,
    /// How the acquisition function is maximised (its seed is offset by the iteration).
    pub acqf: AcqfOptions,
    /// Also survey the acquisition function close to the best observations, as judged by the
    /// model's mean: the best [`BEST_FRACTION`] of them, at least one, become
    /// [`AcqfOptions::anchors`] (unless anchors are given in `acqf`). On by default.
    pub around_best: bool,
    /// How batches, and single points asked while others are pending, are chosen.
    pub batch: BatchChoice,
    /// The Monte Carlo estimate of the batch functions (512 QMC samples by default; the
    /// seed is offset by the iteration).
    pub monte_carlo: MonteCarloOptions,
    /// Whether to spend more time on each decision: [`Quality::Default`] (the default)
    /// spends none. Single points and joint batches use it; greedy and sequential batches
    /// decide as usual.
    pub quality: Quality,
}

/// The share of [`ChainOptions::allowance`] a fully Bayesian fit may take, leaving the rest
/// for the search: when the last chain's seconds, scaled by n² to the data now, exceed it,
/// the ask uses the usual fit (but see [`PROBE_EVERY`]).
pub const CHAIN_SHARE: f64 = 0.75;

/// After a chain predicted to overrun [`CHAIN_SHARE`] of the allowance, the asks use the usual
/// fit until this many asks have passed since that chain; the next samples again, so that
/// one slow chain (a busy moment of the machine) does not end the sampling for good.
pub const PROBE_EVERY: usize = 10;

/// The fewest Monte Carlo samples per member of a fully Bayesian model's ensemble, which
/// otherwise shares [`Settings::monte_carlo`]'s samples among its members.
pub const MIN_MEMBER_SAMPLES: usize = 32;

/// The fraction of the observations, best first by the model's mean, that
/// [`Settings::around_best`] surveys around (5%, as BoTorch's `sample_around_best`).
pub const BEST_FRACTION: f64 = 0.05;

impl Default for Settings {
    /// LogEI through BoTorch's single-task defaults, 10 restarts from 512 raw samples and as
    /// many more around the best observations; batches jointly by qLogEI with 512 samples.
    fn default() -> Self {
        Settings {
            acquisition: AcquisitionChoice::LogExpectedImprovement,
            fit: None,
            acqf: AcqfOptions::default(),
            around_best: true,
            batch: BatchChoice::Joint,
            monte_carlo: MonteCarloOptions::default(),
            quality: Quality::Default,
        }
    }
}

/// What one [`ask`](Optimizer::ask) decided and what it rested on.
#[derive(Debug, Clone, PartialEq)]
pub struct Iteration {
    /// The number of observations the model was fitted to.
    pub observations: usize,
    /// The incumbent: the best value observed so far.
    pub incumbent: f64,
    /// The point proposed (the first of a batch).
    pub candidate: Array1<f64>,
    /// Every point proposed, one per row (q × d; one row for [`Optimizer::ask`]).
    pub batch: Array2<f64>,
    /// The points pending when it was asked (m × d), which it was conditioned on.
    pub pending: Array2<f64>,
    /// The acquisition value there (of the whole batch, for a jointly chosen one).
    pub acquisition_value: f64,
    /// The fitted hyperparameters, in the data's units.
    pub hyperparameters: DataUnits,
    /// Seconds spent fitting the model.
    pub fit_seconds: f64,
    /// Seconds spent maximising the acquisition function.
    pub acquisition_seconds: f64,
    /// Attempts of the acquisition optimiser that failed and were retried, with reasons.
    pub retried: Vec<String>,
    /// Candidates a greedy batch's distance rule refused (0 for other choices).
    pub refused: usize,
    /// Slots of a greedy batch filled from its rule's Sobol fallback (0 for other choices).
    pub fallback_slots: usize,
    /// The level of the acquisition optimiser's ladder reached under [`Quality::Spend`]
    /// (`None` under [`Quality::Default`] and for greedy and sequential batches).
    pub effort_level: Option<usize>,
    /// The hyperparameter draws the decision averaged over under
    /// [`SpendModel::FullyBayesian`] (0 for the usual fit); `hyperparameters` are then those
    /// of the most probable draw.
    pub draws: usize,
    /// Under a trust region ([`SpendOptions::region`]), TuRBO's record of the ask; then
    /// `hyperparameters` are those of TuRBO's model of the region (inputs in the unit
    /// cube's units, values times the direction's sign; the previous model's for the points
    /// of a restart's design), and `acquisition_value` is the first point's value under the
    /// posterior draw that chose it (the incumbent for a design point).
    pub trust_region: Option<TurboIteration>,
}

/// An ask/tell Bayesian optimiser over a box.
#[derive(Debug, Clone)]
pub struct Optimizer {
    bounds: Bounds,
    direction: Direction,
    settings: Settings,
    x: Vec<Array1<f64>>,
    y: Vec<f64>,
    pending: Vec<Array1<f64>>,
    history: Vec<Iteration>,
    model: Option<FittedGp>,
    /// The fully Bayesian model of the last ask, under [`SpendModel::FullyBayesian`].
    ensemble: Option<FullyBayesianGp>,
    /// TuRBO's state, under [`SpendOptions::region`] (made at the first ask).
    turbo: Option<Box<Turbo>>,
    /// The observations and seconds of the last fully Bayesian fit.
    /// (observations, seconds, ask) of the last fully Bayesian fit.
    last_chain: Option<(usize, f64, usize)>,
}

impl Optimizer {
    /// An optimiser of an objective over `bounds`, to be minimised or maximised.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if custom fit settings normalise with a box of another
    /// dimension; [`Error::InvalidInput`] for [`Quality::Spend`] options that
    /// [`SpendOptions::check`] refuses.
    pub fn new(
        bounds: Bounds,
        direction: Direction,
        settings: Settings,
    ) -> Result<Self> {
        if let Some(b) = settings.fit.as_ref().and_then(|f| f.input_bounds.as_ref())
        {
            if b.dim() != bounds.dim() {
                return Err(Error::ShapeMismatch {
                    context: "Optimizer: the fit's input bounds",
                    expected: vec![bounds.dim()],
                    found: vec![b.dim()],
                });
            }
        }
        if let Quality::Spend(spend) = &settings.quality {
            spend.check()?;
        }
        Ok(Optimizer {
            bounds,
            direction,
            settings,
            x: Vec::new(),
            y: Vec::new(),
            pending: Vec::new(),
            history: Vec::new(),
            model: None,
            ensemble: None,
            turbo: None,
            last_chain: None,
        })
    }

    /// Records observations: `y[i]` at the point in row i of `x`. Every row is checked before
    /// any is stored, so a rejected call leaves the optimiser unchanged.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for rows of the wrong width or a count of values that does
    /// not match, [`Error::NonFinite`] for NaN or infinite points or values,
    /// [`Error::InvalidInput`] naming a point outside the bounds.
    pub fn tell(
        &mut self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
    ) -> Result<()> {
        if y.len() != x.nrows() {
            return Err(Error::ShapeMismatch {
                context: "Optimizer::tell: one value per point",
                expected: vec![x.nrows()],
                found: vec![y.len()],
            });
        }
        self.bounds.check_points(x, "Optimizer::tell")?;
        if y.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                context: "Optimizer::tell: observed values",
            });
        }
        // A told point is no longer pending.
        let widths = self.bounds.widths();
        self.pending.retain(|p| {
            x.rows().into_iter().all(|r| {
                r.iter()
                    .zip(p)
                    .zip(&widths)
                    .any(|((a, b), w)| (a - b).abs() > 1e-12 * w)
            })
        });
        if let Some(turbo) = self.turbo.as_mut().filter(|_| !y.is_empty()) {
            turbo.tell(x, y)?;
        }
        self.x.extend(x.rows().into_iter().map(|r| r.to_owned()));
        self.y.extend(y.iter().copied());
        Ok(())
    }

    /// The points asked for and not yet told, one per row: every ask conditions on them,
    /// so that a second ask before the results arrive proposes different points.
    pub fn pending(&self) -> Array2<f64> {
        rows(&self.pending, self.bounds.dim())
    }

    /// Forgets the pending points (experiments abandoned, or evaluated elsewhere and told
    /// at other coordinates).
    pub fn clear_pending(&mut self) {
        self.pending.clear();
    }

    /// Fits the model to everything told so far, maximises the acquisition function and
    /// returns the point to evaluate next, recording an [`Iteration`]. The point is pending
    /// until it is told. With points pending, it is chosen as the last point of a batch
    /// that contains them ([`Settings::batch`]).
    ///
    /// # Errors
    /// [`Error::Empty`] before any observation; the fit's or the acquisition optimiser's
    /// errors otherwise.
    pub fn ask(&mut self) -> Result<Array1<f64>> {
        Ok(self.ask_batch(1)?.row(0).to_owned())
    }

    /// Fits the model and proposes `q` points to evaluate together, one per row, by
    /// [`Settings::batch`], conditioned on the pending points; records an [`Iteration`]
    /// and marks the points pending.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for q = 0, q larger than the raw samples, an acquisition
    /// function without the Monte Carlo form the batch choice needs, or a greedy batch whose
    /// distance rule no q points satisfy (the reason says which slot failed; nothing is
    /// recorded or marked pending); as for [`Optimizer::ask`].
    pub fn ask_batch(&mut self, q: usize) -> Result<Array2<f64>> {
        if q == 0 || q > self.settings.acqf.raw_samples {
            return Err(Error::InvalidInput {
                context: "Optimizer::ask_batch",
                reason: format!(
                    "q must be between 1 and the {} raw samples, got {q}",
                    self.settings.acqf.raw_samples
                ),
            });
        }
        let incumbent =
            self.direction.best(self.y.iter().copied()).ok_or(Error::Empty {
                context: "Optimizer::ask: tell an initial design first",
            })?;
        if let Quality::Spend(SpendOptions { region: Some(region), .. }) =
            &self.settings.quality
        {
            let region = region.clone();
            return self.ask_region(q, incumbent, region);
        }
        let x = self.inputs();
        let y = Array1::from(self.y.clone());
        let options = self.settings.fit.clone().unwrap_or_else(|| FitOptions {
            input_bounds: Some(self.bounds.clone()),
            ..FitOptions::single_task(self.bounds.dim())
        });
        let pending = self.pending();
        let asked = Instant::now();
        let ensemble = match self.chain_options(q, pending.nrows()) {
            Some(chain) => {
                let e = self.fit_ensemble(x.view(), &y, chain)?;
                self.last_chain = Some((
                    self.y.len(),
                    asked.elapsed().as_secs_f64(),
                    self.history.len(),
                ));
                Some(e)
            }
            None => None,
        };
        let model = match &ensemble {
            Some(e) => e.most_probable().clone(),
            None => fit(x.view(), &y, &options)?,
        };
        let fit_seconds = asked.elapsed().as_secs_f64();
        let start = Instant::now();
        let found = match &ensemble {
            Some(e) => {
                self.decide_ensemble(e, incumbent, q, pending.view(), asked)?
            }
            None => self.decide(&model, incumbent, q, pending.view(), asked)?,
        };
        let acquisition_seconds = start.elapsed().as_secs_f64();
        self.history.push(Iteration {
            observations: self.y.len(),
            incumbent,
            candidate: found.x.row(0).to_owned(),
            batch: found.x.clone(),
            pending,
            acquisition_value: found.value,
            hyperparameters: model.data_units()?,
            fit_seconds,
            acquisition_seconds,
            retried: found.retried,
            refused: found.refused,
            fallback_slots: found.fallback_slots,
            effort_level: found.effort_level,
            draws: ensemble.as_ref().map_or(0, |e| e.members().len()),
            trust_region: None,
        });
        self.model = Some(model);
        if ensemble.is_some() {
            self.ensemble = ensemble;
        }
        self.pending.extend(found.x.rows().into_iter().map(|r| r.to_owned()));
        Ok(found.x)
    }

    /// The acquisition optimiser's settings for this iteration: the seed offset by the
    /// iteration, anchors around the best observations for one-point searches.
    fn acqf_options<M: Model>(&self, model: &M, q: usize) -> Result<AcqfOptions> {
        let anchors = match &self.settings.acqf.anchors {
            // Anchors are single points; a joint q-point search has none.
            None if self.settings.around_best && q == 1 => {
                Some(self.best_by_mean(model)?)
            }
            None => None,
            given => given.clone(),
        };
        Ok(AcqfOptions {
            seed: self.settings.acqf.seed.wrapping_add(self.history.len() as u64),
            anchors,
            ..self.settings.acqf.clone()
        })
    }

    /// Maximises `acqf` with `options` by [`Settings::quality`]; an allowance counts from
    /// `asked`. Also returns the level reached under [`Quality::Spend`].
    fn maximise(
        &self,
        acqf: &dyn crate::acquisition::AcquisitionFunction,
        options: &AcqfOptions,
        asked: Instant,
    ) -> Result<(Optimised, Option<usize>)> {
        match &self.settings.quality {
            Quality::Default => {
                Ok((optimize_acqf(acqf, &self.bounds, options)?, None))
            }
            Quality::Spend(spend) => {
                let s = optimize_acqf_since(
                    acqf,
                    &self.bounds,
                    options,
                    spend.effort,
                    asked,
                )?;
                Ok((s.found, Some(s.level)))
            }
        }
    }

    /// Chooses q points for `model`, conditioned on `pending`; an allowance counts from
    /// `asked`.
    fn decide(
        &self,
        model: &FittedGp,
        incumbent: f64,
        q: usize,
        pending: ArrayView2<'_, f64>,
        asked: Instant,
    ) -> Result<Decision> {
        let choice = self.settings.acquisition;
        let one = q == 1 && pending.nrows() == 0 && !self.monte_carlo_single();
        let batch = if one {
            None
        } else if q == 1 && pending.nrows() == 0 {
            Some(BatchChoice::Joint)
        } else {
            Some(self.settings.batch)
        };
        match batch {
            // One point, nothing pending: the analytic function.
            None => {
                let acqf = Analytic::new(
                    model,
                    choice.with_incumbent(incumbent),
                    self.direction,
                )?;
                let (found, effort_level) =
                    self.maximise(&acqf, &self.acqf_options(model, 1)?, asked)?;
                Ok(Decision {
                    x: found.x.insert_axis(ndarray::Axis(0)),
                    value: found.value,
                    retried: found.retried,
                    effort_level,
                    ..Decision::default()
                })
            }
            Some(BatchChoice::Greedy(greedy)) => {
                let options =
                    BatchOptions { q, greedy, acqf: self.acqf_options(model, 1)? };
                let kind = choice.with_incumbent(incumbent);
                let b = greedy_batch(
                    model,
                    kind,
                    self.direction,
                    &self.bounds,
                    Some(pending),
                    &options,
                )?;
                if let Some(reason) = b.shortfall {
                    return Err(Error::InvalidInput {
                        context: "Optimizer::ask_batch",
                        reason,
                    });
                }
                let value = b.values.first().copied().unwrap_or(f64::NAN);
                let fallback_slots = b.fallback_slots();
                Ok(Decision {
                    x: b.x,
                    value,
                    retried: vec![],
                    refused: b.refused,
                    fallback_slots,
                    effort_level: None,
                })
            }
            Some(BatchChoice::Joint) | Some(BatchChoice::Sequential) => {
                let kind = choice.monte_carlo(incumbent)?;
                let mc_options = self.monte_carlo_options();
                let joint = matches!(batch, Some(BatchChoice::Joint));
                let width = if joint { q } else { 1 };
                let mut acqf = MonteCarlo::new(
                    model,
                    kind,
                    self.direction,
                    width,
                    &mc_options,
                )?;
                if pending.nrows() > 0 {
                    acqf = acqf.with_pending(pending)?;
                }
                let options = self.acqf_options(model, width)?;
                if joint {
                    let (found, effort_level) =
                        self.maximise(&acqf, &options, asked)?;
                    self.joint_decision(found, q, effort_level)
                } else {
                    let b =
                        optimize_acqf_sequential(&acqf, q, &self.bounds, &options)?;
                    let value = b.values.first().copied().unwrap_or(f64::NAN);
                    let retried =
                        b.steps.iter().flat_map(|s| s.retried.clone()).collect();
                    Ok(Decision { x: b.x, value, retried, ..Decision::default() })
                }
            }
        }
    }

    /// The chain's settings if this ask rests on a fully Bayesian model: under
    /// [`SpendModel::FullyBayesian`], for a single point or a joint batch.
    fn chain_options(&self, q: usize, pending: usize) -> Option<&ChainOptions> {
        let Quality::Spend(SpendOptions {
            model: SpendModel::FullyBayesian(chain),
            ..
        }) = &self.settings.quality
        else {
            return None;
        };
        let one = q == 1 && pending == 0;
        if !(one || self.settings.batch == BatchChoice::Joint) {
            return None;
        }
        // Under an allowance, the chain must leave room for the search: its cost, predicted
        // from the last chain's as n², must stay within a share of the allowance. Every
        // PROBE_EVERY-th ask since the last chain samples anyway, to measure the cost anew
        // (the last one may have met a busy machine).
        if let (Some(seconds), Some((n, took, at))) =
            (chain.allowance, self.last_chain)
        {
            let grow = (self.y.len() as f64 / n as f64).powi(2);
            let probe = self.history.len() - at >= PROBE_EVERY;
            if took * grow > CHAIN_SHARE * seconds && !probe {
                return None;
            }
        }
        Some(chain)
    }

    /// Samples the hyperparameters, continuing the previous ask's chain when there is one.
    fn fit_ensemble(
        &self,
        x: ArrayView2<'_, f64>,
        y: &Array1<f64>,
        chain: &ChainOptions,
    ) -> Result<FullyBayesianGp> {
        let start = self.ensemble.as_ref().map(FullyBayesianGp::last_draw);
        let mut sampler = chain.sampler.clone();
        sampler.seed = sampler.seed.wrapping_add(self.history.len() as u64);
        if start.is_some() {
            sampler.warmup = chain.continued_warmup;
        }
        let options = FullyBayesianOptions {
            priors: chain
                .priors
                .unwrap_or_else(|| BayesianPriors::single_task(self.bounds.dim())),
            sampler,
            input_bounds: Some(self.bounds.clone()),
            start,
        };
        fit_fully_bayesian(x, y, &options)
    }

    /// As [`Optimizer::decide`], for a fully Bayesian model: the acquisition function
    /// averaged over its draws ([`Ensemble`]), for a single point (analytic) or a joint
    /// batch (Monte Carlo).
    fn decide_ensemble(
        &self,
        model: &FullyBayesianGp,
        incumbent: f64,
        q: usize,
        pending: ArrayView2<'_, f64>,
        asked: Instant,
    ) -> Result<Decision> {
        let choice = self.settings.acquisition;
        let one = q == 1 && pending.nrows() == 0 && !self.monte_carlo_single();
        let (found, effort_level) = if one {
            let acqf = Ensemble::new(
                model.members(),
                choice.with_incumbent(incumbent),
                self.direction,
            )?;
            self.maximise(&acqf, &self.acqf_options(model, 1)?, asked)?
        } else {
            // The usual number of posterior samples in all, shared among the members.
            let mut mc = self.monte_carlo_options();
            mc.samples =
                (mc.samples / model.members().len()).max(MIN_MEMBER_SAMPLES);
            let acqf = Ensemble::monte_carlo(
                model.members(),
                choice.monte_carlo(incumbent)?,
                self.direction,
                q,
                &mc,
                pending,
            )?;
            self.maximise(&acqf, &self.acqf_options(model, q)?, asked)?
        };
        self.joint_decision(found, q, effort_level)
    }

    /// The decision of a joint search over q points: its q·d coordinates as q rows.
    fn joint_decision(
        &self,
        found: Optimised,
        q: usize,
        effort_level: Option<usize>,
    ) -> Result<Decision> {
        let d = self.bounds.dim();
        let x = found.x.into_shape_with_order((q, d)).map_err(|_| {
            Error::InvalidInput {
                context: "Optimizer::ask_batch",
                reason: "the optimiser returned a block of the wrong size".into(),
            }
        })?;
        Ok(Decision {
            x,
            value: found.value,
            retried: found.retried,
            effort_level,
            ..Decision::default()
        })
    }

    /// Whether single points are chosen by the Monte Carlo form
    /// ([`SpendOptions::monte_carlo`]).
    fn monte_carlo_single(&self) -> bool {
        matches!(&self.settings.quality, Quality::Spend(s) if s.monte_carlo)
    }

    /// The Monte Carlo estimate's settings for this iteration (the seed offset by it).
    fn monte_carlo_options(&self) -> MonteCarloOptions {
        MonteCarloOptions {
            seed: self
                .settings
                .monte_carlo
                .seed
                .wrapping_add(self.history.len() as u64),
            ..self.settings.monte_carlo
        }
    }

    /// An ask under a trust region: TuRBO's, started at the first ask from everything told
    /// so far.
    fn ask_region(
        &mut self,
        q: usize,
        incumbent: f64,
        options: TurboOptions,
    ) -> Result<Array2<f64>> {
        if !self.pending.is_empty() {
            return Err(Error::InvalidInput {
                context: "Optimizer::ask_batch",
                reason:
                    "a trust region decides on told points only: tell the pending \
                         points first (or clear them)"
                        .into(),
            });
        }
        if self.turbo.is_none() {
            let mut turbo =
                Turbo::new(self.bounds.clone(), self.direction, options)?;
            let y = Array1::from(self.y.clone());
            turbo.start_from(self.inputs().view(), y.view())?;
            self.turbo = Some(Box::new(turbo));
        }
        let turbo =
            self.turbo.as_mut().unwrap_or_else(|| unreachable!("made above"));
        let batch = turbo.ask(q)?;
        let record = turbo
            .history()
            .last()
            .cloned()
            .unwrap_or_else(|| unreachable!("an ask records"));
        if let Some(model) = turbo.model() {
            self.model = Some(model.clone());
        }
        let hyperparameters = match &self.model {
            Some(m) => m.data_units()?,
            None => {
                return Err(Error::InvalidInput {
                    context: "Optimizer::ask_batch",
                    reason: "no model of the region yet".into(),
                })
            }
        };
        self.history.push(Iteration {
            observations: self.y.len(),
            incumbent,
            candidate: batch.row(0).to_owned(),
            batch: batch.clone(),
            pending: Array2::zeros((0, self.bounds.dim())),
            acquisition_value: record.draw_value.unwrap_or(incumbent),
            hyperparameters,
            fit_seconds: record.fit_seconds,
            acquisition_seconds: record.candidate_seconds,
            retried: vec![],
            refused: 0,
            fallback_slots: 0,
            effort_level: None,
            draws: 0,
            trust_region: Some(record),
        });
        self.pending.extend(batch.rows().into_iter().map(|r| r.to_owned()));
        Ok(batch)
    }

    /// The observed points whose posterior mean is best in the direction: the top
    /// [`BEST_FRACTION`] of them, rounded, and at least one.
    fn best_by_mean<M: Model>(&self, model: &M) -> Result<Array2<f64>> {
        let x = self.inputs();
        let mean = model.marginals(x.view())?.mean;
        let sign = self.direction.sign();
        let mut order: Vec<usize> = (0..x.nrows()).collect();
        order.sort_by(|&a, &b| (sign * mean[b]).total_cmp(&(sign * mean[a])));
        let count = ((x.nrows() as f64 * BEST_FRACTION).round() as usize).max(1);
        Ok(x.select(ndarray::Axis(0), &order[..count]))
    }

    /// The best observation so far in the optimiser's direction: the point and its value.
    pub fn best(&self) -> Option<(Array1<f64>, f64)> {
        let s = self.direction.sign();
        (0..self.y.len())
            .reduce(|b, i| if s * self.y[i] > s * self.y[b] { i } else { b })
            .map(|i| (self.x[i].clone(), self.y[i]))
    }

    /// Every point told so far, one per row (n × d).
    pub fn inputs(&self) -> Array2<f64> {
        rows(&self.x, self.bounds.dim())
    }

    /// Every value told so far.
    pub fn values(&self) -> &[f64] {
        &self.y
    }

    /// One record per [`ask`](Optimizer::ask), in order.
    pub fn history(&self) -> &[Iteration] {
        &self.history
    }

    /// The model fitted at the last [`ask`](Optimizer::ask), if any: under
    /// [`SpendModel::FullyBayesian`], its most probable draw (the whole model is
    /// [`Optimizer::ensemble`]); under a trust region, TuRBO's model of the region (inputs in
    /// the unit cube, values times the direction's sign).
    pub fn model(&self) -> Option<&FittedGp> {
        self.model.as_ref()
    }

    /// The fully Bayesian model of the last ask that used one
    /// ([`SpendModel::FullyBayesian`]), if any.
    pub fn ensemble(&self) -> Option<&FullyBayesianGp> {
        self.ensemble.as_ref()
    }

    /// The box searched.
    pub fn bounds(&self) -> &Bounds {
        &self.bounds
    }

    /// Which way is better.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The best value after each observation: the best-so-far curve.
    pub fn best_so_far(&self) -> Vec<f64> {
        self.direction.best_so_far(&self.y)
    }
}

/// Points as the rows of an n × d array (each was checked to have d entries).
fn rows(points: &[Array1<f64>], d: usize) -> Array2<f64> {
    let mut x = Array2::zeros((0, d));
    for row in points {
        let _ = x.push_row(row.view());
    }
    x
}

/// What one decision found.
#[derive(Default)]
struct Decision {
    x: Array2<f64>,
    value: f64,
    retried: Vec<String>,
    refused: usize,
    fallback_slots: usize,
    effort_level: Option<usize>,
}

#[cfg(test)]
mod spend_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{pairwise_distances, Conditioning, RadiusRule};
    use crate::optimize_acqf::Effort;
    use crate::sampling::draw_sobol_samples;
    use crate::test_functions::{Branin, TestProblem};
    use ndarray::{array, ArrayView2, Axis};

    #[test]
    fn the_loop_finds_branin_s_minimum() {
        let branin = Branin::new();
        let bounds = branin.bounds().clone();
        let mut opt = Optimizer::new(
            bounds.clone(),
            Direction::Minimise,
            Settings::default(),
        )
        .unwrap();
        let init = draw_sobol_samples(&bounds, 6, 0).unwrap();
        let y = branin.values(init.view()).unwrap();
        opt.tell(init.view(), y.view()).unwrap();
        for _ in 0..34 {
            let x = opt.ask().unwrap();
            assert!(bounds.contains(x.view()));
            let v = branin.value(x.view()).unwrap();
            opt.tell(x.view().insert_axis(Axis(0)), array![v].view()).unwrap();
        }
        let (_, best) = opt.best().unwrap();
        // Within 1e-2 of f* = 0.397887 after 40 evaluations from 6 Sobol points (BoTorch's
        // median regret after 50 evaluations from such designs is about 4e-3).
        assert!(
            best - branin.optimal_value() < 1e-2,
            "best after 40 evaluations: {best}"
        );
        assert_eq!(opt.history().len(), 34);
        let curve = opt.best_so_far();
        assert!(curve.windows(2).all(|w| w[1] <= w[0]));
        assert_eq!(*curve.last().unwrap(), best);
    }

    /// An optimiser of Branin told a 6-point Sobol design, with a light acquisition
    /// optimiser and a small Monte Carlo estimate.
    fn branin_optimizer(batch: BatchChoice) -> (Optimizer, Branin) {
        let branin = Branin::new();
        let bounds = branin.bounds().clone();
        let settings = Settings {
            acqf: AcqfOptions {
                restarts: 4,
                raw_samples: 64,
                ..AcqfOptions::default()
            },
            batch,
            monte_carlo: MonteCarloOptions {
                samples: 64,
                ..MonteCarloOptions::default()
            },
            ..Settings::default()
        };
        let mut opt =
            Optimizer::new(bounds.clone(), Direction::Minimise, settings).unwrap();
        let init = draw_sobol_samples(&bounds, 6, 0).unwrap();
        opt.tell(init.view(), branin.values(init.view()).unwrap().view()).unwrap();
        (opt, branin)
    }

    fn smallest_distance(x: ArrayView2<'_, f64>) -> f64 {
        crate::batch::pairwise_distances(x)
            .into_iter()
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn a_second_ask_before_the_tell_proposes_another_point() {
        for batch in [
            BatchChoice::Joint,
            BatchChoice::Greedy(Conditioning::KrigingBeliever.into()),
        ] {
            let (mut opt, branin) = branin_optimizer(batch);
            let first = opt.ask().unwrap();
            let second = opt.ask().unwrap();
            let both = ndarray::stack![Axis(0), first, second];
            assert!(smallest_distance(both.view()) > 1e-3, "{batch:?}: {both}");
            assert_eq!(opt.pending().nrows(), 2);
            assert_eq!(opt.history()[1].pending.row(0), first);
            // Telling a point removes it from the pending ones.
            let v = branin.value(first.view()).unwrap();
            opt.tell(first.view().insert_axis(Axis(0)), array![v].view()).unwrap();
            assert_eq!(opt.pending(), second.insert_axis(Axis(0)));
            opt.clear_pending();
            assert_eq!(opt.pending().nrows(), 0);
        }
    }

    #[test]
    fn batches_are_distinct_points_of_the_box() {
        for batch in [
            BatchChoice::Joint,
            BatchChoice::Sequential,
            BatchChoice::Greedy(Conditioning::KrigingBeliever.into()),
            BatchChoice::Greedy(Conditioning::LocalPenalisation.into()),
        ] {
            let (mut opt, _) = branin_optimizer(batch);
            let x = opt.ask_batch(4).unwrap();
            assert_eq!(x.dim(), (4, 2));
            assert!(x.rows().into_iter().all(|r| opt.bounds().contains(r)));
            assert!(smallest_distance(x.view()) > 1e-3, "{batch:?}: {x}");
            assert_eq!(opt.history()[0].batch, x);
            assert!(opt.history()[0].acquisition_value.is_finite());
        }
    }

    #[test]
    fn a_greedy_batch_under_a_radius_rule_is_greedy_batch_s_and_keeps_the_rule() {
        for rule in [
            RadiusRule::Exclude { radius: 4.0 },
            RadiusRule::Include { radius: 4.0 },
        ] {
            let greedy =
                GreedyOptions::new(Conditioning::KrigingBeliever).with_rule(rule);
            let (mut opt, _) = branin_optimizer(BatchChoice::Greedy(greedy));
            opt.settings.around_best = false;
            let x = opt.ask_batch(4).unwrap();
            let d = pairwise_distances(x.view());
            let kept = match rule {
                RadiusRule::Exclude { radius } => {
                    d.iter().all(|&d| d >= radius - 1e-8)
                }
                RadiusRule::Include { radius } => {
                    d.iter().all(|&d| (1e-3..=radius + 1e-8).contains(&d))
                }
            };
            assert!(kept, "{rule:?}: {d:?}");
            // The same batch as greedy_batch with the optimiser's settings for this ask.
            let model = opt.model().unwrap();
            let options =
                BatchOptions { q: 4, greedy, acqf: opt.settings.acqf.clone() };
            let incumbent = opt.best().unwrap().1;
            let direct = greedy_batch(
                model,
                opt.settings.acquisition.with_incumbent(incumbent),
                Direction::Minimise,
                opt.bounds(),
                None,
                &options,
            )
            .unwrap();
            assert_eq!(direct.x, x);
            let record = &opt.history()[0];
            assert_eq!(
                (record.refused, record.fallback_slots),
                (direct.refused, direct.fallback_slots())
            );
        }
    }

    #[test]
    fn a_rule_no_batch_can_keep_is_an_error_that_records_nothing() {
        // Branin's box is 15 × 15: its diagonal is 21.2, and no three points are all 20
        // apart.
        let greedy = GreedyOptions {
            attempts: 2,
            fallback: 16,
            ..GreedyOptions::default()
                .with_rule(RadiusRule::Exclude { radius: 20.0 })
        };
        let (mut opt, _) = branin_optimizer(BatchChoice::Greedy(greedy));
        let err = opt.ask_batch(3).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
        assert!(err.to_string().contains("slot"), "{err}");
        assert_eq!((opt.history().len(), opt.pending().nrows()), (0, 0));
    }

    #[test]
    fn impossible_batches_are_refused() {
        let (mut opt, _) = branin_optimizer(BatchChoice::Joint);
        assert!(opt.ask_batch(0).is_err());
        assert!(opt.ask_batch(65).is_err());
        let (mut opt, _) = branin_optimizer(BatchChoice::Joint);
        opt.settings.acquisition = AcquisitionChoice::ProbabilityOfImprovement;
        assert!(opt.ask_batch(2).is_err());
        // A greedy batch takes any analytic function.
        opt.settings.batch =
            BatchChoice::Greedy(Conditioning::KrigingBeliever.into());
        assert_eq!(opt.ask_batch(2).unwrap().nrows(), 2);
    }

    #[test]
    fn around_best_surveys_the_best_five_percent_by_the_mean() {
        let bounds = Bounds::unit(2).unwrap();
        let bowl =
            |x: ArrayView1<'_, f64>| (x[0] - 0.3).powi(2) + (x[1] - 0.6).powi(2);
        for (n, count) in [(5, 1), (40, 2), (70, 4)] {
            let x = draw_sobol_samples(&bounds, n, 3).unwrap();
            let y: Array1<f64> = x.rows().into_iter().map(bowl).collect();
            for direction in [Direction::Minimise, Direction::Maximise] {
                let mut opt =
                    Optimizer::new(bounds.clone(), direction, Settings::default())
                        .unwrap();
                opt.tell(x.view(), y.view()).unwrap();
                let options = FitOptions {
                    input_bounds: Some(bounds.clone()),
                    ..FitOptions::single_task(2)
                };
                let model = fit(x.view(), &y, &options).unwrap();
                let anchors = opt.best_by_mean(&model).unwrap();
                // A smooth bowl is fitted closely: the best by the mean are the best observed.
                let mut order: Vec<usize> = (0..n).collect();
                order.sort_by(|&a, &b| {
                    (direction.sign() * y[b]).total_cmp(&(direction.sign() * y[a]))
                });
                assert_eq!(anchors, x.select(Axis(0), &order[..count]), "n = {n}");
            }
        }
    }

    /// The proposals and records of `steps` asks on Branin from `branin_optimizer`'s
    /// design, with `quality`.
    fn short_run(quality: Quality, steps: usize) -> Vec<Iteration> {
        let (mut opt, branin) = branin_optimizer(BatchChoice::Joint);
        opt.settings.quality = quality;
        for _ in 0..steps {
            let x = opt.ask().unwrap();
            let v = branin.value(x.view()).unwrap();
            opt.tell(x.view().insert_axis(Axis(0)), array![v].view()).unwrap();
        }
        opt.history().to_vec()
    }

    /// What an iteration decided, without its timings.
    fn decided(h: &Iteration) -> (Array2<f64>, f64, Option<usize>) {
        (h.batch.clone(), h.acquisition_value, h.effort_level)
    }

    #[test]
    fn spending_effort_is_opt_in_and_recorded() {
        let usual = short_run(Quality::Default, 3);
        assert_eq!(Settings::default().quality, Quality::Default);
        assert!(usual.iter().all(|h| h.effort_level.is_none()));
        // Level 0 is the usual decision; a higher level records itself and never finds a
        // lower acquisition value for the same model (the first ask's).
        let level0 =
            short_run(Quality::Spend(SpendOptions::new(Effort::Fixed(0))), 3);
        for (a, b) in usual.iter().zip(&level0) {
            assert_eq!(
                (&a.batch, a.acquisition_value),
                (&b.batch, b.acquisition_value)
            );
            assert_eq!(b.effort_level, Some(0));
        }
        let level3 =
            short_run(Quality::Spend(SpendOptions::new(Effort::Fixed(3))), 1);
        assert_eq!(level3[0].effort_level, Some(3));
        assert!(level3[0].acquisition_value >= usual[0].acquisition_value);
        // An allowance records the level it reached, and Fixed at that level repeats
        // the decision.
        let spend = |effort| Quality::Spend(SpendOptions::new(effort));
        let timed = short_run(spend(Effort::Allowance(0.05)), 2);
        for (k, h) in timed.iter().enumerate() {
            let level = h.effort_level.unwrap();
            let mut opt = branin_optimizer(BatchChoice::Joint).0;
            opt.settings.quality = spend(Effort::Fixed(level));
            // Replay the run to this ask with the levels it reached.
            let branin = Branin::new();
            for earlier in &timed[..k] {
                opt.settings.quality =
                    spend(Effort::Fixed(earlier.effort_level.unwrap()));
                let x = opt.ask().unwrap();
                let v = branin.value(x.view()).unwrap();
                opt.tell(x.view().insert_axis(Axis(0)), array![v].view()).unwrap();
            }
            opt.settings.quality = spend(Effort::Fixed(level));
            opt.ask().unwrap();
            assert_eq!(decided(&opt.history()[k]), decided(h));
        }
        // Invalid spending is refused when the optimiser is made.
        for bad in
            [Effort::Allowance(0.0), Effort::Allowance(f64::NAN), Effort::Fixed(99)]
        {
            let settings = Settings { quality: spend(bad), ..Settings::default() };
            let made = Optimizer::new(
                Bounds::unit(2).unwrap(),
                Direction::Minimise,
                settings,
            );
            assert!(matches!(made, Err(Error::InvalidInput { .. })), "{bad:?}");
        }
    }

    #[test]
    fn a_rejected_tell_changes_nothing() {
        let bounds = Bounds::unit(2).unwrap();
        let mut opt =
            Optimizer::new(bounds, Direction::Maximise, Settings::default())
                .unwrap();
        assert!(matches!(opt.ask(), Err(Error::Empty { .. })));
        opt.tell(array![[0.5, 0.5]].view(), array![1.0].view()).unwrap();
        let bad_calls = [
            (array![[0.2, 0.2], [0.5, 1.5]], array![1.0, 2.0]),
            (array![[0.2, 0.2], [0.3, 0.3]], array![1.0, f64::NAN]),
            (array![[0.2, f64::INFINITY], [0.3, 0.3]], array![1.0, 2.0]),
            (array![[0.2, 0.2], [0.3, 0.3]], array![1.0, 2.0, 3.0]),
        ];
        for (x, y) in bad_calls {
            assert!(opt.tell(x.view(), y.view()).is_err());
            assert_eq!(opt.values(), &[1.0]);
        }
        assert!(opt
            .tell(array![[0.1, 0.2, 0.3]].view(), array![1.0].view())
            .is_err());
        // A single observation, then duplicates and constant values: the loop still proposes
        // points of the box.
        let x = opt.ask().unwrap();
        assert!(opt.bounds().contains(x.view()));
        opt.tell(array![[0.5, 0.5], [0.5, 0.5]].view(), array![1.0, 1.0].view())
            .unwrap();
        let x = opt.ask().unwrap();
        assert!(opt.bounds().contains(x.view()));
        assert_eq!(opt.best().unwrap().1, 1.0);
    }
}
