//! The hypervolume of a set of points with respect to a reference point, exactly.
//!
//! With all objectives maximised, a point p dominates the box [r, p] between the reference
//! point r and itself; the **hypervolume** of a set is the volume of the union of these
//! boxes, the region dominated by the set and dominating r. It grows whenever a new point
//! dominates a part of the objective space that no earlier point did, and only then, which
//! makes it the usual measure of a Pareto front's progress. Points not strictly better than
//! r in every objective add nothing and are ignored.
//!
//! Three exact algorithms, by the number of objectives m (all on the points shifted so that
//! r is the origin):
//!
//! - **m = 2: one sweep.** Sorted by the first objective in decreasing order, the dominated
//!   region between consecutive first coordinates is a rectangle as high as the largest
//!   second objective seen so far: A = Σᵢ (y₁,ᵢ − y₁,ᵢ₊₁)·maxⱼ≤ᵢ y₂,ⱼ with y₁,ₙ₊₁ = r₁.
//!   For a front this is Σᵢ (y₁,ᵢ − y₁,ᵢ₊₁)(y₂,ᵢ − r₂). O(n log n).
//! - **m = 3: the dimension sweep** of C. M. Fonseca, L. Paquete and M. López-Ibáñez, "An
//!   improved dimension-sweep algorithm for the hypervolume indicator", *IEEE Congress on
//!   Evolutionary Computation* (2006), pp. 1157–1163 (the O(n log n) three-objective case,
//!   also N. Beume et al., *IEEE Trans. Evol. Comput.* 13(5), 2009). The points are swept
//!   in decreasing third objective; the dominated area A of the two-objective projection of
//!   the points seen so far is kept up to date in an ordered map of its staircase, and the
//!   volume grows by A times each step in the third objective. Each point enters and leaves
//!   the staircase once.
//! - **m ≥ 4: WFG**, L. While, L. Bradstreet and L. Barone, "A fast way of calculating
//!   exact hypervolumes", *IEEE Trans. Evol. Comput.* 16(1), 2012: the hypervolume is the
//!   sum of each point's exclusive contribution, its box minus the hypervolume of the later
//!   points limited to that box (their non-dominated part), recursively down to three
//!   objectives.

use super::dominance::front_of_rows;
use super::reference::{beyond, check_objectives, check_point};
use crate::{Error, Result};
use ndarray::{ArrayView1, ArrayView2};
use std::collections::BTreeMap;

/// The hypervolume of the rows of `y` (n × m, every objective maximised) with respect to
/// `reference` (m values): the volume of the region dominated by some row and dominating
/// the reference point. Rows that are not strictly better than the reference in every
/// objective are ignored; if none is, the hypervolume is 0. Exact, by the algorithm for m
/// described in the module's documentation.
///
/// ```
/// use gradbo::multi_objective::hypervolume;
/// use ndarray::array;
/// // Sorted by the first objective: (3 − 2)·1 + (2 − 1)·2 + (1 − 0)·3 = 6.
/// let y = array![[1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [0.5, 0.5]];
/// assert_eq!(hypervolume(y.view(), array![0.0, 0.0].view())?, 6.0);
/// # Ok::<(), gradbo::Error>(())
/// ```
///
/// # Errors
/// [`Error::Empty`] for no rows or no objectives, [`Error::NonFinite`] for NaN or ±∞
/// anywhere or a volume that overflows, [`Error::ShapeMismatch`] unless the reference has m
/// values.
pub fn hypervolume(
    y: ArrayView2<'_, f64>,
    reference: ArrayView1<'_, f64>,
) -> Result<f64> {
    check_objectives(y, "hypervolume: the objective values")?;
    let m = y.ncols();
    check_point(reference, m, "hypervolume: the reference point")?;
    let mut shifted = Vec::with_capacity(y.len());
    for p in y.rows() {
        if beyond(p.view(), reference) {
            shifted.extend(p.iter().zip(&reference).map(|(a, r)| a - r));
        }
    }
    let value = volume(shifted, m);
    if !value.is_finite() {
        return Err(Error::NonFinite {
            context: "hypervolume: the volume overflows; rescale the objectives",
        });
    }
    Ok(value)
}

/// The hypervolume of the row-major points `data` (rows of m values, all positive) with
/// respect to the origin.
pub(crate) fn volume(data: Vec<f64>, m: usize) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    match m {
        1 => data.iter().copied().fold(0.0, f64::max),
        2 => sweep_2d(data),
        3 => sweep_3d(data),
        _ => {
            let rows = front_of_rows(&data, m);
            let front: Vec<f64> = rows
                .iter()
                .flat_map(|&i| data[i * m..(i + 1) * m].iter().copied())
                .collect();
            wfg(front, m)
        }
    }
}

/// m = 2: sorted by the first objective decreasing, Σ (x_i − x_{i+1}) · max_{j ≤ i} y_j.
fn sweep_2d(data: Vec<f64>) -> f64 {
    let mut points: Vec<(f64, f64)> =
        data.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    points.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
    let mut area = 0.0;
    let mut height = 0.0f64;
    for (i, &(x, y)) in points.iter().enumerate() {
        height = height.max(y);
        let next = points.get(i + 1).map_or(0.0, |p| p.0);
        area += (x - next) * height;
    }
    area
}

/// The key of a positive abscissa in the staircase map: for positive finite numbers the
/// bit patterns order as the numbers do.
fn key(x: f64) -> u64 {
    x.to_bits()
}

/// m = 3: the dimension sweep in decreasing third objective over an ordered staircase of
/// the first two (first objective increasing, second decreasing).
fn sweep_3d(data: Vec<f64>) -> f64 {
    let mut points: Vec<[f64; 3]> =
        data.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    points.sort_by(|a, b| b[2].total_cmp(&a[2]));
    let mut stairs: BTreeMap<u64, (f64, f64)> = BTreeMap::new();
    let mut area = 0.0;
    let mut volume = 0.0;
    let mut level = points[0][2];
    let mut dominated: Vec<u64> = Vec::new();
    for p in &points {
        volume += area * (level - p[2]);
        level = p[2];
        let (x, y) = (p[0], p[1]);
        // The first step at or right of x: if it is at least as high, p adds no area.
        let right = stairs.range(key(x)..).next().map(|(_, &s)| s);
        if let Some((_, sy)) = right {
            if sy >= y {
                continue;
            }
        }
        // Steps at or left of x no higher than p are covered by p; the first higher one
        // (or the axis) bounds the new area on the left.
        dominated.clear();
        let mut left = 0.0;
        for (&k, &(sx, sy)) in stairs.range(..=key(x)).rev() {
            if sy > y {
                left = sx;
                break;
            }
            dominated.push(k);
        }
        // Old height right of the covered steps: the first step strictly right of x.
        let beyond_x = stairs.range(key(x) + 1..).next().map_or(0.0, |(_, s)| s.1);
        let mut from = left;
        for &k in dominated.iter().rev() {
            let (sx, sy) = stairs[&k];
            area += (sx - from) * (y - sy);
            from = sx;
        }
        area += (x - from) * (y - beyond_x);
        for k in &dominated {
            stairs.remove(k);
        }
        stairs.insert(key(x), (x, y));
    }
    volume + area * level
}

/// m ≥ 4: WFG on a non-dominated set, sorted by the last objective decreasing so that the
/// limited sets are small.
fn wfg(mut data: Vec<f64>, m: usize) -> f64 {
    let n = data.len() / m;
    if n == 0 {
        return 0.0;
    }
    if m <= 3 {
        return volume(data, m);
    }
    if n == 1 {
        return data.iter().product();
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| data[j * m + m - 1].total_cmp(&data[i * m + m - 1]));
    data = order.iter().flat_map(|&i| data[i * m..(i + 1) * m].to_vec()).collect();
    let mut total = 0.0;
    let mut limited = Vec::new();
    for i in 0..n {
        let p = &data[i * m..(i + 1) * m];
        let inclusive: f64 = p.iter().product();
        limited.clear();
        for q in data[(i + 1) * m..].chunks_exact(m) {
            limited.extend(q.iter().zip(p).map(|(a, b)| a.min(*b)));
        }
        let rows = front_of_rows(&limited, m);
        let front: Vec<f64> = rows
            .iter()
            .flat_map(|&j| limited[j * m..(j + 1) * m].iter().copied())
            .collect();
        total += inclusive - wfg(front, m);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array1, Array2};
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// Inclusion–exclusion over every non-empty subset S: Σ (−1)^{|S|+1} Πₖ (minᵢ∈S yᵢₖ − rₖ)⁺.
    fn inclusion_exclusion(y: &Array2<f64>, r: &Array1<f64>) -> f64 {
        let (n, m) = y.dim();
        let mut total = 0.0;
        for mask in 1u32..(1 << n) {
            let mut vol = 1.0;
            for k in 0..m {
                let low = (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| y[[i, k]])
                    .fold(f64::INFINITY, f64::min);
                vol *= (low - r[k]).max(0.0);
            }
            let sign = if mask.count_ones() % 2 == 1 { 1.0 } else { -1.0 };
            total += sign * vol;
        }
        total
    }

    #[test]
    fn hand_computed_fronts() {
        let r = array![0.0, 0.0];
        let y = array![[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]];
        assert_eq!(hypervolume(y.view(), r.view()).unwrap(), 6.0);
        // Three objectives: boxes of volume 2 and 2 overlapping in the unit cube: 3.
        let y = array![[2.0, 1.0, 1.0], [1.0, 2.0, 1.0]];
        assert_eq!(
            hypervolume(y.view(), array![0.0, 0.0, 0.0].view()).unwrap(),
            3.0
        );
        // A third box (1, 1, 2) adds 1 more; a dominated point and a duplicate add nothing.
        let y = array![
            [2.0, 1.0, 1.0],
            [1.0, 2.0, 1.0],
            [1.0, 1.0, 2.0],
            [0.5, 0.5, 0.5],
            [1.0, 2.0, 1.0]
        ];
        assert_eq!(
            hypervolume(y.view(), array![0.0, 0.0, 0.0].view()).unwrap(),
            4.0
        );
        // Four objectives: the four unit "arms" around the unit hypercube, volume 1 + 4·1.
        let mut y = Array2::ones((4, 4));
        for k in 0..4 {
            y[[k, k]] = 2.0;
        }
        assert_eq!(hypervolume(y.view(), Array1::zeros(4).view()).unwrap(), 5.0);
        // One objective: the best value above the reference.
        let y = array![[1.0], [3.0]];
        assert_eq!(hypervolume(y.view(), array![0.5].view()).unwrap(), 2.5);
    }

    #[test]
    fn points_not_beyond_the_reference_are_ignored() {
        let y = array![[1.0, 3.0], [2.0, 2.0], [5.0, 0.0], [-1.0, 9.0]];
        let r = array![0.0, 0.0];
        assert_eq!(hypervolume(y.view(), r.view()).unwrap(), 1.0 * 2.0 + 1.0 * 3.0);
        let far = array![10.0, 10.0];
        assert_eq!(hypervolume(y.view(), far.view()).unwrap(), 0.0);
    }

    #[test]
    fn the_battery_front_of_the_course() {
        // The 11 points of the final qEHVI front of Part 6's battery tutorial, with its
        // reference point: 11.572739 to the printed digits.
        let y = array![
            [0.958849, 235.0],
            [0.961653, 223.585254],
            [0.963920, 219.676258],
            [0.965179, 204.289622],
            [0.967578, 192.720555],
            [0.973070, 179.446760],
            [0.976662, 173.290077],
            [0.980614, 167.088500],
            [0.986752, 159.247111],
            [0.991785, 148.809869],
            [0.993923, 142.731911]
        ];
        let hv = hypervolume(y.view(), array![0.88, 115.0].view()).unwrap();
        assert!((hv - 11.572739).abs() < 5e-7, "{hv}");
        // BoTorch 0.18.1's `Hypervolume` in float64 (`python benches/python/pareto.py
        // reference`): 11.572739352861998.
        assert!((hv - 11.572739352861998).abs() < 1e-12 * hv, "{hv}");
    }

    #[test]
    fn agrees_with_inclusion_exclusion_on_random_sets() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for m in 2..=5 {
            for trial in 0..15 {
                let n = 1 + trial % 10;
                let y = Array2::from_shape_fn((n, m), |_| {
                    // Some coarse values for ties, some below the reference.
                    if rng.random_range(0..4) == 0 {
                        rng.random_range(-1..4) as f64 / 2.0
                    } else {
                        rng.random_range(-0.2..1.5)
                    }
                });
                let r = Array1::from_shape_fn(m, |_| rng.random_range(-0.1..0.1));
                let exact = inclusion_exclusion(&y, &r);
                let hv = hypervolume(y.view(), r.view()).unwrap();
                assert!(
                    (hv - exact).abs() <= 1e-12 * exact.abs().max(1.0),
                    "m = {m}: {hv} vs {exact}\n{y}"
                );
            }
        }
    }

    #[test]
    fn agrees_with_monte_carlo_on_larger_fronts() {
        // Points on the sphere ‖y‖ = 1 (a non-dominated front), 200 of them; the fraction
        // of 200 000 uniform points of the unit cube that some front point dominates.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for m in [2, 3, 4] {
            let n = if m == 4 { 60 } else { 200 };
            let y =
                Array2::from_shape_fn((n, m), |_| rng.random_range(0.05..1.0f64));
            let y = Array2::from_shape_fn((n, m), |(i, k)| {
                let norm = y.row(i).dot(&y.row(i)).sqrt();
                y[[i, k]] / norm
            });
            let hv = hypervolume(y.view(), Array1::zeros(m).view()).unwrap();
            let draws = 200_000;
            let mut hits = 0usize;
            let mut u = vec![0.0; m];
            for _ in 0..draws {
                u.iter_mut().for_each(|v| *v = rng.random_range(0.0..1.0));
                if y.rows()
                    .into_iter()
                    .any(|p| p.iter().zip(&u).all(|(a, b)| a >= b))
                {
                    hits += 1;
                }
            }
            let p = hits as f64 / draws as f64;
            let se = (p * (1.0 - p) / draws as f64).sqrt();
            assert!((hv - p).abs() < 4.0 * se, "m = {m}: {hv} vs {p} ± {se}");
        }
    }

    #[test]
    fn three_objectives_agree_with_the_general_algorithm() {
        // The sweep (m = 3) against WFG's recursion applied to the same set lifted to m = 4
        // with a constant fourth objective 1.
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let y = Array2::from_shape_fn((120, 3), |_| rng.random_range(0.0..1.0f64));
        let hv3 = hypervolume(y.view(), Array1::zeros(3).view()).unwrap();
        let lifted =
            Array2::from_shape_fn(
                (120, 4),
                |(i, k)| if k < 3 { y[[i, k]] } else { 1.0 },
            );
        let hv4 = hypervolume(lifted.view(), Array1::zeros(4).view()).unwrap();
        assert!((hv3 - hv4).abs() < 1e-12 * hv3, "{hv3} vs {hv4}");
    }

    #[test]
    fn bad_input_is_an_error() {
        let r = array![0.0, 0.0];
        let e = Array2::<f64>::zeros((0, 2));
        assert!(matches!(
            hypervolume(e.view(), r.view()),
            Err(Error::Empty { .. })
        ));
        let nan = array![[1.0, f64::NAN]];
        assert!(matches!(
            hypervolume(nan.view(), r.view()),
            Err(Error::NonFinite { .. })
        ));
        let y = array![[1.0, 2.0]];
        assert!(matches!(
            hypervolume(y.view(), array![0.0].view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            hypervolume(y.view(), array![0.0, f64::INFINITY].view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
