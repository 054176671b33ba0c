//! The figures of chapter 20: best score by step for the three loops (the chapter's seed,
//! and medians with quartiles over seeds); distinct experiments and rejected proposals.

use super::Results;
use crate::figures::{Colour, Layer, Legend, Panel};
use gradbo::test_functions::catalyst::Catalyst;
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch20::loops::{Run, ATTEMPTS, STEPS};

/// Two panels side by side.
const SIZE: (u32, u32) = (1500, 640);
/// Okabe–Ito colours of the naive, repair-aware and mixed loops.
const COLOURS: [usize; 3] = [1, 0, 2];
const LABELS: [&str; 3] = ["naive latent", "repair-aware latent", "mixed space"];

fn steps() -> Vec<f64> {
    (0..=STEPS).map(|s| s as f64).collect()
}

fn optimum_line() -> Layer {
    Layer::dashed(
        "optimum 85.844 (all 210 experiments)",
        vec![
            (0.0, Catalyst::OPTIMAL_SCORE),
            (STEPS as f64, Catalyst::OPTIMAL_SCORE),
        ],
        Colour::Truth,
    )
}

/// Best score by step: the chapter's seed (left), medians and quartiles over seeds (right).
pub fn best(r: &Results) -> String {
    let mut left = Panel::new("seed 6", "step", "best score so far");
    for (k, run) in r.chapter.iter().enumerate() {
        let label = if k == 1 {
            format!("{} ({ATTEMPTS} attempts)", LABELS[k])
        } else {
            LABELS[k].to_string()
        };
        let points = steps().into_iter().zip(run.best.iter().copied()).collect();
        left = left.with(Layer::line(label, points, COLOURS[k]));
    }
    left = left.with(optimum_line());
    let mut right = Panel::new(
        "median and quartiles over 10 seeds",
        "step",
        "best score so far",
    );
    let xs = steps();
    let stats: Vec<[Vec<f64>; 3]> = r.seeds.iter().map(|runs| band(runs)).collect();
    for (k, b) in stats.iter().enumerate() {
        right = right.with(Layer::spread("", &xs, &b[1], &b[2], COLOURS[k]));
    }
    for (k, b) in stats.iter().enumerate() {
        let median = xs.iter().copied().zip(b[0].iter().copied()).collect();
        right = right.with(Layer::line(
            format!("{} (median, quartiles)", LABELS[k]),
            median,
            COLOURS[k],
        ));
    }
    right = right.with(optimum_line());
    for p in [&mut left, &mut right] {
        p.x_range = Some((0.0, STEPS as f64));
        p.y_range = Some((40.0, 92.0));
        p.legend = Some(Legend::LowerRight);
    }
    Panel::grid(
        "Best score by step: latent loops and the mixed-space loop",
        SIZE,
        2,
        &[left, right],
    )
    .expect("chapter 20's figures draw")
}

/// Median, first and third quartiles of the best score at each step.
fn band(runs: &[Run]) -> [Vec<f64>; 3] {
    let at = |s: usize, q: f64| {
        let v: Vec<f64> = runs.iter().map(|r| r.best[s]).collect();
        quantile(&v, q)
    };
    [0.5, 0.25, 0.75].map(|q| (0..=STEPS).map(|s| at(s, q)).collect())
}

/// Distinct experiments among the accepted candidates (left) and the repair-aware loop's
/// cumulative rejected proposals (right), on the chapter's seed.
pub fn distinct(r: &Results) -> String {
    let mut left = Panel::new(
        "distinct experiments among the accepted candidates",
        "step",
        "distinct experiments",
    );
    for (k, run) in r.chapter.iter().enumerate() {
        let points = (1..=STEPS)
            .map(|s| s as f64)
            .zip(run.distinct_accepted().iter().map(|&d| d as f64))
            .collect();
        // The repair-aware and mixed loops coincide (one new experiment per step): the
        // mixed loop is dashed so that both show.
        left = left.with(if k == 2 {
            Layer::dashed(LABELS[k], points, COLOURS[k])
        } else {
            Layer::line(LABELS[k], points, COLOURS[k])
        });
    }
    left.x_range = Some((1.0, STEPS as f64));
    left.y_range = Some((0.0, STEPS as f64 + 1.0));
    let aware = &r.chapter[1];
    let mut total = 0.0;
    let cumulative: Vec<(f64, f64)> = aware
        .rejections
        .iter()
        .enumerate()
        .map(|(s, &n)| {
            total += n as f64;
            ((s + 1) as f64, total)
        })
        .collect();
    let mut right = Panel::new(
        "rejected proposals, repair-aware loop",
        "step",
        "cumulative rejected proposals",
    )
    .with(Layer::line(
        format!("{ATTEMPTS} attempts per step"),
        cumulative,
        COLOURS[1],
    ));
    right.x_range = Some((1.0, STEPS as f64));
    right.y_range = Some((0.0, total.max(1.0) * 1.08));
    right.legend = Some(Legend::UpperLeft);
    left.legend = Some(Legend::UpperLeft);
    Panel::grid(
        "Seed 6: how many different experiments each loop ran",
        SIZE,
        2,
        &[left, right],
    )
    .expect("chapter 20's figures draw")
}
