//! One iteration of the Bayesian-optimisation loop — fit the single-task GP, maximise LogEI
//! with 10 restarts from 512 raw samples — on Hartmann-6 data at n = 20, 50 and 100 points,
//! on one thread. The side-by-side comparison with BoTorch is `benches/python/bo_compare.sh`.
//!
//! `cargo bench --bench bo`; `cargo test -p gradbo --benches` runs each case once.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gradbo::acquisition::Direction;
use gradbo::bo::{Optimizer, Settings};
use gradbo::gp::FitOptions;
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{Hartmann6, TestProblem};
use std::hint::black_box;
use std::time::Duration;

/// An optimiser told `n` scrambled Sobol points of Hartmann-6.
fn told(n: usize) -> Optimizer {
    let problem = Hartmann6::new();
    let bounds = problem.bounds().clone();
    let x = draw_sobol_samples(&bounds, n, 1).expect("valid");
    let y = problem.values(x.view()).expect("points of the box");
    let settings = Settings {
        fit: Some(FitOptions {
            input_bounds: Some(bounds.clone()),
            threads: 1,
            ..FitOptions::single_task(6)
        }),
        ..Settings::default()
    };
    let mut opt =
        Optimizer::new(bounds, Direction::Minimise, settings).expect("valid");
    opt.tell(x.view(), y.view()).expect("points of the box");
    opt
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("bo_iteration");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    for n in [20, 50, 100] {
        let opt = told(n);
        group.bench_with_input(BenchmarkId::new("hartmann6", n), &n, |b, _| {
            b.iter(|| {
                let mut o = opt.clone();
                black_box(o.ask().expect("a candidate"))
            })
        });
    }
    group.finish();
}

criterion_group!(bo, benches);
criterion_main!(bo);
