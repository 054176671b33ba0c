//! The figures of chapter 25: the synthesis-space maps, three operation landscapes, and
//! the policies' best value and distinct syntheses against the number of observations.

use super::report::{best_operation, best_per_synthesis, EXAMPLES};
use super::{Results, POLICIES, SEEDS};
use crate::figures::{Colour, ColourBar, Heat, Layer, Legend, Marker, Panel};
use gradbo::test_functions::hierarchical::{
    levels, library_values, performance, preferred_operation, LEVELS,
    LIBRARY_OPTIMAL_VALUE, LIBRARY_OPTIMUM,
};
use gradbo_listings::ch25::policies::{N_INIT, STEPS};

/// The unit square with half a cell of margin: cells centred on the levels k/14.
const WINDOW: ((f64, f64), (f64, f64)) =
    ((-1.0 / 28.0, 1.0 + 1.0 / 28.0), (-1.0 / 28.0, 1.0 + 1.0 / 28.0));

/// A 15 × 15 heat of `f` at the levels, (first, second) coordinates across and up.
fn level_heat(f: &dyn Fn(f64, f64) -> f64) -> Heat {
    let l = levels();
    let values =
        (0..LEVELS).map(|j| (0..LEVELS).map(|i| f(l[i], l[j])).collect()).collect();
    Heat { window: WINDOW, values }
}

fn square(mut p: Panel) -> Panel {
    p.x_range = Some(WINDOW.0);
    p.y_range = Some(WINDOW.1);
    p.legend = Some(Legend::LowerRight);
    p
}

/// The synthesis-space maps: best achievable y (`which` = 0), v₁* (1) or v₂* (2) over the
/// synthesis plane, with the library optimum's synthesis starred.
pub fn synthesis_map(which: usize) -> String {
    let y = library_values();
    let per = best_per_synthesis(&y);
    let best = move |u1: f64, u2: f64| {
        let s =
            (u1 * 14.0).round() as usize * LEVELS + (u2 * 14.0).round() as usize;
        per[s].1
    };
    let (title, label, heat) = match which {
        0 => (
            "Best achievable y of each synthesis",
            "best y over the operations",
            level_heat(&best),
        ),
        1 => (
            "Preferred pH v₁* of each synthesis",
            "v₁*",
            level_heat(&|a, b| preferred_operation([a, b])[0]),
        ),
        _ => (
            "Preferred potential v₂* of each synthesis",
            "v₂*",
            level_heat(&|a, b| preferred_operation([a, b])[1]),
        ),
    };
    let bar = ColourBar::new(label, heat.range(), 12);
    let star = (LIBRARY_OPTIMUM[0], LIBRARY_OPTIMUM[1]);
    square(Panel::new(title, "u₁ (precursor ratio)", "u₂ (annealing temperature)"))
        .with(Layer::heat(heat, &bar))
        .with(Layer::points(
            "synthesis of the library optimum",
            vec![star],
            Colour::Chosen,
            Marker::Star,
        ))
        .with_bar(bar)
        .render((1000, 860))
        .expect("chapter 25's figures draw")
}

/// y over the operation plane for the three example syntheses, one colour scale.
pub fn operation_landscapes() -> String {
    let heats: Vec<Heat> = EXAMPLES
        .iter()
        .map(|&u| level_heat(&|v1, v2| performance(u, [v1, v2])))
        .collect();
    let lo = heats.iter().map(|h| h.range().0).fold(f64::INFINITY, f64::min);
    let hi = heats.iter().map(|h| h.range().1).fold(f64::NEG_INFINITY, f64::max);
    let bar = ColourBar::new("y(U, V)", (lo, hi), 12);
    let panels: Vec<Panel> = EXAMPLES
        .iter()
        .zip(heats)
        .map(|(&u, heat)| {
            let (v, y) = best_operation(u);
            square(Panel::new(
                &format!("U = ({:.2}, {:.2})", u[0], u[1]),
                "v₁ (pH)",
                "v₂ (potential)",
            ))
            .with(Layer::heat(heat, &bar))
            .with(Layer::points(
                format!("best V, y = {y:.4}"),
                vec![(v[0], v[1])],
                Colour::Chosen,
                Marker::Star,
            ))
        })
        .collect();
    Panel::grid_with_bar(
        "Operation landscapes of three syntheses",
        (2100, 700),
        3,
        &panels,
        &bar,
    )
    .expect("chapter 25's figures draw")
}

/// Okabe–Ito colours of the four policies.
const COLOURS: [usize; 4] = [1, 0, 6, 2];

fn observations() -> Vec<f64> {
    (N_INIT..=N_INIT + STEPS).map(|n| n as f64).collect()
}

/// The mean over seeds of `f(run)` at each number of observations.
fn mean_curve(
    runs: &[gradbo_listings::ch25::policies::Run],
    f: impl Fn(&gradbo_listings::ch25::policies::Run) -> Vec<f64>,
) -> Vec<(f64, f64)> {
    let curves: Vec<Vec<f64>> = runs.iter().map(f).collect();
    observations()
        .into_iter()
        .enumerate()
        .map(|(s, x)| {
            (x, curves.iter().map(|c| c[s]).sum::<f64>() / curves.len() as f64)
        })
        .collect()
}

/// Best value and distinct syntheses against the number of observations, means over the
/// seeds.
pub fn policies(r: &Results) -> String {
    let n = SEEDS.count();
    let mut left = Panel::new(
        &format!("best value found (mean over {n} seeds)"),
        "number of observations",
        "best y so far",
    );
    let mut right = Panel::new(
        &format!("distinct syntheses tried (mean over {n} seeds)"),
        "number of observations",
        "distinct syntheses",
    );
    for (k, (p, runs)) in POLICIES.iter().zip(&r.runs).enumerate() {
        left = left.with(Layer::line(
            p.label(),
            mean_curve(runs, |r| r.best()),
            COLOURS[k],
        ));
        let distinct = mean_curve(runs, |r| {
            r.distinct_syntheses().iter().map(|&d| d as f64).collect()
        });
        right = right.with(Layer::line(p.label(), distinct, COLOURS[k]));
    }
    left = left.with(Layer::dashed(
        format!("library optimum {LIBRARY_OPTIMAL_VALUE:.4}"),
        vec![
            (N_INIT as f64, LIBRARY_OPTIMAL_VALUE),
            ((N_INIT + STEPS) as f64, LIBRARY_OPTIMAL_VALUE),
        ],
        Colour::Truth,
    ));
    left.x_range = Some((N_INIT as f64, (N_INIT + STEPS) as f64));
    left.y_range = Some((1.4, 2.75));
    left.legend = Some(Legend::LowerRight);
    right.x_range = Some((N_INIT as f64, (N_INIT + STEPS) as f64));
    right.y_range = Some((0.0, (N_INIT + STEPS) as f64));
    right.legend = Some(Legend::UpperLeft);
    Panel::grid(
        "Four policies on the 50 625-pair library",
        (1700, 700),
        2,
        &[left, right],
    )
    .expect("chapter 25's figures draw")
}
