//! Eigenvalues of symmetric matrices: in closed form for 2×2, by Jacobi rotations in general.
//!
//! A Jacobi rotation in the plane of coordinates (p, q) is chosen to zero the off-diagonal
//! entry a_pq; sweeping over all pairs again and again drives the matrix to diagonal form, with
//! the eigenvalues on the diagonal and the accumulated rotations as the eigenvectors. It is
//! slower than the QR algorithm for large matrices, but short, exactly symmetric, and accurate
//! to a few ulps relative to ‖A‖, which is what the course's small matrices need.

use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2};

/// Eigenvalues (ascending) and eigenvectors (as columns, in the same order) of a symmetric matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct SymmetricEigen {
    /// The eigenvalues, smallest first.
    pub values: Array1<f64>,
    /// Unit eigenvectors: column k belongs to `values[k]`.
    pub vectors: Array2<f64>,
}

/// The eigenvalues of the symmetric 2×2 matrix [[a, b], [b, d]], smallest first:
/// (a + d)/2 ∓ √(((a − d)/2)² + b²).
pub fn eigenvalues_2x2(a: f64, b: f64, d: f64) -> [f64; 2] {
    let mean = 0.5 * (a + d);
    let radius = (0.5 * (a - d)).hypot(b);
    [mean - radius, mean + radius]
}

/// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations.
///
/// ```
/// use ndarray::array;
/// let e = gradbo::linalg::symmetric_eigen(array![[2.0, 1.0], [1.0, 2.0]].view()).unwrap();
/// assert!((e.values[0] - 1.0).abs() < 1e-15 && (e.values[1] - 3.0).abs() < 1e-15);
/// ```
///
/// # Errors
/// [`Error::ShapeMismatch`] if the matrix is not square, [`Error::NonFinite`] for NaN or
/// infinite entries, [`Error::InvalidInput`] if it is not symmetric (to 1e-12 relative).
pub fn symmetric_eigen(a: ArrayView2<'_, f64>) -> Result<SymmetricEigen> {
    let n = a.nrows();
    if a.ncols() != n {
        return Err(Error::ShapeMismatch {
            context: "symmetric_eigen: the matrix must be square",
            expected: vec![n, n],
            found: a.shape().to_vec(),
        });
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "symmetric_eigen" });
    }
    let scale = a.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let asymmetry = a
        .indexed_iter()
        .fold(0.0_f64, |m, ((i, j), v)| m.max((v - a[[j, i]]).abs()));
    if asymmetry > 1e-12 * scale.max(1.0) {
        return Err(Error::InvalidInput {
            context: "symmetric_eigen",
            reason: format!("the matrix is not symmetric (largest |a_ij − a_ji| = {asymmetry:e})"),
        });
    }
    let mut m = a.to_owned();
    let mut v = Array2::eye(n);
    // Stop when the off-diagonal part is at rounding level relative to the whole matrix
    // (its Frobenius norm, which rotations preserve): a tighter test, relative to the largest
    // entry, can never be met by a large matrix with many zero eigenvalues and would run
    // every sweep.
    let frobenius = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _sweep in 0..100 {
        let off: f64 =
            m.indexed_iter().filter(|((i, j), _)| i != j).map(|(_, x)| x * x).sum();
        if off.sqrt() <= f64::EPSILON * frobenius {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                rotate(&mut m, &mut v, p, q);
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| m[[i, i]].total_cmp(&m[[j, j]]));
    let values = order.iter().map(|&i| m[[i, i]]).collect();
    let vectors = Array2::from_shape_fn((n, n), |(r, c)| v[[r, order[c]]]);
    Ok(SymmetricEigen { values, vectors })
}

/// Applies the rotation in the (p, q) plane that zeroes m[p][q]: m ← JᵀmJ, v ← vJ.
fn rotate(m: &mut Array2<f64>, v: &mut Array2<f64>, p: usize, q: usize) {
    let apq = m[[p, q]];
    if apq == 0.0 {
        return;
    }
    // tan 2θ = 2 a_pq / (a_qq − a_pp); take the smaller root t = tan θ for stability.
    let theta = (m[[q, q]] - m[[p, p]]) / (2.0 * apq);
    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
    let t = if theta == 0.0 { 1.0 } else { t };
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    let n = m.nrows();
    for k in 0..n {
        let (mkp, mkq) = (m[[k, p]], m[[k, q]]);
        m[[k, p]] = c * mkp - s * mkq;
        m[[k, q]] = s * mkp + c * mkq;
    }
    for k in 0..n {
        let (mpk, mqk) = (m[[p, k]], m[[q, k]]);
        m[[p, k]] = c * mpk - s * mqk;
        m[[q, k]] = s * mpk + c * mqk;
    }
    for k in 0..n {
        let (vkp, vkq) = (v[[k, p]], v[[k, q]]);
        v[[k, p]] = c * vkp - s * vkq;
        v[[k, q]] = s * vkp + c * vkq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn known_spectra() {
        let cases: Vec<(Array2<f64>, Vec<f64>)> = vec![
            (array![[10.0, 0.0], [0.0, 1.0]], vec![1.0, 10.0]),
            (array![[2.0, 1.0], [1.0, 2.0]], vec![1.0, 3.0]),
            // The second-difference matrix: eigenvalues 2 − 2cos(kπ/(n+1)).
            (
                Array2::from_shape_fn((6, 6), |(i, j)| match i.abs_diff(j) {
                    0 => 2.0,
                    1 => -1.0,
                    _ => 0.0,
                }),
                (1..=6)
                    .map(|k| {
                        2.0 - 2.0
                            * (f64::from(k) * std::f64::consts::PI / 7.0).cos()
                    })
                    .collect(),
            ),
        ];
        for (a, expected) in cases {
            let e = symmetric_eigen(a.view()).unwrap();
            for (got, want) in e.values.iter().zip(&expected) {
                assert!((got - want).abs() < 1e-13, "{got} vs {want}");
            }
            // A V = V Λ, and V is orthogonal.
            let lambda = Array2::from_diag(&e.values);
            let residual = a.dot(&e.vectors) - e.vectors.dot(&lambda);
            assert!(residual.iter().all(|r| r.abs() < 1e-12));
            let gram =
                e.vectors.t().dot(&e.vectors) - Array2::<f64>::eye(a.nrows());
            assert!(gram.iter().all(|r| r.abs() < 1e-13));
        }
    }

    #[test]
    fn the_closed_form_agrees_with_jacobi() {
        for (a, b, d) in [(3.0, -1.2, 0.5), (1.0, 0.0, 1.0), (-2.0, 4.0, 7.0)] {
            let e = symmetric_eigen(array![[a, b], [b, d]].view()).unwrap();
            let closed = eigenvalues_2x2(a, b, d);
            assert!(
                (e.values[0] - closed[0]).abs() < 1e-14
                    && (e.values[1] - closed[1]).abs() < 1e-14
            );
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            symmetric_eigen(Array2::zeros((2, 3)).view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            symmetric_eigen(array![[1.0, 2.0], [0.0, 1.0]].view()),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            symmetric_eigen(array![[f64::NAN]].view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
