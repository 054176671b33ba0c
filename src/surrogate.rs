//! Polynomial least-squares surrogates, with NumPy's `polyfit` convention.
//!
//! Each column of the Vandermonde matrix [xⁿ … x 1] is scaled to unit Euclidean norm before
//! solving, the problem is solved by SVD with singular values below len(x)·ε × the largest
//! dropped, and the coefficients are unscaled. When there are fewer points than coefficients
//! this gives the *minimum-norm* solution in the scaled coordinates — the convention the
//! course's printed results depend on, and one a plain QR solver does not reproduce.

use crate::linalg::lstsq;
use crate::{Error, Result};
use ndarray::{Array1, Array2};

/// A polynomial c₀xⁿ + c₁xⁿ⁻¹ + … + cₙ (highest power first, as NumPy stores it).
#[derive(Debug, Clone, PartialEq)]
pub struct Polynomial {
    /// The coefficients, highest power first.
    pub coefficients: Array1<f64>,
}

impl Polynomial {
    /// The value at x, by Horner's rule.
    pub fn eval(&self, x: f64) -> f64 {
        self.coefficients.iter().fold(0.0, |acc, c| acc * x + c)
    }
}

/// The least-squares polynomial of degree `degree` through the points (xᵢ, yᵢ).
///
/// # Errors
/// [`Error::Empty`] for no points, [`Error::ShapeMismatch`] if x and y differ in length,
/// [`Error::NonFinite`] for NaN or infinite data.
pub fn polyfit(x: &[f64], y: &[f64], degree: usize) -> Result<Polynomial> {
    if x.is_empty() {
        return Err(Error::Empty { context: "polyfit" });
    }
    if x.len() != y.len() {
        return Err(Error::ShapeMismatch {
            context: "polyfit",
            expected: vec![x.len()],
            found: vec![y.len()],
        });
    }
    if x.iter().chain(y).any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "polyfit" });
    }
    let columns = degree + 1;
    let mut v = Array2::from_shape_fn((x.len(), columns), |(i, j)| {
        x[i].powi((degree - j) as i32)
    });
    let scale: Array1<f64> =
        v.columns().into_iter().map(|c| c.dot(&c).sqrt()).collect();
    let scale = scale.mapv(|s| if s > 0.0 { s } else { 1.0 });
    v /= &scale;
    let rcond = x.len() as f64 * f64::EPSILON;
    let c = lstsq(v.view(), Array1::from(y.to_vec()).view(), rcond)?;
    Ok(Polynomial { coefficients: c / scale })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::linspace;
    use crate::test_functions::running_example as f;

    #[test]
    fn an_exact_polynomial_is_recovered() {
        let x = linspace(-2.0, 2.0, 9);
        let y: Vec<f64> = x.iter().map(|v| 2.0 * v * v * v - v + 0.5).collect();
        let p = polyfit(&x, &y, 3).unwrap();
        for (got, want) in p.coefficients.iter().zip([2.0, 0.0, -1.0, 0.5]) {
            assert!((got - want).abs() < 1e-12);
        }
    }

    #[test]
    fn train_and_test_errors_match_the_course() {
        let x = linspace(-3.0, 3.0, 12);
        let y: Vec<f64> = x.iter().map(|&v| f(v)).collect();
        let test = linspace(-3.0, 3.0, 200);
        let mse = |p: &Polynomial, xs: &[f64]| {
            xs.iter().map(|&v| (p.eval(v) - f(v)).powi(2)).sum::<f64>()
                / xs.len() as f64
        };
        let expected = [
            (1, 7.26e-2, 7.22e-2),
            (3, 6.68e-2, 6.56e-2),
            (5, 2.19e-2, 2.32e-2),
            (7, 1.05e-2, 1.09e-2),
        ];
        for (degree, train, test_mse) in expected {
            let p = polyfit(&x, &y, degree).unwrap();
            assert!((mse(&p, &x) / train - 1.0).abs() < 0.01, "degree {degree}");
            assert!(
                (mse(&p, &test) / test_mse - 1.0).abs() < 0.01,
                "degree {degree}"
            );
        }
    }

    #[test]
    fn predicted_minima_and_the_underdetermined_first_step() {
        let grid = linspace(-3.0, 3.0, 600);
        let x = linspace(-3.0, 3.0, 12);
        let y: Vec<f64> = x.iter().map(|&v| f(v)).collect();
        for (degree, want) in [(4, 3.000), (6, 2.369), (10, 2.159)] {
            let p = polyfit(&x, &y, degree).unwrap();
            let best = grid
                .iter()
                .copied()
                .min_by(|a, b| p.eval(*a).total_cmp(&p.eval(*b)))
                .unwrap();
            assert!((best - want).abs() < 2e-3, "degree {degree}: {best}");
        }
        // Degree 5 through 5 points: 6 coefficients, minimum norm in scaled coordinates.
        let x = linspace(-3.0, 3.0, 5);
        let y: Vec<f64> = x.iter().map(|&v| f(v)).collect();
        let p = polyfit(&x, &y, 5).unwrap();
        let candidates = linspace(-3.0, 3.0, 400);
        let top =
            candidates.iter().map(|&c| p.eval(c)).fold(f64::NEG_INFINITY, f64::max);
        let score = |c: f64| {
            if x.iter().any(|s| (s - c).abs() < 0.15) {
                top + 1.0
            } else {
                p.eval(c)
            }
        };
        let next = candidates
            .iter()
            .copied()
            .min_by(|a, b| score(*a).total_cmp(&score(*b)))
            .unwrap();
        assert!(
            (next - 2.218).abs() < 1e-3 && (f(next) + 0.565).abs() < 1e-3,
            "{next}"
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(polyfit(&[], &[], 1).is_err());
        assert!(polyfit(&[1.0, 2.0], &[1.0], 1).is_err());
        assert!(polyfit(&[f64::NAN], &[1.0], 0).is_err());
    }
}
