//! Fitting a GP's hyperparameters by maximising the log marginal likelihood, on normalised
//! inputs and standardised outputs.
//!
//! Inputs are scaled column by column to [0, 1] with the training inputs' minimum and maximum
//! ("Normalize"); outputs are shifted and scaled to mean 0 and sample standard deviation 1
//! ("Standardize", with n − 1). [`FitOptions::normalize_inputs`] and
//! [`FitOptions::standardize_outputs`] switch either off, and [`FittedGp::diagnostics`] then
//! says when the data are not on the scale the priors assume. The likelihood is then
//! maximised over the unconstrained vector θ = (log ℓ₁, …, log ℓ_d, log σ², log(σₙ² −
//! floor)) with L-BFGS from several starts; the
//! constant mean m is profiled out, m* = 1ᵀK⁻¹y / 1ᵀK⁻¹1 being the best mean for the other
//! hyperparameters, so every evaluation is at the best m. Each evaluation of the likelihood
//! and its gradient costs about n³ flops (the factorisation, L⁻¹ and K⁻¹, see
//! [`Gp::lml_gradient`]); larger data sets are screened on a subset first
//! ([`MIN_SCREENED`], [`SCREENING_SUBSET`]), and the starts run on two threads. By default this is plain maximum likelihood; with
//! [`FitOptions::priors`] set (for example to [`Priors::botorch`]) the log-priors are added
//! to the log likelihood and the fit is a maximum a posteriori one.

use super::kernel::KernelKind;
use super::model::{Gp, Prediction};
use super::objective::{Layout, NegativeLml, Noise, Start};
use super::prior::Priors;
use crate::optim::solvers::{lbfgs_with, LbfgsSettings};
use crate::optim::Objective;
use crate::transforms::{Normalize, Standardize};
use crate::{Bounds, Error, Result};
use ndarray::{Array1, ArrayView2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// The kernel's shape.
    pub kind: KernelKind,
    /// Random starts besides the default one.
    pub restarts: usize,
    /// Seed of the random starts.
    pub seed: u64,
    /// L-BFGS iterations per start.
    pub max_iters: u64,
    /// Lower bound on the noise variance, in the model's output units (standardised unless
    /// [`FitOptions::standardize_outputs`] is off).
    pub noise_floor: f64,
    /// Log-priors added to the log likelihood ([`Priors::none`] by default: maximum
    /// likelihood). Their noise floor, if higher, replaces [`FitOptions::noise_floor`].
    pub priors: Priors,
    /// Lower bound on every lengthscale, in the model's input units (normalised unless
    /// [`FitOptions::normalize_inputs`] is off; 0 by default).
    pub lengthscale_floor: f64,
    /// A fixed output scale σ² (standardised units), or `None` to learn it (the default).
    pub outputscale: Option<f64>,
    /// Known noise variances, one per observation, in the data's units: the model then
    /// learns no noise of its own (a "fixed-noise" GP). `None` by default.
    pub noise_variances: Option<Array1<f64>>,
    /// The starts are optimised on up to this many threads (2 by default; the result does
    /// not depend on it).
    pub threads: usize,
    /// Normalise inputs with this box (mapped onto the unit cube) rather than with the
    /// training inputs' minima and maxima (`None`, the default): in a loop, normalised units
    /// then mean the same at every iteration.
    pub input_bounds: Option<Bounds>,
    /// Normalise the inputs (`true`, the default). With `false` they reach the kernel as
    /// they are (the identity transform, [`Normalize::identity`]): the lengthscales, their
    /// prior and their floor are then in the data's units, and
    /// [`FittedGp::diagnostics`] reports inputs outside the unit cube.
    pub normalize_inputs: bool,
    /// Standardise the outputs (`true`, the default). With `false` they reach the model as
    /// they are ([`Standardize::identity`]): the noise floor, the priors and a fixed output
    /// scale then apply in the data's units, and [`FittedGp::diagnostics`] reports outputs
    /// that are not standardised.
    pub standardize_outputs: bool,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            kind: KernelKind::Matern52,
            restarts: 2,
            seed: 0,
            max_iters: 200,
            noise_floor: 1e-6,
            priors: Priors::none(),
            lengthscale_floor: 0.0,
            outputscale: None,
            noise_variances: None,
            threads: SCREENING_THREADS,
            input_bounds: None,
            normalize_inputs: true,
            standardize_outputs: true,
        }
    }
}

impl FitOptions {
    /// BoTorch's `SingleTaskGP` for d inputs (checked against botorch 0.18.1): an RBF
    /// (squared-exponential) kernel with one lengthscale per input and no output scale
    /// (σ² = 1 in standardised units), a constant mean, LogNormal(√2 + ½ ln d, √3) priors on
    /// the lengthscales with ℓ ≥ 0.025, a LogNormal(−4, 1) prior on the noise with
    /// σₙ² ≥ 1e-4, starts at the priors' modes: a maximum a posteriori fit.
    pub fn single_task(d: usize) -> Self {
        FitOptions {
            kind: KernelKind::SquaredExponential,
            priors: Priors::single_task(d),
            noise_floor: 1e-4,
            lengthscale_floor: 0.025,
            outputscale: Some(1.0),
            ..FitOptions::default()
        }
    }

    /// [`FitOptions::single_task`] with known noise variances (data units), one per
    /// observation: BoTorch's `SingleTaskGP` given `train_Yvar`.
    pub fn fixed_noise(d: usize, variances: Array1<f64>) -> Self {
        FitOptions {
            noise_variances: Some(variances),
            ..FitOptions::single_task(d)
        }
    }
}

/// A GP fitted on transformed data, predicting in the original units. Its `Debug` prints the
/// model's structure (likelihood, mean, kernel, priors, constraints, transforms) with the
/// fitted values in the model's units.
#[derive(Clone)]
pub struct FittedGp {
    /// The GP on normalised inputs and standardised outputs.
    pub gp: Gp,
    /// The input scaling.
    pub normalize: Normalize,
    /// The output scaling.
    pub standardize: Standardize,
    /// How it was fitted: the kernel, priors and constraints.
    pub options: FitOptions,
}

/// The error for a posterior or a hyperparameter that is finite in the model's units but
/// overflows in the data's: variances scale with the square of the outputs' spread.
pub(crate) fn overflow(context: &'static str) -> Error {
    Error::InvalidInput {
        context,
        reason: "a variance overflows in the data's units (outputs spread over more than \
                 about 1e154); rescale the outputs"
            .into(),
    }
}

/// A fitted GP's hyperparameters in the data's units.
#[derive(Debug, Clone, PartialEq)]
pub struct DataUnits {
    /// Lengthscales in input units: ℓ_j times the input column's range.
    pub lengthscales: Array1<f64>,
    /// The constant mean, ȳ + s·m.
    pub mean: f64,
    /// The output scale, s²·σ².
    pub outputscale: f64,
    /// The learned noise variance, s²·σₙ² (0 for a model with known noise).
    pub noise: f64,
}

impl FittedGp {
    /// The posterior mean and variance of the latent f at `xs`, in the original units.
    ///
    /// # Errors
    /// As for [`Gp::predict`]; [`Error::InvalidInput`] if the variance overflows in the
    /// data's units (outputs spread over more than about 1e154).
    pub fn predict(&self, xs: ArrayView2<'_, f64>) -> Result<Prediction> {
        let p = self.gp.predict(self.normalize.apply(xs)?.view())?;
        let s = self.standardize;
        let prediction = Prediction {
            mean: p.mean * s.std + s.mean,
            variance: p.variance * (s.std * s.std),
        };
        if prediction
            .mean
            .iter()
            .chain(&prediction.variance)
            .any(|v| !v.is_finite())
        {
            return Err(Error::NonFinite {
                context:
                    "FittedGp::predict: the posterior overflows in the data's units",
            });
        }
        Ok(prediction)
    }

    /// The hyperparameters in the data's units (the GP itself holds them in normalised
    /// inputs and standardised outputs).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if a variance overflows in the data's units (outputs spread
    /// over more than about 1e154).
    pub fn data_units(&self) -> Result<DataUnits> {
        let h = self.gp.hyperparameters();
        let s = self.standardize;
        let units = DataUnits {
            lengthscales: h.kernel.lengthscales() * self.normalize.range(),
            mean: s.untransform(h.mean),
            outputscale: s.untransform_variance(h.kernel.outputscale()),
            noise: s.untransform_variance(h.noise),
        };
        let numbers = [units.mean, units.outputscale, units.noise];
        if numbers.iter().chain(&units.lengthscales).all(|v| v.is_finite()) {
            Ok(units)
        } else {
            Err(overflow("FittedGp::data_units"))
        }
    }

    /// The log marginal likelihood of the standardised data, per observation.
    pub fn lml_per_point(&self) -> f64 {
        self.gp.log_marginal_likelihood() / self.gp.observations().len() as f64
    }
}

/// The largest subset the starts are screened on: every start is optimised on a seeded
/// random subset of min(250, n/2) points when there are more than [`MIN_SCREENED`], and only
/// the best is polished on all the data.
pub const SCREENING_SUBSET: usize = 250;

/// Data sets of more points than this are screened on a subset (see [`SCREENING_SUBSET`]).
/// At 200 points, screening on half of them halved the fit time and changed the fitted log
/// likelihood by 1e-7 per point; on a third, the polish ended in a lower optimum.
pub const MIN_SCREENED: usize = 120;

/// The starts are optimised on up to this many threads (the machine this was tuned on has
/// two cores).
const SCREENING_THREADS: usize = 2;

/// Before the polish on all the data, lengthscales are capped at this (in normalised units)…
const MAX_POLISH_LENGTHSCALE: f64 = 5.0;
/// …and the noise variance above the floor raised to at least this (standardised units).
const MIN_POLISH_NOISE: f64 = 1e-6;

/// Stopping rule of one L-BFGS run, on the per-point objective −LML/n: the gradient's norm
/// below `grad`, or an iteration that changes the objective by less than `change`.
#[derive(Debug, Clone, Copy)]
struct Tolerance {
    grad: f64,
    change: f64,
}

/// Loose, for screening the starts: enough to rank them.
const SCREEN: Tolerance = Tolerance { grad: 1e-3, change: 1e-8 };
/// Tighter, for the final polish. A gradient of 2e-4 per point left the log likelihood
/// within 1e-4 per point of the optimum on the Hartmann-6 comparison; what remained was
/// mostly the noise creeping towards its floor, worth that little and costing as many
/// iterations again.
const POLISH: Tolerance = Tolerance { grad: 2e-4, change: 1e-10 };

/// L-BFGS (memory 10, Moré–Thuente line search) from `start`, until `tol` is met or after
/// `max_iters` iterations. The best point seen and its value — also when the run stops
/// part-way because an evaluation failed (an overflowing θ, a covariance that will not
/// factor) — or `None` if the objective could not be evaluated at all.
fn minimise(
    objective: &dyn Objective,
    start: &Array1<f64>,
    max_iters: u64,
    tol: Tolerance,
) -> Option<(f64, Array1<f64>)> {
    let settings = LbfgsSettings {
        memory: 10,
        max_iters,
        tol_grad: tol.grad,
        tol_change: tol.change,
    };
    let report = lbfgs_with(objective, start, &settings).ok()?;
    report.value.is_finite().then_some((report.value, report.x))
}

/// The rows of a seeded random subset of `m` of the `n` points, in their original order.
fn subset_rows(n: usize, m: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_5ab5e7);
    let mut rows: Vec<usize> = (0..n).collect();
    for i in 0..m.min(n) {
        let j = rng.random_range(i..n);
        rows.swap(i, j);
    }
    rows.truncate(m.min(n));
    rows.sort_unstable();
    rows
}

/// Fits a GP to `x` (n × d) and `y` (n) by maximum marginal likelihood, or by maximum a
/// posteriori with [`FitOptions::priors`] set.
///
/// The inputs are normalised and the outputs standardised (see the module's documentation),
/// unless [`FitOptions::normalize_inputs`] or [`FitOptions::standardize_outputs`] is off;
/// the likelihood is maximised with L-BFGS over θ from a default start (lengthscales 0.5,
/// output scale 1, noise 0.01, mean 0) and `options.restarts` seeded random ones, on up to
/// two threads (the result does not depend on how many). With more than [`MIN_SCREENED`]
/// points, the starts are optimised on a seeded random subset of min([`SCREENING_SUBSET`],
/// n/2) points and the best of them is then polished on all the data: a full-size
/// evaluation costs n³ flops, and the subset's optimum is already close to the full one.
///
/// # Errors
/// [`Error::Empty`], [`Error::ShapeMismatch`] or [`Error::NonFinite`] for bad data;
/// [`Error::InvalidInput`] for invalid priors, for input bounds with
/// [`FitOptions::normalize_inputs`] off, or if no start could be optimised.
pub fn fit(
    x: ArrayView2<'_, f64>,
    y: &Array1<f64>,
    options: &FitOptions,
) -> Result<FittedGp> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Empty { context: "fit: training data" });
    }
    if y.len() != x.nrows() {
        return Err(Error::ShapeMismatch {
            context: "fit",
            expected: vec![x.nrows()],
            found: vec![y.len()],
        });
    }
    if x.iter().chain(y.iter()).any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "fit: training data" });
    }
    if !(options.noise_floor >= 0.0 && options.noise_floor.is_finite()) {
        return Err(Error::InvalidInput {
            context: "fit",
            reason: format!(
                "the noise floor must be a non-negative number, got {}",
                options.noise_floor
            ),
        });
    }
    options.priors.validate()?;
    let floor = options.noise_floor.max(options.priors.noise_floor);
    let normalize =
        match (&options.input_bounds, options.normalize_inputs) {
            (Some(_), false) => return Err(Error::InvalidInput {
                context: "fit",
                reason:
                    "input bounds are given but inputs are not to be normalised; \
                         drop one of the two"
                        .into(),
            }),
            (None, false) => Normalize::identity(x.ncols()),
            (None, true) => Normalize::learn(x)?,
            (Some(b), true) if b.dim() == x.ncols() => Normalize::from_bounds(b),
            (Some(b), true) => {
                return Err(Error::ShapeMismatch {
                    context: "fit: input bounds, one interval per input column",
                    expected: vec![x.ncols()],
                    found: vec![b.dim()],
                })
            }
        };
    let standardize = if options.standardize_outputs {
        Standardize::learn(y.view())?
    } else {
        Standardize::identity()
    };
    let xn = normalize.apply(x)?;
    let yn = standardize.apply(y.view());
    let (n, d) = xn.dim();
    let layout = layout(options, d, floor, &standardize, n)?;
    let starts = starts(options, &layout);
    let full =
        NegativeLml::new(xn.view(), yn.view(), layout.clone(), options.priors);
    let screen_rows = (n > MIN_SCREENED)
        .then(|| subset_rows(n, SCREENING_SUBSET.min(n / 2), options.seed));
    let (xs, ys, screen_layout) = match &screen_rows {
        Some(rows) => {
            let noise = match &layout.noise {
                Noise::Known(v) => Noise::Known(v.select(Axis(0), rows)),
                learned => learned.clone(),
            };
            let sub = Layout { noise, ..layout.clone() };
            (xn.select(Axis(0), rows), yn.select(Axis(0), rows), sub)
        }
        None => (xn.clone(), yn.clone(), layout.clone()),
    };
    // The starts are independent: optimise them on up to `threads` threads, each with its
    // own workspace, taking the next start from a shared counter. Which thread ran a start
    // does not change its result, and the best is chosen in the starts' order, so the fit is
    // as deterministic as on one thread.
    let next = AtomicUsize::new(0);
    let run = || {
        let objective = NegativeLml::new(
            xs.view(),
            ys.view(),
            screen_layout.clone(),
            options.priors,
        );
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(s) = starts.get(k) else { break };
            done.push((k, minimise(&objective, s, options.max_iters, SCREEN)));
        }
        done
    };
    let threads = starts.len().min(options.threads.max(1));
    let mut results = if threads > 1 {
        std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(run)).collect();
            let mut all = run();
            for h in helpers {
                // A helper thread cannot panic short of a bug; its starts are then skipped.
                all.extend(h.join().unwrap_or_default());
            }
            all
        })
    } else {
        run()
    };
    results.sort_by_key(|(k, _)| *k);
    let mut best: Option<(f64, Array1<f64>)> = None;
    for (value, theta) in results.into_iter().filter_map(|(_, r)| r) {
        if best.as_ref().is_none_or(|(v, _)| value < *v) {
            best = Some((value, theta));
        }
    }
    let (_, mut theta) = best.ok_or(Error::InvalidInput {
        context: "fit",
        reason: "the likelihood could not be optimised from any start".into(),
    })?;
    if screen_rows.is_some() {
        // A lengthscale or a noise level that ran off to where the subset's likelihood is flat
        // has a vanishing gradient: bring it back to where the full data can move it.
        for t in theta.slice_mut(ndarray::s![..d]) {
            *t = t.min(MAX_POLISH_LENGTHSCALE.ln());
        }
        if let Some(k) = layout.noise_index() {
            theta[k] = theta[k].max(MIN_POLISH_NOISE.ln());
        }
    }
    if let Some((_, polished)) = minimise(&full, &theta, options.max_iters, POLISH)
    {
        theta = polished;
    }
    let hyper = full.profiled(&theta)?;
    let gp = match layout.known_noise() {
        Some(v) => Gp::with_noise_variances(xn, yn, hyper, v.clone())?,
        None => Gp::new(xn, yn, hyper)?,
    };
    Ok(FittedGp { gp, normalize, standardize, options: options.clone() })
}

/// What θ holds for these options, after checking them. Known noise variances are moved to
/// standardised units, as BoTorch's `Standardize` does (divided by s²).
fn layout(
    options: &FitOptions,
    d: usize,
    floor: f64,
    standardize: &Standardize,
    n: usize,
) -> Result<Layout> {
    let invalid = |reason: String| Error::InvalidInput { context: "fit", reason };
    if !(options.lengthscale_floor >= 0.0 && options.lengthscale_floor.is_finite())
    {
        return Err(invalid(format!(
            "the lengthscale floor must be a non-negative number, got {}",
            options.lengthscale_floor
        )));
    }
    if let Some(s) = options.outputscale {
        if !(s > 0.0 && s.is_finite()) {
            return Err(invalid(format!(
                "a fixed output scale must be positive, got {s}"
            )));
        }
    }
    let noise = match &options.noise_variances {
        None => Noise::Learned { floor },
        Some(v) => {
            if v.len() != n {
                return Err(Error::ShapeMismatch {
                    context: "fit: one noise variance per observation",
                    expected: vec![n],
                    found: vec![v.len()],
                });
            }
            if v.iter().any(|v| !v.is_finite()) {
                return Err(Error::NonFinite { context: "fit: noise variances" });
            }
            if v.iter().any(|&v| v < 0.0) {
                return Err(invalid("noise variances must be non-negative".into()));
            }
            Noise::Known(v.mapv(|v| standardize.apply_variance(v)))
        }
    };
    Ok(Layout {
        d,
        kind: options.kind,
        lengthscale_floor: options.lengthscale_floor,
        outputscale: options.outputscale,
        noise,
    })
}

/// The starts: one at the priors' modes (or, without priors, at lengthscales 0.5, output
/// scale 1 and noise 0.01 above its floor), then `options.restarts` seeded random ones.
fn starts(options: &FitOptions, layout: &Layout) -> Vec<Array1<f64>> {
    let above =
        |value: f64, floor: f64| if value > floor { value - floor } else { value };
    let p = options.priors;
    let first = Start {
        lengthscale: p
            .lengthscale
            .map_or(0.5, |q| above(q.mode(), options.lengthscale_floor)),
        outputscale: p.outputscale.map_or(1.0, |q| q.mode()),
        noise: p.noise.map_or(1e-2, |q| {
            above(q.mode(), options.noise_floor.max(p.noise_floor))
        }),
    };
    let mut starts = vec![layout.theta(first)];
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    for _ in 0..options.restarts {
        let lengthscale = (rng.random::<f64>() * 3.0 - 2.5).exp(); // 0.08 … 1.6
        let noise = (rng.random::<f64>() * 6.0 - 8.0).exp(); // 3e-4 … 0.14
        let outputscale = 0.5 + rng.random::<f64>();
        starts.push(layout.theta(Start { lengthscale, outputscale, noise }));
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{prior_samples, Kernel};
    use crate::numeric::central_difference;
    use ndarray::{array, Array, Array2};

    #[test]
    fn fitting_recovers_the_lengthscale_of_data_drawn_from_a_gp() {
        // 80 points of a sample path with ℓ = 0.2 on [0, 1] (already normalised).
        let x = Array::linspace(0.0, 1.0, 80).insert_axis(Axis(1));
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.2], 1.0).unwrap();
        let y = prior_samples(&kernel, x.view(), 1, 3).unwrap().row(0).to_owned();
        let options = FitOptions {
            kind: KernelKind::SquaredExponential,
            ..FitOptions::default()
        };
        let fitted = fit(x.view(), &y, &options).unwrap();
        let ell = fitted.gp.hyperparameters().kernel.lengthscales()[0];
        assert!((ell - 0.2).abs() < 0.05, "fitted ℓ = {ell}");
        // The fit is a maximum to the polish's tolerance: the gradient per point is below
        // 2e-4 in the lengthscale and the output scale (the noise sits at its floor), and the
        // mean, profiled out, is exactly optimal.
        let grad = fitted.gp.lml_gradient() / 80.0;
        assert!(grad[1].abs() < 2e-4 && grad[2].abs() < 2e-4, "{grad}");
        assert!(grad[0].abs() < 1e-9, "{grad}");
        // Predictions come back in the original units and interpolate the data.
        let p = fitted.predict(x.view()).unwrap();
        assert!((&p.mean - &y).iter().all(|r| r.abs() < 1e-2));
    }

    #[test]
    fn fitting_is_deterministic_and_refuses_bad_data() {
        let x = Array::linspace(-2.0, 2.0, 15).insert_axis(Axis(1));
        let y = x.column(0).mapv(|v: f64| v.sin());
        let a = fit(x.view(), &y, &FitOptions::default()).unwrap();
        let b = fit(x.view(), &y, &FitOptions::default()).unwrap();
        assert_eq!(a.gp.hyperparameters(), b.gp.hyperparameters());
        assert!(fit(
            Array2::zeros((0, 1)).view(),
            &Array1::zeros(0),
            &FitOptions::default()
        )
        .is_err());
        assert!(fit(x.view(), &Array1::zeros(3), &FitOptions::default()).is_err());
        let mut bad = y.clone();
        bad[0] = f64::NAN;
        assert!(matches!(
            fit(x.view(), &bad, &FitOptions::default()),
            Err(Error::NonFinite { .. })
        ));
    }

    #[test]
    fn the_map_objective_gradient_matches_finite_differences() {
        let x = Array2::from_shape_fn((30, 2), |(i, j)| {
            ((i * 7 + j * 3) % 11) as f64 / 10.0 + 0.01 * j as f64
        });
        let y = x.map_axis(Axis(1), |r| (3.0 * r[0]).sin() + r[1] * r[1]);
        let ys = Standardize::learn(y.view()).unwrap();
        let yn = y.mapv(|v| (v - ys.mean) / ys.std);
        let layout = Layout {
            d: 2,
            kind: KernelKind::Matern52,
            lengthscale_floor: 0.0,
            outputscale: None,
            noise: Noise::Learned { floor: 1e-4 },
        };
        let objective = NegativeLml::new(
            x.view(),
            yn.view(),
            layout.clone(),
            Priors::botorch(),
        );
        let theta = array![-1.2, -0.4, 0.3, -5.0];
        let (_, g) = objective.value_and_gradient(&theta).unwrap();
        let fd = central_difference(|t| objective.value(t).unwrap(), &theta, 1e-5);
        for k in 0..theta.len() {
            assert!(
                (fd[k] - g[k]).abs() < 1e-6 * (1.0 + fd[k].abs()),
                "θ_{k}: {} vs {}",
                fd[k],
                g[k]
            );
        }
        // The prior is what separates it from the likelihood alone.
        let plain = NegativeLml::new(x.view(), yn.view(), layout, Priors::none());
        let (lp, _) = Priors::botorch().log_prior(
            &[(-1.2f64).exp(), (-0.4f64).exp()],
            0.3f64.exp(),
            1e-4 + (-5.0f64).exp(),
        );
        let gap = plain.value(&theta).unwrap() - objective.value(&theta).unwrap();
        assert!((gap - lp / 30.0).abs() < 1e-12);
    }

    #[test]
    fn a_map_fit_keeps_botorch_s_noise_floor_and_refuses_bad_priors() {
        let x = Array::linspace(-2.0, 2.0, 15).insert_axis(Axis(1));
        let y = x.column(0).mapv(|v: f64| v.sin());
        let options =
            FitOptions { priors: Priors::botorch(), ..FitOptions::default() };
        let fitted = fit(x.view(), &y, &options).unwrap();
        assert!(fitted.gp.hyperparameters().noise >= 1e-4);
        let bad = Priors {
            lengthscale: Some(crate::gp::Prior::Gamma { shape: -1.0, rate: 1.0 }),
            ..Priors::none()
        };
        assert!(matches!(
            fit(x.view(), &y, &FitOptions { priors: bad, ..FitOptions::default() }),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn a_screened_fit_on_two_threads_is_deterministic_and_polished() {
        // More than MIN_SCREENED points: the starts run on a subset, on two threads.
        let n = MIN_SCREENED + 30;
        let x = Array::linspace(0.0, 1.0, n).insert_axis(Axis(1));
        let kernel = Kernel::new(KernelKind::Matern52, array![0.15], 1.0).unwrap();
        let f = prior_samples(&kernel, x.view(), 1, 5).unwrap().row(0).to_owned();
        let y = &f + &x.column(0).mapv(|v| 0.05 * (97.0 * v).sin());
        let a = fit(x.view(), &y, &FitOptions::default()).unwrap();
        let b = fit(x.view(), &y, &FitOptions::default()).unwrap();
        assert_eq!(a.gp.hyperparameters(), b.gp.hyperparameters());
        let grad = a.gp.lml_gradient() / n as f64;
        assert!(grad.iter().skip(1).take(2).all(|g| g.abs() < 2e-4), "{grad}");
    }
}
