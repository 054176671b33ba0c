//! Chapter 8, momentum as a dynamical system: where it helps and where it hurts, the β sweep
//! against the 2×2 theory, the stability map, spirals, figures and exercise answers.

use crate::figures::{step_curve, Layer, Legend, LinePlot, PlanePlot};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo::optim::dynamics::optimal_step;
use gradbo::optim::Method;
use gradbo_listings::ch08::{momentum, nesterov, stability_map};
use ndarray::{array, Array2};
use std::fmt::Write as _;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part2", "ch08");

const BETAS: [f64; 5] = [0.0, 0.3, 0.6, 0.8, 0.95];

fn diag(a: f64, b: f64) -> Array2<f64> {
    array![[a, 0.0], [0.0, b]]
}

fn gd(lr: f64) -> Method {
    Method::GradientDescent { lr }
}

fn hb(lr: f64, beta: f64) -> Method {
    Method::HeavyBall { lr, beta }
}

/// Everything chapter 8 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("paths"), paths_figure()),
        Artifact::new(CTX.figure("compare"), compare_figure()),
        Artifact::new(CTX.figure("sweep"), sweep_figure()),
        Artifact::new(CTX.figure("rates"), rates_figure()),
        Artifact::new(CTX.figure("stability"), stability_figure()),
        Artifact::new(
            CTX.figure("isotropic"),
            losses_figure(
                "A = I: momentum overshoots a round bowl",
                &diag(1.0, 1.0),
                &[
                    (gd(0.3), "GD, η = 0.3"),
                    (hb(0.3, 0.9), "heavy ball, η = 0.3, β = 0.9"),
                ],
                40,
            ),
        ),
        Artifact::new(CTX.figure("positions"), traces_figure(true)),
        Artifact::new(CTX.figure("velocities"), traces_figure(false)),
        Artifact::new(
            CTX.figure("narrow"),
            losses_figure(
                "A = diag(100, 1): momentum pays off",
                &diag(100.0, 1.0),
                &narrow_methods(),
                120,
            ),
        ),
    ]
}

fn narrow_methods() -> Vec<(Method, &'static str)> {
    vec![
        (gd(0.015), "GD, η = 0.015"),
        (hb(0.008, 0.9), "heavy ball, η = 0.008, β = 0.9"),
    ]
}

/// One row of a comparison: predicted rate and the last recorded loss.
fn row(
    out: &mut String,
    name: &str,
    a: &Array2<f64>,
    method: Method,
    steps: usize,
) {
    let rate = momentum::predicted_rate(a, method).expect("valid");
    let t = momentum::descend(a, method, steps).expect("valid");
    let _ = writeln!(
        out,
        "{name:<36} rate {rate:.4}   loss at step {} {:.2e}",
        steps - 1,
        t.losses[steps - 1]
    );
}

fn report() -> String {
    let mut r = Report::new();
    let a = diag(10.0, 1.0);
    let (best_gd, _) = optimal_step(&a).expect("valid");
    let (lr_p, beta_p, _) = momentum::polyak(&a).expect("valid");
    let mut compare = String::new();
    row(&mut compare, "GD, η = 0.15", &a, gd(0.15), 100);
    row(&mut compare, "heavy ball, η = 0.02, β = 0.8", &a, hb(0.02, 0.8), 100);
    row(
        &mut compare,
        &format!("GD at its best step η = {best_gd:.4}"),
        &a,
        gd(best_gd),
        100,
    );
    row(
        &mut compare,
        &format!("heavy ball, Polyak η = {lr_p:.4}, β = {beta_p:.4}"),
        &a,
        hb(lr_p, beta_p),
        100,
    );
    r.section("compare", compare);
    let (_, _, rate_p) = momentum::polyak(&a).expect("valid");
    let mut polyak = format!(
        "Polyak's (η, β) = ({lr_p:.4}, {beta_p:.4}) on diag(10, 1), √β = {rate_p:.4}\n\
         direction   discriminant   eigenvalue (repeated)\n"
    );
    for (name, lambda) in [("λ = 1 ", 1.0), ("λ = 10", 10.0)] {
        let d = momentum::discriminant(lambda, lr_p, beta_p);
        let root = (1.0 - lr_p * lambda + beta_p) / 2.0;
        let _ = writeln!(polyak, "{name}      {:>12.3}   {root:>+9.4}", d.abs());
    }
    let t = momentum::descend(&a, hb(lr_p, beta_p), 201).expect("valid");
    let scaled = |k: usize| t.xs[k].dot(&t.xs[k]).sqrt() / rate_p.powi(k as i32);
    let _ = write!(
        polyak,
        "‖x_t‖/ρᵗ at t = 50, 100, 200: {:.3e}, {:.3e}, {:.3e} (it doubles with t: error ~ t·ρᵗ)",
        scaled(50),
        scaled(100),
        scaled(200)
    );
    r.section("polyak", polyak);
    let mut sweep = String::from("   β    predicted rate   loss at step 99\n");
    for beta in BETAS {
        let method = hb(0.08, beta);
        let rate = momentum::predicted_rate(&a, method).expect("valid");
        let loss = momentum::descend(&a, method, 100).expect("valid").losses[99];
        let _ = writeln!(sweep, "{beta:>4}   {rate:>14.4}   {loss:.2e}");
    }
    let _ = write!(
        sweep,
        "best β for η = 0.08 from the theory: (1 − √(0.08·1))² = {:.4}",
        momentum::best_beta_for_step(0.08, 1.0)
    );
    r.section("sweep", sweep);
    let (formula, grid) = best_beta_check(0.25);
    let rate_at =
        |beta: f64| momentum::predicted_rate(&a, hb(0.25, beta)).expect("valid");
    r.section(
        "condition",
        format!(
            "η = 0.25 > 1/λ_max: ηλ_max = 2.5 > (2 − √(0.25·1))² = 2.25\n\
             formula β = {formula:.4}: rate {:.4}; best β on a grid: {grid:.4}, rate {:.4}",
            rate_at(formula),
            rate_at(grid)
        ),
    );
    let lrs = stability_map::grid();
    let gd_stable = stability_map::stable(&lrs, None).expect("valid");
    let hb_stable = stability_map::stable(&lrs, Some(0.8)).expect("valid");
    let first = gd_stable.iter().position(|s| !s).unwrap_or(lrs.len() - 1);
    let (gd_bound, hb_bound) = stability_map::bounds(0.8);
    r.section(
        "stability",
        format!(
            "gradient descent: last stable η {:.5}, first unstable {:.5} (theory {gd_bound})\n\
             heavy ball, β = 0.8: stable at all {} rates up to 0.30: {} (theory η < {hb_bound})",
            lrs[first - 1],
            lrs[first],
            lrs.len(),
            hb_stable.iter().all(|s| *s)
        ),
    );
    let mut iso = String::new();
    row(&mut iso, "GD, η = 0.3", &diag(1.0, 1.0), gd(0.3), 40);
    row(
        &mut iso,
        "heavy ball, η = 0.3, β = 0.9",
        &diag(1.0, 1.0),
        hb(0.3, 0.9),
        40,
    );
    r.section("isotropic", iso);
    let mut spiral = String::from(
        "direction   modulus   angle per step   period (steps)   v trails x by\n",
    );
    for (name, lambda) in [("x₁ (λ = 10)", 10.0), ("x₂ (λ = 1)", 1.0)] {
        let (m, angle, period) = momentum::rotation(lambda, 0.08, 0.9);
        let lag = momentum::velocity_lag(lambda, 0.08, 0.9);
        let _ = writeln!(
            spiral,
            "{name:<11} {m:>8.4}   {angle:>13.1}°   {period:>14.1}   {lag:>6.1}° ({:.1} steps)",
            lag / angle
        );
    }
    r.section("spirals", spiral);
    let mut narrow = String::new();
    let a100 = diag(100.0, 1.0);
    for (method, name) in narrow_methods() {
        row(&mut narrow, name, &a100, method, 120);
    }
    let (lr_n, beta_n, _) = momentum::polyak(&a100).expect("valid");
    let (best_n, _) = optimal_step(&a100).expect("valid");
    row(
        &mut narrow,
        &format!("GD at its best step η = {best_n:.4}"),
        &a100,
        gd(best_n),
        120,
    );
    row(
        &mut narrow,
        &format!("heavy ball, Polyak η = {lr_n:.4}, β = {beta_n:.4}"),
        &a100,
        hb(lr_n, beta_n),
        120,
    );
    r.section("narrow", narrow);
    let (predicted, crossover_predicted, crossover_measured) = best_step_paradox();
    r.section(
        "best_step",
        format!(
            "diag(100, 1) from (2, 2): L_t = ½(400 r₁^{{2t}} + 4 r₂^{{2t}})\n\
             η = 0.015:  r₁ = −0.5,    r₂ = 0.985   L_119 = {:.2e}\n\
             η = 2/101:  r₁ = −0.9802, r₂ = 0.9802  L_119 = {:.2e}\n\
             the best step's loss drops below the other's after t > ln 101 / (2 ln(0.985·101/99)) = {crossover_predicted:.1}\n\
             measured: from step {crossover_measured} on",
            predicted[0], predicted[1]
        ),
    );
    r.section("answers", answers());
    r.finish()
}

/// The best β for step `lr` on diag(10, 1): the formula (1 − √η)² and the minimiser of the
/// predicted rate over a fine grid of β.
pub fn best_beta_check(lr: f64) -> (f64, f64) {
    let a = diag(10.0, 1.0);
    let rate =
        |beta: f64| momentum::predicted_rate(&a, hb(lr, beta)).expect("valid");
    let grid = (0..2000)
        .map(|k| 0.9995 * f64::from(k) / 2000.0)
        .min_by(|&p, &q| rate(p).total_cmp(&rate(q)))
        .unwrap_or(0.0);
    (momentum::best_beta_for_step(lr, 1.0), grid)
}

/// Why gradient descent's best step loses on diag(100, 1) after 120 steps: the closed-form
/// losses at step 119 for η = 0.015 and η = 2/101, the step after which the best step's loss
/// is lower (predicted from the dominant terms 2·0.985^{2t} and 202·(99/101)^{2t}), and the
/// first step from which it is lower in a run.
pub fn best_step_paradox() -> ([f64; 2], f64, usize) {
    let loss = |lr: f64, t: i32| {
        0.5 * (400.0 * (1.0 - 100.0 * lr).powi(2 * t)
            + 4.0 * (1.0 - lr).powi(2 * t))
    };
    let best = 2.0 / 101.0;
    let predicted = [loss(0.015, 119), loss(best, 119)];
    let crossover = 101f64.ln() / (2.0 * (0.985_f64 / (99.0 / 101.0)).ln());
    let a = diag(100.0, 1.0);
    let slow = momentum::descend(&a, gd(0.015), 600).expect("valid");
    let fast = momentum::descend(&a, gd(best), 600).expect("valid");
    let measured = (0..600)
        .rev()
        .take_while(|&t| fast.losses[t] < slow.losses[t])
        .last()
        .unwrap_or(600);
    (predicted, crossover, measured)
}

/// Exercise 1: the measured best β over a fine grid at η = 0.08, against (1 − √0.08)².
pub fn exercise_best_beta() -> (f64, f64) {
    let a = diag(10.0, 1.0);
    let (mut best, mut best_rate) = (0.0, f64::INFINITY);
    for k in 0..1000 {
        let beta = 0.999 * f64::from(k) / 1000.0;
        let rate = momentum::predicted_rate(&a, hb(0.08, beta)).expect("valid");
        if rate < best_rate {
            (best, best_rate) = (beta, rate);
        }
    }
    (best, momentum::best_beta_for_step(0.08, 1.0))
}

/// Exercise 2: Nesterov on diag(100, 1), at the heavy ball's optimal (η, β) and at its own
/// textbook choice η = 1/λ_max, β = (√κ − 1)/(√κ + 1): losses after 120 steps, with the heavy
/// ball at its optimum for reference.
pub fn exercise_nesterov() -> (f64, f64, f64) {
    let a = diag(100.0, 1.0);
    let (lr, beta, _) = momentum::polyak(&a).expect("valid");
    let last =
        |m: Method| momentum::descend(&a, m, 120).expect("valid").losses[119];
    let own = Method::Nesterov { lr: 0.01, beta: 9.0 / 11.0 };
    (last(hb(lr, beta)), last(Method::Nesterov { lr, beta }), last(own))
}

/// Exercise 3: the speed-up of optimal momentum over optimal gradient descent, in steps per
/// factor e, as κ grows: 1/−ln ρ for each.
pub fn exercise_speedup() -> Vec<(f64, f64, f64)> {
    [10.0, 100.0, 1000.0]
        .iter()
        .map(|&kappa: &f64| {
            let gd_rate = (kappa - 1.0) / (kappa + 1.0);
            let hb_rate = (kappa.sqrt() - 1.0) / (kappa.sqrt() + 1.0);
            (kappa, -1.0 / gd_rate.ln(), -1.0 / hb_rate.ln())
        })
        .collect()
}

fn answers() -> String {
    let (measured, theory) = exercise_best_beta();
    let (heavy, borrowed, own) = exercise_nesterov();
    let (lr, beta, _) = momentum::polyak(&diag(100.0, 1.0)).expect("valid");
    let lambdas = [100.0, 1.0];
    let mut s = format!(
        "1. best β on a grid at η = 0.08: {measured:.3}; theory (1 − √0.08)² = {theory:.3}\n\
         2. diag(100, 1), loss at step 119: heavy ball at Polyak's (η, β) {heavy:.2e}; Nesterov with\n   \
         the same (η, β) {borrowed:.2e}; Nesterov with η = 1/λ_max, β = (√κ − 1)/(√κ + 1) {own:.2e}.\n   \
         Nesterov's map is stable only for ηλ_max < 2(1 + β)/(1 + 2β): at Polyak's (η, β) that bound\n   \
         is {:.3} but ηλ_max = {:.3}, and its spectral radius is {:.3}. The heavy ball's bound 2(1 + β)\n   \
         = {:.3} admits the same step. With η = 1/λ_max, ηλ_max = 1: the steep direction's matrix has\n   \
         1 − ηλ = 0 and dies in two steps, and the flat one is critically damped at 1 − 1/√κ; its\n   \
         spectral radius is {:.3}. The look-ahead changes the map, so the best (η, β) changes too\n\
         3. steps per factor e at the optimal parameters (κ, GD, heavy ball):\n",
        nesterov::nesterov_bound(beta, 100.0) * 100.0,
        lr * 100.0,
        nesterov::nesterov_rate(&lambdas, lr, beta),
        2.0 * (1.0 + beta),
        nesterov::nesterov_rate(&lambdas, 0.01, 9.0 / 11.0),
    );
    for (kappa, g, h) in exercise_speedup() {
        let _ = writeln!(s, "   κ = {kappa:>6}: {g:>8.1} {h:>8.1}");
    }
    s
}

fn path_points(a: &Array2<f64>, method: Method, steps: usize) -> Vec<(f64, f64)> {
    momentum::descend(a, method, steps)
        .expect("valid")
        .xs
        .iter()
        .map(|x| (x[0], x[1]))
        .collect()
}

fn paths_figure() -> String {
    let a = diag(10.0, 1.0);
    let f = |x: f64, y: f64| 0.5 * (10.0 * x * x + y * y);
    let mut plot = PlanePlot::new(
        "Gradient descent and the heavy ball on diag(10, 1)",
        ((-3.0, 3.0), (-3.0, 3.0)),
    );
    plot.contours = Some(&f);
    plot.layers = vec![
        Layer::path("GD, η = 0.15", path_points(&a, gd(0.15), 100), 1),
        Layer::path(
            "heavy ball, η = 0.02, β = 0.8",
            path_points(&a, hb(0.02, 0.8), 100),
            2,
        ),
    ];
    plot.render((760, 720)).expect("draws")
}

fn loss_series(
    a: &Array2<f64>,
    method: Method,
    steps: usize,
    label: &str,
    colour: usize,
    dashed: bool,
) -> Layer {
    let t = momentum::descend(a, method, steps).expect("valid");
    let pts = t
        .losses
        .iter()
        .enumerate()
        .map(|(k, &l)| (k as f64, l))
        .filter(|p| p.1 > 1e-30)
        .collect();
    if dashed {
        Layer::dashed(label, pts, colour)
    } else {
        Layer::line(label, pts, colour)
    }
}

fn compare_figure() -> String {
    let a = diag(10.0, 1.0);
    let (best, _) = optimal_step(&a).expect("valid");
    let (lr, beta, _) = momentum::polyak(&a).expect("valid");
    let mut plot = LinePlot::new(
        "diag(10, 1): untuned settings, then the best ones",
        "step t",
        "loss",
    );
    plot.y_log = true;
    plot.legend = Legend::LowerLeft;
    plot.layers = vec![
        loss_series(&a, gd(0.15), 100, "GD, η = 0.15", 1, true),
        loss_series(
            &a,
            hb(0.02, 0.8),
            100,
            "heavy ball, η = 0.02, β = 0.8",
            2,
            true,
        ),
        loss_series(&a, gd(best), 100, "GD, best η", 1, false),
        loss_series(
            &a,
            hb(lr, beta),
            100,
            "heavy ball, Polyak's η and β",
            2,
            false,
        ),
    ];
    plot.render().expect("draws")
}

fn sweep_figure() -> String {
    let a = diag(10.0, 1.0);
    let mut plot =
        LinePlot::new("β sweep at η = 0.08 on diag(10, 1)", "step t", "loss");
    plot.y_log = true;
    plot.legend = Legend::LowerLeft;
    plot.layers = BETAS
        .iter()
        .enumerate()
        .map(|(i, &beta)| {
            loss_series(&a, hb(0.08, beta), 100, &format!("β = {beta}"), i, false)
        })
        .collect();
    plot.render().expect("draws")
}

fn rates_figure() -> String {
    let a = diag(10.0, 1.0);
    let curve = (0..=190)
        .map(|k| {
            let beta = 0.95 * f64::from(k) / 190.0;
            (beta, momentum::predicted_rate(&a, hb(0.08, beta)).expect("valid"))
        })
        .collect();
    // Measured: the average contraction of the loss per step between steps 50 and 99,
    // square-rooted (the loss is quadratic in the state).
    let measured = BETAS
        .iter()
        .map(|&beta| {
            let t = momentum::descend(&a, hb(0.08, beta), 100).expect("valid");
            (beta, (t.losses[99] / t.losses[49]).powf(1.0 / 100.0))
        })
        .collect();
    let best = momentum::best_beta_for_step(0.08, 1.0);
    let mut plot = LinePlot::new(
        "Rate against β at η = 0.08: theory and measurement",
        "momentum β",
        "contraction per step",
    );
    plot.legend = Legend::LowerLeft;
    plot.y_range = Some((0.7, 1.0));
    plot.layers = vec![
        Layer::line("spectral radius of the 2×2 maps", curve, 0),
        Layer::dots("measured from the loss", measured, 1),
        Layer::dashed(
            format!("best β = {best:.3}"),
            vec![(best, 0.7), (best, 1.0)],
            6,
        ),
    ];
    plot.render().expect("draws")
}

fn stability_figure() -> String {
    let lrs = stability_map::grid();
    let step = |flags: &[bool], offset: f64| step_curve(&lrs, flags, offset);
    let gd_flags = stability_map::stable(&lrs, None).expect("valid");
    let hb_flags = stability_map::stable(&lrs, Some(0.8)).expect("valid");
    let mut plot = LinePlot::new(
        "Stable after 100 steps? (threshold 10⁶)",
        "learning rate η",
        "stable (1) or not (0)",
    );
    plot.y_range = Some((-0.1, 1.15));
    plot.legend = Legend::MiddleRight;
    plot.layers = vec![
        Layer::line("gradient descent", step(&gd_flags, 0.0), 1),
        Layer::line(
            "heavy ball, β = 0.8 (drawn 0.03 higher)",
            step(&hb_flags, 0.03),
            2,
        ),
        Layer::dashed("GD theory: 0.2", vec![(0.2, -0.1), (0.2, 1.15)], 6),
    ];
    plot.render().expect("draws")
}

fn losses_figure(
    title: &str,
    a: &Array2<f64>,
    methods: &[(Method, &str)],
    steps: usize,
) -> String {
    let mut plot = LinePlot::new(title, "step t", "loss");
    plot.y_log = true;
    plot.legend = Legend::LowerLeft;
    plot.layers = methods
        .iter()
        .enumerate()
        .map(|(i, &(m, name))| {
            let rate = momentum::predicted_rate(a, m).expect("valid");
            loss_series(
                a,
                m,
                steps,
                &format!("{name} (ρ = {rate:.3})"),
                i + 1,
                false,
            )
        })
        .collect();
    plot.render().expect("draws")
}

fn traces_figure(positions: bool) -> String {
    let t = momentum::descend(&diag(10.0, 1.0), hb(0.08, 0.9), 60).expect("valid");
    let states = if positions { &t.xs } else { &t.vs };
    let name = if positions { "x" } else { "v" };
    let title = if positions {
        "Heavy ball, η = 0.08, β = 0.9: positions"
    } else {
        "Heavy ball, η = 0.08, β = 0.9: velocities"
    };
    let mut plot = LinePlot::new(
        title,
        "step t",
        if positions { "position" } else { "velocity" },
    );
    plot.layers = (0..2)
        .map(|k| {
            let pts =
                states.iter().enumerate().map(|(s, v)| (s as f64, v[k])).collect();
            Layer::line(
                format!("{name}{} (λ = {})", ['₁', '₂'][k], [10, 1][k]),
                pts,
                k,
            )
        })
        .collect();
    plot.render().expect("draws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_step_paradox_is_predicted() {
        let (predicted, crossover, measured) = best_step_paradox();
        let a = diag(100.0, 1.0);
        let run = |lr: f64| momentum::descend(&a, gd(lr), 120).unwrap().losses[119];
        assert!((predicted[0] / run(0.015) - 1.0).abs() < 1e-9);
        assert!((predicted[1] / run(2.0 / 101.0) - 1.0).abs() < 1e-9);
        assert!(predicted[1] > predicted[0]);
        assert_eq!(measured, crossover.ceil() as usize);
        let (formula, grid) = best_beta_check(0.08);
        assert!((formula - grid).abs() < 1e-3);
        let (formula, grid) = best_beta_check(0.25);
        assert!(grid - formula > 0.05);
    }

    #[test]
    fn exercise_answers() {
        let (measured, theory) = exercise_best_beta();
        assert!((measured - theory).abs() < 2e-3, "{measured} {theory}");
        let (heavy, borrowed, own) = exercise_nesterov();
        assert!(
            heavy < 1e-10 && own < 1e-3 && (borrowed.is_nan() || borrowed > 1.0)
        );
        for (kappa, g, h) in exercise_speedup() {
            // Optimal gradient descent needs about κ/2 steps per factor e, momentum about √κ/2.
            assert!(
                (g / (kappa / 2.0) - 1.0).abs() < 0.05
                    && (h / (kappa.sqrt() / 2.0) - 1.0).abs() < 0.1
            );
        }
    }
}
