//! The chapter's worked output.

use super::{exercises, reading, Worked, BUDGET, LONG, METHODS, SEEDS, SHORT};
use crate::report::Report;
use gradbo::test_functions::{TestProblem, TwoBasins};
use gradbo_listings::ch16::bo_loop::{basin, quantile, Basin, State};
use ndarray::Array1;
use std::fmt::Write as _;

pub(crate) fn report(w: &Worked) -> String {
    let mut r = Report::new();
    r.section("one-d-setting", one_d_setting(w));
    r.section("one-d-loop", one_d_loop(w));
    r.section("one-d-logei", reading::one_d_logei(w));
    r.section("one-d-reading", reading::one_d(w));
    r.section("optimizer", optimizer(w));
    r.section("optimizer-reading", reading::lengthscales(w));
    r.section("two-d-setting", two_d_setting(w));
    r.section("two-d-short", two_d_short(w));
    r.section("basin-narrative", narrative(w));
    r.section("basin-reading", reading::basins(w));
    r.section("two-d-long", two_d_long(w));
    r.section("long-reading", reading::long_run(w));
    r.section("seeds", seeds(w));
    r.section("seeds-verdict", verdict(w));
    r.section("seeds-reading", reading::seeds(w));
    r.section("seeds-moral", reading::moral(w));
    r.section("answers", exercises::answers(w));
    r.finish()
}

fn smallest(v: &Array1<f64>) -> f64 {
    v.fold(f64::INFINITY, |m, x| m.min(*x))
}

fn argmin(v: &Array1<f64>) -> usize {
    (0..v.len()).fold(0, |b, i| if v[i] < v[b] { i } else { b })
}

fn one_d_setting(w: &Worked) -> String {
    let p = &w.one_d;
    let mut t = format!(
        "f: the complex family with (a₂, a_t) = ({}, {}) on [−3, 3]\n",
        p.f.a2(),
        p.f.a_t()
    );
    let _ = writeln!(
        t,
        "global minimum f = {:+.5} at x = {:+.4} (the narrow dip)",
        p.f.optimal_value(),
        p.f.minimiser()
    );
    let right = p.f.local_minima()[4];
    let _ = writeln!(
        t,
        "right-hand basin: local minimum f = {:+.5} at x = {:+.4}",
        right.1, right.0
    );
    let clean = p.f.values(p.x.view()).expect("values");
    let _ = writeln!(
        t,
        "initial data (0.03·U noise, seeded):\n     x        f(x)       y"
    );
    for i in 0..p.x.nrows() {
        let _ = writeln!(
            t,
            "  {:+.4}   {:+.5}   {:+.5}",
            p.x[[i, 0]],
            clean[i],
            p.y[i]
        );
    }
    let b = argmin(&clean);
    let _ = writeln!(
        t,
        "best noise-free initial value f({:+.4}) = {:+.5}; best observed y = {:+.5}",
        p.x[[b, 0]],
        clean[b],
        smallest(&p.y)
    );
    t
}

/// μ and σ of a state's posterior at its candidate (nearest grid point).
fn at_candidate(w: &Worked, s: &State) -> (f64, f64) {
    let grid = w.one_d.grid.column(0);
    let c = s.candidate[0];
    let i = (0..grid.len()).fold(0, |b, i| {
        if (grid[i] - c).abs() < (grid[b] - c).abs() {
            i
        } else {
            b
        }
    });
    (s.mean[i], s.sd[i])
}

fn one_d_loop(w: &Worked) -> String {
    let h = &w.history;
    let mut t = String::from(
        "state  n   incumbent    next x    μ(x)      σ(x)     LogEI     f(x) evaluated\n",
    );
    for s in h {
        let (m, sd) = at_candidate(w, s);
        let evaluated = match h.get(s.step + 1) {
            Some(next) => format!("{:+.5}", next.y[next.y.len() - 1]),
            None => "— (budget spent)".into(),
        };
        let _ = writeln!(
            t,
            "{:4}  {:2}   {:+.5}   {:+.4}   {:+.4}   {:.4}   {:+.3}    {evaluated}",
            s.step,
            s.y.len(),
            smallest(&s.y),
            s.candidate[0],
            m,
            sd,
            s.acquisition_value
        );
    }
    let last = &h[h.len() - 1];
    let _ = writeln!(
        t,
        "{} states, {} observations; best observed {:+.5} (true minimum {:+.5}, gap {:.5})",
        h.len(),
        last.y.len(),
        smallest(&last.y),
        w.one_d.f.optimal_value(),
        smallest(&last.y) - w.one_d.f.optimal_value()
    );
    let retried: usize = h.iter().map(|s| s.retried.len()).sum();
    let _ =
        writeln!(t, "acquisition optimiser restarts from fresh samples: {retried}");
    t
}

fn optimizer(w: &Worked) -> String {
    let mut t = String::from(
        "ask  n   incumbent    candidate   LogEI     ℓ (x units)   noise σₙ²   retried\n",
    );
    for (k, it) in w.optimizer.history().iter().enumerate() {
        let _ = writeln!(
            t,
            "{k:3}  {:2}   {:+.5}   {:+.4}     {:+.3}    {:.4}        {:.2e}    {}",
            it.observations,
            it.incumbent,
            it.candidate[0],
            it.acquisition_value,
            it.hyperparameters.lengthscales[0],
            it.hyperparameters.noise,
            it.retried.len()
        );
    }
    let same = w.optimizer.history().iter().zip(&w.history).all(|(it, s)| {
        it.candidate == s.candidate && it.acquisition_value == s.acquisition_value
    });
    let _ = writeln!(
        t,
        "candidates and LogEI values identical to the loop's, bit for bit: {}",
        if same { "yes" } else { "no" }
    );
    let best = w.optimizer.best().expect("observations");
    let _ = writeln!(
        t,
        "best(): f = {:+.5} at x = {:+.4}; best_so_far() has {} values",
        best.1,
        best.0[0],
        w.optimizer.best_so_far().len()
    );
    t
}

fn two_d_setting(w: &Worked) -> String {
    let p = &w.two_d;
    let (xg, vg) = TwoBasins::LOCAL_MINIMA[3];
    let (xs, vs) = TwoBasins::LOCAL_MINIMA[0];
    let mut t = format!(
        "F on [−3, 3]²: lower corner {}, upper corner {}\n\
         global minimum F* = {vg:+.5} at ({:+.4}, {:+.4}) (the deep basin)\n\
         second basin: local minimum {vs:+.5} at ({:+.4}, {:+.4})\n",
        p.bounds.lower(),
        p.bounds.upper(),
        xg[0],
        xg[1],
        xs[0],
        xs[1]
    );
    let clean = p.f.values(p.x.view()).expect("values");
    let _ = writeln!(
        t,
        "fixed design (0.03·U noise, seeded):\n      x₁     x₂      F(x)       y        basin"
    );
    for i in 0..p.x.nrows() {
        let b = basin(&p.f, p.x.row(i)).expect("descent");
        let _ = writeln!(
            t,
            "    {:+.1}   {:+.1}   {:+.5}   {:+.5}   {}",
            p.x[[i, 0]],
            p.x[[i, 1]],
            clean[i],
            p.y[i],
            basin_name(b)
        );
    }
    t
}

fn basin_name(b: Basin) -> &'static str {
    match b {
        Basin::Deep => "deep",
        Basin::Second => "second",
        Basin::Elsewhere => "elsewhere",
    }
}

/// The basin of each point the loop added.
fn basins(w: &Worked, h: &[State]) -> Vec<Basin> {
    let last = &h[h.len() - 1];
    last.x
        .rows()
        .into_iter()
        .skip(6)
        .map(|row| basin(&w.two_d.f, row).expect("descent"))
        .collect()
}

fn count(b: &[Basin], which: Basin) -> usize {
    b.iter().filter(|&&x| x == which).count()
}

/// How many of the points a 2-D run added lie in the deep basin, the second, elsewhere.
pub(crate) fn basin_counts(w: &Worked, h: &[State]) -> (usize, usize, usize) {
    let b = basins(w, h);
    (count(&b, Basin::Deep), count(&b, Basin::Second), count(&b, Basin::Elsewhere))
}

/// The evaluation (1-based, after the design) of a 2-D run's first point in the deep basin.
pub(crate) fn first_deep(w: &Worked, h: &[State]) -> Option<usize> {
    basins(w, h).iter().position(|&x| x == Basin::Deep).map(|k| k + 1)
}

fn two_d_short(w: &Worked) -> String {
    let h = &w.short;
    let b = basins(w, h);
    let last = &h[SHORT];
    let mut t = String::from(
        "step      x₁       x₂        F(x)      basin       best so far\n",
    );
    for (k, basin) in b.iter().enumerate() {
        let i = 6 + k;
        let _ = writeln!(
            t,
            "{:4}    {:+.3}   {:+.3}   {:+.5}   {:<9}   {:+.5}",
            k + 1,
            last.x[[i, 0]],
            last.x[[i, 1]],
            last.y[i],
            basin_name(*basin),
            smallest(&last.y.slice(ndarray::s![..=i]).to_owned())
        );
    }
    let _ = writeln!(
        t,
        "{} states, {} observations; next candidate ({:+.3}, {:+.3})",
        h.len(),
        last.y.len(),
        last.candidate[0],
        last.candidate[1]
    );
    t
}

/// Which basin the 10-step run favours, in words, from the run.
fn narrative(w: &Worked) -> String {
    let h = &w.short;
    let b = basins(w, h);
    let (deep, second, elsewhere) = (
        count(&b, Basin::Deep),
        count(&b, Basin::Second),
        count(&b, Basin::Elsewhere),
    );
    let last = &h[SHORT];
    let i = argmin(&last.y);
    let best_basin = basin(&w.two_d.f, last.x.row(i)).expect("descent");
    let favour = if second > deep {
        "concentrated on the second, shallower basin"
    } else if deep > second {
        "concentrated on the deep basin, which holds the global minimum"
    } else {
        "divided its points evenly between the two basins"
    };
    let found = match best_basin {
        Basin::Deep => "it has found the basin of the global minimum",
        Basin::Second => "it has not yet found the basin of the global minimum",
        Basin::Elsewhere => "it has found neither basin's bottom",
    };
    format!(
        "Of the {SHORT} points this run chose, {deep} lie in the deep basin, {second} in the \
         second basin and {elsewhere} elsewhere. Its best value after {SHORT} steps, \
         F = {:+.5} at ({:+.3}, {:+.3}), lies in the {} basin: in its first {SHORT} steps \
         the run {favour}, and {found}.\n",
        last.y[i],
        last.x[[i, 0]],
        last.x[[i, 1]],
        basin_name(best_basin).replace("elsewhere", "neither")
    )
}

fn two_d_long(w: &Worked) -> String {
    let h = &w.long;
    let last = &h[LONG];
    let b = basins(w, h);
    let best = best_curve(&last.y);
    let mut t = format!("{} states, {} observations\n", h.len(), last.y.len());
    let _ =
        writeln!(t, "evaluations after the design   best so far   regret F − F*");
    for k in [0, 10, 25, 50, 75, 100] {
        let v = best[5 + k];
        let _ = writeln!(t, "{k:29}   {v:+.5}      {:.5}", v - TwoBasins::MINIMUM);
    }
    let i = argmin(&last.y);
    let first_deep = b.iter().position(|&x| x == Basin::Deep);
    let _ = writeln!(
        t,
        "best: F = {:+.5} at ({:+.4}, {:+.4})",
        last.y[i],
        last.x[[i, 0]],
        last.x[[i, 1]]
    );
    let _ = writeln!(
        t,
        "first point in the deep basin: {}",
        first_deep.map_or("none".into(), |k| format!("evaluation {}", k + 1))
    );
    let floor = TwoBasins::LOCAL_MINIMA[0].1;
    let first_below = (6..last.y.len()).find(|&i| last.y[i] < floor);
    let _ = writeln!(
        t,
        "first value below the second basin's minimum ({floor:+.5}): {}",
        first_below.map_or("none".into(), |i| format!(
            "evaluation {}, F = {:+.5}",
            i - 5,
            last.y[i]
        ))
    );
    let close = (5..best.len()).find(|&i| best[i] - TwoBasins::MINIMUM < 0.01);
    let _ = writeln!(
        t,
        "first best-so-far within 0.01 of F*: {}",
        close.map_or("none".into(), |i| format!("evaluation {}", i - 5))
    );
    let _ = writeln!(
        t,
        "the {LONG} chosen points: {} in the deep basin, {} in the second, {} elsewhere",
        count(&b, Basin::Deep),
        count(&b, Basin::Second),
        count(&b, Basin::Elsewhere)
    );
    let edge = last
        .x
        .rows()
        .into_iter()
        .skip(6)
        .filter(|r| r.iter().any(|v| (v.abs() - 3.0).abs() < 1e-9))
        .count();
    let _ = writeln!(t, "on the edge of the box (a coordinate at ±3): {edge}");
    let retried: Vec<String> = h
        .iter()
        .flat_map(|s| {
            s.retried.iter().map(move |r| format!("state {}: {r}", s.step))
        })
        .collect();
    let _ = writeln!(
        t,
        "states at which the acquisition optimiser started again: {}{}",
        retried.len(),
        if retried.is_empty() {
            String::new()
        } else {
            format!(" ({})", retried.join("; "))
        }
    );
    t
}

/// The best value after each observation.
pub(crate) fn best_curve(y: &Array1<f64>) -> Vec<f64> {
    let mut best = f64::INFINITY;
    y.iter()
        .map(|&v| {
            best = best.min(v);
            best
        })
        .collect()
}

/// Median and quartiles of regret over the seeds after `k` evaluations.
pub(crate) fn band(curves: &[Vec<f64>], k: usize) -> (f64, f64, f64) {
    let v: Vec<f64> = curves.iter().map(|c| c[k]).collect();
    (quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75))
}

/// How many seeds ended within `tol` of F*.
pub(crate) fn within(curves: &[Vec<f64>], tol: f64) -> usize {
    curves.iter().filter(|c| c[BUDGET] < tol).count()
}

/// The regret of the second basin's floor: a seed whose regret ends below it has found a
/// point lower than anything in the second basin.
pub(crate) fn second_floor_regret() -> f64 {
    TwoBasins::LOCAL_MINIMA[0].1 - TwoBasins::MINIMUM
}

fn seeds(w: &Worked) -> String {
    let n = SEEDS.end - SEEDS.start;
    let mut t = format!(
        "regret F(best so far) − F* over {n} seeds: median [lower quartile, upper quartile]\n\
         evaluations   {:<26}{:<26}{}\n",
        METHODS[0].1, METHODS[1].1, METHODS[2].1
    );
    for k in [0, 4, 8, 12, 16, 24, 32] {
        let _ = write!(t, "{k:11}  ");
        for c in &w.curves {
            let (lo, mid, hi) = band(c, k);
            let _ = write!(t, " {mid:.4} [{lo:.4}, {hi:.4}]  ");
        }
        t.push('\n');
    }
    let floor = second_floor_regret();
    let _ = writeln!(
        t,
        "seeds below the second basin's floor (regret < {floor:.4}) after {BUDGET}: {} {}, {} {}, \
         {} {}",
        METHODS[0].1,
        within(&w.curves[0], floor),
        METHODS[1].1,
        within(&w.curves[1], floor),
        METHODS[2].1,
        within(&w.curves[2], floor)
    );
    for tol in [0.1, 0.01] {
        let _ = writeln!(
            t,
            "seeds within {tol} of F* after {BUDGET}: {} {}, {} {}, {} {}",
            METHODS[0].1,
            within(&w.curves[0], tol),
            METHODS[1].1,
            within(&w.curves[1], tol),
            METHODS[2].1,
            within(&w.curves[2], tol)
        );
    }
    let first10: Vec<String> = w
        .study_runs
        .iter()
        .map(|h| {
            let b = basins(w, &h[..=SHORT]);
            format!("{}/{}", count(&b, Basin::Deep), count(&b, Basin::Second))
        })
        .collect();
    let _ = writeln!(
        t,
        "first {SHORT} points of each seed's loop, deep/second basin: {}",
        first10.join("  ")
    );
    let retried: usize =
        w.study_runs.iter().flat_map(|h| h.iter()).map(|s| s.retried.len()).sum();
    let _ = writeln!(
        t,
        "acquisition optimiser restarts from fresh samples, all seeds: {retried}"
    );
    t
}

/// What the study supports, in one or two sentences drawn from its numbers.
fn verdict(w: &Worked) -> String {
    let (blo, bmid, bhi) = band(&w.curves[0], BUDGET);
    let others: Vec<(f64, f64, f64)> =
        w.curves[1..].iter().map(|c| band(c, BUDGET)).collect();
    let lowest_other_lo = others.iter().map(|o| o.0).fold(f64::INFINITY, f64::min);
    let n = SEEDS.end - SEEDS.start;
    let comparison = if bhi < lowest_other_lo {
        format!(
            "the loop's whole inter-quartile band ({blo:.4} to {bhi:.4}) lies below the \
             lower quartiles of both baselines ({:.4} for random search, {:.4} for the \
             Sobol design)",
            others[0].0, others[1].0
        )
    } else if bmid < others[0].1.min(others[1].1) {
        format!(
            "the loop's median regret ({bmid:.4}) is below both baselines' ({:.4} and \
             {:.4}), but the bands overlap",
            others[0].1, others[1].1
        )
    } else {
        let place = if bmid > others[0].1.max(others[1].1) {
            "is above both baselines'"
        } else {
            "lies between the baselines'"
        };
        format!(
            "the loop's median regret ({bmid:.4}) {place} ({:.4} and {:.4})",
            others[0].1, others[1].1
        )
    };
    // Count near-optimal ends at the tighter tolerance unless no run reaches it.
    let tol = if w.curves.iter().any(|c| within(c, 0.01) > 0) { 0.01 } else { 0.1 };
    let hits = within(&w.curves[0], tol);
    format!(
        "After {BUDGET} evaluations {comparison}. {hits} of {n} seeds of the loop end within \
         {tol} of F*, against {} for random search and {} for the Sobol design. With {n} \
         seeds of one surface this supports a claim about this surface and budget, not \
         about Bayesian optimisation in general.\n",
        within(&w.curves[1], tol),
        within(&w.curves[2], tol)
    )
}
