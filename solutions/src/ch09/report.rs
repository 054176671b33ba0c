//! Chapter 9's worked output: the sections of text the chapter includes.

use super::exercises::answers;
use super::{finals, median, BUDGET_SIGMAS, ESCAPE_SIGMAS};
use crate::report::Report;
use gradbo_listings::ch09::landscape::{self, CENTRAL_STARTS};
use gradbo_listings::ch09::noise::{self, Outcome};
use std::fmt::Write as _;

pub(super) fn report() -> String {
    let mut r = Report::new();
    let mut points = String::from("kind       x₁        x₂        f\n");
    for (x, value, kind) in landscape::stationary_points() {
        let _ = writeln!(
            points,
            "{:<8} {:>+8.5} {:>+8.5} {value:>+10.5}",
            format!("{kind:?}"),
            x[0],
            x[1]
        );
    }
    r.section("stationary", points);
    let mut starts = String::new();
    for (s, (end, value)) in CENTRAL_STARTS
        .iter()
        .zip(landscape::endpoints(&CENTRAL_STARTS).expect("valid"))
    {
        let which = if (value + 3.30625).abs() < 1e-3 { "global" } else { "local" };
        let _ = writeln!(
            starts,
            "({:+.1}, {:+.1}) → ({:+.4}, {:+.4})  f = {value:.5}  {which}",
            s[0], s[1], end[0], end[1]
        );
    }
    r.section("starts", starts);
    let mut restarts = String::new();
    for (level, n) in noise::restart_counts(0).expect("valid") {
        let _ = writeln!(restarts, "f = {level:>7}: {n:>4} of 1000 restarts");
    }
    r.section("restarts", restarts);
    let mut escape = String::from("   σ    better   worse   other\n");
    for sigma in ESCAPE_SIGMAS {
        let outcomes: Vec<Outcome> = finals([0.05, 0.05], sigma, 100, 0)
            .into_iter()
            .map(noise::outcome)
            .collect();
        let count = |o: Outcome| outcomes.iter().filter(|&&x| x == o).count();
        let _ = writeln!(
            escape,
            "{sigma:>4}   {:>6}   {:>5}   {:>5}",
            count(Outcome::Better),
            count(Outcome::Worse),
            count(Outcome::Other)
        );
    }
    r.section("escape", escape);
    let mut inside = String::from(
        "   σ    mean final f   std      (60 steps from (1.8, −1.7), 100 runs)\n",
    );
    for sigma in BUDGET_SIGMAS {
        let (mean, std) = noise::mean_std(&finals([1.8, -1.7], sigma, 60, 1));
        let _ = writeln!(inside, "{sigma:>4}   {mean:>11.5}   {std:.5}");
    }
    r.section("inside", inside);
    let mut budget =
        String::from("   σ    mean final f   std     median     worst    better\n");
    for sigma in BUDGET_SIGMAS {
        let values = finals([0.05, 0.05], sigma, 60, 2);
        let (mean, std) = noise::mean_std(&values);
        let better = values
            .iter()
            .filter(|&&v| noise::outcome(v) == Outcome::Better)
            .count();
        let worst = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let _ = writeln!(
            budget,
            "{sigma:>4}   {mean:>11.5}   {std:.4}   {:>8.5}   {worst:>7.4}   {better:>6}",
            median(&values)
        );
    }
    r.section("budget", budget);
    r.section("floor", floor_table());
    r.section("evaluations", evaluation_counts());
    r.section("solvers", solver_table());
    r.section("answers", answers());
    r.finish()
}

fn solver_table() -> String {
    use gradbo_listings::ch09::solvers;
    let mut out = String::new();
    let problems = solvers::problems().expect("valid problems");
    for solvers::Problem { name, f, x0, x_star, methods, parameters } in problems {
        let _ = writeln!(
            out,
            "{name} — hand-built methods {parameters}\n  \
             method                                 iters    f only   f and ∇f   ‖x − x*‖      f"
        );
        let mut rows: Vec<solvers::Row> = methods
            .into_iter()
            .map(|m| {
                solvers::hand_built(f.as_ref(), m, &x0, &x_star, 50_000)
                    .expect("valid")
            })
            .collect();
        rows.extend(solvers::library(f.as_ref(), &x0, &x_star).expect("valid"));
        for row in rows {
            let method = &row.method;
            let _ = writeln!(
                out,
                "  {method:<36} {:>6}   {:>7}   {:>8}   {:>8.1e}   {:>+9.5}",
                row.iterations,
                row.cost_evaluations,
                row.gradient_evaluations,
                row.error,
                row.value
            );
        }
    }
    out
}

/// The noise floor on diag(10, 1), predicted and measured, for the chapter's step and for a
/// quarter of it.
fn floor_table() -> String {
    let mut out = String::from(
        "diag(10, 1): floor predicted | measured (40 runs, steps 400–1399)\n\
         \x20   η      σ     mean f              rms ‖x‖             rms ‖∇f‖\n",
    );
    for (lr, sigma) in [(0.05, 0.2), (0.05, 0.5), (0.05, 1.0), (0.0125, 1.0)] {
        let p = noise::predicted_floor(&[10.0, 1.0], lr, sigma);
        let m = noise::measured_floor(lr, sigma, 40, 400, 1400).expect("valid");
        let _ = write!(out, "{lr:>6}  {sigma:>4}");
        for k in 0..3 {
            let _ = write!(out, "   {:.4} | {:.4}", p[k], m[k]);
        }
        out.push('\n');
    }
    out
}

/// How many evaluations of f and ∇f the chapter's experiments make: one per step of each
/// run. Returns (name, runs, steps per run).
pub fn experiment_sizes() -> Vec<(&'static str, usize, usize)> {
    vec![
        ("restart study", 1000, 100),
        ("noise escaping a basin", ESCAPE_SIGMAS.len() * 100, 100),
        ("noise inside a basin", BUDGET_SIGMAS.len() * 100, 60),
        ("fixed budget", BUDGET_SIGMAS.len() * 100, 60),
    ]
}

fn evaluation_counts() -> String {
    let mut out =
        String::from("evaluations of f and ∇f, one per step of each run\n");
    for (name, runs, steps) in experiment_sizes() {
        let _ = writeln!(
            out,
            "{name:<24} {runs:>5} runs × {steps:>3} steps = {:>7}",
            runs * steps
        );
    }
    out
}
