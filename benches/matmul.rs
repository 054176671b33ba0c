//! The matrix product: ndarray's `dot` (a blocked, vectorised kernel from
//! `matrixmultiply`) against the textbook triple loop, at n = 64 and 256.
//!
//! `cargo bench --bench matmul` measures; `cargo test --benches` runs each case
//! once.

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, Throughput,
};
use ndarray::Array2;
use std::hint::black_box;
use std::time::Duration;

/// The definition, (AB)_ij = Σ_k a_ik b_kj, in the loop order i, k, j so that the
/// innermost loop walks rows of B and C contiguously (the i, j, k order would
/// stride down columns of B).
fn naive(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let (n, m, p) = (a.nrows(), a.ncols(), b.ncols());
    let (a, b) =
        (a.as_slice().expect("row-major"), b.as_slice().expect("row-major"));
    let mut c = vec![0.0; n * p];
    for i in 0..n {
        for k in 0..m {
            let aik = a[i * m + k];
            for j in 0..p {
                c[i * p + j] += aik * b[k * p + j];
            }
        }
    }
    Array2::from_shape_vec((n, p), c).expect("n·p values")
}

/// A deterministic, well-scaled test matrix.
fn matrix(n: usize, shift: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, n), |(i, j)| {
        (((i * 31 + j * 17 + shift) % 97) as f64 - 48.0) / 48.0
    })
}

fn matmul(c: &mut Criterion) {
    let mut group = c.benchmark_group("matmul");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for n in [64, 256] {
        let (a, b) = (matrix(n, 0), matrix(n, 5));
        let gap = (&naive(&a, &b) - &a.dot(&b))
            .mapv(f64::abs)
            .fold(0.0_f64, |m, &v| m.max(v));
        assert!(gap < 1e-9 * n as f64, "the two products disagree by {gap}");
        group.throughput(Throughput::Elements((2 * n * n * n) as u64)); // floating-point operations
        group.bench_with_input(
            BenchmarkId::new("ndarray_dot", n),
            &n,
            |bench, _| bench.iter(|| black_box(&a).dot(black_box(&b))),
        );
        group.bench_with_input(
            BenchmarkId::new("triple_loop", n),
            &n,
            |bench, _| bench.iter(|| naive(black_box(&a), black_box(&b))),
        );
    }
    group.finish();
}

criterion_group!(benches, matmul);
criterion_main!(benches);
