//! One step of Bayesian optimisation with the library — fit, query, score, maximise — and the
//! loop that repeats it, keeping a record of every state.

use gradbo::acquisition::{Acquisition, Analytic, Direction};
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::test_functions::{ComplexFamily, TestProblem};
use gradbo::{Bounds, Error};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

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

/// The seed of the 1-D run: of its initial noise and of its acquisition optimiser.
pub const SEED: u64 = 0;

pub fn main() -> gradbo::Result<()> {
    let problem = OneD::new(SEED)?;
    let history = problem.run(SEED)?;
    let last = &history[history.len() - 1];
    println!("{} states, {} observations", history.len(), last.y.len());
    for s in &history {
        println!(
            "state {}: {} observations, best {:+.5}, next x = {:+.4}",
            s.step,
            s.y.len(),
            s.y.fold(f64::INFINITY, |m, v| m.min(*v)),
            s.candidate[0]
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
