//! The Gaussian-process kernels: Cholesky factorisation (n = 200, 1000, 2000), the inverse
//! from the factor, the kernel matrix, the log marginal likelihood with its gradient, and
//! prediction at 1000 points. The side-by-side comparison with scikit-learn, BoTorch and
//! NumPy is `benches/python/gp_compare.sh`.
//!
//! `cargo bench --bench gp`; `cargo test -p gradbo --benches` runs each case once.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gradbo::gp::{Gp, Hyperparameters, Kernel, KernelKind};
use gradbo::linalg::Cholesky;
use ndarray::{Array1, Array2};
use std::hint::black_box;
use std::time::Duration;

/// Deterministic inputs in [0, 1]^d spread like a low-discrepancy set.
fn inputs(n: usize, d: usize, salt: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, d), |(i, j)| {
        ((i * (2 * j + 3) * 7919 + salt * 104_729 + j * 31) % 997) as f64 / 997.0
    })
}

fn gp(n: usize) -> Gp {
    let x = inputs(n, 6, 1);
    let y: Array1<f64> = x
        .rows()
        .into_iter()
        .map(|r| (3.0 * r[0]).sin() + r[1] * r[2] - r[5])
        .collect();
    let kernel = Kernel::new(KernelKind::Matern52, Array1::from_elem(6, 0.4), 1.0)
        .expect("valid");
    Gp::new(x, y, Hyperparameters { kernel, mean: 0.0, noise: 1e-4 })
        .expect("positive definite")
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("gp");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for n in [200, 1000] {
        let kernel =
            Kernel::new(KernelKind::Matern52, Array1::from_elem(6, 0.4), 1.0)
                .expect("valid");
        let x = inputs(n, 6, 1);
        let mut k = kernel.matrix(x.view(), x.view()).expect("valid");
        k.diag_mut().mapv_inplace(|v| v + 1e-4);
        group.bench_with_input(BenchmarkId::new("kernel_matrix", n), &n, |b, _| {
            b.iter(|| black_box(kernel.matrix(x.view(), x.view()).expect("valid")))
        });
        group.bench_with_input(BenchmarkId::new("cholesky", n), &n, |b, _| {
            b.iter(|| {
                black_box(Cholesky::new(k.view()).expect("positive definite"))
            })
        });
        let factor = Cholesky::new(k.view()).expect("positive definite");
        group.bench_with_input(BenchmarkId::new("inverse", n), &n, |b, _| {
            b.iter(|| black_box(factor.inverse()))
        });
        let model = gp(n);
        group.bench_with_input(
            BenchmarkId::new("lml_and_gradient", n),
            &n,
            |b, _| {
                b.iter(|| {
                    black_box((
                        model.log_marginal_likelihood(),
                        model.lml_gradient(),
                    ))
                })
            },
        );
        let test = inputs(1000, 6, 2);
        group.bench_with_input(BenchmarkId::new("predict_1000", n), &n, |b, _| {
            b.iter(|| black_box(model.predict(test.view()).expect("valid")))
        });
    }
    // The factorisation at n = 2000, the size at which the comparison with SciPy is quoted.
    let n = 2000;
    let kernel = Kernel::new(KernelKind::Matern52, Array1::from_elem(6, 0.4), 1.0)
        .expect("valid");
    let x = inputs(n, 6, 3);
    let mut k = kernel.matrix(x.view(), x.view()).expect("valid");
    k.diag_mut().mapv_inplace(|v| v + 1e-4);
    group.bench_with_input(BenchmarkId::new("cholesky", n), &n, |b, _| {
        b.iter(|| black_box(Cholesky::new(k.view()).expect("positive definite")))
    });
    group.finish();
}

criterion_group!(gp_benches, benches);
criterion_main!(gp_benches);
