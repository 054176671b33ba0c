//! What the fitted models learned, and the answers to chapter 25's exercises.

use super::{Results, SEEDS};
use gradbo::candidates::{best_unevaluated, choose_in_groups, Library};
use gradbo::gp::{fit, FitOptions};
use gradbo::test_functions::hierarchical::{PAIRS, SYNTHESES};
use gradbo::Bounds;
use gradbo_listings::ch25::policies::{
    coordinates, flat_scores, initial_pairs, Structured, N_INIT, STEPS, TOP_K,
};
use ndarray::Array1;
use std::fmt::Write as _;

/// Both models fitted to the 60 pairs of the chapter seed's flat run: the flat GP's
/// lengthscales, and the structured GP's lengthscales and shares.
pub fn models(r: &Results) -> String {
    let run = &r.runs[0][0];
    let x = coordinates(&run.pairs);
    let y = Array1::from(run.values.clone());
    let options = FitOptions {
        input_bounds: Some(Bounds::unit(4).expect("a box")),
        threads: 1,
        ..FitOptions::single_task(4)
    };
    let flat = fit(x.view(), &y, &options).expect("the flat GP fits");
    let ls = flat.data_units().expect("finite").lengthscales;
    let structured = Structured::fit(&x, &run.values, &Structured::START)
        .expect("the structured GP fits");
    let t = structured.theta.map(f64::exp);
    format!(
        "both models fitted to the {} pairs of the flat policy's run, seed {}\n\
         flat GP lengthscales (u1, u2, v1, v2): ({:.3}, {:.3}, {:.3}, {:.3})\n\
         structured GP: quality term ℓ_Q = ({:.3}, {:.3}), share s_Q = {:.3}\n\
         \x20              operation term ℓ_U = ({:.3}, {:.3}), ℓ_V = ({:.3}, {:.3}), share s_I = {:.3}\n",
        N_INIT + STEPS,
        SEEDS.start,
        ls[0],
        ls[1],
        ls[2],
        ls[3],
        t[0],
        t[1],
        t[6],
        t[2],
        t[3],
        t[4],
        t[5],
        t[7],
    )
}

/// The answers.
pub fn answers(r: &Results) -> String {
    let mut s = String::new();
    // 1. What the product structure saves at n = 60.
    let n = N_INIT + STEPS;
    let packed = n * (n + 1) / 2;
    let _ = writeln!(
        s,
        "1. at n = {n} observations: kernel values {} (every pair) against {} (225 syntheses \
         and 225 operations); variance multiply-adds {} (a triangular solve of n²/2 per pair) \
         against {} (one {SYNTHESES} × {packed} by {packed} × {SYNTHESES} matrix product)",
        PAIRS * n,
        2 * SYNTHESES * n,
        PAIRS * n * n / 2,
        SYNTHESES * packed * SYNTHESES,
    );
    // 2. k = 1 makes the two-stage rule the flat one; k = 5 differs how often?
    let groups = Library::product_groups(SYNTHESES, SYNTHESES);
    let (mut same_k1, mut same_k5) = (0, 0);
    for seed in SEEDS {
        let pairs = initial_pairs(seed);
        let values: Vec<f64> = pairs.iter().map(|&p| r.y[p]).collect();
        let mut open = vec![true; PAIRS];
        for &p in &pairs {
            open[p] = false;
        }
        let a = flat_scores(&pairs, &values, &open).expect("the flat GP fits");
        let flat = best_unevaluated(a.view(), &open).expect("open pairs").0;
        let k1 = choose_in_groups(a.view(), &open, &groups, 1)
            .expect("open pairs")
            .index;
        let k5 = choose_in_groups(a.view(), &open, &groups, TOP_K)
            .expect("open pairs")
            .index;
        same_k1 += usize::from(k1 == flat);
        same_k5 += usize::from(k5 == flat);
    }
    let n_seeds = SEEDS.count();
    let _ = writeln!(
        s,
        "2. first choice after the initial pairs, {n_seeds} seeds: two-stage with k = 1 equals \
         the flat choice in {same_k1} of {n_seeds}; with k = {TOP_K} in {same_k5} of {n_seeds}"
    );
    // 3. Random search: the chance of at least one pair with y ≥ 2.5 in 50 draws.
    let m = r.y.iter().filter(|&&v| v >= 2.5).count();
    let total = PAIRS - N_INIT;
    let miss: f64 =
        (0..STEPS).map(|i| (total - m - i) as f64 / (total - i) as f64).product();
    let _ = writeln!(
        s,
        "3. {m} of the {PAIRS} pairs have y ≥ 2.5; {STEPS} random draws without replacement \
         from {total} pairs find one with probability {:.4}",
        1.0 - miss
    );
    s
}
