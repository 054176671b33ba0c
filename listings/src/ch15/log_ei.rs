//! Where EI underflows to an exact zero, and LogEI still tells points apart.

use gradbo::acquisition::{expected_improvement, log_expected_improvement};
use gradbo::special::{normal_cdf, normal_pdf};

// ANCHOR: compare
/// h(z) = φ(z) + zΦ(z) as written: EI = σ h(z) for σ = 1.
pub fn h_as_written(z: f64) -> f64 {
    normal_pdf(z) + z * normal_cdf(z)
}

/// The leading terms of ln h(z) for z → −∞: −z²/2 − ½ ln 2π − 2 ln(−z).
pub fn log_h_asymptote(z: f64) -> f64 {
    -0.5 * z * z - 0.5 * (2.0 * std::f64::consts::PI).ln() - 2.0 * (-z).ln()
}

/// One row of the comparison at z = (μ − f*)/σ with σ = 1 and f* = 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub z: f64,
    pub as_written: f64,
    /// The library's EI.
    pub ei: f64,
    /// The library's LogEI, and its derivative in μ.
    pub log_ei: f64,
    pub d_mean: f64,
}

/// The comparison at each z.
pub fn rows(zs: &[f64]) -> Vec<Row> {
    zs.iter()
        .map(|&z| {
            let log_ei = log_expected_improvement(z, 1.0, 0.0);
            Row {
                z,
                as_written: h_as_written(z),
                ei: expected_improvement(z, 1.0, 0.0).value,
                log_ei: log_ei.value,
                d_mean: log_ei.d_mean,
            }
        })
        .collect()
}

/// The largest z below −1 at which the library's EI (σ = 1) is exactly 0.0, by bisection
/// between a z where it is positive and one where it is zero.
pub fn underflow_edge() -> f64 {
    let (mut zero, mut positive) = (-60.0, -1.0);
    for _ in 0..200 {
        let mid = 0.5 * (zero + positive);
        if expected_improvement(mid, 1.0, 0.0).value == 0.0 {
            zero = mid;
        } else {
            positive = mid;
        }
    }
    zero
}
// ANCHOR_END: compare

/// The z of the chapter's table.
pub const ZS: [f64; 10] =
    [-1.0, -5.0, -20.0, -37.0, -38.0, -39.0, -40.0, -100.0, -1e3, -1e5];

/// Prints the table.
pub fn main() {
    println!("EI is exactly 0 below z = {:.4}", underflow_edge());
    for r in rows(&ZS) {
        println!(
            "z = {:>8}: h as written {:.3e}, EI {:.3e}, LogEI {:.6e}, asymptote {:.6e}",
            r.z,
            r.as_written,
            r.ei,
            r.log_ei,
            log_h_asymptote(r.z)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ei_is_zero_where_log_ei_still_ranks() {
        let edge = underflow_edge();
        assert!((-39.0..-38.0).contains(&edge), "{edge}");
        let rows = rows(&ZS);
        for pair in rows.windows(2) {
            // Every LogEI is finite and lower for lower z: the ranking survives.
            assert!(pair[1].log_ei < pair[0].log_ei && pair[1].log_ei.is_finite());
        }
        for r in &rows {
            if r.z < edge {
                assert_eq!(r.ei, 0.0, "z = {}", r.z);
                // The gradient in μ stays about −z: a direction to climb.
                assert!((r.d_mean / -r.z - 1.0).abs() < 0.05);
            } else {
                assert!(
                    r.ei > 0.0
                        && (r.ei.ln() - r.log_ei).abs() < 1e-9 * r.log_ei.abs()
                );
            }
            if r.z <= -20.0 {
                // The next term of the series is ln(1 − 3/z²) ≈ −3/z², up to rounding in a
                // value of size z²/2.
                let gap = r.log_ei - log_h_asymptote(r.z);
                let tol = 20.0 / r.z.powi(4) + 1e-15 * r.log_ei.abs();
                assert!((gap + 3.0 / (r.z * r.z)).abs() < tol, "z = {}", r.z);
            }
        }
        // Just above the edge EI is subnormal, below f64::MIN_POSITIVE: it has already lost
        // digits before it reaches zero.
        let near = rows.iter().find(|r| r.z == -38.0).unwrap();
        assert!(near.ei > 0.0 && near.ei < f64::MIN_POSITIVE);
    }

    #[test]
    fn main_runs() {
        main();
    }
}
