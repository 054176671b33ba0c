//! The Rust side of the batch-loop comparison with BoTorch
//! (`benches/python/batch_compare.sh` runs both sides and writes the table).
//!
//! ```sh
//! cargo run --release --example batch_compare -- DATA_DIR OUT.csv [--seeds 0-4] [--rounds 8]
//! ```
//!
//! Minimises the shifted Rosenbrock function in d = 4 over [−2, 2]⁴ (c = (−1.5, −0.5, 0.5,
//! 1.5), z = x − c + 1, R = Σᵢ 100(zᵢ₊₁ − zᵢ²)² + (1 − zᵢ)²), for each seed from the 8
//! scrambled Sobol points in `DATA_DIR/batch_init_seed<s>.csv` (written by
//! `benches/python/batch.py designs`), with the library's loop asking for q = 4 points a
//! round: fit the single-task GP (inputs normalised by the box, outputs standardised), then
//! qLogEI with 128 QMC samples maximised jointly over the 4 × 4 block, 20 restarts from 256
//! raw samples; 8 rounds, on one thread. Writes one CSV row per round, in the format of
//! `benches/python/batch.py`: `tool,problem,seed,iteration,n_train,fit_s,acq_s,f,
//! best_so_far,log10_regret` (f the best of the round's four values).

mod common;

use gradbo::acquisition::{Direction, MonteCarloOptions};
use gradbo::bo::{BatchChoice, Optimizer, Settings};
use gradbo::gp::FitOptions;
use gradbo::optimize_acqf::AcqfOptions;
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use gradbo::Bounds;
use ndarray::{Array1, Array2};
use std::path::Path;

const D: usize = 4;
const Q: usize = 4;

/// The course's shifted Rosenbrock function in d = 4 (the library's, minimum 0 at
/// c = linspace(−1.5, 1.5, 4)).
fn objective(x: ndarray::ArrayView2<'_, f64>) -> Array1<f64> {
    ShiftedRosenbrock::new(D).and_then(|r| r.values(x)).expect("points of the box")
}

/// The stored initial design: points (rows, in the box) and their values.
fn initial_design(dir: &Path, seed: u64) -> (Array2<f64>, Array1<f64>) {
    let rows = common::read_csv(&dir.join(format!("batch_init_seed{seed}.csv")));
    let x = Array2::from_shape_fn((rows.len(), D), |(i, j)| rows[i][j]);
    let f = rows.iter().map(|r| r[D]).collect();
    (x, f)
}

/// The loop's settings: the comparison's, on one thread.
fn settings(bounds: &Bounds, seed: u64) -> Settings {
    Settings {
        fit: Some(FitOptions {
            input_bounds: Some(bounds.clone()),
            threads: 1,
            ..FitOptions::single_task(D)
        }),
        acqf: AcqfOptions {
            restarts: 20,
            raw_samples: 256,
            seed,
            ..Default::default()
        },
        batch: BatchChoice::Joint,
        monte_carlo: MonteCarloOptions { samples: 128, seed, ..Default::default() },
        ..Settings::default()
    }
}

/// One run, one CSV row per round appended to `out`.
fn run(out: &mut Vec<String>, dir: &Path, seed: u64, rounds: usize) {
    let bounds = Bounds::new(Array1::from_elem(D, -2.0), Array1::from_elem(D, 2.0))
        .expect("a valid box");
    let (x0, f0) = initial_design(dir, seed);
    let recomputed: Vec<f64> = objective(x0.view()).to_vec();
    for (a, b) in recomputed.iter().zip(&f0) {
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "the stored f match R");
    }
    let mut opt = Optimizer::new(
        bounds.clone(),
        Direction::Minimise,
        settings(&bounds, seed),
    )
    .expect("valid settings");
    opt.tell(x0.view(), f0.view()).expect("the design lies in the box");
    let mut best = f0.fold(f64::INFINITY, |b, v| b.min(*v));
    for round in 1..=rounds {
        let x = opt.ask_batch(Q).expect("the loop proposes a batch");
        let f: Array1<f64> = objective(x.view());
        let record = opt.history().last().expect("ask records an iteration");
        let round_best = f.fold(f64::INFINITY, |b, v| b.min(*v));
        best = best.min(round_best);
        let log10 = best.max(1e-16).log10();
        out.push(format!(
            "gradbo,rosenbrock4,{seed},{round},{},{:.6},{:.6},{round_best:?},{best:?},{log10:?}",
            record.observations, record.fit_seconds, record.acquisition_seconds
        ));
        opt.tell(x.view(), f.view()).expect("points of the box");
    }
}

fn main() {
    let usage = "batch_compare DATA_DIR OUT.csv [--seeds 0-4] [--rounds 8]";
    let mut args = common::args(2, usage);
    let seeds = common::take_flag(&mut args, "--seeds", usage)
        .map_or_else(|| (0..5).collect(), |s| common::parse_seeds(&s));
    let rounds = common::take_flag(&mut args, "--rounds", usage)
        .map_or(8, |r| r.parse().expect("a whole number of rounds"));
    let (dir, out_path) = (Path::new(&args[0]), Path::new(&args[1]));
    let mut out = Vec::new();
    for &seed in &seeds {
        run(&mut out, dir, seed, rounds);
        eprintln!("seed {seed} done");
    }
    common::write_csv(
        out_path,
        "tool,problem,seed,iteration,n_train,fit_s,acq_s,f,best_so_far,log10_regret",
        out,
    );
}
