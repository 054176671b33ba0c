//! The condition number, and how it governs a fixed step size.

use gradbo::optim::dynamics::condition_number;
use gradbo::optim::{run, Method, Quadratic};
use ndarray::{array, Array2};

// ANCHOR: kappa
/// Eigenvalues are the curvatures along the principal axes; κ = λ_max/λ_min measures how
/// elongated the level sets are.
pub fn kappa_of(a: &Array2<f64>) -> gradbo::Result<f64> {
    condition_number(a)
}
// ANCHOR_END: kappa

// ANCHOR: sweep
/// For A = diag(κ, 1), the first step whose recorded loss is below 10⁻³ when running gradient
/// descent with η = 0.1 from (2, 2) for 100 steps, or `None` if no recorded loss gets there.
pub fn steps_to_tolerance(kappa: f64) -> gradbo::Result<Option<usize>> {
    let f = Quadratic::diagonal(&[kappa, 1.0])?;
    let t =
        run(&f, Method::GradientDescent { lr: 0.1 }, &array![2.0, 2.0], 100, None)?;
    Ok(t.losses.iter().position(|&l| l < 1e-3))
}

/// The same count from the closed form: after t steps the loss is
/// ½ (κ · 4 (1 − 0.1κ)²ᵗ + 4 · 0.9²ᵗ), since each coordinate shrinks by its own factor.
pub fn predicted_steps(kappa: f64) -> Option<usize> {
    let loss = |t: i32| {
        0.5 * (kappa * 4.0 * (1.0 - 0.1 * kappa).powi(2 * t)
            + 4.0 * 0.81_f64.powi(t))
    };
    (0..100).find(|&t| loss(t) < 1e-3).map(|t| t as usize)
}
// ANCHOR_END: sweep

pub fn main() -> gradbo::Result<()> {
    println!("κ(diag(10, 1)) = {}", kappa_of(&array![[10.0, 0.0], [0.0, 1.0]])?);
    for kappa in [1.0, 5.0, 10.0, 20.0, 50.0, 100.0] {
        let steps = steps_to_tolerance(kappa)?;
        println!(
            "κ = {kappa:>3}: {steps:?} (predicted {:?})",
            predicted_steps(kappa)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_match_the_chapter_and_the_closed_form() {
        let expected = [Some(40), Some(37), Some(37), None, None, None];
        for (kappa, want) in
            [1.0, 5.0, 10.0, 20.0, 50.0, 100.0].iter().zip(expected)
        {
            assert_eq!(steps_to_tolerance(*kappa).unwrap(), want, "κ = {kappa}");
            assert_eq!(predicted_steps(*kappa), want, "κ = {kappa}");
        }
        assert_eq!(kappa_of(&array![[10.0, 0.0], [0.0, 1.0]]).unwrap(), 10.0);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
