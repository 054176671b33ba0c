//! Momentum widens the range of stable step sizes.

use gradbo::optim::{run, Method, Quadratic};
use ndarray::array;

// ANCHOR: map
/// For each learning rate, whether 100 steps on ½ xᵀ diag(10, 1) x from (2, 2) stay bounded
/// (no non-finite loss, no coordinate beyond 10⁶), for gradient descent (`beta` = None) or
/// the heavy ball.
pub fn stable(lrs: &[f64], beta: Option<f64>) -> gradbo::Result<Vec<bool>> {
    let f = Quadratic::diagonal(&[10.0, 1.0])?;
    lrs.iter()
        .map(|&lr| {
            let method = match beta {
                None => Method::GradientDescent { lr },
                Some(beta) => Method::HeavyBall { lr, beta },
            };
            Ok(!run(&f, method, &array![2.0, 2.0], 100, None)?.diverged(1e6))
        })
        .collect()
}

/// The theoretical bounds: η < 2/λ_max for gradient descent, η < 2(1 + β)/λ_max for the
/// heavy ball (where the real eigenvalue of its 2×2 map reaches −1).
pub fn bounds(beta: f64) -> (f64, f64) {
    (2.0 / 10.0, 2.0 * (1.0 + beta) / 10.0)
}
// ANCHOR_END: map

/// The 160 learning rates of the map: linspace(0.001, 0.30, 160).
pub fn grid() -> Vec<f64> {
    (0..160).map(|i| 0.001 + (0.30 - 0.001) * f64::from(i) / 159.0).collect()
}

pub fn main() -> gradbo::Result<()> {
    let lrs = grid();
    let (gd, hb) = (stable(&lrs, None)?, stable(&lrs, Some(0.8))?);
    let edge = lrs
        .iter()
        .zip(&gd)
        .filter(|(_, s)| **s)
        .map(|(l, _)| *l)
        .fold(0.0, f64::max);
    println!(
        "gradient descent: last stable η {edge:.5} (theory {})",
        bounds(0.8).0
    );
    println!(
        "momentum β = 0.8: stable everywhere: {} (theory η < {})",
        hb.iter().all(|s| *s),
        bounds(0.8).1
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn momentum_is_stable_where_gradient_descent_is_not() {
        let lrs = grid();
        let gd = stable(&lrs, None).unwrap();
        let first = gd.iter().position(|s| !s).unwrap();
        assert!(
            (lrs[first - 1] - 0.21350).abs() < 1e-4
                && (lrs[first] - 0.21538).abs() < 1e-4
        );
        assert!(stable(&lrs, Some(0.8)).unwrap().iter().all(|s| *s));
        let beyond = stable(&[0.37, 0.40], Some(0.8)).unwrap();
        assert_eq!(beyond, vec![false, false]);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
