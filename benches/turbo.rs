//! One trust-region step of TuRBO-1 — fit the Matérn-5/2 GP to the region's observations,
//! build the region, draw its Thompson-sampling candidates and choose a batch of 4 by
//! pathwise posterior draws — on Ackley data at n = 100 points in d = 10 and n = 300 in
//! d = 30, with the default settings (2000 and 5000 candidates, 1024 features per draw) and
//! the fit on one thread.
//!
//! `cargo bench --bench turbo`; `cargo test -p gradbo --benches` runs each case once.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gradbo::acquisition::Direction;
use gradbo::test_functions::{Ackley, TestProblem};
use gradbo::turbo::{turbo_fit_options, Turbo, TurboOptions};
use std::hint::black_box;
use std::time::Duration;

/// A TuRBO optimiser whose region holds `n` Sobol points of Ackley in `d` dimensions.
fn told(n: usize, d: usize) -> Turbo {
    let problem = Ackley::new(d).expect("valid");
    let options = TurboOptions {
        initial_points: Some(n),
        fit: Some(gradbo::gp::FitOptions {
            threads: 1,
            ..turbo_fit_options(d).expect("valid")
        }),
        ..TurboOptions::default()
    };
    let mut turbo =
        Turbo::new(problem.bounds().clone(), Direction::Minimise, options)
            .expect("valid");
    let x = turbo.ask(n).expect("the design");
    let y = problem.values(x.view()).expect("points of the box");
    turbo.tell(x.view(), y.view()).expect("points of the box");
    turbo
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("turbo_step");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(4));
    for (n, d) in [(100, 10), (300, 30)] {
        let turbo = told(n, d);
        let id = BenchmarkId::new("ackley", format!("n{n}_d{d}"));
        group.bench_with_input(id, &n, |b, _| {
            b.iter(|| {
                let mut t = turbo.clone();
                black_box(t.ask(4).expect("a batch"))
            })
        });
    }
    group.finish();
}

criterion_group!(turbo, benches);
criterion_main!(turbo);
