//! Noisy gradients: a help for leaving a bad basin, a hindrance inside a good one.

use gradbo::optim::functions::multi_well;
use gradbo::optim::{run, Method, Noise, Objective, Quadratic, Trajectory};
use ndarray::{array, Array1};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

/// The exact values of the multi-well's minima.
pub const GLOBAL: f64 = -3.30625;
pub const LOCAL: f64 = -1.80625;

// ANCHOR: noisy
/// `runs` runs of gradient descent (η = 0.05) on `f` from `x0` with gradient noise σ, run k
/// seeded with `seed + k`, so that every run — and the whole experiment — is reproducible.
pub fn noisy_runs(
    f: &dyn Objective,
    x0: &Array1<f64>,
    sigma: f64,
    steps: usize,
    runs: u64,
    seed: u64,
) -> gradbo::Result<Vec<Trajectory>> {
    (0..runs)
        .map(|k| {
            let noise = Noise { sigma, seed: seed + k };
            run(f, Method::GradientDescent { lr: 0.05 }, x0, steps, Some(noise))
        })
        .collect()
}
// ANCHOR_END: noisy

// ANCHOR: outcomes
/// Where a run ended: within 0.1 of the global minimum's value, of the local one's, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Better,
    Worse,
    Other,
}

pub fn outcome(final_value: f64) -> Outcome {
    if (final_value - GLOBAL).abs() < 0.1 {
        Outcome::Better
    } else if (final_value - LOCAL).abs() < 0.1 {
        Outcome::Worse
    } else {
        Outcome::Other
    }
}

/// The final value of f at the end of each run.
pub fn final_values(
    f: &dyn Objective,
    runs: &[Trajectory],
) -> gradbo::Result<Vec<f64>> {
    runs.iter().map(|t| f.value(t.last())).collect()
}
// ANCHOR_END: outcomes

// ANCHOR: restarts
/// 1000 noise-free runs of 100 steps from x₀ = 2·N(0, I) (seeded), and how many end at each
/// value of f rounded to three decimals.
pub fn restart_counts(seed: u64) -> gradbo::Result<Vec<(f64, usize)>> {
    let f = multi_well();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts: Vec<(f64, usize)> = Vec::new();
    for _ in 0..1000 {
        let x0 = array![
            2.0 * rng.sample::<f64, _>(StandardNormal),
            2.0 * rng.sample::<f64, _>(StandardNormal)
        ];
        let t = run(&f, Method::GradientDescent { lr: 0.05 }, &x0, 100, None)?;
        let level = (f.value(t.last())? * 1000.0).round() / 1000.0;
        match counts.iter_mut().find(|(l, _)| *l == level) {
            Some((_, n)) => *n += 1,
            None => counts.push((level, 1)),
        }
    }
    counts.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(counts)
}
// ANCHOR_END: restarts

// ANCHOR: floor
/// The noise floor of gradient descent on ½ Σ λᵢ xᵢ² with gradient noise σ: along each
/// curvature λ the step x ← (1 − ηλ)x − ησξ settles where pull and kick balance, at the
/// variance s² = η²σ²/(1 − (1 − ηλ)²) = ησ²/(λ(2 − ηλ)). Returns the mean loss ½ Σ λᵢsᵢ², the
/// root-mean-square distance √(Σ sᵢ²) and the root-mean-square gradient norm √(Σ λᵢ²sᵢ²).
pub fn predicted_floor(curvatures: &[f64], lr: f64, sigma: f64) -> [f64; 3] {
    let s2: Vec<f64> = curvatures
        .iter()
        .map(|&l| lr * sigma * sigma / (l * (2.0 - lr * l)))
        .collect();
    let zip = || curvatures.iter().zip(&s2);
    [
        0.5 * zip().map(|(l, s)| l * s).sum::<f64>(),
        s2.iter().sum::<f64>().sqrt(),
        zip().map(|(l, s)| l * l * s).sum::<f64>().sqrt(),
    ]
}

/// The same three numbers measured on diag(10, 1): `runs` noisy runs from (2, 2), averaged
/// over the steps after `burn_in` (by then the start is forgotten).
pub fn measured_floor(
    lr: f64,
    sigma: f64,
    runs: u64,
    burn_in: usize,
    steps: usize,
) -> gradbo::Result<[f64; 3]> {
    let f = Quadratic::diagonal(&[10.0, 1.0])?;
    let (mut loss, mut dist, mut grad, mut n) = (0.0, 0.0, 0.0, 0.0);
    for k in 0..runs {
        let noise = Noise { sigma, seed: 100 + k };
        let t = run(
            &f,
            Method::GradientDescent { lr },
            &array![2.0, 2.0],
            steps,
            Some(noise),
        )?;
        for i in burn_in..steps {
            loss += t.losses[i];
            dist += t.xs[i].dot(&t.xs[i]);
            grad += t.grad_norms[i].powi(2);
            n += 1.0;
        }
    }
    Ok([loss / n, (dist / n).sqrt(), (grad / n).sqrt()])
}
// ANCHOR_END: floor

/// The mean and the sample standard deviation of some values.
pub fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var =
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

/// The chapter's convex test problem.
pub fn quadratic() -> Quadratic {
    Quadratic::diagonal(&[10.0, 1.0]).expect("a valid diagonal")
}

pub fn main() -> gradbo::Result<()> {
    for (level, n) in restart_counts(0)? {
        println!("{n:>4} restarts end at f = {level}");
    }
    let f = multi_well();
    for sigma in [0.0, 0.2, 0.4] {
        let runs = noisy_runs(&f, &array![0.05, 0.05], sigma, 100, 100, 0)?;
        let better = final_values(&f, &runs)?
            .iter()
            .filter(|&&v| outcome(v) == Outcome::Better)
            .count();
        println!("σ = {sigma}: {better} of 100 runs from (0.05, 0.05) reach the global minimum");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restarts_end_almost_always_in_the_two_minima() {
        let counts = restart_counts(0).unwrap();
        let at =
            |level: f64| counts.iter().find(|c| c.0 == level).map_or(0, |c| c.1);
        let (global, local) = (at(-3.306), at(-1.806));
        assert_eq!(counts.iter().map(|c| c.1).sum::<usize>(), 1000);
        // Roughly in proportion to the basins (590/410 in the PyTorch course's draw); a
        // start far out on a steep wall can still be on its way after 100 steps.
        assert!(
            global > 500 && global < 700 && global + local >= 995,
            "{counts:?}"
        );
    }

    #[test]
    fn without_noise_the_diagonal_start_takes_the_worse_minimum() {
        let f = multi_well();
        let runs = noisy_runs(&f, &array![0.05, 0.05], 0.0, 100, 1, 0).unwrap();
        let value = final_values(&f, &runs).unwrap()[0];
        assert!((value - LOCAL).abs() < 1e-6 && outcome(value) == Outcome::Worse);
        let t = &runs[0];
        assert!(
            t.xs.iter().all(|x| x[0] == x[1]),
            "the path stays on the diagonal"
        );
        let short = noisy_runs(&f, &array![0.05, 0.05], 0.0, 60, 1, 0).unwrap();
        assert!((short[0].losses[59] + 1.80390).abs() < 1e-5);
    }

    #[test]
    fn noise_lets_some_runs_escape_and_runs_are_reproducible() {
        let f = multi_well();
        let a = noisy_runs(&f, &array![0.05, 0.05], 0.2, 100, 100, 0).unwrap();
        let b = noisy_runs(&f, &array![0.05, 0.05], 0.2, 100, 100, 0).unwrap();
        assert_eq!(a, b);
        let better = final_values(&f, &a)
            .unwrap()
            .iter()
            .filter(|&&v| outcome(v) == Outcome::Better)
            .count();
        assert!(better > 5 && better < 95, "{better}");
    }

    #[test]
    fn the_noise_floor_is_as_predicted_and_scales_with_the_square_root_of_the_step()
    {
        for (lr, sigma) in [(0.05, 0.5), (0.05, 1.0), (0.0125, 1.0)] {
            let predicted = predicted_floor(&[10.0, 1.0], lr, sigma);
            let measured = measured_floor(lr, sigma, 40, 400, 1400).unwrap();
            for (p, m) in predicted.iter().zip(measured) {
                assert!(
                    (m / p - 1.0).abs() < 0.1,
                    "η = {lr}, σ = {sigma}: {m} vs {p}"
                );
            }
        }
        // A quarter of the step halves the distance (nearly: the 2 − ηλ differs), not
        // quarters it: the floor goes like σ√η.
        let [_, d1, _] = predicted_floor(&[10.0, 1.0], 0.05, 1.0);
        let [_, d4, _] = predicted_floor(&[10.0, 1.0], 0.0125, 1.0);
        assert!((d1 / d4 - 2.0).abs() < 0.05, "{}", d1 / d4);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
