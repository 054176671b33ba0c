//! The Rust side of the autodiff comparison with PyTorch (`benches/python/autodiff_compare.sh`
//! runs both sides alternately and writes the table).
//!
//! ```sh
//! cargo run --release --example autodiff_compare [-- --quick]
//! ```
//!
//! Times the problems of `common/autodiff_problems.rs` (which the criterion benchmark
//! `benches/autodiff.rs` times too) the way `benches/python/autodiff.py` times PyTorch: the
//! median of many repeats of one forward pass, and of forward + backward, in microseconds,
//! on one thread, one line per problem. `--quick` times each once, to check that it runs.

mod common;
#[path = "common/autodiff_problems.rs"]
mod problems;

use common::Timing;
use gradbo::autodiff::Tape;
use problems::{filled, quadratic, Mlp};
use std::hint::black_box;
use std::rc::Rc;

/// The median of `repeats` timings after a tenth as many untimed, in microseconds.
fn median_us(repeats: usize, f: impl FnMut()) -> f64 {
    Timing::of(repeats / 10, repeats, f).median_us()
}

fn main() {
    let quick = common::args(0, "autodiff_compare [--quick]")
        .iter()
        .any(|a| a == "--quick");
    let repeats = |n: usize| if quick { 1 } else { n };
    let mlp = Mlp::new();
    let (x, y) = (Rc::new(filled(&[256, 2], 3)), Rc::new(filled(&[256, 1], 4)));
    let forward = median_us(repeats(2000), || {
        let tape = Tape::new();
        black_box(tape.item(mlp.loss(&tape, &x, &y)).expect("scalar"));
    });
    let gradient = median_us(repeats(2000), || {
        let tape = Tape::new();
        tape.backward(mlp.loss(&tape, &x, &y)).expect("scalar root");
    });
    println!(
        "mlp: forward {forward:.1} us, forward+backward {gradient:.1} us, ratio {:.2}",
        gradient / forward
    );
    for n in [100, 1000] {
        let (a, v) = (Rc::new(filled(&[n, n], 1)), filled(&[n, 1], 2));
        let reps = repeats(if n == 1000 { 300 } else { 2000 });
        let forward = median_us(reps, || {
            let tape = Tape::new();
            black_box(tape.item(quadratic(&tape, &a, &v)).expect("scalar"));
        });
        let gradient = median_us(reps, || {
            let tape = Tape::new();
            tape.backward(quadratic(&tape, &a, &v)).expect("scalar root");
        });
        println!(
            "quadratic_{n}: forward {forward:.1} us, forward+backward {gradient:.1} us, ratio {:.2}",
            gradient / forward
        );
    }
}
