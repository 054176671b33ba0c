//! The figures of chapter 21: refusals by reason per step of the human-guided loop; best
//! score by evaluation and by cumulative cost; accepted cost per evaluation and accepted
//! evaluations per workflow.

use super::report::human;
use super::{best_after, best_at_cost, quartiles, Results, SEEDS};
use crate::figures::{bar_chart, Colour, Layer, Legend, LinePlot, Marker};
use gradbo::test_functions::catalyst::Catalyst;
use gradbo_listings::ch21::workflows::{Stop, BUDGET};

/// Two plots side by side.
const SIZE: (u32, u32) = (1500, 660);

/// Refusals by reason at each step of the human-guided loop, summed over the seeds.
pub fn vetoes(r: &Results) -> String {
    let runs = &r.runs[human(r)];
    let steps = runs.iter().map(|x| x.steps.len() + 1).max().unwrap_or(1);
    let mut reasons: Vec<&'static str> = Vec::new();
    for x in runs {
        for (reason, _) in x.vetoes().iter() {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    reasons.sort();
    let groups: Vec<(String, Vec<f64>, usize)> = reasons
        .iter()
        .enumerate()
        .map(|(i, &reason)| {
            let per_step = (0..steps)
                .map(|k| {
                    runs.iter()
                        .map(|x| {
                            let t = match x.steps.get(k) {
                                Some(st) => Some(&st.vetoes),
                                None if k == x.steps.len() => match &x.stop {
                                    Stop::NothingAcceptable(t) => Some(t),
                                    _ => None,
                                },
                                None => None,
                            };
                            t.map_or(0, |t| t.count(reason)) as f64
                        })
                        .sum()
                })
                .collect();
            (reason.to_string(), per_step, i)
        })
        .collect();
    let categories: Vec<String> = (0..steps).map(|k| k.to_string()).collect();
    bar_chart(
        &format!(
            "Human-guided loop: refusals by reason, summed over {SEEDS} seeds"
        ),
        ("BO step", "refusals"),
        &categories,
        &groups,
        true,
    )
    .expect("chapter 21's figures draw")
}

/// Median best score by paid evaluation and by cumulative cost, every workflow.
pub fn best(r: &Results) -> String {
    let max_evals =
        r.runs.iter().flatten().map(|x| x.steps.len()).max().unwrap_or(1);
    let mut by_eval = LinePlot::new(
        &format!("median over {SEEDS} seeds, by evaluation"),
        "paid BO evaluations",
        "best score so far",
    );
    let mut by_cost = LinePlot::new(
        &format!("median over {SEEDS} seeds, by cost"),
        "cumulative BO cost",
        "best score so far",
    );
    let costs: Vec<f64> = (0..=120).map(|i| i as f64 * BUDGET / 120.0).collect();
    for (i, (w, runs)) in r.workflows.iter().zip(&r.runs).enumerate() {
        let curve_e: Vec<(f64, f64)> = (0..=max_evals)
            .map(|k| {
                let v: Vec<f64> = runs.iter().map(|x| best_after(x, k)).collect();
                (k as f64, quartiles(&v)[0])
            })
            .collect();
        let curve_c: Vec<(f64, f64)> = costs
            .iter()
            .map(|&c| {
                let v: Vec<f64> = runs.iter().map(|x| best_at_cost(x, c)).collect();
                (c, quartiles(&v)[0])
            })
            .collect();
        let line = |label: String, pts| {
            if i == 4 {
                Layer::dashed(label, pts, 3)
            } else {
                Layer::line(label, pts, i)
            }
        };
        by_eval = by_eval.with(line(w.name(), curve_e));
        by_cost = by_cost.with(line(w.name(), curve_c));
    }
    let optimum = |x1: f64| {
        Layer::dashed(
            "optimum 85.84",
            vec![(0.0, Catalyst::OPTIMAL_SCORE), (x1, Catalyst::OPTIMAL_SCORE)],
            Colour::Truth,
        )
    };
    by_eval = by_eval.with(optimum(max_evals as f64));
    by_cost = by_cost.with(optimum(BUDGET));
    for p in [&mut by_eval, &mut by_cost] {
        p.y_range = Some((40.0, 90.0));
        p.legend = Legend::LowerRight;
    }
    by_eval.x_range = Some((0.0, max_evals as f64));
    by_cost.x_range = Some((0.0, BUDGET));
    LinePlot::grid(
        "Best score by evaluation and by cost",
        SIZE,
        2,
        &[by_eval, by_cost],
    )
    .expect("chapter 21's figures draw")
}

/// The cost of each accepted evaluation, seed 0, every workflow.
pub fn accepted_cost(r: &Results) -> String {
    let mut plot = LinePlot::new(
        "Cost of each accepted evaluation (seed 0)",
        "paid BO evaluation",
        "cost",
    );
    for (i, (w, runs)) in r.workflows.iter().zip(&r.runs).enumerate() {
        let pts: Vec<(f64, f64)> = runs[0]
            .steps
            .iter()
            .enumerate()
            .map(|(k, s)| ((k + 1) as f64, s.cost))
            .collect();
        let marker = [
            Marker::Dot,
            Marker::Square,
            Marker::Triangle,
            Marker::Star,
            Marker::Cross,
        ][i % 5];
        plot = plot.with(Layer::line("", pts.clone(), i)).with(Layer::points(
            w.name(),
            pts,
            i,
            marker,
        ));
    }
    plot.y_range = Some((0.0, 16.0));
    plot.legend = Legend::UpperRight;
    plot.render().expect("chapter 21's figures draw")
}

/// Accepted (paid) evaluations per workflow: median over the seeds.
pub fn accepted(r: &Results) -> String {
    let categories: Vec<String> = r.workflows.iter().map(|w| w.name()).collect();
    let groups: Vec<(String, Vec<f64>, usize)> = vec![(
        format!("median over {SEEDS} seeds"),
        r.runs
            .iter()
            .map(|runs| {
                let v: Vec<f64> =
                    runs.iter().map(|x| x.budget.evaluations() as f64).collect();
                quartiles(&v)[0]
            })
            .collect(),
        0,
    )];
    bar_chart(
        "Accepted evaluations per workflow (paid from the budget of 60)",
        ("workflow", "paid BO evaluations"),
        &categories,
        &groups,
        false,
    )
    .expect("chapter 21's figures draw")
}
