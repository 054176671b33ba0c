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
