//! The autodiff benchmark problems timed the same way as
//! `benches/python/autodiff.py` times PyTorch: the median of many repeats of one
//! forward pass, and of forward + backward, in microseconds, on one thread.
//! `benches/python/compare.sh` runs the two alternately.
//!
//! `cargo bench --bench versus` prints the table; under `cargo test --benches` each
//! problem runs once.

mod common;

use common::{filled, quadratic, Mlp};
use gradbo::autodiff::Tape;
use std::hint::black_box;
use std::rc::Rc;
use std::time::Instant;

fn median_us(repeats: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..repeats / 10 {
        f();
    }
    let mut times: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then one
    // repeat is enough.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let repeats = |n: usize| if smoke { 1 } else { n };
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
