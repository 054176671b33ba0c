//! The appendix's exercises, answered from the walk-through's final table.

use super::{experiment, Walk};
use gradbo::test_functions::catalyst::Catalyst;
use std::fmt::Write as _;

/// The answers, as the appendix prints them.
pub fn answers(walk: &Walk) -> String {
    let mut out = String::new();
    // 1. What every experiment that gave a result cost, by who ran it.
    let recorded: Vec<_> =
        walk.table.values().filter(|r| r.status == "recorded").collect();
    let (mut typed, mut typed_cost, mut simulated, mut simulated_cost) =
        (0, 0.0, 0, 0.0);
    for r in &recorded {
        let (_, _, cost) = experiment(r.temperature, r.loading, r.time, &r.solvent)
            .expect("a design that ran");
        match r.cost {
            Some(c) => {
                assert!(
                    (c - cost).abs() < 1e-9,
                    "{}: recorded cost {c}, formula {cost}",
                    r.id
                );
                typed += 1;
                typed_cost += c;
            }
            None => {
                simulated += 1;
                simulated_cost += cost;
            }
        }
    }
    let _ = writeln!(
        out,
        "1. Cost of the experiments with a result (chapter 21's formula)"
    );
    let _ = writeln!(
        out,
        "   recorded by hand with --cost: {typed} experiments, {typed_cost:.1}"
    );
    let _ = writeln!(out, "   recorded by run (no cost stored): {simulated} experiments, {simulated_cost:.1}");
    let _ = writeln!(
        out,
        "   all: {} experiments, {:.1}",
        typed + simulated,
        typed_cost + simulated_cost
    );
    // 2. The best result against the problem's optimum.
    // The first of the largest, as `status` reports it.
    let best = recorded
        .iter()
        .fold(None, |best: Option<&&super::Row>, r| match best {
            Some(b) if b.score >= r.score => Some(b),
            _ => Some(r),
        })
        .expect("a result");
    let (ran, score, _) =
        experiment(best.temperature, best.loading, best.time, &best.solvent)
            .expect("it ran");
    let value = best.score.expect("a score");
    assert!((score - value).abs() < 0.005);
    let _ = writeln!(out, "2. The best result against the optimum");
    let _ = writeln!(
        out,
        "   best: {} score {value:.2}, the experiment {ran}",
        best.id
    );
    let _ = writeln!(
        out,
        "   optimum: score {:.6} at {}; the gap: {:.2}",
        Catalyst::OPTIMAL_SCORE,
        Catalyst::OPTIMUM,
        Catalyst::OPTIMAL_SCORE - value
    );
    // How many different experiments the results ran, and the most frequent one.
    let mut runs: std::collections::BTreeMap<String, usize> =
        std::collections::BTreeMap::new();
    for r in &recorded {
        let (ran, _, _) = experiment(r.temperature, r.loading, r.time, &r.solvent)
            .expect("it ran");
        *runs.entry(ran.key().to_string()).or_default() += 1;
    }
    let (most, times) =
        runs.iter()
            .fold(("", 0), |b, (k, &n)| if n > b.1 { (k.as_str(), n) } else { b });
    let _ = writeln!(
        out,
        "   {} results ran {} different experiments; {most} ran {times} times",
        recorded.len(),
        runs.len()
    );
    // 3. The export imported back.
    let _ =
        writeln!(out, "3. The final export imported back into a copy of lab.db");
    let _ = write!(out, "   {}", walk.reimport);
    out
}
