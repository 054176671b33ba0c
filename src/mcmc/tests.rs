//! Distributional tests of the slice sampler at fixed seeds: every tolerance is four
//! standard errors computed from the chain's own effective sample size, so a test fails
//! only if the sampler is wrong (or at odds of about 1 in 10⁴ per check).

use super::*;
use crate::special::normal_cdf;
use crate::Error;

/// The kept draws of coordinate `j`.
fn column(chain: &Chain, j: usize) -> Vec<f64> {
    chain.draws.column(j).to_vec()
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Asserts |mean(f(x)) − want| < 4 sd(f(x)) / √ESS(f(x)).
fn assert_expectation(values: &[f64], want: f64, what: &str) {
    let m = mean(values);
    let sd = (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>()
        / (values.len() - 1) as f64)
        .sqrt();
    let ess = effective_sample_size(values).unwrap();
    let tol = 4.0 * sd / ess.sqrt();
    assert!(
        (m - want).abs() < tol,
        "{what}: {m} vs {want} (tolerance {tol}, ESS {ess})"
    );
}

/// The Kolmogorov–Smirnov distance between the draws and `cdf`, asserted below the 0.1 %
/// critical value 1.95/√ESS.
fn assert_ks(x: &[f64], cdf: impl Fn(f64) -> f64, what: &str) {
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let d = sorted
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let f = cdf(v);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max);
    let ess = effective_sample_size(x).unwrap();
    assert!(d < 1.95 / ess.sqrt(), "{what}: KS distance {d}, ESS {ess}");
}

fn long(seed: u64) -> SliceOptions {
    SliceOptions {
        warmup: 200,
        samples: 20_000,
        thinning: 1,
        seed,
        ..SliceOptions::default()
    }
}

#[test]
fn a_standard_normal() {
    let mut target = FnDensity::new(1, |t: &[f64]| -0.5 * t[0] * t[0]);
    let chain = slice_sample(&mut target, &[3.0], &long(1)).unwrap();
    let x = column(&chain, 0);
    assert_expectation(&x, 0.0, "mean");
    let sq: Vec<f64> = x.iter().map(|v| v * v).collect();
    assert_expectation(&sq, 1.0, "variance");
    assert_ks(&x, normal_cdf, "N(0, 1)");
    // A slice sampler on a Gaussian is nearly independent from sweep to sweep.
    assert!(effective_sample_size(&x).unwrap() > 5_000.0);
    // About one evaluation for the level's interval ends and one or two shrinks per update.
    let per = chain.evaluations as f64 / 20_200.0;
    assert!(per > 2.0 && per < 6.0, "{per}");
}

#[test]
fn a_correlated_gaussian_has_its_covariance() {
    // Σ = [[1, 1.8], [1.8, 4]]: correlation 0.9.
    let (s11, s12, s22) = (1.0, 1.8, 4.0);
    let det = s11 * s22 - s12 * s12;
    let mut target = FnDensity::new(2, move |t: &[f64]| {
        -0.5 * (s22 * t[0] * t[0] - 2.0 * s12 * t[0] * t[1] + s11 * t[1] * t[1])
            / det
    });
    let chain = slice_sample(&mut target, &[0.0, 0.0], &long(2)).unwrap();
    let (a, b) = (column(&chain, 0), column(&chain, 1));
    assert_expectation(&a, 0.0, "mean 1");
    assert_expectation(&b, 0.0, "mean 2");
    let prod = |u: &[f64], v: &[f64]| -> Vec<f64> {
        u.iter().zip(v).map(|(p, q)| p * q).collect()
    };
    assert_expectation(&prod(&a, &a), s11, "Σ₁₁");
    assert_expectation(&prod(&a, &b), s12, "Σ₁₂");
    assert_expectation(&prod(&b, &b), s22, "Σ₂₂");
}

#[test]
fn a_gamma_on_its_bounded_support() {
    // Gamma(3, rate 2) in x itself: log density −∞ for x ≤ 0. Mean 3/2, variance 3/4,
    // CDF 1 − e^(−2x)(1 + 2x + 2x²).
    let mut target = FnDensity::new(1, |t: &[f64]| {
        if t[0] > 0.0 {
            2.0 * t[0].ln() - 2.0 * t[0]
        } else {
            f64::NEG_INFINITY
        }
    });
    let chain = slice_sample(&mut target, &[1.0], &long(3)).unwrap();
    let x = column(&chain, 0);
    assert!(x.iter().all(|&v| v > 0.0));
    assert_expectation(&x, 1.5, "mean");
    let dev: Vec<f64> = x.iter().map(|v| (v - 1.5) * (v - 1.5)).collect();
    assert_expectation(&dev, 0.75, "variance");
    assert_ks(
        &x,
        |v| {
            if v <= 0.0 {
                0.0
            } else {
                1.0 - (-2.0 * v).exp() * (1.0 + 2.0 * v + 2.0 * v * v)
            }
        },
        "Gamma(3, 2)",
    );
}

#[test]
fn a_log_normal_whose_density_returns_nan_off_its_support() {
    // LogNormal(0, ½): mean e^(1/8). ln of a negative number is NaN: treated as −∞.
    let mut target = FnDensity::new(1, |t: &[f64]| {
        let l = t[0].ln();
        -l - 2.0 * l * l
    });
    let chain = slice_sample(&mut target, &[1.0], &long(4)).unwrap();
    let x = column(&chain, 0);
    assert!(x.iter().all(|&v| v > 0.0));
    assert_expectation(&x, 0.125f64.exp(), "mean");
    assert_ks(
        &x,
        |v| if v <= 0.0 { 0.0 } else { normal_cdf(2.0 * v.ln()) },
        "LogNormal",
    );
}

#[test]
fn a_bimodal_mixture_visits_both_modes_with_their_weights() {
    // 0.3 N(−2.5, 1) + 0.7 N(2.5, 1).
    let mut target = FnDensity::new(1, |t: &[f64]| {
        let x = t[0];
        (0.3 * (-0.5 * (x + 2.5) * (x + 2.5)).exp()
            + 0.7 * (-0.5 * (x - 2.5) * (x - 2.5)).exp())
        .ln()
    });
    let options = SliceOptions { samples: 60_000, ..long(5) };
    let chain = slice_sample(&mut target, &[-2.5], &options).unwrap();
    let x = column(&chain, 0);
    let right: Vec<f64> = x.iter().map(|&v| f64::from(u8::from(v > 0.0))).collect();
    let want = 0.3 * normal_cdf(-2.5) + 0.7 * normal_cdf(2.5);
    assert_expectation(&right, want, "weight of the right mode");
    assert_expectation(&x, 0.7 * 2.5 - 0.3 * 2.5, "mean");
    // Many crossings, not one.
    let crossings = right.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(crossings > 100, "{crossings}");
}

#[test]
fn the_chain_is_deterministic_for_a_seed_and_thins_as_asked() {
    let run = |seed| {
        let mut target =
            FnDensity::new(3, |t: &[f64]| -t.iter().map(|v| v * v).sum::<f64>());
        let options = SliceOptions {
            warmup: 10,
            samples: 40,
            thinning: 8,
            seed,
            ..SliceOptions::default()
        };
        slice_sample(&mut target, &[0.1, 0.2, 0.3], &options).unwrap()
    };
    let (a, b, c) = (run(7), run(7), run(8));
    assert_eq!(a, b);
    assert_ne!(a.draws, c.draws);
    assert_eq!(a.draws.dim(), (5, 3));
    assert_eq!(a.log_densities.len(), 5);
    // The kept draws are every 8th sweep: thinning 1 with the same seed passes through them.
    let mut target =
        FnDensity::new(3, |t: &[f64]| -t.iter().map(|v| v * v).sum::<f64>());
    let all = slice_sample(
        &mut target,
        &[0.1, 0.2, 0.3],
        &SliceOptions {
            warmup: 10,
            samples: 40,
            thinning: 1,
            seed: 7,
            ..SliceOptions::default()
        },
    )
    .unwrap();
    for r in 0..5 {
        assert_eq!(a.draws.row(r), all.draws.row(8 * r + 7));
    }
}

#[test]
fn bad_options_and_starts_are_errors() {
    let mut target =
        FnDensity::new(
            1,
            |t: &[f64]| if t[0] > 0.0 { 0.0 } else { f64::NEG_INFINITY },
        );
    let ok = SliceOptions::default();
    for bad in [
        SliceOptions { samples: 0, ..ok.clone() },
        SliceOptions { thinning: 0, ..ok.clone() },
        SliceOptions { samples: 3, thinning: 4, ..ok.clone() },
        SliceOptions { width: 0.0, ..ok.clone() },
        SliceOptions { width: f64::NAN, ..ok.clone() },
    ] {
        assert!(matches!(
            slice_sample(&mut target, &[1.0], &bad),
            Err(Error::InvalidInput { .. })
        ));
    }
    let outside = slice_sample(&mut target, &[-1.0], &ok);
    assert!(
        matches!(&outside, Err(Error::InvalidInput { reason, .. }) if reason.contains("outside the support"))
    );
    assert!(matches!(
        slice_sample(&mut target, &[1.0, 2.0], &ok),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        slice_sample(&mut target, &[f64::NAN], &ok),
        Err(Error::NonFinite { .. })
    ));
    let mut empty = FnDensity::new(0, |_: &[f64]| 0.0);
    assert!(matches!(slice_sample(&mut empty, &[], &ok), Err(Error::Empty { .. })));
    // A target's own error stops the chain.
    struct Failing;
    impl LogDensity for Failing {
        fn dim(&self) -> usize {
            1
        }
        fn log_density(&mut self, _: &[f64]) -> crate::Result<f64> {
            Err(Error::Empty { context: "failing" })
        }
    }
    assert_eq!(
        slice_sample(&mut Failing, &[0.0], &ok).unwrap_err(),
        Error::Empty { context: "failing" }
    );
}
