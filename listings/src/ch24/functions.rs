//! Chapter 24: the co-catalyst problems — the high-fidelity activity h, its cheaper biased
//! evaluations F(x, s), their prices, and the activity g(x, c) under a light intensity c —
//! with their maxima on the course's 500-point grid.

use gradbo::budget::CostModel;
use gradbo::fidelity::{Fidelities, QuadraticCost};
use gradbo::test_functions::cocatalyst::{
    bias, contextual, grid, grid_maximum, multi_fidelity, target, LEVELS,
};
use gradbo::Result;

// ANCHOR: levels
/// One fidelity level and where it peaks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// The fidelity s and its price.
    pub s: f64,
    pub cost: f64,
    /// The grid maximiser of F(·, s), F there, and the true activity h there.
    pub argmax: f64,
    pub max: f64,
    pub h: f64,
}

/// Every level of the course, lowest first.
pub fn levels() -> Result<Vec<Level>> {
    let xs = grid();
    let fids = Fidelities::new(&LEVELS, &QuadraticCost::COURSE)?;
    fids.levels()
        .iter()
        .map(|&s| {
            let (i, best) = grid_maximum(&xs, |x| multi_fidelity(x, s))?;
            Ok(Level {
                s,
                cost: fids.cost(s)?,
                argmax: xs[i],
                max: best,
                h: target(xs[i]),
            })
        })
        .collect()
}
// ANCHOR_END: levels

// ANCHOR: contexts
/// The grid maximiser of g(·, c) and g there, for each context of `cs`.
pub fn context_optima(cs: &[f64]) -> Result<Vec<(f64, f64, f64)>> {
    let xs = grid();
    cs.iter()
        .map(|&c| {
            let (i, best) = grid_maximum(&xs, |x| contextual(x, c))?;
            Ok((c, xs[i], best))
        })
        .collect()
}
// ANCHOR_END: contexts

pub fn main() -> Result<()> {
    println!("   s    cost   argmax F    max F     h there");
    for l in levels()? {
        println!(
            "{:.1}  {:.4}   {:.6}   {:.6}   {:.6}",
            l.s, l.cost, l.argmax, l.max, l.h
        );
    }
    println!("bias b(x) at x = 0.3, 0.7: {:.6}, {:.6}", bias(0.3), bias(0.7));
    let price = QuadraticCost::COURSE;
    println!("price of s = 0.35 (not a level): {:.6}", price.checked_cost(&0.35)?);
    for (c, x, g) in context_optima(&[0.1, 0.5, 0.9])? {
        println!("c = {c:.1}: best x = {x:.6}, g = {g:.6}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::test_functions::cocatalyst::TARGET_GRID_OPTIMUM;

    #[test]
    fn each_fidelity_peaks_left_of_the_target_and_costs_less() {
        let rows = levels().unwrap();
        let want =
            [(0.2, 0.184, 0.68136, 1.203586), (0.5, 0.3625, 0.68737, 1.239883)];
        for (r, (s, c, x, f)) in rows.iter().zip(want) {
            assert_eq!(r.s, s);
            assert!((r.cost - c).abs() < 1e-15);
            assert!((r.argmax - x).abs() < 5e-6 && (r.max - f).abs() < 5e-7);
            // The low fidelities' maximisers are below the target's and lose some h.
            assert!(
                r.argmax < TARGET_GRID_OPTIMUM.0 && r.h < TARGET_GRID_OPTIMUM.1
            );
        }
        assert!((rows[2].argmax - TARGET_GRID_OPTIMUM.0).abs() < 1e-15);
        assert!((rows[2].max - TARGET_GRID_OPTIMUM.1).abs() < 1e-15);
    }

    #[test]
    fn the_best_loading_moves_with_the_light() {
        let rows = context_optima(&[0.1, 0.5, 0.9]).unwrap();
        let want = [0.302605, 0.531062, 0.739479];
        for (r, x) in rows.iter().zip(want) {
            assert!((r.1 - x).abs() < 5e-7);
        }
    }
}
