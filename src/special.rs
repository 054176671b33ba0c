//! Special functions with stated, tested accuracy, written so that the compiler can
//! vectorise them over arrays (no branches that depend on the data, no calls into
//! the C library).

// The approximation coefficients are quoted as published, beyond what an f64 holds.
#![allow(clippy::excessive_precision)]

/// Evaluates c₀xⁿ + c₁xⁿ⁻¹ + … + cₙ by Horner's rule.
#[inline(always)]
fn horner(x: f64, coefficients: &[f64]) -> f64 {
    coefficients.iter().fold(0.0, |acc, &c| acc * x + c)
}

/// 1.5 · 2⁵²: adding and subtracting it rounds an f64 of magnitude below 2⁵¹ to the
/// nearest integer, and leaves that integer in the low bits of the sum's
/// representation.
const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// eˣ for |x| ≤ 700, within 2 ulp of the correctly rounded value (tested against
/// `f64::exp`).
///
/// x = n ln 2 + r with |r| ≤ ln 2 / 2; eʳ from a Padé approximant (the Cephes
/// library's coefficients); then 2ⁿ is put straight into the exponent bits.
#[inline(always)]
pub fn exp_bounded(x: f64) -> f64 {
    const LOG2_E: f64 = std::f64::consts::LOG2_E;
    // ln 2 split in two so that n · LN2_HI is exact.
    const LN2_HI: f64 = 6.931_457_519_531_25e-1;
    const LN2_LO: f64 = 1.428_606_820_309_417_232_12e-6;
    const P: [f64; 3] =
        [1.261_771_930_748_105_908_78e-4, 3.029_944_077_074_419_613e-2, 1.0];
    const Q: [f64; 4] = [
        3.001_985_051_386_644_550_42e-6,
        2.524_483_403_496_841_041_92e-3,
        2.272_655_482_081_550_287_66e-1,
        2.0,
    ];
    let shifted = x * LOG2_E + ROUNDER;
    let n = shifted - ROUNDER;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let rr = r * r;
    let p = r * horner(rr, &P);
    let e_r = 1.0 + 2.0 * p / (horner(rr, &Q) - p);
    // The low bits of `shifted` hold n (two's complement); n + 1023 is 2ⁿ's biased
    // exponent.
    let two_n = f64::from_bits((shifted.to_bits().wrapping_add(1023)) << 52);
    e_r * two_n
}

/// tanh x, within 2 ulp of the correctly rounded value for every finite x (tested
/// against `f64::tanh`), and several times faster than the C library's over an
/// array.
///
/// For |x| < 0.625 a rational approximation x + x³ P(x²)/Q(x²) (the Cephes
/// library's), which keeps full relative accuracy near 0; beyond, 1 − 2/(e²ˣ + 1),
/// where no cancellation occurs.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    const P: [f64; 3] = [
        -9.643_991_794_250_522_386_28e-1,
        -9.928_772_310_019_185_865_64e1,
        -1.614_687_684_417_084_479_52e3,
    ];
    const Q: [f64; 4] = [
        1.0,
        1.128_116_784_916_329_314_02e2,
        2.235_488_390_601_004_485_83e3,
        4.844_063_053_251_254_860_48e3,
    ];
    let a = x.abs();
    let aa = a * a;
    let small = a + a * aa * horner(aa, &P) / horner(aa, &Q);
    // tanh rounds to 1 beyond 19.1; clamping keeps e²ˣ finite and the result
    // exactly 1.
    let large = 1.0 - 2.0 / (exp_bounded(2.0 * a.min(20.0)) + 1.0);
    // Both branches are computed and one is selected, which vectorises; NaN selects
    // neither.
    let t = if a < 0.625 {
        small
    } else if a >= 0.625 {
        large
    } else {
        a
    };
    t.copysign(x)
}

/// The standard normal density φ(z) = exp(−z²/2)/√(2π).
pub fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The standard normal distribution function Φ(z) = ½ erfc(−z/√2), with relative error about
/// (1 + z²)·ε in both tails (erfc from the `libm` crate, a port of musl's, within 1 ulp; the
/// z² comes from rounding z/√2).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The scaled complementary error function erfcx(x) = exp(x²) erfc(x), which stays finite
/// where erfc underflows: about 1/(x√π) for large x. Relative error below 1e-13 for x ≥ −26
/// (tested against a high-precision table); for x < −26 it overflows to infinity like
/// 2 exp(x²).
pub fn erfcx(x: f64) -> f64 {
    if x < 25.0 {
        // exp(x²) erfc(x) directly; for negative x, erfc(x) = 2 − erfc(−x) is well conditioned.
        (x * x).exp() * libm::erfc(x)
    } else {
        // The asymptotic series 1/(x√π) · Σ (−1)ᵏ (2k − 1)!! / (2x²)ᵏ; for x ≥ 25 its terms
        // fall below 1e-17 after a handful of steps.
        let inv = 1.0 / (2.0 * x * x);
        let (mut term, mut sum) = (1.0, 1.0);
        for k in 1..12 {
            term *= -(2.0 * f64::from(k) - 1.0) * inv;
            sum += term;
        }
        sum / (x * std::f64::consts::PI.sqrt())
    }
}

/// Defines a function whose body is compiled three times — for AVX-512, for AVX2 with FMA,
/// and for the baseline target — with the widest version the running processor supports
/// chosen at run time, so that the loops in the body, and the `#[inline(always)]` functions
/// it calls, are vectorised with the widest registers there are. (A closure handed to such a
/// wrapper is not reliably inlined into it; the body has to be pasted in.) Arguments are
/// plain `name: Type` pairs; no generics.
macro_rules! multiversion {
    ($(#[$doc:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$doc])*
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            fn inner($($arg: $ty),*) $(-> $ret)? $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                fn avx512($($arg: $ty),*) $(-> $ret)? {
                    inner($($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) $(-> $ret)? {
                    inner($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx512f") {
                    // SAFETY: the processor supports AVX-512F, checked just above.
                    return unsafe { avx512($($arg),*) };
                }
                if std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
                {
                    // SAFETY: the processor supports AVX2 and FMA, checked just above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            inner($($arg),*)
        }
    };
}
pub(crate) use multiversion;

/// Defines `$name(x: &[f64], out: &mut [f64])`, which writes `$f` of each element
/// of `x` into `out`, compiled three times: for AVX-512, for AVX2 with FMA, and for
/// the baseline x86-64 (or any other) target, with the widest that the running
/// processor supports chosen at run time. `$f` must be `#[inline(always)]` and
/// branch-free for the loops to vectorise.
macro_rules! vectorised_map {
    ($(#[$doc:meta])* $name:ident, $f:path) => {
        $(#[$doc])*
        pub fn $name(x: &[f64], out: &mut [f64]) {
            fn portable(x: &[f64], out: &mut [f64]) {
                out.iter_mut().zip(x).for_each(|(o, &v)| *o = $f(v));
            }
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                fn avx512(x: &[f64], out: &mut [f64]) {
                    out.iter_mut().zip(x).for_each(|(o, &v)| *o = $f(v));
                }
                #[target_feature(enable = "avx2,fma")]
                fn avx2(x: &[f64], out: &mut [f64]) {
                    out.iter_mut().zip(x).for_each(|(o, &v)| *o = $f(v));
                }
                if std::arch::is_x86_feature_detected!("avx512f") {
                    // SAFETY: the processor supports AVX-512F, checked just above.
                    return unsafe { avx512(x, out) };
                }
                if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
                    // SAFETY: the processor supports AVX2 and FMA, checked just
                    // above.
                    return unsafe { avx2(x, out) };
                }
            }
            portable(x, out)
        }
    };
}

vectorised_map!(
    /// [`tanh`] of every element of `x`, written into `out` (the shorter length
    /// wins).
    tanh_into,
    tanh
);

/// eˣ with x clamped from below at −700: [`exp_bounded`] made safe for any x ≤ 700 (below
/// −700 the result is e⁻⁷⁰⁰ ≈ 1e-304 instead of a smaller number or 0; NaN stays NaN).
/// Within 2 ulp of `f64::exp` for −700 ≤ x ≤ 700.
#[inline(always)]
pub fn exp_clamped(x: f64) -> f64 {
    exp_bounded(if x < -700.0 { -700.0 } else { x })
}

vectorised_map!(
    /// [`exp_clamped`] of every element of `x`, written into `out` (the shorter
    /// length wins): within 2 ulp of `f64::exp` for −700 ≤ x ≤ 700, several times faster
    /// than the C library's over an array.
    exp_into,
    exp_clamped
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The distance between two f64 values in units in the last place.
    fn ulps(a: f64, b: f64) -> u64 {
        let key = |v: f64| {
            let bits = v.to_bits() as i64;
            if bits < 0 {
                i64::MIN - bits
            } else {
                bits
            }
        };
        key(a).abs_diff(key(b))
    }

    /// Points spread over [lo, hi]: a fine grid plus its images under a few
    /// irrational shifts.
    fn sweep(lo: f64, hi: f64, n: usize) -> impl Iterator<Item = f64> {
        (0..=n).map(move |i| {
            lo + (hi - lo) * ((i as f64 * 0.618_033_988_749_895) % 1.0)
        })
    }

    #[test]
    fn the_vectorised_map_agrees_with_the_scalar_function() {
        let x: Vec<f64> = sweep(-30.0, 30.0, 9_999).collect();
        let mut out = vec![0.0; x.len()];
        tanh_into(&x, &mut out);
        for (v, o) in x.iter().zip(&out) {
            assert_eq!(o.to_bits(), tanh(*v).to_bits(), "tanh({v})");
        }
    }

    #[test]
    fn the_vectorised_exp_is_within_two_ulps() {
        let x: Vec<f64> =
            sweep(-700.0, 700.0, 99_999).chain(sweep(-40.0, 1.0, 99_999)).collect();
        let mut out = vec![0.0; x.len()];
        exp_into(&x, &mut out);
        for (v, o) in x.iter().zip(&out) {
            assert!(ulps(*o, v.exp()) <= 2, "exp({v}): {o} vs {}", v.exp());
            assert_eq!(o.to_bits(), exp_clamped(*v).to_bits());
        }
        // Far below the range: clamped, finite and tiny, never NaN.
        let mut low = [0.0; 3];
        exp_into(&[-701.0, -1e6, f64::NEG_INFINITY], &mut low);
        assert!(low.iter().all(|v| *v > 0.0 && *v < 1e-303), "{low:?}");
        assert!(exp_clamped(f64::NAN).is_nan());
    }

    #[test]
    fn normal_and_erfcx_against_reference_values() {
        // Reference values to 17 digits, computed with 40-digit arithmetic (mpmath).
        let cdf = [
            (0.0, 0.5),
            (1.0, 0.8413447460685429),
            (-1.0, 0.15865525393145707),
            (-5.0, 2.866515718791939e-7),
            (-10.0, 7.619853024160527e-24),
            (-30.0, 4.906713927148187e-198),
        ];
        for (z, want) in cdf {
            let got = normal_cdf(z);
            // Rounding z/√2 costs a relative error of about z²·ε in the far tail.
            let tol = 4e-16 * (1.0 + z * z);
            assert!((got - want).abs() <= tol * want, "Φ({z}) = {got} vs {want}");
        }
        assert!((normal_pdf(1.0) - 0.24197072451914337).abs() < 1e-16);
        let erfcx_table = [
            (0.0, 1.0),
            (0.5, 0.6156903441929259),
            (2.0, 0.2553956763105057),
            (10.0, 0.05614099274382259),
            (24.9, 0.022639987776048329),
            (25.1, 0.022459875817582135),
            (100.0, 0.005641613782989433),
            (-1.0, 5.00898008076228),
        ];
        for (x, want) in erfcx_table {
            let got = erfcx(x);
            assert!(
                (got - want).abs() <= 1e-13 * want,
                "erfcx({x}) = {got} vs {want}"
            );
        }
    }

    #[test]
    fn exp_is_within_two_ulps() {
        for x in sweep(-700.0, 700.0, 200_000).chain(sweep(-1.0, 1.0, 100_000)) {
            assert!(
                ulps(exp_bounded(x), x.exp()) <= 2,
                "exp({x}): {} vs {}",
                exp_bounded(x),
                x.exp()
            );
        }
        assert_eq!(exp_bounded(0.0), 1.0);
    }

    #[test]
    fn tanh_is_within_two_ulps_everywhere() {
        let points =
            sweep(-25.0, 25.0, 200_000).chain(sweep(-0.7, 0.7, 100_000)).chain([
                0.0,
                -0.0,
                1e-300,
                -1e-300,
                1e-8,
                0.625,
                -0.625,
                19.5,
                1e300,
                f64::MAX,
            ]);
        for x in points {
            assert!(
                ulps(tanh(x), x.tanh()) <= 2,
                "tanh({x}): {} vs {}",
                tanh(x),
                x.tanh()
            );
        }
        assert_eq!(tanh(f64::INFINITY), 1.0);
        assert_eq!(tanh(f64::NEG_INFINITY), -1.0);
        assert!(tanh(f64::NAN).is_nan());
        assert!(tanh(-0.0).is_sign_negative());
    }
}
