//! A change of coordinates x = S z changes the curvature the method sees, SᵀAS.

use gradbo::optim::dynamics::{condition_number, optimal_step};
use gradbo::optim::{run, Method, Quadratic};
use ndarray::{array, Array1, Array2};

// ANCHOR: rescale
/// The matrix of f(Sz) = ½ zᵀ(SᵀAS)z for the diagonal scaling S = diag(s, 1), and its κ.
pub fn rescaled(a: &Array2<f64>, s: f64) -> gradbo::Result<(Array2<f64>, f64)> {
    let scale = Array2::from_diag(&array![s, 1.0]);
    let a_new = scale.t().dot(a).dot(&scale);
    let kappa = condition_number(&a_new)?;
    Ok((a_new, kappa))
}

/// Gradient descent on the rescaled problem from the point that corresponds to x₀,
/// z₀ = S⁻¹x₀, mapped back to the original coordinates x = Sz after every step. The run uses
/// the rescaled problem's best fixed step; returns the path and the recorded losses.
pub fn descend_rescaled(
    a: &Array2<f64>,
    s: f64,
    x0: &Array1<f64>,
    steps: usize,
) -> gradbo::Result<(Vec<Array1<f64>>, Vec<f64>)> {
    let (a_new, _) = rescaled(a, s)?;
    let (lr, _) = optimal_step(&a_new)?;
    let z0 = array![x0[0] / s, x0[1]];
    let t = run(
        &Quadratic::new(a_new)?,
        Method::GradientDescent { lr },
        &z0,
        steps,
        None,
    )?;
    let xs = t.xs.iter().map(|z| array![s * z[0], z[1]]).collect();
    Ok((xs, t.losses))
}
// ANCHOR_END: rescale

// ANCHOR: newton
/// Preconditioned gradient descent x ← x − η P ∇f(x) on ½ xᵀAx with the ideal preconditioner
/// P = A⁻¹ (applied by solving with A's Cholesky factor, never forming the inverse). The step
/// is η A⁻¹Ax = ηx, so x ← (1 − η)x: with η = 1, Newton's method, one step lands on the
/// minimum whatever A's condition number; any other η only scales the distance by |1 − η|.
pub fn inverse_preconditioned(
    a: &Array2<f64>,
    x0: &Array1<f64>,
    lr: f64,
    steps: usize,
) -> gradbo::Result<Vec<Array1<f64>>> {
    let factor = gradbo::linalg::Cholesky::new(a.view())?;
    let mut xs = vec![x0.clone()];
    for _ in 0..steps {
        let x = &xs[xs.len() - 1];
        let direction = factor.solve_vec(a.dot(x).view())?; // A⁻¹ ∇f(x)
        let next = x - &(direction * lr);
        xs.push(next);
    }
    Ok(xs)
}
// ANCHOR_END: newton

pub fn main() -> gradbo::Result<()> {
    let a = array![[10.0, 0.0], [0.0, 1.0]];
    for s in [0.3, 2.0] {
        let (a_new, kappa) = rescaled(&a, s)?;
        println!(
            "s = {s}: SᵀAS = diag({}, {}), κ = {kappa}",
            a_new[[0, 0]],
            a_new[[1, 1]]
        );
    }
    let (xs, losses) = descend_rescaled(&a, 0.3, &array![2.0, 2.0], 10)?;
    println!("after 10 steps: x = {}, loss {:.2e}", xs[10], losses[9]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescaled_matrices_match_the_chapter() {
        let a = array![[10.0, 0.0], [0.0, 1.0]];
        let (good, k_good) = rescaled(&a, 0.3).unwrap();
        assert!((good[[0, 0]] - 0.9).abs() < 1e-15 && good[[1, 1]] == 1.0);
        assert!((k_good - 1.1111111111111112).abs() < 1e-12);
        let (bad, k_bad) = rescaled(&a, 2.0).unwrap();
        assert_eq!((bad[[0, 0]], k_bad), (40.0, 40.0));
    }

    #[test]
    fn the_same_function_is_reached_in_either_coordinates() {
        // f(Sz) = f(x): the recorded losses are the original objective along the mapped path.
        let a = array![[10.0, 0.0], [0.0, 1.0]];
        let f = Quadratic::new(a.clone()).unwrap();
        let (xs, losses) =
            descend_rescaled(&a, 0.3, &array![2.0, 2.0], 20).unwrap();
        use gradbo::optim::Objective;
        for (x, l) in xs.iter().zip(&losses) {
            assert!((f.value(x).unwrap() - l).abs() < 1e-12);
        }
    }

    #[test]
    fn the_inverse_preconditioner_is_newton_only_with_unit_step() {
        // A rotated, badly conditioned A (κ ≈ 119) and the chapter's diag(10, 1).
        for a in [array![[10.0, 3.0], [3.0, 1.0]], array![[10.0, 0.0], [0.0, 1.0]]]
        {
            let x0 = array![2.0, 2.0];
            let newton = inverse_preconditioned(&a, &x0, 1.0, 1).unwrap();
            assert!(newton[1].iter().all(|v| v.abs() < 1e-12), "{}", newton[1]);
            let damped = inverse_preconditioned(&a, &x0, 0.5, 3).unwrap();
            for (t, x) in damped.iter().enumerate() {
                let want = &x0 * 0.5_f64.powi(t as i32);
                assert!((x - &want).iter().all(|d| d.abs() < 1e-12), "t = {t}");
            }
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
