//! The figures of chapter 19: the first run's best so far and candidate coordinates; batch
//! sizes by round and by evaluations; within-batch spread; the strategies; the check that
//! the distance rules are kept.

use super::{best_after, by_round, geometry_of, Results, Q_SIZES, SEEDS};
use crate::figures::{Colour, Layer, Legend, LinePlot};
use gradbo_listings::ch19::batch_loop::{self, Run, DIM, RADIUS, ROUNDS};

/// Two plots side by side.
const WIDE: (u32, u32) = (1500, 640);
/// Colours of the batch sizes and of the strategies (green is kept for the radius).
const SERIES: [usize; 4] = [0, 1, 3, 5];
/// The radius's colour: bluish green.
const GREEN: usize = 2;

fn draw(result: crate::figures::DrawResult<String>) -> String {
    result.expect("chapter 19's figures draw")
}

/// A log axis from the power of ten below the smallest value to 1000 (every best value
/// after a Sobol design of R lies below it), so that at least two decades are labelled.
fn log_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let low = values.fold(f64::INFINITY, f64::min).max(1e-6);
    (10f64.powf(low.log10().floor()), 1000.0)
}

/// Rounds 0 … ROUNDS (0 is the design).
fn rounds_from_zero() -> Vec<f64> {
    (0..=ROUNDS).map(|k| k as f64).collect()
}

/// A median line with a translucent quartile band.
fn median_and_band(
    plot: LinePlot,
    label: &str,
    x: &[f64],
    q: &[[f64; 3]],
    colour: usize,
) -> LinePlot {
    let lower: Vec<f64> = q.iter().map(|m| m[1]).collect();
    let upper: Vec<f64> = q.iter().map(|m| m[2]).collect();
    let median = x.iter().zip(q).map(|(&x, m)| (x, m[0])).collect();
    plot.with(Layer::spread("", x, &lower, &upper, colour))
        .with(Layer::line(label, median, colour))
}

/// The first run's best value so far against round.
pub fn best(r: &Results) -> String {
    let run = r.first();
    let points = run
        .best_by_round()
        .into_iter()
        .enumerate()
        .map(|(k, b)| (k as f64, b))
        .collect();
    let mut plot = LinePlot::new(
        "Best so far, four experiments per round (seed 7)",
        "round (0 = the initial design)",
        "best R so far (log scale)",
    )
    .with(Layer::path("best so far", points, Colour::Mean));
    plot.y_log = true;
    plot.y_range = Some(log_range(run.best_by_round().into_iter()));
    plot.x_range = Some((0.0, ROUNDS as f64));
    draw(plot.render())
}

/// The first run's candidates: one panel per variable, the q values of each round at
/// that round, the minimiser's coordinate dashed.
pub fn coordinates(r: &Results) -> String {
    let run = r.first();
    let plots: Vec<LinePlot> = (0..DIM)
        .map(|i| {
            let points = (1..=ROUNDS)
                .flat_map(|k| {
                    run.rounds[k - 1]
                        .batch
                        .column(i)
                        .iter()
                        .map(move |&v| (k as f64, v))
                        .collect::<Vec<_>>()
                })
                .collect();
            let c = -1.5 + 3.0 * i as f64 / (DIM - 1) as f64;
            let mut plot = LinePlot::new(
                &format!("x{}", subscript(i + 1)),
                "round",
                &format!("x{}", subscript(i + 1)),
            )
            .with(Layer::dots("batch points", points, Colour::Observation))
            .with(Layer::dashed(
                format!("minimiser c{} = {c}", subscript(i + 1)),
                vec![(0.5, c), (ROUNDS as f64 + 0.5, c)],
                GREEN,
            ));
            plot.x_range = Some((0.5, ROUNDS as f64 + 0.5));
            plot.y_range = Some((-2.2, 3.4));
            plot.legend = Legend::UpperLeft;
            plot
        })
        .collect();
    draw(LinePlot::grid(
        "Candidate coordinates per round, q = 4 (seed 7)",
        (1400, 1100),
        2,
        &plots,
    ))
}

fn subscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

/// Best so far by round and by evaluations for each q: medians and quartiles.
pub fn batch_sizes(r: &Results) -> String {
    let x = rounds_from_zero();
    let mut per_round =
        LinePlot::new("By round", "round", "best R so far (log scale)");
    let mut by_evaluations =
        LinePlot::new("By evaluations", "evaluations", "best R so far (log scale)");
    for ((runs, &q), &colour) in r.by_q.iter().zip(&Q_SIZES).zip(&SERIES) {
        let quart = by_round(runs, best_after);
        let label = format!("q = {q}");
        per_round = median_and_band(per_round, &label, &x, &quart, colour);
        let evaluations: Vec<f64> =
            runs[0].best_by_evaluations().iter().map(|(e, _)| *e as f64).collect();
        by_evaluations =
            median_and_band(by_evaluations, &label, &evaluations, &quart, colour);
    }
    let range = log_range(
        r.by_q.iter().flat_map(|runs| by_round(runs, best_after)).map(|m| m[1]),
    );
    for p in [&mut per_round, &mut by_evaluations] {
        p.y_log = true;
        p.y_range = Some(range);
    }
    draw(LinePlot::grid(
        &format!("Batch sizes: median and quartiles over {} seeds", SEEDS.len()),
        WIDE,
        2,
        &[per_round, by_evaluations],
    ))
}

/// Rounds 1 … ROUNDS.
fn rounds_from_one() -> Vec<f64> {
    (1..=ROUNDS).map(|k| k as f64).collect()
}

/// `f` of each round's batch (1 … ROUNDS): quartiles over the runs.
fn geometry_by_round(runs: &[Run], which: usize) -> Vec<[f64; 3]> {
    by_round(
        runs,
        |run, k| if k == 0 { f64::NAN } else { geometry_of(run, k)[which] },
    )[1..]
        .to_vec()
}

/// Mean within-batch distance by round for each q.
pub fn spread(r: &Results) -> String {
    let x = rounds_from_one();
    let mut plot = LinePlot::new(
        &format!("Mean distance within a batch, {} seeds", SEEDS.len()),
        "round",
        "mean pairwise distance",
    );
    for ((runs, &q), &colour) in r.by_q.iter().zip(&Q_SIZES).zip(&SERIES) {
        plot = median_and_band(
            plot,
            &format!("q = {q}"),
            &x,
            &geometry_by_round(runs, 0),
            colour,
        );
    }
    plot.x_range = Some((1.0, ROUNDS as f64));
    plot.y_range = Some((-0.15, 5.5));
    draw(plot.render())
}

/// The strategies: best so far and mean within-batch distance by round.
pub fn strategies(r: &Results) -> String {
    let names: Vec<String> =
        super::strategies().into_iter().map(batch_loop::name).collect();
    let mut best =
        LinePlot::new("Best so far", "round", "best R so far (log scale)");
    let mut spread = LinePlot::new(
        "Mean distance within the batch",
        "round",
        "mean pairwise distance",
    );
    for ((runs, name), &colour) in r.by_strategy.iter().zip(&names).zip(&SERIES) {
        best = median_and_band(
            best,
            name,
            &rounds_from_zero(),
            &by_round(runs, best_after),
            colour,
        );
        spread = median_and_band(
            spread,
            name,
            &rounds_from_one(),
            &geometry_by_round(runs, 0),
            colour,
        );
    }
    best.y_log = true;
    best.y_range = Some(log_range(
        r.by_strategy
            .iter()
            .flat_map(|runs| by_round(runs, best_after))
            .map(|m| m[1]),
    ));
    spread.y_range = Some((0.0, 6.0));
    spread.legend = Legend::UpperLeft;
    draw(LinePlot::grid(
        &format!(
            "Four batch strategies, q = 4: median and quartiles over {} seeds",
            SEEDS.len()
        ),
        WIDE,
        2,
        &[best, spread],
    ))
}

/// The rules kept: the smallest distance of the joint and exclusion batches and the
/// largest of the inclusion batches, by round, against the radius.
pub fn enforcement(r: &Results) -> String {
    let x = rounds_from_one();
    let range = |runs: &[Run], which: usize| -> Vec<[f64; 3]> {
        (1..=ROUNDS)
            .map(|k| {
                let v: Vec<f64> =
                    runs.iter().map(|run| geometry_of(run, k)[which]).collect();
                let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                [super::quartiles(&v)[0], lo, hi]
            })
            .collect()
    };
    let mut plot = LinePlot::new(
        &format!("Are the rules kept? {} seeds: median and range", SEEDS.len()),
        "round",
        "pairwise distance within the batch",
    );
    let s = &r.by_strategy;
    // The joint batches obey no rule: their median alone, so that the rules' bands show.
    let joint = x.iter().zip(range(&s[0], 1)).map(|(&x, m)| (x, m[0])).collect();
    plot =
        plot.with(Layer::line("joint qLogEI: smallest (median)", joint, SERIES[0]));
    plot = median_and_band(
        plot,
        "exclusion: smallest",
        &x,
        &range(&s[2], 1),
        SERIES[2],
    );
    plot = median_and_band(
        plot,
        "inclusion: largest",
        &x,
        &range(&s[3], 2),
        SERIES[3],
    );
    plot = plot.with(Layer::dashed(
        format!("r = {RADIUS}"),
        vec![(1.0, RADIUS), (ROUNDS as f64, RADIUS)],
        GREEN,
    ));
    plot.x_range = Some((1.0, ROUNDS as f64));
    plot.y_range = Some((0.0, 6.0));
    draw(plot.render())
}
