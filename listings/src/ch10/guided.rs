//! Surrogate-guided sampling: fit, minimise the fit, evaluate there, repeat — and the
//! uniform design it is compared with.

use gradbo::surrogate::polyfit;

/// The running example of Part 3, from the library.
pub use gradbo::test_functions::running_example as f;

/// `n` evenly spaced points from `a` to `b` inclusive (NumPy's `linspace`), from the library.
pub use gradbo::numeric::linspace;

// ANCHOR: rule
/// The settings of the next-point rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Degree of the least-squares polynomial.
    pub degree: usize,
    /// Number of evenly spaced candidates on [−3, 3].
    pub candidates: usize,
    /// Candidates closer than this to an observation are ruled out.
    pub min_distance: f64,
}

/// The chapter's rule: degree 5, 400 candidates, minimum distance 0.15.
pub const RULE: Rule = Rule { degree: 5, candidates: 400, min_distance: 0.15 };

/// The next point to evaluate: the candidate where the fitted polynomial is smallest.
/// A candidate within `min_distance` of an observation scores max(prediction) + 1, so it
/// is chosen only if every candidate is that close.
pub fn next_point(x: &[f64], y: &[f64], rule: &Rule) -> gradbo::Result<f64> {
    let p = polyfit(x, y, rule.degree)?;
    let candidates = linspace(-3.0, 3.0, rule.candidates);
    let predicted: Vec<f64> = candidates.iter().map(|&c| p.eval(c)).collect();
    let ruled_out =
        predicted.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v)) + 1.0;
    let score = |i: usize| {
        let near = x.iter().any(|s| (s - candidates[i]).abs() < rule.min_distance);
        if near {
            ruled_out
        } else {
            predicted[i]
        }
    };
    let best = (0..candidates.len())
        .min_by(|&a, &b| score(a).total_cmp(&score(b)))
        .expect("at least one candidate");
    Ok(candidates[best])
}
// ANCHOR_END: rule

// ANCHOR: loop
/// Evaluates f at the `initial` points, then applies the rule until `budget` evaluations
/// have been made. Returns the design and the observed values, in evaluation order.
pub fn guided(
    initial: &[f64],
    budget: usize,
    rule: &Rule,
) -> gradbo::Result<(Vec<f64>, Vec<f64>)> {
    let mut x = initial.to_vec();
    let mut y: Vec<f64> = x.iter().map(|&v| f(v)).collect();
    while x.len() < budget {
        let next = next_point(&x, &y, rule)?;
        x.push(next);
        y.push(f(next));
    }
    Ok((x, y))
}

/// The best value observed after each evaluation: the running minimum.
pub fn cumulative_best(y: &[f64]) -> Vec<f64> {
    y.iter()
        .scan(f64::INFINITY, |best, &v| {
            *best = best.min(v);
            Some(*best)
        })
        .collect()
}
// ANCHOR_END: loop

// ANCHOR: uniform
/// An order for the indices 0..n of a grid in which every prefix is spread out: start at
/// the left end, then always take the index farthest from all those taken (the leftmost on
/// ties). It begins 0, n − 1, then near the middle, then the quarters, and so on.
pub fn farthest_point_order(n: usize) -> Vec<usize> {
    let mut order = vec![0];
    while order.len() < n {
        let gap =
            |i: usize| order.iter().map(|&j| i.abs_diff(j)).min().unwrap_or(0);
        let next = (0..n)
            .filter(|i| !order.contains(i))
            .max_by(|&a, &b| gap(a).cmp(&gap(b)).then(b.cmp(&a)))
            .expect("an index is left");
        order.push(next);
    }
    order
}

/// The uniform strategy: linspace(−3, 3, budget), evaluated in farthest-point order, so
/// that stopping after any number of evaluations leaves an evenly spread design.
pub fn uniform(budget: usize) -> (Vec<f64>, Vec<f64>) {
    let grid = linspace(-3.0, 3.0, budget);
    let x: Vec<f64> =
        farthest_point_order(budget).into_iter().map(|i| grid[i]).collect();
    let y = x.iter().map(|&v| f(v)).collect();
    (x, y)
}
// ANCHOR_END: uniform

/// The baseline the PyTorch course used: the 5 initial points, then points 5..19 of
/// linspace(−3, 3, 20) — not a uniform design (x = 3 twice, a gap on the left).
pub fn uneven_baseline() -> (Vec<f64>, Vec<f64>) {
    let mut x = linspace(-3.0, 3.0, 5);
    x.extend_from_slice(&linspace(-3.0, 3.0, 20)[5..]);
    let y = x.iter().map(|&v| f(v)).collect();
    (x, y)
}

pub fn main() -> gradbo::Result<()> {
    let (x, y) = guided(&linspace(-3.0, 3.0, 5), 20, &RULE)?;
    let (ux, uy) = uniform(20);
    let best = |y: &[f64]| cumulative_best(y)[y.len() - 1];
    println!("first guided point: x = {:.3}, f = {:.3}", x[5], y[5]);
    println!(
        "after 20 evaluations: guided {:.4}, uniform {:.4}",
        best(&y),
        best(&uy)
    );
    println!(
        "uniform design in evaluation order: {:?}",
        ux.iter().map(|v| (v * 1000.0).round() / 1000.0).collect::<Vec<_>>()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(p, q)| (p - q).abs() < tol)
    }

    #[test]
    fn the_first_step_and_the_guided_design_match_the_course() {
        let initial = linspace(-3.0, 3.0, 5);
        let (x, y) = guided(&initial, 20, &RULE).unwrap();
        assert!((x[5] - 2.218).abs() < 5e-4 && (y[5] + 0.565).abs() < 5e-4);
        let want = [
            2.218, 2.414, 2.564, 2.068, 1.917, 1.767, 1.346, 2.714, 1.195, 1.045,
            0.895, 0.744, -0.925, -0.774, -0.624,
        ];
        assert!(close(&x[5..], &want, 5e-4), "{x:?}");
        let best = cumulative_best(&y);
        let want = [
            0.1345, 0.1272, -0.0325, -0.2532, -0.2532, -0.5655, -0.5655, -0.5655,
            -0.6773, -0.7009,
        ];
        assert!(close(&best[..10], &want, 5e-5), "{best:?}");
        assert!(best[10..].iter().all(|&b| b == best[9]));
    }

    #[test]
    fn the_uneven_baseline_reproduces_the_pytorch_course_and_is_not_uniform() {
        let (x, y) = uneven_baseline();
        let best = cumulative_best(&y);
        let mut want = vec![0.1345, 0.1272, -0.0325];
        want.extend([-0.2532; 4]);
        want.push(-0.5418);
        want.extend([-0.5427; 7]);
        want.push(-0.5790);
        want.extend([-0.6844; 4]);
        assert!(close(&best, &want, 5e-5), "{best:?}");
        assert_eq!(x.iter().filter(|&&v| v == 3.0).count(), 2);
        let mut sorted = x.clone();
        sorted.sort_by(f64::total_cmp);
        let widest = sorted.windows(2).map(|w| w[1] - w[0]).fold(0.0_f64, f64::max);
        assert!((widest - 1.5).abs() < 1e-12, "the gap (−3, −1.5)");
    }

    #[test]
    fn the_uniform_strategy_is_linspace_in_a_spread_out_order() {
        let order = farthest_point_order(20);
        assert_eq!(&order[..5], &[0, 19, 9, 14, 4]);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..20).collect::<Vec<_>>());
        let (x, y) = uniform(20);
        let mut xs = x.clone();
        xs.sort_by(f64::total_cmp);
        assert_eq!(xs, linspace(-3.0, 3.0, 20));
        // The full design contains x = 2.0526, the best point of the 20-point grid.
        assert!((cumulative_best(&y)[19] + 0.6844).abs() < 5e-5);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
