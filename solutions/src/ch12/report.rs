//! Chapter 12's worked output: the sections of text the chapter includes.

use super::exercises::answers;
use super::{fixed, grid};
use crate::report::Report;
use gradbo::gp::{Gp, Hyperparameters, Kernel, KernelKind};
use gradbo::linalg::{symmetric_eigen, Cholesky};
use gradbo::numeric::column;
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch12::evidence::evidence;
use gradbo_listings::ch12::fitting::fit_1d;
use gradbo_listings::ch12::kernel::{kernel_matrix, rbf};
use gradbo_listings::ch12::posterior::{observations, posterior, NOISE};
use gradbo_listings::ch12::prior;
use ndarray::{array, Array1};
use std::fmt::Write as _;

pub(super) fn report() -> String {
    let mut r = Report::new();
    let (x, y) = observations();
    let mut obs = String::from("   x         f(x)\n");
    for (x, y) in x.iter().zip(&y) {
        let _ = writeln!(obs, "{x:+8.4}  {y:+9.5}");
    }
    r.section("observations", obs);
    r.section(
        "kernel",
        format!("k(0, 1) with ℓ = 0.8, σf² = 1: {:.6}\n", rbf(0.0, 1.0, 0.8, 1.0)),
    );
    r.section("jitter", jitter_text());
    let mut post = String::from(
        "  ℓ     μ(−3)     μ(0)      μ(3)    σ(−3)    σ(0)      σ(3)\n",
    );
    let mut weights = String::new();
    let mut lows = String::new();
    for l in [1.0, 0.8] {
        let p = posterior(&x, &y, &[-3.0, 0.0, 3.0], l, 1.0, NOISE).expect("valid");
        let sd = p.variance().mapv(f64::sqrt);
        let _ = writeln!(
            post,
            "{l:4.1}  {:+8.3}  {:+8.4}  {:+8.3}  {:7.4}  {:8.5}  {:7.4}",
            p.mean[0], p.mean[1], p.mean[2], sd[0], sd[1], sd[2]
        );
        let dense = fixed(&x, &y, l, 1.0);
        let low = gradbo::array::argmin(&dense.mean).unwrap_or(0);
        let _ = writeln!(
            lows,
            "ℓ = {l:.1}: lowest μ on the grid {:+.3} at x = {:+.3}",
            dense.mean[low],
            grid()[low]
        );
        let alpha: Vec<String> =
            p.alpha.iter().map(|a| format!("{a:+.0}")).collect();
        let _ = writeln!(weights, "ℓ = {l:.1}: α = ({})", alpha.join(", "));
    }
    post.push_str(&lows);
    r.section("posterior", post);
    r.section("weights", weights);
    r.section("evidence", evidence_table());
    r.section("fit", fit_text());
    r.section("answers", answers());
    r.finish()
}

fn jitter_text() -> String {
    let g = grid();
    let k = kernel_matrix(&g, &g, 0.8, 1.0);
    let eigen = symmetric_eigen(k.view()).expect("symmetric");
    let smallest = eigen.values[0];
    let largest = eigen.values[eigen.values.len() - 1];
    let plain = match Cholesky::new(k.view()) {
        Ok(_) => "succeeds".to_string(),
        Err(e) => format!("fails: {e}"),
    };
    let tiny = eigen.values.iter().filter(|v| v.abs() < 1e-10).count();
    format!(
        "K on the 400-point grid (ℓ = 0.8): eigenvalues from {smallest:.1e} to {largest:.1}\n\
         eigenvalues below 10⁻¹⁰ in size: {tiny} of 400\n\
         Cholesky of K:               {plain}\n\
         Cholesky of K + 10⁻⁶ I:      {}\n",
        if prior::prior_samples(&g, 0.8, 1.0, 1, 0).is_ok() { "succeeds" } else { "fails" }
    )
}

fn evidence_table() -> String {
    let (x, y) = observations();
    let mut t = String::from("  ℓ     data fit   complexity   log p(y)\n");
    for l in [0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.2] {
        let e = evidence(&x, &y, l, 1.0, NOISE).expect("valid");
        let _ = writeln!(
            t,
            "{l:4.1}  {:+10.3}  {:+10.3}  {:+10.3}",
            e.data_fit, e.complexity, e.value
        );
    }
    let (best, value) = (0..=1000)
        .map(|k| 0.05 + 1.25 * f64::from(k) / 1000.0)
        .map(|l| (l, evidence(&x, &y, l, 1.0, NOISE).expect("valid").value))
        .fold((0.0, f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b });
    let _ = writeln!(
        t,
        "largest on a fine grid of ℓ: ℓ = {best:.3}, log p(y) = {value:+.3}"
    );
    t
}

fn fit_text() -> String {
    let (x, y) = observations();
    let (model, h) = fit_1d(&x, &y).expect("fits");
    let hand = evidence(&x, &y, 0.8, 1.0, NOISE).expect("valid").value;
    let fitted = gp_lml(&x, &y, h.mean, h.lengthscale, h.variance, h.noise);
    let g = grid();
    let covered = |mean: &Array1<f64>, var: &Array1<f64>| {
        let inside = g
            .iter()
            .zip(mean.iter().zip(var))
            .filter(|(&x, (m, v))| (f(x) - *m).abs() <= 2.0 * v.sqrt())
            .count();
        100.0 * inside as f64 / g.len() as f64
    };
    let p = model.predict(column(&g).view()).expect("valid");
    let hand_p = fixed(&x, &y, 0.8, 1.0);
    // The stretches of x where the fitted band misses the truth.
    let mut misses = Vec::new();
    let mut start: Option<f64> = None;
    for (i, &x) in g.iter().enumerate() {
        let out = (f(x) - p.mean[i]).abs() > 2.0 * p.variance[i].sqrt();
        match (out, start) {
            (true, None) => start = Some(x),
            (false, Some(a)) => {
                misses.push(format!("[{a:+.2}, {:+.2}]", g[i - 1]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        misses.push(format!("[{a:+.2}, {:+.2}]", g[g.len() - 1]));
    }
    let near_zero_noise = gp_lml(&x, &y, h.mean, h.lengthscale, h.variance, 1e-9);
    // The evidence curve is a slice at m = 0, σf² = 1; its peak moves with the other values.
    let peak = |mean: f64, v: f64, noise: f64| {
        (0..=1000)
            .map(|k| 0.05 + 1.25 * f64::from(k) / 1000.0)
            .map(|l| (l, gp_lml(&x, &y, mean, l, v, noise)))
            .fold((0.0, f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b })
            .0
    };
    let slices = format!(
        "largest log p(y) on the fine grid of ℓ: with m = 0, σf² = 1, σₙ² = 10⁻⁴ at ℓ = {:.3}; \
         with σf² = {:.4} instead at ℓ = {:.3}; with m, σf², σₙ² all at their fitted values at ℓ = {:.3}\n",
        peak(0.0, 1.0, NOISE),
        h.variance,
        peak(0.0, h.variance, NOISE),
        peak(h.mean, h.variance, h.noise)
    );
    let coverage = format!(
        "share of the 400 grid points where the true f lies within μ ± 2σ: fitted {:.0}%, hand-set {:.0}%\n",
        covered(&p.mean, &p.variance),
        covered(&hand_p.mean, &hand_p.variance())
    );
    coverage
        + &slices
        + &format!("the fitted band misses the truth on {}\n", misses.join(", "))
        + &format!(
            "log p(y) at the fitted values but σₙ² = 10⁻⁹: {near_zero_noise:+.3}\n"
        )
        + &format!(
        "fitted: m = {:+.4}, ℓ = {:.4}, σf² = {:.4}, σₙ² = {:.1e}\n\
         log p(y): fitted {fitted:+.3}, hand-set (m = 0, ℓ = 0.8, σf² = 1, σₙ² = 10⁻⁴) {hand:+.3}\n\
         jitter added to factor the fitted model: {}\n",
        h.mean,
        h.lengthscale,
        h.variance,
        h.noise,
        match model.gp.jitter() {
            0.0 => "none".to_string(),
            j => format!("{j:.0e}"),
        }
    )
}

fn gp_lml(x: &[f64], y: &[f64], mean: f64, l: f64, v: f64, noise: f64) -> f64 {
    let kernel =
        Kernel::new(KernelKind::SquaredExponential, array![l], v).expect("valid");
    let hyper = Hyperparameters { kernel, mean, noise };
    Gp::new(column(x), Array1::from(y.to_vec()), hyper)
        .expect("valid")
        .log_marginal_likelihood()
}
