//! The answers to chapter 18's exercises.

use super::{Job, Results, EXERCISE_SEEDS};
use crate::ch18::reading::{final_regret, summary, TIE};
use gradbo::bo::{CampaignResult, Settings};
use gradbo::gp::{FitOptions, Prior, Priors};
use gradbo::numeric::central_difference;
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use gradbo_listings::ch17::evidence::{quantile, Paired};
use gradbo_listings::ch18::campaign::campaign;
use gradbo_listings::ch18::compare::{dimensions, Arm};
use std::fmt::Write as _;

/// Exercise 1's settings: what editing `Priors::single_task` in src/gp/prior.rs so that the
/// lengthscale prior's location is √2 for every d (dropping + ½ ln d) does to the loop's
/// default fit in d dimensions.
pub fn flat_prior_settings(dim: usize) -> Settings {
    let cube = gradbo::Bounds::cube(dim, -2.0, 2.0).expect("a valid box");
    let single = Priors::single_task(dim);
    let priors = Priors {
        lengthscale: Some(Prior::LogNormal {
            loc: std::f64::consts::SQRT_2,
            scale: 3f64.sqrt(),
        }),
        ..single
    };
    let base = campaign(1, 0, 0).settings;
    Settings {
        fit: Some(FitOptions {
            priors,
            input_bounds: Some(cube),
            ..FitOptions::single_task(dim)
        }),
        ..base
    }
}

/// Exercise 1's campaign: the dimension comparison's d = 8 arm with the edited prior.
pub fn flat_prior_job(seed: u64) -> Job {
    let arm = dimensions()[2];
    let mut job = Job::arm(&arm, seed);
    job.campaign.settings = flat_prior_settings(arm.dim);
    job
}

/// Exercise 2's other splits of 30 evaluations in d = 5 (10 + 20 is the budget comparison's
/// middle arm).
pub fn splits() -> [Arm; 2] {
    [(5, 25), (20, 10)].map(|(n_init, steps)| Arm { dim: 5, n_init, steps })
}

/// The mean of |∂R/∂xⱼ| over 1024 Sobol points of the box, by central differences: how
/// strongly R changes along each variable, on average over the box.
pub fn sensitivities(dim: usize) -> Vec<f64> {
    let r = ShiftedRosenbrock::new(dim).expect("d ≥ 2");
    let x = draw_sobol_samples(r.bounds(), 1024, 0).expect("a Sobol design");
    let mut total = vec![0.0; dim];
    for row in x.rows() {
        let g = central_difference(
            |p| r.value(p.view()).expect("finite"),
            &row.to_owned(),
            1e-6,
        );
        for (t, v) in total.iter_mut().zip(&g) {
            *t += v.abs();
        }
    }
    total.iter().map(|t| t / x.nrows() as f64).collect()
}

/// The median over runs of each variable's lengthscale at the last step.
pub fn final_lengthscales(runs: &[CampaignResult]) -> Vec<f64> {
    let d = runs[0].dim();
    (0..d)
        .map(|j| {
            let at: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.history.last())
                .map(|h| h.hyperparameters.lengthscales[j])
                .collect();
            quantile(&at, 0.5)
        })
        .collect()
}

/// The variables' names ordered by `key`, smallest first.
fn order(names: &[String], values: &[f64]) -> Vec<String> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    idx.into_iter().map(|i| names[i].clone()).collect()
}

/// The answers, as the chapter's output shows them.
pub fn answers(r: &Results) -> String {
    let mut t = String::new();
    let e = EXERCISE_SEEDS.count();
    // Exercise 1.
    let library = &r.dimensions[2][..e];
    let flat = &r.flat_prior;
    let mode = |loc: f64| (loc - 3.0f64).exp();
    let loc8 = std::f64::consts::SQRT_2 + 0.5 * 8f64.ln();
    let _ = writeln!(
        t,
        "Exercise 1: the lengthscale prior in d = 8, seeds {}–{}",
        EXERCISE_SEEDS.start,
        EXERCISE_SEEDS.end - 1
    );
    let _ = writeln!(
        t,
        "  prior mode (normalised units): library {:.3}, edited {:.3} (×{:.2})",
        mode(loc8),
        mode(std::f64::consts::SQRT_2),
        mode(std::f64::consts::SQRT_2) / mode(loc8)
    );
    for (name, runs) in [("library prior", library), ("edited prior", &flat[..])] {
        let l = final_lengthscales(runs);
        let shown: Vec<String> =
            l.iter().map(|v| format!("{:.2}", v / 4.0)).collect();
        let _ = writeln!(
            t,
            "  {name:<14} final regret {}; last-step lengthscales / box width, median: {}",
            summary(&runs.iter().map(final_regret).collect::<Vec<_>>()),
            shown.join(" ")
        );
    }
    let paired = Paired {
        names: ["the library prior", "the edited prior"],
        values: [
            library.iter().map(final_regret).collect(),
            flat.iter().map(final_regret).collect(),
        ],
        tie: TIE,
    };
    let _ = writeln!(t, "  {}", paired.verdict());
    // Exercise 2.
    let _ = writeln!(t, "\nExercise 2: 30 evaluations in d = 5, split three ways");
    let middle = &r.budgets[1][..e];
    let arms: [(&str, &[CampaignResult]); 3] =
        [("5 + 25", &r.splits[0]), ("10 + 20", middle), ("20 + 10", &r.splits[1])];
    for (name, runs) in arms {
        let _ = writeln!(
            t,
            "  {name:<8} final regret {}",
            summary(&runs.iter().map(final_regret).collect::<Vec<_>>())
        );
    }
    for other in [0, 2] {
        let paired = Paired {
            names: ["10 + 20", arms[other].0],
            values: [
                middle.iter().map(final_regret).collect(),
                arms[other].1.iter().map(final_regret).collect(),
            ],
            tie: TIE,
        };
        let _ = writeln!(t, "  {}", paired.verdict());
    }
    // Exercise 3.
    let main = r.main();
    let s = sensitivities(5);
    let l = final_lengthscales(&r.budgets[1]);
    let _ =
        writeln!(t, "\nExercise 3: lengthscales against sensitivities in d = 5");
    let _ = writeln!(
        t,
        "  mean |∂R/∂xⱼ| over the box: {}",
        s.iter().map(|v| format!("{v:.0}")).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(
        t,
        "  last-step lengthscales, median over the budget comparison's 10 + 20 runs: {}",
        l.iter().map(|v| format!("{v:.2}")).collect::<Vec<_>>().join(", ")
    );
    let by_sensitivity: Vec<String> = {
        let neg: Vec<f64> = s.iter().map(|v| -v).collect();
        order(&main.names, &neg)
    };
    let by_lengthscale = order(&main.names, &l);
    let _ = writeln!(t, "  most sensitive first:   {}", by_sensitivity.join(" "));
    let _ =
        writeln!(t, "  shortest lengthscale first: {}", by_lengthscale.join(" "));
    let agree = by_sensitivity.first() == by_lengthscale.first();
    let _ = writeln!(
        t,
        "  {}",
        if agree {
            format!(
                "The most sensitive variable, {}, also has the shortest lengthscale.",
                by_sensitivity[0]
            )
        } else {
            format!(
                "The most sensitive variable is {}, but the shortest lengthscale is {}'s.",
                by_sensitivity[0], by_lengthscale[0]
            )
        }
    );
    t
}
