//! The ask/tell loop over a [`MixedSpace`]: continuous, integer, discrete and categorical
//! variables, designs told and asked for in their natural coordinates (a category as its
//! index), the model fitted to their encoding ([`MixedSpace::encode`]).
//!
//! [`MixedOptimizer`] keeps what [`Optimizer`](super::Optimizer) keeps — observations,
//! pending points, a direction — and chooses each point by the search that suits the space
//! ([`MixedSearch`]): every design scored when the space is finite and small, a continuous
//! search inside each combination of the other variables when there are few combinations
//! ([`optimize_acqf_mixed`]), and otherwise a search of the relaxed encoded cube whose
//! optimum is decoded to the nearest design. A batch is chosen one point at a time, each
//! conditioned on the pending points and the points before it through the Monte Carlo
//! form of the acquisition function (qLogEI for LogEI), as BoTorch's sequential
//! `optimize_acqf_mixed` does.
//!
//! Pending points can also be *added* ([`MixedOptimizer::add_pending`]): a program that
//! keeps its campaign on disk rebuilds the optimiser in every run, telling the results and
//! adding the suggestions still out. Designs that must never be proposed again (abandoned
//! ones) are [`exclude`](MixedOptimizer::exclude)d: a finite search skips them.

use super::AcquisitionChoice;
use crate::acquisition::{
    AcquisitionFunction, Analytic, Direction, MonteCarlo, MonteCarloOptions,
};
use crate::gp::{fit, FitOptions, FittedGp};
use crate::mixed::{
    optimize_acqf_discrete, optimize_acqf_mixed, Combination, MixedSpace,
};
use crate::optimize_acqf::{optimize_acqf, AcqfOptions};
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

/// Builds the acquisition function for the next design of a batch from the designs pending
/// at that point (natural coordinates); see [`MixedOptimizer::ask_batch_with`].
pub type AcquisitionBuilder<'f, 'm> =
    dyn FnMut(&[Array1<f64>]) -> Result<Box<dyn AcquisitionFunction + 'm>> + 'f;

/// How a [`MixedOptimizer`] models and decides.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedSettings {
    /// The acquisition function (LogEI by default); with points pending, its Monte Carlo
    /// form, so PI, log PI and the posterior mean work only without pending points.
    pub acquisition: AcquisitionChoice,
    /// How the model is fitted; `None` for [`FitOptions::single_task`] on the encoded
    /// designs, normalised by the encoded unit cube.
    pub fit: Option<FitOptions>,
    /// How the acquisition function is maximised over continuous variables (its seed is
    /// offset by the point's place in the batch).
    pub acqf: AcqfOptions,
    /// The Monte Carlo estimate used when points are pending.
    pub monte_carlo: MonteCarloOptions,
    /// A space without continuous variables and with at most this many designs is searched
    /// by scoring every design ([`MixedSearch::Discrete`]).
    pub discrete_limit: usize,
    /// A space with at most this many combinations of its non-continuous variables is
    /// searched combination by combination ([`MixedSearch::Combinations`]).
    pub combination_limit: usize,
}

impl Default for MixedSettings {
    /// LogEI through BoTorch's single-task defaults, 10 restarts from 512 raw samples, 512
    /// Monte Carlo samples, finite spaces of up to 4096 designs scored exhaustively, up to
    /// 16 combinations searched one by one.
    fn default() -> Self {
        MixedSettings {
            acquisition: AcquisitionChoice::LogExpectedImprovement,
            fit: None,
            acqf: AcqfOptions::default(),
            monte_carlo: MonteCarloOptions::default(),
            discrete_limit: 4096,
            combination_limit: 16,
        }
    }
}

/// How a [`MixedOptimizer`] searches its space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MixedSearch {
    /// Every design of a small finite space scored; designs observed, pending or excluded
    /// are skipped ([`optimize_acqf_discrete`]).
    Discrete,
    /// A continuous search in each combination of the non-continuous variables
    /// ([`optimize_acqf_mixed`]); a space of continuous variables alone is one combination.
    Combinations,
    /// The encoded unit cube searched as if every column were continuous, the optimum
    /// decoded to the nearest design ([`MixedSpace::decode`]).
    Relaxed,
}

/// What [`MixedOptimizer::ask_batch`] proposes.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedBatch {
    /// The designs, one per row, in natural coordinates (q × number of variables).
    pub designs: Array2<f64>,
    /// The acquisition value of each design when it was chosen (given the pending points
    /// and the designs before it).
    pub values: Vec<f64>,
    /// How the space was searched.
    pub search: MixedSearch,
}

/// An ask/tell Bayesian optimiser over a [`MixedSpace`].
#[derive(Debug, Clone)]
pub struct MixedOptimizer {
    space: MixedSpace,
    direction: Direction,
    settings: MixedSettings,
    x: Vec<Array1<f64>>,
    y: Vec<f64>,
    pending: Vec<Array1<f64>>,
    excluded: Vec<Array1<f64>>,
    model: Option<FittedGp>,
}

impl MixedOptimizer {
    /// An optimiser of an objective over `space`, to be minimised or maximised.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a discrete limit above
    /// [`ENUMERATION_LIMIT`](crate::mixed::ENUMERATION_LIMIT).
    pub fn new(
        space: MixedSpace,
        direction: Direction,
        settings: MixedSettings,
    ) -> Result<Self> {
        if settings.discrete_limit > crate::mixed::ENUMERATION_LIMIT {
            return Err(Error::InvalidInput {
                context: "MixedOptimizer::new",
                reason: format!(
                    "the discrete limit {} exceeds the enumeration limit {}",
                    settings.discrete_limit,
                    crate::mixed::ENUMERATION_LIMIT
                ),
            });
        }
        Ok(MixedOptimizer {
            space,
            direction,
            settings,
            x: Vec::new(),
            y: Vec::new(),
            pending: Vec::new(),
            excluded: Vec::new(),
            model: None,
        })
    }

    /// Records observations: `y[i]` at the design in row i of `x` (natural coordinates).
    /// Every row is checked before any is stored, so a rejected call changes nothing. A
    /// told design is no longer pending.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for rows of the wrong width or a count of values that does
    /// not match; [`Error::InvalidInput`] naming the variable for a design outside the
    /// space; [`Error::NonFinite`] for a NaN or infinite value.
    pub fn tell(
        &mut self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
    ) -> Result<()> {
        if y.len() != x.nrows() {
            return Err(Error::ShapeMismatch {
                context: "MixedOptimizer::tell: one value per design",
                expected: vec![x.nrows()],
                found: vec![y.len()],
            });
        }
        self.space.check_all(x)?;
        if y.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                context: "MixedOptimizer::tell: observed values",
            });
        }
        self.pending.retain(|p| x.rows().into_iter().all(|r| r != p));
        self.x.extend(x.rows().into_iter().map(|r| r.to_owned()));
        self.y.extend(y.iter().copied());
        Ok(())
    }

    /// Adds pending designs (one per row): being evaluated, results not yet told. Every
    /// ask conditions on them.
    ///
    /// # Errors
    /// As for [`MixedSpace::check_all`]; nothing is added then.
    pub fn add_pending(&mut self, x: ArrayView2<'_, f64>) -> Result<()> {
        self.space.check_all(x)?;
        self.pending.extend(x.rows().into_iter().map(|r| r.to_owned()));
        Ok(())
    }

    /// Designs never to propose again (one per row), such as abandoned ones: the
    /// [`MixedSearch::Discrete`] search skips them. A continuous search cannot skip a
    /// point; add such designs as pending as well to steer it away from them.
    ///
    /// # Errors
    /// As for [`MixedSpace::check_all`]; nothing is added then.
    pub fn exclude(&mut self, x: ArrayView2<'_, f64>) -> Result<()> {
        self.space.check_all(x)?;
        self.excluded.extend(x.rows().into_iter().map(|r| r.to_owned()));
        Ok(())
    }

    /// Forgets the pending designs.
    pub fn clear_pending(&mut self) {
        self.pending.clear();
    }

    /// The pending designs, one per row.
    pub fn pending(&self) -> Array2<f64> {
        stack(&self.pending, self.space.dim())
    }

    /// Every design told, one per row.
    pub fn inputs(&self) -> Array2<f64> {
        stack(&self.x, self.space.dim())
    }

    /// Every value told.
    pub fn values(&self) -> &[f64] {
        &self.y
    }

    /// The space searched.
    pub fn space(&self) -> &MixedSpace {
        &self.space
    }

    /// Which way is better.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The model fitted at the last ask, if any.
    pub fn model(&self) -> Option<&FittedGp> {
        self.model.as_ref()
    }

    /// The best observation in the direction: the design and its value (the first on a
    /// tie).
    pub fn best(&self) -> Option<(Array1<f64>, f64)> {
        let s = self.direction.sign();
        (0..self.y.len())
            .reduce(|b, i| if s * self.y[i] > s * self.y[b] { i } else { b })
            .map(|i| (self.x[i].clone(), self.y[i]))
    }

    /// How the space will be searched, by [`MixedSettings::discrete_limit`] and
    /// [`MixedSettings::combination_limit`].
    pub fn search(&self) -> MixedSearch {
        let count = |which: &mut dyn Iterator<Item = &crate::mixed::Variable>| {
            which.fold(1u128, |n, v| {
                n.saturating_mul(
                    v.values().map_or(u128::MAX, |vals| vals.len() as u128),
                )
            })
        };
        let vars = self.space.variables();
        let all_finite = vars.iter().all(|v| !v.is_continuous());
        if all_finite
            && count(&mut vars.iter()) <= self.settings.discrete_limit as u128
        {
            return MixedSearch::Discrete;
        }
        let combinations = count(&mut vars.iter().filter(|v| !v.is_continuous()));
        if combinations <= self.settings.combination_limit as u128 {
            MixedSearch::Combinations
        } else {
            MixedSearch::Relaxed
        }
    }

    /// Fits the model to the designs told and proposes `q` designs to evaluate together,
    /// one at a time, each conditioned on the pending designs and those chosen before it;
    /// marks them pending.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for q = 0 or an acquisition function without a Monte Carlo
    /// form when points are pending; [`Error::Empty`] before any observation, or when a
    /// finite space has no design left that is not observed, pending or excluded; the fit's
    /// and the acquisition optimisers' errors otherwise. Nothing is marked pending then.
    pub fn ask_batch(&mut self, q: usize) -> Result<MixedBatch> {
        if q == 0 {
            return Err(Error::InvalidInput {
                context: "MixedOptimizer::ask_batch",
                reason: "q must be at least 1".into(),
            });
        }
        let incumbent =
            self.direction.best(self.y.iter().copied()).ok_or(Error::Empty {
                context: "MixedOptimizer::ask: tell an initial design first",
            })?;
        let model = self.fitted()?;
        let (designs, values, search) = self.choose(q, &mut |pending| {
            self.acquisition(&model, incumbent, pending)
        })?;
        self.pending.extend(designs.rows().into_iter().map(|r| r.to_owned()));
        self.model = Some(model);
        Ok(MixedBatch { designs, values, search })
    }

    /// Proposes `q` designs as [`MixedOptimizer::ask_batch`] does — one at a time, by the
    /// same search of the space, skipping in a finite space the designs told, pending or
    /// excluded — but each maximises the acquisition function that `acquisition` builds,
    /// given the designs pending at that point (natural coordinates: those pending before
    /// the call, then the ones chosen before it in this batch). The function must work on
    /// the encoded designs ([`MixedSpace::encode`]) and score one design at a time (q = 1).
    /// This is how another model, such as one GP per objective with qEHVI, shares the
    /// search; nothing is fitted here. Marks the designs pending.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for q = 0; [`Error::Empty`] when a finite space has no design
    /// left that is not told, pending or excluded; the errors of `acquisition` and of the
    /// acquisition optimisers. Nothing is marked pending then.
    pub fn ask_batch_with<'m>(
        &mut self,
        q: usize,
        acquisition: &mut AcquisitionBuilder<'_, 'm>,
    ) -> Result<MixedBatch> {
        if q == 0 {
            return Err(Error::InvalidInput {
                context: "MixedOptimizer::ask_batch_with",
                reason: "q must be at least 1".into(),
            });
        }
        let (designs, values, search) = self.choose(q, acquisition)?;
        self.pending.extend(designs.rows().into_iter().map(|r| r.to_owned()));
        Ok(MixedBatch { designs, values, search })
    }

    /// The q designs (as rows) and their values: each the best of the acquisition function
    /// built for the pending designs and those chosen before it.
    fn choose<'m>(
        &self,
        q: usize,
        acquisition: &mut AcquisitionBuilder<'_, 'm>,
    ) -> Result<(Array2<f64>, Vec<f64>, MixedSearch)> {
        let search = self.search();
        let choices = match search {
            MixedSearch::Discrete => Some(self.space.enumerate()?),
            _ => None,
        };
        let combinations: Vec<Combination> = match search {
            MixedSearch::Combinations => self.space.combinations()?,
            _ => Vec::new(),
        };
        let mut chosen: Vec<Array1<f64>> = Vec::with_capacity(q);
        let mut values = Vec::with_capacity(q);
        for k in 0..q {
            let mut pending = self.pending.clone();
            pending.extend(chosen.iter().cloned());
            let acqf = acquisition(&pending)?;
            let acqf_options = AcqfOptions {
                seed: self.settings.acqf.seed.wrapping_add((k as u64) << 32),
                ..self.settings.acqf.clone()
            };
            let (design, value) = match (&choices, search) {
                (Some(choices), _) => {
                    let mut seen = self.x.clone();
                    seen.extend(pending.iter().cloned());
                    seen.extend(self.excluded.iter().cloned());
                    let seen = stack(&seen, self.space.dim());
                    let c = optimize_acqf_discrete(
                        acqf.as_ref(),
                        &self.space,
                        choices.view(),
                        seen.view(),
                    )?;
                    (c.design, c.value)
                }
                (None, MixedSearch::Combinations) => {
                    let c = optimize_acqf_mixed(
                        acqf.as_ref(),
                        &self.space,
                        &combinations,
                        &acqf_options,
                    )?;
                    (c.design, c.value)
                }
                (None, _) => {
                    let found = optimize_acqf(
                        acqf.as_ref(),
                        &self.space.encoded_bounds()?,
                        &acqf_options,
                    )?;
                    (self.space.decode(found.x.view())?, found.value)
                }
            };
            chosen.push(design);
            values.push(value);
        }
        Ok((stack(&chosen, self.space.dim()), values, search))
    }

    /// Fits the model to the designs told, as [`MixedOptimizer::ask_batch`] does before it
    /// searches, and keeps it (see [`MixedOptimizer::model`]) without proposing anything:
    /// for a program that reports on a campaign (the posterior at the observations, the
    /// lengthscales) rather than extends it.
    ///
    /// # Errors
    /// [`Error::Empty`] before any observation; the fit's errors otherwise.
    pub fn fit_model(&mut self) -> Result<&FittedGp> {
        if self.y.is_empty() {
            return Err(Error::Empty {
                context: "MixedOptimizer::fit_model: tell an observation first",
            });
        }
        let model = self.fitted()?;
        Ok(self.model.insert(model))
    }

    /// The model of the designs told, fitted on their encoding (normalised by the encoded
    /// unit cube) unless the settings give other fit options.
    fn fitted(&self) -> Result<FittedGp> {
        let encoded = self.space.encode(self.inputs().view())?;
        let options = self.settings.fit.clone().unwrap_or_else(|| FitOptions {
            input_bounds: self.space.encoded_bounds().ok(),
            ..FitOptions::single_task(self.space.encoded_dim())
        });
        fit(encoded.view(), &Array1::from(self.y.clone()), &options)
    }

    /// The acquisition function for the next point: analytic with nothing pending, the
    /// Monte Carlo form (q = 1) with the pending designs in its joint posterior otherwise.
    fn acquisition<'m>(
        &self,
        model: &'m FittedGp,
        incumbent: f64,
        pending: &[Array1<f64>],
    ) -> Result<Box<dyn AcquisitionFunction + 'm>> {
        let choice = self.settings.acquisition;
        if pending.is_empty() {
            return Ok(Box::new(Analytic::new(
                model,
                choice.with_incumbent(incumbent),
                self.direction,
            )?));
        }
        let mc = MonteCarlo::new(
            model,
            choice.monte_carlo(incumbent)?,
            self.direction,
            1,
            &self.settings.monte_carlo,
        )?;
        let encoded = self.space.encode(stack(pending, self.space.dim()).view())?;
        Ok(Box::new(mc.with_pending(encoded.view())?))
    }
}

/// Designs as the rows of an n × d array (each was checked to have d entries).
fn stack(points: &[Array1<f64>], d: usize) -> Array2<f64> {
    let mut x = Array2::zeros((0, d));
    for row in points {
        let _ = x.push_row(row.view());
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mixed::Variable;
    use ndarray::{array, Axis};

    /// Light settings: the tests check behaviour, not the search's depth.
    fn light() -> MixedSettings {
        MixedSettings {
            acqf: AcqfOptions {
                restarts: 2,
                raw_samples: 32,
                ..AcqfOptions::default()
            },
            monte_carlo: MonteCarloOptions {
                samples: 32,
                ..MonteCarloOptions::default()
            },
            ..MixedSettings::default()
        }
    }

    /// −(T − 0.7)² − 0.3·[s ≠ B] on T ∈ [0, 1], s ∈ {A, B, C}: best at T = 0.7, s = B.
    fn score(x: ArrayView1<'_, f64>) -> f64 {
        -(x[0] - 0.7).powi(2) - if x[1] == 1.0 { 0.0 } else { 0.3 }
    }

    fn mixed() -> MixedOptimizer {
        let space = MixedSpace::new(vec![
            Variable::continuous("T", 0.0, 1.0),
            Variable::categorical("s", &["A", "B", "C"]),
        ])
        .unwrap();
        let mut opt =
            MixedOptimizer::new(space.clone(), Direction::Maximise, light())
                .unwrap();
        let x = space.sobol_designs(6, 1).unwrap();
        let y: Array1<f64> = x.rows().into_iter().map(score).collect();
        opt.tell(x.view(), y.view()).unwrap();
        opt
    }

    #[test]
    fn a_mixed_loop_finds_the_best_category_and_setting() {
        let mut opt = mixed();
        assert_eq!(opt.search(), MixedSearch::Combinations);
        for _ in 0..6 {
            let b = opt.ask_batch(1).unwrap();
            let x = b.designs;
            opt.space().check_all(x.view()).unwrap();
            let y = array![score(x.row(0))];
            opt.tell(x.view(), y.view()).unwrap();
        }
        let (best, value) = opt.best().unwrap();
        assert_eq!(best[1], 1.0, "{best}");
        assert!(value > -0.01, "best value {value}");
        assert_eq!(opt.pending().nrows(), 0);
    }

    #[test]
    fn fit_model_fits_the_model_an_ask_fits_without_proposing() {
        let empty = MixedOptimizer::new(
            MixedSpace::new(vec![Variable::continuous("T", 0.0, 1.0)]).unwrap(),
            Direction::Maximise,
            light(),
        )
        .unwrap();
        assert!(matches!(empty.clone().fit_model(), Err(Error::Empty { .. })));
        let mut reporter = mixed();
        let fitted = reporter.fit_model().unwrap().clone();
        assert_eq!(reporter.pending().nrows(), 0);
        let mut asker = mixed();
        asker.ask_batch(1).unwrap();
        let asked = asker.model().unwrap();
        // One lengthscale per encoded column (T and the three one-hot columns of s).
        let lengthscales = fitted.gp.hyperparameters().kernel.lengthscales();
        assert_eq!(lengthscales.len(), 4);
        assert_eq!(lengthscales, asked.gp.hyperparameters().kernel.lengthscales());
        let at = reporter.space().encode(reporter.inputs().view()).unwrap();
        assert_eq!(
            fitted.predict(at.view()).unwrap(),
            asked.predict(at.view()).unwrap()
        );
    }

    #[test]
    fn asks_before_the_results_propose_different_designs() {
        let mut opt = mixed();
        let first = opt.ask_batch(1).unwrap().designs;
        let second = opt.ask_batch(2).unwrap();
        assert_eq!(opt.pending().nrows(), 3);
        let all = ndarray::concatenate![Axis(0), first, second.designs];
        for i in 0..3 {
            for j in 0..i {
                assert_ne!(all.row(i), all.row(j), "{all}");
            }
        }
        assert!(second.values.iter().all(|v| v.is_finite()));
        // Telling a design removes it from the pending ones.
        opt.tell(first.view(), array![score(first.row(0))].view()).unwrap();
        assert_eq!(opt.pending(), second.designs);
        // The same state and seeds give the same proposals.
        let mut again = mixed();
        again.add_pending(all.view()).unwrap();
        let mut other = mixed();
        other.add_pending(all.view()).unwrap();
        assert_eq!(
            again.ask_batch(1).unwrap().designs,
            other.ask_batch(1).unwrap().designs
        );
    }

    #[test]
    fn another_acquisition_shares_the_search() {
        // The optimiser's own acquisition, built by the caller: the same proposals.
        let mut own = mixed();
        let expected = own.ask_batch(2).unwrap();
        let model = own.model().unwrap().clone();
        let incumbent = own.best().unwrap().1;
        let mut other = mixed();
        let shared = other.clone();
        let mut seen = Vec::new();
        let got = other
            .ask_batch_with(2, &mut |pending| {
                seen.push(pending.len());
                shared.acquisition(&model, incumbent, pending)
            })
            .unwrap();
        assert_eq!(got, expected);
        assert_eq!(seen, vec![0, 1]);
        assert_eq!(other.pending(), expected.designs);
        assert!(other.ask_batch_with(0, &mut |_| unreachable!()).is_err());
    }

    #[test]
    fn a_finite_space_is_scored_without_repeats_or_excluded_designs() {
        let space = MixedSpace::new(vec![
            Variable::integer("n", 0, 3),
            Variable::categorical("s", &["A", "B"]),
        ])
        .unwrap();
        let mut opt =
            MixedOptimizer::new(space.clone(), Direction::Minimise, light())
                .unwrap();
        assert_eq!(opt.search(), MixedSearch::Discrete);
        let x = array![[0.0, 0.0], [3.0, 1.0], [1.0, 1.0]];
        opt.tell(x.view(), array![1.0, 2.0, 0.5].view()).unwrap();
        opt.exclude(array![[2.0, 1.0]].view()).unwrap();
        let b = opt.ask_batch(4).unwrap();
        assert_eq!(b.search, MixedSearch::Discrete);
        // Eight designs, three observed and one excluded: the batch is the other four.
        let mut got: Vec<(i64, i64)> = b
            .designs
            .rows()
            .into_iter()
            .map(|r| (r[0] as i64, r[1] as i64))
            .collect();
        got.sort();
        assert_eq!(got, vec![(0, 1), (1, 0), (2, 0), (3, 0)]);
        assert!(matches!(opt.ask_batch(1), Err(Error::Empty { .. })));
        assert_eq!(opt.pending().nrows(), 4, "a failed ask adds nothing");
    }

    #[test]
    fn many_combinations_are_searched_relaxed() {
        let space = MixedSpace::new(vec![
            Variable::continuous("T", 0.0, 1.0),
            Variable::integer("n", 0, 9),
            Variable::categorical("s", &["A", "B"]),
        ])
        .unwrap();
        let mut opt =
            MixedOptimizer::new(space.clone(), Direction::Maximise, light())
                .unwrap();
        assert_eq!(opt.search(), MixedSearch::Relaxed);
        let x = space.sobol_designs(8, 2).unwrap();
        let y: Array1<f64> = x
            .rows()
            .into_iter()
            .map(|r| -(r[0] - 0.5).powi(2) - r[1] / 10.0)
            .collect();
        opt.tell(x.view(), y.view()).unwrap();
        let b = opt.ask_batch(2).unwrap();
        space.check_all(b.designs.view()).unwrap();
    }

    #[test]
    fn bad_input_is_refused_and_changes_nothing() {
        let mut opt = mixed();
        let n = opt.values().len();
        for (x, y) in [
            (array![[0.5, 3.0]], array![1.0]),
            (array![[0.5, 0.5]], array![1.0]),
            (array![[1.5, 1.0]], array![1.0]),
            (array![[0.5, 1.0]], array![f64::NAN]),
            (array![[0.5, 1.0]], array![f64::INFINITY]),
            (array![[0.5, 1.0]], array![1.0, 2.0]),
        ] {
            assert!(opt.tell(x.view(), y.view()).is_err(), "{x} {y}");
        }
        assert!(opt.add_pending(array![[0.5, 7.0]].view()).is_err());
        assert!(opt.exclude(array![[0.5]].view()).is_err());
        assert_eq!(opt.values().len(), n);
        assert_eq!(opt.pending().nrows(), 0);
        assert!(opt.ask_batch(0).is_err());
        let space = opt.space().clone();
        let mut empty =
            MixedOptimizer::new(space, Direction::Maximise, light()).unwrap();
        assert!(matches!(empty.ask_batch(1), Err(Error::Empty { .. })));
        let mut pi = mixed();
        pi.settings.acquisition = AcquisitionChoice::ProbabilityOfImprovement;
        pi.add_pending(array![[0.5, 1.0]].view()).unwrap();
        assert!(matches!(pi.ask_batch(1), Err(Error::InvalidInput { .. })));
    }
}
