//! Does more acquisition optimisation still find a better maximiser, and where does it stop
//! paying? A measurement of the effort ladder (`gradbo::optimize_acqf::effort`).
//!
//! ```sh
//! nice -n 10 cargo run --release --example effort_returns -- DATA_DIR OUT.txt \
//!     [PROBLEM ...] [--top 8] [--seeds 0-4] [--designs 0-2]
//! ```
//!
//! For Branin, Hartmann-6 and Ackley-5, the library's default loop runs from each stored
//! initial design named by `--designs` (`DATA_DIR/bo_init_<problem>_seed<s>.csv`, as in
//! `examples/bo_compare.rs`, with the loop's seed s), and its data are taken after the
//! design, after 20 and after 40 evaluations. For each of those data sets, each level 0 to
//! `--top` of the ladder and each seed of the acquisition optimiser, a fresh optimiser is
//! told the data and asked once with `Quality::Spend(Effort::Fixed(level))`: the model fit
//! is the loop's, and so is the acquisition function (LogEI) and the survey around the best
//! observations. The table gives, per problem, stage and level, over designs and seeds: the
//! shortfall of the LogEI value found from the best value any level and seed found for the
//! same model, how many came within 10⁻³ of that best, the seconds the acquisition
//! optimisation took, and the distance (in the unit cube) of the proposal from the highest
//! level's proposal for the same model and seed. The last lines give, for each data set, the
//! lowest level from which every seed came within 10⁻³ of the best.

#[path = "common/bo_problems.rs"]
mod bo_problems;
mod common;

use bo_problems::{
    initial_design, machine_lines, median, problems, range, settings,
};
use gradbo::acquisition::Direction;
use gradbo::bo::{Optimizer, Quality, SpendOptions};
use gradbo::optimize_acqf::effort::{ladder, Effort};
use gradbo::optimize_acqf::AcqfOptions;
use gradbo::test_functions::TestProblem;
use ndarray::{Array1, Array2, Axis};
use std::path::Path;

/// Evaluations after which the data are taken (the design's size is the first).
const AFTER: [usize; 2] = [20, 40];

/// One ask at one level: the LogEI value, the seconds, the proposal in the unit cube.
struct Ask {
    value: f64,
    seconds: f64,
    unit: Array1<f64>,
}

/// The loop's data after the design and after each of [`AFTER`] evaluations, from the
/// stored design of seed `design` (the loop's seed too).
fn snapshots(
    problem: &dyn TestProblem,
    name: &str,
    design: u64,
    dir: &Path,
) -> Vec<(Array2<f64>, Array1<f64>)> {
    let bounds = problem.bounds();
    let (u, f0) = initial_design(dir, name, design);
    let x0 = bounds.from_unit(u.view()).expect("the design has d columns");
    let settings = settings(bounds, design);
    let mut opt = Optimizer::new(bounds.clone(), Direction::Minimise, settings)
        .expect("valid settings");
    opt.tell(x0.view(), f0.view()).expect("the design lies in the box");
    let mut out = vec![(opt.inputs(), Array1::from(opt.values().to_vec()))];
    for &n in &AFTER {
        while opt.values().len() < n {
            let x = opt.ask().expect("the loop proposes a point");
            let f = problem.value(x.view()).expect("a point of the box");
            opt.tell(x.view().insert_axis(Axis(0)), ndarray::array![f].view())
                .expect("a point of the box");
        }
        out.push((opt.inputs(), Array1::from(opt.values().to_vec())));
    }
    out
}

/// One ask of a fresh optimiser told `(x, y)`, at `level`, with optimiser seed `seed`.
fn ask(
    problem: &dyn TestProblem,
    data: &(Array2<f64>, Array1<f64>),
    level: usize,
    seed: u64,
) -> Ask {
    let bounds = problem.bounds();
    let spend = SpendOptions::new(Effort::Fixed(level));
    let s = gradbo::bo::Settings {
        quality: Quality::Spend(spend),
        ..settings(bounds, seed)
    };
    let mut opt = Optimizer::new(bounds.clone(), Direction::Minimise, s)
        .expect("valid settings");
    opt.tell(data.0.view(), data.1.view()).expect("the loop's own data");
    let x = opt.ask().expect("the loop proposes a point");
    let record = opt.history().last().expect("ask records an iteration");
    assert_eq!(record.effort_level, Some(level));
    let unit = bounds
        .to_unit(x.view().insert_axis(Axis(0)))
        .expect("a point of the box")
        .row(0)
        .to_owned();
    Ask {
        value: record.acquisition_value,
        seconds: record.acquisition_seconds,
        unit,
    }
}

fn main() {
    let usage =
        "effort_returns DATA_DIR OUT.txt [PROBLEM ...] [--top 8] [--seeds 0-4] \
                 [--designs 0-2]";
    let mut args = common::args(2, usage);
    let mut flag = |name: &str| common::take_flag(&mut args, name, usage);
    let top: usize = flag("--top").map_or(8, |t| t.parse().expect("a level"));
    let seeds =
        flag("--seeds").map_or((0..5).collect(), |s| common::parse_seeds(&s));
    let designs =
        flag("--designs").map_or((0..3).collect(), |s| common::parse_seeds(&s));
    let (dir, out_path) = (args[0].clone(), args[1].clone());
    let wanted: Vec<String> = args[2..].to_vec();
    let rungs = ladder(&AcqfOptions::default(), top).expect("a valid ladder");
    let list = |v: &[u64], sep: &str| {
        v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(sep)
    };

    let mut lines = vec![
        "How the acquisition optimiser's result grows with its effort: LogEI maximised by \
         the effort ladder at each level (restarts and raw Sobol samples doubling together \
         from 10 and 512)"
            .to_string(),
        format!(
            "made by: nice -n 10 cargo run --release --example effort_returns -- \
             /work/shared/data/bo book/appendix/measurements/effort-returns.txt --top {top} \
             --seeds {} --designs {}",
            list(&seeds, ","),
            list(&designs, ","),
        ),
    ];
    lines.extend(machine_lines());
    lines.extend([
        format!(
            "data: the default loop from the stored designs of seeds {} (the loop's seed \
             too), taken after the design (2d + 2 points) and after {} evaluations; \
             optimiser seeds {}; the loop's model, LogEI and survey around the best 5% of \
             observations",
            list(&designs, ", "),
            AFTER.map(|n| n.to_string()).join(" and "),
            list(&seeds, ", "),
        ),
        format!(
            "each row pools {} designs x {} optimiser seeds; short: the best LogEI any level \
             and seed found for the same model minus the one found, median [max]; hit: \
             within 1e-3 of that best; s: median seconds of the acquisition optimisation; \
             dist: unit-cube distance of the proposal from the top level's for the same \
             model and seed, median [max]",
            designs.len(),
            seeds.len()
        ),
        format!(
            "{:<10} {:>6} {:>5} {:>8} {:>8} {:>20} {:>6} {:>8} {:>14}",
            "problem", "after", "level", "restarts", "raw", "short", "hit", "s", "dist"
        ),
    ]);
    let mut enough = Vec::new();
    for (name, problem, _) in problems() {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == name) {
            continue;
        }
        // per_stage[stage]: one (short, seconds, dist) per design, seed and level.
        let mut per_stage = vec![Vec::new(); AFTER.len() + 1];
        for &design in &designs {
            let runs = snapshots(problem.as_ref(), name, design, Path::new(&dir));
            for (stage, data) in runs.iter().enumerate() {
                let n = data.1.len();
                // asks[seed][level]
                let asks: Vec<Vec<Ask>> = seeds
                    .iter()
                    .map(|&seed| {
                        (0..=top)
                            .map(|l| ask(problem.as_ref(), data, l, seed))
                            .collect()
                    })
                    .collect();
                let best = asks
                    .iter()
                    .flatten()
                    .map(|a| a.value)
                    .fold(f64::NEG_INFINITY, f64::max);
                let enough_at = (0..=top)
                    .find(|&l| asks.iter().all(|a| best - a[l].value <= 1e-3))
                    .map_or(format!("none up to {top}"), |l| format!("level {l}"));
                enough
                    .push(format!("{name} design {design} after {n}: {enough_at}"));
                for a in &asks {
                    for (l, at) in a.iter().enumerate() {
                        let d = &at.unit - &a[top].unit;
                        per_stage[stage].push((
                            l,
                            best - at.value,
                            at.seconds,
                            d.dot(&d).sqrt(),
                        ));
                    }
                }
                eprintln!("{name} design {design} after {n} done");
            }
        }
        for (stage, rows) in per_stage.iter().enumerate() {
            let after = if stage == 0 {
                "design".to_string()
            } else {
                AFTER[stage - 1].to_string()
            };
            for rung in &rungs {
                let l = rung.level;
                let at: Vec<_> = rows.iter().filter(|r| r.0 == l).collect();
                let short: Vec<f64> = at.iter().map(|r| r.1).collect();
                let hit = short.iter().filter(|s| **s <= 1e-3).count();
                let seconds: Vec<f64> = at.iter().map(|r| r.2).collect();
                let dist: Vec<f64> = at.iter().map(|r| r.3).collect();
                lines.push(format!(
                    "{name:<10} {after:>6} {l:>5} {:>8} {:>8} {:>20} {:>6} {:>8.4} {:>14}",
                    rung.restarts,
                    rung.raw_samples,
                    format!("{:.1e} [{:.1e}]", median(&short), range(&short).1),
                    format!("{hit}/{}", short.len()),
                    median(&seconds),
                    format!("{:.3} [{:.3}]", median(&dist), range(&dist).1),
                ));
            }
        }
    }
    lines.push(
        "the lowest level from which every optimiser seed came within 1e-3 of the best, per \
         data set:"
            .to_string(),
    );
    lines.extend(enough);
    lines.push(format!("load average at the end: {}", bo_problems::load_average()));
    let text = lines.join("\n") + "\n";
    print!("{text}");
    std::fs::write(&out_path, text).expect("the output file can be written");
}
