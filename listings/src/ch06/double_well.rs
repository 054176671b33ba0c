//! A non-convex map: the double well f(x) = x⁴/4 − x²/2, its fixed points and their basins.

use gradbo::optim::dynamics::{fixed_points_1d, FixedPoint};
use gradbo::optim::functions::double_well;
use gradbo::optim::{run, Method};
use ndarray::array;

// ANCHOR: fixed_points
/// The fixed points of x ← x − η(x³ − x) in [−2, 2], with the slope 1 − η(3x² − 1) of the
/// map at each: |slope| < 1 attracts, |slope| > 1 repels.
pub fn fixed_points(lr: f64) -> gradbo::Result<Vec<FixedPoint>> {
    fixed_points_1d(|x| x * x * x - x, |x| 3.0 * x * x - 1.0, lr, (-2.0, 2.0), 400)
}
// ANCHOR_END: fixed_points

// ANCHOR: runs
/// The iterates of gradient descent on the double well from `x0`.
pub fn path(x0: f64, lr: f64, steps: usize) -> gradbo::Result<Vec<f64>> {
    let t = run(
        &double_well(),
        Method::GradientDescent { lr },
        &array![x0],
        steps,
        None,
    )?;
    Ok(t.xs.iter().map(|x| x[0]).collect())
}
// ANCHOR_END: runs

pub fn main() -> gradbo::Result<()> {
    for p in fixed_points(0.2)? {
        println!(
            "fixed point {:+.3}: slope {:.2}, stable {}",
            p.x, p.slope, p.stable
        );
    }
    for x0 in [-1.5, -0.2, 0.2, 1.5] {
        let xs = path(x0, 0.2, 40)?;
        println!("from {x0:+}: after 40 steps {:+.9}", xs[40]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_start_goes_to_the_minimum_on_its_side() {
        for x0 in [-1.5_f64, -0.2, 0.2, 1.5] {
            let xs = path(x0, 0.2, 40).unwrap();
            assert!((xs[40] - x0.signum()).abs() < 1e-6, "{x0}: {}", xs[40]);
        }
    }

    #[test]
    fn the_unstable_point_repels_by_one_point_two_per_step() {
        assert_eq!(path(0.0, 0.2, 60).unwrap()[60], 0.0);
        let xs = path(1e-6, 0.2, 120).unwrap();
        // Near 0 the map is x ← 1.2x: 60 steps multiply by 1.2⁶⁰ ≈ 56 000, reaching 0.0563.
        assert!((xs[60] - 0.0563).abs() < 5e-4, "{}", xs[60]);
        assert!((xs[120] - 1.0).abs() < 1e-3, "{}", xs[120]);
        let points = fixed_points(0.2).unwrap();
        assert!((points[1].slope - 1.2).abs() < 1e-12 && !points[1].stable);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
