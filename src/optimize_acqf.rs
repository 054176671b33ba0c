//! Maximising an acquisition function over a box: where the next evaluation goes.
//!
//! An acquisition function is cheap to evaluate but multimodal — it is high wherever the
//! model is uncertain or promising, and those places are many. [`optimize_acqf`] follows
//! BoTorch's recipe:
//!
//! 1. **Raw samples.** Evaluate the function at N scrambled Sobol points of the box: a
//!    space-filling survey costing N cheap evaluations.
//! 2. **Starting points by Boltzmann sampling.** Choose R of them at random with weights
//!    exp(η zᵢ), zᵢ the z-score of the i-th value (η = 1): good points are likely, but not
//!    certain, to be chosen, so the starts spread over several promising regions rather
//!    than crowding into the best one. The best raw point is always kept.
//! 3. **Local ascent.** From each start, climb with bounded L-BFGS
//!    ([`minimise_bounded`] on the negated function) until the projected gradient
//!    vanishes or the steps stop improving.
//!    With [`AcqfOptions::anchors`] set, N more raw points are drawn close to those anchors
//!    (the loop passes its best observations, see [`crate::bo`]): each coordinate of an
//!    anchor moved by a normal step of standard deviation [`AcqfOptions::anchor_sigma`]
//!    times the box's width, and clamped into the box. Improvement-based functions often
//!    peak just beside the incumbent, in a region so small that no space-filling survey of
//!    a box in several dimensions lands in it; starts drawn there find that peak.
//! 4. **The best end point** is the candidate. If every local run failed, the procedure is
//!    repeated from fresh raw samples, and the reasons are reported.
//!
//! [`effort`] runs this recipe in rounds of growing size, to a fixed level or for as long
//! as a time allowance lasts, keeping the best end point of every round.
//!
//! Candidates of q points (Part 5's batches) are searched in the q·d coordinates of the
//! [`AcquisitionFunction`] with the box repeated q times; nothing here assumes q = 1.

use crate::acquisition::AcquisitionFunction;
use crate::optim::bounded::{minimise_bounded, BoundedOptions, Termination};
use crate::sampling::draw_sobol_samples;
use crate::{Bounds, Error, Result};
use ndarray::{concatenate, Array1, Array2, ArrayView1, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

pub mod effort;
pub use effort::{optimize_acqf_with_effort, Effort, Spent};

/// Settings of [`optimize_acqf`].
#[derive(Debug, Clone, PartialEq)]
pub struct AcqfOptions {
    /// Local runs R (BoTorch's `num_restarts`).
    pub restarts: usize,
    /// Sobol points N surveyed to choose the starts (BoTorch's `raw_samples`).
    pub raw_samples: usize,
    /// The temperature η of the Boltzmann weights exp(η z).
    pub eta: f64,
    /// Settings of each local run.
    pub local: BoundedOptions,
    /// How many times to start again from fresh raw samples if every local run fails.
    pub retries: usize,
    /// Seed of the Sobol scrambling and of the Boltzmann draws.
    pub seed: u64,
    /// Points (rows of q·d coordinates, inside the box) to survey closely as well as the
    /// Sobol points: `raw_samples` more raw points are drawn around them. `None` (the
    /// default) surveys the Sobol points alone.
    pub anchors: Option<Array2<f64>>,
    /// The standard deviation of the steps around the anchors, as a fraction of each
    /// coordinate's width (10⁻³ by default, BoTorch's for its `sample_around_best`).
    pub anchor_sigma: f64,
}

impl Default for AcqfOptions {
    /// 10 restarts from 512 raw samples (BoTorch's usual settings), η = 1, at most 200
    /// iterations per local run, 2 retries, no anchors (σ = 10⁻³ when some are given).
    fn default() -> Self {
        AcqfOptions {
            restarts: 10,
            raw_samples: 512,
            eta: 1.0,
            local: BoundedOptions { max_iters: 200, ..BoundedOptions::default() },
            retries: 2,
            seed: 0,
            anchors: None,
            anchor_sigma: 1e-3,
        }
    }
}

/// One local run: where it started and where it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalRun {
    /// The starting point (q·d coordinates).
    pub start: Array1<f64>,
    /// The acquisition value there.
    pub start_value: f64,
    /// Where the run ended, its value and why it stopped — or why it failed.
    pub end: std::result::Result<(Array1<f64>, f64, Termination), String>,
}

/// What [`optimize_acqf`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimised {
    /// The best point found (q·d coordinates, inside the box).
    pub x: Array1<f64>,
    /// The acquisition value there.
    pub value: f64,
    /// Every local run of the last attempt, in the order of their starts.
    pub runs: Vec<LocalRun>,
    /// Why earlier attempts were abandoned (empty if the first succeeded).
    pub retried: Vec<String>,
}

/// Maximises `acqf` over `bounds` (the box of one point; candidates of q points search its
/// q-fold product) by the recipe in the module's documentation.
///
/// # Errors
/// [`Error::ShapeMismatch`] if the bounds' dimension is not the function's;
/// [`Error::InvalidInput`] for no restarts, fewer raw samples than restarts, a non-finite
/// or negative η or anchor σ, anchors outside the box or with the wrong number of
/// coordinates, and when every attempt fails, with the reasons.
pub fn optimize_acqf(
    acqf: &dyn AcquisitionFunction,
    bounds: &Bounds,
    options: &AcqfOptions,
) -> Result<Optimised> {
    if bounds.dim() != acqf.dim() {
        return Err(Error::ShapeMismatch {
            context: "optimize_acqf: the bounds",
            expected: vec![acqf.dim()],
            found: vec![bounds.dim()],
        });
    }
    check(options)?;
    let bounds = repeated(bounds, acqf.q())?;
    check_anchors(options, &bounds)?;
    let mut retried = Vec::new();
    for attempt in 0..=options.retries {
        let seed = options.seed.wrapping_add(attempt as u64);
        match attempt_once(acqf, &bounds, options, seed) {
            Ok(found) => return Ok(Optimised { retried, ..found }),
            Err(reason) => {
                retried.push(format!("attempt {}: {reason}", attempt + 1))
            }
        }
    }
    Err(Error::InvalidInput {
        context: "optimize_acqf",
        reason: format!("every attempt failed: {}", retried.join("; ")),
    })
}

fn check(options: &AcqfOptions) -> Result<()> {
    let invalid = |reason: String| {
        Err(Error::InvalidInput { context: "optimize_acqf", reason })
    };
    if options.restarts == 0 {
        return invalid("at least one restart is needed".into());
    }
    if options.raw_samples < options.restarts {
        return invalid(format!(
            "{} raw samples cannot provide {} starting points",
            options.raw_samples, options.restarts
        ));
    }
    if !(options.eta >= 0.0 && options.eta.is_finite()) {
        return invalid(format!(
            "η must be a non-negative number, got {}",
            options.eta
        ));
    }
    if !(options.anchor_sigma >= 0.0 && options.anchor_sigma.is_finite()) {
        return invalid(format!(
            "the anchors' σ must be a non-negative number, got {}",
            options.anchor_sigma
        ));
    }
    Ok(())
}

/// Anchors must be points of the (q-fold) box.
fn check_anchors(options: &AcqfOptions, bounds: &Bounds) -> Result<()> {
    let Some(anchors) = &options.anchors else { return Ok(()) };
    if anchors.ncols() != bounds.dim() {
        return Err(Error::ShapeMismatch {
            context: "optimize_acqf: the anchors' coordinates",
            expected: vec![bounds.dim()],
            found: vec![anchors.ncols()],
        });
    }
    if anchors.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "optimize_acqf: the anchors" });
    }
    if anchors.rows().into_iter().any(|a| !bounds.contains(a)) {
        return Err(Error::InvalidInput {
            context: "optimize_acqf",
            reason: "an anchor lies outside the box".into(),
        });
    }
    Ok(())
}

/// The raw survey: N Sobol points, then N points around the anchors (if any), taken in
/// turn, each coordinate moved by σ·width·N(0, 1) and clamped into the box.
fn raw_points(
    bounds: &Bounds,
    options: &AcqfOptions,
    seed: u64,
) -> Result<Array2<f64>> {
    let sobol = draw_sobol_samples(bounds, options.raw_samples, seed)?;
    let Some(anchors) = options.anchors.as_ref().filter(|a| a.nrows() > 0) else {
        return Ok(sobol);
    };
    let widths = bounds.widths();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5ea2_c4ed);
    let near =
        Array2::from_shape_fn((options.raw_samples, bounds.dim()), |(i, j)| {
            let a = anchors[[i % anchors.nrows(), j]];
            let step = options.anchor_sigma
                * widths[j]
                * rng.sample::<f64, _>(StandardNormal);
            (a + step).clamp(bounds.lower()[j], bounds.upper()[j])
        });
    concatenate(Axis(0), &[sobol.view(), near.view()]).map_err(|e| {
        Error::InvalidInput { context: "optimize_acqf", reason: e.to_string() }
    })
}

/// The q-fold product of a box.
fn repeated(bounds: &Bounds, q: usize) -> Result<Bounds> {
    if q == 1 {
        return Ok(bounds.clone());
    }
    let lower: Vec<_> = (0..q).map(|_| bounds.lower().view()).collect();
    let upper: Vec<_> = (0..q).map(|_| bounds.upper().view()).collect();
    let stack = |parts: &[ArrayView1<'_, f64>]| {
        concatenate(Axis(0), parts).map_err(|e| Error::InvalidInput {
            context: "optimize_acqf",
            reason: e.to_string(),
        })
    };
    Bounds::new(stack(&lower)?, stack(&upper)?)
}

/// One attempt: survey, choose starts, climb. `Err` with the reason if every run failed.
fn attempt_once(
    acqf: &dyn AcquisitionFunction,
    bounds: &Bounds,
    options: &AcqfOptions,
    seed: u64,
) -> std::result::Result<Optimised, String> {
    let raw = raw_points(bounds, options, seed).map_err(|e| e.to_string())?;
    let values =
        acqf.values(raw.view()).map_err(|e| format!("raw samples: {e}"))?;
    let starts = boltzmann_starts(&values, options.restarts, options.eta, seed);
    let mut runs = Vec::with_capacity(starts.len());
    for i in starts {
        let start = raw.row(i).to_owned();
        let negated = |x: ArrayView1<'_, f64>| {
            acqf.value_and_gradient(x).map(|(v, g)| (-v, -g))
        };
        let end = minimise_bounded(negated, start.view(), bounds, &options.local)
            .map(|r| (r.x, -r.value, r.termination))
            .map_err(|e| e.to_string());
        runs.push(LocalRun { start, start_value: values[i], end });
    }
    let best = runs
        .iter()
        .filter_map(|r| r.end.as_ref().ok())
        .fold(None::<&(Array1<f64>, f64, Termination)>, |best, e| match best {
            Some(b) if b.1 >= e.1 => Some(b),
            _ => Some(e),
        })
        .cloned();
    match best {
        Some((x, value, _)) => {
            Ok(Optimised { x, value, runs, retried: Vec::new() })
        }
        None => Err(runs
            .iter()
            .filter_map(|r| r.end.as_ref().err().cloned())
            .next()
            .unwrap_or_else(|| "no local run".into())),
    }
}

/// BoTorch's `initialize_q_batch`: `count` distinct indices drawn without replacement with
/// probabilities ∝ exp(η z), z the z-scores of the finite `values`, the best index always
/// included. If the values do not vary, the draw is uniform.
pub fn boltzmann_starts(
    values: &Array1<f64>,
    count: usize,
    eta: f64,
    seed: u64,
) -> Vec<usize> {
    let finite: Vec<usize> =
        (0..values.len()).filter(|&i| values[i].is_finite()).collect();
    if finite.len() <= count {
        return finite;
    }
    let n = finite.len() as f64;
    let mean = finite.iter().map(|&i| values[i]).sum::<f64>() / n;
    let sd = (finite.iter().map(|&i| (values[i] - mean).powi(2)).sum::<f64>() / n)
        .sqrt();
    let mut weights: Vec<f64> = finite
        .iter()
        .map(
            |&i| if sd > 0.0 { (eta * (values[i] - mean) / sd).exp() } else { 1.0 },
        )
        .collect();
    let best = finite.iter().copied().fold(finite[0], |b, i| {
        if values[i] > values[b] {
            i
        } else {
            b
        }
    });
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xb017_2a11);
    let mut chosen = Vec::with_capacity(count);
    for _ in 0..count {
        let total: f64 = weights.iter().sum();
        let mut u = rng.random::<f64>() * total;
        let mut pick = weights.len() - 1;
        for (k, w) in weights.iter().enumerate() {
            if *w > 0.0 && u < *w {
                pick = k;
                break;
            }
            u -= w;
        }
        chosen.push(finite[pick]);
        weights[pick] = 0.0;
    }
    if !chosen.contains(&best) {
        chosen[count - 1] = best;
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquisition::{Acquisition, Analytic, Direction};
    use crate::gp::{fit, FitOptions};
    use crate::numeric::{column, linspace};
    use ndarray::array;

    #[test]
    fn boltzmann_starts_favour_good_points_and_keep_the_best() {
        let values = Array1::from(linspace(0.0, 10.0, 101));
        let starts = boltzmann_starts(&values, 10, 1.0, 7);
        assert_eq!(starts.len(), 10);
        assert!(starts.contains(&100));
        let mut sorted = starts.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 10, "distinct");
        // exp(z) weights: the upper half of the values is chosen far more often.
        let mut upper = 0;
        for seed in 0..50 {
            upper += boltzmann_starts(&values, 10, 1.0, seed)
                .iter()
                .filter(|&&i| i > 50)
                .count();
        }
        assert!(upper > 350, "{upper} of 500 starts in the upper half");
        // η = 0: uniform; non-finite values are never chosen.
        let mut with_nan = values.clone();
        with_nan[100] = f64::NAN;
        let s = boltzmann_starts(&with_nan, 5, 0.0, 1);
        assert!(s.contains(&99) && !s.contains(&100));
        assert_eq!(boltzmann_starts(&array![1.0, f64::NAN], 5, 1.0, 0), vec![0]);
    }

    fn objective(x: f64) -> f64 {
        // Two basins on [−3, 3]: a deep narrow one at 1.7 and a broad one at −1.
        let bump =
            |centre: f64, width: f64| (-0.5 * ((x - centre) / width).powi(2)).exp();
        -bump(1.7, 0.3) - 0.5 * bump(-1.0, 1.0)
    }

    #[test]
    fn the_optimum_of_a_1d_acquisition_is_found_to_grid_accuracy() {
        let x = column(&linspace(-3.0, 3.0, 7));
        let y = x.column(0).mapv(objective);
        let model = fit(x.view(), &y, &FitOptions::single_task(1)).unwrap();
        let bounds = Bounds::cube(1, -3.0, 3.0).unwrap();
        let best = Direction::Minimise.best(y.iter().copied()).unwrap();
        for kind in [
            Acquisition::LogExpectedImprovement { best },
            Acquisition::UpperConfidenceBound { beta: 2.0 },
            Acquisition::ProbabilityOfImprovement { best },
        ] {
            let a = Analytic::new(&model, kind, Direction::Minimise).unwrap();
            let found =
                optimize_acqf(&a, &bounds, &AcqfOptions::default()).unwrap();
            // No point of a fine grid is better than what was found.
            let grid = column(&linspace(-3.0, 3.0, 6001));
            let on_grid = a.values(grid.view()).unwrap();
            let top = on_grid.fold(f64::NEG_INFINITY, |m, v| m.max(*v));
            assert!(
                found.value >= top - 1e-6 * top.abs().max(1.0),
                "{kind:?}: {} vs {top}",
                found.value
            );
            assert!(bounds.contains(found.x.view()));
            assert_eq!(found.runs.len(), 10);
            // Deterministic for a seed.
            assert_eq!(
                found,
                optimize_acqf(&a, &bounds, &AcqfOptions::default()).unwrap()
            );
        }
    }

    #[test]
    fn bad_settings_are_refused() {
        let x = column(&[0.0, 1.0, 2.0]);
        let y = array![0.0, 1.0, 0.5];
        let model = fit(x.view(), &y, &FitOptions::single_task(1)).unwrap();
        let a =
            Analytic::new(&model, Acquisition::PosteriorMean, Direction::Maximise)
                .unwrap();
        let b = Bounds::cube(1, 0.0, 2.0).unwrap();
        let bad = [
            AcqfOptions { restarts: 0, ..AcqfOptions::default() },
            AcqfOptions { raw_samples: 3, ..AcqfOptions::default() },
            AcqfOptions { eta: f64::NAN, ..AcqfOptions::default() },
        ];
        for options in bad {
            assert!(matches!(
                optimize_acqf(&a, &b, &options),
                Err(Error::InvalidInput { .. })
            ));
        }
        let wrong = Bounds::unit(2).unwrap();
        assert!(matches!(
            optimize_acqf(&a, &wrong, &AcqfOptions::default()),
            Err(Error::ShapeMismatch { .. })
        ));
        // Anchors: the wrong width, a NaN, a point outside the box, a negative σ.
        let anchored = |anchors: Array2<f64>, anchor_sigma: f64| AcqfOptions {
            anchors: Some(anchors),
            anchor_sigma,
            ..AcqfOptions::default()
        };
        let run = |o: AcqfOptions| optimize_acqf(&a, &b, &o);
        assert!(matches!(
            run(anchored(array![[1.0, 1.0]], 1e-3)),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            run(anchored(array![[f64::NAN]], 1e-3)),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            run(anchored(array![[2.5]], 1e-3)),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            run(anchored(array![[1.0]], -1.0)),
            Err(Error::InvalidInput { .. })
        ));
        // No anchors at all is the plain survey.
        assert_eq!(
            run(anchored(Array2::zeros((0, 1)), 1e-3)).unwrap(),
            run(AcqfOptions::default()).unwrap()
        );
    }

    /// A gentle slope over the unit hypercube with a spike of width `w` at `peak`: the
    /// shape of an improvement-based function just beside the incumbent.
    struct Spike {
        peak: Array1<f64>,
        w: f64,
    }

    impl Spike {
        fn value_and_gradient(&self, x: ArrayView1<'_, f64>) -> (f64, Array1<f64>) {
            let r = &x - &self.peak;
            let spike = (-0.5 * r.dot(&r) / (self.w * self.w)).exp();
            let value = 0.1 * x.sum() + spike;
            let gradient =
                Array1::from_elem(x.len(), 0.1) - r * (spike / (self.w * self.w));
            (value, gradient)
        }
    }

    impl AcquisitionFunction for Spike {
        fn dim(&self) -> usize {
            self.peak.len()
        }

        fn values(&self, x: ndarray::ArrayView2<'_, f64>) -> Result<Array1<f64>> {
            Ok(x.rows().into_iter().map(|r| self.value_and_gradient(r).0).collect())
        }

        fn value_and_gradient(
            &self,
            x: ArrayView1<'_, f64>,
        ) -> Result<(f64, Array1<f64>)> {
            Ok(Spike::value_and_gradient(self, x))
        }
    }

    #[test]
    fn anchors_find_a_narrow_peak_the_survey_misses() {
        let peak = Array1::from_elem(6, 0.3);
        let spike = Spike { peak: peak.clone(), w: 0.01 };
        let bounds = Bounds::unit(6).unwrap();
        // The slope alone tops out at 0.6, in the corner of ones; the spike reaches 1.18.
        let plain =
            optimize_acqf(&spike, &bounds, &AcqfOptions::default()).unwrap();
        assert!(plain.value < 0.61, "the survey alone found {}", plain.value);
        // An anchor 0.005 from the peak in each coordinate (1.2 widths of the spike away).
        let anchors = Some(Array2::from_elem((1, 6), 0.305));
        let options = AcqfOptions { anchors, ..AcqfOptions::default() };
        let near = optimize_acqf(&spike, &bounds, &options).unwrap();
        let top = Spike::value_and_gradient(&spike, peak.view()).0;
        assert!(near.value > top - 1e-6, "{} vs {top}", near.value);
        assert!((&near.x - &peak).iter().all(|d| d.abs() < 1e-3), "{}", near.x);
    }
}
