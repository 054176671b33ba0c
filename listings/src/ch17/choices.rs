//! Chapter 17: the two-dimensional loop of chapter 16, with the choices around it made
//! explicit so that one can be changed at a time.

use gradbo::acquisition::Direction;
use gradbo::bo::{AcquisitionChoice, Iteration, Optimizer, Settings};
use gradbo::gp::{FitOptions, ScaleWarning};
use gradbo::optimize_acqf::AcqfOptions;
use gradbo::test_functions::two_basins;
use gradbo::Bounds;
use ndarray::{array, Array1, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// Steps of every loop: 50 asks after the six-point design, 56 observations in all.
pub const STEPS: usize = 50;

// ANCHOR: designs
/// Chapter 16's initial design.
pub const DESIGN: [[f64; 2]; 6] =
    [[-2.2, -2.0], [-1.5, 1.0], [-0.5, -0.8], [0.3, 0.5], [1.0, 2.2], [1.8, 2.0]];

/// A design spread along the diagonal, through both basins.
pub const SPACE_FILLING: [[f64; 2]; 6] =
    [[-2.2, -2.0], [-1.2, -1.0], [-0.5, 0.0], [0.8, 1.2], [1.5, 1.8], [2.2, 2.2]];

/// Six points crowded into the lower-left corner, far from both basins' minima.
pub const CLUSTERED: [[f64; 2]; 6] = [
    [-2.2, -2.0],
    [-2.0, -1.8],
    [-1.8, -2.2],
    [-1.6, -1.7],
    [-2.1, -1.5],
    [-1.7, -1.9],
];
// ANCHOR_END: designs

// ANCHOR: variant
/// Everything around the loop that this chapter changes, one field at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The initial design.
    pub design: [[f64; 2]; 6],
    /// The design's observations are F(x) + a·U with U uniform on [0, 1): this is a.
    pub initial_noise: f64,
    /// The same for every later evaluation (0: they are noise-free).
    pub later_noise: f64,
    /// Normalise the inputs and standardise the outputs before each fit.
    pub transforms: bool,
    /// Local runs of the acquisition optimiser…
    pub restarts: usize,
    /// …started from the best of this many Sobol points.
    pub raw_samples: usize,
}

impl Default for Variant {
    /// Chapter 16's design with 0.03·U noise, noise-free later evaluations, transforms on,
    /// 10 restarts from 50 raw samples, through the library's default loop.
    fn default() -> Self {
        Variant {
            design: DESIGN,
            initial_noise: 0.03,
            later_noise: 0.0,
            transforms: true,
            restarts: 10,
            raw_samples: 50,
        }
    }
}
// ANCHOR_END: variant

/// One run: what was evaluated, observed and decided.
#[derive(Debug, Clone)]
pub struct Run {
    /// Every point evaluated, the design first (56 × 2).
    pub x: Array2<f64>,
    /// What the loop observed there (with noise where the variant adds it).
    pub observed: Vec<f64>,
    /// The noise-free values F(x) there.
    pub truth: Vec<f64>,
    /// The optimiser's record of each step: candidate, hyperparameters in data units, …
    pub history: Vec<Iteration>,
    /// What the fitted model said about the scale of its data, at each step.
    pub warnings: Vec<Vec<ScaleWarning>>,
}

// ANCHOR: settings
/// The loop's settings for a variant; `seed` seeds the acquisition optimiser.
pub fn settings(variant: &Variant, seed: u64) -> Settings {
    // `None` is the library's default: inputs normalised by the box, outputs standardised.
    let fit = (!variant.transforms).then(|| FitOptions {
        normalize_inputs: false,
        standardize_outputs: false,
        ..FitOptions::single_task(2)
    });
    Settings {
        acquisition: AcquisitionChoice::LogExpectedImprovement,
        fit,
        acqf: AcqfOptions {
            restarts: variant.restarts,
            raw_samples: variant.raw_samples,
            seed,
            ..AcqfOptions::default()
        },
        around_best: true, // the default: more raw samples beside the best 5%
        ..Settings::default()
    }
}
// ANCHOR_END: settings

// ANCHOR: run
/// Runs the loop for `variant` with `seed`, which draws the noise and seeds the acquisition
/// optimiser. The same seed gives every variant the same draws U, so two variants run with
/// one seed differ only in the choice that was changed.
pub fn run(variant: &Variant, seed: u64) -> gradbo::Result<Run> {
    // Seeds 1000 apart: the optimiser adds the step number to its seed.
    run_with(variant, settings(variant, 1000 * seed), seed)
}

/// [`run`] with the loop's settings given: for changes that [`Variant`] does not name.
pub fn run_with(
    variant: &Variant,
    settings: Settings,
    seed: u64,
) -> gradbo::Result<Run> {
    let bounds = Bounds::cube(2, -3.0, 3.0)?;
    let mut opt = Optimizer::new(bounds, Direction::Minimise, settings)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut noise = |a: f64| a * rng.random::<f64>();

    let x0 = Array2::from(variant.design.to_vec());
    let y0: Array1<f64> = x0
        .rows()
        .into_iter()
        .map(|p| two_basins(p[0], p[1]) + noise(variant.initial_noise))
        .collect();
    opt.tell(x0.view(), y0.view())?;
    let mut warnings = Vec::with_capacity(STEPS);
    for _ in 0..STEPS {
        let x = opt.ask()?;
        warnings.push(opt.model().map(|m| m.diagnostics()).unwrap_or_default());
        let y = two_basins(x[0], x[1]) + noise(variant.later_noise);
        opt.tell(x.view().insert_axis(Axis(0)), array![y].view())?;
    }

    let x = opt.inputs();
    let truth = x.rows().into_iter().map(|p| two_basins(p[0], p[1])).collect();
    Ok(Run {
        x,
        observed: opt.values().to_vec(),
        truth,
        history: opt.history().to_vec(),
        warnings,
    })
}
// ANCHOR_END: run

// ANCHOR: best
impl Run {
    /// The lowest noise-free value among the points evaluated so far, at each of the 51
    /// states: after the design, then after each step. The loop sees only the observations;
    /// we judge it by the truth, so that noisier observations do not look worse (or better)
    /// than the points they were taken at.
    pub fn best_so_far(&self) -> Vec<f64> {
        let n0 = self.truth.len() - self.history.len();
        (n0..=self.truth.len())
            .map(|n| self.truth[..n].iter().copied().fold(f64::INFINITY, f64::min))
            .collect()
    }
}
// ANCHOR_END: best

/// The default variant with one seed: the best value found and the first step's warnings
/// (none).
pub fn main() -> gradbo::Result<()> {
    let run = run(&Variant::default(), 0)?;
    let best = run.best_so_far();
    println!(
        "{} best-so-far values, {} observations; best F after the design {:.4}, \
         after {} steps {:.4}",
        best.len(),
        run.x.nrows(),
        best[0],
        STEPS,
        best[STEPS]
    );
    println!("warnings at the first step: {}", run.warnings[0].len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(design: &[[f64; 2]; 6]) -> Vec<f64> {
        design.iter().map(|p| two_basins(p[0], p[1])).collect()
    }

    fn close(got: &[f64], want: &[f64], tol: f64) {
        assert!(got.iter().zip(want).all(|(g, w)| (g - w).abs() < tol), "{got:?}");
    }

    #[test]
    fn the_designs_noise_free_values() {
        close(
            &values(&SPACE_FILLING),
            &[0.5092, -0.3558, 0.0009, -0.5202, -0.3157, 0.4158],
            5e-5,
        );
        close(
            &values(&CLUSTERED),
            &[0.5092, 0.3730, 0.4751, 0.1662, 0.2594, 0.3210],
            5e-5,
        );
        close(
            &values(&DESIGN),
            &[0.50915, 0.22879, -0.26073, 0.20569, -0.02877, 0.15445],
            5e-6,
        );
    }

    #[test]
    fn a_run_has_51_states_56_observations_and_noise_only_in_the_design() {
        let short = Variant { raw_samples: 20, restarts: 2, ..Variant::default() };
        let run = run(&short, 3).unwrap();
        assert_eq!((run.best_so_far().len(), run.x.nrows()), (51, 56));
        assert_eq!(run.history.len(), STEPS);
        let noise: Vec<f64> =
            run.observed.iter().zip(&run.truth).map(|(o, t)| o - t).collect();
        assert!(noise[..6].iter().all(|&e| (0.0..0.03).contains(&e)));
        assert!(noise[6..].iter().all(|&e| e == 0.0));
        // Transforms on: the model never warns.
        assert!(run.warnings.iter().all(|w| w.is_empty()));
        let best = run.best_so_far();
        assert!(best.windows(2).all(|w| w[1] <= w[0]));
        assert!(best[STEPS] >= gradbo::test_functions::TwoBasins::MINIMUM);
    }

    #[test]
    fn without_transforms_the_model_warns_about_both_scales() {
        let raw = Variant {
            transforms: false,
            raw_samples: 20,
            restarts: 2,
            ..Variant::default()
        };
        let run = run(&raw, 3).unwrap();
        for w in &run.warnings {
            assert!(matches!(
                w[..],
                [
                    ScaleWarning::InputsOutsideUnitCube { .. },
                    ScaleWarning::OutputsNotStandardized { .. }
                ]
            ));
        }
        // The first fit saw the six noisy design values: the warning quotes their mean.
        let mean = run.observed[..6].iter().sum::<f64>() / 6.0;
        let ScaleWarning::OutputsNotStandardized { mean: m, .. } =
            run.warnings[0][1]
        else {
            unreachable!()
        };
        assert!((m - mean).abs() < 1e-12);
        // Hyperparameters are recorded in the data's units either way.
        assert!(run
            .history
            .iter()
            .all(|h| h.hyperparameters.lengthscales.len() == 2));
    }

    #[test]
    fn one_seed_gives_every_variant_the_same_draws() {
        let a = Variant { restarts: 1, raw_samples: 4, ..Variant::default() };
        let b = Variant { initial_noise: 0.10, ..a.clone() };
        // One step is enough to see the design's noise.
        let (ra, rb) = (run(&a, 7).unwrap(), run(&b, 7).unwrap());
        for i in 0..6 {
            let (ea, eb) =
                (ra.observed[i] - ra.truth[i], rb.observed[i] - rb.truth[i]);
            assert!((eb - 10.0 / 3.0 * ea).abs() < 1e-12);
        }
    }
}
