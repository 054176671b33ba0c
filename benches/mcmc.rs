//! One fully Bayesian fit: SAAS priors sampled by slice sampling with the default settings
//! (256 warm-up sweeps, 128 more of which every 16th is kept), for n = 60 points in d = 6
//! and n = 100 points in d = 30 (six active inputs, the rest inert).
//!
//! `cargo bench --bench mcmc`; `cargo test -p gradbo --benches` runs each case once.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gradbo::gp::{fit_fully_bayesian, FullyBayesianOptions};
use ndarray::{Array1, Array2};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;
use std::time::Duration;

/// n uniform points in [0, 1]^d and a smooth function of their first six coordinates.
fn data(n: usize, d: usize) -> (Array2<f64>, Array1<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(d as u64);
    let x = Array2::from_shape_simple_fn((n, d), || rng.random::<f64>());
    let y = x
        .rows()
        .into_iter()
        .map(|r| {
            (0..6)
                .map(|j| (3.0 * r[j] + j as f64).sin() * (j + 1) as f64 / 6.0)
                .sum()
        })
        .collect();
    (x, y)
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("mcmc");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(5));
    let options = FullyBayesianOptions::saas();
    for (n, d) in [(60, 6), (100, 30)] {
        let (x, y) = data(n, d);
        let name = format!("saas_fit_n{n}_d{d}");
        group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
            b.iter(|| {
                black_box(fit_fully_bayesian(x.view(), &y, &options).expect("fits"))
            })
        });
    }
    group.finish();
}

criterion_group!(mcmc_benches, benches);
criterion_main!(mcmc_benches);
