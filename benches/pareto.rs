//! Multi-objective utilities: the exact hypervolume of random non-dominated fronts of 100
//! and 1000 points in two and three objectives, the box decomposition of the region a
//! 20-point front does not dominate, and qEHVI's value and gradient for one candidate under
//! two independent GPs (128 QMC samples), on one thread. The side-by-side comparison with
//! BoTorch on the same data is `benches/python/pareto_compare.sh`.
//!
//! `cargo bench --bench pareto`; `cargo test -p gradbo --benches` runs each case once.

use criterion::{criterion_group, criterion_main, Criterion};
use gradbo::acquisition::AcquisitionFunction;
use gradbo::gp::{FitOptions, FittedGp, Gp, Hyperparameters, Kernel, KernelKind};
use gradbo::multi_objective::{
    hypervolume, non_dominated_boxes, ModelList, Qehvi, QehviOptions,
};
use gradbo::transforms::{Normalize, Standardize};
use ndarray::{Array1, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use std::hint::black_box;
use std::time::Duration;

/// The fronts of `examples/pareto_compare.rs`: n points on the positive part of the unit
/// sphere in m dimensions.
fn sphere_front(n: usize, m: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut front = Array2::zeros((n, m));
    for mut row in front.rows_mut() {
        row.mapv_inplace(|_| {
            let z: f64 = StandardNormal.sample(&mut rng);
            z.abs().max(1e-3)
        });
        let norm = row.dot(&row).sqrt();
        row /= norm;
    }
    front
}

fn model(x: &Array2<f64>, y: Array1<f64>) -> FittedGp {
    let normalize = Normalize::learn(x.view()).expect("finite");
    let standardize = Standardize::learn(y.view()).expect("finite");
    let kernel =
        Kernel::new(KernelKind::Matern52, Array1::from_elem(x.ncols(), 0.6), 1.0)
            .expect("valid");
    let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
    let xn = normalize.apply(x.view()).expect("finite");
    let gp =
        Gp::new(xn, standardize.apply(y.view()), hyper).expect("positive definite");
    FittedGp { gp, normalize, standardize, options: FitOptions::default() }
}

/// The qEHVI problem of `examples/pareto_compare.rs`: the acquisition function, the front,
/// its reference point and the candidate.
fn qehvi_setup() -> (Qehvi, Array2<f64>, Array1<f64>, Array1<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let x = Array2::from_shape_simple_fn((40, 3), || rng.random::<f64>());
    let f1 =
        x.map_axis(Axis(1), |r| r.iter().map(|v| (3.0 * v).sin()).sum::<f64>());
    let f2 = x.map_axis(Axis(1), |r| {
        r.iter().map(|v| (2.0 * v).cos()).sum::<f64>() + r[0] * r[1]
    });
    let candidate = Array1::from_shape_simple_fn(3, || rng.random::<f64>());
    let low = [
        f1.fold(f64::INFINITY, |a, &b| a.min(b)),
        f2.fold(f64::INFINITY, |a, &b| a.min(b)),
    ];
    let high = [
        f1.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
        f2.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
    ];
    let reference = Array1::from_shape_fn(2, |k| low[k] - 0.1 * (high[k] - low[k]));
    let front = Array2::from_shape_fn((20, 2), |(i, k)| {
        let angle = std::f64::consts::FRAC_PI_2 * (i as f64 + 0.5) / 20.0;
        let t = if k == 0 { angle.cos() } else { angle.sin() };
        reference[k] + 0.9 * (high[k] - reference[k]) * t
    });
    let models = ModelList::from_models(vec![model(&x, f1), model(&x, f2)])
        .expect("two models");
    let options = QehviOptions { samples: 128, seed: 0 };
    let acqf = Qehvi::from_observations(
        &models,
        front.view(),
        reference.view(),
        1,
        &options,
    )
    .expect("valid settings");
    (acqf, front, reference, candidate)
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("pareto");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for (m, n, seed) in [(2, 100, 1), (2, 1000, 2), (3, 100, 3), (3, 1000, 4)] {
        let front = sphere_front(n, m, seed);
        let reference = Array1::zeros(m);
        group.bench_function(format!("hypervolume_m{m}_n{n}"), |b| {
            b.iter(|| {
                black_box(
                    hypervolume(front.view(), reference.view()).expect("a front"),
                )
            })
        });
    }
    let (acqf, front, reference, candidate) = qehvi_setup();
    group.bench_function("non_dominated_boxes_m2_n20", |b| {
        b.iter(|| {
            black_box(
                non_dominated_boxes(front.view(), reference.view()).expect("boxes"),
            )
        })
    });
    group.bench_function("qehvi_value_and_gradient_m2_q1_n40_d3_s128", |b| {
        b.iter(|| {
            black_box(acqf.value_and_gradient(candidate.view()).expect("a value"))
        })
    });
    group.finish();
}

criterion_group!(pareto, benches);
criterion_main!(pareto);
