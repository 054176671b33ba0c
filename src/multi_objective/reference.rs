//! The checks every multi-objective function makes on its inputs: an objective matrix of
//! finite values, and a reference point of matching length that the front improves on.

use crate::{Error, Result};
use ndarray::{ArrayView1, ArrayView2};

/// Checks an objective matrix `y` (n × m): at least one row and one column, every value
/// finite.
///
/// # Errors
/// [`Error::Empty`] for no rows or no columns, [`Error::NonFinite`] for NaN or ±∞.
pub fn check_objectives(
    y: ArrayView2<'_, f64>,
    context: &'static str,
) -> Result<()> {
    if y.nrows() == 0 || y.ncols() == 0 {
        return Err(Error::Empty { context });
    }
    if y.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    Ok(())
}

/// Checks a reference point for `m` objectives: m finite values.
pub(crate) fn check_point(
    reference: ArrayView1<'_, f64>,
    m: usize,
    context: &'static str,
) -> Result<()> {
    if reference.len() != m {
        return Err(Error::ShapeMismatch {
            context,
            expected: vec![m],
            found: vec![reference.len()],
        });
    }
    if reference.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    Ok(())
}

/// Whether row `p` is strictly better than `reference` in every objective: only such points
/// add volume.
pub(crate) fn beyond(
    p: ArrayView1<'_, f64>,
    reference: ArrayView1<'_, f64>,
) -> bool {
    p.iter().zip(reference).all(|(a, r)| a > r)
}

/// Checks that `reference` is a usable reference point for the objective values `y` (n × m):
/// m finite values, and at least one row of `y` strictly better than it in every objective
/// (a reference point that no point improves on measures nothing: every hypervolume is 0).
/// Returns how many rows improve on it.
///
/// ```
/// use gradbo::multi_objective::validate_reference;
/// use ndarray::array;
/// let y = array![[1.0, 3.0], [2.0, 2.0], [3.0, 0.5]];
/// assert_eq!(validate_reference(y.view(), array![0.0, 1.0].view())?, 2);
/// assert!(validate_reference(y.view(), array![5.0, 5.0].view()).is_err());
/// # Ok::<(), gradbo::Error>(())
/// ```
///
/// # Errors
/// As for [`check_objectives`]; [`Error::ShapeMismatch`] unless the reference has m values,
/// [`Error::NonFinite`] for a non-finite reference, [`Error::InvalidInput`] if no row
/// improves on it in every objective.
pub fn validate_reference(
    y: ArrayView2<'_, f64>,
    reference: ArrayView1<'_, f64>,
) -> Result<usize> {
    check_objectives(y, "validate_reference: the objective values")?;
    check_point(reference, y.ncols(), "validate_reference: the reference point")?;
    let count =
        y.rows().into_iter().filter(|p| beyond(p.view(), reference)).count();
    if count == 0 {
        return Err(Error::InvalidInput {
            context: "validate_reference",
            reason: format!(
                "no point is better than the reference point {reference} in every \
                 objective, so every hypervolume is 0; choose a reference point worse \
                 than the points of interest"
            ),
        });
    }
    Ok(count)
}

/// The share of each objective's range by which [`infer_reference_point`] steps back
/// from the nadir: BoTorch's default, which H. Ishibuchi and co-authors found robust.
pub const REFERENCE_SCALE: f64 = 0.1;

/// The smallest range [`infer_reference_point`] steps back by, so that an objective whose
/// front values are all equal still gets a reference point strictly below them (BoTorch's
/// `MIN_Y_RANGE`).
pub const MIN_RANGE: f64 = 1e-7;

/// A reference point inferred from objective values `y` (n × m, every objective
/// maximised), as BoTorch's `infer_reference_point` does without a bound: of the
/// non-dominated rows of `y`, the nadir (each objective's worst value on the front) minus
/// `scale` times the front's range in that objective (at least [`MIN_RANGE`]). A front of
/// one point steps back by `scale` times the point's absolute value instead. Every point
/// of the front then lies strictly beyond the reference point, so each adds volume.
///
/// ```
/// use gradbo::multi_objective::infer_reference_point;
/// use ndarray::array;
/// // The front is the first three rows; its nadir is (1, 0.5), its range (2, 2.5).
/// let y = array![[1.0, 3.0], [2.0, 2.0], [3.0, 0.5], [0.5, 0.5]];
/// let r = infer_reference_point(y.view(), 0.1)?;
/// assert!((r[0] - 0.8).abs() < 1e-12 && (r[1] - 0.25).abs() < 1e-12);
/// # Ok::<(), gradbo::Error>(())
/// ```
///
/// # Errors
/// As for [`check_objectives`]; [`Error::InvalidInput`] for a `scale` that is negative or
/// not finite.
pub fn infer_reference_point(
    y: ArrayView2<'_, f64>,
    scale: f64,
) -> Result<ndarray::Array1<f64>> {
    check_objectives(y, "infer_reference_point: the objective values")?;
    if !(scale.is_finite() && scale >= 0.0) {
        return Err(Error::InvalidInput {
            context: "infer_reference_point",
            reason: format!("the scale must be a non-negative number, got {scale}"),
        });
    }
    let front = super::dominance::non_dominated(y)?;
    let m = y.ncols();
    let column = |k: usize| front.iter().map(move |&i| y[[i, k]]);
    let reference = (0..m)
        .map(|k| {
            let nadir = column(k).fold(f64::INFINITY, f64::min);
            let range = if front.len() == 1 {
                nadir.abs().max(MIN_RANGE)
            } else {
                (column(k).fold(f64::NEG_INFINITY, f64::max) - nadir).max(MIN_RANGE)
            };
            nadir - scale * range
        })
        .collect::<ndarray::Array1<f64>>();
    if reference.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            context: "infer_reference_point: the reference point overflows",
        });
    }
    Ok(reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// BoTorch 0.18.1's `infer_reference_point` on the same fronts (float64, run once in
    /// /work/venv): `[[1, 3], [2, 2], [3, 0.5]]` gives (0.8, 0.25); the single point
    /// (2, −4) gives (1.8, −4.4); (2, 5) gives (1.8, 4.5); `[[1, 5], [2, 4]]` gives
    /// (0.9, 3.9); (1, 5) gives (0.9, 4.5).
    #[test]
    fn the_reference_point_is_botorch_s() {
        let y = array![[1.0, 3.0], [2.0, 2.0], [3.0, 0.5], [0.5, 0.5], [1.0, 1.0]];
        let r = infer_reference_point(y.view(), REFERENCE_SCALE).unwrap();
        assert!((r[0] - 0.8).abs() < 1e-12 && (r[1] - 0.25).abs() < 1e-12, "{r}");
        let one =
            infer_reference_point(array![[2.0, -4.0], [1.0, -5.0]].view(), 0.1)
                .unwrap();
        assert!(
            (one[0] - 1.8).abs() < 1e-12 && (one[1] + 4.4).abs() < 1e-12,
            "{one}"
        );
        // (2, 5) dominates (1, 5): one point on the front.
        let flat =
            infer_reference_point(array![[1.0, 5.0], [2.0, 5.0]].view(), 0.1)
                .unwrap();
        assert!((flat[0] - 1.8).abs() < 1e-12 && (flat[1] - 4.5).abs() < 1e-12);
        let tie = infer_reference_point(
            array![[1.0, 5.0], [2.0, 4.0], [1.5, 4.0]].view(),
            0.1,
        );
        let tie = tie.unwrap();
        assert!(
            (tie[0] - 0.9).abs() < 1e-12 && (tie[1] - 3.9).abs() < 1e-12,
            "{tie}"
        );
        let same =
            infer_reference_point(array![[1.0, 5.0], [1.0, 5.0]].view(), 0.1)
                .unwrap();
        assert!((same[1] - 4.5).abs() < 1e-12);
        assert!(validate_reference(y.view(), r.view()).unwrap() >= 3);
    }

    #[test]
    fn bad_input_is_an_error() {
        let nan = array![[1.0, f64::NAN]];
        assert!(matches!(
            infer_reference_point(nan.view(), 0.1),
            Err(Error::NonFinite { .. })
        ));
        let empty = ndarray::Array2::<f64>::zeros((0, 2));
        assert!(matches!(
            infer_reference_point(empty.view(), 0.1),
            Err(Error::Empty { .. })
        ));
        let y = array![[1.0, 2.0]];
        for scale in [-0.1, f64::NAN, f64::INFINITY] {
            assert!(infer_reference_point(y.view(), scale).is_err());
        }
    }
}
