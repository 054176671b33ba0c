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
use gradbo::Bounds;
use ndarray::{Array1, ArrayView1};
use std::hint::black_box;
use std::time::Duration;

const D: usize = 4;

/// The shifted Rosenbrock function of `examples/batch_compare.rs`: minimum 0 at
/// c = linspace(−1.5, 1.5, d).
fn shifted_rosenbrock(x: ArrayView1<'_, f64>) -> f64 {
    let d = x.len();
    let z: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, v)| v - (-1.5 + 3.0 * i as f64 / (d - 1) as f64) + 1.0)
        .collect();
    z.windows(2)
        .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
        .sum()
}

/// An optimiser of the comparison's settings, told `n` scrambled Sobol points of [−2, 2]⁴.
fn told(n: usize) -> Optimizer {
    let bounds = Bounds::new(Array1::from_elem(D, -2.0), Array1::from_elem(D, 2.0))
        .expect("a valid box");
    let x = draw_sobol_samples(&bounds, n, 1).expect("valid");
    let y: Array1<f64> = x.rows().into_iter().map(shifted_rosenbrock).collect();
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
