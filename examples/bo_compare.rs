//! The Rust side of the Bayesian-optimisation comparison with BoTorch
//! (`benches/python/bo_compare.sh` runs both sides and writes the table).
//!
//! ```sh
//! cargo run --release --example bo_compare -- DATA_DIR OUT.csv [PROBLEM ...] [--seeds 0-24]
//! ```
//!
//! For Branin (50 evaluations), Hartmann-6 (100) and Ackley-5 (100), and seeds 0–4 (or those
//! given, as a list `0,3,7`, a range `5-24` or both; `benches/python/bo.py designs` writes
//! the designs of seeds beyond the stored five), starts
//! from the initial design stored in `DATA_DIR/bo_init_<problem>_seed<s>.csv` (2d + 2
//! scrambled Sobol points in unit-cube coordinates, the designs BoTorch's runs started from)
//! and runs the library's default loop — BoTorch's `SingleTaskGP` defaults, LogEI, 10
//! restarts from 512 raw samples — until the budget is spent, on one thread. Writes one CSV
//! row per BO iteration (from 1; the best so far includes the initial design):
//! `tool,problem,seed,iteration,n_train,fit_s,acq_s,f,best_so_far,log10_regret`, the format
//! of `benches/python/bo.py`. Naming problems (`branin`, say) runs only those.

#[path = "common/bo_problems.rs"]
mod bo_problems;
mod common;

use bo_problems::{initial_design, problems};
use gradbo::acquisition::Direction;
use gradbo::bo::Optimizer;
use gradbo::test_functions::TestProblem;
use gradbo::Bounds;
use ndarray::Axis;
use std::path::Path;

/// One run of the loop, one CSV row per iteration appended to `out`.
fn run(
    out: &mut Vec<String>,
    name: &str,
    problem: &dyn TestProblem,
    budget: usize,
    seed: u64,
    dir: &Path,
) {
    let bounds: &Bounds = problem.bounds();
    let (u, f0) = initial_design(dir, name, seed);
    let x0 = bounds.from_unit(u.view()).expect("the design has d columns");
    let settings = bo_problems::settings(bounds, seed);
    let mut opt = Optimizer::new(bounds.clone(), Direction::Minimise, settings)
        .expect("valid settings");
    opt.tell(x0.view(), f0.view()).expect("the stored design lies in the box");
    let optimum = problem.optimal_value();
    let mut best = f0.fold(f64::INFINITY, |b, v| b.min(*v));
    for it in 1..=budget.saturating_sub(f0.len()) {
        let x = opt.ask().expect("the loop proposes a point");
        let f = problem.value(x.view()).expect("a point of the box");
        let record = opt.history().last().expect("ask records an iteration");
        best = best.min(f);
        let regret = (best - optimum).max(1e-16).log10();
        out.push(format!(
            "gradbo,{name},{seed},{it},{},{:.6},{:.6},{f:?},{best:?},{regret:?}",
            record.observations, record.fit_seconds, record.acquisition_seconds
        ));
        opt.tell(x.view().insert_axis(Axis(0)), ndarray::array![f].view())
            .expect("a point of the box");
    }
}

fn main() {
    let usage = "bo_compare DATA_DIR OUT.csv [PROBLEM ...] [--seeds 0-4]";
    let mut args = common::args(2, usage);
    let seeds = common::take_flag(&mut args, "--seeds", usage)
        .map_or_else(|| (0..5).collect(), |s| common::parse_seeds(&s));
    let (dir, out_path) = (&args[0], &args[1]);
    let wanted: Vec<&str> = args[2..].iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (name, problem, budget) in problems() {
        if !wanted.is_empty() && !wanted.contains(&name) {
            continue;
        }
        for &seed in &seeds {
            run(&mut out, name, problem.as_ref(), budget, seed, Path::new(dir));
            eprintln!("{name} seed {seed} done");
        }
    }
    common::write_csv(
        Path::new(out_path),
        "tool,problem,seed,iteration,n_train,fit_s,acq_s,f,best_so_far,log10_regret",
        out,
    );
}
