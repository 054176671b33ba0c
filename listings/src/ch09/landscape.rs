//! A landscape with several minima: its stationary points, and where gradient descent ends.

use gradbo::linalg::eigenvalues_2x2;
use gradbo::optim::functions::multi_well;
use gradbo::optim::{run, Method};
use ndarray::{array, Array1};

// ANCHOR: stationary
/// What a stationary point is, from the signs of the Hessian's eigenvalues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Minimum,
    Saddle,
    Maximum,
}

/// The stationary points of f(x₁, x₂) = 0.2(x₁⁴ + x₂⁴) − (x₁² + x₂²) + 0.3x₁x₂ in
/// [−2.5, 2.5]², found by Newton's method on ∇f = 0 from a grid of starts, with their
/// values and kinds.
pub fn stationary_points() -> Vec<(Array1<f64>, f64, Kind)> {
    let grad = |x: &Array1<f64>| {
        array![
            0.8 * x[0].powi(3) - 2.0 * x[0] + 0.3 * x[1],
            0.8 * x[1].powi(3) - 2.0 * x[1] + 0.3 * x[0]
        ]
    };
    // The Hessian [[2.4x₁² − 2, 0.3], [0.3, 2.4x₂² − 2]].
    let hess =
        |x: &Array1<f64>| (2.4 * x[0] * x[0] - 2.0, 0.3, 2.4 * x[1] * x[1] - 2.0);
    let mut found: Vec<(Array1<f64>, f64, Kind)> = Vec::new();
    for i in 0..11 {
        for j in 0..11 {
            let mut x =
                array![-2.5 + 0.5 * f64::from(i), -2.5 + 0.5 * f64::from(j)];
            for _ in 0..50 {
                let (a, b, d) = hess(&x);
                let g = grad(&x);
                let det = a * d - b * b;
                if det.abs() < 1e-12 {
                    break;
                }
                x = &x
                    - &array![
                        (d * g[0] - b * g[1]) / det,
                        (a * g[1] - b * g[0]) / det
                    ];
            }
            let converged = grad(&x).iter().all(|v| v.abs() < 1e-12);
            let new = found
                .iter()
                .all(|(p, _, _)| (p - &x).iter().any(|d| d.abs() > 1e-6));
            if converged && new && x.iter().all(|v| v.abs() <= 2.5) {
                let (a, b, d) = hess(&x);
                let [lo, hi] = eigenvalues_2x2(a, b, d);
                let kind = if lo > 0.0 {
                    Kind::Minimum
                } else if hi < 0.0 {
                    Kind::Maximum
                } else {
                    Kind::Saddle
                };
                let value = multi_well().value(&x).unwrap_or(f64::NAN);
                found.push((x, value, kind));
            }
        }
    }
    found.sort_by(|p, q| p.1.total_cmp(&q.1));
    found
}
// ANCHOR_END: stationary

use gradbo::optim::Objective;

// ANCHOR: starts
/// Where 80 steps of gradient descent (η = 0.05) end from each start.
pub fn endpoints(starts: &[[f64; 2]]) -> gradbo::Result<Vec<(Array1<f64>, f64)>> {
    let f = multi_well();
    starts
        .iter()
        .map(|s| {
            let x0 = array![s[0], s[1]];
            let t = run(&f, Method::GradientDescent { lr: 0.05 }, &x0, 80, None)?;
            let end = t.last().clone();
            let value = f.value(&end)?;
            Ok((end, value))
        })
        .collect()
}
// ANCHOR_END: starts

/// The six starts near the central maximum.
pub const CENTRAL_STARTS: [[f64; 2]; 6] =
    [[0.1, 0.1], [-0.1, 0.1], [0.1, -0.1], [-0.1, -0.1], [0.0, 0.3], [0.3, 0.0]];

pub fn main() -> gradbo::Result<()> {
    for (x, value, kind) in stationary_points() {
        println!("{kind:?} at ({:+.4}, {:+.4}): f = {value:.5}", x[0], x[1]);
    }
    for (start, (end, value)) in
        CENTRAL_STARTS.iter().zip(endpoints(&CENTRAL_STARTS)?)
    {
        println!("{start:?} → ({:+.4}, {:+.4}), f = {value:.5}", end[0], end[1]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_stationary_points_with_the_exact_minima() {
        let points = stationary_points();
        let count = |k: Kind| points.iter().filter(|p| p.2 == k).count();
        assert_eq!(
            (count(Kind::Minimum), count(Kind::Saddle), count(Kind::Maximum)),
            (4, 4, 1)
        );
        assert!(
            (points[0].1 + 3.30625).abs() < 1e-12
                && (points[1].1 + 3.30625).abs() < 1e-12
        );
        assert!(
            (points[2].1 + 1.80625).abs() < 1e-12
                && (points[3].1 + 1.80625).abs() < 1e-12
        );
        let global = &points[0].0;
        assert!((global[0].abs() - 2.875_f64.sqrt()).abs() < 1e-12);
        let saddle = points.iter().find(|p| p.2 == Kind::Saddle).unwrap();
        assert!((saddle.1 + 1.1937).abs() < 1e-4);
    }

    #[test]
    fn four_of_six_central_starts_reach_a_global_minimum() {
        let ends = endpoints(&CENTRAL_STARTS).unwrap();
        let global =
            ends.iter().filter(|(_, v)| (v + 3.30625).abs() < 1e-3).count();
        assert_eq!(global, 4);
        assert!(
            (ends[0].0[0] - 1.4577).abs() < 1e-4
                && (ends[1].0[1] - 1.6956).abs() < 1e-4
        );
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
