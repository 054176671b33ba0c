//! Bayesian optimisation with the library, step by step: one step (fit, query, score,
//! maximise), the loop that repeats it and keeps every state, the same loop as the library's
//! `Optimizer`, the loop on a surface of two inputs with the basin each point lies in, and
//! the loop over many seeds beside random search and a Sobol design.

use gradbo::acquisition::{Acquisition, Analytic, Direction};
use gradbo::bo::{AcquisitionChoice, Optimizer, Settings};
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::optim::bounded::{minimise_bounded, BoundedOptions};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{ComplexFamily, TestProblem, TwoBasins};
use gradbo::{Bounds, Error};
use ndarray::{
    array, aview1, concatenate, Array1, Array2, ArrayView1, ArrayView2, Axis,
};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

// ANCHOR: step
/// What one step decided, and what the decision rested on.
pub struct Step {
    /// The GP fitted to all the data so far.
    pub model: FittedGp,
    /// Its posterior mean and standard deviation on the display grid (empty without one).
    pub mean: Array1<f64>,
    pub sd: Array1<f64>,
    /// The maximiser of LogEI: the point to evaluate next.
    pub candidate: Array1<f64>,
    /// LogEI there.
    pub acquisition_value: f64,
    /// Why the acquisition optimiser had to start again, if it did.
    pub retried: Vec<String>,
}

/// One step for minimising f from observations `y` at the rows of `x`: fit the single-task
/// GP, query its posterior on `grid` (if given), build LogEI with the lowest observation as
/// the incumbent, and maximise it over `bounds` (q = 1).
pub fn bo_step(
    x: ArrayView2<'_, f64>,
    y: &Array1<f64>,
    bounds: &Bounds,
    grid: Option<ArrayView2<'_, f64>>,
    options: &AcqfOptions,
) -> gradbo::Result<Step> {
    // The model is fitted to f itself: its mean comes back in f's own sign.
    let model = fit(x, y, &FitOptions::single_task(x.ncols()))?;
    let (mean, sd) = match grid {
        Some(grid) => {
            let p = model.predict(grid)?;
            (p.mean, p.variance.mapv(|v| v.max(1e-12).sqrt()))
        }
        None => (Array1::zeros(0), Array1::zeros(0)),
    };
    // Minimising f is maximising −f; the direction makes that change of sign, once.
    let direction = Direction::Minimise;
    let best = direction
        .best(y.iter().copied())
        .ok_or(Error::Empty { context: "bo_step: observations" })?;
    let log_ei = Analytic::new(
        &model,
        Acquisition::LogExpectedImprovement { best },
        direction,
    )?;
    let found = optimize_acqf(&log_ei, bounds, options)?;
    Ok(Step {
        model,
        mean,
        sd,
        candidate: found.x,
        acquisition_value: found.value,
        retried: found.retried,
    })
}

/// The acquisition optimiser's settings: `restarts` local runs from the best of
/// `raw_samples` Sobol points, seeded.
pub fn acqf_options(restarts: usize, raw_samples: usize, seed: u64) -> AcqfOptions {
    AcqfOptions { restarts, raw_samples, seed, ..AcqfOptions::default() }
}
// ANCHOR_END: step

// ANCHOR: loop
/// One state of the loop: the data at that moment and what the step made of them.
pub struct State {
    pub step: usize,
    pub x: Array2<f64>,
    pub y: Array1<f64>,
    /// The posterior on the display grid (empty if the loop keeps none).
    pub mean: Array1<f64>,
    pub sd: Array1<f64>,
    pub candidate: Array1<f64>,
    pub acquisition_value: f64,
    pub retried: Vec<String>,
}

/// `n_steps` steps of Bayesian optimisation of `f` from the observations (x, y). Every
/// state 0, 1, …, n_steps is recorded; after each state but the last, f is evaluated at
/// its candidate (without noise) and the result appended. Step k seeds the acquisition
/// optimiser with `options.seed + k`.
pub fn bo_loop(
    f: impl Fn(ArrayView1<'_, f64>) -> gradbo::Result<f64>,
    x: Array2<f64>,
    y: Array1<f64>,
    bounds: &Bounds,
    n_steps: usize,
    grid: Option<ArrayView2<'_, f64>>,
    options: &AcqfOptions,
) -> gradbo::Result<Vec<State>> {
    let (mut x, mut y) = (x, y);
    let mut history = Vec::with_capacity(n_steps + 1);
    for step in 0..=n_steps {
        let seed = options.seed.wrapping_add(step as u64);
        let options = AcqfOptions { seed, ..options.clone() };
        // Refit from scratch: the hyperparameters are re-estimated from all the data.
        let s = bo_step(x.view(), &y, bounds, grid, &options)?;
        history.push(State {
            step,
            x: x.clone(),
            y: y.clone(),
            mean: s.mean,
            sd: s.sd,
            candidate: s.candidate.clone(),
            acquisition_value: s.acquisition_value,
            retried: s.retried,
        });
        if step < n_steps {
            let value = f(s.candidate.view())?;
            x.push_row(s.candidate.view()).map_err(|e| Error::InvalidInput {
                context: "bo_loop",
                reason: e.to_string(),
            })?;
            y.append(Axis(0), ndarray::aview1(&[value])).map_err(|e| {
                Error::InvalidInput { context: "bo_loop", reason: e.to_string() }
            })?;
        }
    }
    Ok(history)
}
// ANCHOR_END: loop

// ANCHOR: one_d
/// The 1-D problem: the complex family with (a₂, a_t) = (0.85, 0.24) on [−3, 3], eight
/// points linspace(−2, 2, 8) observed with 0.03·U noise, and a display grid of 500 points.
pub struct OneD {
    pub f: ComplexFamily,
    pub bounds: Bounds,
    pub grid: Array2<f64>,
    pub x: Array2<f64>,
    pub y: Array1<f64>,
}

impl OneD {
    pub fn new(seed: u64) -> gradbo::Result<Self> {
        let f = ComplexFamily::full_loop();
        let bounds = f.bounds().clone();
        let grid = Array1::linspace(-3.0, 3.0, 500).insert_axis(Axis(1));
        let x = Array1::linspace(-2.0, 2.0, 8).insert_axis(Axis(1));
        let y = f.observe(x.view(), 0.03, seed)?;
        Ok(OneD { f, bounds, grid, x, y })
    }

    /// Six steps: LogEI maximised with 10 restarts from 50 raw samples.
    pub fn run(&self, seed: u64) -> gradbo::Result<Vec<State>> {
        let options = acqf_options(10, 50, seed);
        let f = |x: ArrayView1<'_, f64>| self.f.value(x);
        let grid = Some(self.grid.view());
        bo_loop(f, self.x.clone(), self.y.clone(), &self.bounds, 6, grid, &options)
    }
}
// ANCHOR_END: one_d

/// The seed of the chapter's runs: of the initial noise and of the acquisition optimiser.
pub const SEED: u64 = 0;

// ANCHOR: optimizer
/// The 1-D run of this chapter through the library's ask/tell optimiser: the same model
/// (inputs normalised by the data), the same acquisition function and the same optimiser
/// settings, seeded alike. Six asks are answered; a seventh asks for the point the loop
/// would evaluate next.
pub fn optimizer_run(problem: &OneD, seed: u64) -> gradbo::Result<Optimizer> {
    let settings = Settings {
        acquisition: AcquisitionChoice::LogExpectedImprovement,
        fit: Some(FitOptions::single_task(1)),
        acqf: acqf_options(10, 50, seed),
        around_best: false, // the loop above surveys the Sobol points alone
        ..Settings::default()
    };
    let mut opt =
        Optimizer::new(problem.bounds.clone(), Direction::Minimise, settings)?;
    opt.tell(problem.x.view(), problem.y.view())?;
    for _ in 0..6 {
        let x = opt.ask()?;
        let value = problem.f.value(x.view())?;
        opt.tell(x.view().insert_axis(Axis(0)), aview1(&[value]))?;
    }
    opt.ask()?;
    Ok(opt)
}
// ANCHOR_END: optimizer

// ANCHOR: design
/// The 2-D problem: F on [−3, 3]² and the fixed six-point design, observed with 0.03·U
/// noise.
pub struct TwoD {
    pub f: TwoBasins,
    pub bounds: Bounds,
    pub x: Array2<f64>,
    pub y: Array1<f64>,
}

impl TwoD {
    pub fn new(seed: u64) -> gradbo::Result<Self> {
        let f = TwoBasins::new();
        let bounds = f.bounds().clone();
        let x = array![
            [-2.2, -2.0],
            [-1.5, 1.0],
            [-0.5, -0.8],
            [0.3, 0.5],
            [1.0, 2.2],
            [1.8, 2.0]
        ];
        let y = f.observe(x.view(), 0.03, seed)?;
        Ok(TwoD { f, bounds, x, y })
    }

    /// `n_steps` steps of the loop: LogEI maximised with 15 restarts from 60 raw samples;
    /// no posterior is kept.
    pub fn run(&self, n_steps: usize, seed: u64) -> gradbo::Result<Vec<State>> {
        let options = acqf_options(15, 60, seed);
        let f = |x: ArrayView1<'_, f64>| self.f.value(x);
        bo_loop(
            f,
            self.x.clone(),
            self.y.clone(),
            &self.bounds,
            n_steps,
            None,
            &options,
        )
    }
}
// ANCHOR_END: design

// ANCHOR: basin
/// Where a point of [−3, 3]² drains to under F.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basin {
    /// The basin of the global minimum, near (1.11, 1.45).
    Deep,
    /// The basin of the second minimum, near (−1.00, −0.86).
    Second,
    /// Anywhere else: a shallow local minimum or the edge of the box.
    Elsewhere,
}

/// The basin of attraction that `x` lies in: run bounded descent on F from `x` and see
/// which minimum it reaches (within 0.01 of it in each coordinate).
pub fn basin(problem: &TwoBasins, x: ArrayView1<'_, f64>) -> gradbo::Result<Basin> {
    let f = |p: ArrayView1<'_, f64>| {
        let value = problem.value(p)?;
        let h = 1e-6;
        let mut g = Array1::zeros(2);
        for i in 0..2 {
            let (mut up, mut down) = (p.to_owned(), p.to_owned());
            up[i] += h;
            down[i] -= h;
            g[i] = (problem.value(up.view())? - problem.value(down.view())?)
                / (2.0 * h);
        }
        Ok((value, g))
    };
    let end =
        minimise_bounded(f, x, problem.bounds(), &BoundedOptions::default())?.x;
    let near =
        |m: [f64; 2]| (end[0] - m[0]).abs() < 0.01 && (end[1] - m[1]).abs() < 0.01;
    Ok(if near(TwoBasins::MINIMISER) {
        Basin::Deep
    } else if near(TwoBasins::LOCAL_MINIMA[0].0) {
        Basin::Second
    } else {
        Basin::Elsewhere
    })
}
// ANCHOR_END: basin

// ANCHOR: methods
/// How the points after the design are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The chapter's loop: LogEI, 15 restarts, 60 raw samples.
    Bayesian,
    /// Independent uniform points of the box.
    Random,
    /// The first points of a scrambled Sobol sequence in the box.
    Sobol,
}

/// The regret F(best point so far) − F* after the design and after each of `budget`
/// further evaluations (`budget` + 1 values). The seed sets the design's noise and the
/// method's randomness; the design's points are the same for every seed. Regret is
/// measured on noise-free F.
pub fn regret_curve(
    method: Method,
    budget: usize,
    seed: u64,
) -> gradbo::Result<Vec<f64>> {
    let problem = TwoD::new(seed)?;
    let added = match method {
        Method::Bayesian => {
            // Step `budget` only proposes; its candidate is never evaluated.
            let history = problem.run(budget, seed)?;
            let x = &history[budget].x;
            x.slice(ndarray::s![problem.x.nrows().., ..]).to_owned()
        }
        Method::Random => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let u =
                Array2::from_shape_simple_fn((budget, 2), || rng.random::<f64>());
            problem.bounds.from_unit(u.view())?
        }
        Method::Sobol => draw_sobol_samples(&problem.bounds, budget, seed)?,
    };
    let all =
        concatenate(Axis(0), &[problem.x.view(), added.view()]).map_err(|e| {
            gradbo::Error::InvalidInput {
                context: "regret_curve",
                reason: e.to_string(),
            }
        })?;
    best_so_far_regret(&problem.f, all.view(), problem.x.nrows())
}

/// The regret of the best of the first `design` points, then of the first `design` + k
/// points for k = 1, 2, ….
pub fn best_so_far_regret(
    f: &TwoBasins,
    x: ArrayView2<'_, f64>,
    design: usize,
) -> gradbo::Result<Vec<f64>> {
    let values = f.values(x)?;
    let mut best = values.iter().take(design).fold(f64::INFINITY, |m, v| m.min(*v));
    let mut curve = vec![best - f.optimal_value()];
    for v in values.iter().skip(design) {
        best = best.min(*v);
        curve.push(best - f.optimal_value());
    }
    Ok(curve)
}
// ANCHOR_END: methods

// ANCHOR: quantile
/// The q-quantile of `values` by linear interpolation between order statistics: position
/// q(n − 1) in the sorted values.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (pos - lo as f64) * (v[hi] - v[lo])
}
// ANCHOR_END: quantile

/// The chapter's runs, briefly: the 1-D loop, the library's optimiser on the same problem,
/// ten steps in 2-D, and three seeds of each method with a budget of 8.
pub fn main() -> gradbo::Result<()> {
    let problem = OneD::new(SEED)?;
    let history = problem.run(SEED)?;
    let last = &history[history.len() - 1];
    println!("1-D: {} states, {} observations", history.len(), last.y.len());
    let opt = optimizer_run(&problem, SEED)?;
    // ANCHOR: history
    for (k, it) in opt.history().iter().enumerate() {
        println!(
            "ask {k}: n = {:2}, incumbent {:+.5}, x = {:+.4}, LogEI = {:+.3}, \
             ℓ = {:.4}, noise = {:.2e}, retried {}",
            it.observations,
            it.incumbent,
            it.candidate[0],
            it.acquisition_value,
            it.hyperparameters.lengthscales[0],
            it.hyperparameters.noise,
            it.retried.len()
        );
    }
    // ANCHOR_END: history
    let plane = TwoD::new(SEED)?;
    let history = plane.run(10, SEED)?;
    let last = &history[history.len() - 1];
    println!("2-D: {} states, {} observations", history.len(), last.y.len());
    for (i, row) in last.x.rows().into_iter().enumerate().skip(6) {
        let b = basin(&plane.f, row)?;
        println!(
            "step {}: ({:+.3}, {:+.3}) F = {:+.5}, {b:?}",
            i - 5,
            row[0],
            row[1],
            last.y[i]
        );
    }
    for method in [Method::Bayesian, Method::Random, Method::Sobol] {
        let finals: Vec<f64> = (0..3)
            .map(|seed| regret_curve(method, 8, seed).map(|c| c[8]))
            .collect::<gradbo::Result<_>>()?;
        println!("{method:?}: regret after 8 evaluations, seeds 0–2: {finals:.4?}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::test_functions::two_basins;

    #[test]
    fn the_objective_s_minima() {
        let f = ComplexFamily::full_loop();
        // −0.344545 in 40-digit arithmetic: −0.3446 to within one unit of the fourth decimal.
        assert!((f.minimiser() + 0.344545).abs() < 5e-7);
        assert!((f.optimal_value() + 0.87751).abs() < 5e-6);
        let right = f.local_minima()[4];
        assert!((right.0 - 1.7171).abs() < 5e-5 && (right.1 + 0.8197).abs() < 5e-5);
        // The best noise-free initial value: f(−0.2857) = −0.83616, at x = −2/7.
        let p = OneD::new(SEED).unwrap();
        let clean = f.values(p.x.view()).unwrap();
        let i = (0..8).fold(0, |b, i| if clean[i] < clean[b] { i } else { b });
        assert!((p.x[[i, 0]] + 2.0 / 7.0).abs() < 1e-12);
        assert!((clean[i] + 0.83616).abs() < 5e-6);
        // One-sided noise: every observation lies above the truth, by less than 0.03.
        let diff = &p.y - &clean;
        assert!(diff.iter().all(|d| (0.0..0.03).contains(d)));
    }

    #[test]
    fn seven_states_and_fourteen_observations() {
        let p = OneD::new(SEED).unwrap();
        let h = p.run(SEED).unwrap();
        assert_eq!(h.len(), 7);
        assert_eq!(h[6].y.len(), 14);
        for (k, s) in h.iter().enumerate() {
            assert_eq!((s.step, s.y.len(), s.x.nrows()), (k, 8 + k, 8 + k));
            assert_eq!((s.mean.len(), s.sd.len()), (500, 500));
            assert!(p.bounds.contains(s.candidate.view()));
            // Each state's data are the previous state's plus its candidate, noise-free.
            if k > 0 {
                let c = &h[k - 1].candidate;
                assert_eq!(s.x.row(8 + k - 1), c.view());
                assert_eq!(s.y[8 + k - 1], p.f.value(c.view()).unwrap());
            }
        }
    }

    /// Fitting f and minimising, or fitting −f and maximising, is the same model mirrored.
    #[test]
    fn the_direction_is_the_negation() {
        let p = OneD::new(SEED).unwrap();
        let options = FitOptions::single_task(1);
        let up = fit(p.x.view(), &p.y, &options).unwrap();
        let down = fit(p.x.view(), &p.y.mapv(|v| -v), &options).unwrap();
        let (a, b) = (
            up.predict(p.grid.view()).unwrap(),
            down.predict(p.grid.view()).unwrap(),
        );
        for i in 0..500 {
            assert!((a.mean[i] + b.mean[i]).abs() < 1e-8);
            assert!((a.variance[i] - b.variance[i]).abs() < 1e-8);
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }

    /// The packaged loop and the loop written out make the same decisions, to the last bit.
    #[test]
    fn the_optimizer_is_the_same_loop() {
        let problem = OneD::new(SEED).unwrap();
        let by_hand = problem.run(SEED).unwrap();
        let opt = optimizer_run(&problem, SEED).unwrap();
        assert_eq!(opt.history().len(), by_hand.len());
        for (it, state) in opt.history().iter().zip(&by_hand) {
            assert_eq!(it.candidate, state.candidate);
            assert_eq!(it.acquisition_value, state.acquisition_value);
            assert_eq!(it.observations, state.y.len());
        }
        assert_eq!(opt.values(), by_hand[6].y.as_slice().unwrap());
        let curve = opt.best_so_far();
        assert_eq!(curve.len(), 14);
        assert!(curve.windows(2).all(|w| w[1] <= w[0]));
    }

    #[test]
    fn the_surface_and_its_design() {
        let (x, v) = TwoBasins::LOCAL_MINIMA[3];
        assert!((x[0] - 1.1121).abs() < 5e-5 && (x[1] - 1.4466).abs() < 5e-5);
        assert!((v + 0.84255).abs() < 5e-6);
        let (x, v) = TwoBasins::LOCAL_MINIMA[0];
        assert!((x[0] + 1.0020).abs() < 5e-5 && (x[1] + 0.8642).abs() < 5e-5);
        assert!((v + 0.39263).abs() < 5e-6);
        let p = TwoD::new(SEED).unwrap();
        let clean = p.f.values(p.x.view()).unwrap();
        let expected = [0.50915, 0.22879, -0.26073, 0.20569, -0.02877, 0.15445];
        for (c, e) in clean.iter().zip(expected) {
            assert!((c - e).abs() < 5e-6, "{c} vs {e}");
        }
        assert!((two_basins(1.0, 2.2) - clean[4]).abs() == 0.0);
    }

    #[test]
    fn the_two_minima_lie_in_their_own_basins() {
        let f = TwoBasins::new();
        let at = |x: [f64; 2]| basin(&f, array![x[0], x[1]].view()).unwrap();
        assert_eq!(at([1.5, 1.0]), Basin::Deep);
        assert_eq!(at([-1.5, -0.5]), Basin::Second);
        assert_eq!(at([2.0, -1.2]), Basin::Elsewhere);
    }

    #[test]
    fn eleven_states_and_sixteen_observations() {
        let p = TwoD::new(SEED).unwrap();
        let h = p.run(10, SEED).unwrap();
        assert_eq!(h.len(), 11);
        assert_eq!(h[10].y.len(), 16);
        assert!(h.iter().all(|s| s.mean.is_empty()));
    }

    #[test]
    fn every_curve_starts_at_the_design_and_never_rises() {
        for method in [Method::Bayesian, Method::Random, Method::Sobol] {
            for seed in 0..2 {
                let c = regret_curve(method, 6, seed).unwrap();
                assert_eq!(c.len(), 7);
                // The design's best noise-free value is F(−0.5, −0.8) = −0.26073.
                assert!((c[0] - (-0.26073 + 0.84255)).abs() < 1e-5, "{c:?}");
                assert!(c.windows(2).all(|w| w[1] <= w[0]));
                assert!(c.iter().all(|&r| r >= 0.0));
            }
        }
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.25), 1.75);
    }
}
