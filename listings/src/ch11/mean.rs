//! The running example and a polynomial mean: a prediction with no statement of confidence.

use gradbo::surrogate::{polyfit, Polynomial};

// ANCHOR: example
/// The running example of Part 3,
/// f(x) = 0.35 sin(2.2x) + 0.15 cos(5x) + 0.03(x − 1.5)² − 0.25 on [−3, 3], as Chapter 10
/// wrote it; the library keeps it with the course's other objectives.
pub use gradbo::test_functions::running_example as f;

/// `n` evenly spaced points from `a` to `b` inclusive, computed as NumPy's `linspace`
/// computes them (a + i·step, the last point exactly b).
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![a];
    }
    let step = (b - a) / (n - 1) as f64;
    (0..n).map(|i| if i + 1 == n { b } else { a + i as f64 * step }).collect()
}

/// The number of points of the chapter's reference grid on [−3, 3].
pub const GRID_POINTS: usize = 600;

/// The 600-point reference grid on [−3, 3]: where curves are drawn, and over which the
/// uncertainty heuristic is normalised.
pub fn grid() -> Vec<f64> {
    linspace(-3.0, 3.0, GRID_POINTS)
}

/// `n` evenly spaced evaluations of f on [a, b]: the inputs and the observed values.
pub fn observe(a: f64, b: f64, n: usize) -> (Vec<f64>, Vec<f64>) {
    let x = linspace(a, b, n);
    let y = x.iter().map(|&v| f(v)).collect();
    (x, y)
}
// ANCHOR_END: example

// ANCHOR: mean
/// The surrogate's mean: the least-squares polynomial of degree `degree` through the
/// observations, evaluated at the points `at`.
pub fn mean(
    x: &[f64],
    y: &[f64],
    degree: usize,
    at: &[f64],
) -> gradbo::Result<(Polynomial, Vec<f64>)> {
    let p = polyfit(x, y, degree)?;
    let mu = at.iter().map(|&v| p.eval(v)).collect();
    Ok((p, mu))
}
// ANCHOR_END: mean

/// The smallest and largest values of `v`.
pub fn range(v: &[f64]) -> (f64, f64) {
    v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
        (lo.min(x), hi.max(x))
    })
}

pub fn main() -> gradbo::Result<()> {
    let at = grid();
    for (a, b) in [(-3.0, 3.0), (-1.5, 1.5)] {
        let (x, y) = observe(a, b, 8);
        let (_, mu) = mean(&x, &y, 5, &at)?;
        let (lo, hi) = range(&mu);
        println!(
            "degree 5 on 8 points in [{a}, {b}]: the mean ranges over [{lo:.2}, {hi:.2}] \
             on [−3, 3]"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_matches_numpy_and_the_example_its_known_values() {
        let g = grid();
        assert_eq!((g.len(), g[0], g[599]), (600, -3.0, 3.0));
        assert!((f(-3.0) - 0.1345).abs() < 1e-4 && (f(3.0) + 0.1874).abs() < 1e-4);
        let best =
            g.iter().copied().min_by(|a, b| f(*a).total_cmp(&f(*b))).unwrap();
        assert!((best - 1.95826).abs() < 1e-5 && (f(best) + 0.705531).abs() < 1e-6);
    }

    #[test]
    fn the_central_fit_extrapolates_wildly() {
        let (x, y) = observe(-1.5, 1.5, 8);
        let (_, mu) = mean(&x, &y, 5, &grid()).unwrap();
        let (lo, hi) = range(&mu);
        assert!((lo + 8.77).abs() < 5e-3 && (hi - 11.50).abs() < 5e-3, "{lo} {hi}");
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
