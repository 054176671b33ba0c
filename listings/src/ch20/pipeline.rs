//! Decode → repair → score on the chapter's initial design, and every experiment the
//! pipeline can reach, scored: the yardstick for the loops.

use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::catalyst::{
    score, Catalyst, Design, Evaluation, Pipeline,
};
use gradbo::Bounds;

// ANCHOR: initial
/// The initial design of `seed` (eight Sobol points of [0, 1]⁴), each point followed
/// through the pipeline.
pub fn initial_table(seed: u64) -> gradbo::Result<Vec<(Vec<f64>, Evaluation)>> {
    let problem = Catalyst::new(Pipeline::SnapInRepair);
    let latent = draw_sobol_samples(&Bounds::unit(4)?, 8, seed)?;
    latent
        .rows()
        .into_iter()
        .map(|r| Ok((r.to_vec(), problem.evaluate(r)?)))
        .collect()
}
// ANCHOR_END: initial

// ANCHOR: enumerate
/// Every reachable experiment with its score, best first.
pub fn ranked(pipeline: Pipeline) -> gradbo::Result<Vec<(Design, f64)>> {
    let mut all: Vec<(Design, f64)> = Catalyst::new(pipeline)
        .reachable_designs()
        .into_iter()
        .map(|d| Ok((d, score(&d)?)))
        .collect::<gradbo::Result<_>>()?;
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(all)
}
// ANCHOR_END: enumerate

pub fn main() -> gradbo::Result<()> {
    for (latent, e) in initial_table(6)? {
        let flags: Vec<String> =
            e.repaired.flags.iter().map(|f| f.name()).collect();
        println!(
            "{:.6?} → {} → {} {:.6} [{}]",
            latent,
            e.decoded,
            e.repaired.design,
            e.score,
            flags.join(", ")
        );
    }
    let all = ranked(Pipeline::SnapInRepair)?;
    println!("{} reachable experiments", all.len());
    for (d, s) in &all[..5] {
        println!("{} {s:.6}", d.key());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::test_functions::catalyst::Solvent;

    #[test]
    fn every_initial_point_is_repaired_and_scored_from_its_repaired_experiment() {
        let rows = initial_table(6).unwrap();
        assert_eq!(rows.len(), 8);
        for (_, e) in &rows {
            assert_eq!(score(&e.repaired.design).unwrap(), e.score);
            // A repaired experiment is a fixed point of the window rules it satisfies.
            assert!(
                e.repaired.design.solvent == Solvent::C
                    || e.repaired.design.temperature <= 110.0
            );
        }
    }

    #[test]
    fn the_yardstick_is_the_course_optimum() {
        let all = ranked(Pipeline::SnapInRepair).unwrap();
        assert_eq!(all.len(), 210);
        assert_eq!(all[0].0.key(), Catalyst::OPTIMUM.key());
        assert!((all[0].1 - 85.844335).abs() < 5e-7);
        assert!((all[209].1 - 19.260789).abs() < 5e-7);
    }
}
