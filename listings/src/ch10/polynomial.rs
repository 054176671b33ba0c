//! Polynomial surrogates: least-squares fits, their train and test errors, where they put
//! the minimum, and how well conditioned the fitting problem is.

use gradbo::linalg::{lstsq, svd};
use gradbo::surrogate::{polyfit, Polynomial};
use ndarray::{Array1, Array2};

/// The running example of Part 3, from the library.
pub use gradbo::test_functions::running_example as f;

/// `n` evenly spaced points from `a` to `b` inclusive (NumPy's `linspace`), from the library.
pub use gradbo::numeric::linspace;

/// Observations of f at `n` evenly spaced points of [−3, 3].
pub fn observe(n: usize) -> (Vec<f64>, Vec<f64>) {
    let x = linspace(-3.0, 3.0, n);
    let y = x.iter().map(|&v| f(v)).collect();
    (x, y)
}

// ANCHOR: fit
/// The mean squared error of the polynomial `p` against f at the points `x`.
pub fn mse(p: &Polynomial, x: &[f64]) -> f64 {
    x.iter().map(|&v| (p.eval(v) - f(v)).powi(2)).sum::<f64>() / x.len() as f64
}

/// Fits degree `degree` to 12 evenly spaced observations and returns the training error
/// and the error on 200 evenly spaced test points.
pub fn train_test(degree: usize) -> gradbo::Result<(f64, f64)> {
    let (x, y) = observe(12);
    let p = polyfit(&x, &y, degree)?;
    Ok((mse(&p, &x), mse(&p, &linspace(-3.0, 3.0, 200))))
}
// ANCHOR_END: fit

// ANCHOR: minimum
/// Where the surrogate `p` is smallest on a grid: (x, p(x)), the first on ties.
pub fn surrogate_minimum(p: &Polynomial, grid: &[f64]) -> (f64, f64) {
    grid.iter()
        .map(|&x| (x, p.eval(x)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a non-empty grid")
}
// ANCHOR_END: minimum

// ANCHOR: conditioning
/// The Vandermonde matrix [xⁿ … x 1] of degree `degree` at the points `x`.
pub fn vandermonde(x: &[f64], degree: usize) -> Array2<f64> {
    Array2::from_shape_fn((x.len(), degree + 1), |(i, j)| {
        x[i].powi((degree - j) as i32)
    })
}

/// How hard the fit is numerically: the condition number σ_max/σ_min of the Vandermonde
/// matrix as it stands and after scaling each column to unit norm (over its min(m, n)
/// singular values), and the numerical rank of the scaled matrix: the number of singular
/// values above len(x)·ε·σ_max, NumPy's cut-off.
pub fn conditioning(x: &[f64], degree: usize) -> gradbo::Result<(f64, f64, usize)> {
    let singular = |v: &Array2<f64>| -> gradbo::Result<Vec<f64>> {
        let mut s = svd(v.view())?.s.to_vec();
        s.sort_by(|a, b| b.total_cmp(a));
        s.truncate(v.nrows().min(v.ncols()));
        Ok(s)
    };
    let v = vandermonde(x, degree);
    let raw = singular(&v)?;
    let norms: Array1<f64> =
        v.columns().into_iter().map(|c| c.dot(&c).sqrt()).collect();
    let scaled = singular(&(v / &norms))?;
    let cutoff = x.len() as f64 * f64::EPSILON * scaled[0];
    let rank = scaled.iter().filter(|&&s| s > cutoff).count();
    let kappa = |s: &[f64]| s[0] / s[s.len() - 1];
    Ok((kappa(&raw), kappa(&scaled), rank))
}
// ANCHOR_END: conditioning

// ANCHOR: convention
/// The minimum-norm least-squares polynomial in the *unscaled* coefficients: the same
/// problem as `polyfit` with a different tie-break when it is underdetermined.
pub fn unscaled_minimum_norm(
    x: &[f64],
    y: &[f64],
    degree: usize,
) -> gradbo::Result<Polynomial> {
    let v = vandermonde(x, degree);
    let c = lstsq(
        v.view(),
        Array1::from(y.to_vec()).view(),
        x.len() as f64 * f64::EPSILON,
    )?;
    Ok(Polynomial { coefficients: c })
}

/// The polynomial ∏(x − xᵢ), highest power first: it vanishes at every observation, so
/// adding any multiple of it to an interpolant gives another interpolant.
pub fn vanishing(x: &[f64]) -> Polynomial {
    let mut c = vec![1.0];
    for &r in x {
        let mut next = c.clone();
        next.push(0.0);
        for (k, ck) in c.iter().enumerate() {
            next[k + 1] -= r * ck;
        }
        c = next;
    }
    Polynomial { coefficients: Array1::from(c) }
}
// ANCHOR_END: convention

pub fn main() -> gradbo::Result<()> {
    println!("degree   train MSE   test MSE");
    for degree in 1..=10 {
        let (train, test) = train_test(degree)?;
        println!("{degree:>6}   {train:>9.2e}   {test:>8.2e}");
    }
    let (x, y) = observe(12);
    let grid = linspace(-3.0, 3.0, 600);
    for degree in [4, 6, 10] {
        let (at, value) = surrogate_minimum(&polyfit(&x, &y, degree)?, &grid);
        println!("degree {degree:>2}: minimum {value:+.3} at x = {at:.3}, f there {:+.3}", f(at));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn train_and_test_errors_match_the_course() {
        let want = [
            (7.26e-2, 7.22e-2),
            (6.69e-2, 6.47e-2),
            (6.68e-2, 6.56e-2),
            (6.59e-2, 6.56e-2),
            (2.19e-2, 2.32e-2),
            (2.00e-2, 2.19e-2),
            (1.05e-2, 1.09e-2),
            (6.60e-3, 1.30e-2),
            (6.43e-3, 1.24e-2),
            (2.1e-7, 0.241),
        ];
        for (degree, (train, test)) in (1..=10).zip(want) {
            let (a, b) = train_test(degree).unwrap();
            let tol = if degree == 10 { 0.03 } else { 0.006 };
            assert!((a / train - 1.0).abs() < tol, "degree {degree}: {a}");
            assert!((b / test - 1.0).abs() < tol, "degree {degree}: {b}");
        }
    }

    #[test]
    fn predicted_minima_match_the_course() {
        let (x, y) = observe(12);
        let grid = linspace(-3.0, 3.0, 600);
        let want = [
            (4, 3.000, -0.312, -0.187),
            (6, 2.369, -0.540, -0.422),
            (10, 2.159, -0.943, -0.617),
        ];
        for (degree, at, value, truth) in want {
            let (a, v) =
                surrogate_minimum(&polyfit(&x, &y, degree).unwrap(), &grid);
            assert!((a - at).abs() < 5e-4, "degree {degree}: {a}");
            assert!((v - value).abs() < 5e-4 && (f(a) - truth).abs() < 5e-4);
        }
    }

    #[test]
    fn scaling_tames_the_condition_number_and_the_rank_flags_underdetermined_fits()
    {
        let x = linspace(-3.0, 3.0, 12);
        let (raw, scaled, rank) = conditioning(&x, 10).unwrap();
        assert!(raw > 4e5 && scaled < 1e4 && rank == 11, "{raw} {scaled}");
        let mut last = 0.0;
        for degree in 1..=10 {
            let (_, scaled, _) = conditioning(&x, degree).unwrap();
            assert!(scaled > last);
            last = scaled;
        }
        // Five points: a 5 × 6 matrix, so at most five nonzero singular values.
        let (_, _, rank) = conditioning(&linspace(-3.0, 3.0, 5), 5).unwrap();
        assert_eq!(rank, 5);
    }

    #[test]
    fn two_interpolants_differ_by_a_multiple_of_the_vanishing_polynomial() {
        let (x, y) = observe(5);
        let scaled = polyfit(&x, &y, 5).unwrap();
        let unscaled = unscaled_minimum_norm(&x, &y, 5).unwrap();
        let q = vanishing(&x);
        // Both pass through the data ...
        for (&xi, &yi) in x.iter().zip(&y) {
            assert!((scaled.eval(xi) - yi).abs() < 1e-12);
            assert!((unscaled.eval(xi) - yi).abs() < 1e-12);
            assert!(q.eval(xi).abs() < 1e-12);
        }
        // ... so their difference is t·q(x), with t the difference of the leading coefficients.
        let t = scaled.coefficients[0] - unscaled.coefficients[0];
        for z in linspace(-3.0, 3.0, 13) {
            let d = scaled.eval(z) - unscaled.eval(z) - t * q.eval(z);
            assert!(d.abs() < 1e-12, "{d}");
        }
        assert!((t + 0.005129).abs() < 1e-6, "{t}");
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
