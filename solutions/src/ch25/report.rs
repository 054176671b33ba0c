//! The worked output of chapter 25.

use super::{exercises, Results, POLICIES, SEEDS};
use crate::report::Report;
use gradbo::test_functions::hierarchical::{
    grid, preferred_operation, quality, widths, LIBRARY_OPTIMAL_VALUE,
    LIBRARY_OPTIMUM, PAIRS, SYNTHESES,
};
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch25::policies::{
    coordinates, initial_pairs, Run, N_INIT, SEED, STEPS, TOP_K,
};
use std::fmt::Write as _;

/// The text the chapter includes.
pub fn report(r: &Results) -> String {
    let mut report = Report::new();
    report.section("settings", settings());
    report.section("library", library(r));
    report.section("examples", examples());
    report.section("initial", initial(r));
    report.section("chapter-seed", chapter_seed(r));
    report.section("seeds", seeds(r));
    report.section("near-v-star", near_v_star(r));
    report.section("models", exercises::models(r));
    report.section("answers", exercises::answers(r));
    report.finish()
}

fn settings() -> String {
    format!(
        "library: u1, u2, v1, v2 each on the 15 levels k/14; pair = synthesis index × 225 + \
         operation index\n\
         initial design: {N_INIT} pairs of a seeded random permutation; then {STEPS} steps; \
         seeds {}–{} (chapter seed {SEED})\n\
         flat GP: single-task GP (RBF, ARD over u1, u2, v1, v2), refitted every step; LogEI \
         with best_f = max y, on every pair not yet evaluated\n\
         flat policy: the pair with the largest LogEI\n\
         two-stage policy: each synthesis scored by the mean of its top-{TOP_K} LogEI values \
         over open operations; the best synthesis, then its best operation\n\
         random policy: a uniformly random open pair\n\
         structured GP: k = s_Q k(U, U') + s_I k(U, U') k(V, V'), refitted every step; the \
         flat rule\n",
        SEEDS.start,
        SEEDS.end - 1
    )
}

/// The best y over the operations of each synthesis, and where.
pub fn best_per_synthesis(y: &ndarray::Array1<f64>) -> Vec<(usize, f64)> {
    (0..SYNTHESES)
        .map(|s| {
            (0..SYNTHESES)
                .map(|o| (o, y[s * SYNTHESES + o]))
                .fold((0, f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b })
        })
        .collect()
}

fn library(r: &Results) -> String {
    let per = best_per_synthesis(&r.y);
    let lo = per.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = per.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let o = LIBRARY_OPTIMUM;
    let u = [o[0], o[1]];
    let star = preferred_operation(u);
    let (cont, at) = continuous_optimum();
    let above = |t: f64| r.y.iter().filter(|&&v| v >= t).count();
    format!(
        "syntheses {SYNTHESES}, operations {SYNTHESES}, pairs {PAIRS}\n\
         library optimum: U = ({:.6}, {:.6}), V = ({:.6}, {:.6}), y = {:.14}\n\
         at that U: V* = ({:.5}, {:.5}), Q = {:.6}, widths ({:.4}, {:.4})\n\
         best y per synthesis ranges over [{lo:.5}, {hi:.5}]\n\
         continuous optimum (U on a 401 × 401 grid, V = V*(U)): y ≈ {cont:.4} at U ≈ ({:.4}, {:.4})\n\
         pairs with y ≥ 2.5: {}; with y ≥ 2.0: {}; median y of the library {:.4}\n",
        o[0],
        o[1],
        o[2],
        o[3],
        LIBRARY_OPTIMAL_VALUE,
        star[0],
        star[1],
        quality(u),
        widths(u)[0],
        widths(u)[1],
        at[0],
        at[1],
        above(2.5),
        above(2.0),
        quantile(r.y.as_slice().unwrap_or(&[]), 0.5),
    )
}

/// max over U of Q(U) + 0.95 on a 401 × 401 grid (V = V*(U) reaches the response's peak).
pub fn continuous_optimum() -> (f64, [f64; 2]) {
    let mut best = (f64::NEG_INFINITY, [0.0; 2]);
    for i in 0..=400 {
        for j in 0..=400 {
            let u = [i as f64 / 400.0, j as f64 / 400.0];
            let y = quality(u) + 0.95;
            if y > best.0 {
                best = (y, u);
            }
        }
    }
    best
}

/// The example syntheses of the operation landscapes.
pub const EXAMPLES: [[f64; 2]; 3] = [[0.20, 0.20], [0.55, 0.35], [0.80, 0.70]];

/// The best library operation for synthesis `u`, and y there.
pub fn best_operation(u: [f64; 2]) -> ([f64; 2], f64) {
    let g = grid();
    (0..SYNTHESES)
        .map(|o| {
            let v = [g[[o, 0]], g[[o, 1]]];
            (v, gradbo::test_functions::hierarchical::performance(u, v))
        })
        .fold(([0.0; 2], f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b })
}

fn examples() -> String {
    let mut s = String::from(
        "U               V*                  Q         widths            best library V      y\n",
    );
    for u in EXAMPLES {
        let star = preferred_operation(u);
        let w = widths(u);
        let (v, y) = best_operation(u);
        let _ = writeln!(
            s,
            "({:.2}, {:.2})    ({:.4}, {:.4})    {:.6}  ({:.4}, {:.4})  ({:>2}/14, {:>2}/14)    {:.5}",
            u[0],
            u[1],
            star[0],
            star[1],
            quality(u),
            w[0],
            w[1],
            (v[0] * 14.0).round(),
            (v[1] * 14.0).round(),
            y
        );
    }
    s
}

fn initial(r: &Results) -> String {
    let pairs = initial_pairs(SEED);
    let x = coordinates(&pairs);
    let mut s =
        String::from(" #   pair    u1        u2        v1        v2         y\n");
    for (k, (&p, row)) in pairs.iter().zip(x.rows()).enumerate() {
        let _ = writeln!(
            s,
            "{:>2}  {:>6}   {:.6}  {:.6}  {:.6}  {:.6}  {:.6}",
            k + 1,
            p,
            row[0],
            row[1],
            row[2],
            row[3],
            r.y[p]
        );
    }
    s
}

/// The number of observations at which a run first reached its final best value.
fn reached_at(run: &Run) -> usize {
    let best = run.best();
    let last = best[best.len() - 1];
    N_INIT + best.iter().position(|&b| b == last).unwrap_or(0)
}

fn chapter_seed(r: &Results) -> String {
    let mut s = format!(
        "seed {SEED}: best value after {} observations\n\
         policy                       best y      first reached at   distinct syntheses\n",
        N_INIT + STEPS
    );
    for (p, runs) in POLICIES.iter().zip(&r.runs) {
        let run = &runs[0];
        let _ = writeln!(
            s,
            "{:<26}   {:.6}    {:>3} observations   {:>3}",
            p.label(),
            run.best()[STEPS],
            reached_at(run),
            run.distinct_syntheses()[STEPS]
        );
    }
    s
}

fn seeds(r: &Results) -> String {
    let n = SEEDS.count();
    let mut s = format!(
        "{n} seeds ({}–{}), after {} observations\n\
         policy                      best y: median   min      max     seeds ≥ 2.5   \
         distinct syntheses: median  (min–max)\n",
        SEEDS.start,
        SEEDS.end - 1,
        N_INIT + STEPS
    );
    for (p, runs) in POLICIES.iter().zip(&r.runs) {
        let best: Vec<f64> = runs.iter().map(|r| r.best()[STEPS]).collect();
        let distinct: Vec<f64> =
            runs.iter().map(|r| r.distinct_syntheses()[STEPS] as f64).collect();
        let lo = best.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = best.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let _ = writeln!(
            s,
            "{:<26}   {:.4}          {:.4}   {:.4}   {:>2} of {n}      {:>4.1}                   ({}–{})",
            p.label(),
            quantile(&best, 0.5),
            lo,
            hi,
            best.iter().filter(|&&b| b >= 2.5).count(),
            quantile(&distinct, 0.5),
            distinct.iter().copied().fold(f64::INFINITY, f64::min),
            distinct.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
    }
    s
}

/// The share of a run's chosen pairs (after the initial ones) whose operation earns at
/// least half the response's peak, y − Q(U) ≥ 0.475.
pub fn near_share(run: &Run) -> f64 {
    let x = coordinates(&run.pairs[N_INIT..]);
    let near = x
        .rows()
        .into_iter()
        .zip(&run.values[N_INIT..])
        .filter(|(row, y)| *y - quality([row[0], row[1]]) >= 0.475)
        .count();
    near as f64 / STEPS as f64
}

fn near_v_star(r: &Results) -> String {
    let mut s = String::from(
        "share of the 50 chosen pairs run near their synthesis's V* (response ≥ half its peak), \
         median over seeds (min–max)\n",
    );
    for (p, runs) in POLICIES.iter().zip(&r.runs) {
        let shares: Vec<f64> = runs.iter().map(near_share).collect();
        let _ = writeln!(
            s,
            "{:<26}   {:.2}  ({:.2}–{:.2})",
            p.label(),
            quantile(&shares, 0.5),
            shares.iter().copied().fold(f64::INFINITY, f64::min),
            shares.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
    }
    s
}
