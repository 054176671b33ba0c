//! Monte Carlo qLogEI on the tape: its value and gradient at a batch of q = 4 points (n = 40
//! training points, d = 4, 128 QMC base samples), and one joint optimisation of the batch
//! (20 restarts from 256 raw samples), on one thread. The side-by-side comparison with
//! BoTorch on the same model is `benches/python/mc_compare.sh`.
//!
//! `cargo bench --bench mc`; `cargo test -p gradbo --benches` runs each case once.

use criterion::{criterion_group, criterion_main, Criterion};
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
use std::time::Duration;

/// The model and candidate of `examples/mc_compare.rs`: 40 seeded points in [0, 1]⁴,
/// y = Σⱼ sin(3xⱼ) + x₁x₂, Matérn 5/2 with fixed hyperparameters.
fn setup() -> (MonteCarlo, Array1<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let x = Array2::from_shape_simple_fn((40, 4), || rng.random::<f64>());
    let y = x.map_axis(Axis(1), |r| {
        r.iter().map(|v| (3.0 * v).sin()).sum::<f64>() + r[0] * r[1]
    });
    let candidate: Array1<f64> = (0..16).map(|_| rng.random::<f64>()).collect();
    let normalize = Normalize::learn(x.view()).expect("finite");
    let standardize = Standardize::learn(y.view()).expect("finite");
    let kernel = Kernel::new(KernelKind::Matern52, Array1::from_elem(4, 0.6), 1.0)
        .expect("valid");
    let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
    let xn = normalize.apply(x.view()).expect("finite");
    let gp =
        Gp::new(xn, standardize.apply(y.view()), hyper).expect("positive definite");
    let model =
        FittedGp { gp, normalize, standardize, options: FitOptions::default() };
    let best = y.fold(f64::NEG_INFINITY, |m, v| m.max(*v));
    let options =
        MonteCarloOptions { samples: 128, ..MonteCarloOptions::default() };
    let kind = MonteCarloKind::LogExpectedImprovement { best };
    let acqf = MonteCarlo::new(&model, kind, Direction::Maximise, 4, &options)
        .expect("valid settings");
    (acqf, candidate)
}

fn benches(c: &mut Criterion) {
    let (acqf, candidate) = setup();
    let mut group = c.benchmark_group("monte_carlo");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("qlogei_value_and_gradient_q4_n40_d4_s128", |b| {
        b.iter(|| {
            black_box(acqf.value_and_gradient(candidate.view()).expect("a value"))
        })
    });
    let bounds = Bounds::unit(4).expect("valid");
    let options =
        AcqfOptions { restarts: 20, raw_samples: 256, ..AcqfOptions::default() };
    group.bench_function("optimize_acqf_joint_q4_restarts20_raw256", |b| {
        b.iter(|| {
            black_box(optimize_acqf(&acqf, &bounds, &options).expect("a batch"))
        })
    });
    group.finish();
}

criterion_group!(mc, benches);
criterion_main!(mc);
