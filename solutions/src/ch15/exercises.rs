//! Answers to chapter 15's exercises: β and UCB's pick, PI with a margin, and the temperature
//! η of the Boltzmann starts across seeds.

use super::compute::{basin_name, Run};
use crate::report::Report;
use gradbo::acquisition::{Acquisition, AcquisitionFunction, Analytic};
use gradbo::bo::AcquisitionChoice;
use gradbo::numeric::{column, linspace};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::sampling::draw_sobol_samples;
use gradbo_listings::ch15::acquisitions::{
    acqf_options, acquisition, bounds, propose, SEED,
};
use gradbo_listings::ch15::problem::DIRECTION;
use std::fmt::Write as _;

/// BoTorch's β values of exercise 1.
pub const BETAS: [f64; 7] = [0.0, 0.25, 1.0, 2.0, 4.0, 9.0, 25.0];
/// PI margins of exercise 2.
pub const XIS: [f64; 5] = [0.0, 0.01, 0.05, 0.1, 0.2];
/// Temperatures and restart counts of exercise 3, over this many seeds.
pub const ETAS: [f64; 3] = [0.0, 1.0, 10.0];
pub const RESTARTS: [usize; 2] = [10, 2];
pub const ETA_SEEDS: u64 = 50;

pub fn answers(r: &mut Report, run: &Run) {
    r.section("answer-beta", beta(run));
    r.section("answer-xi", xi(run));
    let (table, reading) = eta(run);
    r.section("answer-eta", table);
    r.section("answer-eta-reading", reading);
}

fn beta(run: &Run) -> String {
    let b = bounds().expect("a box");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:>6} {:>10} {:>9} {:>9}  basin",
        "β", "multiplier", "x", "f(x)"
    );
    for beta in BETAS {
        let choice = AcquisitionChoice::UpperConfidenceBound { beta };
        let found = propose(&run.model, choice, run.best, &b, &acqf_options(SEED))
            .expect("found");
        let x = found.x[0];
        let _ = writeln!(
            s,
            "{beta:>6} {:>10.4} {x:>+9.4} {:>+9.4}  {}",
            beta.sqrt(),
            run.f.eval(x),
            basin_name(&run.f, &run.ridges, x)
        );
    }
    s
}

fn xi(run: &Run) -> String {
    let b = bounds().expect("a box");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "PI(x) = P(f(x) < f* − ξ), f* = {:.5}: the incumbent lowered by ξ",
        run.best
    );
    let _ = writeln!(s, "{:>6} {:>9} {:>9} {:>9}  basin", "ξ", "x", "PI", "f(x)");
    for xi in XIS {
        // Minimising: an improvement by at least ξ means f < f* − ξ.
        let kind = Acquisition::ProbabilityOfImprovement { best: run.best - xi };
        let a = Analytic::new(&run.model, kind, DIRECTION).expect("PI");
        let found = optimize_acqf(&a, &b, &acqf_options(SEED)).expect("found");
        let x = found.x[0];
        let _ = writeln!(
            s,
            "{xi:>6} {x:>+9.4} {:>9.4} {:>+9.4}  {}",
            found.value,
            run.f.eval(x),
            basin_name(&run.f, &run.ridges, x)
        );
    }
    s
}

/// One row of exercise 3: restarts, η, seeds that found the maximum, mean distinct ends, and
/// each miss's end and best raw point.
struct EtaRow {
    restarts: usize,
    found: u64,
    ends: f64,
    misses: Vec<(f64, f64)>,
}

fn eta(run: &Run) -> (String, String) {
    let mut rows: Vec<EtaRow> = Vec::new();
    let b = bounds().expect("a box");
    let a = acquisition(
        &run.model,
        AcquisitionChoice::LogExpectedImprovement,
        run.best,
    )
    .expect("LogEI");
    let fine = column(&linspace(-3.0, 3.0, 6001));
    let top = a
        .values(fine.view())
        .expect("values")
        .fold(f64::NEG_INFINITY, |m, v| m.max(*v));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "LogEI on the chapter's posterior; its maximum on a 6001-point grid is {top:.6}"
    );
    let _ = writeln!(
        s,
        "{ETA_SEEDS} seeds each; 'found' = within 1e-6 of that maximum; 'ends' = mean number of \
         distinct end points (to 1e-3)"
    );
    let _ =
        writeln!(s, "{:>8} {:>5} {:>7} {:>6}", "restarts", "η", "found", "ends");
    for restarts in RESTARTS {
        for eta in ETAS {
            let (mut found, mut ends) = (0, 0usize);
            let mut misses: Vec<(f64, f64)> = Vec::new();
            for seed in 0..ETA_SEEDS {
                let options = AcqfOptions { restarts, eta, ..acqf_options(seed) };
                let o = optimize_acqf(&a, &b, &options).expect("found");
                if o.value >= top - 1e-6 * top.abs().max(1.0) {
                    found += 1;
                } else {
                    // Where the best of the raw points lay, which is always one of the starts.
                    let raw = draw_sobol_samples(&b, options.raw_samples, seed)
                        .expect("Sobol");
                    let v = a.values(raw.view()).expect("values");
                    let i = (0..v.len())
                        .fold(0, |k, j| if v[j] > v[k] { j } else { k });
                    misses.push((o.x[0], raw[[i, 0]]));
                }
                let mut distinct: Vec<f64> = Vec::new();
                for r in &o.runs {
                    if let Ok((x, _, _)) = &r.end {
                        if !distinct.iter().any(|d| (d - x[0]).abs() < 1e-3) {
                            distinct.push(x[0]);
                        }
                    }
                }
                ends += distinct.len();
            }
            let mut line = format!(
                "{restarts:>8} {eta:>5} {:>4}/{ETA_SEEDS} {:>6.2}",
                found,
                ends as f64 / ETA_SEEDS as f64
            );
            if !misses.is_empty() {
                let range = |k: usize| {
                    let v = misses.iter().map(|m| if k == 0 { m.0 } else { m.1 });
                    let lo = v.clone().fold(f64::INFINITY, f64::min);
                    (lo, v.fold(f64::NEG_INFINITY, f64::max))
                };
                let (ends, raws) = (range(0), range(1));
                let _ = write!(
                    line,
                    "  misses end in [{:+.3}, {:+.3}]; their best raw points lie in [{:+.3}, {:+.3}]",
                    ends.0, ends.1, raws.0, raws.1
                );
            }
            let _ = writeln!(s, "{line}");
            rows.push(EtaRow {
                restarts,
                found,
                ends: ends as f64 / ETA_SEEDS as f64,
                misses,
            });
        }
    }
    (s, eta_reading(&rows))
}

/// Exercise 3's answer in words, from its table.
fn eta_reading(rows: &[EtaRow]) -> String {
    let n = ETA_SEEDS;
    let mut t = String::new();
    for (k, restarts) in RESTARTS.iter().enumerate() {
        let these: Vec<&EtaRow> =
            rows.iter().filter(|r| r.restarts == *restarts).collect();
        let same = these.windows(2).all(|w| w[0].found == w[1].found);
        let found = these.first().map_or(0, |r| r.found);
        let lead = if k == 0 { "With" } else { " With" };
        if same && found == n {
            let _ = write!(t, "{lead} {restarts} restarts every $\\eta$ finds the maximum for all {n} seeds");
        } else if same {
            let _ = write!(
                t,
                "{lead} {restarts} restarts, {found} of {n} for every $\\eta$"
            );
        } else {
            let list: Vec<String> =
                these.iter().map(|r| format!("{}", r.found)).collect();
            let _ = write!(
                t,
                "{lead} {restarts} restarts the maximum is found for {} of {n} seeds as $\\eta$ grows",
                list.join(", ")
            );
        }
        let fewer = these.windows(2).all(|w| w[1].ends < w[0].ends);
        if same && found == n && fewer {
            t.push_str("; a larger $\\eta$ crowds the starts, and they end at fewer distinct maxima.");
        } else if same && found < n {
            t.push_str(
                ": $\\eta$ does not matter, because one of the starts is always the best raw point, \
                 and here it decides.",
            );
        } else if !same {
            t.push_str(": here $\\eta$ does matter.");
        } else {
            t.push('.');
        }
        let misses: Vec<(f64, f64)> =
            these.first().map(|r| r.misses.clone()).unwrap_or_default();
        let right = |x: f64| (x - 1.7171).abs() < 0.3;
        if same
            && !misses.is_empty()
            && misses.iter().all(|m| right(m.0) && right(m.1))
        {
            let _ = write!(
                t,
                " The {} misses are the seeds whose best raw point lay on the right-hand peak \
                 near 1.7, whose LogEI is only a little lower; the run from there climbs that peak.",
                misses.len()
            );
        }
    }
    t
}
