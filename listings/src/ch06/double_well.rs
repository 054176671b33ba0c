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

// ANCHOR: basins
/// The edges of the double well's basins on the positive side, for the step η: the map
/// g(x) = x(1 + η − ηx²) is zero at b₀ = √((1 + η)/η), and b_{k+1} is the point of
/// (b₀, c) that g sends to −b_k, where c = √(1 + 2/η) is the 2-cycle g(±c) = ∓c. The
/// edges climb towards c; beyond it every start diverges. Returns (b₀, b₁, …, c).
pub fn basin_edges(lr: f64, count: usize) -> (Vec<f64>, f64) {
    let g = |x: f64| x * (1.0 + lr - lr * x * x);
    let c = (1.0 + 2.0 / lr).sqrt();
    let mut edges = vec![((1.0 + lr) / lr).sqrt()];
    while edges.len() < count {
        // g decreases on (b₀, c) from 0 to −c: bisect g(x) = −b_k there.
        let target = -edges[edges.len() - 1];
        let (mut lo, mut hi) = (edges[0], c);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if g(mid) > target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        edges.push(0.5 * (lo + hi));
    }
    (edges, c)
}

/// Where gradient descent from x₀ ends, predicted from the edges: the band (b_{k−1}, b_k)
/// that holds |x₀| (with b₋₁ = 0) sends it to (−1)ᵏ times the sign of x₀; `None` for
/// |x₀| ≥ c, where it diverges. Starts beyond the last computed edge are not predicted.
pub fn predicted_end(x0: f64, edges: &[f64], c: f64) -> Option<f64> {
    if x0.abs() >= c {
        return None;
    }
    let k = edges.iter().position(|&b| x0.abs() < b)?;
    let side = if k % 2 == 0 { 1.0 } else { -1.0 };
    Some(side * x0.signum())
}
// ANCHOR_END: basins

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
    fn the_basins_are_bands_not_half_lines() {
        let (edges, c) = basin_edges(0.2, 12);
        assert!(
            (edges[0] - 6f64.sqrt()).abs() < 1e-15
                && (c - 11f64.sqrt()).abs() < 1e-15
        );
        assert!(edges.windows(2).all(|w| w[0] < w[1] && w[1] < c));
        // Each band is |g'(c)| = 5.4 times thinner than the one before.
        let ratio = (c - edges[3]) / (c - edges[4]);
        assert!((ratio - 5.4).abs() < 0.05, "{ratio}");
        // From 3 the first step lands at −1.8, and the run ends at −1.
        let xs = path(3.0, 0.2, 60).unwrap();
        assert!((xs[1] + 1.8).abs() < 1e-12 && (xs[60] + 1.0).abs() < 1e-9);
        // Every start on a fine grid ends where the bands say, unless it lies within
        // 10⁻⁶ of an edge (which lands on the maximum at 0 and lingers there).
        let mut checked = 0;
        for k in -4000..=4000 {
            let x0 = f64::from(k) * 1e-3 + 1.234e-5;
            if edges.iter().any(|b| (x0.abs() - b).abs() < 1e-6) {
                continue;
            }
            let xs = path(x0, 0.2, 400).unwrap();
            let end = xs[400];
            match predicted_end(x0, &edges, c) {
                Some(target) => assert!((end - target).abs() < 1e-6, "{x0}: {end}"),
                None if x0.abs() > edges[edges.len() - 1] && x0.abs() < c => {}
                None => assert!(!end.is_finite() || end.abs() > 1e6, "{x0}: {end}"),
            }
            checked += 1;
        }
        assert!(checked > 7900);
        // For any step, starts beyond √(1 + 2/η) diverge.
        for lr in [0.05, 0.5, 1.0] {
            let (_, c) = basin_edges(lr, 1);
            let xs = path(1.01 * c, lr, 200).unwrap();
            assert!(xs.iter().any(|x| !x.is_finite() || x.abs() > 1e6), "η = {lr}");
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
