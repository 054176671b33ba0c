//! Test functions of Parts 2 and 3, with their gradients in closed form.

use super::objective::FnObjective;
use super::Objective;
use crate::test_functions::{
    rosenbrock_sum, HARTMANN6_A, HARTMANN6_ALPHA, HARTMANN6_P,
};
use ndarray::{array, Array1};

/// The double well f(x) = x⁴/4 − x²/2, with f'(x) = x³ − x = x(x − 1)(x + 1): minima at ±1,
/// a local maximum at 0.
pub fn double_well() -> impl Objective {
    FnObjective::new(1, |x: &Array1<f64>| {
        let v = x[0];
        (0.25 * v.powi(4) - 0.5 * v * v, array![v * v * v - v])
    })
}

/// The multi-well f(x₁, x₂) = 0.2(x₁⁴ + x₂⁴) − (x₁² + x₂²) + 0.3 x₁x₂: global minima
/// ±(√2.875, −√2.875) with f = −3.30625, local minima ±(√2.125, √2.125) with f = −1.80625.
pub fn multi_well() -> impl Objective {
    FnObjective::new(2, |x: &Array1<f64>| {
        let (a, b) = (x[0], x[1]);
        let value = 0.2 * (a.powi(4) + b.powi(4)) - (a * a + b * b) + 0.3 * a * b;
        let grad = array![
            0.8 * a.powi(3) - 2.0 * a + 0.3 * b,
            0.8 * b.powi(3) - 2.0 * b + 0.3 * a
        ];
        (value, grad)
    })
}

/// Rosenbrock's banana f(x₁, x₂) = (1 − x₁)² + 100(x₂ − x₁²)², minimum 0 at (1, 1): the
/// value of [`Rosenbrock`](crate::test_functions::Rosenbrock) in two variables.
pub fn rosenbrock() -> impl Objective {
    FnObjective::new(2, |x: &Array1<f64>| {
        let (a, b) = (x[0], x[1]);
        let value = rosenbrock_sum(x.view());
        let grad =
            array![-2.0 * (1.0 - a) - 400.0 * a * (b - a * a), 200.0 * (b - a * a)];
        (value, grad)
    })
}

/// The Hartmann-6 function at a point of [0, 1]⁶, with its gradient:
/// f(x) = −Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²).
///
/// Six local minima; the global one is f = −3.32237 at
/// (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573). A standard test problem of
/// Bayesian optimisation, defined on the unit cube (it is smooth everywhere, so points outside
/// are evaluated too); the coefficients, the value alone and the minimum to full precision
/// are in [`Hartmann6`](crate::test_functions::Hartmann6).
pub fn hartmann6_value_and_gradient(x: &[f64; 6]) -> (f64, [f64; 6]) {
    let mut value = 0.0;
    let mut grad = [0.0; 6];
    for ((a, p), alpha) in HARTMANN6_A.iter().zip(&HARTMANN6_P).zip(HARTMANN6_ALPHA)
    {
        let inner: f64 = (0..6).map(|j| a[j] * (x[j] - p[j]) * (x[j] - p[j])).sum();
        let term = alpha * (-inner).exp();
        value -= term;
        for j in 0..6 {
            grad[j] += term * 2.0 * a[j] * (x[j] - p[j]);
        }
    }
    (value, grad)
}

/// The Hartmann-6 function (see [`hartmann6_value_and_gradient`]) as an [`Objective`] of six
/// variables.
pub fn hartmann6() -> impl Objective {
    FnObjective::new(6, |x: &Array1<f64>| {
        let point = std::array::from_fn(|j| x[j]);
        let (value, grad) = hartmann6_value_and_gradient(&point);
        (value, Array1::from(grad.to_vec()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::central_difference;

    fn check_gradient(f: &dyn Objective, points: &[Array1<f64>]) {
        for x in points {
            let (_, g) = f.value_and_gradient(x).unwrap();
            let fd = central_difference(|x| f.value(x).unwrap(), x, 1e-6);
            for i in 0..x.len() {
                assert!(
                    (g[i] - fd[i]).abs() < 1e-6 * fd[i].abs().max(1.0),
                    "{x} {i}: {} vs {}",
                    g[i],
                    fd[i]
                );
            }
        }
    }

    #[test]
    fn gradients_match_finite_differences() {
        check_gradient(&double_well(), &[array![-1.3], array![0.2], array![2.1]]);
        let points = [array![0.3, -1.1], array![-1.7, 1.6], array![1.2, 0.9]];
        check_gradient(&multi_well(), &points);
        check_gradient(&rosenbrock(), &points);
        let six = [
            array![0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            array![0.9, 0.05, 0.5, 0.7, 0.2, 0.33],
            array![0.2, 0.15, 0.48, 0.28, 0.31, 0.66],
        ];
        check_gradient(&hartmann6(), &six);
    }

    #[test]
    fn the_hartmann6_global_minimum() {
        let x = array![0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573];
        let (v, grad) = hartmann6().value_and_gradient(&x).unwrap();
        assert!((v + 3.32237).abs() < 1e-5, "{v}");
        // The location is quoted to about six digits: the gradient vanishes to that accuracy.
        assert!(grad.iter().all(|g| g.abs() < 1e-3), "{grad}");
        // Nothing lower on a grid of the cube, nor at random points.
        let f = hartmann6();
        for i in 0..4096 {
            let y = Array1::from_shape_fn(6, |j| {
                ((i as f64 + 0.5) * (0.618_033_988_749_895 * (j + 1) as f64)) % 1.0
            });
            assert!(f.value(&y).unwrap() > -3.32237 - 1e-5);
        }
        // A wrong dimension is an error, not a panic.
        assert!(f.value(&array![0.5, 0.5]).is_err());
    }

    #[test]
    fn hartmann6_agrees_with_the_test_problem() {
        use crate::test_functions::{Hartmann6, TestProblem};
        let problem = Hartmann6::new();
        for i in 0..50 {
            let x: [f64; 6] = std::array::from_fn(|j| {
                ((i as f64 + 0.5) * (0.754_877_666_246_693 * (j + 1) as f64)) % 1.0
            });
            let (v, _) = hartmann6_value_and_gradient(&x);
            let w = problem.value(Array1::from(x.to_vec()).view()).unwrap();
            assert!((v - w).abs() < 1e-15, "{v} vs {w}");
        }
    }

    #[test]
    fn the_multi_well_minima_are_exact() {
        let f = multi_well();
        let (g, l) = (2.875_f64.sqrt(), 2.125_f64.sqrt());
        for (x, value) in [(array![g, -g], -3.30625), (array![l, l], -1.80625)] {
            let (v, grad) = f.value_and_gradient(&x).unwrap();
            assert!((v - value).abs() < 1e-14, "{v}");
            assert!(grad.iter().all(|d| d.abs() < 1e-14));
            let neg = -&x;
            assert!((f.value(&neg).unwrap() - value).abs() < 1e-14);
        }
    }
}
