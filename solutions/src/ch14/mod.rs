//! Chapter 14, from hand-written GPs to library models: the data in the library's shapes,
//! the single-task model's structure, what its transforms do, the MAP fit and its
//! hyperparameters in two sets of units, posterior queries, the library's posterior beside
//! chapter 12's hand-written one, the same workflow on a harder objective, figures and
//! exercise answers.

mod exercises;
mod figures;
mod report;

use crate::{Artifact, Context};
use figures::{complex_figure, objective_figure, posterior_figure, sigma_figure};
use gradbo::gp::FitOptions;
use gradbo::numeric::{column, linspace};
use gradbo::test_functions::{ComplexFamily, LibraryExample, TestProblem};
use gradbo_listings::ch12::posterior::posterior;
use gradbo_listings::ch14::model::{data, Data};
use gradbo_listings::ch14::posterior::{surrogate, Surrogate};
use report::report;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part4", "ch14");

/// Everything chapter 14 shows.
pub fn run() -> Vec<Artifact> {
    let first = Setting::first();
    let complex = Setting::complex();
    vec![
        Artifact::new(CTX.output(), report(&first, &complex)),
        Artifact::new(CTX.figure("objective"), objective_figure(&first)),
        Artifact::new(CTX.figure("posterior"), posterior_figure(&first)),
        Artifact::new(CTX.figure("sigma"), sigma_figure(&first)),
        Artifact::new(CTX.figure("complex"), complex_figure(&complex)),
    ]
}

/// One objective of the chapter: its observations, the fitted single-task GP and its
/// posterior on a grid, and the true curve.
struct Setting {
    /// The design: n evenly spaced points of [lo, hi].
    design: (f64, f64, usize),
    /// The noisy observations, as the library takes them.
    data: Data,
    /// f at the data, without noise.
    clean: Vec<f64>,
    /// The fitted model and its posterior mean and standard deviation on the grid.
    s: Surrogate,
    /// f on the grid.
    truth: Vec<f64>,
    /// The interior local minima (x, f(x)), left to right.
    minima: Vec<(f64, f64)>,
}

impl Setting {
    /// The first objective: eight points on [−1.5, 1.5], 500 grid points on [−3, 3].
    fn first() -> Self {
        let p = LibraryExample::new();
        Setting::new(&p, (-1.5, 1.5, 8), 500, LibraryExample::LOCAL_MINIMA.to_vec())
    }

    /// The complex objective (a₂, a_t) = (0.72, 0.32): twelve points on [−2, 2], 600 grid
    /// points on [−3, 3].
    fn complex() -> Self {
        let p = ComplexFamily::library_models();
        let minima = p.local_minima().to_vec();
        Setting::new(&p, (-2.0, 2.0, 12), 600, minima)
    }

    fn new(
        problem: &dyn TestProblem,
        design: (f64, f64, usize),
        points: usize,
        minima: Vec<(f64, f64)>,
    ) -> Self {
        let (lo, hi, n) = design;
        let data = data(problem, lo, hi, n).expect("valid design");
        let clean = problem.values(data.x.view()).expect("in the box").to_vec();
        let grid = linspace(-3.0, 3.0, points);
        let truth =
            problem.values(column(&grid).view()).expect("in the box").to_vec();
        let s = surrogate(problem, design, grid).expect("fits");
        Setting { design, data, clean, s, truth, minima }
    }

    /// The x of the data.
    fn x(&self) -> Vec<f64> {
        self.data.x.column(0).to_vec()
    }

    /// The global minimum (x, f(x)).
    fn minimum(&self) -> (f64, f64) {
        self.minima.iter().copied().fold((f64::NAN, f64::INFINITY), |b, m| {
            if m.1 < b.1 {
                m
            } else {
                b
            }
        })
    }
}

/// Chapter 12's hand-written posterior (a zero-mean GP) at `xs`, given the fitted model's
/// hyperparameters in the data's units: the constant mean is subtracted from the data and
/// added back. Returns μ and σ.
fn hand_written(setting: &Setting, xs: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let u = setting.s.model.data_units().expect("finite");
    let y: Vec<f64> = setting.data.y.iter().map(|y| y - u.mean).collect();
    let p =
        posterior(&setting.x(), &y, xs, u.lengthscales[0], u.outputscale, u.noise)
            .expect("valid");
    // The library keeps σ² ≥ 1e-12 in its own units, that is ≥ 1e-12·s² in the data's.
    let s = setting.s.model.standardize.std;
    let floor = gradbo::gp::MIN_VARIANCE * s * s;
    let mean = p.mean.iter().map(|m| m + u.mean).collect();
    let sd = p.covariance.diag().iter().map(|v| v.max(floor).sqrt()).collect();
    (mean, sd)
}

/// The library's posterior μ and σ at `xs`.
fn library(setting: &Setting, xs: &[f64]) -> (Vec<f64>, Vec<f64>) {
    use gradbo::models::Model;
    let p = setting.s.model.marginals(column(xs).view()).expect("valid");
    (p.mean.to_vec(), p.variance.iter().map(|v| v.sqrt()).collect())
}

/// The largest |Δμ| and |Δσ| between the library's posterior and the hand-written one on
/// the setting's grid.
fn largest_differences(setting: &Setting) -> (f64, f64) {
    let grid = &setting.s.grid;
    let (hm, hs) = hand_written(setting, grid);
    let (lm, ls) = library(setting, grid);
    let gap = |a: &[f64], b: &[f64]| {
        a.iter().zip(b).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
    };
    (gap(&hm, &lm), gap(&hs, &ls))
}

/// The single-task options with the library's noise floor changed, as editing
/// `noise_floor` in `Priors::single_task` (src/gp/prior.rs) would.
fn with_noise_floor(floor: f64) -> FitOptions {
    let mut options = FitOptions::single_task(1);
    options.priors.noise_floor = floor;
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::models::Model;

    #[test]
    fn the_data_are_those_the_surrogate_was_fitted_to() {
        for s in [Setting::first(), Setting::complex()] {
            let yn = s.s.model.standardize.apply(s.data.y.view());
            let fitted = s.s.model.gp.observations();
            assert!(yn.iter().zip(fitted).all(|(a, b)| (a - b).abs() < 1e-15));
            assert_eq!(s.data.x.ncols(), s.s.model.dim());
            assert_eq!(s.s.model.num_outputs(), 1);
        }
    }

    #[test]
    fn the_library_and_the_hand_written_posterior_agree() {
        for s in [Setting::first(), Setting::complex()] {
            let (dm, ds) = largest_differences(&s);
            let scale = s.s.model.standardize.std;
            assert!(dm < 1e-11 * scale && ds < 1e-9 * scale, "{dm:e} {ds:e}");
        }
    }

    #[test]
    fn far_from_the_data_sigma_tends_to_the_outputs_std() {
        // k(x, ·) → 0 far away, so σ² → s²·k(x, x) = s² (σ_f² = 1 in the model's units).
        let s = Setting::first();
        let (_, sd) = library(&s, &[-60.0, 60.0]);
        let std = s.s.model.standardize.std;
        assert!(sd.iter().all(|v| (v - std).abs() < 1e-12 * std), "{sd:?}");
    }

    #[test]
    fn at_the_data_sigma_stays_below_the_noise() {
        // Var(f(xᵢ) | y) ≤ Var(f(xᵢ) | yᵢ) = σ_f²σₙ²/(σ_f² + σₙ²) < σₙ², in any units.
        let s = Setting::first();
        let u = s.s.model.data_units().unwrap();
        let one = u.outputscale * u.noise / (u.outputscale + u.noise);
        let (_, sd) = library(&s, &s.x());
        assert!(sd.iter().all(|v| v * v <= one && one < u.noise), "{sd:?}");
    }

    #[test]
    fn the_exercise_answers() {
        let s = Setting::first();
        // 1: the transforms absorb a change of units; the data units follow it.
        let r = exercises::rescaled(&s);
        let (a, b) = (s.s.model.gp.hyperparameters(), r.gp.hyperparameters());
        let ratio = b.kernel.lengthscales()[0] / a.kernel.lengthscales()[0];
        assert!(
            (ratio - 1.0).abs() < 1e-9 && (b.noise / a.noise - 1.0).abs() < 1e-9
        );
        let (ua, ub) = (s.s.model.data_units().unwrap(), r.data_units().unwrap());
        let ys = exercises::Y_SCALE * exercises::Y_SCALE;
        assert!((ub.noise / ua.noise / ys - 1.0).abs() < 1e-9);
        let xs = ub.lengthscales[0] / ua.lengthscales[0];
        assert!((xs / exercises::X_SCALE - 1.0).abs() < 1e-9);
        // 2: y − μ(X) = σₙ²α and 1ᵀα = 0 at the best mean, so the residuals average to 0
        // and μ at the data is as far above f, on average, as the noise.
        let (mu, noise, residual) = exercises::excess(14);
        assert!(residual.abs() < 1e-12 && (mu - noise).abs() < 1e-12);
        let moved = exercises::shifted(&s);
        let (_, sd) = library(&s, &s.x());
        let p = moved.marginals(column(&s.x()).view()).unwrap();
        let (m0, _) = library(&s, &s.x());
        for k in 0..sd.len() {
            assert!((m0[k] - p.mean[k] - 0.015).abs() < 1e-12);
            assert!((sd[k] - p.variance[k].sqrt()).abs() < 1e-12);
        }
        // 3: with the floor at 0.05 the noise sits on it and σ at the data rises.
        let f = exercises::floored(&s);
        let h = f.gp.hyperparameters();
        assert!(h.noise >= exercises::FLOOR && h.noise < 1.01 * exercises::FLOOR);
        let q = f.marginals(column(&s.x()).view()).unwrap();
        assert!(q.variance.iter().zip(&sd).all(|(v, s)| v.sqrt() > 2.0 * s));
    }

    #[test]
    fn the_check_values() {
        let s = Setting::first();
        let (xm, fm) = s.minimum();
        assert!((xm - 1.1761).abs() < 5e-5 && (fm + 0.42560).abs() < 5e-6);
        let mean = s.clean.iter().sum::<f64>() / 8.0;
        assert!((mean + 0.005804).abs() < 5e-7);
        let c = Setting::complex();
        let (xm, fm) = c.minimum();
        assert!((xm - 1.7140).abs() < 5e-5 && (fm + 0.77446).abs() < 5e-6);
    }
}

/// The chapter's words about its fixed-seed fits ("moved little", "barely moves", "runs to its
/// floor", …) checked against the numbers the worked output prints, which the freshness test
/// keeps equal to a fresh run: a run that made a sentence false fails here.
#[cfg(test)]
mod prose {
    const OUTPUT: &str = include_str!("../../../book/part4/outputs/ch14.txt");

    /// The numbers on the first line that starts with `prefix` (after trimming), in order.
    fn numbers(prefix: &str) -> Vec<f64> {
        let line = OUTPUT
            .lines()
            .map(str::trim_start)
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?}"));
        line[prefix.len()..]
            .split(|c: char| !(c.is_ascii_digit() || "+-.e".contains(c)))
            .filter_map(|w| w.trim_end_matches('.').parse().ok())
            .collect()
    }

    #[test]
    fn the_map_fit_reads_as_the_chapter_says() {
        let start = numbers("start: the priors' modes");
        let map = numbers("fitted: MAP");
        let ml = numbers("without priors: ML");
        // The fit moved little from its start in ℓ, and ML finds nearly the same ℓ.
        assert!((map[0] / start[0] - 1.0).abs() < 0.05, "{start:?} {map:?}");
        assert!((ml[0] / map[0] - 1.0).abs() < 0.05, "{ml:?}");
        // Without the prior the noise runs to its floor; with it, it stays near the prior's
        // mode e⁻⁵.
        assert!(ml[1] < 1.1e-4, "{ml:?}");
        assert!((map[1] / (-5.0f64).exp()).ln().abs() < 2f64.ln(), "{map:?}");
        // The ℓ slice: the likelihood changes by many units, the prior barely moves.
        let rows: Vec<Vec<f64>> =
            ["0.0500", "0.1000", "0.1500", "0.5000", "1.0000"]
                .iter()
                .map(|l| numbers(l))
                .collect();
        let fitted_lml = map[3];
        assert!(fitted_lml - rows[0][0] > 3.0, "{rows:?}");
        assert!(fitted_lml - rows[3][0] > 20.0 && fitted_lml - rows[4][0] > 20.0);
        let priors: Vec<f64> = rows.iter().map(|r| r[1]).collect();
        let (lo, hi) =
            priors.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        assert!(hi - lo < 0.5, "{priors:?}");
        // The σₙ² slice: the likelihood gains a fraction of a unit towards the floor, while the
        // prior falls steeply.
        let floor = numbers("0.000100");
        assert!(
            floor[0] - fitted_lml > 0.0 && floor[0] - fitted_lml < 1.0,
            "{floor:?}"
        );
        assert!(map[5] - floor[1] > 5.0, "{floor:?}");
    }

    #[test]
    fn the_posterior_reads_as_the_chapter_says() {
        // The noise in the data's units exceeds the uniform noise's own standard deviation.
        let sd = numbers("noise standard deviation in data units: √σₙ² =");
        assert!(sd[0] > sd[3], "{sd:?}");
        // The floor of σ² is never reached on the grid; f stays inside μ ± 2σ.
        assert!(OUTPUT.contains("0 of 500 points at the floor"));
        assert!(OUTPUT.contains("f outside μ ± 2σ: 0 of 500 grid points"));
        // At the grid's ends σ is already close to s; between the data it hardly rises.
        let ends = numbers("σ at the grid's ends:");
        let s = numbers("far away:")[4];
        assert!(ends
            .iter()
            .filter(|v| (0.2..1.0).contains(*v))
            .all(|v| (v / s - 1.0).abs() < 0.01));
        let at_data = numbers("σ at the data:");
        let between = numbers("largest σ between the data:")[0];
        let top = at_data.iter().copied().fold(0.0, f64::max);
        assert!(between < 1.1 * top, "{between} {at_data:?}");
        // The mean lies, on average, above f at the data.
        assert!(numbers("this draw: mean of μ(xᵢ) − f(xᵢ) at the data")[0] > 0.0);
    }

    #[test]
    fn the_complex_fit_reads_as_the_chapter_says() {
        // A much shorter lengthscale than the first objective's, in both units.
        let model = numbers("model units: ℓ =")[0];
        let data = numbers("data units:  ℓ =")[0];
        assert!(model < 0.5 * numbers("fitted: MAP")[0]);
        assert!(data < 0.5 * numbers("chapter 12's posterior with ℓ =")[0]);
        // The mean's lowest point is close to the global minimum, in the right-hand basin.
        let lowest = numbers("lowest posterior mean: μ(");
        assert!((lowest[0] - 1.7140).abs() < 0.1, "{lowest:?}");
        // At the narrow dip the mean is too shallow: f lies below μ − 2σ.
        let dip = numbers("at the narrow dip: μ(");
        assert!(dip[3] < dip[1] - 2.0 * dip[2], "{dip:?}");
        // The true curve leaves the band at the dip and at the right edge.
        let line = OUTPUT
            .lines()
            .find(|l| l.starts_with("f outside μ ± 2σ:") && l.contains(" on x in "))
            .expect("the complex objective's band line");
        assert!(line.contains("+3.000]"), "{line}");
        let intervals: Vec<f64> = line
            .split(" on x in ")
            .nth(1)
            .unwrap_or("")
            .split(|c: char| !(c.is_ascii_digit() || "+-.".contains(c)))
            .filter_map(|w| w.parse().ok())
            .collect();
        assert!(
            intervals.chunks(2).any(|p| p[0] <= -0.345 && -0.345 <= p[1]),
            "{intervals:?}"
        );
    }

    #[test]
    fn the_answers_read_as_the_chapter_says() {
        // 2: over twenty seeds the average excess is close to 0.015.
        let over = numbers("over seeds 1–20: mean of μ(xᵢ) − f(xᵢ)");
        assert!((over[0] - 0.015).abs() < 0.002, "{over:?}");
        // 3: ℓ barely moves, the residuals grow several-fold, σ(3) hardly changes, and the
        // log marginal likelihood falls.
        let low = numbers("floor 1e-4 ");
        let high = numbers("floor 0.05 ");
        assert!((high[0] / low[0] - 1.0).abs() < 0.01, "{low:?} {high:?}");
        assert!(high[4] < low[4]);
        let rms = numbers("root-mean-square μ(xᵢ) − yᵢ:");
        assert!(rms[2] > 3.0 * rms[0], "{rms:?}");
        let s3 = numbers("σ(3):");
        assert!((s3[2] / s3[0] - 1.0).abs() < 0.01, "{s3:?}");
    }
}
