//! A whole campaign in one call: a scrambled Sobol design of n₀ points, evaluated, then
//! n steps of the ask/tell [`Optimizer`], one evaluation each — n₀ + n evaluations in all.
//! [`minimise`] and [`maximise`] return everything a practitioner reads afterwards: the
//! per-step [`Iteration`]s, every observation, the best point and value, and the variables'
//! names and box.

use super::{Iteration, Optimizer, Settings};
use crate::acquisition::Direction;
use crate::optimize_acqf::AcqfOptions;
use crate::sampling::draw_sobol_samples;
use crate::{Bounds, Error, Result};
use ndarray::{array, Array1, Array2, ArrayView1, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// What a campaign spends and how it decides.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Points n₀ ≥ 1 of the initial scrambled Sobol design (2d is a common choice).
    pub n_init: usize,
    /// Steps n of the loop after the design: one evaluation each.
    pub n_steps: usize,
    /// The variables' names, one per dimension; `None` names them x1, …, xd.
    pub names: Option<Vec<String>>,
    /// The one seed of everything random in the campaign: two seeds are drawn from it,
    /// one scrambling the design's Sobol points and one for the acquisition optimiser
    /// (it replaces [`AcqfOptions::seed`] in `settings`).
    pub seed: u64,
    /// How the loop models and decides.
    pub settings: Settings,
}

impl Campaign {
    /// n₀ design points and n steps with the loop's default [`Settings`], seed 0 and the
    /// default names.
    pub fn new(n_init: usize, n_steps: usize) -> Self {
        Campaign {
            n_init,
            n_steps,
            names: None,
            seed: 0,
            settings: Settings::default(),
        }
    }
}

/// What a campaign did and found.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignResult {
    /// One record per step: the data size, the incumbent, the candidate, the fitted
    /// hyperparameters (lengthscales per variable and noise, in the data's units), …
    pub history: Vec<Iteration>,
    /// Every point evaluated, one per row, the design's n₀ first ((n₀ + n) × d).
    pub x: Array2<f64>,
    /// The objective's value at each row of `x`.
    pub y: Array1<f64>,
    /// The best point evaluated.
    pub best_x: Array1<f64>,
    /// The objective's value there.
    pub best_y: f64,
    /// The variables' names.
    pub names: Vec<String>,
    /// The box searched.
    pub bounds: Bounds,
    /// The design's size n₀.
    pub n_init: usize,
    /// Which way was better.
    pub direction: Direction,
}

impl CampaignResult {
    /// The number of variables d.
    pub fn dim(&self) -> usize {
        self.bounds.dim()
    }

    /// The best value after the design and after each step: n + 1 values.
    pub fn best_so_far(&self) -> Vec<f64> {
        self.incumbent_rows().into_iter().map(|i| self.y[i]).collect()
    }

    /// The best point after the design and after each step, one per row ((n + 1) × d):
    /// the incumbent's coordinates, which change only when a step improves on it.
    pub fn incumbents(&self) -> Array2<f64> {
        self.x.select(Axis(0), &self.incumbent_rows())
    }

    /// The row of the incumbent after the design and after each step; the first of tied
    /// values stays the incumbent.
    fn incumbent_rows(&self) -> Vec<usize> {
        let s = self.direction.sign();
        let mut best = 0;
        (0..self.y.len())
            .filter_map(|i| {
                if s * self.y[i] > s * self.y[best] {
                    best = i;
                }
                (i + 1 >= self.n_init).then_some(best)
            })
            .collect()
    }
}

/// Minimises `objective` over `bounds`: evaluates a scrambled Sobol design of
/// `campaign.n_init` points, then runs `campaign.n_steps` steps of the [`Optimizer`] with
/// `campaign.settings`, evaluating each candidate. The objective may fail (an experiment
/// that could not be run); its error ends the campaign.
///
/// # Errors
/// [`Error::InvalidInput`] for n₀ = 0, for names not one per variable, and naming the point
/// where the objective returned NaN or ±∞; the design's errors (n₀ beyond
/// [`MAX_POINTS`](crate::sampling::MAX_POINTS)); the objective's errors; the loop's.
pub fn minimise(
    objective: impl FnMut(ArrayView1<'_, f64>) -> Result<f64>,
    bounds: &Bounds,
    campaign: &Campaign,
) -> Result<CampaignResult> {
    run(objective, bounds, Direction::Minimise, campaign)
}

/// Maximises `objective` over `bounds`: as [`minimise`], with higher values better.
///
/// # Errors
/// As for [`minimise`].
pub fn maximise(
    objective: impl FnMut(ArrayView1<'_, f64>) -> Result<f64>,
    bounds: &Bounds,
    campaign: &Campaign,
) -> Result<CampaignResult> {
    run(objective, bounds, Direction::Maximise, campaign)
}

fn run(
    mut objective: impl FnMut(ArrayView1<'_, f64>) -> Result<f64>,
    bounds: &Bounds,
    direction: Direction,
    campaign: &Campaign,
) -> Result<CampaignResult> {
    let d = bounds.dim();
    if campaign.n_init == 0 {
        return Err(Error::InvalidInput {
            context: "bo::minimise",
            reason:
                "n_init = 0: the loop needs at least one design point to fit a \
                     model to"
                    .into(),
        });
    }
    let names = match &campaign.names {
        None => (1..=d).map(|i| format!("x{i}")).collect(),
        Some(names) if names.len() == d => names.clone(),
        Some(names) => {
            return Err(Error::InvalidInput {
                context: "bo::minimise",
                reason: format!(
                    "{} names for {d} variables: give one name per dimension of the box",
                    names.len()
                ),
            })
        }
    };
    // Two seeds from one: the design's Sobol scrambling and the acquisition optimiser's
    // (which surveys Sobol points of the same dimension; the same seed would make its
    // first survey repeat the design).
    let mut rng = ChaCha8Rng::seed_from_u64(campaign.seed);
    let (design_seed, acqf_seed) = (rng.random::<u64>(), rng.random::<u64>());
    let settings = Settings {
        acqf: AcqfOptions { seed: acqf_seed, ..campaign.settings.acqf.clone() },
        ..campaign.settings.clone()
    };
    let mut evaluate = |x: ArrayView1<'_, f64>| -> Result<f64> {
        let v = objective(x)?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(Error::InvalidInput {
                context: "bo::minimise",
                reason: format!("the objective returned {v} at {x}"),
            })
        }
    };

    let mut opt = Optimizer::new(bounds.clone(), direction, settings)?;
    let design = draw_sobol_samples(bounds, campaign.n_init, design_seed)?;
    let y0 = design
        .rows()
        .into_iter()
        .map(&mut evaluate)
        .collect::<Result<Array1<f64>>>()?;
    opt.tell(design.view(), y0.view())?;
    for _ in 0..campaign.n_steps {
        let x = opt.ask()?;
        let y = evaluate(x.view())?;
        opt.tell(x.view().insert_axis(Axis(0)), array![y].view())?;
    }

    let (best_x, best_y) =
        opt.best().ok_or(Error::Empty { context: "bo::minimise" })?;
    Ok(CampaignResult {
        history: opt.history().to_vec(),
        x: opt.inputs(),
        y: Array1::from(opt.values().to_vec()),
        best_x,
        best_y,
        names,
        bounds: bounds.clone(),
        n_init: campaign.n_init,
        direction,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_functions::{ShiftedRosenbrock, TestProblem};

    /// A quick campaign: few raw samples and restarts keep the test short.
    fn quick(n_init: usize, n_steps: usize, seed: u64) -> Campaign {
        let mut c = Campaign::new(n_init, n_steps);
        c.seed = seed;
        c.settings.acqf.raw_samples = 64;
        c.settings.acqf.restarts = 4;
        c
    }

    #[test]
    fn a_campaign_on_the_shifted_rosenbrock() {
        let r = ShiftedRosenbrock::new(3).unwrap();
        let campaign = quick(6, 8, 7);
        let out = minimise(|x| r.value(x), r.bounds(), &campaign).unwrap();
        assert_eq!((out.x.nrows(), out.y.len(), out.history.len()), (14, 14, 8));
        assert_eq!(out.dim(), 3);
        assert_eq!(out.names, ["x1", "x2", "x3"]);
        // The recorded values are the objective's, and the best is the lowest of them.
        for (row, y) in out.x.rows().into_iter().zip(&out.y) {
            assert_eq!(r.value(row).unwrap(), *y);
        }
        let lowest = out.y.iter().copied().fold(f64::INFINITY, f64::min);
        assert_eq!(out.best_y, lowest);
        assert_eq!(r.value(out.best_x.view()).unwrap(), lowest);
        // Best-so-far: the design's best, then one value per step, never rising; the
        // incumbents are the points where those values were observed.
        let curve = out.best_so_far();
        assert_eq!(curve.len(), 9);
        let design_best =
            out.y.iter().take(6).copied().fold(f64::INFINITY, f64::min);
        assert_eq!(curve[0], design_best);
        assert!(curve.windows(2).all(|w| w[1] <= w[0]));
        assert_eq!(curve[8], out.best_y);
        let inc = out.incumbents();
        assert_eq!(inc.dim(), (9, 3));
        for (row, v) in inc.rows().into_iter().zip(&curve) {
            assert_eq!(r.value(row).unwrap(), *v);
        }
        // Each step's incumbent is the best value before it.
        for (h, v) in out.history.iter().zip(&curve) {
            assert_eq!(h.incumbent, *v);
            assert_eq!(h.hyperparameters.lengthscales.len(), 3);
        }
        // The same seed repeats the campaign; another seed draws another design.
        // (Everything but the timings in the history.)
        let again = minimise(|x| r.value(x), r.bounds(), &campaign).unwrap();
        assert_eq!((again.x, again.y), (out.x.clone(), out.y.clone()));
        let other = minimise(|x| r.value(x), r.bounds(), &quick(6, 0, 8)).unwrap();
        assert_ne!(other.x.row(0), out.x.row(0));
    }

    #[test]
    fn the_design_is_a_scrambled_sobol_design_and_maximising_flips_the_order() {
        let bounds = Bounds::cube(2, -1.0, 1.0).unwrap();
        let bowl = |x: ArrayView1<'_, f64>| Ok(-(x[0] * x[0] + x[1] * x[1]));
        let out = maximise(bowl, &bounds, &quick(8, 0, 3)).unwrap();
        assert!(out.history.is_empty());
        // Eight Sobol points put one point in each eighth of every coordinate's range.
        for j in 0..2 {
            let mut cells: Vec<usize> = out
                .x
                .column(j)
                .iter()
                .map(|v| ((v + 1.0) * 4.0) as usize)
                .collect();
            cells.sort();
            assert_eq!(cells, (0..8).collect::<Vec<_>>());
        }
        let highest = out.y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(out.best_y, highest);
        assert_eq!(out.best_so_far(), vec![highest]);
    }

    #[test]
    fn extreme_scales_give_finite_results_or_errors() {
        let tiny = Bounds::cube(2, 1.0, 1.0 + 1e-12).unwrap();
        let wide = Bounds::cube(2, -1e300, 1e300).unwrap();
        type Objective = fn(ArrayView1<'_, f64>) -> Result<f64>;
        let huge: Objective = |x| Ok(1e300 * (x[0] / 1e300).tanh());
        let steep: Objective = |x| Ok(1e12 * (x[0] - 1.0) + x[1]);
        for (bounds, f) in [(&tiny, steep), (&wide, huge)] {
            match minimise(f, bounds, &quick(4, 2, 1)) {
                Ok(out) => {
                    assert!(out.best_y.is_finite());
                    assert!(out.x.rows().into_iter().all(|r| bounds.contains(r)));
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
    }

    #[test]
    fn bad_campaigns_are_refused_with_reasons() {
        let bounds = Bounds::unit(2).unwrap();
        let flat = |_: ArrayView1<'_, f64>| Ok(1.0);
        let err = minimise(flat, &bounds, &Campaign::new(0, 3)).unwrap_err();
        assert!(err.to_string().contains("n_init = 0"), "{err}");
        let named = Campaign {
            names: Some(vec!["temperature".into()]),
            ..Campaign::new(4, 0)
        };
        let err = minimise(flat, &bounds, &named).unwrap_err();
        assert!(err.to_string().contains("1 names for 2 variables"), "{err}");
        let named = Campaign {
            names: Some(vec!["temperature".into(), "time".into()]),
            ..Campaign::new(4, 0)
        };
        assert_eq!(
            minimise(flat, &bounds, &named).unwrap().names,
            ["temperature", "time"]
        );
        // A NaN in the design or in a step is named with its point; the objective's own
        // errors pass through.
        let hole =
            |x: ArrayView1<'_, f64>| Ok(if x[0] < 0.5 { f64::NAN } else { 1.0 });
        let err = minimise(hole, &bounds, &Campaign::new(4, 0)).unwrap_err();
        assert!(
            err.to_string().contains("the objective returned NaN at ["),
            "{err}"
        );
        let mut calls = 0;
        let late = |_: ArrayView1<'_, f64>| {
            calls += 1;
            Ok(if calls > 4 { f64::INFINITY } else { calls as f64 })
        };
        let err = minimise(late, &bounds, &quick(4, 2, 0)).unwrap_err();
        assert!(err.to_string().contains("returned inf"), "{err}");
        let failing =
            |_: ArrayView1<'_, f64>| Err(Error::Empty { context: "the lab" });
        let err = minimise(failing, &bounds, &Campaign::new(4, 0)).unwrap_err();
        assert_eq!(err, Error::Empty { context: "the lab" });
        let err =
            minimise(flat, &bounds, &Campaign::new(usize::MAX, 0)).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    }
}
