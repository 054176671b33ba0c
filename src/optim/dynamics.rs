//! What linear algebra predicts about the iteration maps, so that tests and chapters can set
//! the prediction beside the measurement.
//!
//! On f(x) = ½ xᵀAx, gradient descent is the linear map x ← (I − ηA)x. Along the eigenvector
//! of A with eigenvalue λ it multiplies the coordinate by 1 − ηλ, so the run contracts at the
//! spectral radius ρ = maxᵢ |1 − ηλᵢ|, is stable exactly for 0 < η < 2/λ_max, and is fastest at
//! η* = 2/(λ_min + λ_max), where ρ = (κ − 1)/(κ + 1) with κ = λ_max/λ_min. Heavy-ball momentum
//! acts on each direction through a 2×2 matrix on (x, v); its spectral radius is the rate.

use crate::linalg::symmetric_eigen;
use crate::{Error, Result};
use ndarray::{array, Array2};

/// The iteration matrix I − ηA of gradient descent on ½ xᵀAx.
pub fn gradient_descent_matrix(a: &Array2<f64>, lr: f64) -> Array2<f64> {
    Array2::eye(a.nrows()) - a * lr
}

/// The matrix of one heavy-ball step along a direction of curvature λ, acting on (x, v) with
/// v ← βv + λx, x ← x − ηv: [[1 − ηλ, −ηβ], [λ, β]].
pub fn heavy_ball_matrix(lambda: f64, lr: f64, beta: f64) -> Array2<f64> {
    array![[1.0 - lr * lambda, -lr * beta], [lambda, beta]]
}

/// The spectral radius (largest eigenvalue modulus) of a real 2×2 matrix, complex
/// eigenvalues included: with t the trace and d the determinant, the eigenvalues are
/// t/2 ± √(t²/4 − d), and when they are complex both have modulus √d.
pub fn spectral_radius_2x2(m: &Array2<f64>) -> f64 {
    let (t, d) =
        (m[[0, 0]] + m[[1, 1]], m[[0, 0]] * m[[1, 1]] - m[[0, 1]] * m[[1, 0]]);
    let disc = 0.25 * t * t - d;
    if disc >= 0.0 {
        let r = disc.sqrt();
        (0.5 * t + r).abs().max((0.5 * t - r).abs())
    } else {
        d.sqrt()
    }
}

/// The eigenvalues of a symmetric A, smallest first, checked to be positive (a strictly
/// convex quadratic).
///
/// # Errors
/// The errors of [`symmetric_eigen`], and [`Error::InvalidInput`] if an eigenvalue is not
/// positive.
pub fn curvatures(a: &Array2<f64>) -> Result<Vec<f64>> {
    let values = symmetric_eigen(a.view())?.values.to_vec();
    if values.iter().any(|&l| l <= 0.0) {
        return Err(Error::InvalidInput {
            context: "curvatures",
            reason: format!(
                "the quadratic must be strictly convex; eigenvalues {values:?}"
            ),
        });
    }
    Ok(values)
}

/// The condition number κ = λ_max / λ_min of a symmetric positive definite A.
///
/// # Errors
/// As for [`curvatures`].
pub fn condition_number(a: &Array2<f64>) -> Result<f64> {
    let l = curvatures(a)?;
    Ok(l[l.len() - 1] / l[0])
}

/// The contraction factor of gradient descent: ρ(I − ηA) = maxᵢ |1 − ηλᵢ|.
///
/// # Errors
/// As for [`curvatures`].
pub fn gradient_descent_rate(a: &Array2<f64>, lr: f64) -> Result<f64> {
    Ok(curvatures(a)?.iter().map(|l| (1.0 - lr * l).abs()).fold(0.0, f64::max))
}

/// The largest stable learning rate of gradient descent, 2/λ_max: stable for 0 < η < 2/λ_max.
///
/// # Errors
/// As for [`curvatures`].
pub fn stable_step_bound(a: &Array2<f64>) -> Result<f64> {
    let l = curvatures(a)?;
    Ok(2.0 / l[l.len() - 1])
}

/// The fastest fixed step of gradient descent, η* = 2/(λ_min + λ_max), and its rate
/// (κ − 1)/(κ + 1).
///
/// # Errors
/// As for [`curvatures`].
pub fn optimal_step(a: &Array2<f64>) -> Result<(f64, f64)> {
    let l = curvatures(a)?;
    let (lo, hi) = (l[0], l[l.len() - 1]);
    let kappa = hi / lo;
    Ok((2.0 / (lo + hi), (kappa - 1.0) / (kappa + 1.0)))
}

/// The contraction factor of heavy-ball momentum: the largest spectral radius of
/// [`heavy_ball_matrix`] over the eigenvalues of A.
///
/// # Errors
/// As for [`curvatures`].
pub fn heavy_ball_rate(a: &Array2<f64>, lr: f64, beta: f64) -> Result<f64> {
    Ok(curvatures(a)?
        .iter()
        .map(|&l| spectral_radius_2x2(&heavy_ball_matrix(l, lr, beta)))
        .fold(0.0, f64::max))
}

/// Polyak's optimal heavy-ball parameters for a quadratic with curvatures in [λ_min, λ_max]:
/// η = 4/(√λ_max + √λ_min)², β = ((√κ − 1)/(√κ + 1))², and the rate √β = (√κ − 1)/(√κ + 1).
///
/// # Errors
/// As for [`curvatures`].
pub fn optimal_momentum(a: &Array2<f64>) -> Result<(f64, f64, f64)> {
    let l = curvatures(a)?;
    let (lo, hi) = (l[0].sqrt(), l[l.len() - 1].sqrt());
    let rate = (hi - lo) / (hi + lo);
    Ok((4.0 / (hi + lo).powi(2), rate * rate, rate))
}

/// How an iteration behaves, from its contraction factor r along a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// 0 ≤ r < 1: shrinks towards the fixed point without changing sign.
    Converging,
    /// −1 < r < 0: shrinks while flipping sign every step.
    Oscillating,
    /// |r| ≥ 1: does not shrink.
    Diverging,
}

/// The behaviour of the scalar map x ← r x.
pub fn classify_factor(r: f64) -> Behaviour {
    if r.abs() >= 1.0 || !r.is_finite() {
        Behaviour::Diverging
    } else if r < 0.0 {
        Behaviour::Oscillating
    } else {
        Behaviour::Converging
    }
}

/// The behaviour of a recorded one-dimensional sequence x₀, x₁, …: diverging if it ends
/// no closer to 0 than it started (or blows up), oscillating if consecutive terms change
/// sign, converging otherwise.
pub fn classify_sequence(xs: &[f64]) -> Behaviour {
    let (first, last) =
        (xs.first().copied().unwrap_or(0.0), xs.last().copied().unwrap_or(0.0));
    if !last.is_finite() || last.abs() >= first.abs() && first != 0.0 {
        Behaviour::Diverging
    } else if xs.windows(2).any(|w| w[0] * w[1] < 0.0) {
        Behaviour::Oscillating
    } else {
        Behaviour::Converging
    }
}

/// A fixed point of a one-dimensional gradient-descent map and whether it attracts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FixedPoint {
    /// Where ∇f vanishes.
    pub x: f64,
    /// The derivative of the map x ↦ x − η f'(x) there: 1 − η f''(x).
    pub slope: f64,
    /// |slope| < 1: nearby iterates move towards it.
    pub stable: bool,
}

/// The fixed points of x ↦ x − η f'(x) in [lo, hi] (the zeros of f', found by bisecting the
/// sign changes of f' on a grid of `n` cells) and their stability from the map's slope.
///
/// # Errors
/// [`Error::InvalidInput`] unless lo < hi, both finite, and n ≥ 1.
pub fn fixed_points_1d(
    grad: impl Fn(f64) -> f64,
    hess: impl Fn(f64) -> f64,
    lr: f64,
    (lo, hi): (f64, f64),
    n: usize,
) -> Result<Vec<FixedPoint>> {
    if !(lo.is_finite() && hi.is_finite() && lo < hi && n >= 1) {
        return Err(Error::InvalidInput {
            context: "fixed_points_1d",
            reason: format!("need a finite interval lo < hi and n ≥ 1, got [{lo}, {hi}] and {n}"),
        });
    }
    let at = |k: usize| lo + (hi - lo) * k as f64 / n as f64;
    let mut roots: Vec<f64> = Vec::new();
    for k in 0..n {
        let (mut a, mut b) = (at(k), at(k + 1));
        let (fa, fb) = (grad(a), grad(b));
        if fa == 0.0 {
            roots.push(a);
            continue;
        }
        if fa * fb > 0.0 || fb == 0.0 {
            continue;
        }
        for _ in 0..200 {
            let m = 0.5 * (a + b);
            if grad(m) * grad(a) <= 0.0 {
                b = m;
            } else {
                a = m;
            }
        }
        roots.push(0.5 * (a + b));
    }
    if grad(hi) == 0.0 {
        roots.push(hi);
    }
    Ok(roots
        .into_iter()
        .map(|x| {
            let slope = 1.0 - lr * hess(x);
            FixedPoint { x, slope, stable: slope.abs() < 1.0 }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{run, Method, Quadratic};
    use ndarray::array;

    #[test]
    fn contraction_per_step_equals_the_spectral_radius() {
        // Along the slowest direction the error shrinks by exactly ρ each step.
        let a = array![[10.0, 0.0], [0.0, 1.0]];
        let q = Quadratic::new(a.clone()).unwrap();
        for lr in [0.05, 0.15, 0.19] {
            let rho = gradient_descent_rate(&a, lr).unwrap();
            let t = run(
                &q,
                Method::GradientDescent { lr },
                &array![2.0, 2.0],
                200,
                None,
            )
            .unwrap();
            let norms: Vec<f64> = t.xs.iter().map(|x| x.dot(x).sqrt()).collect();
            let measured = (norms[200] / norms[100]).powf(1.0 / 100.0);
            assert!(
                (measured - rho).abs() < 1e-10,
                "η = {lr}: {measured} vs {rho}"
            );
        }
    }

    #[test]
    fn the_stable_interval_and_the_optimal_step() {
        let a = array![[10.0, 0.0], [0.0, 1.0]];
        assert!((stable_step_bound(&a).unwrap() - 0.2).abs() < 1e-15);
        let (lr, rate) = optimal_step(&a).unwrap();
        assert!(
            (lr - 2.0 / 11.0).abs() < 1e-15 && (rate - 9.0 / 11.0).abs() < 1e-15
        );
        assert!((gradient_descent_rate(&a, lr).unwrap() - rate).abs() < 1e-15);
        for (lr, expected) in [(0.05, 0.95), (0.15, 0.85), (0.19, 0.9), (0.25, 1.5)]
        {
            assert!(
                (gradient_descent_rate(&a, lr).unwrap() - expected).abs() < 1e-14
            );
        }
    }

    #[test]
    fn heavy_ball_rates_match_the_chapter_and_the_optimum_is_achieved() {
        let a = array![[10.0, 0.0], [0.0, 1.0]];
        let expected = [
            (0.0, 0.92),
            (0.3, 0.8786),
            (0.6, 0.7746),
            (0.8, 0.8944),
            (0.95, 0.9747),
        ];
        for (beta, rate) in expected {
            assert!(
                (heavy_ball_rate(&a, 0.08, beta).unwrap() - rate).abs() < 1e-4,
                "β = {beta}"
            );
        }
        let (lr, beta, rate) = optimal_momentum(&a).unwrap();
        assert!((heavy_ball_rate(&a, lr, beta).unwrap() - rate).abs() < 1e-6);
        // Measured: at the optimum both eigenvalues of each 2×2 map coincide (a Jordan
        // block), so the error behaves like t·ρᵗ; dividing out the factor t leaves ρ.
        let q = Quadratic::new(a).unwrap();
        let t =
            run(&q, Method::HeavyBall { lr, beta }, &array![2.0, 2.0], 400, None)
                .unwrap();
        let (n1, n2) =
            (t.xs[200].dot(&t.xs[200]).sqrt(), t.xs[400].dot(&t.xs[400]).sqrt());
        let measured = (n2 / n1 / 2.0).powf(1.0 / 200.0);
        assert!((measured - rate).abs() < 1e-4, "{measured} vs {rate}");
    }

    #[test]
    fn behaviours_from_factors_and_from_runs() {
        assert_eq!(classify_factor(0.8), Behaviour::Converging);
        assert_eq!(classify_factor(-0.1), Behaviour::Oscillating);
        assert_eq!(classify_factor(-1.5), Behaviour::Diverging);
        let seq = |r: f64| (0..30).map(|t| 3.0 * r.powi(t)).collect::<Vec<_>>();
        for r in [0.8, 0.1, -0.1, -1.2, 1.0] {
            assert_eq!(classify_sequence(&seq(r)), classify_factor(r), "r = {r}");
        }
    }

    #[test]
    fn the_double_well_has_two_stable_minima_and_an_unstable_maximum() {
        let points = fixed_points_1d(
            |x| x * x * x - x,
            |x| 3.0 * x * x - 1.0,
            0.2,
            (-2.0, 2.0),
            401,
        )
        .unwrap();
        let xs: Vec<f64> = points.iter().map(|p| p.x).collect();
        assert_eq!(xs.len(), 3);
        for (p, (x, stable)) in
            points.iter().zip([(-1.0, true), (0.0, false), (1.0, true)])
        {
            assert!((p.x - x).abs() < 1e-12 && p.stable == stable, "{p:?}");
        }
        assert!((points[1].slope - 1.2).abs() < 1e-12); // 1 + η: growth by 1.2 per step
    }

    #[test]
    fn bad_input_is_an_error() {
        let not_convex = array![[1.0, 0.0], [0.0, -1.0]];
        assert!(matches!(curvatures(&not_convex), Err(Error::InvalidInput { .. })));
        assert!(fixed_points_1d(|x| x, |_| 1.0, 0.1, (1.0, 0.0), 10).is_err());
    }
}
