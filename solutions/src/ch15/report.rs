//! Chapter 15's worked output.

use super::compute::{basin, basin_name, curve, true_minimum, Run};
use crate::report::Report;
use gradbo::acquisition::AcquisitionFunction;
use gradbo::bo::AcquisitionChoice;
use gradbo::models::Model;
use gradbo::test_functions::TestProblem;
use gradbo_listings::ch15::acquisitions::{
    acqf_options, acquisition, bounds, fit_model, incumbent, name, objective,
    propose, training_data, CHOICES,
};
use gradbo_listings::ch15::log_ei::{log_h_asymptote, rows, underflow_edge, ZS};
use gradbo_listings::ch15::problem::NOISE;
use ndarray::Array1;
use std::fmt::Write as _;

/// Noise seeds of the repeated comparison.
pub const SEEDS: std::ops::Range<u64> = 0..20;

pub fn report(run: &Run) -> String {
    let mut r = Report::new();
    r.section("data", data(run));
    r.section("minima", minima(run));
    r.section("fit", fit(run));
    r.section("grid", on_grid(run));
    r.section("candidates", candidates(run));
    r.section("runs", runs(run));
    r.section("runs-reading", runs_reading(run));
    r.section("after", after(run));
    r.section("verdict", verdict(run));
    let (table, reading, takeaway) = seeds();
    r.section("seeds", table);
    r.section("seeds-reading", reading);
    r.section("takeaway-seeds", takeaway);
    r.section("logei", log_ei_table());
    r.section("posterior-z", posterior_z(run));
    r.section("demo", demo(run));
    super::exercises::answers(&mut r, run);
    r.finish()
}

fn data(run: &Run) -> String {
    let mut s = String::new();
    let _ =
        writeln!(s, "x: shape {:?}, y: shape {:?}", run.x.shape(), run.y.shape());
    let _ = writeln!(s, "{:>8} {:>10} {:>9} {:>10}", "x", "f(x)", "noise", "y");
    let mut total = 0.0;
    for (&x, &y) in run.x.column(0).iter().zip(&run.y) {
        let f = run.f.eval(x);
        total += y - f;
        let _ = writeln!(s, "{x:>+8.4} {f:>+10.5} {:>9.5} {y:>+10.5}", y - f);
    }
    let _ = writeln!(
        s,
        "noise 0.03·U, U uniform on [0, 1): range [0, {NOISE}), mean {:.3}; mean of these ten: {:.5}",
        NOISE / 2.0,
        total / run.y.len() as f64
    );
    s
}

fn minima(run: &Run) -> String {
    let f = &run.f;
    let (x, v) = true_minimum(f);
    let mut s = String::new();
    let _ = writeln!(s, "global minimum (golden section): x = {x:.4}, f = {v:.5}");
    let _ = writeln!(
        s,
        "the test function's own minimiser: x = {:.6}, f = {:.6}",
        f.minimiser(),
        f.optimal_value()
    );
    let _ = writeln!(s, "local minima, left to right:");
    for &(m, fm) in f.local_minima() {
        let tag = if m == f.minimiser() { "  (global)" } else { "" };
        let _ = writeln!(s, "  x = {m:+.4}   f = {fm:+.4}{tag}");
    }
    let (xb, fb) = run
        .x
        .column(0)
        .iter()
        .map(|&x| (x, f.eval(x)))
        .fold((0.0, f64::INFINITY), |b, p| if p.1 < b.1 { p } else { b });
    let right = *f.local_minima().last().expect("minima");
    let _ = writeln!(
        s,
        "the right-hand basin's minimum lies {:.4} above the global one",
        right.1 - v
    );
    let _ = writeln!(s, "best noise-free training value: f({xb:.4}) = {fb:.5}");
    s
}

fn fit(run: &Run) -> String {
    let b = bounds().expect("a box");
    let h = run.model.data_units().expect("units");
    let mut s = String::new();
    let _ = writeln!(s, "incumbent f* = min y = {:.6}", run.best);
    let _ = writeln!(s, "in the maximisation form: max(−y) = {:.6}", -run.best);
    let _ = writeln!(
        s,
        "bounds: lower {}, upper {} (d = {})",
        b.lower(),
        b.upper(),
        b.dim()
    );
    let _ = writeln!(
        s,
        "fitted: lengthscale {:.4}, constant mean {:.4}, output scale {:.4}, noise variance {:.3e}",
        h.lengthscales[0], h.mean, h.outputscale, h.noise
    );
    s
}

fn argmax(values: &Array1<f64>) -> usize {
    (0..values.len()).fold(0, |b, i| if values[i] > values[b] { i } else { b })
}

fn on_grid(run: &Run) -> String {
    let mut s = String::new();
    for c in &run.choices {
        let i = argmax(&c.on_grid);
        let _ = writeln!(
            s,
            "{:>5}: {} values; largest {:.5} at grid point x = {:+.4}",
            c.name,
            c.on_grid.len(),
            c.on_grid[i],
            run.grid[[i, 0]]
        );
    }
    s
}

fn candidates(run: &Run) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:>5} {:>9} {:>10} {:>9} {:>8} {:>9}  basin",
        "", "x", "value", "μ(x)", "σ(x)", "f(x)"
    );
    for c in &run.choices {
        let x = c.found.x.view().insert_axis(ndarray::Axis(0)).to_owned();
        let p = run.model.marginals(x.view()).expect("posterior");
        let _ = writeln!(
            s,
            "{:>5} {:>+9.5} {:>10.5} {:>+9.5} {:>8.5} {:>+9.5}  {}",
            c.name,
            c.x(),
            c.found.value,
            p.mean[0],
            p.variance[0].sqrt(),
            c.f_next,
            basin_name(&run.f, &run.ridges, c.x())
        );
    }
    s
}

fn runs(run: &Run) -> String {
    let c = &run.choices[0];
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} raw Sobol points, {} local runs (start → end)",
        c.name,
        run.raw.nrows(),
        c.found.runs.len()
    );
    let mut ends: Vec<f64> = Vec::new();
    for r in &c.found.runs {
        match &r.end {
            Ok((x, v, why)) => {
                let _ = writeln!(
                    s,
                    "  {:+.4} ({:>8.4})  →  {:+.5} ({:>8.4})  {:?}",
                    r.start[0], r.start_value, x[0], v, why
                );
                if !ends.iter().any(|e| (e - x[0]).abs() < 1e-3) {
                    ends.push(x[0]);
                }
            }
            Err(e) => {
                let _ = writeln!(s, "  {:+.4}: failed, {e}", r.start[0]);
            }
        }
    }
    ends.sort_by(f64::total_cmp);
    let list: Vec<String> = ends.iter().map(|e| format!("{e:+.4}")).collect();
    let _ = writeln!(s, "distinct end points: {}", list.join(", "));
    let best_raw = argmax(&run.raw_log_ei);
    let _ = writeln!(
        s,
        "best raw point: x = {:+.4} (LogEI {:.4}); kept among the starts: {}",
        run.raw[[best_raw, 0]],
        run.raw_log_ei[best_raw],
        c.found.runs.iter().any(|r| r.start[0] == run.raw[[best_raw, 0]])
    );
    s
}

fn after(run: &Run) -> String {
    let (_, fmin) = true_minimum(&run.f);
    let mut s = String::new();
    for c in &run.choices {
        let best = incumbent(&c.y_after).expect("data");
        let max_sd = c.after.sd.fold(0.0_f64, |m, v| m.max(*v));
        let lowest = argmin(&c.after.mean);
        let _ = writeln!(
            s,
            "{:>5}: f({:+.4}) = {:+.5}; best observation {:+.5} (was {:+.5}), {:.5} above the minimum; \
             refitted lengthscale {:.4}, largest σ on the grid {:.4}; the mean's minimum {:+.4} at x = {:+.4}",
            c.name,
            c.x(),
            c.f_next,
            best,
            run.best,
            best - fmin,
            c.lengthscale_after,
            max_sd,
            c.after.mean[lowest],
            run.grid[[lowest, 0]]
        );
    }
    s
}

fn verdict(run: &Run) -> String {
    let mut s = String::new();
    let global = run.f.minimiser();
    for c in &run.choices {
        let (m, _) = basin(&run.f, &run.ridges, c.x());
        let _ = writeln!(
            s,
            "{} chose x = {:+.4}, in {}: {}.",
            c.name,
            c.x(),
            basin_name(&run.f, &run.ridges, c.x()),
            if m == global { "the right basin" } else { "not the global one" }
        );
    }
    s
}

/// The comparison repeated over noise seeds: which basin each function's choice lies in; the
/// table, the sentences that read it, and the take-away.
fn seeds() -> (String, String, String) {
    let f = objective();
    let ridges = super::compute::ridges(&f);
    let b = bounds().expect("a box");
    let minima = f.local_minima().to_vec();
    let mut counts = vec![vec![0usize; minima.len()]; CHOICES.len()];
    let mut lines = String::new();
    let mut split = Vec::new();
    let mut ours = Vec::new();
    for seed in SEEDS {
        let (x, y) = training_data(seed).expect("data");
        let model = fit_model(&x, &y).expect("fit");
        let best = incumbent(&y).expect("data");
        let mut row = format!("{seed:>4}");
        let mut basins = Vec::new();
        for (k, &choice) in CHOICES.iter().enumerate() {
            let found = propose(&model, choice, best, &b, &acqf_options(seed))
                .expect("found");
            let (m, _) = basin(&f, &ridges, found.x[0]);
            let i = minima.iter().position(|p| p.0 == m).expect("a basin");
            counts[k][i] += 1;
            basins.push(i);
            let _ = write!(row, " {:>+9.4}", found.x[0]);
        }
        let _ = writeln!(lines, "{row}");
        if seed == gradbo_listings::ch15::acquisitions::SEED {
            ours.clone_from(&basins);
        }
        // CHOICES is LogEI, PI, UCB: LogEI and UCB on the right, PI in the global dip.
        let (right, dip) = (minima.len() - 1, global_index(&f));
        if basins == [right, dip, right] {
            split.push(seed.to_string());
        }
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} noise seeds, the same design and settings; candidates by seed:",
        SEEDS.end - SEEDS.start
    );
    let _ = writeln!(s, "seed {:>9} {:>9} {:>9}", "LogEI", "PI", "UCB");
    s.push_str(&lines);
    let _ =
        writeln!(s, "how many candidates fall in each basin (local minimum x):");
    let header: Vec<String> =
        minima.iter().map(|m| format!("{:>+8.4}", m.0)).collect();
    let _ = writeln!(s, "{:>6} {}", "", header.join(" "));
    for (k, &choice) in CHOICES.iter().enumerate() {
        let cells: Vec<String> =
            counts[k].iter().map(|c| format!("{c:>8}")).collect();
        let _ = writeln!(s, "{:>6} {}", name(choice), cells.join(" "));
    }
    let _ = writeln!(
        s,
        "seeds for which LogEI and UCB chose the right-hand basin and PI the dip: {}",
        split.join(", ")
    );
    let (reading, takeaway) = seeds_reading(&counts, &ours, global_index(&f));
    (s, reading, takeaway)
}

/// "every seed", "none", "k of n".
fn of(k: usize, n: usize) -> String {
    match k {
        0 => "none".into(),
        k if k == n => "every seed".into(),
        k => format!("{k} of {n}"),
    }
}

/// The seeds table in words: how often each function chose the dip, and where our seed falls.
/// `counts[k][i]`: function k (LogEI, PI, UCB) chose basin i; `ours`: our seed's basins.
fn seeds_reading(
    counts: &[Vec<usize>],
    ours: &[usize],
    dip: usize,
) -> (String, String) {
    let n = (SEEDS.end - SEEDS.start) as usize;
    let in_dip: Vec<usize> = counts.iter().map(|c| c[dip]).collect();
    let names = ["LogEI", "PI", "UCB"];
    let mut order: Vec<usize> = (0..3).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(in_dip[k]));
    let parts: Vec<String> = order
        .iter()
        .enumerate()
        .map(|(j, &k)| {
            let how = of(in_dip[k], n);
            match j {
                0 => format!("{} chose the dip for {how}", names[k]),
                _ => format!("{} for {how}", names[k]),
            }
        })
        .collect();
    let right = counts[0].len() - 1;
    let went_right: Vec<usize> = counts.iter().map(|c| c[right]).collect();
    let mut t = format!("{}.", parts.join(", "));
    let (ucb, logei) = (went_right[2], went_right[0]);
    if ucb + logei > 0 {
        let _ = write!(
            t,
            " The right-hand basin drew UCB's choice for {} and LogEI's for {}.",
            of(ucb, n),
            of(logei, n)
        );
    }
    // The pattern of the acquisition curves: PI nearest the incumbent, then LogEI, then UCB.
    if in_dip[1] >= in_dip[0] && in_dip[0] >= in_dip[2] {
        t.push_str(
            " The pattern is the one seen in the acquisition curves. PI stays near the \
             incumbent, which sits on the dip's shoulder; LogEI and UCB weigh the size of the \
             possible gain, and the right-hand basin, broad and barely sampled, promises a lot. \
             UCB, with a fixed multiplier on $\\sigma$, is the most drawn to the uncertainty \
             there.",
        );
    } else {
        t.push_str(
            " The order differs from what the acquisition curves suggest: with another draw the \
             two nearly equal peaks are ranked differently, and a single posterior's curves do \
             not say how often.",
        );
    }
    let seed = gradbo_listings::ch15::acquisitions::SEED;
    let ucb_dip = ours.get(2) == Some(&dip);
    let _ = write!(
        t,
        " Our seed, {seed}, is one of the {} for which UCB chose {}.",
        if ucb_dip { in_dip[2] } else { n - in_dip[2] },
        if ucb_dip { "the dip" } else { "elsewhere" }
    );
    let word = |k: usize| -> &str {
        if k == n {
            "always"
        } else if 2 * k > n {
            "mostly"
        } else if k == 0 {
            "never"
        } else {
            "mostly not"
        }
    };
    let all_dip = ours.iter().all(|&b| b == dip);
    let takeaway = format!(
        "{} over {} draws PI {} did, LogEI {}, UCB {}.",
        if all_dip {
            "Here all three functions chose the global dip;"
        } else {
            "Here not every function chose the global dip;"
        },
        n,
        word(in_dip[1]),
        word(in_dip[0]),
        word(in_dip[2])
    );
    (t, takeaway)
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// The LogEI runs in words: how many distinct maxima, how many reached the best.
fn runs_reading(run: &Run) -> String {
    let c = &run.choices[0];
    let ends: Vec<(f64, f64, f64)> = c
        .found
        .runs
        .iter()
        .filter_map(|r| r.end.as_ref().ok().map(|(x, v, _)| (r.start[0], x[0], *v)))
        .collect();
    let mut distinct: Vec<f64> = Vec::new();
    for e in &ends {
        if !distinct.iter().any(|d| (d - e.1).abs() < 1e-3) {
            distinct.push(e.1);
        }
    }
    let best = c.found.x[0];
    let at_best = ends.iter().filter(|e| (e.1 - best).abs() < 1e-3).count();
    let best_raw = argmax(&run.raw_log_ei);
    let from_raw = ends
        .iter()
        .any(|e| e.0 == run.raw[[best_raw, 0]] && (e.1 - best).abs() < 1e-3);
    let words = |n: usize| match n {
        1 => "one".to_string(),
        2 => "two".into(),
        3 => "three".into(),
        4 => "four".into(),
        5 => "five".into(),
        6 => "six".into(),
        7 => "seven".into(),
        8 => "eight".into(),
        9 => "nine".into(),
        10 => "ten".into(),
        n => n.to_string(),
    };
    let mut t = format!(
        "The {} runs end at {} different local maxima of LogEI. {} of them {} the best, \
         {best:.5}{}",
        words(ends.len()),
        words(distinct.len()),
        capitalise(&words(at_best)),
        if at_best == 1 { "reaches" } else { "reach" },
        if from_raw { ", one from the best raw point itself" } else { "" }
    );
    // The runner-up: the best end point elsewhere.
    let second = ends.iter().filter(|e| (e.1 - best).abs() >= 1e-3).fold(
        None::<(f64, f64)>,
        |m, e| match m {
            Some((_, v)) if v >= e.2 => m,
            _ => Some((e.1, e.2)),
        },
    );
    if let Some((x, v)) = second {
        let k = ends.iter().filter(|e| (e.1 - x).abs() < 1e-3).count();
        let _ = write!(
            t,
            "; {} {} on the next highest peak, at {x:.5}, whose value is {v:.4}",
            words(k),
            if k == 1 { "ends" } else { "end" }
        );
    }
    t.push('.');
    t
}

fn global_index(f: &gradbo::test_functions::ComplexFamily) -> usize {
    f.local_minima()
        .iter()
        .position(|m| m.0 == f.minimiser())
        .expect("the global minimum")
}

fn log_ei_table() -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "σ = 1, f* = 0, maximisation form; EI is exactly 0.0 for z below {:.4}",
        underflow_edge()
    );
    let _ = writeln!(
        s,
        "{:>9} {:>12} {:>16} {:>16} {:>12}",
        "z", "EI", "LogEI", "asymptote", "∂LogEI/∂μ"
    );
    for r in rows(&ZS) {
        let _ = writeln!(
            s,
            "{:>9} {:>12.4e} {:>16.6} {:>16.6} {:>12.4}",
            r.z,
            r.ei,
            r.log_ei,
            log_h_asymptote(r.z),
            r.d_mean
        );
    }
    s
}

/// How far below the incumbent this chapter's posterior reaches, in z.
fn posterior_z(run: &Run) -> String {
    let c = curve(&run.model, &run.grid);
    // Maximisation form: z = (−μ − (−f*))/σ = (f* − μ)/σ.
    let z: Vec<f64> =
        c.mean.iter().zip(&c.sd).map(|(m, s)| (run.best - m) / s).collect();
    let (i, zmin) = z
        .iter()
        .copied()
        .enumerate()
        .fold((0, f64::INFINITY), |b, (i, v)| if v < b.1 { (i, v) } else { b });
    let ei =
        acquisition(&run.model, AcquisitionChoice::ExpectedImprovement, run.best)
            .expect("EI")
            .values(run.grid.view())
            .expect("values");
    let zeros = ei.iter().filter(|&&v| v == 0.0).count();
    let log_ei = acquisition(
        &run.model,
        AcquisitionChoice::LogExpectedImprovement,
        run.best,
    )
    .expect("LogEI")
    .values(run.grid.view())
    .expect("values");
    format!(
        "on this posterior the lowest z on the grid is {zmin:.2} (x = {:+.4}), where EI = {:.3e} and LogEI = {:.2}\n\
         EI is exactly 0.0 at {zeros} of {} grid points\n",
        run.grid[[i, 0]],
        ei[i],
        log_ei[i],
        ei.len()
    )
}

fn demo(run: &Run) -> String {
    let (x, y, step) = &run.demo;
    let best = incumbent(y).expect("data");
    let p = &step.proposals[0];
    let h = step.model.data_units().expect("units");
    let (m, _) = basin(&run.f, &run.ridges, p.candidate[0]);
    let sep = if m == run.f.minimiser() { "" } else { "not " };
    format!(
        "{} noise-free points linspace(−3, 3, 12); best f({:+.4}) = {best:+.5}\n\
         fitted lengthscale {:.4}; LogEI proposes x = {:+.5} (LogEI {:.4}), where f = {:+.5}\n\
         that is {}; the candidate is {sep}in the global basin\n",
        x.nrows(),
        x[[argmin(y), 0]],
        h.lengthscales[0],
        p.candidate[0],
        p.value,
        run.f.eval(p.candidate[0]),
        basin_name(&run.f, &run.ridges, p.candidate[0]),
    )
}

fn argmin(v: &Array1<f64>) -> usize {
    argmax(&-v)
}
