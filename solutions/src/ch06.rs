//! Chapter 6, gradient descent as a dynamical system: the 1-D map, the 2-D quadratic with its
//! paths, contours and descent field, the double well, the stability sweep, figures and
//! exercise answers.

use crate::figures::{step_curve, Layer, Legend, LinePlot, PlanePlot};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo::optim::dynamics::gradient_descent_rate;
use gradbo_listings::ch06::{double_well, one_d, stability, two_d};
use std::fmt::Write as _;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part2", "ch06");

/// Everything chapter 6 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("one-d"), one_d_figure()),
        Artifact::new(CTX.figure("factor"), factor_figure()),
        Artifact::new(CTX.figure("paths"), paths_figure()),
        Artifact::new(CTX.figure("contours"), contour_figure()),
        Artifact::new(CTX.figure("field"), field_figure()),
        Artifact::new(CTX.figure("double-well"), double_well_figure()),
        Artifact::new(CTX.figure("escape"), escape_figure()),
        Artifact::new(CTX.figure("loss"), loss_figure()),
        Artifact::new(CTX.figure("stability"), stability_figure()),
    ]
}

fn report() -> String {
    let mut r = Report::new();
    let mut one = String::from("  η    1 − ηa   predicted     measured\n");
    for lr in [0.1, 0.45, 0.55, 1.1] {
        let (factor, predicted, measured) =
            one_d::behaviour(2.0, lr).expect("a valid run");
        let (p, m) = (format!("{predicted:?}"), format!("{measured:?}"));
        let _ = writeln!(one, "{lr:>4}   {factor:>+5.1}    {p:<12}  {m}");
    }
    r.section("one_d", one);
    let mut two =
        String::from("   η    factor along x₁   factor along x₂   rate ρ\n");
    for lr in [0.05, 0.15, 0.19, 0.25] {
        let ([f1, f2], rate) = two_d::factors(lr).expect("valid");
        let _ = writeln!(two, "{lr:>5}   {f1:>+15.2}   {f2:>+15.2}   {rate:.2}");
    }
    let (bound, best, rate) = two_d::landmarks().expect("valid");
    let _ = write!(two, "stable for 0 < η < {bound}; fastest fixed step η* = {best:.4} with ρ = {rate:.4}");
    r.section("two_d", two);
    let mut ratios = String::from(
        "‖x_{t+1}‖ / ‖x_t‖ at step t, against the rate ρ\n\
         \x20   η    t = 0    t = 1    t = 5   t = 20  t = 100        ρ\n",
    );
    for lr in [0.05, 0.15, 0.19] {
        let measured = two_d::norm_ratios(lr, 101).expect("valid");
        let (_, rho) = two_d::factors(lr).expect("valid");
        let _ = write!(ratios, "{lr:>5}");
        for t in [0, 1, 5, 20, 100] {
            let _ = write!(ratios, "   {:.4}", measured[t]);
        }
        let _ = writeln!(ratios, "   {rho:.4}");
    }
    r.section("ratios", ratios);
    let mut fixed =
        String::from("fixed point   slope of the map (η = 0.2)   attracts?\n");
    for p in double_well::fixed_points(0.2).expect("valid") {
        let _ =
            writeln!(fixed, "{:>+11.6}   {:>26.2}   {}", p.x, p.slope, p.stable);
    }
    r.section("fixed_points", fixed);
    let mut wells = String::new();
    for x0 in [-1.5, -0.2, 0.2, 1.5] {
        let xs = double_well::path(x0, 0.2, 40).expect("valid");
        let _ = writeln!(wells, "from {x0:+}: x after 40 steps = {:+.9}", xs[40]);
    }
    r.section("wells", wells);
    let (edges, c) = double_well::basin_edges(0.2, 40);
    let mut basins = String::from(
        "η = 0.2; a start x₀ < 0 does the mirror image of −x₀\n\
         x₀ in                     ends at\n",
    );
    let mut lo = 0.0;
    for (k, b) in edges.iter().take(5).enumerate() {
        let end = if k % 2 == 0 { "+1" } else { "−1" };
        let _ = writeln!(basins, "({lo:.6}, {b:.6})    {end}");
        lo = *b;
    }
    let _ = writeln!(
        basins,
        "… alternating bands, narrowing by a factor that tends to 5.4, up to √11 = {c:.6}\n\
         x₀ > {c:.6}              diverges\n\
         sample starts: the bands' prediction, then the run"
    );
    for x0 in [2.4, 2.5, 3.0, 3.2, 3.3, 3.4] {
        let xs = double_well::path(x0, 0.2, 400).expect("valid");
        let predicted = double_well::predicted_end(x0, &edges, c)
            .map_or("diverges".to_owned(), |e| format!("{e:+}"));
        let measured = match xs.iter().position(|x| !x.is_finite() || x.abs() > 1e6)
        {
            Some(t) => format!("|x| > 10⁶ at step {t}"),
            None => format!("x after 400 steps = {:+.6}", xs[400]),
        };
        let _ = writeln!(basins, "  from {x0:.1}: {predicted:<8}  {measured}");
    }
    r.section("basins", basins);
    let mut escape = String::new();
    for x0 in [-1e-6, 0.0, 1e-6] {
        let xs = double_well::path(x0, 0.2, 120).expect("valid");
        let _ = writeln!(
            escape,
            "from {x0:+e}: after 60 steps {:+.4}, after 120 steps {:+.6}",
            xs[60], xs[120]
        );
    }
    r.section("escape", escape);
    let lrs = stability::grid();
    let stable = stability::stable_by_experiment(&lrs).expect("valid");
    let first = stable.iter().position(|s| !s).unwrap_or(lrs.len() - 1);
    r.section(
        "stability",
        format!(
            "theory (infinite horizon): stable for η < 2/λ_max = 0.2\n\
             measured (80 steps, threshold 10⁶): last stable η = {:.6}, first unstable η = {:.6}\n\
             predicted edge for that budget: η = (1 + (5·10⁵)^(1/80))/10 = {:.6}",
            lrs[first - 1],
            lrs[first],
            stability::predicted_edge(80)
        ),
    );
    r.section("answers", answers());
    r.finish()
}

/// Exercise 1: the best fixed step by brute force over a fine grid of η, against 2/11.
pub fn exercise_best_step() -> (f64, f64) {
    let a = two_d::a();
    let (mut best, mut best_rate) = (0.0, f64::INFINITY);
    for k in 1..2000 {
        let lr = 0.2 * f64::from(k) / 2000.0;
        let rate = gradient_descent_rate(&a, lr).expect("valid");
        if rate < best_rate {
            (best, best_rate) = (lr, rate);
        }
    }
    (best, best_rate)
}

/// Exercise 2: steps the escape from 10⁻⁶ needs to reach 0.99, predicted from the linear
/// phase (1.2ᵗ · 10⁻⁶ ≈ 0.1) plus the nonlinear phase, and measured.
pub fn exercise_escape_steps() -> (usize, f64) {
    let xs = double_well::path(1e-6, 0.2, 400).expect("valid");
    let measured = xs.iter().position(|x| *x >= 0.99).unwrap_or(xs.len());
    let linear_phase = (0.1_f64 / 1e-6).ln() / 1.2_f64.ln();
    (measured, linear_phase)
}

/// Exercise 3: the stability edge measured with 800 steps instead of 80 (the first
/// unstable η on a grid of spacing 1.5·10⁻⁵ from 0.19).
pub fn exercise_longer_horizon() -> f64 {
    use gradbo::optim::{run, Method, Quadratic};
    let f = Quadratic::diagonal(&[10.0, 1.0]).expect("valid");
    let lrs: Vec<f64> =
        (0..2000).map(|k| 0.19 + 0.03 * f64::from(k) / 2000.0).collect();
    lrs.iter()
        .copied()
        .find(|&lr| {
            let x0 = ndarray::array![2.0, 2.0];
            run(&f, Method::GradientDescent { lr }, &x0, 800, None)
                .expect("valid")
                .diverged(1e6)
        })
        .unwrap_or(f64::NAN)
}

fn answers() -> String {
    let (best, rate) = exercise_best_step();
    let (steps, linear) = exercise_escape_steps();
    format!(
        "1. best η on a grid of 2000 steps in (0, 0.2): {best:.4} with ρ = {rate:.4} (2/11 = {:.4}, 9/11 = {:.4})\n\
         2. from 10⁻⁶ to 0.99: {steps} steps measured; the linear phase alone (to 0.1) takes ln(10⁵)/ln 1.2 = {linear:.1}\n\
         3. predicted for 800 steps: r > (5·10⁵)^(1/800) = {:.5}, so η > (1 + r)/10 = {:.5}\n   \
         measured: first unstable η on the grid {:.5} (80 steps: 0.2178; infinitely many: 0.2)",
        2.0 / 11.0,
        9.0 / 11.0,
        5e5_f64.powf(1.0 / 800.0),
        stability::predicted_edge(800),
        exercise_longer_horizon()
    )
}

fn one_d_figure() -> String {
    let mut plot =
        LinePlot::new("Gradient descent on ½·2x² from x₀ = 3", "step t", "x_t");
    plot.layers = [0.1, 0.45, 0.55]
        .iter()
        .enumerate()
        .map(|(i, &lr)| {
            let (xs, _) = one_d::iterates(2.0, 3.0, lr, 30).expect("valid");
            let points =
                xs.iter().enumerate().map(|(t, &x)| (t as f64, x)).collect();
            Layer::line(
                format!("η = {lr:.3}, factor {:+.1}", 1.0 - 2.0 * lr),
                points,
                i,
            )
        })
        .collect();
    plot.render().expect("draws")
}

fn factor_figure() -> String {
    let curve = (0..200).map(|i| {
        let lr = 1.5 * f64::from(i) / 199.0;
        (lr, (1.0 - 2.0 * lr).abs())
    });
    let mut plot = LinePlot::new(
        "Contraction factor of the 1-D map (a = 2)",
        "learning rate η",
        "|1 − ηa|",
    );
    plot.y_range = Some((0.0, 2.0));
    plot.x_range = Some((0.0, 1.5));
    plot.legend = Legend::UpperLeft;
    plot.layers = vec![
        Layer::line("|1 − ηa|", curve.collect(), 0),
        Layer::dashed("1: stability boundary", vec![(0.0, 1.0), (1.5, 1.0)], 6),
        Layer::dashed("η = 2/a = 1", vec![(1.0, 0.0), (1.0, 2.0)], 1),
    ];
    plot.render().expect("draws")
}

/// Positions of a 2-D run as (x₁, x₂) points.
fn points(lr: f64, steps: usize) -> Vec<(f64, f64)> {
    two_d::descend(lr, steps)
        .expect("valid")
        .xs
        .iter()
        .map(|x| (x[0], x[1]))
        .collect()
}

fn paths_figure() -> String {
    let mut plot = PlanePlot::new(
        "Three step sizes on ½xᵀ diag(10, 1) x",
        ((-3.0, 3.0), (-0.5, 2.5)),
    );
    plot.axes_through_origin = true;
    plot.layers = [0.05, 0.15, 0.25]
        .iter()
        .enumerate()
        .map(|(i, &lr)| {
            // The divergent run leaves the window after a few steps: draw it until then.
            let inside = |p: &(f64, f64)| p.0.abs() <= 3.0;
            let pts = points(lr, 60).into_iter().take_while(inside).collect();
            Layer::path(format!("η = {lr}"), pts, i)
        })
        .collect();
    plot.render((900, 560)).expect("draws")
}

fn quadratic(x: f64, y: f64) -> f64 {
    0.5 * (10.0 * x * x + y * y)
}

fn contour_figure() -> String {
    let mut plot = PlanePlot::new(
        "40 steps with η = 0.15: a zig-zag across the valley",
        ((-2.5, 2.5), (-2.5, 2.5)),
    );
    plot.contours = Some(&quadratic);
    plot.layers = vec![Layer::path("gradient descent", points(0.15, 40), 1)];
    plot.render((800, 760)).expect("draws")
}

fn field_figure() -> String {
    let mut plot =
        PlanePlot::new("The descent field −∇f = −Ax", ((-2.3, 2.3), (-2.3, 2.3)));
    let grid: Vec<f64> =
        (0..15).map(|i| -2.0 + 4.0 * f64::from(i) / 14.0).collect();
    // Scale every arrow by one factor, so that lengths compare: the longest spans 1.5 cells.
    let scale = 1.5 * (4.0 / 14.0) / (10.0_f64 * 2.0).hypot(2.0);
    for &x in &grid {
        for &y in &grid {
            plot.arrows.push(((x, y), (-10.0 * x * scale, -y * scale)));
        }
    }
    plot.render((800, 760)).expect("draws")
}

fn double_well_figure() -> String {
    let mut plot = LinePlot::new(
        "Double well, η = 0.2: each start finds its own minimum",
        "step t",
        "x_t",
    );
    plot.legend = Legend::MiddleRight;
    plot.layers = [-1.5, -0.2, 0.2, 1.5]
        .iter()
        .enumerate()
        .map(|(i, &x0)| {
            let xs = double_well::path(x0, 0.2, 40).expect("valid");
            Layer::line(
                format!("x₀ = {x0:+}"),
                xs.iter().enumerate().map(|(t, &x)| (t as f64, x)).collect(),
                i,
            )
        })
        .collect();
    plot.render().expect("draws")
}

fn escape_figure() -> String {
    let mut plot = LinePlot::new(
        "Leaving the unstable point x = 0 (η = 0.2)",
        "step t",
        "x_t",
    );
    plot.legend = Legend::UpperLeft;
    plot.layers = [1e-6, 0.0, -1e-6]
        .iter()
        .enumerate()
        .map(|(i, &x0)| {
            let xs = double_well::path(x0, 0.2, 120).expect("valid");
            Layer::line(
                format!("x₀ = {x0:+e}"),
                xs.iter().enumerate().map(|(t, &x)| (t as f64, x)).collect(),
                i,
            )
        })
        .collect();
    plot.layers.push(Layer::dashed("step 60", vec![(60.0, -1.1), (60.0, 1.1)], 6));
    plot.render().expect("draws")
}

fn loss_figure() -> String {
    let mut plot = LinePlot::new(
        "Loss decay on diag(10, 1): the slow direction sets the pace",
        "step t",
        "loss (before the update)",
    );
    plot.y_log = true;
    plot.legend = Legend::LowerLeft;
    plot.layers = [0.05, 0.15, 0.19]
        .iter()
        .enumerate()
        .map(|(i, &lr)| {
            let t = two_d::descend(lr, 60).expect("valid");
            let rate = gradient_descent_rate(&two_d::a(), lr).expect("valid");
            let pts =
                t.losses.iter().enumerate().map(|(k, &l)| (k as f64, l)).collect();
            Layer::line(format!("η = {lr}, ρ = {rate:.2}"), pts, i)
        })
        .collect();
    plot.render().expect("draws")
}

fn stability_figure() -> String {
    let lrs = stability::grid();
    let stable = stability::stable_by_experiment(&lrs).expect("valid");
    let pts = step_curve(&lrs, &stable, 0.0);
    let mut plot = LinePlot::new(
        "Stable after 80 steps? (threshold 10⁶)",
        "learning rate η",
        "stable (1) or not (0)",
    );
    plot.y_range = Some((-0.1, 1.1));
    plot.legend = Legend::MiddleRight;
    let edge = stability::predicted_edge(80);
    plot.layers = vec![
        Layer::line("measured", pts, 0),
        Layer::dashed("theory: 2/λ_max = 0.2", vec![(0.2, -0.1), (0.2, 1.1)], 6),
        Layer::dashed(
            format!("80-step edge {edge:.4}"),
            vec![(edge, -0.1), (edge, 1.1)],
            1,
        ),
    ];
    plot.render().expect("draws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_answers() {
        // The 800-step edge sits where the prediction says, within one grid spacing.
        let measured = exercise_longer_horizon();
        let predicted = stability::predicted_edge(800);
        assert!(
            measured >= predicted && measured - predicted < 1.5e-5,
            "{measured} vs {predicted}"
        );
        let (best, rate) = exercise_best_step();
        assert!(
            (best - 2.0 / 11.0).abs() < 1e-4 && (rate - 9.0 / 11.0).abs() < 1e-3
        );
        let (steps, linear) = exercise_escape_steps();
        assert!(steps > linear as usize && steps < 120, "{steps}");
        let edge = exercise_longer_horizon();
        assert!(edge > 0.2 && edge < 0.204, "{edge}");
    }
}
