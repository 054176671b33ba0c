//! Heavy-ball momentum: a velocity that remembers past gradients, and the 2×2 map that
//! predicts its rate.

use gradbo::optim::dynamics::{
    gradient_descent_rate, heavy_ball_matrix, heavy_ball_rate, optimal_momentum,
};
use gradbo::optim::{run, Method, Quadratic, Trajectory};
use ndarray::{array, Array2};

// ANCHOR: compare
/// Runs `method` on ½ xᵀAx from (2, 2) for `steps` steps.
pub fn descend(
    a: &Array2<f64>,
    method: Method,
    steps: usize,
) -> gradbo::Result<Trajectory> {
    run(&Quadratic::new(a.clone())?, method, &array![2.0, 2.0], steps, None)
}

/// The rate of a method on ½ xᵀAx, from linear algebra: ρ(I − ηA) for gradient descent,
/// the spectral radius of the 2×2 map on (x, v) for the heavy ball.
pub fn predicted_rate(a: &Array2<f64>, method: Method) -> gradbo::Result<f64> {
    match method {
        Method::GradientDescent { lr } => gradient_descent_rate(a, lr),
        Method::HeavyBall { lr, beta } => heavy_ball_rate(a, lr, beta),
        Method::Nesterov { .. } => Err(gradbo::Error::InvalidInput {
            context: "predicted_rate",
            reason: "this chapter predicts gradient descent and the heavy ball"
                .into(),
        }),
    }
}
// ANCHOR_END: compare

// ANCHOR: optimum
/// The best heavy-ball β for a fixed step η on curvatures [λ_min, λ_max]: the β at which the
/// slow direction's eigenvalues just turn complex, β = (1 − √(ηλ_min))². Valid while the steep
/// direction's eigenvalues are then complex too, ηλ_max < (2 − √(ηλ_min))², which η ≤ 1/λ_max
/// guarantees.
pub fn best_beta_for_step(lr: f64, lambda_min: f64) -> f64 {
    (1.0 - (lr * lambda_min).sqrt()).powi(2)
}

/// The discriminant (1 − ηλ + β)² − 4β of the heavy ball's 2×2 map along curvature λ:
/// negative for complex eigenvalues (modulus √β), zero for a repeated real eigenvalue
/// (1 − ηλ + β)/2 — critical damping — and positive for two real ones.
pub fn discriminant(lambda: f64, lr: f64, beta: f64) -> f64 {
    (1.0 - lr * lambda + beta).powi(2) - 4.0 * beta
}

/// Polyak's optimum for the curvatures of A: (η, β, rate).
pub fn polyak(a: &Array2<f64>) -> gradbo::Result<(f64, f64, f64)> {
    optimal_momentum(a)
}
// ANCHOR_END: optimum

// ANCHOR: rotation
/// Momentum with complex eigenvalues spirals: each step multiplies the (x, v) state of a
/// direction by √β and rotates it by θ, with cos θ = (1 − ηλ + β)/(2√β). Returns (modulus,
/// angle in degrees, period in steps) for the direction of curvature λ.
pub fn rotation(lambda: f64, lr: f64, beta: f64) -> (f64, f64, f64) {
    let m = heavy_ball_matrix(lambda, lr, beta);
    let trace = m[[0, 0]] + m[[1, 1]];
    let det = m[[0, 0]] * m[[1, 1]] - m[[0, 1]] * m[[1, 0]];
    let theta = (trace / (2.0 * det.sqrt())).clamp(-1.0, 1.0).acos();
    (det.sqrt(), theta.to_degrees(), 360.0 / theta.to_degrees())
}

/// How far the velocity trails the position along a spiralling direction, in degrees. With
/// x_t = Re(c μᵗ) and x_t = x_{t−1} − η v_t, the velocity is v_t = Re(c μᵗ (1 − μ)/(ημ)): it
/// runs behind x by the angle θ − arg(1 − μ), where μ = √β e^{iθ}.
pub fn velocity_lag(lambda: f64, lr: f64, beta: f64) -> f64 {
    let (modulus, angle, _) = rotation(lambda, lr, beta);
    let theta = angle.to_radians();
    let arg = (-modulus * theta.sin()).atan2(1.0 - modulus * theta.cos());
    (theta - arg).to_degrees()
}
// ANCHOR_END: rotation

pub fn main() -> gradbo::Result<()> {
    let a = array![[10.0, 0.0], [0.0, 1.0]];
    for beta in [0.0, 0.3, 0.6, 0.8, 0.95] {
        let m = Method::HeavyBall { lr: 0.08, beta };
        let t = descend(&a, m, 100)?;
        let rate = predicted_rate(&a, m)?;
        println!(
            "β = {beta}: rate {rate:.3}, loss at step 99 {:.2e}",
            t.losses[99]
        );
    }
    println!("best β for η = 0.08: {:.3}", best_beta_for_step(0.08, 1.0));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a() -> Array2<f64> {
        array![[10.0, 0.0], [0.0, 1.0]]
    }

    #[test]
    fn the_beta_sweep_ranks_as_the_rates_predict() {
        let betas = [0.0, 0.3, 0.6, 0.8, 0.95];
        let rates: Vec<f64> = betas
            .iter()
            .map(|&beta| {
                predicted_rate(&a(), Method::HeavyBall { lr: 0.08, beta }).unwrap()
            })
            .collect();
        let expected = [0.92, 0.8786, 0.7746, 0.8944, 0.9747];
        for (r, e) in rates.iter().zip(expected) {
            assert!((r - e).abs() < 1e-4);
        }
        let losses: Vec<f64> = betas
            .iter()
            .map(|&beta| {
                descend(&a(), Method::HeavyBall { lr: 0.08, beta }, 100)
                    .unwrap()
                    .losses[99]
            })
            .collect();
        let best = (0..5).min_by(|&i, &j| losses[i].total_cmp(&losses[j])).unwrap();
        let worst =
            (0..5).max_by(|&i, &j| losses[i].total_cmp(&losses[j])).unwrap();
        assert_eq!((betas[best], betas[worst]), (0.6, 0.95));
        assert!((best_beta_for_step(0.08, 1.0) - 0.5143).abs() < 1e-4);
    }

    #[test]
    fn the_measured_rate_approaches_the_spectral_radius() {
        for (method, a) in [
            (Method::HeavyBall { lr: 0.02, beta: 0.8 }, a()),
            (
                Method::HeavyBall { lr: 0.008, beta: 0.9 },
                array![[100.0, 0.0], [0.0, 1.0]],
            ),
        ] {
            let t = descend(&a, method, 600).unwrap();
            let norm = |k: usize| {
                t.xs[k].dot(&t.xs[k]).sqrt() + t.vs[k].dot(&t.vs[k]).sqrt()
            };
            // Spirals wobble within a turn, so compare over many turns.
            let measured = (norm(600) / norm(300)).powf(1.0 / 300.0);
            let rate = predicted_rate(&a, method).unwrap();
            assert!((measured - rate).abs() < 2e-3, "{measured} vs {rate}");
        }
    }

    #[test]
    fn spirals_match_the_chapter() {
        let (m1, a1, p1) = rotation(10.0, 0.08, 0.9);
        let (m2, a2, p2) = rotation(1.0, 0.08, 0.9);
        assert!((m1 - 0.9487).abs() < 1e-4 && (m2 - 0.9487).abs() < 1e-4);
        assert!((a1 - 54.6).abs() < 0.1 && (a2 - 16.4).abs() < 0.1);
        assert!((p1 - 6.6).abs() < 0.05 && (p2 - 22.0).abs() < 0.1);
    }

    #[test]
    fn polyak_is_critically_damped_at_both_ends() {
        let (lr, beta, rate) = polyak(&a()).unwrap();
        // A repeated real eigenvalue at λ_min (+√β) and at λ_max (−√β) …
        for (lambda, root) in [(1.0, rate), (10.0, -rate)] {
            assert!(discriminant(lambda, lr, beta).abs() < 1e-12);
            assert!(((1.0 - lr * lambda + beta) / 2.0 - root).abs() < 1e-12);
        }
        // … so the error decays like t·ρᵗ, not ρᵗ: ‖x_t‖/ρᵗ grows in proportion to t.
        let t = descend(&a(), Method::HeavyBall { lr, beta }, 201).unwrap();
        let scaled = |k: usize| t.xs[k].dot(&t.xs[k]).sqrt() / rate.powi(k as i32);
        let growth = scaled(200) / scaled(100);
        assert!((growth - 2.0).abs() < 0.02, "{growth}");
    }

    #[test]
    fn the_best_beta_formula_needs_a_small_enough_step() {
        let grid_best = |lr: f64| {
            (0..2000)
                .map(|k| 0.9995 * f64::from(k) / 2000.0)
                .min_by(|&p, &q| {
                    let r =
                        |b| predicted_rate(&a(), Method::HeavyBall { lr, beta: b });
                    r(p).unwrap().total_cmp(&r(q).unwrap())
                })
                .unwrap()
        };
        // η = 0.08 ≤ 1/λ_max: the formula is the minimiser.
        assert!((grid_best(0.08) - best_beta_for_step(0.08, 1.0)).abs() < 1e-3);
        // η = 0.25: ηλ_max = 2.5 > (2 − √0.25)² = 2.25, and the formula's β = 0.25 leaves the
        // steep direction on the edge of stability.
        let formula = best_beta_for_step(0.25, 1.0);
        let at_formula =
            predicted_rate(&a(), Method::HeavyBall { lr: 0.25, beta: formula })
                .unwrap();
        assert!((at_formula - 1.0).abs() < 1e-9, "{at_formula}");
        assert!(grid_best(0.25) - formula > 0.05);
    }

    #[test]
    fn velocities_trail_positions_by_the_predicted_angle() {
        // Fit x_t/rᵗ and v_t/rᵗ to A cos θt + B sin θt (exact for a spiralling direction) and
        // compare their phases.
        let (lr, beta) = (0.08, 0.9);
        let t = descend(&a(), Method::HeavyBall { lr, beta }, 60).unwrap();
        for (k, lambda) in [(0, 10.0), (1, 1.0)] {
            let (r, angle, _) = rotation(lambda, lr, beta);
            let theta = angle.to_radians();
            let phase = |seq: Vec<f64>| {
                let (mut cc, mut cs, mut ss, mut yc, mut ys) =
                    (0.0, 0.0, 0.0, 0.0, 0.0);
                for (step, y) in seq.iter().enumerate() {
                    let (c, s) =
                        ((theta * step as f64).cos(), (theta * step as f64).sin());
                    let y = y / r.powi(step as i32);
                    (cc, cs, ss, yc, ys) = (
                        cc + c * c,
                        cs + c * s,
                        ss + s * s,
                        yc + y * c,
                        ys + y * s,
                    );
                }
                let det = cc * ss - cs * cs;
                let (amp_c, amp_s) =
                    ((yc * ss - ys * cs) / det, (ys * cc - yc * cs) / det);
                (-amp_s).atan2(amp_c).to_degrees() // y = R cos(θt + φ)
            };
            let xs = t.xs.iter().map(|x| x[k]).collect();
            let vs = t.vs.iter().skip(1).map(|v| v[k]).collect::<Vec<_>>();
            // vs[0] is v₁: shift its fitted phase back by one step.
            let lag = (phase(xs) - (phase(vs) - angle)).rem_euclid(360.0);
            let predicted = velocity_lag(lambda, lr, beta);
            assert!(
                (lag - predicted).abs() < 1e-6,
                "λ = {lambda}: {lag} vs {predicted}"
            );
        }
        assert!((velocity_lag(10.0, 0.08, 0.9) - 114.4).abs() < 0.05);
        assert!((velocity_lag(1.0, 0.08, 0.9) - 87.9).abs() < 0.05);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
