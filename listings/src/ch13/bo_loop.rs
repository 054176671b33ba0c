//! A complete Bayesian-optimisation loop over a grid of candidates.

use gradbo::acquisition::{expected_improvement, upper_confidence_bound};
use gradbo::gp::{Gp, Hyperparameters, Kernel, KernelKind};
use ndarray::{array, Array1, Axis};

/// Which acquisition function chooses the next point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// Maximise the expected improvement.
    ExpectedImprovement,
    /// Minimise μ − βσ.
    LowerConfidenceBound { beta: f64 },
}

/// The observations after each step: `history[0]` is the initial design.
pub type History = Vec<(Vec<f64>, Vec<f64>)>;

// ANCHOR: loop
/// Runs `steps` steps of Bayesian optimisation on `f` over the candidates `grid`, from the
/// observations (x, y). Each step conditions the GP of chapter 12 on all observations so
/// far, scores every candidate, rules out candidates already observed, evaluates f at the
/// best-scoring one and adds it.
pub fn bo_loop(
    f: impl Fn(f64) -> f64,
    grid: &[f64],
    x: Vec<f64>,
    y: Vec<f64>,
    steps: usize,
    rule: Rule,
) -> gradbo::Result<History> {
    let mut history = vec![(x, y)];
    for _ in 0..steps {
        let (x, y) = history[history.len() - 1].clone();
        let gp = surrogate(&x, &y)?;
        let best = y.iter().copied().fold(f64::INFINITY, f64::min);
        let score = acquisition(&gp, grid, best, rule)?;
        // The grid point with the highest score that has not been evaluated yet.
        let seen = |c: f64| x.iter().any(|xi| (xi - c).abs() < 1e-6);
        let next = grid
            .iter()
            .zip(&score)
            .filter(|&(&c, _)| !seen(c))
            .fold(
                (f64::NAN, f64::NEG_INFINITY),
                |b, (&c, &s)| if s > b.1 { (c, s) } else { b },
            )
            .0;
        let (mut x, mut y) = (x, y);
        x.push(next);
        y.push(f(next));
        history.push((x, y));
    }
    Ok(history)
}

/// The score to maximise at every candidate: EI, or −LCB. In the library's maximisation
/// form (of −f) these are EI(−μ, σ, −f*) and UCB(−μ, σ) = −μ + βσ (the library's β
/// parameter is the square of the multiplier).
pub fn acquisition(
    gp: &Gp,
    grid: &[f64],
    best: f64,
    rule: Rule,
) -> gradbo::Result<Vec<f64>> {
    let column = Array1::from(grid.to_vec()).insert_axis(Axis(1));
    let p = gp.predict(column.view())?;
    Ok(p.mean
        .iter()
        .zip(&p.variance)
        .map(|(&m, &v)| {
            let s = v.sqrt();
            match rule {
                Rule::ExpectedImprovement => {
                    expected_improvement(-m, s, -best).value
                }
                Rule::LowerConfidenceBound { beta } => {
                    upper_confidence_bound(-m, s, beta * beta).value
                }
            }
        })
        .collect())
}
// ANCHOR_END: loop

/// The GP of chapter 12 (ℓ = 0.8, σ_f² = 1, σₙ² = 10⁻⁴, zero mean) on (x, y).
pub fn surrogate(x: &[f64], y: &[f64]) -> gradbo::Result<Gp> {
    let kernel = Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0)?;
    let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
    let column = Array1::from(x.to_vec()).insert_axis(Axis(1));
    Gp::new(column, Array1::from(y.to_vec()), hyper)
}

/// The best value observed after each state of a history.
pub fn best_so_far(history: &History) -> Vec<f64> {
    history
        .iter()
        .map(|(_, y)| y.iter().copied().fold(f64::INFINITY, f64::min))
        .collect()
}

/// The running example f(x) = 0.35 sin(2.2x) + 0.15 cos(5x) + 0.03(x − 1.5)² − 0.25.
pub use gradbo::test_functions::running_example as f;

// ANCHOR: harder
/// A harder objective on [−3.5, 3.5]: a broad basin near −1.19 (the global minimum), a
/// narrow dip near 2.12 that is only a local one, and ripples. (The library keeps it as
/// `gradbo::test_functions::harder_example`, with its minima.)
pub fn g(x: f64) -> f64 {
    0.035 * (x + 2.6).powi(2)
        - 0.60 * (-0.5 * ((x + 1.15) / 0.70).powi(2)).exp()
        - 1.10 * (-0.5 * ((x - 2.15) / 0.22).powi(2)).exp()
        + 0.11 * (3.4 * x).sin()
        + 0.07 * (7.6 * x).cos()
        + 0.12
}
// ANCHOR_END: harder

/// The local minima of `h` on [a, b]: bracketed on a fine grid, refined by golden section.
pub fn local_minima(h: impl Fn(f64) -> f64, a: f64, b: f64) -> Vec<(f64, f64)> {
    let n = 20_000;
    let xs: Vec<f64> = (0..=n).map(|k| a + (b - a) * k as f64 / n as f64).collect();
    let mut minima = Vec::new();
    for w in xs.windows(3) {
        if h(w[1]) < h(w[0]) && h(w[1]) <= h(w[2]) {
            let x = gradbo::numeric::golden_section(&h, w[0], w[2], 100);
            minima.push((x, h(x)));
        }
    }
    minima
}

/// Runs the five-step EI loop of the chapter and prints its picks.
pub fn main() -> gradbo::Result<()> {
    let grid = Array1::linspace(-3.0, 3.0, 400).to_vec();
    let x = Array1::linspace(-1.5, 1.5, 8).to_vec();
    let y = x.iter().map(|&x| f(x)).collect();
    let history = bo_loop(f, &grid, x, y, 5, Rule::ExpectedImprovement)?;
    for (step, (x, y)) in history.iter().enumerate().skip(1) {
        println!(
            "step {step}: x = {:+.4}, f = {:+.4}",
            x[x.len() - 1],
            y[y.len() - 1]
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picks(history: &History) -> Vec<f64> {
        let last = &history[history.len() - 1].0;
        last[history[0].0.len()..].to_vec()
    }

    #[test]
    fn the_course_loop() {
        let grid = Array1::linspace(-3.0, 3.0, 400).to_vec();
        let x = Array1::linspace(-1.5, 1.5, 8).to_vec();
        let y = x.iter().map(|&x| f(x)).collect();
        let h = bo_loop(f, &grid, x, y, 5, Rule::ExpectedImprovement).unwrap();
        for (p, e) in
            picks(&h).iter().zip([2.3985, -2.5940, 2.0226, 1.9925, 2.0075])
        {
            assert!((p - e).abs() < 5e-5, "{p} vs {e}");
        }
        let best = best_so_far(&h);
        for (b, e) in best
            .iter()
            .zip([-0.60757, -0.60757, -0.60757, -0.69567, -0.70280, -0.70280])
        {
            assert!((b - e).abs() < 5e-6, "{b} vs {e}");
        }
    }

    #[test]
    fn the_library_keeps_the_same_harder_objective_to_the_last_bit() {
        for k in 0..=1400 {
            let x = -3.5 + k as f64 / 200.0;
            let kept = gradbo::test_functions::harder_example(x);
            assert_eq!(g(x).to_bits(), kept.to_bits(), "{x}");
        }
    }

    #[test]
    fn the_harder_objective_and_its_loop() {
        let minima = local_minima(g, -3.5, 3.5);
        let global = minima.iter().copied().fold((0.0, f64::INFINITY), |b, m| {
            if m.1 < b.1 {
                m
            } else {
                b
            }
        });
        assert!(
            (global.0 + 1.1940).abs() < 5e-5 && (global.1 + 0.38799).abs() < 5e-6
        );
        assert_eq!(minima.len(), 6, "{minima:?}");
        let dip = minima.iter().find(|m| (m.0 - 2.1164).abs() < 1e-3).unwrap();
        assert!((dip.1 + 0.1668).abs() < 5e-5, "the narrow dip is only local");
        let grid = Array1::linspace(-3.5, 3.5, 500).to_vec();
        let x = Array1::linspace(-3.5, 3.5, 6).to_vec();
        let y = x.iter().map(|&x| g(x)).collect();
        let h = bo_loop(g, &grid, x, y, 8, Rule::ExpectedImprovement).unwrap();
        let expected =
            [-1.3677, 1.6483, 2.4760, 0.0210, -2.6723, -1.0311, -1.0030, -1.7325];
        for (p, e) in picks(&h).iter().zip(expected) {
            assert!((p - e).abs() < 5e-5, "{p} vs {e}");
        }
        assert!((best_so_far(&h)[8] + 0.34483).abs() < 5e-6);
    }

    #[test]
    fn no_candidate_is_evaluated_twice() {
        let grid = Array1::linspace(-3.0, 3.0, 40).to_vec();
        let x = vec![0.0];
        let y = vec![f(0.0)];
        let h =
            bo_loop(f, &grid, x, y, 20, Rule::LowerConfidenceBound { beta: 0.0 })
                .unwrap();
        let xs = &h[20].0;
        for (i, a) in xs.iter().enumerate() {
            assert!(xs[..i].iter().all(|b| (a - b).abs() > 1e-9), "{xs:?}");
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
