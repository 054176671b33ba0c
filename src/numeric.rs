//! Small numerical tools the course reaches for again and again: evenly spaced grids, a
//! column of inputs, derivatives and gradients by central differences (the yardstick every
//! analytic gradient in the library is tested against) and golden-section search (the
//! yardstick for the minima of one-dimensional objectives).

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

/// The derivative of a function of one number at `x` by a central difference,
/// (f(x + s) − f(x − s)) / 2s, with the step s = h·max(1, |x|) relative to the size of `x`.
/// The error is O(s²) from truncation plus about ε|f|/s from rounding, so h ≈ 1e-5 to 1e-6
/// balances the two for smooth f of moderate size. A directional derivative of g at x along
/// u is `derivative(|t| g(x + t·u), 0.0, h)`; a derivative in log-space, x·f′(x), is
/// `derivative(|u| f(x·eᵘ), 0.0, h)`.
pub fn derivative(mut f: impl FnMut(f64) -> f64, x: f64, h: f64) -> f64 {
    let step = h * x.abs().max(1.0);
    (f(x + step) - f(x - step)) / (2.0 * step)
}

/// The gradient of `f` at `x` by central differences, one coordinate at a time:
/// ∂ᵢf ≈ (f(x + sᵢeᵢ) − f(x − sᵢeᵢ)) / 2sᵢ with sᵢ = h·max(1, |xᵢ|), as in [`derivative`].
pub fn central_difference(
    mut f: impl FnMut(&Array1<f64>) -> f64,
    x: &Array1<f64>,
    h: f64,
) -> Array1<f64> {
    let mut probe = x.clone();
    Array1::from_shape_fn(x.len(), |i| {
        let partial = derivative(
            |t| {
                probe[i] = t;
                f(&probe)
            },
            x[i],
            h,
        );
        probe[i] = x[i];
        partial
    })
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

    #[test]
    fn the_step_is_relative_and_the_error_second_order() {
        // For a cubic the central difference is exact but for s²·f‴/6 = s²: at x = 1e3 the
        // step is 1e3·h, so the error is 1e6·h², not h².
        let cube = |x: f64| x * x * x;
        for (x, h) in [(0.5, 1e-3), (1e3, 1e-4)] {
            let s: f64 = h * f64::max(1.0, x);
            let error = derivative(cube, x, h) - 3.0 * x * x;
            assert!((error - s * s).abs() < 1e-9 * (3.0 * x * x), "{x}: {error}");
        }
        // A directional derivative and a log-space one, as the documentation writes them.
        let g = |p: [f64; 2]| p[0].sin() * p[1];
        let (x, u) = ([0.4, 2.0], [0.6, 0.8]);
        let along =
            derivative(|t| g([x[0] + t * u[0], x[1] + t * u[1]]), 0.0, 1e-6);
        let want = 0.4f64.cos() * 2.0 * 0.6 + 0.4f64.sin() * 0.8;
        assert!((along - want).abs() < 1e-9, "{along} vs {want}");
        let in_log = derivative(|u| (3.0 * u.exp()).ln().powi(2), 0.0, 1e-6);
        assert!((in_log - 2.0 * 3f64.ln()).abs() < 1e-9, "{in_log}");
    }
}
