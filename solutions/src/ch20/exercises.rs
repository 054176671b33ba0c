//! The exercises' runs: snapping first (the library change), the latent cube's shares of
//! the experiments, and an ordinal encoding of the solvent.

use gradbo::acquisition::{Acquisition, Analytic, Direction};
use gradbo::mixed::{optimize_acqf_discrete, MixedSpace, Variable};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::catalyst::{
    score, Catalyst, Design, DesignKey, Pipeline,
};
use gradbo::Bounds;
use gradbo_listings::ch20::loops::{
    feasible_set, fit_scores, from_natural, initial_design, natural, Method, Run,
    PROBLEM, STEPS,
};
use std::collections::BTreeMap;

/// Sobol points that estimate the shares of the latent cube.
pub const SHARE_POINTS: usize = 1 << 16;

/// The share of the latent cube that repairs to the optimum, in closed form: T ∈ [122.5,
/// 127.5) (a width of 0.05 in r_T), L ∈ [0.075, 0.085) (0.01/0.19 in r_L), a decoded time
/// of 40 min or less (r_t ≤ 0.875), any solvent (above 110 °C every solvent becomes C).
pub fn optimum_share() -> f64 {
    0.05 * (0.01 / 0.19) * 0.875
}

/// The share of `SHARE_POINTS` Sobol points of the latent cube that repairs to each
/// experiment.
pub fn shares() -> BTreeMap<DesignKey, f64> {
    let points =
        draw_sobol_samples(&Bounds::unit(4).expect("a box"), SHARE_POINTS, 20)
            .expect("Sobol points");
    let mut counts = BTreeMap::new();
    for p in points.rows() {
        let d = PROBLEM.evaluate(p).expect("a latent point").repaired.design;
        *counts.entry(d.key()).or_insert(0usize) += 1;
    }
    counts.into_iter().map(|(k, c)| (k, c as f64 / SHARE_POINTS as f64)).collect()
}

/// The number of reachable experiments at which an edge penalty applies, for a pipeline.
pub fn penalised(pipeline: Pipeline) -> (usize, usize) {
    let all = Catalyst::new(pipeline).reachable_designs();
    let with = all.iter().filter(|d| has_edge_penalty(d)).count();
    (all.len(), with)
}

/// Whether the score's edge term applies (the same exact tests as the score).
#[allow(clippy::float_cmp)]
pub fn has_edge_penalty(d: &Design) -> bool {
    use gradbo::test_functions::catalyst::Solvent;
    let (t, l) = (d.temperature, d.loading);
    match d.solvent {
        Solvent::A => t == 85.0,
        Solvent::B => t == 88.0 || t == 108.0 || l == 0.13,
        Solvent::C => t == 118.0 || t == 132.0 || l == 0.06 || l == 0.10,
    }
}

/// The mixed space with the solvent as one number 0, 1, 2 (A, B, C) instead of one-hot.
pub fn ordinal_space() -> gradbo::Result<MixedSpace> {
    MixedSpace::new(vec![
        Variable::continuous("T", 40.0, 140.0),
        Variable::continuous("L", 0.01, 0.20),
        Variable::discrete("t", &[10.0, 20.0, 30.0, 40.0, 50.0]),
        Variable::discrete("s", &[0.0, 1.0, 2.0]),
    ])
}

/// The mixed loop of the chapter with [`ordinal_space`].
pub fn ordinal_run(seed: u64) -> gradbo::Result<Run> {
    let space = ordinal_space()?;
    let feasible = feasible_set()?;
    let latent = initial_design(seed)?;
    let mut designs = Vec::new();
    let mut scores = Vec::new();
    for r in latent.rows() {
        let e = PROBLEM.evaluate(r)?;
        designs.push(e.repaired.design);
        scores.push(e.score);
    }
    let mut best = Vec::new();
    for step in 0..=STEPS {
        best.push(scores.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        if step == STEPS {
            break;
        }
        let evaluated = natural(&designs);
        let model = fit_scores(&space.encode(evaluated.view())?, &scores)?;
        let incumbent = best[step];
        let log_ei = Analytic::new(
            &model,
            Acquisition::LogExpectedImprovement { best: incumbent },
            Direction::Maximise,
        )?;
        let choice = optimize_acqf_discrete(
            &log_ei,
            &space,
            feasible.view(),
            evaluated.view(),
        )?;
        let d = from_natural(choice.design.view());
        scores.push(score(&d)?);
        designs.push(d);
    }
    Ok(Run {
        method: Method::Mixed,
        seed,
        latent: vec![None; designs.len()],
        designs,
        scores,
        best,
        rejections: vec![0; STEPS],
        fallbacks: 0,
        accepted_attempt: Vec::new(),
    })
}
