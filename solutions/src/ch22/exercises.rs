//! The answers to chapter 22's exercises: qNEI in place of qLogNEI over the ten seeds, a
//! recommendation by the lowest noisy observation, and how many replicates bring a
//! point's posterior standard deviation under the replication rule's thresholds.

use super::report::{study_row, STUDY_HEADER};
use super::Results;
use gradbo_listings::ch22::noisy_loop::{
    fit_model, grid_minimum, initial_design, problem, SEED, SIGMA,
};
use std::fmt::Write as _;

/// The whole answer text.
pub fn report(r: &Results) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "1. qNEI (plain, as in the PyTorch course) beside qLogNEI, same seeds and settings:");
    let _ = writeln!(s, "{STUDY_HEADER}");
    let _ = writeln!(s, "{}", study_row("qLogNEI", &r.study[2]));
    let _ = writeln!(s, "{}", study_row("qNEI", &r.plain));
    let same = r.study[2]
        .iter()
        .zip(&r.plain)
        .filter(|(a, b)| (a.last().recommended - b.last().recommended).abs() < 0.05)
        .count();
    let _ = writeln!(s, "seeds whose final recommendations lie within 0.05 of each other: {same} of {}", r.plain.len());
    let _ = writeln!(s);
    let _ = writeln!(s, "2. Recommending the lowest noisy observation instead of the lowest posterior mean (single run, seed 7):");
    let _ = writeln!(s, "method            lowest y   at x      latent f there  regret   | model's recommendation: regret");
    let f = problem();
    let (_, fmin) = grid_minimum();
    for run in &r.single {
        let k = (0..run.y.len())
            .fold(0, |b, i| if run.y[i] < run.y[b] { i } else { b });
        let x = run.x[[k, 0]];
        let _ = writeln!(
            s,
            "{:<17} {:>8.4}  {:>7.4}  {:>14.4}  {:>6.4}   | {:.4}",
            run.method.name(),
            run.y[k],
            x,
            f.eval(x),
            f.eval(x) - fmin,
            run.last().regret()
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "3. Posterior sd at a point observed n times with σ = {SIGMA}, away from other data:");
    let (x, y) = initial_design(SEED).expect("the design draws");
    let prior = fit_model(&x, &y)
        .expect("the model fits")
        .data_units()
        .expect("finite")
        .outputscale;
    let _ = writeln!(s, "   σ/√n ignores the prior; with the prior variance s² = {prior:.4} of the design's model, 1/√(1/s² + n/σ²)");
    let _ = writeln!(s, "   n   σ/√n     with the prior");
    let mut under = [None, None];
    for n in 1..=8 {
        let plain = SIGMA / (n as f64).sqrt();
        let with_prior = 1.0 / (1.0 / prior + n as f64 / (SIGMA * SIGMA)).sqrt();
        for (slot, threshold) in under.iter_mut().zip([0.10, 0.05]) {
            if slot.is_none() && with_prior <= threshold {
                *slot = Some(n);
            }
        }
        let _ = writeln!(s, "   {n}   {plain:.4}   {with_prior:.4}");
    }
    let show =
        |v: Option<usize>| v.map_or("more than 8".to_string(), |n| n.to_string());
    let _ = writeln!(
        s,
        "   replicates needed for sd ≤ 0.10: {}; for sd ≤ 0.05: {} (the rule stops at 5 repeats)",
        show(under[0]),
        show(under[1])
    );
    s
}
