//! The worked output of chapter 23.

use super::{quartiles, Grid, Results, SEEDS};
use crate::report::Report;
use gradbo::test_functions::battery::{GRID_SIZE, REFERENCE_POINT};
use gradbo_listings::ch23::campaign::{
    fit_models, front_rows, initial_design, Method, Run, N_INIT, SEED, STEPS,
};
use gradbo_listings::ch23::decisions::{decide, EFFICIENCY_THRESHOLD, RULES};
use gradbo_listings::ch23::front::{hv, hypervolume_by_hand};
use ndarray::{array, Array2, Axis};
use std::fmt::Write as _;

/// The whole worked output.
pub fn report(r: &Results) -> String {
    let g = &r.grid;
    let mut rep = Report::new();
    rep.section("grid", grid(g));
    rep.section("grid-front", grid_front(g));
    rep.section("grid-hypervolume", grid_hypervolume(g));
    rep.section("plateau", plateau(g));
    rep.section("initial", initial(r));
    rep.section("models", models(r));
    rep.section("example", example(r));
    rep.section("study", study(r));
    rep.section("study-reading", study_reading(r));
    rep.section("final-fronts", final_fronts(r));
    rep.section("scale", scale(r));
    rep.section("decisions", decisions(r));
    rep.section("exercises", super::exercises::report(&r.exercises));
    rep.finish()
}

/// The smallest and largest of an iterator of numbers.
pub fn range(v: impl Iterator<Item = f64>) -> (f64, f64) {
    v.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)))
}

/// The grid: ranges, maxima, the front and its hypervolume.
pub fn grid(g: &Grid) -> String {
    let mut s = String::new();
    let (e_lo, e_hi) = range(g.y.column(0).iter().copied());
    let (c_lo, c_hi) = range(g.y.column(1).iter().copied());
    let _ = writeln!(
        s,
        "grid: {GRID_SIZE} × {GRID_SIZE} = {} formulations",
        g.y.nrows()
    );
    let _ = writeln!(s, "E ranges over [{e_lo}, {e_hi}]");
    let _ = writeln!(s, "C ranges over [{c_lo}, {c_hi}]");
    let at =
        |i: usize| format!("(s, a) = ({:.5}, {:.5})", g.x[[i, 0]], g.x[[i, 1]]);
    let _ = writeln!(
        s,
        "largest E: {:.6} at {} = ({}/99, {}/99)",
        g.y[[g.best_e, 0]],
        at(g.best_e),
        g.best_e / GRID_SIZE,
        g.best_e % GRID_SIZE
    );
    let _ = writeln!(
        s,
        "largest C: {} at {} = ({}/99, {}/99), the first of {} grid points with C = 235",
        g.y[[g.best_c, 1]],
        at(g.best_c),
        g.best_c / GRID_SIZE,
        g.best_c % GRID_SIZE,
        g.plateau.len()
    );
    s
}

/// The grid's front.
pub fn grid_front(g: &Grid) -> String {
    let mut s = String::new();
    let f = g.front_values();
    let (e_lo, e_hi) = range(f.column(0).iter().copied());
    let (c_lo, c_hi) = range(f.column(1).iter().copied());
    let _ = writeln!(
        s,
        "non-dominated grid points: {} of {}",
        g.front.len(),
        g.y.nrows()
    );
    let _ = writeln!(
        s,
        "the front spans E ∈ [{e_lo:.5}, {e_hi:.5}] and C ∈ [{c_lo:.3}, {c_hi:.3}]"
    );
    let _ = writeln!(s, "along it, from the most efficient end:");
    let _ = writeln!(s, "      s        a        E            C");
    let n = g.front.len();
    for k in [0, 1, 2, n / 4, n / 2, 3 * n / 4, n - 2, n - 1] {
        let i = g.front[k];
        let _ = writeln!(
            s,
            "{:>8.5} {:>8.5} {:>10.6} {:>12.6}",
            g.x[[i, 0]],
            g.x[[i, 1]],
            g.y[[i, 0]],
            g.y[[i, 1]]
        );
    }
    s
}

/// The grid front's hypervolume by hand and by the library.
pub fn grid_hypervolume(g: &Grid) -> String {
    let f = g.front_values();
    let r = REFERENCE_POINT;
    let mut s = String::new();
    let _ = writeln!(s, "reference point r = (E, C) = ({}, {})", r[0], r[1]);
    let _ = writeln!(
        s,
        "hypervolume of the grid front, by hand:    {:.6}",
        hypervolume_by_hand(f.view(), r)
    );
    let _ = writeln!(
        s,
        "hypervolume of the grid front, by library: {:.6}",
        hv(f.view()).expect("finite")
    );
    let _ = writeln!(
        s,
        "hypervolume of all 10 000 grid points:     {:.6}",
        hv(g.y.view()).expect("finite")
    );
    s
}

/// The plateau at C = 235.
pub fn plateau(g: &Grid) -> String {
    let mut s = String::new();
    let p = &g.plateau;
    let (e_lo, e_hi) = range(p.iter().map(|&i| g.y[[i, 0]]));
    let (s_lo, s_hi) = range(p.iter().map(|&i| g.x[[i, 0]]));
    let (a_lo, a_hi) = range(p.iter().map(|&i| g.x[[i, 1]]));
    let on_front: Vec<usize> =
        p.iter().copied().filter(|i| g.front.contains(i)).collect();
    let _ = writeln!(s, "grid points with C clamped at 235: {}", p.len());
    let _ = writeln!(
        s,
        "  their s ∈ [{s_lo:.5}, {s_hi:.5}], a ∈ [{a_lo:.5}, {a_hi:.5}]"
    );
    let _ = writeln!(s, "  their E ∈ [{e_lo:.6}, {e_hi:.6}]");
    let _ = writeln!(
        s,
        "  first in grid order (the \"largest C\" above): (s, a) = ({:.5}, {:.5}), E = {:.6}",
        g.x[[g.best_c, 0]],
        g.x[[g.best_c, 1]],
        g.y[[g.best_c, 0]]
    );
    for &i in &on_front {
        let _ = writeln!(
            s,
            "  on the front (the most efficient of them): (s, a) = ({:.5}, {:.5}), E = {:.6}",
            g.x[[i, 0]],
            g.x[[i, 1]],
            g.y[[i, 0]]
        );
    }
    let _ = writeln!(
        s,
        "  plateau points on the front: {} of {}",
        on_front.len(),
        p.len()
    );
    s
}

/// The rows of `y` (n × 2) at `rows`, as an n × 2 matrix.
fn select(y: &Array2<f64>, rows: &[usize]) -> Array2<f64> {
    y.select(Axis(0), rows)
}

/// The example's initial design, its front and its hypervolume.
fn initial(r: &Results) -> String {
    let run = r.example(Method::Qehvi);
    let front =
        front_rows(run.y.slice(ndarray::s![..N_INIT, ..])).expect("a front");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "initial design: {N_INIT} scrambled Sobol formulations (seed {SEED})"
    );
    let _ = writeln!(s, " #       s         a          E            C     Pareto");
    for i in 0..N_INIT {
        let _ = writeln!(
            s,
            "{:>2}  {:>8.6}  {:>8.6}   {:>8.6}   {:>10.6}   {}",
            i + 1,
            run.x[[i, 0]],
            run.x[[i, 1]],
            run.y[[i, 0]],
            run.y[[i, 1]],
            if front.contains(&i) { "yes" } else { "" }
        );
    }
    let _ = writeln!(
        s,
        "Pareto-optimal: {} of {N_INIT}; hypervolume w.r.t. r = ({}, {}): {:.6}",
        front.len(),
        REFERENCE_POINT[0],
        REFERENCE_POINT[1],
        run.hypervolume[0]
    );
    let _ = writeln!(
        s,
        "(the grid front's: {:.6}, so the design dominates {:.1}% of it)",
        hv(r.grid.front_values().view()).expect("finite"),
        100.0 * run.hypervolume[0]
            / hv(r.grid.front_values().view()).expect("finite")
    );
    s
}

/// The model list on the example's initial design, and the first proposal.
fn models(r: &Results) -> String {
    let run = r.example(Method::Qehvi);
    let (x0, y0) = initial_design(SEED).expect("the design evaluates");
    let list = fit_models(x0.view(), y0.view()).expect("the models fit");
    let candidate = run.x.slice(ndarray::s![N_INIT..N_INIT + 1, ..]).to_owned();
    let mut s = String::new();
    let _ =
        writeln!(s, "one GP per objective on the {N_INIT} initial formulations:");
    let _ = writeln!(
        s,
        "objective    lengthscale s   lengthscale a   output std    noise std     std of the data"
    );
    for (k, (model, name)) in
        list.models().iter().zip(["efficiency", "capacity"]).enumerate()
    {
        let u = model.data_units().expect("finite hyperparameters");
        let col = y0.column(k);
        let mean = col.sum() / col.len() as f64;
        let sd = (col.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
            / (col.len() - 1) as f64)
            .sqrt();
        let _ = writeln!(
            s,
            "{name:<12} {:>13.3}   {:>13.3}   {:>10.4}   {:>10.2e}    {:>10.4}",
            u.lengthscales[0],
            u.lengthscales[1],
            u.outputscale.sqrt(),
            u.noise.sqrt(),
            sd
        );
    }
    let _ = writeln!(
        s,
        "sum of the two log marginal likelihoods (standardised data): {:.4}",
        list.log_marginal_likelihood()
    );
    let p = list.predict(candidate.view()).expect("the models predict");
    let _ = writeln!(
        s,
        "\nfirst qEHVI proposal: (s, a) = ({:.5}, {:.5}), qEHVI = {:.5}",
        candidate[[0, 0]],
        candidate[[0, 1]],
        run.acquisition[0]
    );
    let _ = writeln!(
        s,
        "  predicted E = {:.5} ± {:.5}, C = {:.2} ± {:.2} (mean ± posterior std)",
        p.mean[[0, 0]],
        p.variance[[0, 0]].sqrt(),
        p.mean[[0, 1]],
        p.variance[[0, 1]].sqrt()
    );
    let _ = writeln!(
        s,
        "  observed  E = {:.6},           C = {:.6}",
        run.y[[N_INIT, 0]],
        run.y[[N_INIT, 1]]
    );
    let _ = writeln!(
        s,
        "  hypervolume {:.6} → {:.6} (+{:.5})",
        run.hypervolume[0],
        run.hypervolume[1],
        run.hypervolume[1] - run.hypervolume[0]
    );
    s
}

/// The example's two runs, step by step.
fn example(r: &Results) -> String {
    let q = r.example(Method::Qehvi);
    let b = r.example(Method::Sobol);
    let (qs, bs) =
        (q.front_sizes().expect("fronts"), b.front_sizes().expect("fronts"));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "seed {SEED}: the same {N_INIT}-point design, then {STEPS} steps"
    );
    let _ = writeln!(
        s,
        "step |        qEHVI: s, a → E, C          qEHVI    HV      front |        Sobol: s, a → E, C            HV      front"
    );
    for k in 0..=STEPS {
        if k == 0 {
            let _ = writeln!(
                s,
                "{:>4} | {:<44} {:>9.5} {:>5} | {:<44} {:>9.5} {:>5}",
                0,
                "(initial design)",
                q.hypervolume[0],
                qs[0],
                "(initial design)",
                b.hypervolume[0],
                bs[0]
            );
            continue;
        }
        let i = N_INIT + k - 1;
        let cell = |run: &Run| {
            format!(
                "{:.3}, {:.3} → {:.4}, {:>6.2}",
                run.x[[i, 0]],
                run.x[[i, 1]],
                run.y[[i, 0]],
                run.y[[i, 1]]
            )
        };
        let _ = writeln!(
            s,
            "{k:>4} | {:<34} {:>9.5} {:>9.5} {:>5} | {:<44} {:>9.5} {:>5}",
            cell(q),
            q.acquisition[k - 1],
            q.hypervolume[k],
            qs[k],
            cell(b),
            b.hypervolume[k],
            bs[k]
        );
    }
    let _ = writeln!(
        s,
        "observations: {} each; final fronts: {} (qEHVI) and {} (Sobol) points",
        q.y.nrows(),
        qs[STEPS],
        bs[STEPS]
    );
    s
}

fn fmt_q(v: &[f64], digits: usize) -> String {
    let q = quartiles(v);
    format!("{:.d$} [{:.d$}, {:.d$}]", q[0], q[1], q[2], d = digits)
}

/// The study over seeds.
fn study(r: &Results) -> String {
    let grid_hv = hv(r.grid.front_values().view()).expect("finite");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} seeds ({}–{}), each with its own {N_INIT}-point design; median [quartiles]",
        SEEDS.len(),
        SEEDS[0],
        SEEDS[SEEDS.len() - 1]
    );
    let _ = writeln!(
        s,
        "method  HV after design       HV after 4 steps      HV after 8 steps      HV after 16 steps     share of grid-front HV   front size"
    );
    for (name, runs) in [("qEHVI", &r.qehvi), ("Sobol", &r.sobol)] {
        let at = |k: usize| {
            runs.iter().map(|run| run.hypervolume[k]).collect::<Vec<_>>()
        };
        let share: Vec<f64> = at(STEPS).iter().map(|h| h / grid_hv).collect();
        let sizes: Vec<f64> = runs
            .iter()
            .map(|run| run.front().expect("a front").len() as f64)
            .collect();
        let _ = writeln!(
            s,
            "{name:<6}  {:<21} {:<21} {:<21} {:<21} {:<24} {}",
            fmt_q(&at(0), 4),
            fmt_q(&at(4), 4),
            fmt_q(&at(8), 4),
            fmt_q(&at(STEPS), 4),
            fmt_q(&share, 4),
            fmt_q(&sizes, 1)
        );
    }
    let _ = writeln!(s, "\nper seed, HV after {STEPS} steps:");
    let _ = writeln!(s, "seed     qEHVI      Sobol    qEHVI − Sobol");
    let mut wins = 0;
    for ((seed, q), b) in SEEDS.iter().zip(&r.qehvi).zip(&r.sobol) {
        let (a, c) = (q.hypervolume[STEPS], b.hypervolume[STEPS]);
        if a > c {
            wins += 1;
        }
        let _ = writeln!(s, "{seed:>4}  {a:>8.4}   {c:>8.4}   {:>+8.4}", a - c);
    }
    let _ = writeln!(
        s,
        "qEHVI ends with the larger hypervolume on {wins} of {} seeds; grid-front HV = {grid_hv:.6}",
        SEEDS.len()
    );
    s
}

/// The example's final fronts.
fn final_fronts(r: &Results) -> String {
    let mut s = String::new();
    for method in [Method::Qehvi, Method::Sobol] {
        let run = r.example(method);
        let front = run.front().expect("a front");
        let _ = writeln!(
            s,
            "{} (seed {SEED}): {} Pareto-optimal formulations of {}, hypervolume {:.6}",
            method.name(),
            front.len(),
            run.y.nrows(),
            run.hypervolume[STEPS]
        );
        let _ = writeln!(
            s,
            "  #      s         a          E            C      observation"
        );
        for (k, &i) in front.iter().enumerate() {
            let _ = writeln!(
                s,
                "{:>3}  {:>8.5}  {:>8.5}   {:>8.6}   {:>10.6}   {:>3}{}",
                k + 1,
                run.x[[i, 0]],
                run.x[[i, 1]],
                run.y[[i, 0]],
                run.y[[i, 1]],
                i + 1,
                if i < N_INIT { " (design)" } else { "" }
            );
        }
    }
    s
}

/// The two objectives' scales, and what rescaling does and does not change.
fn scale(r: &Results) -> String {
    let g = &r.grid;
    let f = g.front_values();
    let (e_lo, e_hi) = range(f.column(0).iter().copied());
    let (c_lo, c_hi) = range(f.column(1).iter().copied());
    let mut s = String::new();
    let _ = writeln!(s, "spread along the grid front: E {:.5} (from {e_lo:.5} to {e_hi:.5}), C {:.3} (from {c_lo:.3} to {c_hi:.3})", e_hi - e_lo, c_hi - c_lo);
    let _ = writeln!(
        s,
        "ratio of the spreads C/E: {:.0}",
        (c_hi - c_lo) / (e_hi - e_lo)
    );
    // Raw weighted sum on the grid front.
    let raw = (0..f.nrows())
        .max_by(|&i, &j| {
            (0.5 * f[[i, 0]] + 0.5 * f[[i, 1]])
                .total_cmp(&(0.5 * f[[j, 0]] + 0.5 * f[[j, 1]]))
        })
        .expect("a front");
    let _ = writeln!(
        s,
        "0.5·E + 0.5·C in raw units, maximised over the grid front: E = {:.5}, C = {:.3}",
        f[[raw, 0]],
        f[[raw, 1]]
    );
    let [w, _, _] = decide(f.view()).expect("the rules apply");
    let _ = writeln!(
        s,
        "0.5·Ẽ + 0.5·C̃ (min–max normalised over the front):        E = {:.5}, C = {:.3}",
        f[[w.index, 0]],
        f[[w.index, 1]]
    );
    // Hypervolume under rescaling.
    let q = r.example(Method::Qehvi);
    let b = r.example(Method::Sobol);
    let hv_at = |y: &Array2<f64>, scale: [f64; 2], reference: [f64; 2]| {
        let scaled = Array2::from_shape_fn(y.dim(), |(i, k)| y[[i, k]] * scale[k]);
        gradbo::multi_objective::hypervolume(
            scaled.view(),
            array![reference[0], reference[1]].view(),
        )
        .expect("finite")
    };
    let r0 = REFERENCE_POINT;
    let ideal = [e_hi, c_hi];
    let _ = writeln!(s, "\nhypervolume of                grid front   qEHVI, seed {SEED}   Sobol, seed {SEED}   qEHVI / Sobol");
    let rows: [(&str, [f64; 2], [f64; 2]); 3] = [
        ("(E, C), r = (0.88, 115)", [1.0, 1.0], r0),
        ("(E, C/100), r = (0.88, 1.15)", [1.0, 0.01], [r0[0], r0[1] / 100.0]),
        ("(100·E, C), r = (88, 115)", [100.0, 1.0], [100.0 * r0[0], r0[1]]),
    ];
    for (name, sc, rf) in rows {
        let (a, c) = (hv_at(&q.y, sc, rf), hv_at(&b.y, sc, rf));
        let _ = writeln!(
            s,
            "{name:<30} {:>10.6}   {:>14.6}   {:>14.6}   {:>10.6}",
            hv_at(&f, sc, rf),
            a,
            c,
            a / c
        );
    }
    // Normalised by the box between r and the ideal point.
    let box_volume = (ideal[0] - r0[0]) * (ideal[1] - r0[1]);
    let norm = |y: &Array2<f64>| hv_at(y, [1.0, 1.0], r0) / box_volume;
    let _ = writeln!(
        s,
        "normalised (÷ volume of [r, ideal] = {box_volume:.6}): {:.4}, {:.4}, {:.4}",
        norm(&f),
        norm(&q.y),
        norm(&b.y)
    );
    let _ = writeln!(
        s,
        "the ideal point (best E, best C on the grid) = ({:.5}, {})",
        ideal[0], ideal[1]
    );
    s
}

/// The three rules on the example's qEHVI front.
fn decisions(r: &Results) -> String {
    let run = r.example(Method::Qehvi);
    let front = run.front().expect("a front");
    let values = select(&run.y, &front);
    let choices = decide(values.view()).expect("the rules apply");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "on the qEHVI front of seed {SEED} ({} formulations; E ≥ {EFFICIENCY_THRESHOLD} for the threshold rule):",
        front.len()
    );
    let _ = writeln!(s, "rule                          s         a          E            C        score");
    for (name, c) in RULES.iter().zip(&choices) {
        let i = front[c.index];
        let _ = writeln!(
            s,
            "{name:<26} {:>8.5}  {:>8.5}   {:>8.6}   {:>10.6}   {:>8.4}{}",
            run.x[[i, 0]],
            run.x[[i, 1]],
            run.y[[i, 0]],
            run.y[[i, 1]],
            c.score,
            if c.fallback { " (no point met the threshold)" } else { "" }
        );
    }
    let g = r.grid.front_values();
    let on_grid = decide(g.view()).expect("the rules apply");
    let _ =
        writeln!(s, "\nthe same rules on the grid front ({} points):", g.nrows());
    for (name, c) in RULES.iter().zip(&on_grid) {
        let _ = writeln!(
            s,
            "{name:<26} E = {:.6}, C = {:.6}, score {:.4}",
            g[[c.index, 0]],
            g[[c.index, 1]],
            c.score
        );
    }
    s
}

/// The study's reading, generated from its numbers.
fn study_reading(r: &Results) -> String {
    let grid_hv = hv(r.grid.front_values().view()).expect("finite");
    let med = |runs: &[Run], k: usize| {
        quartiles(&runs.iter().map(|run| run.hypervolume[k]).collect::<Vec<_>>())[0]
    };
    let sizes = |runs: &[Run]| {
        quartiles(
            &runs
                .iter()
                .map(|run| run.front().expect("a front").len() as f64)
                .collect::<Vec<_>>(),
        )[0]
    };
    let wins = r
        .qehvi
        .iter()
        .zip(&r.sobol)
        .filter(|(q, b)| q.hypervolume[STEPS] > b.hypervolume[STEPS])
        .count();
    let (q16, b16) = (med(&r.qehvi, STEPS), med(&r.sobol, STEPS));
    let first_above = (0..=STEPS).find(|&k| med(&r.qehvi, k) >= b16);
    let mut s = String::new();
    let _ = write!(
        s,
        "After sixteen steps the median hypervolume is {q16:.4} with qEHVI and {b16:.4} with \
         Sobol sampling, {:.1}% and {:.1}% of the grid front's {grid_hv:.4}; qEHVI ends higher \
         on {wins} of the {} seeds, and its median front holds {:.1} formulations against \
         {:.1}.",
        100.0 * q16 / grid_hv,
        100.0 * b16 / grid_hv,
        SEEDS.len(),
        sizes(&r.qehvi),
        sizes(&r.sobol)
    );
    if let Some(k) = first_above {
        let _ = write!(
            s,
            " The qEHVI median reaches Sobol sampling's final median after {k} of the sixteen \
             steps."
        );
    }
    let _ = writeln!(
        s,
        " The initial designs alone reach a median of {:.1}% of the grid front's \
         hypervolume: most of the area above the reference point lies below any reasonable \
         set of formulations, and what is left to gain is a thin band under the true front, \
         which is where qEHVI spends its evaluations.",
        100.0 * med(&r.qehvi, 0) / grid_hv
    );
    s
}
