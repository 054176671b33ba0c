//! Gradient descent on f(x) = ½ xᵀAx with A = diag(10, 1): one factor per eigenvector.

use gradbo::optim::dynamics::{
    gradient_descent_rate, optimal_step, stable_step_bound,
};
use gradbo::optim::{run, Method, Quadratic, Trajectory};
use ndarray::{array, Array2};

/// The chapter's matrix.
pub fn a() -> Array2<f64> {
    array![[10.0, 0.0], [0.0, 1.0]]
}

// ANCHOR: factors
/// The factors 1 − ηλ along the two eigenvectors, and the rate ρ = max |1 − ηλ|.
pub fn factors(lr: f64) -> gradbo::Result<([f64; 2], f64)> {
    Ok(([1.0 - 10.0 * lr, 1.0 - lr], gradient_descent_rate(&a(), lr)?))
}

/// The stability bound 2/λ_max and the best fixed step 2/(λ_min + λ_max) with its rate.
pub fn landmarks() -> gradbo::Result<(f64, f64, f64)> {
    let (lr, rate) = optimal_step(&a())?;
    Ok((stable_step_bound(&a())?, lr, rate))
}
// ANCHOR_END: factors

// ANCHOR: run
/// `steps` steps of gradient descent from (2, 2).
pub fn descend(lr: f64, steps: usize) -> gradbo::Result<Trajectory> {
    run(
        &Quadratic::new(a())?,
        Method::GradientDescent { lr },
        &array![2.0, 2.0],
        steps,
        None,
    )
}
// ANCHOR_END: run

pub fn main() -> gradbo::Result<()> {
    for lr in [0.05, 0.15, 0.19, 0.25] {
        let (f, rate) = factors(lr)?;
        println!("η = {lr}: factors ({:+.2}, {:+.2}), rate {rate:.2}", f[0], f[1]);
    }
    let (bound, best, rate) = landmarks()?;
    println!("stable for η < {bound}; best η = {best:.4} with rate {rate:.4}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_coordinate_shrinks_by_its_own_factor() {
        for lr in [0.05, 0.15, 0.19, 0.25] {
            let t = descend(lr, 40).unwrap();
            let ([f1, f2], _) = factors(lr).unwrap();
            for (k, x) in t.xs.iter().enumerate() {
                let k = k as i32;
                assert!(
                    (x[0] - 2.0 * f1.powi(k)).abs() <= 1e-12 * x[0].abs().max(1.0)
                );
                assert!((x[1] - 2.0 * f2.powi(k)).abs() <= 1e-12);
            }
        }
    }

    #[test]
    fn landmarks_match_the_chapter() {
        let (bound, best, rate) = landmarks().unwrap();
        assert!((bound - 0.2).abs() < 1e-15);
        assert!(
            (best - 2.0 / 11.0).abs() < 1e-15 && (rate - 9.0 / 11.0).abs() < 1e-15
        );
        assert!(descend(0.25, 60).unwrap().diverged(1e6));
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
