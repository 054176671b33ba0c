//! Choosing one point from a Pareto front.
//!
//! A front holds the trade-offs that no data can rank: which of them to take is a
//! preference, stated once the front is known. Three common rules, each on the front's
//! values **min–max normalised** per objective over the front (ỹₖ = (yₖ − minₖ)/(maxₖ −
//! minₖ), so that objectives on different scales weigh alike):
//!
//! - [`weighted_sum`]: the largest Σₖ wₖ ỹₖ;
//! - [`threshold_then_maximise`]: among the points good enough in one objective (at least a
//!   threshold, in its own units), the best in another; if none is good enough, the best in
//!   the thresholded objective;
//! - [`closest_to_ideal`]: the smallest Euclidean distance to the ideal point (1, …, 1),
//!   which is best in every objective at once.
//!
//! Ties go to the first row.

use super::reference::check_objectives;
use crate::{Error, Result};
use ndarray::{Array2, ArrayView1, ArrayView2, Axis};

/// The row a rule chose, and the number it chose it by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// The row of the front.
    pub index: usize,
    /// The weighted sum, the maximised objective's value, or the distance to the ideal
    /// point, by rule.
    pub score: f64,
    /// Whether [`threshold_then_maximise`] found no point meeting the threshold and fell
    /// back to the best in the thresholded objective (always `false` for the other rules).
    pub fallback: bool,
}

/// The front's values min–max normalised per objective over its rows: (yₖ − minₖ)/(maxₖ −
/// minₖ), in [0, 1]. An objective with a single value over the front is 1 everywhere
/// (every row is as good as the best in it).
///
/// ```
/// use gradbo::multi_objective::normalise_min_max;
/// use ndarray::array;
/// let y = array![[0.96, 235.0], [0.98, 167.0], [0.99, 143.0]];
/// let n = normalise_min_max(y.view())?;
/// assert_eq!(n.column(1).to_vec(), vec![1.0, (167.0 - 143.0) / 92.0, 0.0]);
/// # Ok::<(), gradbo::Error>(())
/// ```
///
/// # Errors
/// [`Error::Empty`] for no rows or objectives, [`Error::NonFinite`] for NaN or ±∞.
pub fn normalise_min_max(front: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
    check_objectives(front, "normalise_min_max: the front")?;
    let mut out = front.to_owned();
    for mut column in out.axis_iter_mut(Axis(1)) {
        let low = column.fold(f64::INFINITY, |a, &b| a.min(b));
        let high = column.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let range = high - low;
        if range > 0.0 && range.is_finite() {
            column.mapv_inplace(|v| ((v - low) / range).clamp(0.0, 1.0));
        } else if range > 0.0 {
            // The range overflows: scale first.
            let (l, h) = (low / 2.0, high / 2.0);
            column.mapv_inplace(|v| ((v / 2.0 - l) / (h - l)).clamp(0.0, 1.0));
        } else {
            column.fill(1.0);
        }
    }
    Ok(out)
}

/// The row with the largest weighted sum Σₖ wₖ ỹₖ of the normalised objectives
/// ([`normalise_min_max`]); the score is that sum.
///
/// # Errors
/// As for [`normalise_min_max`]; [`Error::ShapeMismatch`] unless there are m weights,
/// [`Error::NonFinite`] for a non-finite weight, [`Error::InvalidInput`] for a negative
/// weight or weights that are all zero.
pub fn weighted_sum(
    front: ArrayView2<'_, f64>,
    weights: ArrayView1<'_, f64>,
) -> Result<Choice> {
    let normalised = normalise_min_max(front)?;
    let m = front.ncols();
    if weights.len() != m {
        return Err(Error::ShapeMismatch {
            context: "weighted_sum: one weight per objective",
            expected: vec![m],
            found: vec![weights.len()],
        });
    }
    if weights.iter().any(|w| !w.is_finite()) {
        return Err(Error::NonFinite { context: "weighted_sum: the weights" });
    }
    if weights.iter().any(|&w| w < 0.0) || weights.iter().all(|&w| w == 0.0) {
        return Err(Error::InvalidInput {
            context: "weighted_sum",
            reason: format!(
                "weights must be non-negative and not all zero, got {weights}"
            ),
        });
    }
    let scores = normalised.dot(&weights);
    Ok(best_by(scores.iter().copied(), |s| s, false))
}

/// Among the rows whose objective `constrained` is at least `threshold` (in that
/// objective's own units), the one with the largest objective `maximised`; if no row meets
/// the threshold, the row with the largest objective `constrained`, with
/// [`Choice::fallback`] set. The score is the value of the objective maximised.
///
/// # Errors
/// As for [`normalise_min_max`]; [`Error::InvalidInput`] for an objective index ≥ m,
/// [`Error::NonFinite`] for a non-finite threshold.
pub fn threshold_then_maximise(
    front: ArrayView2<'_, f64>,
    constrained: usize,
    threshold: f64,
    maximised: usize,
) -> Result<Choice> {
    check_objectives(front, "threshold_then_maximise: the front")?;
    let m = front.ncols();
    if constrained >= m || maximised >= m {
        return Err(Error::InvalidInput {
            context: "threshold_then_maximise",
            reason: format!(
                "objectives {constrained} and {maximised} asked for, but there are {m}"
            ),
        });
    }
    if !threshold.is_finite() {
        return Err(Error::NonFinite {
            context: "threshold_then_maximise: the threshold",
        });
    }
    let feasible = front.column(constrained).iter().any(|&v| v >= threshold);
    if feasible {
        let values = front.rows().into_iter().map(|r| {
            if r[constrained] >= threshold {
                r[maximised]
            } else {
                f64::NEG_INFINITY
            }
        });
        Ok(best_by(values, |v| v, false))
    } else {
        Ok(best_by(front.column(constrained).iter().copied(), |v| v, true))
    }
}

/// The row whose normalised objectives ([`normalise_min_max`]) are closest, in Euclidean
/// distance, to the ideal point (1, …, 1); the score is that distance.
///
/// # Errors
/// As for [`normalise_min_max`].
pub fn closest_to_ideal(front: ArrayView2<'_, f64>) -> Result<Choice> {
    let normalised = normalise_min_max(front)?;
    let distances = normalised
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|v| (1.0 - v) * (1.0 - v)).sum::<f64>().sqrt());
    Ok(best_by(distances, |d| -d, false))
}

/// The first row with the largest `key(score)`, and its score.
fn best_by(
    scores: impl Iterator<Item = f64>,
    key: impl Fn(f64) -> f64,
    fallback: bool,
) -> Choice {
    let mut best = Choice { index: 0, score: f64::NAN, fallback };
    let mut top = f64::NEG_INFINITY;
    for (i, s) in scores.enumerate() {
        if key(s) > top || best.score.is_nan() {
            top = key(s);
            best = Choice { index: i, score: s, fallback };
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// The final qEHVI front of Part 6's battery tutorial (efficiency, capacity).
    fn battery_front() -> Array2<f64> {
        array![
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
        ]
    }

    #[test]
    fn the_three_rules_on_the_battery_front() {
        let y = battery_front();
        let w = weighted_sum(y.view(), array![0.5, 0.5].view()).unwrap();
        assert_eq!(w.index, 9);
        assert!((w.score - 0.5025).abs() < 5e-5, "{}", w.score);
        let t = threshold_then_maximise(y.view(), 0, 0.985, 1).unwrap();
        assert_eq!((t.index, t.score, t.fallback), (8, 159.247111, false));
        let c = closest_to_ideal(y.view()).unwrap();
        assert_eq!(c.index, 7);
        assert!((c.score - 0.8281).abs() < 5e-5, "{}", c.score);
        // No point reaches 0.995: the most efficient one instead.
        let f = threshold_then_maximise(y.view(), 0, 0.995, 1).unwrap();
        assert_eq!((f.index, f.score, f.fallback), (10, 0.993923, true));
    }

    #[test]
    fn hand_computed_scores() {
        let y = array![[0.0, 10.0], [1.0, 0.0], [0.5, 6.0]];
        let n = normalise_min_max(y.view()).unwrap();
        assert_eq!(n, array![[0.0, 1.0], [1.0, 0.0], [0.5, 0.6]]);
        let w = weighted_sum(y.view(), array![1.0, 1.0].view()).unwrap();
        assert_eq!((w.index, w.score), (2, 1.1));
        let c = closest_to_ideal(y.view()).unwrap();
        assert_eq!(c.index, 2);
        assert!((c.score - (0.25f64 + 0.16).sqrt()).abs() < 1e-15);
        // A constant objective counts as best everywhere.
        let flat = array![[1.0, 2.0], [1.0, 3.0]];
        assert_eq!(
            normalise_min_max(flat.view()).unwrap(),
            array![[1.0, 0.0], [1.0, 1.0]]
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let y = array![[0.0, 1.0], [1.0, 0.0]];
        assert!(matches!(
            weighted_sum(y.view(), array![1.0].view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            weighted_sum(y.view(), array![0.0, 0.0].view()),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            threshold_then_maximise(y.view(), 2, 0.5, 0),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            threshold_then_maximise(y.view(), 0, f64::NAN, 1),
            Err(Error::NonFinite { .. })
        ));
        let e = Array2::<f64>::zeros((0, 2));
        assert!(matches!(closest_to_ideal(e.view()), Err(Error::Empty { .. })));
        let nan = array![[f64::NAN, 1.0]];
        assert!(matches!(
            closest_to_ideal(nan.view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
