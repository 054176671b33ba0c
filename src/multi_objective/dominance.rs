//! Dominance and non-dominated (Pareto-optimal) sets, all objectives maximised.
//!
//! a **dominates** b when a is at least as good in every objective and strictly better in
//! one: aₖ ≥ bₖ for all k and aₖ > bₖ for some k. The **non-dominated** points of a set are
//! those no other point of the set dominates; they form its Pareto front. Two identical
//! points do not dominate each other, so both would be non-dominated; the front keeps such
//! exact duplicates once (the first occurrence), as BoTorch's `is_non_dominated` does with
//! `deduplicate=True`.
//!
//! The front is found after sorting the points in decreasing lexicographic order: a point
//! can then be dominated only by points before it, and those that survive form the front, so
//! each point is compared with the front found so far — n log n + n·|front|·m operations
//! rather than n²·m. With two objectives the comparison is with one number, the largest
//! second objective seen so far.

use super::reference::check_objectives;
use crate::{Error, Result};
use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use std::cmp::Ordering;

/// Whether `a` dominates `b` (maximisation): aₖ ≥ bₖ for every k and aₖ > bₖ for some k.
///
/// ```
/// use gradbo::multi_objective::dominates;
/// use ndarray::array;
/// assert!(dominates(array![2.0, 1.0].view(), array![1.0, 1.0].view())?);
/// assert!(!dominates(array![1.0, 1.0].view(), array![1.0, 1.0].view())?);
/// assert!(!dominates(array![2.0, 0.0].view(), array![1.0, 1.0].view())?);
/// # Ok::<(), gradbo::Error>(())
/// ```
///
/// # Errors
/// [`Error::ShapeMismatch`] unless both have the same number of objectives,
/// [`Error::Empty`] for none, [`Error::NonFinite`] for NaN or ±∞.
pub fn dominates(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> Result<bool> {
    if a.len() != b.len() {
        return Err(Error::ShapeMismatch {
            context: "dominates: both points need the same objectives",
            expected: vec![a.len()],
            found: vec![b.len()],
        });
    }
    if a.is_empty() {
        return Err(Error::Empty { context: "dominates: the points" });
    }
    if a.iter().chain(&b).any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "dominates" });
    }
    Ok(a.iter().zip(&b).all(|(x, y)| x >= y) && a != b)
}

/// The row indices of the non-dominated rows of `y` (n × m, all objectives maximised), in
/// increasing order; of exact duplicates only the first is kept.
///
/// ```
/// use gradbo::multi_objective::non_dominated;
/// use ndarray::array;
/// let y = array![[1.0, 3.0], [2.0, 2.0], [1.5, 1.5], [2.0, 2.0], [3.0, 0.5]];
/// assert_eq!(non_dominated(y.view())?, vec![0, 1, 4]);
/// # Ok::<(), gradbo::Error>(())
/// ```
///
/// # Errors
/// [`Error::Empty`] for no rows or no objectives, [`Error::NonFinite`] for NaN or ±∞.
pub fn non_dominated(y: ArrayView2<'_, f64>) -> Result<Vec<usize>> {
    check_objectives(y, "non_dominated: the objective values")?;
    let m = y.ncols();
    let data: Vec<f64> = y.iter().copied().collect();
    Ok(front_of_rows(&data, m))
}

/// The non-dominated rows of `y` (as [`non_dominated`]) and their values, in the order of
/// the indices.
///
/// # Errors
/// As for [`non_dominated`].
pub fn pareto_front(y: ArrayView2<'_, f64>) -> Result<(Vec<usize>, Array2<f64>)> {
    let rows = non_dominated(y)?;
    let front = y.select(Axis(0), &rows);
    Ok((rows, front))
}

/// Decreasing lexicographic order of rows of length m, ties by increasing index.
fn lexicographic_desc(data: &[f64], m: usize) -> Vec<usize> {
    let n = data.len() / m;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&data[i * m..(i + 1) * m], &data[j * m..(j + 1) * m]);
        for (x, y) in a.iter().zip(b) {
            match y.partial_cmp(x) {
                Some(Ordering::Equal) | None => continue,
                Some(o) => return o,
            }
        }
        i.cmp(&j)
    });
    order
}

/// The indices (increasing) of the non-dominated rows of the row-major `data` (rows of m
/// finite values), duplicates kept once: the work behind [`non_dominated`], also used on
/// the library's internal point sets.
pub(crate) fn front_of_rows(data: &[f64], m: usize) -> Vec<usize> {
    if m == 0 || data.is_empty() {
        return Vec::new();
    }
    let order = lexicographic_desc(data, m);
    let row = |i: usize| &data[i * m..(i + 1) * m];
    let mut front: Vec<usize> = Vec::new();
    if m == 1 {
        front.push(order[0]);
    } else if m == 2 {
        // Sorted by the first objective (then the second) decreasing: p is weakly
        // dominated by an earlier point exactly when one of them has a second objective
        // at least as large.
        let mut top = f64::NEG_INFINITY;
        for &i in &order {
            let p = row(i);
            if p[1] > top {
                top = p[1];
                front.push(i);
            }
        }
    } else {
        for &i in &order {
            let p = row(i);
            let covered =
                front.iter().any(|&j| row(j).iter().zip(p).all(|(a, b)| a >= b));
            if !covered {
                front.push(i);
            }
        }
    }
    front.sort_unstable();
    front
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// The definition, pair by pair: the slow reference.
    fn brute_force(y: &Array2<f64>) -> Vec<usize> {
        let n = y.nrows();
        (0..n)
            .filter(|&i| {
                let p = y.row(i);
                !(0..n).any(|j| {
                    let q = y.row(j);
                    dominates(q, p).unwrap() || (j < i && q == p)
                })
            })
            .collect()
    }

    #[test]
    fn dominance_needs_one_strict_improvement() {
        let a = array![1.0, 2.0, 3.0];
        assert!(dominates(a.view(), array![1.0, 2.0, 2.5].view()).unwrap());
        assert!(dominates(a.view(), array![0.0, 0.0, 0.0].view()).unwrap());
        assert!(!dominates(a.view(), a.view()).unwrap());
        assert!(!dominates(a.view(), array![1.0, 2.5, 2.0].view()).unwrap());
        assert!(!dominates(array![0.0, 0.0, 0.0].view(), a.view()).unwrap());
    }

    #[test]
    fn hand_made_fronts() {
        // Two objectives: (3, 1) and (1, 3) and (2, 2) survive; (2, 1) is dominated by
        // (2, 2), the second (2, 2) is a duplicate, (0, 3) is dominated by (1, 3).
        let y = array![
            [3.0, 1.0],
            [2.0, 1.0],
            [2.0, 2.0],
            [1.0, 3.0],
            [2.0, 2.0],
            [0.0, 3.0]
        ];
        assert_eq!(non_dominated(y.view()).unwrap(), vec![0, 2, 3]);
        // Three objectives: the corners of a simplex and a point inside it survive; one
        // point below a corner does not.
        let y = array![
            [1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [0.0, 0.0, 1.0],
            [0.3, 0.3, 0.3],
            [0.9, 0.0, 0.0],
        ];
        assert_eq!(non_dominated(y.view()).unwrap(), vec![0, 1, 2, 3]);
        let (rows, front) = pareto_front(y.view()).unwrap();
        assert_eq!(rows.len(), front.nrows());
        assert_eq!(front.row(3), array![0.3, 0.3, 0.3]);
        // One objective: the first maximum.
        let y = array![[1.0], [4.0], [4.0], [2.0]];
        assert_eq!(non_dominated(y.view()).unwrap(), vec![1]);
    }

    #[test]
    fn agrees_with_the_definition_on_random_sets_with_ties() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for m in 2..=4 {
            for _ in 0..20 {
                // Values on a coarse grid: many ties and duplicates.
                let y = Array2::from_shape_fn((40, m), |_| {
                    rng.random_range(0..5) as f64
                });
                assert_eq!(
                    non_dominated(y.view()).unwrap(),
                    brute_force(&y),
                    "{y}"
                );
            }
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        let e = Array2::<f64>::zeros((0, 2));
        assert!(matches!(non_dominated(e.view()), Err(Error::Empty { .. })));
        let nan = array![[1.0, f64::NAN]];
        assert!(matches!(non_dominated(nan.view()), Err(Error::NonFinite { .. })));
        assert!(matches!(
            dominates(array![1.0].view(), array![1.0, 2.0].view()),
            Err(Error::ShapeMismatch { .. })
        ));
    }
}
