//! The worked output of chapter 18.

use super::{exercises, reading, Results};
use crate::report::Report;
use gradbo::bo::CampaignResult;
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use gradbo::Bounds;
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch18::campaign::{lengthscales, noise, regret};
use gradbo_listings::ch18::campaign::{
    random_point, DIM, RAW_SAMPLES, RESTARTS, SEED,
};
use gradbo_listings::ch18::compare::{budgets, dimensions, Arm, SEEDS};
use gradbo_listings::ch18::design::{
    centred_discrepancy, closest_pair, typical_gap, uniform_design,
};
use reading::{sig, summary};
use std::fmt::Write as _;

/// Seeds of the design comparison.
const DESIGN_SEEDS: u64 = 100;

/// The text the chapter includes.
pub fn report(r: &Results) -> String {
    let main = r.main();
    let mut report = Report::new();
    report.section("settings", settings(main));
    report.section("first-look", first_look(main));
    report.section("campaign", campaign(main));
    report.section("trace", trace(main));
    report.section("fits", fits(main));
    report.section("campaign-reading", reading::campaign(main));
    let (table, reading) = sobol();
    report.section("sobol", table);
    report.section("sobol-reading", reading);
    report.section("coverage", coverage());
    let typical: Vec<f64> =
        dimensions().iter().map(|a| typical_value(a.dim)).collect();
    report.section("dimensions", dimension_table(&r.dimensions, &typical));
    report.section(
        "dimensions-reading",
        reading::dimensions(&dimensions(), &r.dimensions, &typical),
    );
    report.section(
        "dimensions-verdict",
        reading::verdicts(["d = 2", "d = 4", "d = 8"], &r.dimensions),
    );
    report.section("budgets", budget_table(&r.budgets));
    report.section(
        "budgets-verdict",
        reading::verdicts(["8 + 8", "10 + 20", "16 + 40"], &r.budgets),
    );
    report.section("budgets-reading", budget_reading(&r.budgets));
    report.section("retries", retries(r));
    report.section("answers", exercises::answers(r));
    report.finish()
}

fn settings(main: &CampaignResult) -> String {
    let b = &main.bounds;
    format!(
        "dimension d = {}, initial Sobol points n₀ = 2d = {}, steps {}, seed {SEED}\n\
         box: lower {}, upper {} (bounds as a 2 × {} array)\n\
         variables: {}\n\
         acquisition: LogEI, maximised from {RAW_SAMPLES} Sobol points (+ {RAW_SAMPLES} \
         around the best observations) with {RESTARTS} local runs\n",
        main.dim(),
        main.n_init,
        main.history.len(),
        b.lower(),
        b.upper(),
        b.dim(),
        main.names.join(", ")
    )
}

fn first_look(_main: &CampaignResult) -> String {
    let r = ShiftedRosenbrock::new(DIM).expect("d = 5");
    let c = r.centres();
    let x = random_point(&r, SEED);
    format!(
        "R at the centres c = {c}: {}\nR at a random point {x:.3}: {}\n",
        r.value(c.view()).expect("finite"),
        sig(r.value(x.view()).expect("finite")),
    )
}

fn campaign(main: &CampaignResult) -> String {
    let c = ShiftedRosenbrock::new(main.dim()).expect("d ≥ 2").centres().clone();
    format!(
        "its Sobol design: x {:?}, lowest R {}\n\
         {} values of the best so far (the design's, then one per step), {} observations, \
         {} fits\nbest R = {} at {:.3}\nthe minimum R* = 0 at c = {c}\n",
        (main.n_init, main.dim()),
        sig(main.best_so_far()[0]),
        main.best_so_far().len(),
        main.y.len(),
        main.history.len(),
        sig(main.best_y),
        main.best_x
    )
}

fn trace(main: &CampaignResult) -> String {
    let mut t = format!("{:>4}  {:>9}  incumbent", "step", "best R");
    for n in &main.names {
        let _ = write!(t, "{n:>7}");
    }
    t.push('\n');
    let inc = main.incumbents();
    let moved = reading::improving_steps(main);
    for (k, b) in main.best_so_far().iter().enumerate() {
        let mark = if k == 0 {
            "design"
        } else if moved.contains(&k) {
            "new"
        } else {
            ""
        };
        let _ = write!(t, "{k:>4}  {:>9}  {mark:<9}", sig(*b));
        for v in inc.row(k) {
            let _ = write!(t, "{v:>7.3}");
        }
        t.push('\n');
    }
    t
}

fn fits(main: &CampaignResult) -> String {
    let mut t = format!("{:>4} {:>4} ", "step", "n");
    for n in &main.names {
        let _ = write!(t, "{:>7}", format!("ℓ({n})"));
    }
    let _ = writeln!(t, " {:>10}", "noise σₙ²");
    let l = lengthscales(main);
    let s = noise(main);
    for (k, h) in main.history.iter().enumerate() {
        let _ = write!(t, "{:>4} {:>4} ", k + 1, h.observations);
        for v in l.row(k) {
            let _ = write!(t, "{v:>7.3}");
        }
        let _ = writeln!(t, " {:>10.3e}", s[k]);
    }
    t
}

fn sobol() -> (String, String) {
    let bounds = Bounds::cube(DIM, -2.0, 2.0).expect("a valid box");
    let mut t = format!(
        "{} seeds in d = {DIM}: median (quartiles); Sobol better = seeds where the Sobol \
         design beat the uniform one drawn with the same seed\n",
        DESIGN_SEEDS
    );
    let _ = writeln!(
        t,
        "{:>3}  {:<8} {:>22} {:>22}",
        "n", "design", "closest pair (unit cube)", "centred discrepancy CD²"
    );
    let mut wins = Vec::new();
    for n in [10, 16] {
        let (mut s, mut u) = ((vec![], vec![]), (vec![], vec![]));
        for seed in 0..DESIGN_SEEDS {
            let xs = draw_sobol_samples(&bounds, n, seed).expect("a Sobol design");
            let xu = uniform_design(&bounds, n, seed).expect("a uniform design");
            s.0.push(closest_pair(xs.view(), &bounds).expect("in the box"));
            s.1.push(centred_discrepancy(xs.view(), &bounds).expect("in the box"));
            u.0.push(closest_pair(xu.view(), &bounds).expect("in the box"));
            u.1.push(centred_discrepancy(xu.view(), &bounds).expect("in the box"));
        }
        let gap = s.0.iter().zip(&u.0).filter(|(a, b)| a > b).count();
        let cd = s.1.iter().zip(&u.1).filter(|(a, b)| a < b).count();
        wins.push((n, gap, cd));
        let _ = writeln!(
            t,
            "{n:>3}  {:<8} {:>22} {:>22}",
            "Sobol",
            summary(&s.0),
            summary(&s.1)
        );
        let _ = writeln!(
            t,
            "{n:>3}  {:<8} {:>22} {:>22}",
            "uniform",
            summary(&u.0),
            summary(&u.1)
        );
        let _ = writeln!(
            t,
            "{n:>3}  {:<8} {:>22} {:>22}",
            "Sobol better",
            format!("{gap} of {DESIGN_SEEDS}"),
            format!("{cd} of {DESIGN_SEEDS}")
        );
    }
    let fewest =
        |k: usize| wins.iter().map(|w| if k == 0 { w.1 } else { w.2 }).min();
    let (gap, cd) = (fewest(0).unwrap_or(0), fewest(1).unwrap_or(0));
    let count = |k: usize| {
        if k == DESIGN_SEEDS as usize {
            "every seed".to_string()
        } else {
            format!("at least {k} of the {DESIGN_SEEDS} seeds")
        }
    };
    let reading = format!(
        "For both sizes the Sobol design was the more even by the discrepancy in {} and had \
         the wider closest pair in {}.",
        count(cd),
        count(gap)
    );
    (t, reading)
}

fn coverage() -> String {
    let mut t = format!(
        "{:>3} {:>8} {:>14} {:>28}\n",
        "d", "points", "points per axis", "typical gap (box side = 1)"
    );
    for arm in dimensions() {
        let n = arm.evaluations();
        let bounds = Bounds::cube(arm.dim, -2.0, 2.0).expect("a valid box");
        let x = draw_sobol_samples(&bounds, n, 0).expect("a Sobol design");
        let gap = typical_gap(x.view(), &bounds, 2000, 1).expect("in the box");
        let _ = writeln!(
            t,
            "{:>3} {:>8} {:>14.2} {:>28.3}",
            arm.dim,
            n,
            (n as f64).powf(1.0 / arm.dim as f64),
            gap
        );
    }
    t
}

/// The median of R over 10 000 uniform points of the box: a typical value of R there.
fn typical_value(dim: usize) -> f64 {
    let r = ShiftedRosenbrock::new(dim).expect("d ≥ 2");
    let x = uniform_design(r.bounds(), 10_000, 0).expect("a uniform design");
    let v = r.values(x.view()).expect("finite");
    quantile(v.as_slice().unwrap_or(&[]), 0.5)
}

fn dimension_table(runs: &[Vec<CampaignResult>], typical: &[f64]) -> String {
    let mut t = format!(
        "regret R(best) − R* over {} seeds ({}–{}): median (quartiles)\n",
        SEEDS.count(),
        SEEDS.start,
        SEEDS.end - 1
    );
    let _ = writeln!(
        t,
        "{:>3} {:>11} {:>10} {:>22} {:>22} {:>22} {:>22}",
        "d",
        "evaluations",
        "median R",
        "after the design",
        "after 10 steps",
        "after 20 steps",
        "after 30 steps"
    );
    for ((arm, rs), typ) in dimensions().iter().zip(runs).zip(typical) {
        let at = |k: usize| {
            summary(&rs.iter().map(|r| regret(r)[k]).collect::<Vec<_>>())
        };
        let _ = writeln!(
            t,
            "{:>3} {:>11} {:>10} {:>22} {:>22} {:>22} {:>22}",
            arm.dim,
            format!("{} + {}", arm.n_init, arm.steps),
            sig(*typ),
            at(0),
            at(10),
            at(20),
            at(30)
        );
    }
    t.push_str("median R: the median of R over 10 000 uniform points of the box\n");
    t
}

fn budget_table(runs: &[Vec<CampaignResult>]) -> String {
    let arms = budgets();
    let mut t = format!(
        "regret after a given number of evaluations, d = 5, {} seeds: median (quartiles)\n",
        SEEDS.count()
    );
    let _ = writeln!(
        t,
        "{:>8} {:>11} {:>22} {:>22} {:>22} {:>22}",
        "arm",
        "evaluations",
        "after the design",
        "after 16",
        "after 30",
        "after 56"
    );
    for (arm, rs) in arms.iter().zip(runs) {
        let at = |e: usize| {
            if e < arm.n_init || e > arm.evaluations() {
                "—".to_string()
            } else {
                summary(
                    &rs.iter()
                        .map(|r| regret(r)[e - arm.n_init])
                        .collect::<Vec<_>>(),
                )
            }
        };
        let _ = writeln!(
            t,
            "{:>8} {:>11} {:>22} {:>22} {:>22} {:>22}",
            format!("{} + {}", arm.n_init, arm.steps),
            arm.evaluations(),
            at(arm.n_init),
            at(16),
            at(30),
            at(56)
        );
    }
    t
}

fn budget_reading(runs: &[Vec<CampaignResult>]) -> String {
    let arms: Vec<Arm> = budgets().to_vec();
    let mut t = String::new();
    for at in [16, 30] {
        let medians = reading::at_evaluations(&arms, runs, at);
        let parts: Vec<String> = arms
            .iter()
            .zip(&medians)
            .filter_map(|(a, m)| {
                m.map(|m| {
                    let steps = at - a.n_init;
                    let spent = if steps == 0 {
                        "its design alone".to_string()
                    } else {
                        format!("{} Sobol points and {steps} steps", a.n_init)
                    };
                    format!("{} for {} + {} ({spent})", sig(m), a.n_init, a.steps)
                })
            })
            .collect();
        let _ = write!(
            t,
            "After {at} evaluations the median regret was {}. ",
            parts.join(", ")
        );
    }
    t.trim_end().to_string()
}

fn retries(r: &Results) -> String {
    let all = r.dimensions.iter().chain(&r.budgets).flatten();
    let (mut asks, mut retried) = (0, 0);
    for run in all {
        asks += run.history.len();
        retried += run.history.iter().map(|h| h.retried.len()).sum::<usize>();
    }
    format!(
        "acquisition optimisations in the two comparisons: {asks}; restarted from fresh raw \
         samples because every local run failed: {retried}\n"
    )
}
