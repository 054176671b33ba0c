//! The analytic acquisition functions as formulas in the posterior mean μ and standard
//! deviation σ at a point, in the maximisation form (a larger value marks a more promising
//! point) and, for the improvement-based ones, in the incumbent f* (the best value seen).
//! Each returns its value and its partial derivatives in μ and σ, so that
//! [`Analytic`](super::Analytic) can chain them with a model's gradients into a gradient in x.

use crate::special::{erfcx, normal_cdf, normal_pdf};

/// An acquisition value with its partial derivatives in μ and σ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Value {
    pub value: f64,
    pub d_mean: f64,
    pub d_sd: f64,
}

/// UCB(μ, σ) = μ + √β σ (BoTorch's β: the square of the σ-multiplier).
pub fn upper_confidence_bound(mean: f64, sd: f64, beta: f64) -> Value {
    let k = beta.sqrt();
    Value { value: mean + k * sd, d_mean: 1.0, d_sd: k }
}

/// PI = Φ(z), z = (μ − f*)/σ: the probability of improving on f*.
pub fn probability_of_improvement(mean: f64, sd: f64, best: f64) -> Value {
    let z = (mean - best) / sd;
    let density = normal_pdf(z);
    Value { value: normal_cdf(z), d_mean: density / sd, d_sd: -z * density / sd }
}

/// ln PI = ln Φ(z), z = (μ − f*)/σ, finite for every finite z: for z < 0 as
/// ln(½ erfcx(−z/√2)) − z²/2, which never forms the underflowing Φ; for z ≥ 0 as
/// ln(1 − Φ(−z)) by `ln_1p`. With r = φ(z)/Φ(z) (for z < 0, 1/R with the Mills ratio
/// R = √(π/2) erfcx(−z/√2)), ∂/∂μ = r/σ and ∂/∂σ = −z r/σ. Beyond |z| ≈ 1.3e154 the value
/// and the derivatives saturate at ∓`f64::MAX`.
pub fn log_probability_of_improvement(mean: f64, sd: f64, best: f64) -> Value {
    let z = (mean - best) / sd;
    let (value, ratio) = if z < 0.0 {
        let scaled = erfcx(-z / std::f64::consts::SQRT_2);
        let mills = (std::f64::consts::PI / 2.0).sqrt() * scaled;
        (((0.5 * scaled).ln() - 0.5 * z * z).max(-f64::MAX), 1.0 / mills)
    } else {
        let cdf = normal_cdf(z);
        ((-normal_cdf(-z)).ln_1p(), normal_pdf(z) / cdf)
    };
    let saturate = |v: f64| v.clamp(-f64::MAX, f64::MAX);
    Value { value, d_mean: saturate(ratio / sd), d_sd: saturate(-z * ratio / sd) }
}

/// EI = σ h(z), h(z) = φ(z) + zΦ(z), z = (μ − f*)/σ: the expected improvement on f*.
/// ∂EI/∂μ = Φ(z) and ∂EI/∂σ = φ(z). Far below the incumbent h is taken from `log_h` rather
/// than as φ + zΦ, a difference of two nearly equal tiny numbers that could come out negative.
pub fn expected_improvement(mean: f64, sd: f64, best: f64) -> Value {
    let z = (mean - best) / sd;
    let (cdf, pdf) = (normal_cdf(z), normal_pdf(z));
    let h = if z > -1.0 { pdf + z * cdf } else { log_h(z).log_h.exp() };
    Value { value: sd * h, d_mean: cdf, d_sd: pdf }
}

/// ln(1 − eᵃ) for a < 0, accurate for a near 0 and for very negative a.
fn log1mexp(a: f64) -> f64 {
    if a > -std::f64::consts::LN_2 {
        (-a.exp_m1()).ln()
    } else {
        (-a.exp()).ln_1p()
    }
}

/// ln h(z) and the ratios Φ(z)/h(z) and φ(z)/h(z) that LogEI's derivatives need.
struct LogH {
    log_h: f64,
    cdf_over_h: f64,
    pdf_over_h: f64,
}

/// Below this z, 1 + zR(z) is summed from its asymptotic series (see `log_h`).
const ASYMPTOTIC_Z: f64 = -1000.0;

/// ln h(z) with h(z) = φ(z) + zΦ(z), finite for every finite z.
///
/// - z > −1: directly; φ and Φ are accurate there and h ≥ h(−1) ≈ 0.083, so nothing
///   cancels badly, and for large z, h = z + φ(z) − z(1 − Φ(z)) needs no special care.
/// - −1000 < z ≤ −1: h = φ(z)(1 + zR(z)) with the Mills ratio R = Φ/φ = √(π/2) erfcx(−z/√2),
///   and ln(1 + zR) = ln(1 − e^(ln(−z) + ln R)) by [`log1mexp`], so neither φ nor Φ (both
///   of which underflow below z ≈ −38) is ever formed.
/// - z ≤ −1000: 1 + zR = z⁻²(1 − 3z⁻² + 15z⁻⁴ − 105z⁻⁶ + …), the asymptotic series, whose
///   first omitted term is below 1e-19 here; R = −z⁻¹(1 − z⁻² + 3z⁻⁴ − 15z⁻⁶ + …) likewise.
///   Beyond |z| ≈ 1.3e154, where z² overflows, ln h and φ/h are beyond the double range and
///   saturate at ∓`f64::MAX`.
fn log_h(z: f64) -> LogH {
    let log_pdf = -0.5 * z * z - 0.5 * (2.0 * std::f64::consts::PI).ln();
    if z > -1.0 {
        let (pdf, cdf) = (normal_pdf(z), normal_cdf(z));
        let h = pdf + z * cdf;
        return LogH { log_h: h.ln(), cdf_over_h: cdf / h, pdf_over_h: pdf / h };
    }
    if z > ASYMPTOTIC_Z {
        let mills = (std::f64::consts::PI / 2.0).sqrt()
            * erfcx(-z / std::f64::consts::SQRT_2);
        let log_ratio = log1mexp((-z).ln() + mills.ln());
        let ratio = log_ratio.exp();
        return LogH {
            log_h: log_pdf + log_ratio,
            cdf_over_h: mills / ratio,
            pdf_over_h: 1.0 / ratio,
        };
    }
    let w = 1.0 / (z * z);
    let series = 1.0 - 3.0 * w + 15.0 * w * w - 105.0 * w * w * w;
    let mills_times_minus_z = 1.0 - w + 3.0 * w * w - 15.0 * w * w * w;
    // ln(1 + zR) = −2 ln|z| + ln(series): written with ln|z|, never with the underflowing w.
    let log_ratio = -2.0 * (-z).ln() + series.ln();
    LogH {
        log_h: (log_pdf + log_ratio).max(-f64::MAX),
        // Φ/h = R/(1 + zR) = (−zR)·(−z)/series.
        cdf_over_h: mills_times_minus_z * (-z) / series,
        // φ/h = 1/(1 + zR) = z²/series.
        pdf_over_h: ((-z) * (-z) / series).min(f64::MAX),
    }
}

/// ln EI = ln σ + ln h(z), finite with useful gradients even where EI underflows to 0, for
/// every finite z (see `log_h`). ∂/∂μ = Φ(z)/(σ h(z)) and ∂/∂σ = φ(z)/(σ h(z)).
pub fn log_expected_improvement(mean: f64, sd: f64, best: f64) -> Value {
    let z = (mean - best) / sd;
    let l = log_h(z);
    // With σ near 0 and z far below −1 the derivatives, about −z/σ and z²/σ, can exceed the
    // double range: they saturate, keeping their sign.
    let saturate = |v: f64| v.clamp(-f64::MAX, f64::MAX);
    Value {
        value: saturate(sd.ln() + l.log_h),
        d_mean: saturate(l.cdf_over_h / sd),
        d_sd: saturate(l.pdf_over_h / sd),
    }
}

#[cfg(test)]
// The reference values are quoted with all the digits they were computed to.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;
    use crate::numeric::derivative;

    #[test]
    fn partial_derivatives_match_finite_differences() {
        for (mean, sd, best) in
            [(0.3, 0.7, 0.1), (-1.0, 0.2, 0.5), (2.0, 1.5, 2.5), (-3.0, 0.05, 0.4)]
        {
            let fns: [fn(f64, f64, f64) -> Value; 4] = [
                probability_of_improvement,
                log_probability_of_improvement,
                expected_improvement,
                log_expected_improvement,
            ];
            for f in fns {
                let v = f(mean, sd, best);
                let dm = derivative(|m| f(m, sd, best).value, mean, 1e-6);
                let ds = derivative(|s| f(mean, s, best).value, sd, 1e-6);
                assert!(
                    (v.d_mean - dm).abs() < 1e-6 * dm.abs().max(1.0),
                    "{mean} {sd} {best}: {} vs {dm}",
                    v.d_mean
                );
                assert!(
                    (v.d_sd - ds).abs() < 1e-6 * ds.abs().max(1.0),
                    "{mean} {sd} {best}: {} vs {ds}",
                    v.d_sd
                );
            }
        }
    }

    #[test]
    fn log_ei_agrees_with_ei_and_survives_where_ei_underflows() {
        for z in [3.0, 0.5, 0.0, -0.9, -1.0, -1.1, -5.0, -20.0, -37.0] {
            let ei = expected_improvement(z, 1.0, 0.0).value;
            let log_ei = log_expected_improvement(z, 1.0, 0.0).value;
            assert!(
                (log_ei - ei.ln()).abs() < 1e-9 * ei.ln().abs().max(1.0),
                "z = {z}: {log_ei} vs {}",
                ei.ln()
            );
        }
        // Far beyond underflow: the asymptote −z²/2 − ½ ln 2π − 2 ln(−z).
        for z in [-50.0_f64, -500.0, -5000.0, -1e6] {
            assert_eq!(expected_improvement(z, 1.0, 0.0).value, 0.0);
            let v = log_expected_improvement(z, 1.0, 0.0);
            let asymptote = -0.5 * z * z
                - 0.5 * (2.0 * std::f64::consts::PI).ln()
                - 2.0 * (-z).ln();
            assert!(
                v.value.is_finite()
                    && ((v.value - asymptote) / asymptote).abs() < 1e-3
            );
            // The gradient in μ stays useful: about −z/σ.
            assert!((v.d_mean / -z - 1.0).abs() < 0.05, "z = {z}: {}", v.d_mean);
        }
    }

    /// ln h(z), Φ(z)/h(z) and φ(z)/h(z) to 20 digits (mpmath at 60 digits).
    const LOG_H_REFERENCE: [(f64, f64, f64, f64); 15] = [
        (40.0, 3.6888794541139363029, 0.025, 3.6581756270957579468e-350),
        (
            37.7,
            3.6296600944539650792,
            0.02652519893899204244,
            2.485230206005610132e-311,
        ),
        (
            5.0,
            1.6094379231264313851,
            0.19999994053122004649,
            2.9734389976756012432e-7,
        ),
        (
            1.0,
            0.080026218849306940029,
            0.77663872520173925975,
            0.22336127479826074025,
        ),
        (0.0, -0.91893853320467274178, 1.2533141373155002512, 1.0),
        (
            -0.5,
            -1.6205162643873199193,
            1.5598731483480796712,
            1.7799365741740398356,
        ),
        (
            -1.0,
            -2.4851210257126413368,
            1.9042712333296918229,
            2.9042712333296918229,
        ),
        (
            -5.0,
            -16.744301162660990143,
            5.3618162412880885298,
            27.809081206440442649,
        ),
        (
            -20.0,
            -206.91783850942509785,
            20.099262811101281775,
            402.98525622202563551,
        ),
        (
            -37.7,
            -718.82536430667591017,
            37.752938969001761582,
            1424.2857991313664116,
        ),
        (
            -100.0,
            -5010.1295788002497923,
            100.01999400419586505,
            10002.999400419586505,
        ),
        (
            -999.0,
            -499015.23245109650025,
            999.00200199598400815,
            998003.99999398802414,
        ),
        (
            -1001.0,
            -501015.23645108583364,
            1001.0019979960160078,
            1002003.9999940120239,
        ),
        (-1e4, -50000019.339619307157, 10000.000199999994, 100000002.99999994),
        (-1e6, -500000000028.54995965, 1000000.000002, 1000000000003.0),
    ];

    #[test]
    fn log_ei_is_accurate_and_finite_for_every_z() {
        // Until this was fixed, z above about 37.6 gave +∞ (erfcx(−z/√2) overflowed) with NaN
        // gradients. ln σ = 0 here, so LogEI = ln h(z), ∂/∂μ = Φ/h and ∂/∂σ = φ/h.
        for (z, log_h, cdf_over_h, pdf_over_h) in LOG_H_REFERENCE {
            let v = log_expected_improvement(z, 1.0, 0.0);
            let close = |got: f64, want: f64, tol: f64| {
                (got - want).abs() <= tol * want.abs().max(1e-300)
            };
            // Relative error: near z = −1 the cancellation in 1 + zR costs a few digits
            // (about ε z² relative to 1 + zR), still far below anything an optimiser sees.
            let tol = if (-1000.0..=-1.0).contains(&z) { 1e-9 } else { 1e-13 };
            assert!(
                close(v.value, log_h, tol),
                "z = {z}: ln h {} vs {log_h}",
                v.value
            );
            assert!(
                close(v.d_mean, cdf_over_h, tol),
                "z = {z}: {} vs {cdf_over_h}",
                v.d_mean
            );
            assert!(
                close(v.d_sd, pdf_over_h, tol)
                    || (pdf_over_h < 1e-300 && v.d_sd < 1e-300),
                "z = {z}: {} vs {pdf_over_h}",
                v.d_sd
            );
            // EI itself never goes negative, and is σh wherever h is representable.
            let ei = expected_improvement(z, 1.0, 0.0).value;
            assert!(
                ei >= 0.0 && (ei == 0.0 || close(ei.ln(), log_h, 1e-9)),
                "z = {z}: {ei}"
            );
        }
        // Beyond |z| ≈ 1.3e154 the value saturates instead of becoming infinite.
        for z in [1e6, 1e154, 1e300, -1e154, -1e300, f64::MAX, -f64::MAX] {
            let v = log_expected_improvement(z, 1.0, 0.0);
            assert!(
                v.value.is_finite() && v.d_mean.is_finite() && v.d_sd.is_finite(),
                "z = {z}: {v:?}"
            );
        }
    }

    #[test]
    fn log_ei_gradients_match_finite_differences_across_the_range() {
        for z in [
            60.0, 38.0, 10.0, 0.3, -0.7, -1.0, -3.0, -40.0, -300.0, -1500.0, -1e5,
            -1e6,
        ] {
            let (sd, best) = (0.7, 0.2);
            let mean = best + z * sd;
            let v = log_expected_improvement(mean, sd, best);
            let f = |m: f64, s: f64| log_expected_improvement(m, s, best).value;
            // The steps `derivative` takes: 1e-6 relative to |μ| and σ, at least 1e-6.
            let (hm, hs) = (1e-6 * mean.abs().max(1.0), 1e-6 * sd.max(1.0));
            let dm = derivative(|m| f(m, sd), mean, 1e-6);
            let ds = derivative(|s| f(mean, s), sd, 1e-6);
            // Rounding in the value limits central differences to about ε|value|/h.
            let noise = 1e-15 * v.value.abs().max(1.0);
            assert!(
                (v.d_mean - dm).abs() < 1e-6 * dm.abs() + noise / hm,
                "z = {z}: ∂μ {} vs {dm}",
                v.d_mean
            );
            assert!(
                (v.d_sd - ds).abs() < 1e-6 * ds.abs() + noise / hs,
                "z = {z}: ∂σ {} vs {ds}",
                v.d_sd
            );
        }
    }

    #[test]
    fn log_pi_is_accurate_and_finite_for_every_z() {
        // ln Φ(z) to 20 digits (mpmath): deep in the lower tail Φ underflows below z ≈ −38.
        for (z, want) in [
            (3.0, -0.0013508099647481937988),
            (0.0, -std::f64::consts::LN_2),
            (-1.0, -1.8410216450092635058),
            (-10.0, -53.231285150512470578),
            (-40.0, -804.60844201375378817),
            (-1e4, -50000010.129278915181),
        ] {
            let v = log_probability_of_improvement(z, 1.0, 0.0);
            assert!(
                (v.value - want).abs() < 1e-13 * want.abs(),
                "z = {z}: {}",
                v.value
            );
            assert!(
                (v.value - probability_of_improvement(z, 1.0, 0.0).value.ln())
                    .abs()
                    < 1e-12 * want.abs()
                    || z < -37.0
            );
        }
        for z in [1e300, -1e300, -1e154, f64::MAX, -f64::MAX] {
            let v = log_probability_of_improvement(z, 1.0, 0.0);
            assert!(
                v.value.is_finite() && v.d_mean.is_finite() && v.d_sd.is_finite(),
                "z = {z}: {v:?}"
            );
        }
    }
}
