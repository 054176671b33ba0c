//! The squared-exponential kernel: how alike two function values are, as a function of how far
//! apart their inputs are.

use ndarray::Array2;

// ANCHOR: rbf
/// k(x, x′) = σ_f² exp(−(x − x′)² / (2ℓ²)): the prior covariance of f(x) and f(x′).
pub fn rbf(x: f64, x2: f64, lengthscale: f64, variance: f64) -> f64 {
    variance * (-(x - x2).powi(2) / (2.0 * lengthscale * lengthscale)).exp()
}

/// The kernel matrix K_ij = k(a_i, b_j).
pub fn kernel_matrix(
    a: &[f64],
    b: &[f64],
    lengthscale: f64,
    variance: f64,
) -> Array2<f64> {
    Array2::from_shape_fn((a.len(), b.len()), |(i, j)| {
        rbf(a[i], b[j], lengthscale, variance)
    })
}
// ANCHOR_END: rbf

/// Prints k(0, 1) and the matrix of three points.
pub fn main() {
    println!("k(0, 1) = {:.6}", rbf(0.0, 1.0, 0.8, 1.0));
    println!(
        "{:.4}",
        kernel_matrix(&[-1.0, 0.0, 1.0], &[-1.0, 0.0, 1.0], 0.8, 1.0)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::gp::{Kernel, KernelKind};
    use gradbo::linalg::symmetric_eigen;
    use ndarray::{array, Array1, Axis};

    #[test]
    fn the_course_value_of_k_0_1() {
        assert!((rbf(0.0, 1.0, 0.8, 1.0) - 0.457833).abs() < 5e-7);
        // One lengthscale apart the correlation is e^{-1/2}, whatever ℓ.
        assert!((rbf(0.3, 1.5, 1.2, 1.0) - (-0.5f64).exp()).abs() < 1e-15);
    }

    #[test]
    fn the_matrix_is_symmetric_and_positive_semidefinite() {
        let grid: Vec<f64> = Array1::linspace(-3.0, 3.0, 60).to_vec();
        let k = kernel_matrix(&grid, &grid, 0.8, 1.0);
        assert_eq!(k, k.t());
        assert!(k.diag().iter().all(|&v| v == 1.0));
        let eigen = symmetric_eigen(k.view()).unwrap();
        let smallest = eigen.values.iter().copied().fold(f64::INFINITY, f64::min);
        // Positive semidefinite up to rounding: the smallest eigenvalues are ~0.
        assert!(smallest > -1e-12, "{smallest}");
        assert!(smallest < 1e-9, "nearly singular on a fine grid: {smallest}");
    }

    #[test]
    fn agrees_with_the_library_kernel() {
        let x: Vec<f64> = Array1::linspace(-3.0, 3.0, 9).to_vec();
        let ours = kernel_matrix(&x, &x, 0.7, 1.3);
        let column = Array1::from(x).insert_axis(Axis(1));
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.7], 1.3).unwrap();
        let library = kernel.matrix(column.view(), column.view()).unwrap();
        assert!((&ours - &library).iter().all(|d| d.abs() < 1e-14));
    }

    #[test]
    fn main_runs() {
        main();
    }
}
