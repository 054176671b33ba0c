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

// ANCHOR: ratios
/// The measured shrink factor of each step, ‖x_{t+1}‖ / ‖x_t‖, for t = 0, …, steps − 1.
/// It approaches ρ only once the faster-decaying direction has died out.
pub fn norm_ratios(lr: f64, steps: usize) -> gradbo::Result<Vec<f64>> {
    let t = descend(lr, steps)?;
    let norm = |x: &ndarray::Array1<f64>| x.dot(x).sqrt();
    Ok(t.xs.windows(2).map(|w| norm(&w[1]) / norm(&w[0])).collect())
}
// ANCHOR_END: ratios

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
    fn the_norm_shrinks_by_rho_only_asymptotically() {
        for lr in [0.05, 0.15, 0.19] {
            let (_, rho) = factors(lr).unwrap();
            let ratios = norm_ratios(lr, 120).unwrap();
            // The first step mixes both directions and shrinks the norm by more than ρ …
            assert!(ratios[0] < rho - 0.04, "η = {lr}: {} vs {rho}", ratios[0]);
            // … and after 100 steps the faster direction is gone.
            assert!((ratios[100] - rho).abs() < 1e-10, "η = {lr}: {}", ratios[100]);
        }
    }

    #[test]
    fn lambda_max_is_the_smoothness_constant() {
        // ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖ with L = λ_max = 10, reached along e₁; and the descent
        // lemma f(x − η∇f(x)) ≤ f(x) − η(1 − ηL/2)‖∇f(x)‖² for every η below 2/L.
        use gradbo::optim::Objective;
        let f = Quadratic::new(a()).unwrap();
        let points: Vec<ndarray::Array1<f64>> = (0..40)
            .map(|k| {
                let t = f64::from(k);
                array![(1.3 * t).sin() * 3.0, (0.7 * t).cos() * 2.0 - 0.5]
            })
            .collect();
        let mut worst = 0.0_f64;
        for x in &points {
            for y in &points {
                let d = x - y;
                if d.dot(&d) == 0.0 {
                    continue;
                }
                let (_, gx) = f.value_and_gradient(x).unwrap();
                let (_, gy) = f.value_and_gradient(y).unwrap();
                let g = &gx - &gy;
                worst = worst.max((g.dot(&g) / d.dot(&d)).sqrt());
            }
        }
        assert!(worst <= 10.0 + 1e-12, "{worst}");
        let e1 = array![1.0, 0.0];
        let (_, g1) = f.value_and_gradient(&e1).unwrap();
        assert_eq!(g1, array![10.0, 0.0]); // ‖∇f(e₁) − ∇f(0)‖ = 10‖e₁ − 0‖
        for lr in [0.05, 0.1, 0.15, 0.19] {
            for x in &points {
                let (fx, g) = f.value_and_gradient(x).unwrap();
                let next = f.value(&(x - &(&g * lr))).unwrap();
                let bound = fx - lr * (1.0 - lr * 10.0 / 2.0) * g.dot(&g);
                assert!(next <= bound + 1e-12, "η = {lr}");
            }
        }
        // Past 2/L the loss can rise: along e₁ the step overshoots.
        let next = f.value(&(&e1 - &(&g1 * 0.25))).unwrap();
        assert!(next > f.value(&e1).unwrap());
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
