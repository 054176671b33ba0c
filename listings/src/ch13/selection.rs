//! Where to evaluate next on a grid: the mean alone, and the three acquisition functions.

use gradbo::acquisition::{expected_improvement, probability_of_improvement};
use gradbo::gp::{Gp, Hyperparameters, Kernel, KernelKind};
use ndarray::{array, Array1, Axis};

/// The running example f(x) = 0.35 sin(2.2x) + 0.15 cos(5x) + 0.03(x − 1.5)² − 0.25.
pub use gradbo::test_functions::running_example as f;

/// The GP of chapter 12: zero mean, squared exponential with ℓ = 0.8 and σ_f² = 1, and
/// σₙ² = 10⁻⁴, conditioned on (x, y).
pub fn course_gp(x: &[f64], y: &[f64]) -> gradbo::Result<Gp> {
    let kernel = Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0)?;
    let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
    let column = Array1::from(x.to_vec()).insert_axis(Axis(1));
    Gp::new(column, Array1::from(y.to_vec()), hyper)
}

// ANCHOR: scores
/// The posterior and the three acquisition functions on a grid of candidates.
pub struct Scores {
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
    /// μ − βσ with β = 1.
    pub lcb: Vec<f64>,
    pub pi: Vec<f64>,
    pub ei: Vec<f64>,
}

/// Scores every candidate in `grid` under the posterior of `gp`, with f* = `best` and ξ = 0.
/// The library's functions are written for maximisation: minimising f is maximising −f,
/// so they receive −μ and −f*.
pub fn scores(gp: &Gp, grid: &[f64], best: f64) -> gradbo::Result<Scores> {
    let column = Array1::from(grid.to_vec()).insert_axis(Axis(1));
    let p = gp.predict(column.view())?;
    let mean = p.mean.to_vec();
    let sd: Vec<f64> = p.variance.iter().map(|v| v.sqrt()).collect();
    let both = mean.iter().zip(&sd);
    let lcb = both.clone().map(|(m, s)| m - s).collect();
    let pi = both
        .clone()
        .map(|(m, s)| probability_of_improvement(-m, *s, -best).value)
        .collect();
    let ei = both.map(|(m, s)| expected_improvement(-m, *s, -best).value).collect();
    Ok(Scores { mean, sd, lcb, pi, ei })
}

/// The index of the largest value (the first, on ties).
pub fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}
// ANCHOR_END: scores

/// The index of the smallest value (the first, on ties).
pub fn argmin(values: &[f64]) -> usize {
    let negated: Vec<f64> = values.iter().map(|v| -v).collect();
    argmax(&negated)
}

/// The 400-point grid on [−3, 3] and the eight observations of chapter 12.
pub fn setting() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let grid = Array1::linspace(-3.0, 3.0, 400).to_vec();
    let x = Array1::linspace(-1.5, 1.5, 8).to_vec();
    let y = x.iter().map(|&x| f(x)).collect();
    (grid, x, y)
}

/// Prints where each rule would evaluate next.
pub fn main() -> gradbo::Result<()> {
    let (grid, x, y) = setting();
    let best = y.iter().copied().fold(f64::INFINITY, f64::min);
    let s = scores(&course_gp(&x, &y)?, &grid, best)?;
    let picks = [
        ("mean", argmin(&s.mean)),
        ("LCB", argmin(&s.lcb)),
        ("PI", argmax(&s.pi)),
        ("EI", argmax(&s.ei)),
    ];
    for (name, i) in picks {
        println!("{name:>4}: x = {:+.4}, f(x) = {:+.4}", grid[i], f(grid[i]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_choices() {
        let (grid, x, y) = setting();
        let best = y.iter().copied().fold(f64::INFINITY, f64::min);
        assert!((best + 0.60757).abs() < 5e-6);
        let s = scores(&course_gp(&x, &y).unwrap(), &grid, best).unwrap();
        let m = argmin(&s.mean);
        assert!(
            (grid[m] - 2.3985).abs() < 5e-5 && (s.mean[m] + 2.034).abs() < 5e-4
        );
        let p = argmax(&s.pi);
        assert!((grid[p] - 1.9023).abs() < 5e-5 && s.pi[p] > 0.999985);
        let e = argmax(&s.ei);
        assert!((grid[e] - 2.3985).abs() < 5e-5 && (s.ei[e] - 1.428).abs() < 5e-4);
        assert!(
            (f(1.9023) + 0.6970).abs() < 5e-5 && (f(2.3985) + 0.3955).abs() < 5e-5
        );
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
