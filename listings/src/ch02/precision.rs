//! Why the course computes in f64: rounding error grows with every operation.

// ANCHOR: roundoff
/// The unit roundoff u = ε/2 of each type: the largest relative error of one
/// rounding.
pub fn unit_roundoffs() -> (f64, f64) {
    (f64::from(f32::EPSILON) / 2.0, f64::EPSILON / 2.0)
}

/// Adds 0.1 to itself `n` times in f32 and in f64, one rounding per addition, and
/// returns the relative errors of both sums against the exact value n/10.
pub fn repeated_sum_errors(n: u32) -> (f64, f64) {
    let (mut s32, mut s64) = (0.0_f32, 0.0_f64);
    for _ in 0..n {
        s32 += 0.1_f32;
        s64 += 0.1_f64;
    }
    let exact = f64::from(n) / 10.0;
    ((f64::from(s32) - exact).abs() / exact, (s64 - exact).abs() / exact)
}
// ANCHOR_END: roundoff

pub fn main() {
    let (u32_, u64_) = unit_roundoffs();
    println!("unit roundoff: f32 {u32_:.3e}, f64 {u64_:.3e}");
    for n in [10, 1_000, 100_000, 1_000_000] {
        let (e32, e64) = repeated_sum_errors(n);
        println!("n = {n:>9}: relative error f32 {e32:.2e}, f64 {e64:.2e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recursive summation of n equal terms: relative error at most
    /// γ_{n−1}(1 + u) + u, with γ_m = m·u / (1 − m·u); the extra u is the rounding
    /// of 0.1 itself.
    fn bound(n: u32, u: f64) -> f64 {
        let m = f64::from(n.saturating_sub(1));
        m * u / (1.0 - m * u) * (1.0 + u) + u
    }

    #[test]
    fn measured_errors_stay_inside_the_textbook_bound() {
        let (u32_, u64_) = unit_roundoffs();
        for n in [1, 2, 10, 100, 1_000, 10_000, 100_000, 1_000_000] {
            let (e32, e64) = repeated_sum_errors(n);
            assert!(
                e32 <= bound(n, u32_),
                "f32, n = {n}: {e32:e} > {:e}",
                bound(n, u32_)
            );
            assert!(
                e64 <= bound(n, u64_),
                "f64, n = {n}: {e64:e} > {:e}",
                bound(n, u64_)
            );
        }
    }

    #[test]
    fn f32_loses_about_eight_more_digits_than_f64() {
        let (e32, e64) = repeated_sum_errors(1_000_000);
        assert!(e32 > 1e-4 && e64 < 1e-9, "f32 {e32:e}, f64 {e64:e}");
    }

    #[test]
    fn main_runs() {
        main();
    }
}
