//! Sentences that read chapter 18's runs: built from the numbers, so that the text says what
//! the runs show and no more.

use gradbo::bo::CampaignResult;
use gradbo_listings::ch17::evidence::{quantile, Paired};
use gradbo_listings::ch18::campaign::{lengthscales, noise, regret};
use gradbo_listings::ch18::compare::Arm;
use std::fmt::Write as _;

/// Final regrets closer than this count as ties.
pub const TIE: f64 = 1e-3;

/// The regret after the campaign's last step (R* = 0).
pub fn final_regret(r: &CampaignResult) -> f64 {
    regret(r).last().copied().unwrap_or(f64::NAN)
}

/// A number to four significant figures, without exponent for the sizes met here.
pub fn sig(v: f64) -> String {
    let a = v.abs();
    if a >= 1000.0 {
        format!("{v:.0}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else if a >= 10.0 {
        format!("{v:.2}")
    } else if a >= 0.01 || a == 0.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.2e}")
    }
}

/// "median (lower quartile – upper quartile)" of `values`.
pub fn summary(values: &[f64]) -> String {
    format!(
        "{} ({}–{})",
        sig(quantile(values, 0.5)),
        sig(quantile(values, 0.25)),
        sig(quantile(values, 0.75))
    )
}

/// Which steps improved on the best value so far (1-based).
pub fn improving_steps(r: &CampaignResult) -> Vec<usize> {
    let b = r.best_so_far();
    (1..b.len()).filter(|&k| b[k] < b[k - 1]).collect()
}

/// What the chapter's single campaign shows through its diagnostics.
pub fn campaign(r: &CampaignResult) -> String {
    let b = r.best_so_far();
    let steps = b.len() - 1;
    let better = improving_steps(r);
    let mut t = String::new();
    let last = better.last().copied();
    let _ = write!(
        t,
        "In this run the best value fell from {} after the design to {} after {steps} steps; \
         {} of the {steps} steps improved on the best so far",
        sig(b[0]),
        sig(b[steps]),
        better.len()
    );
    match last {
        Some(k) if k == steps => {
            let _ = write!(t, ", the last of them the final step, so the run was still improving when the budget ran out. ");
        }
        Some(k) => {
            let _ = write!(
                t,
                ", the last at step {k}: the final {} steps found nothing better. ",
                steps - k
            );
        }
        None => {
            let _ = write!(t, ". ");
        }
    }
    let l = lengthscales(r);
    let k = l.nrows() - 1;
    let row = l.row(k);
    let (short, long) = extremes(row.as_slice().unwrap_or(&[]));
    let _ = write!(
        t,
        "At the last fit the shortest lengthscale was {}'s ({}) and the longest {}'s ({}), \
         on a box 4 wide in every variable. ",
        r.names[short],
        sig(row[short]),
        r.names[long],
        sig(row[long])
    );
    let noise = noise(r);
    let y = &r.y.as_slice().unwrap_or(&[])[..r.history[k].observations];
    let ratio = noise[k] / variance(y);
    let floor = 1e-4;
    if ratio > 10.0 * floor {
        let _ = write!(
            t,
            "The learned noise variance ended at {} of the observations' variance, {:.0} times \
             the fit's floor of 10⁻⁴: R is computed exactly, so this is the part of the data \
             the smooth model does not follow and explains as noise.",
            sig(ratio),
            ratio / floor
        );
    } else {
        let _ = write!(
            t,
            "The learned noise variance ended at {} of the observations' variance, close to \
             the fit's floor of 10⁻⁴: the model all but interpolates the data.",
            sig(ratio)
        );
    }
    t
}

/// The indices of the smallest and the largest value.
fn extremes(v: &[f64]) -> (usize, usize) {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    (idx[0], idx[idx.len() - 1])
}

/// The sample (n − 1) variance.
pub fn variance(y: &[f64]) -> f64 {
    let n = y.len() as f64;
    let m = y.iter().sum::<f64>() / n;
    y.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)
}

/// The two verdicts of a comparison of three arms: each arm against the next.
pub fn verdicts(names: [&str; 3], runs: &[Vec<CampaignResult>]) -> String {
    let finals: Vec<Vec<f64>> =
        runs.iter().map(|rs| rs.iter().map(final_regret).collect()).collect();
    let mut t = String::new();
    for a in 0..2 {
        let paired = Paired {
            names: [names[a], names[a + 1]],
            values: [finals[a].clone(), finals[a + 1].clone()],
            tie: TIE,
        };
        let _ = writeln!(t, "- {}", paired.verdict());
    }
    t
}

/// What the dimension comparison supports: the medians, and whether the middle halves of
/// the final regrets overlap.
pub fn dimensions(
    arms: &[Arm],
    runs: &[Vec<CampaignResult>],
    typical: &[f64],
) -> String {
    let finals: Vec<Vec<f64>> =
        runs.iter().map(|rs| rs.iter().map(final_regret).collect()).collect();
    let med: Vec<f64> = finals.iter().map(|f| quantile(f, 0.5)).collect();
    let rel: Vec<f64> = med.iter().zip(typical).map(|(m, t)| m / t).collect();
    let rising = med.windows(2).all(|w| w[1] > w[0]);
    let apart = (0..finals.len() - 1)
        .all(|a| quantile(&finals[a], 0.75) < quantile(&finals[a + 1], 0.25));
    let list = |v: &[f64]| {
        arms.iter()
            .zip(v)
            .map(|(a, m)| format!("{} in d = {}", sig(*m), a.dim))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut t = format!("After 30 steps the median regret was {}. ", list(&med));
    let _ = write!(
        t,
        "{} ",
        match (rising, apart) {
            (true, true) => "It rises with the dimension, and the middle halves of the seeds (between the quartiles) do not overlap; the seed-by-seed counts below say how firmly eight seeds separate each pair.",
            (true, false) => "It rises with the dimension, but the middle halves of the seeds (between the quartiles) overlap; the seed-by-seed counts below say how firmly eight seeds separate each pair.",
            _ => "It does not rise steadily with the dimension.",
        }
    );
    let rel_rising = rel.windows(2).all(|w| w[1] > w[0]);
    let _ = write!(
        t,
        "As a fraction of R's median over each box it was {}{}",
        list(&rel),
        if rel_rising {
            ": the ordering holds on that scale too."
        } else {
            ": on that scale the ordering is not uniform, so part of the difference in raw \
             regret is the larger values a sum of more terms takes."
        }
    );
    t
}

/// What the budget comparison shows at equal evaluations: the median regret of each arm
/// after `at` evaluations, where it has spent that many.
pub fn at_evaluations(
    arms: &[Arm],
    runs: &[Vec<CampaignResult>],
    at: usize,
) -> Vec<Option<f64>> {
    arms.iter()
        .zip(runs)
        .map(|(arm, rs)| {
            (at >= arm.n_init && at <= arm.evaluations()).then(|| {
                let v: Vec<f64> =
                    rs.iter().map(|r| regret(r)[at - arm.n_init]).collect();
                quantile(&v, 0.5)
            })
        })
        .collect()
}
