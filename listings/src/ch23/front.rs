//! Chapter 23: the battery electrolyte's two objectives over a grid of formulations, the
//! grid's Pareto front, the capacity plateau, and hypervolume by hand and by the library.

use gradbo::multi_objective::{hypervolume, non_dominated};
use gradbo::test_functions::battery::{Battery, GRID_SIZE, REFERENCE_POINT};
use gradbo::Result;
use ndarray::{Array1, Array2, ArrayView2, Axis};

// ANCHOR: grid
/// The 100 × 100 grid of formulations (s, a), "ij" order, and their objectives (E, C):
/// two 10 000 × 2 matrices.
pub fn grid() -> Result<(Array2<f64>, Array2<f64>)> {
    let battery = Battery::new();
    let x = battery.grid(GRID_SIZE)?;
    let y = battery.evaluate_all(x.view())?;
    Ok((x, y))
}

/// The index of the first largest value of column `k` of `y`.
pub fn first_argmax(y: ArrayView2<'_, f64>, k: usize) -> usize {
    let col = y.column(k);
    (0..col.len()).fold(0, |best, i| if col[i] > col[best] { i } else { best })
}
// ANCHOR_END: grid

// ANCHOR: front
/// The rows of `y` that no other row dominates (duplicates once), sorted by efficiency,
/// highest first: the Pareto front of a set of formulations.
pub fn front_by_efficiency(y: ArrayView2<'_, f64>) -> Result<Vec<usize>> {
    let mut rows = non_dominated(y)?;
    rows.sort_by(|&i, &j| y[[j, 0]].total_cmp(&y[[i, 0]]));
    Ok(rows)
}
// ANCHOR_END: front

// ANCHOR: plateau
/// The grid points whose capacity is clamped at its ceiling, 235: a plateau on which
/// every point ties for the best capacity.
pub fn plateau(y: ArrayView2<'_, f64>) -> Vec<usize> {
    (0..y.nrows()).filter(|&i| y[[i, 1]] == 235.0).collect()
}
// ANCHOR_END: plateau

// ANCHOR: by_hand
/// The hypervolume of a two-objective front w.r.t. r: sorted by the first objective,
/// highest first, the sum of the rectangles (E_i − E_{i+1})·(C_i − r_C), with
/// E_{n+1} = r_E. `front` must be non-dominated and better than r in both objectives.
pub fn hypervolume_by_hand(front: ArrayView2<'_, f64>, r: [f64; 2]) -> f64 {
    let mut rows: Vec<[f64; 2]> =
        front.rows().into_iter().map(|p| [p[0], p[1]]).collect();
    rows.sort_by(|p, q| q[0].total_cmp(&p[0]));
    let mut area = 0.0;
    for (i, p) in rows.iter().enumerate() {
        let next_e = rows.get(i + 1).map_or(r[0], |q| q[0]);
        area += (p[0] - next_e) * (p[1] - r[1]);
    }
    area
}
// ANCHOR_END: by_hand

/// The hypervolume of any set of (E, C) rows w.r.t. the course's reference point.
pub fn hv(y: ArrayView2<'_, f64>) -> Result<f64> {
    hypervolume(y, Array1::from(REFERENCE_POINT.to_vec()).view())
}

pub fn main() -> Result<()> {
    let (x, y) = grid()?;
    let (e, c) = (first_argmax(y.view(), 0), first_argmax(y.view(), 1));
    println!("best E at ({:.5}, {:.5}): {:.6}", x[[e, 0]], x[[e, 1]], y[[e, 0]]);
    println!("best C at ({:.5}, {:.5}): {:.3}", x[[c, 0]], x[[c, 1]], y[[c, 1]]);
    let front = front_by_efficiency(y.view())?;
    let values = y.select(Axis(0), &front);
    println!("{} of {} grid points are non-dominated", front.len(), y.nrows());
    println!("{} grid points have C clamped at 235", plateau(y.view()).len());
    println!(
        "hypervolume: by hand {:.6}, by the library {:.6}",
        hypervolume_by_hand(values.view(), REFERENCE_POINT),
        hv(values.view())?
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_grid_front_and_its_hypervolume() {
        let (x, y) = grid().unwrap();
        let front = front_by_efficiency(y.view()).unwrap();
        assert_eq!(front.len(), 229);
        let values = y.select(Axis(0), &front);
        let by_hand = hypervolume_by_hand(values.view(), REFERENCE_POINT);
        assert!((by_hand - 11.759799).abs() < 5e-7, "{by_hand}");
        // The library agrees on the front, and on the whole grid (dominated points add
        // nothing).
        assert!((hv(values.view()).unwrap() - by_hand).abs() < 1e-12);
        assert!((hv(y.view()).unwrap() - by_hand).abs() < 1e-12);
        // Sorted by efficiency, capacity rises along the front.
        assert!(front.windows(2).all(|w| y[[w[0], 0]] > y[[w[1], 0]]));
        assert!(front.windows(2).all(|w| y[[w[0], 1]] < y[[w[1], 1]]));
        let (e, c) = (first_argmax(y.view(), 0), first_argmax(y.view(), 1));
        assert_eq!((e, c), (33 * 100 + 27, 67 * 100 + 60));
        assert_eq!(front[0], e);
        assert!((x[[c, 0]] - 67.0 / 99.0).abs() < 1e-15);
    }

    #[test]
    fn one_plateau_point_is_on_the_front() {
        let (_, y) = grid().unwrap();
        let flat = plateau(y.view());
        assert_eq!(flat.len(), 89);
        let front = front_by_efficiency(y.view()).unwrap();
        let on_both: Vec<usize> =
            front.iter().copied().filter(|i| flat.contains(i)).collect();
        // Of the tied points only the most efficient is non-dominated.
        assert_eq!(on_both.len(), 1);
        let best_e = flat.iter().map(|&i| y[[i, 0]]).fold(f64::MIN, f64::max);
        assert_eq!(y[[on_both[0], 0]], best_e);
        // The first index of the largest C (the course's "best capacity") is not it.
        assert_ne!(on_both[0], first_argmax(y.view(), 1));
    }

    #[test]
    fn hypervolume_by_hand_on_three_points() {
        // (3 − 2)·(1 − 0) + (2 − 1)·(2 − 0) + (1 − 0)·(3 − 0) = 6.
        let y = array![[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]];
        assert_eq!(hypervolume_by_hand(y.view(), [0.0, 0.0]), 6.0);
        assert_eq!(hypervolume(y.view(), array![0.0, 0.0].view()).unwrap(), 6.0);
    }
}
