//! The Rust side of the Monte Carlo acquisition comparison with BoTorch
//! (`benches/python/mc_compare.sh` runs both sides and writes the table).
//!
//! ```sh
//! cargo run --release --example mc_compare -- DIR
//! ```
//!
//! Writes the data to `DIR` as CSV so that the Python side builds exactly the same model: 40
//! seeded uniform points in [0, 1]⁴ with y = Σⱼ sin(3xⱼ) + x₁x₂, and a batch of q = 4
//! candidate points. The model is the single-task GP with fixed hyperparameters (Matérn 5/2,
//! ℓ = 0.6 in every input, σ² = 1, σₙ² = 1e-4, m = 0, in normalised inputs and standardised
//! outputs: no fit). Then times, on one thread, qLogEI's value and gradient at the batch
//! with 128 QMC base samples, and one joint optimisation of the 4-point batch (20 restarts
//! from 256 raw samples), printing one line for each.

mod common;

use common::{exact_list, Timing};
use gradbo::acquisition::{
    AcquisitionFunction, Direction, MonteCarlo, MonteCarloKind, MonteCarloOptions,
};
use gradbo::gp::{FitOptions, FittedGp, Gp, Hyperparameters, Kernel, KernelKind};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::transforms::{Normalize, Standardize};
use gradbo::Bounds;
use ndarray::{Array1, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;

/// The training data and the candidate batch.
fn data() -> (Array2<f64>, Array1<f64>, Array2<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let x = Array2::from_shape_simple_fn((40, 4), || rng.random::<f64>());
    let y = x.map_axis(Axis(1), |r| {
        r.iter().map(|v| (3.0 * v).sin()).sum::<f64>() + r[0] * r[1]
    });
    let candidate = Array2::from_shape_simple_fn((4, 4), || rng.random::<f64>());
    (x, y, candidate)
}

fn model(x: &Array2<f64>, y: &Array1<f64>) -> FittedGp {
    let normalize = Normalize::learn(x.view()).expect("finite");
    let standardize = Standardize::learn(y.view()).expect("finite");
    let kernel = Kernel::new(KernelKind::Matern52, Array1::from_elem(4, 0.6), 1.0)
        .expect("valid");
    let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
    let xn = normalize.apply(x.view()).expect("finite");
    let gp =
        Gp::new(xn, standardize.apply(y.view()), hyper).expect("positive definite");
    FittedGp { gp, normalize, standardize, options: FitOptions::default() }
}

fn main() {
    let args = common::args(1, "mc_compare DIR");
    let dir = std::path::Path::new(&args[0]);
    std::fs::create_dir_all(dir).expect("the data directory can be created");
    let (x, y, candidate) = data();
    let rows = x
        .rows()
        .into_iter()
        .zip(&y)
        .map(|(r, &v)| format!("{},{}", exact_list(r, ","), common::exact(v)));
    common::write_csv(&dir.join("train.csv"), "x1,x2,x3,x4,y", rows);
    let rows = candidate.rows().into_iter().map(|r| exact_list(r, ","));
    common::write_csv(&dir.join("candidate.csv"), "x1,x2,x3,x4", rows);

    let model = model(&x, &y);
    let best = y.fold(f64::NEG_INFINITY, |m, v| m.max(*v));
    let options =
        MonteCarloOptions { samples: 128, ..MonteCarloOptions::default() };
    let kind = MonteCarloKind::LogExpectedImprovement { best };
    let acqf = MonteCarlo::new(&model, kind, Direction::Maximise, 4, &options)
        .expect("valid settings");
    let flat: Array1<f64> = candidate.iter().copied().collect();
    let (value, _) = acqf.value_and_gradient(flat.view()).expect("a value");
    let timing = Timing::of(50, 500, || {
        black_box(acqf.value_and_gradient(flat.view()).expect("a value"));
    });
    println!(
        "gradient q=4 n=40 d=4 samples=128 value={value:.6} {}",
        timing.ms_fields()
    );

    let bounds = Bounds::unit(4).expect("valid");
    let settings =
        AcqfOptions { restarts: 20, raw_samples: 256, ..AcqfOptions::default() };
    let mut found = None;
    let timing = Timing::of(1, 5, || {
        found = Some(optimize_acqf(&acqf, &bounds, &settings).expect("a batch"));
    });
    let value = found.map_or(f64::NAN, |f| f.value);
    println!(
        "optimize q=4 restarts=20 raw_samples=256 value={value:.6} {}",
        timing.ms_fields()
    );
}
