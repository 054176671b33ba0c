//! Test functions of Part 2, with their gradients in closed form.

use super::objective::FnObjective;
use super::Objective;
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

/// Rosenbrock's banana f(x₁, x₂) = (1 − x₁)² + 100(x₂ − x₁²)², minimum 0 at (1, 1).
pub fn rosenbrock() -> impl Objective {
    FnObjective::new(2, |x: &Array1<f64>| {
        let (a, b) = (x[0], x[1]);
        let value = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
        let grad =
            array![-2.0 * (1.0 - a) - 400.0 * a * (b - a * a), 200.0 * (b - a * a)];
        (value, grad)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_gradient(f: &dyn Objective, points: &[Array1<f64>]) {
        let h = 1e-6;
        for x in points {
            let (_, g) = f.value_and_gradient(x).unwrap();
            for i in 0..x.len() {
                let mut e = Array1::zeros(x.len());
                e[i] = h;
                let fd = (f.value(&(x + &e)).unwrap()
                    - f.value(&(x - &e)).unwrap())
                    / (2.0 * h);
                assert!(
                    (g[i] - fd).abs() < 1e-6 * fd.abs().max(1.0),
                    "{x} {i}: {} vs {fd}",
                    g[i]
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
