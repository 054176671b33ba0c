//! The study's tables as plain text: the final regret of BoTorch's loops beside gradbo's
//! spend mode with their seconds per iteration, and the final regret of each of gradbo's
//! loops.

use super::{
    pairs, Runs, Study, BOTORCH, DEFAULT, METHODS, PARTS, PROBLEMS, SAME, SPEND,
    TURBO,
};
use crate::appendix::sig3;
use gradbo_listings::ch17::evidence::quantile;
use std::fmt::Write as _;

/// What a table shows where a loop has no complete run.
const NONE: &str = "—";

/// `v` to two decimals, without a minus sign on a value that rounds to zero.
fn two(v: f64) -> String {
    let v = if (v * 100.0).round() == 0.0 { 0.0 } else { v };
    format!("{v:.2}")
}

/// Median [min, max] of the final log₁₀ regret, or a dash.
fn spread(study: &Study, p: usize, m: usize) -> String {
    match study.get(p, m).and_then(|r| r.final_spread()) {
        Some((med, lo, hi)) => format!("{} [{}, {}]", two(med), two(lo), two(hi)),
        None => NONE.into(),
    }
}

/// The median seconds per iteration to three digits, or a dash.
fn seconds(study: &Study, p: usize, m: usize) -> String {
    study.get(p, m).and_then(|r| r.median_seconds()).map_or(NONE.into(), sig3)
}

/// BoTorch's loops beside gradbo's spend mode: the final regret over seeds, the
/// difference of the medians and the seeds paired, then the seconds per iteration.
pub fn evidence(study: &Study) -> String {
    let mut out = format!(
        "Log₁₀ regret of the best after the last evaluation: the median [least, greatest] over\n\
         the seeds run to the end. Beside each of BoTorch's loops, gradbo spend's median minus\n\
         that loop's (in decades; below zero, spend ends lower), and the seeds both ran, paired\n\
         by seed: on how many spend ends lower by more than {SAME}, higher, or within {SAME}.\n\n"
    );
    let _ = writeln!(
        out,
        "{:<13}  {:<15}  {:>5}  {:<22}  {:>12}  lower/higher/same",
        "problem", "loop", "seeds", "median [min, max]", "spend − loop"
    );
    for (p, problem) in PROBLEMS.iter().enumerate() {
        let spend = study.get(p, SPEND);
        let mut first = true;
        for m in [BOTORCH, TURBO, SPEND] {
            let runs = study.get(p, m);
            // TuRBO ran only on some problems: no row where it did not.
            if m == TURBO && runs.is_none() {
                continue;
            }
            let seeds = runs.map_or(0, |r| r.seeds.len());
            let (diff, paired) = match (spend, runs) {
                (Some(s), Some(r)) if m != SPEND => {
                    let med = |r: &super::Runs| r.final_spread().map(|f| f.0);
                    let diff = med(s).zip(med(r)).map(|(a, b)| a - b);
                    let pr = pairs(s, r);
                    (
                        diff.map_or(NONE.into(), |d| {
                            let d = two(d);
                            if d.starts_with('-') || d == "0.00" {
                                d
                            } else {
                                format!("+{d}")
                            }
                        }),
                        format!("{} / {} / {}", pr.lower, pr.higher, pr.same),
                    )
                }
                _ if m != SPEND => (NONE.into(), NONE.into()),
                _ => (String::new(), String::new()),
            };
            let _ = writeln!(
                out,
                "{:<13}  {:<15}  {:>5}  {:<22}  {:>12}  {}",
                if first { problem.key } else { "" },
                METHODS[m].name,
                seeds,
                spread(study, p, m),
                diff,
                paired
            );
            trim_end(&mut out);
            first = false;
        }
    }
    let _ = writeln!(
        out,
        "\nSeconds per iteration: the median over every iteration after the initial design,\n\
         of every seed run to the end; BoTorch's default loop from the runs that timed it.\n"
    );
    let _ = writeln!(
        out,
        "{:<13}  {:>15}  {:>13}  {:>14}  {:>12}  {:>15}",
        "problem",
        METHODS[BOTORCH].name,
        METHODS[TURBO].name,
        METHODS[DEFAULT].name,
        METHODS[SPEND].name,
        "BoTorch ÷ spend"
    );
    for (p, problem) in PROBLEMS.iter().enumerate() {
        let secs = |m| study.get(p, m).and_then(|r| r.median_seconds());
        let ratio = study
            .botorch_seconds(p)
            .zip(secs(SPEND))
            .map_or(NONE.into(), |(b, s)| sig3(b / s));
        let _ = writeln!(
            out,
            "{:<13}  {:>15}  {:>13}  {:>14}  {:>12}  {:>15}",
            problem.key,
            study.botorch_seconds(p).map_or(NONE.into(), sig3),
            seconds(study, p, TURBO),
            seconds(study, p, DEFAULT),
            seconds(study, p, SPEND),
            ratio
        );
    }
    out
}

/// The median final regret of each of gradbo's loops, with the number of seeds.
pub fn parts(study: &Study) -> String {
    let mut out = String::from(
        "Log₁₀ regret of the best after the last evaluation, for each of gradbo's loops: the\n\
         median over the seeds run to the end (how many, in brackets).\n\n",
    );
    let _ = write!(out, "{:<13}", "problem");
    for m in PARTS {
        let name = METHODS[m].name.trim_start_matches("gradbo ");
        let _ = write!(out, "  {name:>10}");
    }
    out.push('\n');
    for (p, problem) in PROBLEMS.iter().enumerate() {
        let _ = write!(out, "{:<13}", problem.key);
        for m in PARTS {
            let cell = study.get(p, m).and_then(|r| {
                Some(format!("{} ({})", two(r.final_spread()?.0), r.seeds.len()))
            });
            let _ = write!(out, "  {:>10}", cell.as_deref().unwrap_or(NONE));
        }
        out.push('\n');
    }
    out
}

/// Drops the spaces a row's empty last cells leave before its newline.
fn trim_end(out: &mut String) {
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push('\n');
}

/// Hartmann-6 in 30-D after `evaluations`: BoTorch's SAAS loop (`saas`, run that far) beside
/// gradbo's spend mode and BoTorch's other loops at the same point of their runs.
pub fn at_evaluation(
    study: &Study,
    saas: Option<&Runs>,
    evaluations: usize,
) -> String {
    let p = PROBLEMS.len() - 1;
    let mut out = format!(
        "Hartmann-6 in 30-D, log₁₀ regret of the best after {evaluations} evaluations: the\n\
         median [least, greatest] over the seeds.\n\n"
    );
    let mut row = |name: &str, runs: Option<&Runs>| {
        let cell = runs.and_then(|r| {
            let v: Vec<f64> = r
                .seeds
                .iter()
                .filter_map(|s| s.regret.get(evaluations - 1).copied())
                .collect();
            (!v.is_empty()).then(|| {
                format!(
                    "{:>2} {:<5}  {} [{}, {}]",
                    v.len(),
                    if v.len() == 1 { "seed" } else { "seeds" },
                    two(quantile(&v, 0.5)),
                    two(quantile(&v, 0.0)),
                    two(quantile(&v, 1.0))
                )
            })
        });
        let _ = writeln!(out, "{name:<30}{}", cell.as_deref().unwrap_or(NONE));
    };
    row("BoTorch SAAS, batches of 5", saas);
    for m in [BOTORCH, TURBO, SPEND] {
        row(METHODS[m].name, study.get(p, m));
    }
    out
}
