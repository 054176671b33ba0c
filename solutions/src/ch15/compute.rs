//! Everything chapter 15 computes, once: the fitted model, the three acquisition functions on
//! the grid and their candidates, the local runs of `optimize_acqf`, each one-step
//! consequence, the LogEI table and the wrapper's demonstration.

use gradbo::acquisition::AcquisitionFunction;
use gradbo::bo::AcquisitionChoice;
use gradbo::gp::FittedGp;
use gradbo::models::Model;
use gradbo::numeric::golden_section;
use gradbo::optimize_acqf::Optimised;
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{ComplexFamily, TestProblem};
use gradbo_listings::ch15::acquisitions::{
    acqf_options, acquisition, after_evaluating, bounds, fit_model, grid,
    incumbent, name, objective, on_grid, propose, training_data, CHOICES, SEED,
};
use gradbo_listings::ch15::one_step::{demo, Step};
use gradbo_listings::ch15::problem;
use ndarray::{Array1, Array2};

/// A posterior on the display grid.
pub struct Curve {
    pub mean: Array1<f64>,
    pub sd: Array1<f64>,
}

pub fn curve(model: &FittedGp, points: &Array2<f64>) -> Curve {
    let p = model.marginals(points.view()).expect("the posterior on the grid");
    Curve { mean: p.mean, sd: p.variance.mapv(f64::sqrt) }
}

/// One acquisition function's view of the data and what its choice led to.
pub struct Choice {
    pub choice: AcquisitionChoice,
    pub name: &'static str,
    pub on_grid: Array1<f64>,
    pub found: Optimised,
    /// f at the candidate, without noise.
    pub f_next: f64,
    /// The posterior after appending (candidate, f) and refitting, and its data.
    pub after: Curve,
    pub x_after: Array2<f64>,
    pub y_after: Array1<f64>,
    pub lengthscale_after: f64,
}

impl Choice {
    pub fn x(&self) -> f64 {
        self.found.x[0]
    }
}

/// The chapter's run.
pub struct Run {
    pub f: ComplexFamily,
    pub grid: Array2<f64>,
    pub x: Array2<f64>,
    pub y: Array1<f64>,
    pub model: FittedGp,
    pub best: f64,
    pub before: Curve,
    pub choices: Vec<Choice>,
    /// The 50 Sobol points `optimize_acqf` surveyed (the same for every choice).
    pub raw: Array2<f64>,
    /// The LogEI values at those points.
    pub raw_log_ei: Array1<f64>,
    /// The wrapper's demonstration: 12 noise-free points, LogEI.
    pub demo: (Array2<f64>, Array1<f64>, Step),
    /// Where the basins of attraction of f's local minima meet (the local maxima between
    /// them).
    pub ridges: Vec<f64>,
}

pub fn run() -> Run {
    let f = objective();
    let (x, y) = training_data(SEED).expect("data");
    // The acquisitions listing repeats the problem listing's setting, to stand alone.
    assert_eq!(
        (x.clone(), y.clone()),
        problem::training_data(problem::SEED).expect("data")
    );
    assert_eq!(grid(), problem::grid());
    let model = fit_model(&x, &y).expect("the fit");
    let best = incumbent(&y).expect("data");
    let (points, bounds) = (grid(), bounds().expect("a box"));
    let before = curve(&model, &points);
    let choices = CHOICES
        .iter()
        .map(|&choice| {
            let on_grid = on_grid(&model, choice, best, &points).expect("values");
            let found = propose(&model, choice, best, &bounds, &acqf_options(SEED))
                .expect("found");
            let (x_after, y_after, refit) =
                after_evaluating(&x, &y, found.x[0]).expect("refit");
            let lengthscale_after =
                refit.data_units().expect("units").lengthscales[0];
            Choice {
                choice,
                name: name(choice),
                on_grid,
                f_next: f.eval(found.x[0]),
                after: curve(&refit, &points),
                found,
                x_after,
                y_after,
                lengthscale_after,
            }
        })
        .collect();
    let raw = draw_sobol_samples(&bounds, acqf_options(SEED).raw_samples, SEED)
        .expect("Sobol");
    let log_ei =
        acquisition(&model, AcquisitionChoice::LogExpectedImprovement, best)
            .expect("LogEI");
    let raw_log_ei = log_ei.values(raw.view()).expect("values");
    let ridges = ridges(&f);
    Run {
        f,
        grid: points,
        x,
        y,
        model,
        best,
        before,
        choices,
        raw,
        raw_log_ei,
        demo: demo().expect("the demonstration"),
        ridges,
    }
}

/// The local maxima of f between consecutive local minima.
pub fn ridges(f: &ComplexFamily) -> Vec<f64> {
    f.local_minima()
        .windows(2)
        .map(|w| golden_section(|x| -f.eval(x), w[0].0, w[1].0, 200))
        .collect()
}

/// The local minimum whose basin holds x: (x, f(x)) of that minimum.
pub fn basin(f: &ComplexFamily, ridges: &[f64], x: f64) -> (f64, f64) {
    let i = ridges.iter().filter(|&&r| r < x).count();
    f.local_minima()[i]
}

/// A phrase for the basin of x.
pub fn basin_name(f: &ComplexFamily, ridges: &[f64], x: f64) -> String {
    let (m, v) = basin(f, ridges, x);
    if m == f.minimiser() {
        format!("the narrow dip, the global minimum ({m:.4}, {v:.5})")
    } else if m == f.local_minima().last().expect("minima").0 {
        format!("the right-hand basin, a local minimum ({m:.4}, {v:.4})")
    } else {
        format!("a local minimum ({m:.4}, {v:.4})")
    }
}

/// The true minimum, from golden section in the dip's bracket (the test function's own
/// minimiser agrees).
pub fn true_minimum(f: &ComplexFamily) -> (f64, f64) {
    let x = golden_section(|x| f.eval(x), -0.6, -0.1, 200);
    assert!(
        (x - f.minimiser()).abs() < 1e-7
            && (f.optimal_value() - f.eval(x)).abs() < 1e-14
    );
    (x, f.eval(x))
}
