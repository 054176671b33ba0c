//! The worked output of chapter 20.

use super::exercises::{optimum_share, penalised, shares, SHARE_POINTS};
use super::{reading, Results, SEEDS, SEED_ATTEMPTS};
use crate::report::Report;
use gradbo::test_functions::catalyst::{Catalyst, Design, Pipeline, Solvent};
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch20::loops::{
    Method, Run, ATTEMPTS, FALLBACK, N_INIT, PROBLEM, SEED, STEPS,
};
use gradbo_listings::ch20::pipeline::{initial_table, ranked};
use std::fmt::Write as _;

/// The text the chapter includes.
pub fn report(r: &Results) -> String {
    let mut report = Report::new();
    report.section("settings", settings());
    report.section("initial", initial());
    report.section("reachable", reachable());
    report.section("chapter-runs", chapter_runs(r));
    report.section(
        "attempts-reading",
        reading::attempts(&r.chapter[1], &r.seeds[1][0]),
    );
    report.section("summary", summary(r));
    let [naive, aware, mixed] = &r.seeds;
    report.section("seeds", seeds(&[naive, aware, mixed, &r.continuous]));
    report.section("seeds-reading", reading::seeds(&r.seeds));
    report.section("landing", reading::landing(&r.seeds));
    report.section("continuous", reading::continuous(mixed, &r.continuous));
    report.section("answers", answers(r));
    report.section("ordinal-reading", reading::ordinal(&r.seeds[2], &r.ordinal));
    report.finish()
}

fn settings() -> String {
    format!(
        "seed {SEED}; latent space [0, 1]^4, r = (r_T, r_L, r_t, r_s); {N_INIT} Sobol points, \
         then {STEPS} steps\n\
         experiments: T in [40, 140] °C, L in [0.01, 0.20], t in {{10, 20, 30, 40, 50}} min, \
         s in {{A, B, C}}\n\
         model: single-task GP (RBF, ARD) fitted to the scores; LogEI with best_f = max(score)\n\
         latent loops: LogEI maximised with 20 restarts from 256 raw samples; the repair-aware \
         loop tries up to {ATTEMPTS} maximisations, then up to {FALLBACK} Sobol points\n\
         mixed loop: GP on the encoded experiments (T, L, t normalised, s one-hot: 6 columns); \
         LogEI scored on every reachable experiment not yet run\n"
    )
}

fn design_cells(d: &Design) -> String {
    format!("{:>8.4} {:>7.4} {:>3} {}", d.temperature, d.loading, d.time, d.solvent)
}

fn initial() -> String {
    let rows = initial_table(SEED).expect("the pipeline runs");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "  #  latent (r_T, r_L, r_t, r_s)        decoded (T, L, t, s)       repaired               \
         score  flags"
    );
    for (i, (latent, e)) in rows.iter().enumerate() {
        let flags: Vec<String> =
            e.repaired.flags.iter().map(|f| f.name()).collect();
        let _ = writeln!(
            s,
            "  {i}  ({:.4}, {:.4}, {:.4}, {:.4})  {}  {:<20} {:>9.6}  {} [{}]",
            latent[0],
            latent[1],
            latent[2],
            latent[3],
            design_cells(&e.decoded),
            e.repaired.design.key().to_string(),
            e.score,
            e.repaired.flag_count(),
            flags.join(", ")
        );
    }
    let repaired = rows.iter().filter(|(_, e)| e.repaired.was_repaired()).count();
    let best = rows.iter().map(|(_, e)| e.score).fold(f64::NEG_INFINITY, f64::max);
    let distinct: std::collections::BTreeSet<_> =
        rows.iter().map(|(_, e)| e.repaired.design.key()).collect();
    let _ = writeln!(
        s,
        "fraction repaired: {}/{} = {:.2}; distinct experiments: {}; initial best: {best:.6}",
        repaired,
        rows.len(),
        repaired as f64 / rows.len() as f64,
        distinct.len()
    );
    s
}

fn reachable() -> String {
    let all = ranked(Pipeline::SnapInRepair).expect("the enumeration runs");
    let mut s = format!("reachable repaired experiments: {}\n", all.len());
    for solvent in Solvent::ALL {
        let keys: Vec<_> = all
            .iter()
            .map(|(d, _)| d.key())
            .filter(|k| k.solvent == solvent)
            .collect();
        let set =
            |f: &dyn Fn(&gradbo::test_functions::catalyst::DesignKey) -> i64| {
                let mut v: Vec<i64> = keys.iter().map(f).collect();
                v.sort();
                v.dedup();
                v
            };
        let loads = set(&|k| k.loading_hundredths);
        let _ = writeln!(
            s,
            "  {solvent}: {:>3} experiments; T {:?}; L 0.{:02}–0.{:02}; t {:?}",
            keys.len(),
            set(&|k| k.temperature),
            loads[0],
            loads[loads.len() - 1],
            set(&|k| k.time as i64)
        );
    }
    s.push_str("best five:\n");
    for (k, (d, v)) in all.iter().take(5).enumerate() {
        let _ = writeln!(s, "  {}. {:<20} {v:.6}", k + 1, d.key().to_string());
    }
    if let Some((d, v)) = all.iter().find(|(d, _)| d.solvent == Solvent::A) {
        let _ = writeln!(s, "best with solvent A: {} {v:.6}", d.key());
    }
    let (d, v) = &all[all.len() - 1];
    let _ = writeln!(s, "worst: {} {v:.6}", d.key());
    s
}

fn chapter_runs(r: &Results) -> String {
    let mut s = String::new();
    for run in &r.chapter {
        let i = run.best_index();
        let _ = writeln!(s, "{}:", label(run));
        let _ = writeln!(
            s,
            "  states {}, observations {}, best score {:.6}, gap to the optimum {:.6}",
            run.best.len(),
            run.scores.len(),
            run.scores[i],
            Catalyst::OPTIMAL_SCORE - run.scores[i]
        );
        match &run.latent[i] {
            Some(x) => {
                let e = PROBLEM.evaluate(x.view()).expect("a latent point");
                let flags: Vec<String> =
                    e.repaired.flags.iter().map(|f| f.name()).collect();
                let _ = writeln!(
                    s,
                    "  best experiment {} (latent ({:.4}, {:.4}, {:.4}, {:.4}) → decoded {} → \
                     {} flags: {})",
                    e.repaired.design.key(),
                    x[0],
                    x[1],
                    x[2],
                    x[3],
                    e.decoded,
                    e.repaired.flag_count(),
                    flags.join(", ")
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "  best experiment {} (chosen as an experiment)",
                    run.designs[i].key()
                );
            }
        }
        let _ = writeln!(
            s,
            "  distinct experiments among the {STEPS} accepted: {}; in all {} of {}",
            run.distinct_accepted().last().copied().unwrap_or(0),
            run.distinct(),
            run.scores.len()
        );
        if run.method == Method::RepairAware {
            let _ = writeln!(
                s,
                "  rejected proposals: {} (per step {:?}); Sobol fallbacks: {}",
                run.rejections.iter().sum::<usize>(),
                run.rejections,
                run.fallbacks
            );
        }
    }
    s
}

fn label(run: &Run) -> String {
    match run.method {
        Method::RepairAware => {
            format!("{} ({ATTEMPTS} attempts)", run.method.label())
        }
        m => m.label().to_string(),
    }
}

fn summary(r: &Results) -> String {
    let mut s = format!(
        "{:<32} {:>10}  {:<20} {:>9}\n",
        "method (seed 6)", "best", "experiment", "distinct"
    );
    for run in &r.chapter {
        let i = run.best_index();
        let _ = writeln!(
            s,
            "{:<32} {:>10.6}  {:<20} {:>9}",
            label(run),
            run.scores[i],
            run.designs[i].key().to_string(),
            run.distinct()
        );
    }
    let _ = writeln!(
        s,
        "{:<32} {:>10.6}  {:<20} {:>9}",
        "exhaustive (all 210)",
        Catalyst::OPTIMAL_SCORE,
        Catalyst::OPTIMUM.key().to_string(),
        210
    );
    s
}

/// Whether a run's best is the optimum.
pub fn found(run: &Run) -> bool {
    run.scores[run.best_index()] >= Catalyst::OPTIMAL_SCORE - 1e-9
}

/// The first step after which the run has the optimum (1-based), if it does.
pub fn step_found(run: &Run) -> Option<usize> {
    run.best.iter().position(|&b| b >= Catalyst::OPTIMAL_SCORE - 1e-9)
}

fn seeds(all: &[&Vec<Run>]) -> String {
    let mut s = format!(
        "{} seeds ({}–{}); the repair-aware loop with {SEED_ATTEMPTS} attempts per step\n",
        SEEDS.count(),
        SEEDS.start,
        SEEDS.end - 1
    );
    let _ = writeln!(
        s,
        "{:<26} {:>28} {:>20} {:>14} {:>16}",
        "method",
        "final best: median [q1, q3]",
        "distinct (median)",
        "found optimum",
        "at step (median)"
    );
    for runs in all {
        let finals: Vec<f64> = runs.iter().map(|r| r.best[STEPS]).collect();
        let distinct: Vec<f64> = runs.iter().map(|r| r.distinct() as f64).collect();
        let steps: Vec<f64> =
            runs.iter().filter_map(step_found).map(|k| k as f64).collect();
        let at = if steps.is_empty() {
            "–".to_string()
        } else {
            format!("{:.1}", quantile(&steps, 0.5))
        };
        let _ = writeln!(
            s,
            "{:<26} {:>10.3} [{:.3}, {:.3}] {:>20.1} {:>11}/{} {:>16}",
            runs[0].method.label(),
            quantile(&finals, 0.5),
            quantile(&finals, 0.25),
            quantile(&finals, 0.75),
            quantile(&distinct, 0.5),
            runs.iter().filter(|r| found(r)).count(),
            runs.len(),
            at
        );
    }
    s
}

fn answers(r: &Results) -> String {
    let mut s = String::from("Exercise 1 (snapping first):\n");
    for (name, p) in [
        ("snapping last (the chapter)", Pipeline::SnapInRepair),
        ("snapping first", Pipeline::SnapInDecoder),
    ] {
        let (n, with) = penalised(p);
        let all = Catalyst::new(p).reachable_designs();
        let temps = |sv: Solvent| -> Vec<i64> {
            let mut v: Vec<i64> = all
                .iter()
                .filter(|d| d.solvent == sv)
                .map(|d| d.key().temperature)
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let best = ranked(p).expect("the enumeration runs")[0];
        let _ = writeln!(
            s,
            "  {name}: {n} experiments, {with} with an edge penalty; B at {:?}, C at {:?}; \
             best {} {:.6}",
            temps(Solvent::B),
            temps(Solvent::C),
            best.0.key(),
            best.1
        );
    }
    let shares = shares();
    let share_of = |d: &Design| shares.get(&d.key()).copied().unwrap_or(0.0);
    let fourth = Design::new(130.0, 0.08, 40, Solvent::C);
    let (largest, largest_share) = shares
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(k, v)| (*k, *v))
        .unwrap_or((Catalyst::OPTIMUM.key(), 0.0));
    let _ = writeln!(
        s,
        "Exercise 2 (shares of the latent cube, {SHARE_POINTS} Sobol points):\n  optimum {}: \
         {:.5} (closed form {:.5}); {}: {:.5}; largest share: {} {:.5}; experiments reached \
         by the points: {}",
        Catalyst::OPTIMUM.key(),
        share_of(&Catalyst::OPTIMUM),
        optimum_share(),
        fourth.key(),
        share_of(&fourth),
        largest,
        largest_share,
        shares.len()
    );
    let one_hot = &r.seeds[2];
    let finals =
        |runs: &[Run]| -> Vec<f64> { runs.iter().map(|r| r.best[STEPS]).collect() };
    let _ = writeln!(
        s,
        "Exercise 3 (solvent as one number 0, 1, 2), {} seeds:\n  one-hot: final best median \
         {:.3}, optimum found in {}/{}; ordinal: median {:.3}, optimum found in {}/{}",
        one_hot.len(),
        quantile(&finals(one_hot), 0.5),
        one_hot.iter().filter(|r| found(r)).count(),
        one_hot.len(),
        quantile(&finals(&r.ordinal), 0.5),
        r.ordinal.iter().filter(|r| found(r)).count(),
        r.ordinal.len()
    );
    s
}
