//! Conditioning a GP on data: the posterior mean and covariance through one Cholesky factor.

use gradbo::gp::{Kernel, KernelKind};
use gradbo::linalg::Cholesky;
use ndarray::{array, Array1, Array2, Axis};

/// The running example f(x) = 0.35 sin(2.2x) + 0.15 cos(5x) + 0.03(x − 1.5)² − 0.25.
pub use gradbo::test_functions::running_example as f;

/// The noise variance of the chapter: small, so that the mean nearly interpolates, but not
/// zero, so that K + σₙ²I is comfortably positive definite.
pub const NOISE: f64 = 1e-4;

// ANCHOR: posterior
/// What conditioning on data gives at the test points.
pub struct Posterior {
    /// μ* = K*ᵀ α.
    pub mean: Array1<f64>,
    /// Σ* = K** − vᵀv with v = L⁻¹K*.
    pub covariance: Array2<f64>,
    /// α = (K + σₙ²I)⁻¹ y: the weight of each observation in the mean.
    pub alpha: Array1<f64>,
}

impl Posterior {
    /// The pointwise variances, the diagonal of Σ*, kept above 10⁻¹² (rounding can push a
    /// variance that should be ~0 slightly below zero).
    pub fn variance(&self) -> Array1<f64> {
        self.covariance.diag().mapv(|v| v.max(1e-12))
    }
}

/// The posterior of a zero-mean GP with the squared-exponential kernel, given observations
/// y at inputs x, evaluated at the test inputs xs.
pub fn posterior(
    x: &[f64],
    y: &[f64],
    xs: &[f64],
    lengthscale: f64,
    variance: f64,
    noise: f64,
) -> gradbo::Result<Posterior> {
    let kernel =
        Kernel::new(KernelKind::SquaredExponential, array![lengthscale], variance)?;
    let column = |v: &[f64]| Array1::from(v.to_vec()).insert_axis(Axis(1));
    let (x, xs, y) = (column(x), column(xs), Array1::from(y.to_vec()));
    let mut k = kernel.matrix(x.view(), x.view())?; // K (n × n)
    k.diag_mut().mapv_inplace(|v| v + noise); //      K + σₙ²I
    let l = Cholesky::new(k.view())?; //                 = LLᵀ
    let alpha = l.solve_vec(y.view())?; //               α = L⁻ᵀ(L⁻¹y)
    let k_star = kernel.matrix(x.view(), xs.view())?; // K* (n × m)
    let mean = k_star.t().dot(&alpha); //                μ* = K*ᵀα
    let v = l.solve_lower(k_star.view())?; //            v = L⁻¹K*
    let covariance = kernel.matrix(xs.view(), xs.view())? - v.t().dot(&v);
    Ok(Posterior { mean, covariance, alpha })
}
// ANCHOR_END: posterior

/// The eight observations of the chapter: f at linspace(−1.5, 1.5, 8).
pub fn observations() -> (Vec<f64>, Vec<f64>) {
    let x = Array1::linspace(-1.5, 1.5, 8).to_vec();
    let y = x.iter().map(|&x| f(x)).collect();
    (x, y)
}

/// Prints the posterior at −3, 0 and 3 for ℓ = 1.0 and ℓ = 0.8, and the weights α.
pub fn main() -> gradbo::Result<()> {
    let (x, y) = observations();
    for lengthscale in [1.0, 0.8] {
        let p = posterior(&x, &y, &[-3.0, 0.0, 3.0], lengthscale, 1.0, NOISE)?;
        let sd = p.variance().mapv(f64::sqrt);
        println!("ℓ = {lengthscale}: μ = {:.4}, σ = {:.4}", p.mean, sd);
        println!("  α = {:.1}", p.alpha);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::gp::{Gp, Hyperparameters};

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() < tol, "{a} vs {b}");
    }

    #[test]
    fn the_observations() {
        let (_, y) = observations();
        let expected = [
            0.12721, -0.20873, -0.60757, -0.24896, 0.03038, -0.03184, 0.09291,
            -0.25322,
        ];
        for (a, b) in y.iter().zip(expected) {
            close(*a, b, 5e-6);
        }
    }

    #[test]
    fn the_course_check_values() {
        let (x, y) = observations();
        let p = posterior(&x, &y, &[-3.0, 0.0, 3.0], 1.0, 1.0, NOISE).unwrap();
        let sd = p.variance().mapv(f64::sqrt);
        close(p.mean[0], -3.349, 5e-4);
        close(p.mean[1], -0.0840, 5e-5);
        close(p.mean[2], -4.194, 5e-4);
        close(sd[0], 0.7484, 5e-5);
        close(sd[1], 0.00845, 5e-6);
        close(sd[2], 0.7484, 5e-5);
        let p = posterior(&x, &y, &[-3.0, 0.0, 3.0], 0.8, 1.0, NOISE).unwrap();
        let sd = p.variance().mapv(f64::sqrt);
        close(p.mean[0], -0.810, 5e-4);
        close(p.mean[2], -1.241, 5e-4);
        close(sd[0], 0.9166, 5e-5);
        close(sd[1], 0.00903, 5e-6);
    }

    #[test]
    fn the_overshoot_comes_with_large_alternating_weights() {
        let (x, y) = observations();
        let p = posterior(&x, &y, &[0.0], 1.0, 1.0, NOISE).unwrap();
        let largest = p.alpha.iter().fold(0.0_f64, |m, a| m.max(a.abs()));
        let y_largest = y.iter().fold(0.0_f64, |m, a| m.max(a.abs()));
        assert!(largest > 100.0 * y_largest, "{}", p.alpha);
        let flips =
            p.alpha.windows(2).into_iter().filter(|w| w[0] * w[1] < 0.0).count();
        assert!(flips >= 5, "{}", p.alpha);
    }

    #[test]
    fn the_mean_nearly_interpolates_and_the_variance_nearly_vanishes_at_the_data() {
        let (x, y) = observations();
        let p = posterior(&x, &y, &x, 0.8, 1.0, NOISE).unwrap();
        // Within the noise's standard deviation σₙ = 0.01 of each observation.
        for (m, y) in p.mean.iter().zip(&y) {
            close(*m, *y, NOISE.sqrt());
        }
        // Below the noise variance: the posterior of f is surer than one observation.
        assert!(p.variance().iter().all(|&v| v < NOISE), "{}", p.variance());
    }

    #[test]
    fn agrees_with_the_library() {
        let (x, y) = observations();
        let xs: Vec<f64> = Array1::linspace(-3.0, 3.0, 50).to_vec();
        let ours = posterior(&x, &y, &xs, 0.8, 1.3, NOISE).unwrap();
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.3).unwrap();
        let hyper = Hyperparameters { kernel, mean: 0.0, noise: NOISE };
        let column = |v: &[f64]| Array1::from(v.to_vec()).insert_axis(Axis(1));
        let gp = Gp::new(column(&x), Array1::from(y), hyper).unwrap();
        let library = gp.predict(column(&xs).view()).unwrap();
        for (a, b) in ours.mean.iter().zip(&library.mean) {
            close(*a, *b, 1e-10);
        }
        for (a, b) in ours.variance().iter().zip(&library.variance) {
            close(*a, *b, 1e-10);
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
