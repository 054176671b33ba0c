//! Where does gradient descent stop being stable? Theory, and a measurement with a budget.

use gradbo::optim::{run, Method, Quadratic};
use ndarray::array;

// ANCHOR: sweep
/// For each learning rate, whether 80 steps from (2, 2) on ½ xᵀ diag(10, 1) x stay bounded:
/// a run counts as unstable if a loss is not finite or a coordinate exceeds 10⁶.
pub fn stable_by_experiment(lrs: &[f64]) -> gradbo::Result<Vec<bool>> {
    let f = Quadratic::diagonal(&[10.0, 1.0])?;
    lrs.iter()
        .map(|&lr| {
            let t = run(
                &f,
                Method::GradientDescent { lr },
                &array![2.0, 2.0],
                80,
                None,
            )?;
            Ok(!t.diverged(1e6))
        })
        .collect()
}

/// The learning rate at which the verdict of a run of `steps` steps flips, predicted: x₁
/// grows like 2·rᵗ with r = 10η − 1, and trips the threshold within `steps` steps once
/// 2r^steps > 10⁶, that is r > (5·10⁵)^(1/steps). The sweep above uses 80 steps.
pub fn predicted_edge(steps: u32) -> f64 {
    let r = (5e5_f64).powf(1.0 / f64::from(steps));
    (1.0 + r) / 10.0
}
// ANCHOR_END: sweep

/// The 120 learning rates of the sweep: linspace(0.001, 0.35, 120).
pub fn grid() -> Vec<f64> {
    (0..120).map(|i| 0.001 + (0.35 - 0.001) * f64::from(i) / 119.0).collect()
}

pub fn main() -> gradbo::Result<()> {
    let lrs = grid();
    let stable = stable_by_experiment(&lrs)?;
    let last = lrs
        .iter()
        .zip(&stable)
        .filter(|(_, s)| **s)
        .map(|(l, _)| *l)
        .fold(0.0, f64::max);
    println!("theory: 0.2; last stable on the grid: {last:.6}");
    println!("predicted edge for 80 steps and 10⁶: {:.4}", predicted_edge(80));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_measured_edge_brackets_the_finite_horizon_prediction() {
        let lrs = grid();
        let stable = stable_by_experiment(&lrs).unwrap();
        let first_unstable = stable.iter().position(|s| !s).unwrap();
        assert!(stable[..first_unstable].iter().all(|s| *s));
        assert!(stable[first_unstable..].iter().all(|s| !s));
        let (lo, hi) = (lrs[first_unstable - 1], lrs[first_unstable]);
        assert!(
            (lo - 0.215092).abs() < 1e-6 && (hi - 0.218025).abs() < 1e-6,
            "{lo} {hi}"
        );
        assert!(lo < predicted_edge(80) && predicted_edge(80) < hi);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
