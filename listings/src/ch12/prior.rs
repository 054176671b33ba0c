//! Samples from a GP prior: random functions drawn through a Cholesky factor.

use gradbo::gp::{Kernel, KernelKind};
use gradbo::linalg::Cholesky;
use ndarray::{array, Array1, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

// ANCHOR: prior
/// Added to the diagonal before factoring: K is positive semidefinite in exact arithmetic
/// but numerically singular on a fine grid, and 10⁻⁶ is far below anything a plot shows.
pub const JITTER: f64 = 1e-6;

/// `count` functions drawn from the zero-mean GP prior with the squared-exponential kernel,
/// evaluated at `xs` (one sample per row): factor K + jitter·I = LLᵀ, draw independent
/// standard normals z, and return f = Lz, whose covariance is E[Lzzᵀ Lᵀ] = LLᵀ.
pub fn prior_samples(
    xs: &[f64],
    lengthscale: f64,
    variance: f64,
    count: usize,
    seed: u64,
) -> gradbo::Result<Array2<f64>> {
    let kernel =
        Kernel::new(KernelKind::SquaredExponential, array![lengthscale], variance)?;
    let x = Array1::from(xs.to_vec()).insert_axis(Axis(1));
    let mut k = kernel.matrix(x.view(), x.view())?;
    k.diag_mut().mapv_inplace(|v| v + JITTER);
    let l = Cholesky::new(k.view())?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = Array2::from_shape_simple_fn((xs.len(), count), || {
        rng.sample(StandardNormal)
    });
    Ok(l.factor().dot(&z).reversed_axes())
}
// ANCHOR_END: prior

/// Draws five prior functions on a 400-point grid and prints their ranges.
pub fn main() -> gradbo::Result<()> {
    let grid = Array1::linspace(-3.0, 3.0, 400).to_vec();
    let samples = prior_samples(&grid, 0.8, 1.0, 5, 0)?;
    for (k, f) in samples.rows().into_iter().enumerate() {
        let lo = f.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = f.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        println!("sample {k}: from {lo:+.3} to {hi:+.3}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kernel_matrix(xs: &[f64], lengthscale: f64, variance: f64) -> Array2<f64> {
        Array2::from_shape_fn((xs.len(), xs.len()), |(i, j)| {
            let r = (xs[i] - xs[j]) / lengthscale;
            variance * (-0.5 * r * r).exp()
        })
    }

    #[test]
    fn the_samples_have_the_kernel_as_covariance() {
        let xs = [-1.0, 0.0, 0.5, 2.0];
        let n = 40_000;
        let s = prior_samples(&xs, 0.8, 1.5, n, 7).unwrap();
        let empirical = s.t().dot(&s) / n as f64;
        let k = kernel_matrix(&xs, 0.8, 1.5);
        // The Monte Carlo error of a covariance estimate is about σ_f²·√(2/n) ≈ 0.011.
        for (e, k) in empirical.iter().zip(&k) {
            assert!((e - k).abs() < 0.05, "{e} vs {k}");
        }
        let means = s.mean_axis(Axis(0)).unwrap();
        assert!(means.iter().all(|m| m.abs() < 0.03), "{means}");
    }

    #[test]
    fn a_fine_grid_needs_the_jitter() {
        let grid = Array1::linspace(-3.0, 3.0, 400).to_vec();
        let k = kernel_matrix(&grid, 0.8, 1.0);
        assert!(Cholesky::new(k.view()).is_err());
        assert!(prior_samples(&grid, 0.8, 1.0, 5, 0).is_ok());
    }

    #[test]
    fn a_seed_fixes_the_samples() {
        let grid = [0.0, 1.0, 2.0];
        let a = prior_samples(&grid, 1.0, 1.0, 3, 11).unwrap();
        assert_eq!(a, prior_samples(&grid, 1.0, 1.0, 3, 11).unwrap());
        assert_ne!(a, prior_samples(&grid, 1.0, 1.0, 3, 12).unwrap());
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
