//! The problems of the Bayesian-optimisation comparison with BoTorch and of the effort
//! measurements (`examples/bo_compare.rs`, `examples/effort_returns.rs`,
//! `examples/effort_loop.rs`): Branin, Hartmann-6 and Ackley-5 with their budgets, the
//! stored initial designs, and the loop's settings for one seed on one thread.

#![allow(dead_code)]

use gradbo::bo::Settings;
use gradbo::gp::FitOptions;
use gradbo::test_functions::{Ackley, Branin, Hartmann6, TestProblem};
use gradbo::Bounds;
use ndarray::{Array1, Array2};
use std::path::Path;

/// A problem of the comparison: its name in the file names, the function and the budget
/// (evaluations, the initial design's included).
pub fn problems() -> Vec<(&'static str, Box<dyn TestProblem>, usize)> {
    vec![
        ("branin", Box::new(Branin::new()), 50),
        ("hartmann6", Box::new(Hartmann6::new()), 100),
        ("ackley5", Box::new(Ackley::new(5).expect("a valid dimension")), 100),
    ]
}

/// The stored initial design `DIR/bo_init_<problem>_seed<s>.csv`: unit-cube points (rows)
/// and their values.
pub fn initial_design(
    dir: &Path,
    problem: &str,
    seed: u64,
) -> (Array2<f64>, Array1<f64>) {
    let rows = crate::common::read_csv(
        &dir.join(format!("bo_init_{problem}_seed{seed}.csv")),
    );
    let d = rows[0].len() - 1;
    let u = Array2::from_shape_fn((rows.len(), d), |(i, j)| rows[i][j]);
    let f = rows.iter().map(|r| r[d]).collect();
    (u, f)
}

/// The library's default loop over `bounds` with the acquisition optimiser's seed `seed`
/// and the model fitted on one thread.
pub fn settings(bounds: &Bounds, seed: u64) -> Settings {
    Settings {
        fit: Some(FitOptions {
            input_bounds: Some(bounds.clone()),
            threads: 1,
            ..FitOptions::single_task(bounds.dim())
        }),
        acqf: gradbo::optimize_acqf::AcqfOptions { seed, ..Default::default() },
        ..Settings::default()
    }
}

/// The median of some numbers (the mean of the middle two for an even count; NaN for
/// none).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => 0.5 * (v[n / 2 - 1] + v[n / 2]),
    }
}

/// The smallest and the largest of some numbers.
pub fn range(values: &[f64]) -> (f64, f64) {
    values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
        (lo.min(v), hi.max(v))
    })
}

/// Lines saying when and where a measurement was taken: the date, the processor, the
/// compiler and the load average, as the system reports them.
pub fn machine_lines() -> Vec<String> {
    let run = |program: &str, args: &[&str]| {
        std::process::Command::new(program)
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    vec![
        format!("measured {}", run("date", &["-u", "+%Y-%m-%d %H:%M UTC"])),
        format!("cpu: {cpu}, {cores} cores; {}", run("rustc", &["--version"])),
        format!("load average at the start: {}", load_average()),
    ]
}

/// The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
