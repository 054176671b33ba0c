//! Chapter 23: learning the battery's Pareto front — qEHVI proposals from one GP per
//! objective, against scrambled Sobol points, both judged by the hypervolume of what they
//! observed.

use gradbo::gp::FitOptions;
use gradbo::multi_objective::{
    hypervolume, non_dominated, ModelList, Qehvi, QehviOptions,
};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::battery::{Battery, REFERENCE_POINT};
use gradbo::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2, Axis};

// ANCHOR: constants
/// Scrambled Sobol formulations before the loop.
pub const N_INIT: usize = 10;
/// Formulations chosen one at a time after them.
pub const STEPS: usize = 16;
/// The seed of the chapter's example run.
pub const SEED: u64 = 12;
/// The Sobol baseline's points come from the seed plus this.
pub const BASELINE_OFFSET: u64 = 100;
/// Quasi-Monte Carlo samples of the two objectives' joint posterior.
pub const MC_SAMPLES: usize = 128;
/// Local runs of the acquisition optimiser…
pub const RESTARTS: usize = 10;
/// …from the best of this many raw Sobol points.
pub const RAW_SAMPLES: usize = 128;
// ANCHOR_END: constants

/// How the formulations after the initial design are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// One qEHVI proposal per step from the model list fitted to everything observed.
    Qehvi,
    /// The next point of a scrambled Sobol sequence (seed + [`BASELINE_OFFSET`]).
    Sobol,
}

impl Method {
    /// The name in tables and legends.
    pub fn name(self) -> &'static str {
        match self {
            Method::Qehvi => "qEHVI",
            Method::Sobol => "Sobol",
        }
    }
}

/// A whole run: every formulation observed, in order, and the hypervolume after each.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub method: Method,
    pub seed: u64,
    /// The N_INIT + STEPS formulations (s, a), the initial design first.
    pub x: Array2<f64>,
    /// Their objectives (E, C).
    pub y: Array2<f64>,
    /// The acquisition value of each qEHVI proposal (empty for Sobol).
    pub acquisition: Vec<f64>,
    /// The hypervolume of the observations after the design and after each step:
    /// STEPS + 1 values.
    pub hypervolume: Vec<f64>,
}

impl Run {
    /// The rows of the observed Pareto front, highest efficiency first.
    pub fn front(&self) -> Result<Vec<usize>> {
        front_rows(self.y.view())
    }

    /// The number of Pareto-optimal observations after the design and after each step.
    pub fn front_sizes(&self) -> Result<Vec<usize>> {
        (0..=STEPS)
            .map(|k| {
                Ok(non_dominated(self.y.slice(ndarray::s![..N_INIT + k, ..]))?
                    .len())
            })
            .collect()
    }
}

/// The rows of `y`'s Pareto front, highest efficiency first.
pub fn front_rows(y: ArrayView2<'_, f64>) -> Result<Vec<usize>> {
    let mut rows = non_dominated(y)?;
    rows.sort_by(|&i, &j| y[[j, 0]].total_cmp(&y[[i, 0]]));
    Ok(rows)
}

/// The hypervolume of the rows of `y` w.r.t. the reference point (0.88, 115).
pub fn hv(y: ArrayView2<'_, f64>) -> Result<f64> {
    hypervolume(y, Array1::from(REFERENCE_POINT.to_vec()).view())
}

// ANCHOR: design
/// The initial design of `seed`: N_INIT scrambled Sobol formulations and their objectives.
pub fn initial_design(seed: u64) -> Result<(Array2<f64>, Array2<f64>)> {
    let battery = Battery::new();
    let x = draw_sobol_samples(battery.bounds(), N_INIT, seed)?;
    let y = battery.evaluate_all(x.view())?;
    Ok((x, y))
}
// ANCHOR_END: design

// ANCHOR: models
/// One GP per objective, each BoTorch's single-task GP (inputs scaled by the box, here
/// the unit square, outputs standardised), fitted to its own column of `y`.
pub fn fit_models(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<ModelList> {
    let options = FitOptions {
        input_bounds: Some(Battery::new().bounds().clone()),
        ..FitOptions::single_task(Battery::DIM)
    };
    ModelList::fit(x, y, &options)
}
// ANCHOR_END: models

// ANCHOR: propose
/// The qEHVI proposal at step `step` of the run with `seed`: the box decomposition of the
/// region the observations `y` do not dominate (above the reference point), 128 fixed
/// base samples, and the acquisition maximised over the unit square.
pub fn propose(
    models: &ModelList,
    y: ArrayView2<'_, f64>,
    seed: u64,
    step: usize,
) -> Result<(Array1<f64>, f64)> {
    let stream = seed.wrapping_mul(1000).wrapping_add(step as u64);
    let reference = Array1::from(REFERENCE_POINT.to_vec());
    let mc = QehviOptions { samples: MC_SAMPLES, seed: stream };
    let qehvi = Qehvi::from_observations(models, y, reference.view(), 1, &mc)?;
    let acqf = AcqfOptions {
        restarts: RESTARTS,
        raw_samples: RAW_SAMPLES,
        seed: stream,
        ..AcqfOptions::default()
    };
    let found = optimize_acqf(&qehvi, Battery::new().bounds(), &acqf)?;
    Ok((found.x, found.value))
}
// ANCHOR_END: propose

// ANCHOR: run
/// N_INIT Sobol formulations drawn with `seed`, then STEPS more chosen by `method`.
pub fn run(method: Method, seed: u64) -> Result<Run> {
    let battery = Battery::new();
    let (mut x, mut y) = initial_design(seed)?;
    let mut hypervolume = vec![hv(y.view())?];
    let mut acquisition = Vec::new();
    let baseline = draw_sobol_samples(
        battery.bounds(),
        STEPS,
        seed.wrapping_add(BASELINE_OFFSET),
    )?;
    for step in 0..STEPS {
        let next = match method {
            Method::Qehvi => {
                let models = fit_models(x.view(), y.view())?;
                let (candidate, value) = propose(&models, y.view(), seed, step)?;
                acquisition.push(value);
                candidate
            }
            Method::Sobol => baseline.row(step).to_owned(),
        };
        let [e, c] = battery.evaluate(next.view())?;
        x.push_row(next.view()).map_err(shape)?;
        y.push_row(Array1::from(vec![e, c]).view()).map_err(shape)?;
        hypervolume.push(hv(y.view())?);
    }
    Ok(Run { method, seed, x, y, acquisition, hypervolume })
}
// ANCHOR_END: run

fn shape(e: ndarray::ShapeError) -> Error {
    Error::InvalidInput { context: "run", reason: e.to_string() }
}

pub fn main() -> Result<()> {
    for method in [Method::Qehvi, Method::Sobol] {
        let r = run(method, SEED)?;
        let front = r.front()?;
        println!(
            "{}: {} observations, {} on the front, hypervolume {:.4} (initial {:.4})",
            method.name(),
            r.y.nrows(),
            front.len(),
            r.hypervolume[STEPS],
            r.hypervolume[0]
        );
        for row in r.y.select(Axis(0), &front).rows() {
            println!("  E = {:.6}, C = {:.3}", row[0], row[1]);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qehvi_run_has_26_observations_and_never_loses_hypervolume() {
        let r = run(Method::Qehvi, SEED).unwrap();
        assert_eq!(r.y.nrows(), N_INIT + STEPS);
        assert_eq!((r.hypervolume.len(), r.acquisition.len()), (STEPS + 1, STEPS));
        assert!(r.hypervolume.windows(2).all(|w| w[1] >= w[0]));
        // Every proposal lies in the square and was expected to add hypervolume.
        let b = Battery::new();
        assert!(r.x.rows().into_iter().all(|p| b.bounds().contains(p)));
        assert!(r.acquisition.iter().all(|&a| a >= 0.0));
        // The observations cannot dominate more than the true front does: the 100 × 100
        // grid's front has 11.7598 and a 400 × 400 grid's 11.7740.
        assert!(r.hypervolume[STEPS] < 11.78, "{:?}", r.hypervolume);
        // The loop learns: it ends well above its initial design, and above the Sobol
        // baseline that starts from the same design.
        assert!(
            r.hypervolume[STEPS] > r.hypervolume[0] + 0.5,
            "{:?}",
            r.hypervolume
        );
        let sobol = run(Method::Sobol, SEED).unwrap();
        assert!(r.hypervolume[STEPS] > sobol.hypervolume[STEPS]);
    }

    #[test]
    fn the_sobol_baseline_appends_its_own_sequence() {
        let r = run(Method::Sobol, SEED).unwrap();
        let extra =
            draw_sobol_samples(Battery::new().bounds(), STEPS, SEED + 100).unwrap();
        assert_eq!(r.x.slice(ndarray::s![N_INIT.., ..]), extra);
        let (x0, y0) = initial_design(SEED).unwrap();
        assert_eq!(r.x.slice(ndarray::s![..N_INIT, ..]), x0);
        assert!((r.hypervolume[0] - hv(y0.view()).unwrap()).abs() < 1e-15);
        assert!(r.acquisition.is_empty());
        assert_eq!(r.front_sizes().unwrap().len(), STEPS + 1);
    }
}
