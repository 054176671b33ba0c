//! The singular value decomposition by one-sided Jacobi rotations, and minimum-norm least
//! squares from it.
//!
//! Pairs of columns of A are rotated until every pair is orthogonal; the column norms are then
//! the singular values, the normalised columns the left singular vectors, and the accumulated
//! rotations the right ones. It works on A itself (never AᵀA, which would square the condition
//! number) and for any shape, which is what minimum-norm least squares needs.

use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

/// A = U diag(s) Vᵀ, with U m × n (columns of zero singular values left at zero), s and V
/// n × n.
#[derive(Debug, Clone, PartialEq)]
pub struct Svd {
    pub u: Array2<f64>,
    pub s: Array1<f64>,
    pub v: Array2<f64>,
}

/// The SVD of `a` (m × n) by one-sided Jacobi.
///
/// # Errors
/// [`Error::Empty`] for an empty matrix, [`Error::NonFinite`] for NaN or infinite entries.
pub fn svd(a: ArrayView2<'_, f64>) -> Result<Svd> {
    if a.is_empty() {
        return Err(Error::Empty { context: "svd" });
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "svd" });
    }
    let n = a.ncols();
    let mut w = a.to_owned();
    let mut v = Array2::eye(n);
    for _sweep in 0..60 {
        let mut rotated = false;
        for p in 0..n {
            for q in p + 1..n {
                let alpha = w.column(p).dot(&w.column(p));
                let beta = w.column(q).dot(&w.column(q));
                let gamma = w.column(p).dot(&w.column(q));
                if gamma.abs() <= f64::EPSILON * (alpha * beta).sqrt()
                    || gamma == 0.0
                {
                    continue;
                }
                rotated = true;
                let zeta = (beta - alpha) / (2.0 * gamma);
                let t = zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt());
                let t = if zeta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = c * t;
                for m in [&mut w, &mut v] {
                    for k in 0..m.nrows() {
                        let (x, y) = (m[[k, p]], m[[k, q]]);
                        m[[k, p]] = c * x - s * y;
                        m[[k, q]] = s * x + c * y;
                    }
                }
            }
        }
        if !rotated {
            break;
        }
    }
    let s: Array1<f64> =
        (0..n).map(|j| w.column(j).dot(&w.column(j)).sqrt()).collect();
    let mut u = w;
    for (j, &sj) in s.iter().enumerate() {
        if sj > 0.0 {
            u.column_mut(j).mapv_inplace(|x| x / sj);
        }
    }
    Ok(Svd { u, s, v })
}

/// The minimum-norm least-squares solution of A x ≈ b: singular values below
/// `rcond` × the largest are treated as zero (LAPACK's gelsd, and NumPy's lstsq, do the same).
///
/// # Errors
/// [`Error::ShapeMismatch`] if b's length is not A's row count; as [`svd`] otherwise.
pub fn lstsq(
    a: ArrayView2<'_, f64>,
    b: ArrayView1<'_, f64>,
    rcond: f64,
) -> Result<Array1<f64>> {
    if b.len() != a.nrows() {
        return Err(Error::ShapeMismatch {
            context: "lstsq",
            expected: vec![a.nrows()],
            found: vec![b.len()],
        });
    }
    let d = svd(a)?;
    let cutoff = rcond * d.s.iter().fold(0.0_f64, |m, v| m.max(*v));
    let mut x = Array1::zeros(a.ncols());
    for (j, &sj) in d.s.iter().enumerate() {
        if sj > cutoff {
            x.scaled_add(d.u.column(j).dot(&b) / sj, &d.v.column(j));
        }
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn reconstructs_tall_and_wide_matrices() {
        for a in [
            Array2::from_shape_fn((7, 4), |(i, j)| {
                ((i * 3 + j * 5) % 7) as f64 - 3.0
            }),
            Array2::from_shape_fn((3, 5), |(i, j)| {
                ((i + 2 * j) % 4) as f64 * 0.5 - 0.7
            }),
        ] {
            let d = svd(a.view()).unwrap();
            let rebuilt = d.u.dot(&Array2::from_diag(&d.s)).dot(&d.v.t());
            assert!((&rebuilt - &a).iter().all(|r| r.abs() < 1e-12));
            let vtv = d.v.t().dot(&d.v) - Array2::<f64>::eye(a.ncols());
            assert!(vtv.iter().all(|r| r.abs() < 1e-13));
        }
    }

    #[test]
    fn least_squares_and_the_minimum_norm_solution() {
        // Overdetermined: the line through (0, 1), (1, 3), (2, 5) exactly.
        let a = array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]];
        let x = lstsq(a.view(), array![1.0, 3.0, 5.0].view(), 1e-15).unwrap();
        assert!((x[0] - 1.0).abs() < 1e-13 && (x[1] - 2.0).abs() < 1e-13);
        // Underdetermined: x₁ + x₂ = 2 has minimum-norm solution (1, 1).
        let x =
            lstsq(array![[1.0, 1.0]].view(), array![2.0].view(), 1e-15).unwrap();
        assert!((x[0] - 1.0).abs() < 1e-14 && (x[1] - 1.0).abs() < 1e-14);
        assert!(lstsq(a.view(), array![1.0].view(), 1e-15).is_err());
    }
}
