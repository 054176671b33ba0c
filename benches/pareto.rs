//! Multi-objective utilities: the exact hypervolume of random non-dominated fronts of 100
//! and 1000 points in two and three objectives, the box decomposition of the region a
//! 20-point front does not dominate, and qEHVI's value and gradient for one candidate under
//! two independent GPs (128 QMC samples), on one thread. The side-by-side comparison with
//! BoTorch on the same data is `benches/python/pareto_compare.sh`.
//!
//! `cargo bench --bench pareto`; `cargo test -p gradbo --benches` runs each case once.

use criterion::{criterion_group, criterion_main, Criterion};
use gradbo::acquisition::AcquisitionFunction;
use gradbo::multi_objective::{hypervolume, non_dominated_boxes};
use ndarray::Array1;
use std::hint::black_box;
use std::time::Duration;

#[path = "../examples/common/pareto_problems.rs"]
mod pareto_problems;
use pareto_problems::{sphere_front, QehviProblem, FRONTS};

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("pareto");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for (m, n, seed) in FRONTS {
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
    let problem = QehviProblem::new();
    let acqf = problem.acquisition(&problem.models());
    let (front, reference, candidate) =
        (&problem.front, &problem.reference, &problem.candidate);
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
