//! The answers to the exercises of "Spending speed on quality".

use gradbo::turbo::{RegionOptions, TrustRegion};
use std::f64::consts::PI;
use std::fmt::Write;

/// Exercise 1: two hyperparameter draws predict means 0 and 1 with variances 0.5 each at a
/// point, and LogEI values −10 and −2 there.
fn mixture() -> String {
    let (means, variances) = ([0.0_f64, 1.0], [0.5_f64, 0.5]);
    let mean = means.iter().sum::<f64>() / 2.0;
    let variance = variances
        .iter()
        .zip(&means)
        .map(|(v, m)| v + (m - mean).powi(2))
        .sum::<f64>()
        / 2.0;
    let logei = [-10.0_f64, -2.0];
    let top = logei.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ens = top + (logei.iter().map(|a| (a - top).exp()).sum::<f64>() / 2.0).ln();
    let weights: Vec<f64> = logei.iter().map(|a| (a - ens).exp() / 2.0).collect();
    let mut out = String::new();
    let _ = writeln!(out, "1. mixture mean {mean}, variance {variance} (0.5 from the draws, 0.25 from their disagreement)");
    let _ = writeln!(
        out,
        "   ensemble LogEI {ens:.5} (the mean of the two LogEI values is {:.1}); gradient weights {:.5} and {:.5}",
        logei.iter().sum::<f64>() / 2.0,
        weights[0],
        weights[1]
    );
    out
}

/// Exercise 2: failed asks in a row, one point each in 10 dimensions, from the initial side
/// length to a restart.
fn failures_to_restart() -> String {
    let mut region =
        TrustRegion::new(10, 1, RegionOptions::default()).expect("valid defaults");
    region.observe(&[1.0]).expect("a finite value");
    let (mut asks, mut halvings) = (0, 0);
    while !region.needs_restart() {
        let step = region.update(&[0.0]).expect("a finite value");
        asks += 1;
        if step == gradbo::turbo::Step::Shrunk {
            halvings += 1;
        }
    }
    format!(
        "2. {asks} failed asks in a row: {halvings} halvings of {} failures each take L from 0.8 to {:.5}, below 0.5^7 = {:.5}\n",
        asks / halvings,
        region.length(),
        0.5_f64.powi(7)
    )
}

/// Exercise 3: the SAAS prior's median inverse squared lengthscale ρ = τ·|C| with
/// τ ~ half-Cauchy(0.1) and |C| ~ half-Cauchy(1), by quadrature of
/// P(ρ ≤ r) = ∫ p_τ(t) F(r/t) dt, F(x) = (2/π) arctan x, over t = 0.1·tan(πu/2).
fn saas_median() -> String {
    let below = |r: f64| {
        // t = 0.1 tan(πu/2) maps u ∈ (0, 1) onto τ's half-Cauchy, so the integral is the
        // mean over u of F(r/t): the midpoint rule on 200 000 cells.
        let cells = 200_000;
        (0..cells)
            .map(|k| {
                let u = (k as f64 + 0.5) / cells as f64;
                let t = 0.1 * (PI * u / 2.0).tan();
                2.0 / PI * (r / t).atan()
            })
            .sum::<f64>()
            / cells as f64
    };
    let (mut lo, mut hi) = (1e-6_f64, 1e3_f64);
    for _ in 0..100 {
        let mid = (lo * hi).sqrt();
        if below(mid) < 0.5 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let median = (lo * hi).sqrt();
    format!(
        "3. P(rho <= 0.1) = {:.4}; the median rho is {median:.4}, a lengthscale of {:.3} (the unit cube's side is 1)\n",
        below(0.1),
        1.0 / median.sqrt()
    )
}

/// The three answers.
pub fn answers() -> String {
    [mixture(), failures_to_restart(), saas_median()].concat()
}
