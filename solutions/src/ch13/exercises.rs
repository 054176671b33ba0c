//! The answers to chapter 13's exercises.

use super::{picks, smallest, start, Problem, STEPS_F};
use gradbo::acquisition::expected_improvement;
use gradbo::gp::{fit, FitOptions, KernelKind};
use gradbo::numeric::column;
use gradbo::test_functions::{harder_example as g, running_example as f};
use gradbo_listings::ch13::acquisition::pi;
use gradbo_listings::ch13::bo_loop::{best_so_far, Rule};
use gradbo_listings::ch13::selection::argmax;
use ndarray::Array1;
use std::fmt::Write as _;

/// PI margins and LCB multipliers of the exercises.
const XIS: [f64; 4] = [0.0, 0.01, 0.05, 0.1];
const BETAS: [f64; 4] = [0.5, 1.0, 2.0, 3.0];

const ANSWER_TEXT: &str = "\
why:
1. With ξ > 0, PI asks for an improvement of at least ξ. A margin of 0.01 is too small to change
   the ranking on this grid: the argmax stays at 1.9023. With 0.05 and 0.1 no point near the data
   is confident of the larger improvement, and the argmax moves outwards, to where σ is larger:
   to 1.9323 and then 1.9624, which happens to be within a grid step of the true minimiser.
2. Small β does best at this budget (β = 1 ends at −0.70472). The larger β spend most of their
   evaluations where σ is large rather than where μ is low: β = 2 and 3 go twice to the left
   half (near −2.8 or −2.9, then −2.26 or −2.34) and once to the edge x = 3, and β = 3 never
   improves on f* = −0.60757.
3. Refitting helps here: the loop ends at −0.38012 against −0.34483 with fixed hyperparameters.
   But the fitted lengthscale jumps between 0.176 and 2.399 on so few points, and steps 2 to 6
   improve nothing, so one run says little about how reliable the gain is.
";

pub(super) fn answers() -> String {
    let mut t = String::new();
    let _ = writeln!(t, "1. PI with a margin ξ (argmax on the grid):");
    for (xi, x, mu, sd, fx) in pi_margins() {
        let _ = writeln!(
            t,
            "   ξ = {xi:.2}: x = {x:+.4}, μ = {mu:+.4}, σ = {sd:.4}, f = {fx:+.4}"
        );
    }
    let _ = writeln!(t, "2. LCB loops on f, {STEPS_F} steps:");
    for (beta, xs, best) in lcb_sweep() {
        let xs: Vec<String> = xs.iter().map(|x| format!("{x:+.4}")).collect();
        let _ = writeln!(
            t,
            "   β = {beta:.1}: picks {}; best {best:+.5}",
            xs.join(", ")
        );
    }
    let _ = writeln!(t, "3. EI on g with hyperparameters refitted at every step:");
    let (xs, best, hyper) = refit_loop();
    for (k, (x, (l, v))) in xs.iter().zip(&hyper).enumerate() {
        let _ = writeln!(t, "   step {}: ℓ = {l:.3}, σf² = {v:.4} → x = {x:+.4}, g = {:+.5}, best {:+.5}", k + 1, g(*x), best[k + 1]);
    }
    t.push_str(ANSWER_TEXT);
    t
}

/// The PI argmax for each margin ξ: (ξ, x, μ, σ, f(x)).
pub(super) fn pi_margins() -> Vec<(f64, f64, f64, f64, f64)> {
    let (grid, _, _, best, s) = start();
    XIS.iter()
        .map(|&xi| {
            let v: Vec<f64> = s
                .mean
                .iter()
                .zip(&s.sd)
                .map(|(m, d)| pi(*m, *d, best, xi))
                .collect();
            let i = argmax(&v);
            (xi, grid[i], s.mean[i], s.sd[i], f(grid[i]))
        })
        .collect()
}

/// The LCB loop on f for each β: (β, picks, final best).
pub(super) fn lcb_sweep() -> Vec<(f64, Vec<f64>, f64)> {
    let p = Problem::f();
    BETAS
        .iter()
        .map(|&beta| {
            let h = p.run(Rule::LowerConfidenceBound { beta });
            let best = best_so_far(&h);
            (beta, picks(&h), best[best.len() - 1])
        })
        .collect()
}

/// EI on g with the hyperparameters refitted by maximum marginal likelihood before every
/// step: the picks, the best-so-far and the fitted (ℓ, σf²) in the data's units.
pub(super) fn refit_loop() -> (Vec<f64>, Vec<f64>, Vec<(f64, f64)>) {
    let p = Problem::g();
    let (mut x, mut y) = (p.x.clone(), p.y());
    let mut best = vec![smallest(&y)];
    let mut hyper = Vec::new();
    let options =
        FitOptions { kind: KernelKind::SquaredExponential, ..Default::default() };
    for _ in 0..p.steps {
        let model = fit(column(&x).view(), &Array1::from(y.clone()), &options)
            .expect("fits");
        let h = model.gp.hyperparameters();
        let s = model.standardize;
        let (lo, hi) =
            (smallest(&x), -smallest(&x.iter().map(|v| -v).collect::<Vec<_>>()));
        hyper.push((
            h.kernel.lengthscales()[0] * (hi - lo),
            h.kernel.outputscale() * s.std * s.std,
        ));
        let pr = model.predict(column(&p.grid).view()).expect("valid");
        let incumbent = smallest(&y);
        let seen = |c: f64| x.iter().any(|xi| (xi - c).abs() < 1e-6);
        let mut next = (f64::NAN, f64::NEG_INFINITY);
        for (k, &c) in p.grid.iter().enumerate() {
            let score = expected_improvement(
                -pr.mean[k],
                pr.variance[k].sqrt(),
                -incumbent,
            )
            .value;
            if !seen(c) && score > next.1 {
                next = (c, score);
            }
        }
        x.push(next.0);
        y.push(g(next.0));
        best.push(smallest(&y));
    }
    (x[p.x.len()..].to_vec(), best, hyper)
}
