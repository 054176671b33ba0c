//! The Bayesian-optimisation loop as a small ask/tell [`Optimizer`]: it holds the data, the
//! direction and the box, and on each [`ask`](Optimizer::ask) fits a model, builds the
//! acquisition function and maximises it; [`tell`](Optimizer::tell) hands back what was
//! observed. A chapter, a benchmark and a command-line tool all drive this same code, and its
//! per-iteration [`history`](Optimizer::history) records what each decision rested on.
//! [`minimise`] and [`maximise`] run a whole campaign — a Sobol design, then the loop — in
//! one call.

use crate::acquisition::{Acquisition, Analytic, Direction};
use crate::gp::{fit, DataUnits, FitOptions, FittedGp};
use crate::optimize_acqf::{optimize_acqf, AcqfOptions};
use crate::{Bounds, Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use std::time::Instant;

mod campaign;
pub use campaign::{maximise, minimise, Campaign, CampaignResult};

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
}

/// The fraction of the observations, best first by the model's mean, that
/// [`Settings::around_best`] surveys around (5%, as BoTorch's `sample_around_best`).
pub const BEST_FRACTION: f64 = 0.05;

impl Default for Settings {
    /// LogEI through BoTorch's single-task defaults, 10 restarts from 512 raw samples and as
    /// many more around the best observations.
    fn default() -> Self {
        Settings {
            acquisition: AcquisitionChoice::LogExpectedImprovement,
            fit: None,
            acqf: AcqfOptions::default(),
            around_best: true,
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
    /// The point proposed.
    pub candidate: Array1<f64>,
    /// The acquisition value there.
    pub acquisition_value: f64,
    /// The fitted hyperparameters, in the data's units.
    pub hyperparameters: DataUnits,
    /// Seconds spent fitting the model.
    pub fit_seconds: f64,
    /// Seconds spent maximising the acquisition function.
    pub acquisition_seconds: f64,
    /// Attempts of the acquisition optimiser that failed and were retried, with reasons.
    pub retried: Vec<String>,
}

/// An ask/tell Bayesian optimiser over a box.
#[derive(Debug, Clone)]
pub struct Optimizer {
    bounds: Bounds,
    direction: Direction,
    settings: Settings,
    x: Vec<Array1<f64>>,
    y: Vec<f64>,
    history: Vec<Iteration>,
    model: Option<FittedGp>,
}

impl Optimizer {
    /// An optimiser of an objective over `bounds`, to be minimised or maximised.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if custom fit settings normalise with a box of another
    /// dimension.
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
        Ok(Optimizer {
            bounds,
            direction,
            settings,
            x: Vec::new(),
            y: Vec::new(),
            history: Vec::new(),
            model: None,
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
        self.x.extend(x.rows().into_iter().map(|r| r.to_owned()));
        self.y.extend(y.iter().copied());
        Ok(())
    }

    /// Fits the model to everything told so far, maximises the acquisition function and
    /// returns the point to evaluate next, recording an [`Iteration`].
    ///
    /// # Errors
    /// [`Error::Empty`] before any observation; the fit's or the acquisition optimiser's
    /// errors otherwise.
    pub fn ask(&mut self) -> Result<Array1<f64>> {
        let incumbent =
            self.direction.best(self.y.iter().copied()).ok_or(Error::Empty {
                context: "Optimizer::ask: tell an initial design first",
            })?;
        let x = self.inputs();
        let y = Array1::from(self.y.clone());
        let options = self.settings.fit.clone().unwrap_or_else(|| FitOptions {
            input_bounds: Some(self.bounds.clone()),
            ..FitOptions::single_task(self.bounds.dim())
        });
        let start = Instant::now();
        let model = fit(x.view(), &y, &options)?;
        let fit_seconds = start.elapsed().as_secs_f64();
        let kind = self.settings.acquisition.with_incumbent(incumbent);
        let acqf = Analytic::new(&model, kind, self.direction)?;
        let anchors = match &self.settings.acqf.anchors {
            None if self.settings.around_best => Some(self.best_by_mean(&model)?),
            given => given.clone(),
        };
        let acqf_options = AcqfOptions {
            seed: self.settings.acqf.seed.wrapping_add(self.history.len() as u64),
            anchors,
            ..self.settings.acqf.clone()
        };
        let start = Instant::now();
        let found = optimize_acqf(&acqf, &self.bounds, &acqf_options)?;
        let acquisition_seconds = start.elapsed().as_secs_f64();
        self.history.push(Iteration {
            observations: self.y.len(),
            incumbent,
            candidate: found.x.clone(),
            acquisition_value: found.value,
            hyperparameters: model.data_units()?,
            fit_seconds,
            acquisition_seconds,
            retried: found.retried,
        });
        self.model = Some(model);
        Ok(found.x)
    }

    /// The observed points whose posterior mean is best in the direction: the top
    /// [`BEST_FRACTION`] of them, rounded, and at least one.
    fn best_by_mean(&self, model: &FittedGp) -> Result<Array2<f64>> {
        let x = self.inputs();
        let mean = model.predict(x.view())?.mean;
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
        let mut x = Array2::zeros((0, self.bounds.dim()));
        for row in &self.x {
            // Rows were checked to have d entries when they were told.
            let _ = x.push_row(row.view());
        }
        x
    }

    /// Every value told so far.
    pub fn values(&self) -> &[f64] {
        &self.y
    }

    /// One record per [`ask`](Optimizer::ask), in order.
    pub fn history(&self) -> &[Iteration] {
        &self.history
    }

    /// The model fitted at the last [`ask`](Optimizer::ask), if any.
    pub fn model(&self) -> Option<&FittedGp> {
        self.model.as_ref()
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
        let s = self.direction.sign();
        let mut best = f64::NEG_INFINITY;
        self.y
            .iter()
            .map(|&v| {
                best = best.max(s * v);
                s * best
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::draw_sobol_samples;
    use crate::test_functions::{Branin, TestProblem};
    use ndarray::{array, Axis};

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
