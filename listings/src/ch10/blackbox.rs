//! The running example of Part 3 as an expensive black box: a value per evaluation, a unit
//! cost per evaluation, and the best value that a budget of evenly spaced evaluations buys.

// ANCHOR: objective
/// The running example of Part 3,
/// f(x) = 0.35 sin(2.2x) + 0.15 cos(5x) + 0.03(x − 1.5)² − 0.25 on [−3, 3].
/// (The library keeps it for the chapters that follow: `gradbo::test_functions`.)
pub fn f(x: f64) -> f64 {
    0.35 * (2.2 * x).sin() + 0.15 * (5.0 * x).cos() + 0.03 * (x - 1.5).powi(2)
        - 0.25
}

/// The cost of one evaluation, in arbitrary units (an experiment, a day of simulation).
pub const COST_PER_EVALUATION: f64 = 1.0;

/// A black box: it answers queries of f and counts what they cost. The optimiser sees
/// values at the points it asks about, and nothing else.
#[derive(Debug, Default)]
pub struct BlackBox {
    evaluations: usize,
}

impl BlackBox {
    /// A black box that has not been queried yet.
    pub fn new() -> Self {
        BlackBox::default()
    }

    /// f(x), at the price of one evaluation.
    pub fn evaluate(&mut self, x: f64) -> f64 {
        self.evaluations += 1;
        f(x)
    }

    /// How many evaluations have been made.
    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// What they cost: n × the unit cost.
    pub fn cost(&self) -> f64 {
        self.evaluations as f64 * COST_PER_EVALUATION
    }
}
// ANCHOR_END: objective

// ANCHOR: budget
/// `n` evenly spaced points from `a` to `b` inclusive, as NumPy's `linspace` computes
/// them (a + i·step, the last point exactly b).
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![a];
    }
    let step = (b - a) / (n - 1) as f64;
    (0..n).map(|i| if i + 1 == n { b } else { a + i as f64 * step }).collect()
}

/// Evaluates the black box on linspace(−3, 3, n) and returns the best observation
/// (x, f(x)): what a budget of n evenly spaced evaluations buys.
pub fn best_observed(bb: &mut BlackBox, n: usize) -> (f64, f64) {
    linspace(-3.0, 3.0, n)
        .into_iter()
        .map(|x| (x, bb.evaluate(x)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("n ≥ 1")
}
// ANCHOR_END: budget

/// The true minimiser of f on [−3, 3] and its value: the best point of a 6001-point grid,
/// refined by golden-section search on the neighbouring grid interval. (Only the author of a
/// tutorial can afford this; it is the yardstick for everything else.)
pub fn true_minimum() -> (f64, f64) {
    let grid = linspace(-3.0, 3.0, 6001);
    let best = grid.iter().copied().min_by(|a, b| f(*a).total_cmp(&f(*b))).unwrap();
    let (lo, hi) = ((best - 0.001).max(-3.0), (best + 0.001).min(3.0));
    let x = gradbo::numeric::golden_section(f, lo, hi, 100);
    (x, f(x))
}

/// The budgets of the chapter's table.
pub const BUDGETS: [usize; 8] = [2, 4, 6, 8, 12, 16, 20, 30];

pub fn main() {
    let mut bb = BlackBox::new();
    for n in BUDGETS {
        let (x, y) = best_observed(&mut bb, n);
        println!("n = {n:>2}: best f = {y:+.4} at x = {x:+.4}");
    }
    let (x, y) = true_minimum();
    println!(
        "{} evaluations cost {} units; the true minimum is f({x:.5}) = {y:.6}",
        bb.evaluations(),
        bb.cost()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_keeps_the_same_function_to_the_last_bit() {
        for k in 0..=1400 {
            let x = -3.5 + k as f64 / 200.0;
            let kept = gradbo::test_functions::running_example(x);
            assert_eq!(f(x).to_bits(), kept.to_bits(), "{x}");
        }
    }

    #[test]
    fn known_values_of_the_example() {
        assert!((f(-3.0) - 0.1345).abs() < 5e-5);
        assert!((f(3.0) + 0.1874).abs() < 5e-5);
        let (x, y) = true_minimum();
        assert!((x - 1.95954).abs() < 1e-5 && (y + 0.705535).abs() < 1e-6);
        // A stationary point: f' = 0.77 cos(2.2x) − 0.75 sin(5x) + 0.06(x − 1.5) vanishes there.
        let fp = 0.77 * (2.2 * x).cos() - 0.75 * (5.0 * x).sin() + 0.06 * (x - 1.5);
        assert!(fp.abs() < 1e-8, "{fp}");
    }

    #[test]
    fn best_observed_by_budget_matches_the_course_and_is_not_monotone() {
        let want = [
            (2, 3.0, -0.1874),
            (4, -1.0, -0.3029),
            (6, 1.8, -0.6395),
            (8, 2.1429, -0.6292),
            (12, 1.9091, -0.6989),
            (16, 1.8, -0.6395),
            (20, 2.0526, -0.6844),
            (30, 1.9655, -0.7054),
        ];
        let mut bb = BlackBox::new();
        let mut values = Vec::new();
        for (n, x, y) in want {
            let best = best_observed(&mut bb, n);
            assert!((best.0 - x).abs() < 5e-5 && (best.1 - y).abs() < 5e-5, "{n}");
            values.push(best.1);
        }
        // 12 evenly spaced points beat 16: the grids are not nested.
        assert!(values[4] < values[5] && values[2] < values[3]);
        assert_eq!(bb.evaluations(), BUDGETS.iter().sum::<usize>());
        assert_eq!(bb.cost(), 98.0);
    }

    #[test]
    fn linspace_ends_exactly() {
        let x = linspace(-3.0, 3.0, 20);
        assert_eq!((x[0], x[19]), (-3.0, 3.0));
        assert!((x[1] - x[0] - 6.0 / 19.0).abs() < 1e-15);
    }

    #[test]
    fn main_runs() {
        main();
    }
}
