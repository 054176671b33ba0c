//! The worked output of chapter 19: the tape's gradient, the first run, the batch sizes,
//! the within-batch geometry, the strategies, the PyTorch course's selector, the rules' check, the
//! generated readings and the exercises' answers.

use super::{
    best_after, best_within, course_selectors, geometry_of, quartiles, reading,
    strategies, Results, Q_SIZES, SEEDS,
};
use crate::report::Report;
use gradbo::acquisition::{
    AcquisitionFunction, Direction, MonteCarlo, MonteCarloKind, MonteCarloOptions,
};
use gradbo_listings::ch19::batch_loop::{self, Run, N_INIT, RADIUS, ROUNDS};
use gradbo_listings::ch19::tape_gradient::{
    by_differences, on_the_tape, q_ei_by_hand, setting, Q, SAMPLES,
};
use ndarray::{Array1, Axis};
use std::fmt::Write as _;

/// The whole worked output.
pub fn report(r: &Results) -> String {
    let mut rep = Report::new();
    rep.section("tape", tape());
    rep.section("first-run", first_run(r.first()));
    rep.section("batch-sizes", batch_sizes(r));
    rep.section("batch-sizes-reading", reading::batch_sizes(r));
    rep.section("spread", spread(r));
    rep.section("strategies", strategy_table(r));
    rep.section("strategies-reading", reading::strategies(r));
    rep.section("selector", selector(r));
    rep.section("enforcement", enforcement(r));
    let reference: Vec<(String, Vec<Run>)> = strategies()
        .iter()
        .zip(&r.by_strategy)
        .take(3)
        .map(|(s, runs)| (batch_loop::name(*s), runs.clone()))
        .collect();
    rep.section("exercises", super::exercises::report(&r.exercises, &reference));
    rep.section(
        "exercises-reading",
        super::exercises::reading(
            &r.exercises,
            &r.by_strategy[1],
            &r.by_strategy[2],
        ),
    );
    rep.finish()
}

fn tape() -> String {
    let (model, best, batch) = setting().expect("the demonstration's model fits");
    let options = MonteCarloOptions {
        samples: SAMPLES,
        seed: 0,
        ..MonteCarloOptions::default()
    };
    let q_ei = MonteCarlo::new(
        &model,
        MonteCarloKind::ExpectedImprovement { best },
        Direction::Minimise,
        Q,
        &options,
    )
    .expect("qEI builds");
    let flat: Array1<f64> = batch.iter().copied().collect();
    let library =
        q_ei.values(flat.insert_axis(Axis(0)).view()).expect("qEI evaluates")[0];
    let hand = q_ei_by_hand(&model, best, &batch, &q_ei.base_samples().to_owned())
        .expect("qEI by hand");
    let q_log_ei = MonteCarlo::new(
        &model,
        MonteCarloKind::LogExpectedImprovement { best },
        Direction::Minimise,
        Q,
        &options,
    )
    .expect("qLogEI builds");
    let (value, g) = on_the_tape(&q_log_ei, &batch).expect("the tape runs");
    let fd = by_differences(&q_log_ei, &batch, 1e-5).expect("differences");
    let mut s = String::new();
    let _ = writeln!(s, "best observed value ξ = {best:.4}; batch of q = {Q} points, {SAMPLES} base samples");
    let _ = writeln!(
        s,
        "qEI by hand (y = μ + L z, mean of the best improvement): {hand:.6}"
    );
    let _ = writeln!(
        s,
        "qEI by the library:                                  {library:.6}"
    );
    let _ = writeln!(s, "qLogEI: {value:.6}\n");
    let _ = writeln!(
        s,
        "point  variable   ∂qLogEI/∂x (tape)   central difference (h = 1e-5)"
    );
    let mut worst: f64 = 0.0;
    for ((i, j), v) in g.indexed_iter() {
        let d = fd[[i, j]];
        worst = worst.max((v - d).abs() / v.abs().max(1e-3));
        let _ = writeln!(s, "{:>5}  x{:<8} {v:>+18.8}   {d:>+18.8}", i + 1, j + 1);
    }
    let _ = writeln!(s, "\nlargest relative difference: {worst:.1e}");
    s
}

fn first_run(run: &Run) -> String {
    let mut s = String::new();
    let design_best = best_after(run, 0);
    let _ = writeln!(
        s,
        "initial design: {} Sobol points, best R = {design_best:.2}",
        N_INIT
    );
    let _ = writeln!(s, "round  evaluations  best so far   qLogEI of the batch   mean / smallest / largest distance");
    for k in 1..=ROUNDS {
        let g = geometry_of(run, k);
        let _ = writeln!(
            s,
            "{k:>5}  {:>11}  {:>11.2}   {:>19.3}   {:.2} / {:.2} / {:.2}",
            N_INIT + k * run.q,
            best_after(run, k),
            run.rounds[k - 1].acquisition_value,
            g[0],
            g[1],
            g[2]
        );
    }
    let last = &run.rounds[ROUNDS - 1].batch;
    let _ = writeln!(
        s,
        "\nstates recorded: {} (the design and {ROUNDS} rounds); observations: {}; last batch: {:?}",
        run.best_by_round().len(),
        run.inputs().nrows(),
        last.dim()
    );
    let _ = writeln!(
        s,
        "final best R = {:.2} (R* = 0 at c = (-1.5, -0.5, 0.5, 1.5))",
        best_after(run, ROUNDS)
    );
    let _ = writeln!(s, "last batch:");
    for row in last.rows() {
        let v: Vec<String> = row.iter().map(|x| format!("{x:+.3}")).collect();
        let _ = writeln!(s, "  ({})", v.join(", "));
    }
    s
}

fn med(v: &[f64]) -> String {
    let q = quartiles(v);
    format!("{:.1} [{:.1}, {:.1}]", q[0], q[1], q[2])
}

fn batch_sizes(r: &Results) -> String {
    let budget = reading::common_budget();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "joint qLogEI (q = 1: analytic LogEI), {} seeds, median [quartiles] of the best R so far",
        SEEDS.len()
    );
    let _ = writeln!(
        s,
        "q  evaluations  {:<22} {:<22} {:<22} within {budget} evaluations",
        "after round 2", "after round 4", "after round 8"
    );
    for (runs, q) in r.by_q.iter().zip(&Q_SIZES) {
        let at = |k| runs.iter().map(|run| best_after(run, k)).collect::<Vec<_>>();
        let within: Vec<f64> =
            runs.iter().map(|run| best_within(run, budget)).collect();
        let _ = writeln!(
            s,
            "{q}  {:>11}  {:<22} {:<22} {:<22} {}",
            N_INIT + ROUNDS * q,
            med(&at(2)),
            med(&at(4)),
            med(&at(8)),
            med(&within)
        );
    }
    s
}

/// Quartiles of one geometry measure over every round of every run.
fn pooled(runs: &[Run], which: usize) -> [f64; 3] {
    let v: Vec<f64> = runs
        .iter()
        .flat_map(|run| (1..=ROUNDS).map(move |k| geometry_of(run, k)[which]))
        .collect();
    quartiles(&v)
}

fn spread(r: &Results) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "pairwise distances within a batch, over every round of {} seeds: median [quartiles]", SEEDS.len());
    let _ = writeln!(s, "q  {:<22} {:<22} largest", "mean", "smallest");
    for (runs, q) in r.by_q.iter().zip(&Q_SIZES) {
        let f = |w| {
            let p = pooled(runs, w);
            format!("{:.2} [{:.2}, {:.2}]", p[0], p[1], p[2])
        };
        let _ = writeln!(s, "{q}  {:<22} {:<22} {}", f(0), f(1), f(2));
    }
    s
}

fn strategy_table(r: &Results) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "q = 4, {} seeds, median [quartiles]", SEEDS.len());
    let _ = writeln!(
        s,
        "{:<38} {:<24} {:<20} {:<20} fallback slots",
        "strategy", "best R after 8 rounds", "mean distance", "smallest distance"
    );
    for (strategy, runs) in strategies().iter().zip(&r.by_strategy) {
        let finals: Vec<f64> =
            runs.iter().map(|run| best_after(run, ROUNDS)).collect();
        let p = |w| {
            let p = pooled(runs, w);
            format!("{:.2} [{:.2}, {:.2}]", p[0], p[1], p[2])
        };
        let fallback: usize =
            runs.iter().flat_map(|run| run.rounds.iter().map(|x| x.fallback)).sum();
        let slots = runs.len() * ROUNDS * 4;
        let _ = writeln!(
            s,
            "{:<38} {:<24} {:<20} {:<20} {fallback} of {slots}",
            batch_loop::name(*strategy),
            med(&finals),
            p(0),
            p(1)
        );
    }
    s
}

fn selector(r: &Results) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "seed 7, q = 4, r = {RADIUS}: slots per round filled by the Sobol fallback (refused candidates)");
    let rows: Vec<(String, &Run)> = course_selectors()
        .iter()
        .zip(&r.course)
        .map(|(st, run)| (batch_loop::name(*st), run))
        .chain(
            strategies()
                .iter()
                .zip(&r.by_strategy)
                .skip(2)
                .map(|(st, runs)| (batch_loop::name(*st), &runs[0])),
        )
        .collect();
    let _ = writeln!(
        s,
        "{:<46} {:<36} total   best R after 8 rounds",
        "selector", "rounds 1–8"
    );
    for (name, run) in rows {
        let per: Vec<String> = run
            .rounds
            .iter()
            .map(|x| format!("{} ({})", x.fallback, x.refused))
            .collect();
        let total: usize = run.rounds.iter().map(|x| x.fallback).sum();
        let _ = writeln!(
            s,
            "{name:<46} {:<36} {total:>2} of {:<3} {:.2}",
            per.join(" "),
            ROUNDS * run.q,
            best_after(run, ROUNDS)
        );
    }
    s
}

fn enforcement(r: &Results) -> String {
    let s = &r.by_strategy;
    let extreme = |runs: &[Run], which: usize, smallest: bool| {
        runs.iter()
            .flat_map(|run| (1..=ROUNDS).map(move |k| geometry_of(run, k)[which]))
            .fold(
                if smallest { f64::INFINITY } else { f64::NEG_INFINITY },
                |a, b| {
                    if smallest {
                        a.min(b)
                    } else {
                        a.max(b)
                    }
                },
            )
    };
    let mut out = String::new();
    let _ =
        writeln!(out, "over every batch of {} seeds (r = {RADIUS}):", SEEDS.len());
    let _ = writeln!(
        out,
        "  joint qLogEI, smallest distance in any batch:        {:.3}",
        extreme(&s[0], 1, true)
    );
    let _ = writeln!(out, "  exclusion, smallest distance in any batch:           {:.3}  (must be ≥ {RADIUS})", extreme(&s[2], 1, true));
    let _ = writeln!(out, "  inclusion, largest distance in any batch:            {:.3}  (must be ≤ {RADIUS})", extreme(&s[3], 2, false));
    let _ = writeln!(out, "  inclusion, smallest distance in any batch:           {:.3}  (must be ≥ 0.001)", extreme(&s[3], 1, true));
    out
}
