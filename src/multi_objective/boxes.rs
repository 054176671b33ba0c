//! The objective space around a Pareto front cut into disjoint axis-aligned boxes.
//!
//! Expected hypervolume improvement integrates over the region a new point could add: the
//! part of {y ≥ r} that the current front does **not** dominate. That region is a union of
//! boxes, and the hypervolume a point y adds is then a sum over them,
//!
//! HVI(y) = Σ_boxes Πₖ (min(yₖ, uₖ) − lₖ)⁺,
//!
//! for boxes [l, u] (some upper corners +∞). BoTorch builds the same object
//! (`NondominatedPartitioning`, `FastNondominatedPartitioning`); its complement, the
//! dominated region cut into boxes (`DominatedPartitioning`), has the hypervolume as its
//! total volume.
//!
//! The cut is made by slicing, the idea of the HSO algorithm (L. While, P. Hingston,
//! L. Barone and S. Huband, "A faster algorithm for calculating hypervolume", *IEEE Trans.
//! Evol. Comput.* 10(1), 2006): along the last objective, between consecutive values of the
//! front's points, the region is a slab whose cross-section is the same (m − 1)-objective
//! problem for the points above the slab, cut recursively; with two objectives the cut is
//! the front's staircase, n + 1 boxes for the non-dominated region and n for the dominated
//! one. A box of the cross-section that is the same in adjacent slabs is one box, merged
//! across them: with three objectives a new point changes only a few boxes of the
//! staircase, so the decomposition stays close to linear in n instead of the n² slabs'
//! worth of pieces.

use super::dominance::front_of_rows;
use super::reference::{beyond, check_objectives, check_point};
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use std::collections::BTreeMap;

/// Disjoint axis-aligned boxes [lᵢ, uᵢ], one per row of `lower` and `upper` (k × m), that
/// together make up a region of the objective space above a reference point. Upper corners
/// of the region not dominated by a front are +∞ in some objectives.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxDecomposition {
    lower: Array2<f64>,
    upper: Array2<f64>,
    reference: Array1<f64>,
}

/// Which of the two regions to cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Dominated,
    NonDominated,
}

/// The boxes of the region of {y ≥ r} **not** dominated by the rows of `y` (n × m, all
/// objectives maximised; rows not strictly better than r in every objective are ignored,
/// so with none left the region is the whole orthant, one box [r, ∞)). This is what
/// expected hypervolume improvement integrates over ([`BoxDecomposition::improvement`]).
///
/// ```
/// use gradbo::multi_objective::non_dominated_boxes;
/// use ndarray::array;
/// let y = array![[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]];
/// let boxes = non_dominated_boxes(y.view(), array![0.0, 0.0].view())?;
/// assert_eq!(boxes.len(), 4);
/// // Inside [0, 4]²: 16 minus the hypervolume 6.
/// assert_eq!(boxes.volume_within(array![4.0, 4.0].view())?, 10.0);
/// // (2.5, 2.5) adds the square [2, 2.5] × [2, 2.5] and the rectangles beside it.
/// assert_eq!(boxes.improvement(array![2.5, 2.5].view())?, 0.25 + 0.5 + 0.5);
/// # Ok::<(), gradbo::Error>(())
/// ```
///
/// # Errors
/// As for [`hypervolume`](super::hypervolume()).
pub fn non_dominated_boxes(
    y: ArrayView2<'_, f64>,
    reference: ArrayView1<'_, f64>,
) -> Result<BoxDecomposition> {
    decompose(y, reference, Region::NonDominated)
}

/// The boxes of the region dominated by the rows of `y` (n × m) and dominating the
/// reference point r: their volumes sum to the hypervolume. Rows not strictly better than r
/// in every objective are ignored (with none left there are no boxes).
///
/// ```
/// use gradbo::multi_objective::{dominated_boxes, hypervolume};
/// use ndarray::array;
/// let y = array![[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]];
/// let r = array![0.0, 0.0];
/// let boxes = dominated_boxes(y.view(), r.view())?;
/// assert_eq!(boxes.len(), 3);
/// assert_eq!(boxes.volume()?, hypervolume(y.view(), r.view())?);
/// # Ok::<(), gradbo::Error>(())
/// ```
///
/// # Errors
/// As for [`hypervolume`](super::hypervolume()).
pub fn dominated_boxes(
    y: ArrayView2<'_, f64>,
    reference: ArrayView1<'_, f64>,
) -> Result<BoxDecomposition> {
    decompose(y, reference, Region::Dominated)
}

fn decompose(
    y: ArrayView2<'_, f64>,
    reference: ArrayView1<'_, f64>,
    region: Region,
) -> Result<BoxDecomposition> {
    check_objectives(y, "box decomposition: the objective values")?;
    let m = y.ncols();
    check_point(reference, m, "box decomposition: the reference point")?;
    let mut data = Vec::with_capacity(y.len());
    for p in y.rows() {
        if beyond(p.view(), reference) {
            data.extend(p.iter().copied());
        }
    }
    let rows = front_of_rows(&data, m);
    let points: Vec<&[f64]> =
        rows.iter().map(|&i| &data[i * m..(i + 1) * m]).collect();
    let r = reference.to_vec();
    let cells = cut(&points, &r, m, region);
    let k = cells.len();
    let mut lower = Array2::zeros((k, m));
    let mut upper = Array2::zeros((k, m));
    for (i, c) in cells.iter().enumerate() {
        for j in 0..m {
            lower[[i, j]] = c.lo[j];
            upper[[i, j]] = c.hi[j];
        }
    }
    Ok(BoxDecomposition { lower, upper, reference: reference.to_owned() })
}

/// A box in the first `lo.len()` objectives.
#[derive(Debug, Clone)]
struct Cell {
    lo: Vec<f64>,
    hi: Vec<f64>,
}

impl Cell {
    /// The exact identity of a box, to merge equal cross-sections of adjacent slabs.
    fn key(&self) -> Vec<u64> {
        self.lo.iter().chain(&self.hi).map(|v| v.to_bits()).collect()
    }
}

/// The boxes of `region` in the first `k` objectives, for points (full rows, each strictly
/// above r) that need not be mutually non-dominated in those objectives.
fn cut(points: &[&[f64]], r: &[f64], k: usize, region: Region) -> Vec<Cell> {
    if k == 1 {
        let top = points.iter().map(|p| p[0]).fold(f64::NEG_INFINITY, f64::max);
        return match (region, points.is_empty()) {
            (Region::Dominated, true) => Vec::new(),
            (Region::Dominated, false) => {
                vec![Cell { lo: vec![r[0]], hi: vec![top] }]
            }
            (Region::NonDominated, true) => {
                vec![Cell { lo: vec![r[0]], hi: vec![f64::INFINITY] }]
            }
            (Region::NonDominated, false) => {
                vec![Cell { lo: vec![top], hi: vec![f64::INFINITY] }]
            }
        };
    }
    if k == 2 {
        return staircase(points, r, region);
    }
    // Slabs along objective k − 1, from the top down. Above the highest point nothing is
    // dominated; in the slab just below level z the points with p[k−1] ≥ z dominate.
    let axis = k - 1;
    let mut order: Vec<&[f64]> = points.to_vec();
    order.sort_by(|a, b| b[axis].total_cmp(&a[axis]));
    let mut open: BTreeMap<Vec<u64>, (Cell, f64)> = BTreeMap::new();
    let mut done: Vec<Cell> = Vec::new();
    let mut close = |open: &mut BTreeMap<Vec<u64>, (Cell, f64)>,
                     keep: &BTreeMap<Vec<u64>, Cell>,
                     at: f64| {
        let gone: Vec<Vec<u64>> =
            open.keys().filter(|key| !keep.contains_key(*key)).cloned().collect();
        for key in gone {
            if let Some((cell, top)) = open.remove(&key) {
                if at < top {
                    let mut lo = cell.lo;
                    let mut hi = cell.hi;
                    lo.push(at);
                    hi.push(top);
                    done.push(Cell { lo, hi });
                }
            }
        }
    };
    let mut top = f64::INFINITY;
    let mut i = 0;
    loop {
        // The slab [level, top] with the points of order[..i] above it.
        let level = order.get(i).map_or(r[axis], |p| p[axis]);
        let section = cut(&order[..i], r, k - 1, region);
        let keep: BTreeMap<Vec<u64>, Cell> =
            section.into_iter().map(|c| (c.key(), c)).collect();
        close(&mut open, &keep, top);
        for (key, cell) in keep {
            open.entry(key).or_insert((cell, top));
        }
        top = level;
        if i == order.len() {
            break;
        }
        // Every point at this level joins the set above the next slab.
        while i < order.len() && order[i][axis] == level {
            i += 1;
        }
    }
    close(&mut open, &BTreeMap::new(), r[axis]);
    done
}

/// Two objectives: the staircase of the points' front in the first two objectives.
fn staircase(points: &[&[f64]], r: &[f64], region: Region) -> Vec<Cell> {
    let mut sorted: Vec<(f64, f64)> = points.iter().map(|p| (p[0], p[1])).collect();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
    // The front: first objective decreasing, second increasing.
    let mut front: Vec<(f64, f64)> = Vec::new();
    for (x, y) in sorted {
        if front.last().is_none_or(|&(_, top)| y > top) {
            front.push((x, y));
        }
    }
    let mut cells = Vec::with_capacity(front.len() + 1);
    match region {
        Region::Dominated => {
            for (i, &(x, y)) in front.iter().enumerate() {
                let left = front.get(i + 1).map_or(r[0], |p| p.0);
                cells.push(Cell { lo: vec![left, r[1]], hi: vec![x, y] });
            }
        }
        Region::NonDominated => {
            let mut floor = r[1];
            let mut right = f64::INFINITY;
            for &(x, y) in &front {
                cells.push(Cell {
                    lo: vec![x, floor],
                    hi: vec![right, f64::INFINITY],
                });
                floor = y;
                right = x;
            }
            cells.push(Cell {
                lo: vec![r[0], floor],
                hi: vec![right, f64::INFINITY],
            });
        }
    }
    cells
}

/// `value`, or [`Error::NonFinite`] if it overflowed.
fn finite(value: f64, context: &'static str) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::NonFinite { context })
    }
}

impl BoxDecomposition {
    /// The number of boxes.
    pub fn len(&self) -> usize {
        self.lower.nrows()
    }

    /// Whether there are no boxes.
    pub fn is_empty(&self) -> bool {
        self.lower.nrows() == 0
    }

    /// The number of objectives m.
    pub fn num_objectives(&self) -> usize {
        self.reference.len()
    }

    /// The lower corners, one box per row (k × m).
    pub fn lower(&self) -> ArrayView2<'_, f64> {
        self.lower.view()
    }

    /// The upper corners, one box per row (k × m; +∞ where a box is unbounded).
    pub fn upper(&self) -> ArrayView2<'_, f64> {
        self.upper.view()
    }

    /// The reference point the boxes were cut above.
    pub fn reference(&self) -> ArrayView1<'_, f64> {
        self.reference.view()
    }

    /// The total volume of the boxes.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if a box is unbounded (the region not dominated by a front
    /// is: measure it with [`BoxDecomposition::volume_within`]), [`Error::NonFinite`] if the
    /// volume overflows.
    pub fn volume(&self) -> Result<f64> {
        if self.upper.iter().any(|v| v.is_infinite()) {
            return Err(Error::InvalidInput {
                context: "BoxDecomposition::volume",
                reason:
                    "a box is unbounded; use volume_within with an upper corner"
                        .into(),
            });
        }
        finite(self.total(|u, _| u), "BoxDecomposition::volume overflows")
    }

    /// The total volume of the boxes inside the box [r, `upper`] above the reference point.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `upper` has m values, [`Error::NonFinite`] for a
    /// non-finite one or a volume that overflows.
    pub fn volume_within(&self, upper: ArrayView1<'_, f64>) -> Result<f64> {
        check_point(
            upper,
            self.num_objectives(),
            "BoxDecomposition::volume_within",
        )?;
        finite(
            self.total(|u, k| u.min(upper[k])),
            "BoxDecomposition::volume_within overflows",
        )
    }

    /// The hypervolume that the point `y` (m values) adds to the region these boxes
    /// surround, Σ_boxes Πₖ (min(yₖ, uₖ) − lₖ)⁺: for the boxes of
    /// [`non_dominated_boxes`], the hypervolume improvement of y over the front.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `y` has m values, [`Error::NonFinite`] for a
    /// non-finite one or a volume that overflows.
    pub fn improvement(&self, y: ArrayView1<'_, f64>) -> Result<f64> {
        check_point(y, self.num_objectives(), "BoxDecomposition::improvement")?;
        finite(
            self.total(|u, k| u.min(y[k])),
            "BoxDecomposition::improvement overflows",
        )
    }

    /// Σ_boxes Πₖ (top(uₖ, k) − lₖ)⁺.
    fn total(&self, top: impl Fn(f64, usize) -> f64) -> f64 {
        self.lower
            .rows()
            .into_iter()
            .zip(self.upper.rows())
            .map(|(l, u)| {
                let mut v = 1.0;
                for (k, (&a, &b)) in l.iter().zip(&u).enumerate() {
                    v *= (top(b, k) - a).max(0.0);
                }
                v
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multi_objective::hypervolume;
    use ndarray::array;
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// Whether two boxes overlap with positive volume.
    fn overlap(
        a: (ArrayView1<f64>, ArrayView1<f64>),
        b: (ArrayView1<f64>, ArrayView1<f64>),
    ) -> bool {
        (0..a.0.len()).all(|k| a.0[k].max(b.0[k]) < a.1[k].min(b.1[k]))
    }

    fn disjoint(boxes: &BoxDecomposition) -> bool {
        let n = boxes.len();
        (0..n).all(|i| {
            (i + 1..n).all(|j| {
                !overlap(
                    (boxes.lower().row(i), boxes.upper().row(i)),
                    (boxes.lower().row(j), boxes.upper().row(j)),
                )
            })
        })
    }

    #[test]
    fn two_objectives_by_hand() {
        let y = array![[1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [1.0, 1.0]];
        let r = array![0.0, 0.0];
        let nd = non_dominated_boxes(y.view(), r.view()).unwrap();
        let inf = f64::INFINITY;
        assert_eq!(
            nd.lower(),
            array![[3.0, 0.0], [2.0, 1.0], [1.0, 2.0], [0.0, 3.0]]
        );
        assert_eq!(
            nd.upper(),
            array![[inf, inf], [3.0, inf], [2.0, inf], [1.0, inf]]
        );
        let d = dominated_boxes(y.view(), r.view()).unwrap();
        assert_eq!(d.lower(), array![[2.0, 0.0], [1.0, 0.0], [0.0, 0.0]]);
        assert_eq!(d.upper(), array![[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]]);
        assert_eq!(d.volume().unwrap(), 6.0);
        assert!(nd.volume().is_err());
    }

    #[test]
    fn volumes_add_up_in_the_reference_box() {
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        for m in 2..=4 {
            for trial in 0..10 {
                let n = [1, 3, 8, 20, 40][trial % 5];
                let y = Array2::from_shape_fn((n, m), |_| {
                    if rng.random_range(0..5) == 0 {
                        rng.random_range(0..4) as f64 / 4.0
                    } else {
                        rng.random_range(-0.1..1.0)
                    }
                });
                let r = Array1::zeros(m);
                let top = Array1::from_elem(m, 1.0);
                let hv = hypervolume(y.view(), r.view()).unwrap();
                let d = dominated_boxes(y.view(), r.view()).unwrap();
                let nd = non_dominated_boxes(y.view(), r.view()).unwrap();
                assert!((d.volume().unwrap() - hv).abs() < 1e-12, "m = {m}");
                let free = nd.volume_within(top.view()).unwrap();
                assert!(
                    (free - (1.0 - hv)).abs() < 1e-12,
                    "m = {m}: {free} vs {}",
                    1.0 - hv
                );
                assert!(disjoint(&d) && disjoint(&nd), "m = {m}, n = {n}");
                // The improvement of a new point is the growth of the hypervolume.
                let p = Array1::from_shape_fn(m, |_| rng.random_range(0.0..1.2));
                let mut more = y.clone();
                more.push_row(p.view()).unwrap();
                let grown = hypervolume(more.view(), r.view()).unwrap() - hv;
                let hvi = nd.improvement(p.view()).unwrap();
                assert!((hvi - grown).abs() < 1e-12, "m = {m}: {hvi} vs {grown}");
            }
        }
    }

    #[test]
    fn three_objectives_stay_close_to_linear() {
        // A front of 200 points on the sphere: merging equal cross-sections keeps the count
        // of boxes to a small multiple of n (the unmerged slabs would hold ~n²/2 pieces).
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let y = Array2::from_shape_fn((200, 3), |_| rng.random_range(0.05..1.0f64));
        let y = Array2::from_shape_fn((200, 3), |(i, k)| {
            y[[i, k]] / y.row(i).dot(&y.row(i)).sqrt()
        });
        let nd = non_dominated_boxes(y.view(), Array1::zeros(3).view()).unwrap();
        assert!(nd.len() < 6 * 200, "{}", nd.len());
        assert!(disjoint(&nd));
    }

    #[test]
    fn no_point_beyond_the_reference_leaves_the_whole_orthant() {
        let y = array![[-1.0, 2.0]];
        let nd = non_dominated_boxes(y.view(), array![0.0, 0.0].view()).unwrap();
        assert_eq!(nd.len(), 1);
        assert_eq!(nd.lower(), array![[0.0, 0.0]]);
        assert!(dominated_boxes(y.view(), array![0.0, 0.0].view())
            .unwrap()
            .is_empty());
    }
}
