//! The cheap-gradient principle, measured: a reverse-mode gradient of a scalar
//! function costs a small constant times the function itself, whatever the number
//! of inputs.
//!
//! For each problem the group times the forward pass alone (recorded on a tape, as
//! in training) and the forward pass followed by `backward`. The ratio of the two
//! medians is the cost of a gradient in units of function evaluations: a small
//! constant, measured at 1.4 to 3 for these problems (book/appendix/performance.md).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
#[path = "../examples/common/autodiff_problems.rs"]
mod problems;

use gradbo::autodiff::Tape;
use problems::{filled, quadratic, Mlp};
use std::hint::black_box;
use std::rc::Rc;
use std::time::Duration;

fn cheap_gradient(c: &mut Criterion) {
    let mut group = c.benchmark_group("cheap_gradient");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for n in [100, 1000] {
        let (a, x) = (Rc::new(filled(&[n, n], 1)), filled(&[n, 1], 2));
        group.bench_with_input(
            BenchmarkId::new("quadratic_forward", n),
            &n,
            |b, _| {
                b.iter(|| {
                    let tape = Tape::new();
                    black_box(tape.item(quadratic(&tape, &a, &x)).expect("scalar"))
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("quadratic_gradient", n),
            &n,
            |b, _| {
                b.iter(|| {
                    let tape = Tape::new();
                    tape.backward(quadratic(&tape, &a, &x)).expect("scalar root");
                    black_box(tape.len())
                })
            },
        );
    }
    let mlp = Mlp::new();
    let (x, y) = (Rc::new(filled(&[256, 2], 3)), Rc::new(filled(&[256, 1], 4)));
    group.bench_function("mlp_forward", |b| {
        b.iter(|| {
            let tape = Tape::new();
            black_box(tape.item(mlp.loss(&tape, &x, &y)).expect("scalar"))
        })
    });
    group.bench_function("mlp_gradient", |b| {
        b.iter(|| {
            let tape = Tape::new();
            tape.backward(mlp.loss(&tape, &x, &y)).expect("scalar root");
            black_box(tape.len())
        })
    });
    group.finish();
}

criterion_group!(benches, cheap_gradient);
criterion_main!(benches);
