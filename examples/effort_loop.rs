//! The loop's default decisions beside decisions that spend a time allowance per iteration
//! (`Quality::Spend` with `Effort::Allowance`), on the problems and designs of the BoTorch
//! comparison.
//!
//! ```sh
//! nice -n 10 cargo run --release --example effort_loop -- DATA_DIR OUT.txt \
//!     [PROBLEM ...] [--seeds 0-4]
//! ```
//!
//! For Branin (50 evaluations), Hartmann-6 (100) and Ackley-5 (100), and each seed, both
//! loops start from the stored initial design `DATA_DIR/bo_init_<problem>_seed<s>.csv` with
//! the acquisition optimiser's seed s and the model fitted on one thread, as
//! `examples/bo_compare.rs` runs the default loop. The spending loop's allowance per
//! iteration (model fit and acquisition optimisation together) is BoTorch's median seconds
//! per iteration in `book/appendix/measurements/bo-vs-botorch.txt` (its qLogEI loop, one
//! thread, on the same machine). The table gives the final log10 regret, median [min, max]
//! over seeds, the median seconds per iteration, and the ladder levels the allowance
//! reached (median [min, max] over every iteration of every seed).

#[path = "common/bo_problems.rs"]
mod bo_problems;
mod common;

use bo_problems::{
    initial_design, load_average, machine_lines, median, problems, range, settings,
};
use gradbo::acquisition::Direction;
use gradbo::bo::{Optimizer, Quality, Settings, SpendOptions};
use gradbo::optimize_acqf::effort::Effort;
use gradbo::test_functions::TestProblem;
use ndarray::Axis;
use std::path::Path;

/// BoTorch's median seconds per iteration (fit + acquisition optimisation, qLogEI, one
/// thread), from `book/appendix/measurements/bo-vs-botorch.txt`.
fn botorch_seconds(problem: &str) -> f64 {
    match problem {
        "branin" => 0.276,
        "hartmann6" => 0.664,
        "ackley5" => 0.542,
        other => panic!("no BoTorch time for {other}"),
    }
}

/// One run: the final log10 regret, the seconds of each iteration, the level of each.
struct Run {
    regret: f64,
    seconds: Vec<f64>,
    levels: Vec<f64>,
}

fn run(
    problem: &dyn TestProblem,
    name: &str,
    budget: usize,
    seed: u64,
    quality: Quality,
    dir: &Path,
) -> Run {
    let bounds = problem.bounds();
    let (u, f0) = initial_design(dir, name, seed);
    let x0 = bounds.from_unit(u.view()).expect("the design has d columns");
    let s = Settings { quality, ..settings(bounds, seed) };
    let mut opt = Optimizer::new(bounds.clone(), Direction::Minimise, s)
        .expect("valid settings");
    opt.tell(x0.view(), f0.view()).expect("the stored design lies in the box");
    while opt.values().len() < budget {
        let x = opt.ask().expect("the loop proposes a point");
        let f = problem.value(x.view()).expect("a point of the box");
        opt.tell(x.view().insert_axis(Axis(0)), ndarray::array![f].view())
            .expect("a point of the box");
    }
    let best = opt.values().iter().copied().fold(f64::INFINITY, f64::min);
    Run {
        regret: (best - problem.optimal_value()).max(1e-16).log10(),
        seconds: opt
            .history()
            .iter()
            .map(|h| h.fit_seconds + h.acquisition_seconds)
            .collect(),
        levels: opt
            .history()
            .iter()
            .filter_map(|h| h.effort_level.map(|l| l as f64))
            .collect(),
    }
}

fn main() {
    let usage = "effort_loop DATA_DIR OUT.txt [PROBLEM ...] [--seeds 0-4]";
    let mut args = common::args(2, usage);
    let seeds = common::take_flag(&mut args, "--seeds", usage)
        .map_or_else(|| (0..5).collect(), |s| common::parse_seeds(&s));
    let (dir, out_path) = (args[0].clone(), args[1].clone());
    let wanted: Vec<String> = args[2..].to_vec();
    let mut lines = vec![
        "The loop's default decisions beside decisions that spend a time allowance per \
         iteration on the acquisition optimiser's effort ladder"
            .to_string(),
        format!(
            "made by: nice -n 10 cargo run --release --example effort_loop -- \
             /work/shared/data/bo book/appendix/measurements/effort-loop.txt{}",
            wanted.iter().map(|w| format!(" {w}")).collect::<String>()
        ),
    ];
    lines.extend(machine_lines());
    lines.extend([
        "both loops: the stored designs of the BoTorch comparison, LogEI, the model fitted on \
         one thread; default: 10 restarts from 512 raw samples; spend: Effort::Allowance of \
         BoTorch's median seconds per iteration (bo-vs-botorch.txt), counting the fit"
            .to_string(),
        "regret: final log10 regret, median [min, max] over seeds; s/iter: median seconds \
         per iteration (fit + acquisition); level: ladder level reached, median [min, max] \
         over every iteration"
            .to_string(),
        format!(
            "{:<10} {:<8} {:>9} {:>5} {:>6} {:>24} {:>8} {:>12}",
            "problem", "loop", "allowance", "seeds", "iters", "regret", "s/iter", "level"
        ),
    ]);
    let mut paired = Vec::new();
    for (name, problem, budget) in problems() {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == name) {
            continue;
        }
        let allowance = botorch_seconds(name);
        let spend = Quality::Spend(SpendOptions::new(Effort::Allowance(allowance)));
        let mut by_loop = Vec::new();
        for (label, quality) in [("default", Quality::Default), ("spend", spend)] {
            let runs: Vec<Run> = seeds
                .iter()
                .map(|&seed| {
                    let r = run(
                        problem.as_ref(),
                        name,
                        budget,
                        seed,
                        quality.clone(),
                        Path::new(&dir),
                    );
                    eprintln!(
                        "{name} {label} seed {seed}: log10 regret {:.2}",
                        r.regret
                    );
                    r
                })
                .collect();
            let regrets: Vec<f64> = runs.iter().map(|r| r.regret).collect();
            let seconds: Vec<f64> =
                runs.iter().flat_map(|r| r.seconds.clone()).collect();
            let levels: Vec<f64> =
                runs.iter().flat_map(|r| r.levels.clone()).collect();
            let (lo, hi) = range(&regrets);
            let level = if levels.is_empty() {
                "-".to_string()
            } else {
                let (a, b) = range(&levels);
                format!("{} [{a}, {b}]", median(&levels))
            };
            lines.push(format!(
                "{name:<10} {label:<8} {:>9} {:>5} {:>6} {:>24} {:>8.4} {:>12}",
                if label == "spend" {
                    format!("{allowance:.3}")
                } else {
                    "-".into()
                },
                seeds.len(),
                seconds.len(),
                format!("{:.2} [{lo:.2}, {hi:.2}]", median(&regrets)),
                median(&seconds),
                level,
            ));
            by_loop.push(regrets);
        }
        // Compared at the two decimals printed: closer than 0.005 is equal.
        let (d, s) = (&by_loop[0], &by_loop[1]);
        let lower = s.iter().zip(d).filter(|(s, d)| **s < **d - 0.005).count();
        let higher = s.iter().zip(d).filter(|(s, d)| **s > **d + 0.005).count();
        paired.push(format!(
            "paired seeds, {name}: spend's final log10 regret lower than default's by more \
             than 0.005 in {lower} of {}, higher in {higher}, within 0.005 in {}; per seed \
             (default, spend): {}",
            s.len(),
            s.len() - lower - higher,
            d.iter()
                .zip(s)
                .map(|(d, s)| format!("({d:.2}, {s:.2})"))
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    lines.extend(paired);
    lines.push(format!("load average at the end: {}", load_average()));
    let text = lines.join("\n") + "\n";
    print!("{text}");
    std::fs::write(&out_path, text).expect("the output file can be written");
}
