//! One round of the batch loop — fit the single-task GP, then choose q = 4 points jointly by
//! qLogEI (128 QMC samples, 20 restarts from 256 raw samples) — on the shifted Rosenbrock
//! function in d = 4 at n = 8 and 24 observations, on one thread. The side-by-side comparison
//! with BoTorch over whole runs is `benches/python/batch_compare.sh`.
//!
//! `cargo bench --bench batch`; `cargo test -p gradbo --benches` runs each case once.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gradbo::acquisition::{Direction, MonteCarloOptions};
use gradbo::bo::{BatchChoice, Optimizer, Settings};
use gradbo::gp::FitOptions;
use gradbo::optimize_acqf::AcqfOptions;
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use gradbo::Bounds;
use ndarray::Array1;
use std::hint::black_box;
use std::time::Duration;

const D: usize = 4;

/// The course's shifted Rosenbrock function in d = 4 (the library's, minimum 0 at
/// c = linspace(−1.5, 1.5, 4)).
fn objective(x: ndarray::ArrayView2<'_, f64>) -> Array1<f64> {
    ShiftedRosenbrock::new(D).and_then(|r| r.values(x)).expect("points of the box")
}

/// An optimiser of the comparison's settings, told `n` scrambled Sobol points of [−2, 2]⁴.
fn told(n: usize) -> Optimizer {
    let bounds = Bounds::new(Array1::from_elem(D, -2.0), Array1::from_elem(D, 2.0))
        .expect("a valid box");
    let x = draw_sobol_samples(&bounds, n, 1).expect("valid");
    let y: Array1<f64> = objective(x.view());
    let settings = Settings {
        fit: Some(FitOptions {
            input_bounds: Some(bounds.clone()),
            threads: 1,
            ..FitOptions::single_task(D)
        }),
        acqf: AcqfOptions {
            restarts: 20,
            raw_samples: 256,
            ..AcqfOptions::default()
        },
        batch: BatchChoice::Joint,
        monte_carlo: MonteCarloOptions {
            samples: 128,
            ..MonteCarloOptions::default()
        },
        ..Settings::default()
    };
    let mut opt =
        Optimizer::new(bounds, Direction::Minimise, settings).expect("valid");
    opt.tell(x.view(), y.view()).expect("points of the box");
    opt
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("batch_round");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    for n in [8, 24] {
        let opt = told(n);
        group.bench_with_input(
            BenchmarkId::new("rosenbrock4_q4", n),
            &n,
            |b, _| {
                b.iter(|| {
                    let mut o = opt.clone();
                    black_box(o.ask_batch(4).expect("a batch"))
                })
            },
        );
    }
    group.finish();
}

criterion_group!(batch, benches);
criterion_main!(batch);
