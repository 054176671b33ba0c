//! Chapter 18: campaigns compared over seeds — three dimensions with the same number of
//! steps, three budgets in five dimensions — summarised by the median and quartiles of the
//! regret at each point of the run.

// ANCHOR: arms
/// One kind of campaign: its dimension, design size and steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arm {
    /// Variables d.
    pub dim: usize,
    /// Sobol points n₀.
    pub n_init: usize,
    /// Steps n after them.
    pub steps: usize,
}

impl Arm {
    /// Evaluations in all: n₀ + n.
    pub fn evaluations(&self) -> usize {
        self.n_init + self.steps
    }
}

/// The dimension comparison: d = 2, 4, 8, each with 2d Sobol points and 30 steps.
pub fn dimensions() -> [Arm; 3] {
    [2, 4, 8].map(|dim| Arm { dim, n_init: 2 * dim, steps: 30 })
}

/// The budget comparison in d = 5: 8 + 8, 10 + 20 and 16 + 40 evaluations.
pub fn budgets() -> [Arm; 3] {
    [(8, 8), (10, 20), (16, 40)].map(|(n_init, steps)| Arm {
        dim: 5,
        n_init,
        steps,
    })
}

/// The seeds every arm is run with: each draws its own design and its own acquisition
/// optimiser's randomness.
pub const SEEDS: std::ops::Range<u64> = 7..15;
// ANCHOR_END: arms

// ANCHOR: summary
/// The median and the lower and upper quartiles over runs, at each point of the runs:
/// `curves[s][k]` is run s's value at point k (all runs of one arm have the same length).
pub fn quartiles(curves: &[Vec<f64>]) -> Vec<[f64; 3]> {
    let len = curves.iter().map(Vec::len).min().unwrap_or(0);
    (0..len)
        .map(|k| {
            let mut at: Vec<f64> = curves.iter().map(|c| c[k]).collect();
            at.sort_by(f64::total_cmp);
            [0.5, 0.25, 0.75].map(|q| interpolate(&at, q))
        })
        .collect()
}

/// The q-quantile of sorted values, linear between order statistics.
fn interpolate(sorted: &[f64], q: f64) -> f64 {
    let h = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
// ANCHOR_END: summary

/// The arms and what each spends.
pub fn main() -> gradbo::Result<()> {
    for arm in dimensions().iter().chain(&budgets()) {
        println!(
            "d = {}: {} + {} = {} evaluations",
            arm.dim,
            arm.n_init,
            arm.steps,
            arm.evaluations()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_runs() {
        main().unwrap();
    }

    #[test]
    fn what_each_arm_spends() {
        let d: Vec<_> = dimensions().iter().map(|a| (a.n_init, a.steps)).collect();
        assert_eq!(d, [(4, 30), (8, 30), (16, 30)]);
        let b: Vec<_> = budgets().iter().map(Arm::evaluations).collect();
        assert_eq!(b, [16, 30, 56]);
        assert_eq!(SEEDS.count(), 8);
    }

    #[test]
    fn quartiles_of_a_few_runs() {
        let runs =
            vec![vec![4.0, 1.0], vec![3.0, 2.0], vec![1.0, 1.0], vec![2.0, 0.0]];
        // At the first point the values are 1, 2, 3, 4: median 2.5, quartiles 1.75 and 3.25.
        assert_eq!(quartiles(&runs), [[2.5, 1.75, 3.25], [1.0, 0.75, 1.25]]);
    }
}
