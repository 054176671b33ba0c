//! Gradient descent on f(x) = ½ a x²: the map x ← (1 − ηa) x, run and predicted.

use gradbo::optim::dynamics::{classify_factor, classify_sequence, Behaviour};
use gradbo::optim::{run, Method, Quadratic};
use ndarray::array;

// ANCHOR: run
/// The iterates x₀, …, x_steps of gradient descent on ½ a x² from x₀, measured by running
/// the method and predicted by the closed form x_t = x₀ (1 − ηa)ᵗ.
pub fn iterates(
    a: f64,
    x0: f64,
    lr: f64,
    steps: usize,
) -> gradbo::Result<(Vec<f64>, Vec<f64>)> {
    let f = Quadratic::diagonal(&[a])?;
    let t = run(&f, Method::GradientDescent { lr }, &array![x0], steps, None)?;
    let measured = t.xs.iter().map(|x| x[0]).collect();
    let factor = 1.0 - lr * a;
    let predicted = (0..=steps).map(|k| x0 * factor.powi(k as i32)).collect();
    Ok((measured, predicted))
}
// ANCHOR_END: run

// ANCHOR: classify
/// The factor 1 − ηa, the behaviour it predicts, and the behaviour of a 30-step run.
pub fn behaviour(a: f64, lr: f64) -> gradbo::Result<(f64, Behaviour, Behaviour)> {
    let factor = 1.0 - lr * a;
    let (measured, _) = iterates(a, 3.0, lr, 30)?;
    Ok((factor, classify_factor(factor), classify_sequence(&measured)))
}
// ANCHOR_END: classify

pub fn main() -> gradbo::Result<()> {
    for lr in [0.1, 0.45, 0.55, 1.1] {
        let (factor, predicted, measured) = behaviour(2.0, lr)?;
        println!("η = {lr}: factor {factor:+.1}, predicted {predicted:?}, ran {measured:?}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_follows_the_closed_form() {
        for lr in [0.1, 0.45, 0.55, 1.1] {
            let (measured, predicted) = iterates(2.0, 3.0, lr, 30).unwrap();
            for (m, p) in measured.iter().zip(&predicted) {
                assert!((m - p).abs() <= 1e-12 * p.abs().max(1.0), "η = {lr}");
            }
        }
    }

    #[test]
    fn factors_and_behaviours_match_the_chapter() {
        let cases = [
            (0.1, 0.8, Behaviour::Converging),
            (0.45, 0.1, Behaviour::Converging),
            (0.55, -0.1, Behaviour::Oscillating),
            (1.1, -1.2, Behaviour::Diverging),
        ];
        for (lr, factor, expected) in cases {
            let (f, predicted, measured) = behaviour(2.0, lr).unwrap();
            assert!((f - factor).abs() < 1e-12);
            assert_eq!((predicted, measured), (expected, expected), "η = {lr}");
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
