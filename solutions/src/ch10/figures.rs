//! Chapter 10's figures.

use super::{fit, grid, guided_run, next_with, points, BUDGET};
use crate::figures::{Colour, Layer, Legend, LinePlot, Marker, Panel};
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch10::blackbox::{self, BlackBox, BUDGETS};
use gradbo_listings::ch10::guided::{self, RULE};
use gradbo_listings::ch10::polynomial;

/// The true minimum's colour; the truth, the model, observations and the model's
/// pick are drawn in their [`Colour`] roles, kept across Part 3.
const OPTIMUM: usize = 3;
/// Colours of the uniform strategy and of the uneven grid (and of the other
/// interpolant in the one-step figure).
const UNIFORM: usize = 2;
const UNEVEN: usize = 1;

fn curve(g: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    grid().into_iter().map(|x| (x, g(x))).collect()
}

// Figures

pub(super) fn objective_figure() -> String {
    let (x_star, f_star) = blackbox::true_minimum();
    let mut panel = Panel::new("The running example: f on [−3, 3]", "x", "f(x)")
        .with(Layer::line(
            "f(x), unknown to the optimiser",
            curve(f),
            Colour::Truth,
        ))
        .with(Layer::points(
            format!("global minimum f({x_star:.3}) = {f_star:.3}"),
            vec![(x_star, f_star)],
            OPTIMUM,
            Marker::Cross,
        ));
    panel.legend = Some(Legend::UpperRight);
    panel.y_range = Some((-0.8, 0.5));
    panel.render((900, 520)).expect("draws")
}

pub(super) fn sampling_figure() -> String {
    let panels: Vec<Panel> = [6, 12, 24]
        .into_iter()
        .map(|n| {
            let (x, y) = polynomial::observe(n);
            let best = y.iter().copied().fold(f64::INFINITY, f64::min);
            let mut p =
                Panel::new(&format!("n = {n}: best f = {best:.3}"), "x", "f(x)")
                    .with(Layer::line("f", curve(f), Colour::Truth))
                    .with(Layer::points(
                        "evaluations",
                        points(&x, &y),
                        Colour::Observation,
                        Marker::Dot,
                    ));
            p.y_range = Some((-0.8, 0.5));
            p.legend = if n == 6 { Some(Legend::UpperRight) } else { None };
            p
        })
        .collect();
    Panel::grid("Evenly spaced evaluations of f", (1500, 520), 3, &panels)
        .expect("draws")
}

pub(super) fn budget_figure() -> String {
    let (_, f_star) = blackbox::true_minimum();
    let mut bb = BlackBox::new();
    let all: Vec<(f64, f64)> = (2..=30)
        .map(|n| (n as f64, blackbox::best_observed(&mut bb, n).1))
        .collect();
    let table: Vec<(f64, f64)> = BUDGETS
        .iter()
        .map(|&n| (n as f64, blackbox::best_observed(&mut bb, n).1))
        .collect();
    let mut plot = LinePlot::new(
        "Best observed value on linspace(−3, 3, n)",
        "budget n (evaluations)",
        "best observed f",
    );
    plot.layers = vec![
        Layer::line("every n from 2 to 30", all, UNIFORM),
        Layer::dots("the budgets of the table", table, Colour::Observation),
        Layer::dashed(
            format!("true minimum {f_star:.4}"),
            vec![(2.0, f_star), (30.0, f_star)],
            Colour::Truth,
        ),
    ];
    plot.legend = Legend::UpperRight;
    plot.y_range = Some((-0.8, -0.1));
    plot.render().expect("draws")
}

pub(super) fn fits_figure() -> String {
    let (x, y) = polynomial::observe(10);
    let panels: Vec<Panel> = [3, 5, 9]
        .into_iter()
        .map(|degree| {
            let p = fit(&x, &y, degree);
            let mut panel = Panel::new(&format!("degree {degree}"), "x", "f(x)")
                .with(Layer::line("f", curve(f), Colour::Truth))
                .with(Layer::line("surrogate", curve(|v| p.eval(v)), Colour::Mean))
                .with(Layer::points(
                    "10 observations",
                    points(&x, &y),
                    Colour::Observation,
                    Marker::Dot,
                ));
            panel.y_range = Some((-0.9, 0.5));
            panel.legend =
                if degree == 3 { Some(Legend::UpperRight) } else { None };
            panel
        })
        .collect();
    Panel::grid(
        "Least-squares polynomials through 10 evenly spaced observations",
        (1500, 520),
        3,
        &panels,
    )
    .expect("draws")
}

pub(super) fn mse_figure() -> String {
    let rows: Vec<(f64, f64, f64)> = (1..=10)
        .map(|d| {
            let (train, test) = polynomial::train_test(d).expect("valid");
            (d as f64, train, test)
        })
        .collect();
    let mut plot = LinePlot::new(
        "Train and test error (12 training points)",
        "degree",
        "mean squared error",
    );
    plot.y_log = true;
    plot.legend = Legend::LowerLeft;
    plot.layers = vec![
        Layer::line(
            "train (the 12 points)",
            rows.iter().map(|r| (r.0, r.1)).collect(),
            Colour::Mean,
        ),
        Layer::line(
            "test (200 points)",
            rows.iter().map(|r| (r.0, r.2)).collect(),
            Colour::Observation,
        ),
    ];
    plot.render().expect("draws")
}

pub(super) fn predicted_minima_figure() -> String {
    let (x_star, f_star) = blackbox::true_minimum();
    let (x, y) = polynomial::observe(12);
    let panels: Vec<Panel> = [4, 6, 10]
        .into_iter()
        .map(|degree| {
            let p = fit(&x, &y, degree);
            let (at, value) = polynomial::surrogate_minimum(&p, &grid());
            let mut panel = Panel::new(
                &format!("degree {degree}: predicted x = {at:.3}"),
                "x",
                "f(x)",
            )
            .with(Layer::line("f", curve(f), Colour::Truth))
            .with(Layer::line("surrogate", curve(|v| p.eval(v)), Colour::Mean))
            .with(Layer::points(
                "12 observations",
                points(&x, &y),
                Colour::Observation,
                Marker::Dot,
            ))
            .with(Layer::points(
                "surrogate minimiser",
                vec![(at, value)],
                Colour::Chosen,
                Marker::Star,
            ))
            .with(Layer::points(
                "true minimum",
                vec![(x_star, f_star)],
                OPTIMUM,
                Marker::Cross,
            ));
            panel.y_range = Some((-1.1, 1.0));
            panel.legend =
                if degree == 4 { Some(Legend::UpperRight) } else { None };
            panel
        })
        .collect();
    Panel::grid(
        "Where each surrogate puts the minimum (12 observations)",
        (1500, 560),
        3,
        &panels,
    )
    .expect("draws")
}

pub(super) fn one_step_figure() -> String {
    let (x, y) = polynomial::observe(5);
    let p = fit(&x, &y, 5);
    let other = polynomial::unscaled_minimum_norm(&x, &y, 5).expect("valid");
    let next = guided::next_point(&x, &y, &RULE).expect("valid");
    let alternative = next_with(&other, &x);
    let mut panel = Panel::new(
        "One guided step from 5 observations (degree 5: underdetermined)",
        "x",
        "f(x)",
    );
    for (i, &xi) in x.iter().enumerate() {
        let label =
            if i == 0 { "ruled out: within 0.15 of an observation" } else { "" };
        panel = panel.with(Layer::shade(
            label,
            xi - RULE.min_distance,
            xi + RULE.min_distance,
            6,
        ));
    }
    let mut panel = panel
        .with(Layer::line("f", curve(f), Colour::Truth))
        .with(Layer::line(
            "surrogate: minimum norm, scaled columns",
            curve(|v| p.eval(v)),
            Colour::Mean,
        ))
        .with(Layer::dashed(
            "another interpolant: minimum norm, raw columns",
            curve(|v| other.eval(v)),
            UNEVEN,
        ))
        .with(Layer::points(
            "5 observations",
            points(&x, &y),
            Colour::Observation,
            Marker::Dot,
        ))
        .with(Layer::vline(next, Colour::Chosen))
        .with(Layer::points(
            format!("next point x = {next:.3} (f = {:.3})", f(next)),
            vec![(next, p.eval(next))],
            Colour::Chosen,
            Marker::Star,
        ))
        .with(Layer::points(
            format!("the other's pick x = {alternative:.3}"),
            vec![(alternative, other.eval(alternative))],
            UNEVEN,
            Marker::Square,
        ));
    panel.x_range = Some((-3.0, 3.0));
    panel.y_range = Some((-1.0, 1.4));
    panel.legend = Some(Legend::UpperRight);
    panel.render((1000, 640)).expect("draws")
}

pub(super) fn designs_figure() -> String {
    let (gx, gy) = guided_run(5, &RULE);
    let (ux, uy) = guided::uniform(BUDGET);
    let (ox, oy) = guided::uneven_baseline();
    let best = |y: &[f64]| y.iter().copied().fold(f64::INFINITY, f64::min);
    let base = |title: String| {
        let mut p = Panel::new(&title, "x", "f(x)").with(Layer::line(
            "f",
            curve(f),
            Colour::Truth,
        ));
        p.y_range = Some((-0.8, 0.9));
        p.legend = Some(Legend::UpperRight);
        p
    };
    let guided_panel = base(format!("guided: best {:.4}", best(&gy)))
        .with(Layer::points(
            "5 initial points",
            points(&gx[..5], &gy[..5]),
            Colour::Observation,
            Marker::Dot,
        ))
        .with(Layer::points(
            "15 guided points",
            points(&gx[5..], &gy[5..]),
            Colour::Chosen,
            Marker::Star,
        ));
    let uniform_panel =
        base(format!("uniform, linspace(−3, 3, 20): best {:.4}", best(&uy))).with(
            Layer::points(
                "20 evenly spaced points",
                points(&ux, &uy),
                Colour::Observation,
                Marker::Dot,
            ),
        );
    let uneven_panel = base(format!("uneven grid: best {:.4}", best(&oy)))
        .with(Layer::shade("gap: no point in (−3, −1.5)", -3.0, -1.5, OPTIMUM))
        .with(Layer::points(
            "5 initial points",
            points(&ox[..5], &oy[..5]),
            Colour::Observation,
            Marker::Square,
        ))
        .with(Layer::points(
            "points 5..19 of linspace(−3, 3, 20)",
            points(&ox[5..], &oy[5..]),
            Colour::Observation,
            Marker::Dot,
        ))
        .with(Layer::Text { at: (2.4, 0.05), text: "x = 3 twice".into() });
    Panel::grid(
        "Final designs after 20 evaluations",
        (1500, 560),
        3,
        &[guided_panel, uniform_panel, uneven_panel],
    )
    .expect("draws")
}

pub(super) fn cumulative_figure() -> String {
    let (_, f_star) = blackbox::true_minimum();
    let (_, gy) = guided_run(5, &RULE);
    let (_, uy) = guided::uniform(BUDGET);
    let (_, oy) = guided::uneven_baseline();
    // The running minimum as a step curve: each value holds until the next evaluation.
    let steps = |y: &[f64]| -> Vec<(f64, f64)> {
        let mut pts = Vec::new();
        for (k, b) in guided::cumulative_best(y).into_iter().enumerate() {
            pts.push(((k + 1) as f64, b));
            pts.push(((k + 2) as f64, b));
        }
        pts.pop();
        pts
    };
    let panel = |title: &str, x_range: (f64, f64), y_range: (f64, f64), legend| {
        let mut p = Panel::new(title, "evaluation", "best observed f")
            .with(Layer::dashed(
                format!("true minimum {f_star:.4}"),
                vec![(1.0, f_star), (BUDGET as f64, f_star)],
                Colour::Truth,
            ))
            .with(Layer::dashed("uneven grid (not uniform)", steps(&oy), UNEVEN))
            .with(Layer::line("uniform, farthest-point order", steps(&uy), UNIFORM))
            .with(Layer::line(
                "guided (5 initial points + rule)",
                steps(&gy),
                Colour::Chosen,
            ));
        p.x_range = Some(x_range);
        p.y_range = Some(y_range);
        p.legend = legend;
        p
    };
    Panel::grid(
        "Best value found against evaluations (unit cost each)",
        (1500, 600),
        2,
        &[
            panel(
                "all 20 evaluations",
                (1.0, 20.0),
                (-0.8, 0.2),
                Some(Legend::UpperRight),
            ),
            panel("evaluations 8 to 20, closer", (8.0, 20.0), (-0.71, -0.53), None),
        ],
    )
    .expect("draws")
}
