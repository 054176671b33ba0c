//! Small numerical tools the course reaches for again and again: evenly spaced grids, a
//! column of inputs, gradients by central differences (the yardstick every analytic
//! gradient in the library is tested against) and golden-section search (the yardstick for
//! the minima of one-dimensional objectives).

use ndarray::{Array1, Array2};

/// `n` evenly spaced numbers from `a` to `b`, both included (NumPy's `linspace`); the last
/// is exactly `b`. One number is `a`; none is an empty vector.
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![a],
        _ => {
            let step = (b - a) / (n - 1) as f64;
            (0..n)
                .map(|i| if i + 1 == n { b } else { a + step * i as f64 })
                .collect()
        }
    }
}

/// The numbers `v` as an n × 1 matrix: one-dimensional inputs in the (n, d) shape that
/// models take.
pub fn column(v: &[f64]) -> Array2<f64> {
    Array1::from(v.to_vec()).insert_axis(ndarray::Axis(1))
}

/// The gradient of `f` at `x` by central differences, (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ,
/// with the step hᵢ = h·max(1, |xᵢ|) relative to the coordinate's size. The error is
/// O(h²) from truncation plus about ε|f|/h from rounding, so h ≈ 1e-5 to 1e-6 balances the
/// two for smooth f of moderate size.
pub fn central_difference(
    mut f: impl FnMut(&Array1<f64>) -> f64,
    x: &Array1<f64>,
    h: f64,
) -> Array1<f64> {
    let mut gradient = Array1::zeros(x.len());
    let mut probe = x.clone();
    for i in 0..x.len() {
        let step = h * x[i].abs().max(1.0);
        probe[i] = x[i] + step;
        let up = f(&probe);
        probe[i] = x[i] - step;
        let down = f(&probe);
        probe[i] = x[i];
        gradient[i] = (up - down) / (2.0 * step);
    }
    gradient
}

/// Golden-section search for a minimum of `f` on the bracket [lo, hi]: each of `iterations`
/// steps keeps the part of the bracket that must hold a minimum of a unimodal f, shrinking it
/// by the golden ratio's 0.618; returns the bracket's midpoint. Comparing values, it cannot
/// locate the minimiser closer than about √ε relative (where f is flat to rounding).
pub fn golden_section(
    f: impl Fn(f64) -> f64,
    lo: f64,
    hi: f64,
    iterations: usize,
) -> f64 {
    let (mut lo, mut hi) = (lo, hi);
    let r = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..iterations {
        let (c, d) = (hi - r * (hi - lo), lo + r * (hi - lo));
        if f(c) < f(d) {
            hi = d;
        } else {
            lo = c;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn linspace_matches_numpy_and_ends_exactly() {
        assert_eq!(linspace(-1.5, 1.5, 4), vec![-1.5, -0.5, 0.5, 1.5]);
        assert_eq!(*linspace(-3.0, 3.0, 7).last().unwrap(), 3.0);
        assert_eq!(linspace(0.1, 0.7, 3)[2], 0.7);
        assert!(linspace(0.0, 1.0, 0).is_empty());
        assert_eq!(linspace(2.0, 5.0, 1), vec![2.0]);
        assert_eq!(column(&[1.0, 2.0]), array![[1.0], [2.0]]);
    }

    #[test]
    fn golden_section_finds_a_minimum_to_the_square_root_of_epsilon() {
        // (x − 0.3)² + 1 on [−2, 2]; and cos on [2, 5], minimal at π.
        let x = golden_section(|x| (x - 0.3).powi(2) + 1.0, -2.0, 2.0, 100);
        assert!((x - 0.3).abs() < 1e-7, "{x}");
        let x = golden_section(f64::cos, 2.0, 5.0, 100);
        assert!((x - std::f64::consts::PI).abs() < 1e-7, "{x}");
        // Each step keeps 0.618 of the bracket: 10 steps leave 0.618¹⁰ ≈ 0.0081 of it.
        let x = golden_section(|x| x, 0.0, 1.0, 10);
        assert!(x < 0.0081 && x > 0.0);
    }

    #[test]
    fn central_differences_are_second_order_accurate() {
        // f = x₀² sin x₁ + 1e3 x₁: ∇f = (2x₀ sin x₁, x₀² cos x₁ + 1e3).
        let f = |x: &Array1<f64>| x[0] * x[0] * x[1].sin() + 1e3 * x[1];
        let x = array![1.3, -0.4];
        let want =
            array![2.0 * 1.3 * (-0.4f64).sin(), 1.69 * (-0.4f64).cos() + 1e3];
        let g = central_difference(f, &x, 1e-5);
        assert!((&g - &want).iter().all(|e| e.abs() < 1e-7), "{g} vs {want}");
    }
}
