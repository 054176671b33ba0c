//! Chapter 10's worked output: the sections of text the chapter includes.

use super::exercises::answers;
use super::{fit, grid, guided_run, list, next_with, reached_at, BUDGET};
use crate::report::Report;
use gradbo::surrogate::Polynomial;
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch10::blackbox::{self, BlackBox, BUDGETS};
use gradbo_listings::ch10::guided::{self, RULE};
use gradbo_listings::ch10::polynomial::{self, linspace};
use std::fmt::Write as _;

/// Scientific notation with three decimals and a signed two-digit exponent: 7.261e-02.
fn sci(v: f64) -> String {
    let text = format!("{v:.3e}");
    let (mantissa, exponent) = text.split_once('e').expect("{:e} has an exponent");
    let e: i32 = exponent.parse().expect("an integer exponent");
    format!("{mantissa}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// Every interior local minimum of f on [−3, 3], found by the bracketing and golden-section
/// search that chapter 13 uses for its harder objective.
pub(super) fn local_minima() -> Vec<(f64, f64)> {
    gradbo_listings::ch13::bo_loop::local_minima(f, -3.0, 3.0)
}

pub(super) fn report() -> String {
    let mut r = Report::new();
    let (x_star, f_star) = blackbox::true_minimum();
    let mut truth = String::from("local minima of f on [−3, 3]:\n");
    for (x, y) in local_minima() {
        let kind = if (x - x_star).abs() < 1e-6 { "  (global)" } else { "" };
        let _ = writeln!(truth, "  f({x:+.5}) = {y:+.6}{kind}");
    }
    let _ = write!(
        truth,
        "at the ends: f(−3) = {:+.4}, f(3) = {:+.4}",
        f(-3.0),
        f(3.0)
    );
    r.section("truth", truth);

    let mut cost = String::from(
        "budget n   cost (units)   best f on linspace(−3, 3, n)   gap to the minimum\n",
    );
    for n in [5, 10, 20, 50, 100, 300] {
        let mut bb = BlackBox::new();
        let (_, best) = blackbox::best_observed(&mut bb, n);
        let _ = writeln!(
            cost,
            "{n:>8}   {:>12}   {best:>28.4}   {:>18.4}",
            bb.cost(),
            best - f_star
        );
    }
    r.section("cost", cost);

    let mut budget = String::from("   n   best x     best f\n");
    let mut bb = BlackBox::new();
    for n in BUDGETS {
        let (x, y) = blackbox::best_observed(&mut bb, n);
        let _ = writeln!(budget, "{n:>4}   {x:>+7.4}   {y:>+8.4}");
    }
    r.section("budget", budget);

    let mut every =
        String::from("best f on linspace(−3, 3, n) for every n from 2 to 30:\n");
    for row in (2..=30).collect::<Vec<usize>>().chunks(6) {
        let cells: Vec<String> = row
            .iter()
            .map(|&n| {
                format!("n = {n:>2}: {:+.4}", blackbox::best_observed(&mut bb, n).1)
            })
            .collect();
        let _ = writeln!(every, "  {}", cells.join("   "));
    }
    r.section("budget-every", every);

    let mut cond = String::from(
        "points   degree   κ(V)        κ(V scaled)   rank of scaled V / coefficients\n",
    );
    let cases =
        (1..=10).map(|d| (12, d)).chain([(30, 15), (30, 20), (30, 25), (5, 5)]);
    for (n, degree) in cases {
        let (raw, scaled, rank) =
            polynomial::conditioning(&linspace(-3.0, 3.0, n), degree)
                .expect("valid");
        // Five points and six coefficients: κ over the five nonzero singular values.
        let _ = writeln!(
            cond,
            "{n:>6}   {degree:>6}   {:>9}   {:>11}   {rank:>6} / {}",
            sci(raw),
            sci(scaled),
            degree + 1
        );
    }
    r.section("conditioning", cond);

    let mut mse = String::from(
        "degree   train MSE   test MSE   (12 training points, 200 test points)\n",
    );
    for degree in 1..=10 {
        let (train, test) = polynomial::train_test(degree).expect("valid");
        let _ = writeln!(mse, "{degree:>6}   {:>9}   {:>9}", sci(train), sci(test));
    }
    r.section("mse", mse);

    let (x, y) = polynomial::observe(12);
    let mut minima = String::from(
        "degree   predicted x   surrogate there   true f there   distance to x*\n",
    );
    for degree in [4, 6, 10] {
        let (at, value) =
            polynomial::surrogate_minimum(&fit(&x, &y, degree), &grid());
        let _ = writeln!(
            minima,
            "{degree:>6}   {at:>11.3}   {value:>15.3}   {:>12.3}   {:>14.3}",
            f(at),
            (at - x_star).abs()
        );
    }
    r.section("minima", minima);

    r.section("one-step", one_step_report());

    let (gx, gy) = guided_run(5, &RULE);
    let (ux, uy) = guided::uniform(BUDGET);
    let (ox, oy) = guided::uneven_baseline();
    r.section(
        "designs",
        format!(
            "guided, after the 5 initial points: {}\n\
             uniform, in evaluation order:       {}\n\
             uneven grid:                        {}\n\
             left to right, the first point of linspace(−3, 3, 20) with x > 0 is evaluation {}",
            list(&gx[5..]),
            list(&ux),
            list(&ox),
            1 + linspace(-3.0, 3.0, BUDGET).iter().position(|&x| x > 0.0).expect("a point")
        ),
    );
    let mut cumulative =
        String::from(" evaluation   guided    uniform   uneven grid\n");
    let (gb, ub, ob) = (
        guided::cumulative_best(&gy),
        guided::cumulative_best(&uy),
        guided::cumulative_best(&oy),
    );
    for k in 0..BUDGET {
        let _ = writeln!(
            cumulative,
            "{:>11}   {:>+7.4}   {:>+7.4}   {:>+7.4}",
            k + 1,
            gb[k],
            ub[k],
            ob[k]
        );
    }
    r.section("cumulative", cumulative);
    let mut finals = format!(
        "after {BUDGET} evaluations ({BUDGET} units)   best f    gap to the minimum   first reached at\n"
    );
    for (name, y) in [("guided", &gy), ("uniform", &uy), ("uneven grid", &oy)] {
        let best = guided::cumulative_best(y)[BUDGET - 1];
        let _ = writeln!(
            finals,
            "{name:<31}   {best:+.4}   {:>18.4}   evaluation {}",
            best - f_star,
            reached_at(y)
        );
    }
    let _ = write!(finals, "{:<31}   {f_star:+.4}", "true minimum");
    r.section("finals", finals);
    r.section("answers", answers());
    r.finish()
}

/// The underdetermined first step under two conventions.
fn one_step_report() -> String {
    let (x, y) = polynomial::observe(5);
    let next = guided::next_point(&x, &y, &RULE).expect("valid");
    let scaled = fit(&x, &y, 5);
    let unscaled = polynomial::unscaled_minimum_norm(&x, &y, 5).expect("valid");
    let q = polynomial::vanishing(&x);
    let t = scaled.coefficients[0] - unscaled.coefficients[0];
    let alternative = next_with(&unscaled, &x);
    let mut out = String::new();
    let _ = writeln!(out, "observations at {}: 5 points, 6 coefficients", list(&x));
    let _ = writeln!(
        out,
        "minimum norm, scaled columns (polyfit):   next x = {next:.3}, f there = {:+.3}",
        f(next)
    );
    let _ = writeln!(
        out,
        "minimum norm, unscaled columns:           next x = {alternative:.3}, f there = {:+.3}",
        f(alternative)
    );
    let _ = write!(
        out,
        "the two interpolants differ by t·q(x), q(x) = x(x² − 2.25)(x² − 9) = {}, t = {t:.6}",
        poly_string(&q)
    );
    out
}

fn poly_string(p: &Polynomial) -> String {
    let n = p.coefficients.len() - 1;
    let mut terms = Vec::new();
    for (k, &c) in p.coefficients.iter().enumerate() {
        if c.abs() < 1e-12 {
            continue;
        }
        let power = n - k;
        let var = match power {
            0 => String::new(),
            1 => "x".into(),
            _ => format!("x^{power}"),
        };
        let coefficient =
            if c == 1.0 && power > 0 { String::new() } else { format!("{c}") };
        terms.push(format!("{coefficient}{var}"));
    }
    terms.join(" + ").replace("+ -", "− ")
}
