//! The figures of chapter 24: the three fidelities, the true value at the recommendation by
//! cost, the fidelity of each evaluation, the final recommendations and models, the
//! contextual objective, and the six test contexts.

use super::{h_star, quartiles, Results, SEEDS};
use crate::figures::{Colour, Layer, Legend, LinePlot, Marker, Panel};
use gradbo::augmented::slice;
use gradbo::test_functions::cocatalyst::{
    contextual, grid, multi_fidelity, target,
};
use gradbo_listings::ch24::context::TEST_CONTEXTS;
use gradbo_listings::ch24::fidelity::{Kind, Run, BUDGET};
use gradbo_listings::ch24::functions::context_optima;

const LOADING: &str = "co-catalyst loading x";

/// F(x, s) at the three levels, with the high-fidelity optimum dashed.
pub fn fidelities() -> String {
    let xs = grid();
    let (x_star, _) = h_star();
    let mut plot = LinePlot::new(
        "The activity at three fidelities, F(x, s)",
        LOADING,
        "measured activity F(x, s)",
    );
    for (i, s) in [0.2, 0.5, 1.0].into_iter().enumerate() {
        let pts: Vec<(f64, f64)> =
            xs.iter().map(|&x| (x, multi_fidelity(x, s))).collect();
        let label = if s == 1.0 {
            "s = 1: the target h(x)".to_string()
        } else {
            format!("s = {s}")
        };
        plot = if s == 1.0 {
            plot.with(Layer::line(label, pts, Colour::Truth))
        } else {
            plot.with(Layer::line(label, pts, i + 1))
        };
    }
    plot = plot.with(Layer::dashed(
        format!("high-fidelity optimum x = {x_star:.4}"),
        vec![(x_star, 0.2), (x_star, 1.4)],
        Colour::Chosen,
    ));
    plot.y_range = Some((0.2, 1.4));
    plot.legend = Legend::UpperLeft;
    plot.render().expect("chapter 24's figures draw")
}

/// (cost, h* − h) held from each record to the next, up to the budget.
fn steps(run: &Run) -> Vec<(f64, f64)> {
    let (_, h) = h_star();
    let mut pts = Vec::new();
    for (k, rec) in run.records.iter().enumerate() {
        if k > 0 {
            pts.push((rec.spent, h - run.records[k - 1].h));
        }
        pts.push((rec.spent, h - rec.h));
    }
    if let Some(last) = run.records.last() {
        pts.push((BUDGET, h - last.h));
    }
    pts
}

/// The regret h* − h at the recommendation against cumulative cost: seed 0, and the median
/// over the seeds.
pub fn by_cost(r: &Results) -> String {
    let (_, h) = h_star();
    let x_label = "cumulative cost (initial design included)";
    let y_label = "h* − h at the recommendation";
    let mut one = LinePlot::new("seed 0", x_label, y_label);
    let mut many =
        LinePlot::new(&format!("median over {SEEDS} seeds"), x_label, y_label);
    let costs: Vec<f64> = (0..=160).map(|i| i as f64 * BUDGET / 160.0).collect();
    for (i, (strategy, runs)) in r.strategies.iter().zip(&r.fidelity).enumerate() {
        one = one.with(Layer::line(strategy.name(), steps(&runs[0]), i));
        let start = runs.iter().map(|x| x.records[0].spent).fold(0.0, f64::max);
        let median: Vec<(f64, f64)> = costs
            .iter()
            .copied()
            .filter(|&c| c >= start - 1e-9)
            .map(|c| {
                let v: Vec<f64> = runs.iter().map(|x| h - x.h_at_cost(c)).collect();
                (c, quartiles(&v)[0])
            })
            .collect();
        many = many.with(Layer::line(strategy.name(), median, i));
    }
    for p in [&mut one, &mut many] {
        p.x_range = Some((0.0, BUDGET));
        p.legend = Legend::UpperRight;
    }
    LinePlot::grid(
        "Regret of the recommendation on the true high-fidelity activity, by cost",
        (1500, 660),
        2,
        &[one, many],
    )
    .expect("chapter 24's figures draw")
}

/// The fidelity of each evaluation of the multi-fidelity run, seed 0.
pub fn choices(r: &Results) -> String {
    let run = &r.fidelity[1][0];
    let pick = |kind: Kind| -> Vec<(f64, f64)> {
        run.evaluations
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == kind)
            .map(|(k, e)| ((k + 1) as f64, e.fidelity))
            .collect()
    };
    let all: Vec<(f64, f64)> = run
        .evaluations
        .iter()
        .enumerate()
        .map(|(k, e)| ((k + 1) as f64, e.fidelity))
        .collect();
    let mut plot = LinePlot::new(
        &format!("Fidelity of each evaluation: {} (seed 0)", run.strategy.name()),
        "evaluation",
        "fidelity s",
    )
    .with(Layer::line("", all, Colour::Palette(7)))
    .with(Layer::points(
        "initial design",
        pick(Kind::Initial),
        Colour::Palette(1),
        Marker::Square,
    ))
    .with(Layer::points(
        "UCB per unit cost",
        pick(Kind::Acquisition),
        Colour::Mean,
        Marker::Dot,
    ))
    .with(Layer::points(
        "confirmation at s = 1",
        pick(Kind::Confirmation),
        Colour::Chosen,
        Marker::Star,
    ));
    plot.y_range = Some((0.0, 1.15));
    plot.x_range = Some((0.0, run.evaluations.len() as f64 + 1.0));
    plot.legend = Legend::MiddleRight;
    plot.render().expect("chapter 24's figures draw")
}

/// Seed 0's final recommendations on the true curve, and both models' means at s = 1.
pub fn recommendations(r: &Results) -> String {
    let xs = grid();
    let truth: Vec<(f64, f64)> = xs.iter().map(|&x| (x, target(x))).collect();
    let hf = &r.fidelity[0][0];
    let mf = &r.fidelity[1][0];
    let (a, b) = (hf.recommendation(), mf.recommendation());
    let mut left =
        Panel::new("Final recommendations on the true h", LOADING, "h(x)")
            .with(Layer::line("true h(x)", truth.clone(), Colour::Truth))
            .with(Layer::points(
                format!("high fidelity only: x = {:.4}", a.x),
                vec![(a.x - 0.01, a.h)],
                0,
                Marker::Dot,
            ))
            .with(Layer::points(
                format!("multi-fidelity: x = {:.4}", b.x),
                vec![(b.x + 0.01, b.h)],
                1,
                Marker::Square,
            ));
    left.legend = Some(Legend::UpperLeft);
    let grid_s1 = slice(&xs, 1.0).expect("a grid");
    let mean = |run: &Run| -> Vec<(f64, f64)> {
        let p = run.model.predict(grid_s1.view()).expect("predicts");
        xs.iter().copied().zip(p.mean.iter().copied()).collect()
    };
    let obs = |run: &Run, high: bool| -> Vec<(f64, f64)> {
        run.evaluations
            .iter()
            .filter(|e| (e.fidelity == 1.0) == high)
            .map(|e| (e.x, e.y))
            .collect()
    };
    let mut right =
        Panel::new("Posterior means on the slice s = 1", LOADING, "activity")
            .with(Layer::line("true h(x)", truth, Colour::Truth))
            .with(Layer::line("mean, high fidelity only", mean(hf), 0))
            .with(Layer::line("mean, multi-fidelity", mean(mf), 1))
            .with(Layer::points(
                "high-fidelity-only data (s = 1)",
                obs(hf, true),
                0,
                Marker::Dot,
            ))
            .with(Layer::points(
                "multi-fidelity data at s = 1",
                obs(mf, true),
                1,
                Marker::Square,
            ))
            .with(Layer::points(
                "multi-fidelity data at s < 1",
                obs(mf, false),
                Colour::Palette(7),
                Marker::Triangle,
            ));
    right.legend = Some(Legend::UpperLeft);
    right.y_range = Some((0.0, 1.6));
    Panel::grid(
        "Seed 0: what each loop recommends, and why",
        (1500, 660),
        2,
        &[left, right],
    )
    .expect("chapter 24's figures draw")
}

/// g(x, c) at three contexts, each with its grid maximiser in the legend.
pub fn contexts() -> String {
    let xs = grid();
    let mut plot = LinePlot::new(
        "The best loading moves with the light intensity c",
        LOADING,
        "activity g(x, c)",
    );
    let optima = context_optima(&[0.1, 0.5, 0.9]).expect("the grid is fine");
    for (i, (c, best, _)) in optima.into_iter().enumerate() {
        let pts: Vec<(f64, f64)> =
            xs.iter().map(|&x| (x, contextual(x, c))).collect();
        plot = plot.with(Layer::line(
            format!("c = {c:.1}: best x = {best:.2}"),
            pts,
            i,
        ));
    }
    plot.legend = Legend::UpperLeft;
    plot.y_range = Some((0.2, 1.7));
    plot.render().expect("chapter 24's figures draw")
}

/// The final model of seed 0 at the six test contexts.
pub fn test_contexts(r: &Results) -> String {
    let run = &r.context[0];
    let xs = grid();
    let panels: Vec<Panel> = TEST_CONTEXTS
        .iter()
        .zip(&run.regrets)
        .map(|(&c, g)| {
            let p = run
                .model
                .predict(slice(&xs, c).expect("a grid").view())
                .expect("predicts");
            let sd: Vec<f64> =
                p.variance.iter().map(|v| v.max(0.0).sqrt()).collect();
            let lower: Vec<f64> =
                p.mean.iter().zip(&sd).map(|(m, s)| m - 2.0 * s).collect();
            let upper: Vec<f64> =
                p.mean.iter().zip(&sd).map(|(m, s)| m + 2.0 * s).collect();
            let truth: Vec<(f64, f64)> =
                xs.iter().map(|&x| (x, contextual(x, c))).collect();
            let mut panel = Panel::new(
                &format!("c = {c:.1}: regret {:.4}", g.regret),
                "co-catalyst loading",
                "activity g(x, c)",
            )
            .with(Layer::band("mean ± 2σ", &xs, &lower, &upper, Colour::Mean))
            .with(Layer::line(
                "mean",
                xs.iter().copied().zip(p.mean.iter().copied()).collect(),
                Colour::Mean,
            ))
            .with(Layer::line("true g", truth, Colour::Truth))
            .with(Layer::vline(g.best_x, Colour::Truth))
            .with(Layer::vline(g.x, Colour::Chosen))
            .with(Layer::points(
                "true best",
                vec![(g.best_x, g.best_value)],
                Colour::Truth,
                Marker::Cross,
            ))
            .with(Layer::points(
                "recommended",
                vec![(g.x, g.value)],
                Colour::Chosen,
                Marker::Star,
            ));
            panel.y_range = Some((0.0, 2.0));
            panel.legend = if c == 0.0 { Some(Legend::UpperRight) } else { None };
            panel
        })
        .collect();
    Panel::grid(
        "Seed 0: recommendations for six light intensities after the loop",
        (1500, 900),
        3,
        &panels,
    )
    .expect("chapter 24's figures draw")
}
