//! Nesterov's method as a 2×2 map on (x, v), and the step sizes it tolerates.

use gradbo::optim::dynamics::spectral_radius_2x2;
use ndarray::{array, Array2};

// ANCHOR: matrix
/// One step of Nesterov's method along a direction of curvature λ. The gradient is taken at
/// the look-ahead point x − ηβv, so v ← βv + λ(x − ηβv) = λx + β(1 − ηλ)v, then x ← x − ηv:
/// on (x, v) the matrix [[1 − ηλ, −ηβ(1 − ηλ)], [λ, β(1 − ηλ)]].
pub fn nesterov_matrix(lambda: f64, lr: f64, beta: f64) -> Array2<f64> {
    let c = 1.0 - lr * lambda;
    array![[c, -lr * beta * c], [lambda, beta * c]]
}

/// The rate of Nesterov's method on curvatures `lambdas`: the largest spectral radius.
pub fn nesterov_rate(lambdas: &[f64], lr: f64, beta: f64) -> f64 {
    lambdas
        .iter()
        .map(|&l| spectral_radius_2x2(&nesterov_matrix(l, lr, beta)))
        .fold(0.0, f64::max)
}

/// The largest stable step: Nesterov's method is stable exactly for
/// 0 < ηλ_max < 2(1 + β)/(1 + 2β), a bound that falls from 2 at β = 0 towards 4/3.
pub fn nesterov_bound(beta: f64, lambda_max: f64) -> f64 {
    2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * lambda_max)
}
// ANCHOR_END: matrix

pub fn main() {
    let (lr, beta) = (4.0 / 121.0, (9.0_f64 / 11.0).powi(2));
    println!(
        "diag(100, 1) at Polyak's heavy-ball (η, β): Nesterov's rate {:.3}, bound η < {:.4}",
        nesterov_rate(&[100.0, 1.0], lr, beta),
        nesterov_bound(beta, 100.0)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::optim::{run, Method, Quadratic};

    #[test]
    fn the_matrix_is_one_step_of_the_library_method() {
        let (lr, beta) = (0.012, 0.7);
        let f = Quadratic::diagonal(&[100.0, 1.0]).unwrap();
        let t = run(&f, Method::Nesterov { lr, beta }, &array![2.0, -1.5], 8, None)
            .unwrap();
        for (k, lambda) in [(0, 100.0), (1, 1.0)] {
            let m = nesterov_matrix(lambda, lr, beta);
            let mut state = array![t.xs[0][k], 0.0];
            for step in 1..=8 {
                state = m.dot(&state);
                assert!((state[0] - t.xs[step][k]).abs() < 1e-12);
                assert!((state[1] - t.vs[step][k]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn the_bound_is_where_the_rate_reaches_one() {
        for beta in [0.0, 0.5, 0.9] {
            let bound = nesterov_bound(beta, 10.0);
            assert!(nesterov_rate(&[10.0], 0.99 * bound, beta) < 1.0);
            assert!(nesterov_rate(&[10.0], 1.01 * bound, beta) > 1.0);
        }
        assert!((nesterov_bound(0.0, 1.0) - 2.0).abs() < 1e-15);
    }

    #[test]
    fn the_heavy_balls_parameters_do_not_suit_nesterov() {
        // Polyak's heavy-ball optimum on diag(100, 1) puts ηλ_max = 3.31 beyond Nesterov's bound.
        let (lr, beta) = (4.0 / 121.0, (9.0_f64 / 11.0).powi(2));
        assert!(lr * 100.0 > nesterov_bound(beta, 100.0) * 100.0);
        assert!(nesterov_rate(&[100.0, 1.0], lr, beta) > 1.0);
        // Its own choice η = 1/λ_max, β = (√κ − 1)/(√κ + 1): the steep direction is removed
        // and the flat one is critically damped at 1 − 1/√κ = 0.9.
        let own = nesterov_rate(&[100.0, 1.0], 0.01, 9.0 / 11.0);
        assert!((own - 0.9).abs() < 1e-6, "{own}");
    }

    #[test]
    fn main_runs() {
        main();
    }
}
