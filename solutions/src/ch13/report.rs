//! Chapter 13's worked output: the sections of text the chapter includes.

use super::exercises::answers;
use super::{after, global, moments, picks, smallest, start, Problem, BETA, RULES};
use crate::report::Report;
use gradbo::acquisition::{expected_improvement, log_expected_improvement};
use gradbo::test_functions::{harder_example as g, running_example as f};
use gradbo_listings::ch13::acquisition::{ei, lcb, pi};
use gradbo_listings::ch13::bo_loop::{
    best_so_far, local_minima, surrogate, History, Rule,
};
use gradbo_listings::ch13::selection::{argmax, argmin, scores, Scores};
use ndarray::Array1;
use std::fmt::Write as _;

/// The sizes of the evenly spaced initial designs in the design sweep.
const DESIGNS: std::ops::RangeInclusive<usize> = 3..=10;

pub(super) fn report() -> String {
    let mut r = Report::new();
    let (grid, x, y, best, s) = start();
    let at = argmin(&y);
    r.section(
        "incumbent",
        format!(
            "best observation f* = {best:+.5} at x = {:+.4}\n\
             true minimum of f on [−3, 3]: {:+.6} at x = {:+.4}\n",
            x[at],
            Problem::f().minimum().1,
            Problem::f().minimum().0
        ),
    );
    r.section("two-candidates", two_candidates());
    r.section("choices", choices_table(&grid, best, &s));
    r.section("pi-vs-ei", pi_vs_ei_text(&x, &y));
    r.section("logei", logei_text());
    let pf = Problem::f();
    r.section("loop", loop_text(&pf, pf.run(Rule::ExpectedImprovement), "EI"));
    r.section("rules", rules_text(&pf));
    r.section("harder", harder_text());
    let pg = Problem::g();
    r.section(
        "harder-loop",
        loop_text(&pg, pg.run(Rule::ExpectedImprovement), "EI"),
    );
    r.section("harder-rules", rules_text(&pg));
    r.section("designs", designs_text());
    r.section("answers", answers());
    r.finish()
}

fn two_candidates() -> String {
    let mut t =
        String::from("f* = 0       μ       σ      LCB (β = 1)    PI       EI\n");
    for (name, mean, sd) in
        [("sure, small", -0.1, 0.01), ("unsure, large", 0.2, 0.5)]
    {
        let _ = writeln!(
            t,
            "{name:<13} {mean:+.2}   {sd:.2}   {:+.3}        {:.3}   {:.4}",
            lcb(mean, sd, 1.0),
            pi(mean, sd, 0.0, 0.0),
            ei(mean, sd, 0.0, 0.0)
        );
    }
    t
}

fn choices_table(grid: &[f64], best: f64, s: &Scores) -> String {
    let lcb2: Vec<f64> =
        s.mean.iter().zip(&s.sd).map(|(m, d)| lcb(*m, *d, BETA)).collect();
    let rows = [
        ("mean μ (min)", argmin(&s.mean), s.mean.clone()),
        ("LCB β = 1 (min)", argmin(&s.lcb), s.lcb.clone()),
        ("LCB β = 2 (min)", argmin(&lcb2), lcb2.clone()),
        ("PI (max)", argmax(&s.pi), s.pi.clone()),
        ("EI (max)", argmax(&s.ei), s.ei.clone()),
    ];
    let mut t = String::from(
        "rule               x         μ(x)      σ(x)     score       f(x)    PI      EI\n",
    );
    for (name, i, score) in rows {
        let _ = writeln!(
            t,
            "{name:<16} {:+.4}   {:+.4}   {:.4}   {:+.5}   {:+.4}   {:.5}  {:.4}",
            grid[i],
            s.mean[i],
            s.sd[i],
            score[i],
            f(grid[i]),
            s.pi[i],
            s.ei[i]
        );
    }
    let p = argmax(&s.pi);
    let _ = writeln!(
        t,
        "PI at its argmax: {:.7}; z = (f* − μ)/σ = {:.3}",
        s.pi[p],
        (best - s.mean[p]) / s.sd[p]
    );
    let plateau: Vec<f64> = grid
        .iter()
        .zip(&s.pi)
        .filter(|(_, v)| **v > 0.9999)
        .map(|(x, _)| *x)
        .collect();
    let _ = writeln!(
        t,
        "PI > 0.9999 at {} candidates, from x = {:+.4} to {:+.4}",
        plateau.len(),
        plateau[0],
        plateau[plateau.len() - 1]
    );
    let e = argmax(&s.ei);
    let _ = writeln!(
        t,
        "EI at its argmax: {:.4}; z = {:.3}; f* − μ = {:.4}, (f* − μ)Φ(z) = {:.4}, σφ(z) = {:.4}",
        s.ei[e],
        (best - s.mean[e]) / s.sd[e],
        best - s.mean[e],
        (best - s.mean[e]) * gradbo::special::normal_cdf((best - s.mean[e]) / s.sd[e]),
        s.sd[e] * gradbo::special::normal_pdf((best - s.mean[e]) / s.sd[e])
    );
    t
}

fn pi_vs_ei_text(x: &[f64], y: &[f64]) -> String {
    let (grid, _, _, _, s) = start();
    let mut t = String::new();
    for (name, i) in [("PI", argmax(&s.pi)), ("EI", argmax(&s.ei))] {
        let (x2, y2) = after(x, y, grid[i]);
        let best = smallest(&y2);
        let s2 = scores(&surrogate(&x2, &y2).expect("valid"), &grid, best)
            .expect("valid");
        let m = argmin(&s2.mean);
        let e = argmax(&s2.ei);
        let _ = writeln!(
            t,
            "{name} pick x = {:+.4}: f = {:+.4}, new f* = {best:+.5}, improvement {:.4}\n   \
             after conditioning on it: min μ = {:+.3} at x = {:+.4}; μ(2.3985) = {:+.3}; max EI = {:.4} at x = {:+.4}",
            grid[i],
            f(grid[i]),
            smallest(y) - best,
            s2.mean[m],
            grid[m],
            s2.mean[argmin(&grid.iter().map(|g| (g - 2.3985).abs()).collect::<Vec<_>>())],
            s2.ei[e],
            grid[e]
        );
    }
    t
}

fn logei_text() -> String {
    let mut t = String::from("maximisation form, f* = 0, σ = 1:\n");
    for mean in [-5.0, -20.0, -40.0] {
        let _ = writeln!(
            t,
            "μ = {mean:+5.0}: EI = {:.3e}, log EI = {:+.3}",
            expected_improvement(mean, 1.0, 0.0).value,
            log_expected_improvement(mean, 1.0, 0.0).value
        );
    }
    t
}

fn loop_text(p: &Problem, h: History, rule: &str) -> String {
    let best = best_so_far(&h);
    let mut t = format!(
        "{rule} on {}, {} steps (μ and σ: the model's belief when it chose x):\n\
         step      x        μ(x)     σ(x)      {}(x)      best so far\n",
        p.name, p.steps, p.name
    );
    let _ = writeln!(
        t,
        "   0                                           {:+.5}",
        best[0]
    );
    for (k, x) in picks(&h).iter().enumerate() {
        let (xs, ys) = &h[k];
        let (m, sd) = moments(&surrogate(xs, ys).expect("valid"), &[*x]);
        let _ = writeln!(
            t,
            "{:4}   {x:+.4}   {:+.4}   {:.4}   {:+.5}     {:+.5}",
            k + 1,
            m[0],
            sd[0],
            (p.objective)(*x),
            best[k + 1]
        );
    }
    let (xm, vm) = p.minimum();
    let _ = writeln!(
        t,
        "true minimum {vm:+.6} at x = {xm:+.4}; gap left {:.5}",
        best[best.len() - 1] - vm
    );
    t
}

/// The picks and best-so-far of each rule on a problem.
fn rules_text(p: &Problem) -> String {
    let mut t = format!("{} steps on {}:\n", p.steps, p.name);
    for (rule, name, _) in RULES {
        let h = p.run(rule);
        let xs: Vec<String> =
            picks(&h).iter().map(|x| format!("{x:+.4}")).collect();
        let best: Vec<String> =
            best_so_far(&h).iter().map(|b| format!("{b:+.5}")).collect();
        let _ = writeln!(
            t,
            "{name:<11} picks      {}\n{:<11} best so far {}",
            xs.join(" "),
            "",
            best.join(" ")
        );
    }
    t
}

/// The final best of each rule from evenly spaced initial designs of several sizes.
pub(super) fn design_sweep(p: &Problem) -> Vec<(usize, [f64; 3])> {
    DESIGNS
        .map(|n| {
            let q = Problem {
                x: Array1::linspace(p.range.0, p.range.1, n).to_vec(),
                grid: p.grid.clone(),
                ..*p
            };
            let mut finals = [0.0; 3];
            for (k, (rule, _, _)) in RULES.iter().enumerate() {
                finals[k] = smallest(&best_so_far(&q.run(*rule)));
            }
            (n, finals)
        })
        .collect()
}

fn designs_text() -> String {
    let mut t = String::new();
    for p in [Problem::f(), Problem::g()] {
        let (_, vm) = p.minimum();
        let _ = writeln!(
            t,
            "{} ({} steps, true minimum {vm:+.5}): final best from linspace({}, {}, n)",
            p.name, p.steps, p.range.0, p.range.1
        );
        let _ = writeln!(t, "   n      EI      LCB β = 2   mean only");
        let sweep = design_sweep(&p);
        let mut hits = [0; 3];
        for (n, finals) in &sweep {
            let _ = writeln!(
                t,
                "  {n:2}   {:+.5}   {:+.5}   {:+.5}",
                finals[0], finals[1], finals[2]
            );
            for k in 0..3 {
                if finals[k] - vm < 0.01 {
                    hits[k] += 1;
                }
            }
        }
        let _ = writeln!(
            t,
            "  within 0.01 of the minimum: EI {} of {}, LCB {}, mean only {}",
            hits[0],
            sweep.len(),
            hits[1],
            hits[2]
        );
    }
    t
}

fn harder_text() -> String {
    let p = Problem::g();
    let minima = local_minima(g, -3.5, 3.5);
    let (xm, _) = global(&minima);
    let mut t = String::from("local minima of g on [−3.5, 3.5]:\n");
    for (x, v) in &minima {
        let tag = if *x == xm {
            "  ← global (broad basin)"
        } else if (x - 2.12).abs() < 0.1 {
            "  ← narrow dip (local)"
        } else {
            ""
        };
        let _ = writeln!(t, "   x = {x:+.4}   g = {v:+.5}{tag}");
    }
    let lowest = p
        .grid
        .iter()
        .map(|&x| (x, g(x)))
        .fold((f64::NAN, f64::INFINITY), |b, c| if c.1 < b.1 { c } else { b });
    let _ = writeln!(
        t,
        "lowest value on the 500-point grid: g = {:+.5} at x = {:+.4}",
        lowest.1, lowest.0
    );
    let _ = writeln!(t, "initial design:");
    for (x, y) in p.x.iter().zip(p.y()) {
        let _ = writeln!(t, "   x = {x:+.4}   g = {y:+.4}");
    }
    t
}
