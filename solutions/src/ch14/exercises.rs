//! The answers to chapter 14's exercises: (1) the data in other units; (2) the one-sided
//! noise and what the model makes of it; (3) a higher noise floor in the library.

use super::{library, with_noise_floor, Setting};
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::numeric::{column, linspace};
use gradbo::test_functions::{LibraryExample, TestProblem};
use gradbo_listings::ch14::model::NOISE;
use std::fmt::Write as _;

/// The unit changes of exercise 1: x measured in tenths, y in thousandths.
pub(super) const X_SCALE: f64 = 10.0;
pub(super) const Y_SCALE: f64 = 1000.0;
/// The seeds of exercise 2.
const SEEDS: std::ops::RangeInclusive<u64> = 1..=20;
/// The noise floor of exercise 3, in standardised units.
pub(super) const FLOOR: f64 = 0.05;

pub(super) fn answers(first: &Setting) -> String {
    let mut t = String::new();
    t.push_str(&units_answer(first));
    t.push_str(&noise_answer(first));
    t.push_str(&floor_answer(first));
    t
}

/// (ℓ, m, σₙ²) in the model's units and (ℓ, m, σ_f², σₙ²) in the data's.
fn both(model: &FittedGp) -> ([f64; 3], [f64; 4]) {
    let h = model.gp.hyperparameters();
    let u = model.data_units().expect("finite");
    (
        [h.kernel.lengthscales()[0], h.mean, h.noise],
        [u.lengthscales[0], u.mean, u.outputscale, u.noise],
    )
}

/// Exercise 1: the same data with x × 10 and y × 1000, refitted.
pub(super) fn rescaled(first: &Setting) -> FittedGp {
    let x = first.data.x.mapv(|v| v * X_SCALE);
    let y = first.data.y.mapv(|v| v * Y_SCALE);
    fit(x.view(), &y, &FitOptions::single_task(1)).expect("fits")
}

fn units_answer(first: &Setting) -> String {
    let scaled = rescaled(first);
    let (a, ua) = both(&first.s.model);
    let (b, ub) = both(&scaled);
    let mut t = format!(
        "1. the data in other units: x × {X_SCALE}, y × {Y_SCALE}\n\
         \x20  model units          ℓ           c            σₙ²\n\
         \x20  original       {:.10}  {:+.10}  {:.10}\n\
         \x20  rescaled       {:.10}  {:+.10}  {:.10}\n",
        a[0], a[1], a[2], b[0], b[1], b[2]
    );
    let _ = writeln!(
        t,
        "   data units           ℓ           c            σ_f²          σₙ²\n   \
         original       {:.6}    {:+.6}    {:.6}      {:.6}\n   \
         rescaled       {:.4}     {:+.4}     {:.2}       {:.2}\n   \
         ratio          {:.6}   {:.6}   {:.1}    {:.1}",
        ua[0],
        ua[1],
        ua[2],
        ua[3],
        ub[0],
        ub[1],
        ub[2],
        ub[3],
        ub[0] / ua[0],
        ub[1] / ua[1],
        ub[2] / ua[2],
        ub[3] / ua[3]
    );
    // The posterior: μ' (10x) = 1000 μ(x), σ' (10x) = 1000 σ(x).
    let grid = &first.s.grid;
    let scaled_grid: Vec<f64> = grid.iter().map(|x| x * X_SCALE).collect();
    let (lm, ls) = library(first, grid);
    let p = gradbo::models::Model::marginals(&scaled, column(&scaled_grid).view())
        .expect("valid");
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-300);
    let dm = p
        .mean
        .iter()
        .zip(&lm)
        .map(|(a, b)| rel(*a, Y_SCALE * b))
        .fold(0.0, f64::max);
    let ds = p
        .variance
        .iter()
        .zip(&ls)
        .map(|(v, s)| rel(v.sqrt(), Y_SCALE * s))
        .fold(0.0, f64::max);
    let _ = writeln!(
        t,
        "   posterior on the rescaled grid against 1000 × the original: largest relative \
         difference μ {dm:.1e}, σ {ds:.1e}"
    );
    t
}

/// Exercise 2: the posterior mean's average excess over f at the data, and the noise's.
/// Returns (mean of μ(xᵢ) − f(xᵢ), mean of yᵢ − f(xᵢ), mean of yᵢ − μ(xᵢ)) for one seed.
pub(super) fn excess(seed: u64) -> (f64, f64, f64) {
    let p = LibraryExample::new();
    let x = column(&linspace(-1.5, 1.5, 8));
    let clean = p.values(x.view()).expect("in the box");
    let y = p.observe(x.view(), NOISE, seed).expect("valid");
    let model = fit(x.view(), &y, &FitOptions::single_task(1)).expect("fits");
    let mean =
        gradbo::models::Model::marginals(&model, x.view()).expect("valid").mean;
    let n = clean.len() as f64;
    ((&mean - &clean).sum() / n, (&y - &clean).sum() / n, (&y - &mean).sum() / n)
}

/// Exercise 2(b): the same data with NOISE/2 subtracted, refitted.
pub(super) fn shifted(first: &Setting) -> FittedGp {
    let y = first.data.y.mapv(|v| v - NOISE / 2.0);
    fit(first.data.x.view(), &y, &FitOptions::single_task(1)).expect("fits")
}

fn noise_answer(first: &Setting) -> String {
    let (mu, noise, residual) = excess(gradbo_listings::ch14::model::SEED);
    let mut t = format!(
        "2. the one-sided noise\n   \
         this draw: mean of μ(xᵢ) − f(xᵢ) at the data {mu:+.5}; mean of the noise yᵢ − f(xᵢ) {noise:+.5}; \
         its expectation {:.3}\n   \
         mean of the residuals yᵢ − μ(xᵢ): {residual:.1e}\n",
        NOISE / 2.0
    );
    let runs: Vec<(f64, f64, f64)> = SEEDS.map(excess).collect();
    let avg = |f: fn(&(f64, f64, f64)) -> f64| {
        runs.iter().map(f).sum::<f64>() / runs.len() as f64
    };
    let lo = runs.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let hi = runs.iter().map(|r| r.0).fold(f64::NEG_INFINITY, f64::max);
    let _ = writeln!(
        t,
        "   over seeds {}–{}: mean of μ(xᵢ) − f(xᵢ) {:+.5} (from {lo:+.5} to {hi:+.5}); mean of the noise {:+.5}",
        SEEDS.start(),
        SEEDS.end(),
        avg(|r| r.0),
        avg(|r| r.1)
    );
    let moved = shifted(first);
    let (a, ua) = both(&first.s.model);
    let (b, ub) = both(&moved);
    let (lm, ls) = library(first, &first.s.grid);
    let p = gradbo::models::Model::marginals(&moved, column(&first.s.grid).view())
        .expect("valid");
    let shift = p.mean.iter().zip(&lm).map(|(a, b)| b - a);
    let (lo, hi) = shift.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), d| {
        (lo.min(d), hi.max(d))
    });
    let ds = p
        .variance
        .iter()
        .zip(&ls)
        .map(|(v, s)| (v.sqrt() - s).abs())
        .fold(0.0, f64::max);
    let _ = writeln!(
        t,
        "   y − {:.3}, refitted: model units Δℓ = {:.1e}, Δm = {:.1e}, Δσₙ² = {:.1e}; \
         data units: mean {:+.6} → {:+.6}, σₙ² {:.6} → {:.6}\n   \
         \x20 μ lowered by {lo:.6} to {hi:.6} on the grid; largest |Δσ| {ds:.1e}",
        NOISE / 2.0,
        (a[0] - b[0]).abs(),
        (a[1] - b[1]).abs(),
        (a[2] - b[2]).abs(),
        ua[1],
        ub[1],
        ua[3],
        ub[3]
    );
    t
}

/// Exercise 3: the fit with the library's noise floor raised to [`FLOOR`].
pub(super) fn floored(first: &Setting) -> FittedGp {
    fit(first.data.x.view(), &first.data.y, &with_noise_floor(FLOOR)).expect("fits")
}

fn floor_answer(first: &Setting) -> String {
    let raised = floored(first);
    let mut t = format!(
        "3. the noise floor raised from 1e-4 to {FLOOR} (standardised units)\n   \
         \x20              ℓ (model)   σₙ² (model)   σₙ² (data)   √σₙ² (data)   log p(ỹ)\n"
    );
    for (name, m) in [("floor 1e-4", &first.s.model), ("floor 0.05", &raised)] {
        let h = m.gp.hyperparameters();
        let u = m.data_units().expect("finite");
        let _ = writeln!(
            t,
            "   {name:<12} {:10.4} {:12.6} {:13.6} {:12.5} {:10.4}",
            h.kernel.lengthscales()[0],
            h.noise,
            u.noise,
            u.noise.sqrt(),
            m.gp.log_marginal_likelihood()
        );
    }
    let x = first.x();
    let (m0, s0) = library(first, &x);
    let p = gradbo::models::Model::marginals(&raised, column(&x).view())
        .expect("valid");
    t.push_str("   at the data:   x        y       μ (1e-4)   μ (0.05)   σ (1e-4)   σ (0.05)\n");
    for (k, xk) in x.iter().enumerate() {
        let _ = writeln!(
            t,
            "               {xk:+.4}  {:+.5}  {:+.5}   {:+.5}   {:.5}    {:.5}",
            first.data.y[k],
            m0[k],
            p.mean[k],
            s0[k],
            p.variance[k].sqrt()
        );
    }
    let rms = |m: &[f64]| {
        (m.iter().zip(&first.data.y).map(|(m, y)| (m - y).powi(2)).sum::<f64>()
            / x.len() as f64)
            .sqrt()
    };
    let _ = writeln!(
        t,
        "   root-mean-square μ(xᵢ) − yᵢ: {:.5} (floor 1e-4), {:.5} (floor 0.05)",
        rms(&m0),
        rms(&p.mean.to_vec())
    );
    let (_, far) = library(first, &[3.0]);
    let q = gradbo::models::Model::marginals(&raised, column(&[3.0]).view())
        .expect("valid");
    let _ = writeln!(
        t,
        "   σ(3): {:.5} (floor 1e-4), {:.5} (floor 0.05)",
        far[0],
        q.variance[0].sqrt()
    );
    t
}
