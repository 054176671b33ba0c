//! Array helpers that ndarray leaves out: positions of extrema and element-wise selection.
//!
//! Extrema follow the course's convention (and NumPy's): on ties the **first** index wins, and a
//! flat index counts in logical row-major order whatever the memory layout.

use crate::{Error, Result};
use ndarray::{Array, ArrayBase, Axis, Data, Dimension, RemoveAxis, Zip};
use std::cmp::Ordering;

/// The flat (row-major) index of the smallest element; the first one on ties.
///
/// ```
/// use ndarray::array;
/// let m = array![[3.0, 8.0, 1.0], [5.0, 2.0, 9.0]];
/// assert_eq!(gradbo::array::argmin(&m), Ok(2));
/// ```
///
/// # Errors
/// [`Error::Empty`] for an empty array, [`Error::NonFinite`] if an element is NaN.
pub fn argmin<S, D>(a: &ArrayBase<S, D>) -> Result<usize>
where
    S: Data,
    S::Elem: PartialOrd,
    D: Dimension,
{
    extremum(a.iter(), Ordering::Less, "argmin")
}

/// The flat (row-major) index of the largest element; the first one on ties.
///
/// # Errors
/// [`Error::Empty`] for an empty array, [`Error::NonFinite`] if an element is NaN.
pub fn argmax<S, D>(a: &ArrayBase<S, D>) -> Result<usize>
where
    S: Data,
    S::Elem: PartialOrd,
    D: Dimension,
{
    extremum(a.iter(), Ordering::Greater, "argmax")
}

/// For every lane along `axis`, the index of its smallest element: the result has that axis removed.
///
/// ```
/// use ndarray::array;
/// let m = array![[3.0, 8.0, 1.0], [5.0, 2.0, 9.0]];
/// assert_eq!(gradbo::array::argmin_axis(&m, 0).unwrap(), array![0, 1, 0]);
/// ```
///
/// # Errors
/// [`Error::AxisOutOfBounds`], [`Error::Empty`] if the axis has length 0, [`Error::NonFinite`] on NaN.
pub fn argmin_axis<S, D>(a: &ArrayBase<S, D>, axis: usize) -> Result<Array<usize, D::Smaller>>
where
    S: Data,
    S::Elem: PartialOrd,
    D: RemoveAxis,
{
    extremum_axis(a, axis, Ordering::Less, "argmin_axis")
}

/// For every lane along `axis`, the index of its largest element: the result has that axis removed.
///
/// # Errors
/// [`Error::AxisOutOfBounds`], [`Error::Empty`] if the axis has length 0, [`Error::NonFinite`] on NaN.
pub fn argmax_axis<S, D>(a: &ArrayBase<S, D>, axis: usize) -> Result<Array<usize, D::Smaller>>
where
    S: Data,
    S::Elem: PartialOrd,
    D: RemoveAxis,
{
    extremum_axis(a, axis, Ordering::Greater, "argmax_axis")
}

/// Element-wise selection: `if_true` where `mask` holds, `if_false` elsewhere (NumPy's `where`).
///
/// ```
/// use ndarray::array;
/// let x = array![-2.0, -1.0, 0.0, 1.0, 2.0];
/// let kept = gradbo::array::select(&x.mapv(|v| v > 0.0), &x, &x.mapv(|_| 0.0)).unwrap();
/// assert_eq!(kept, array![0.0, 0.0, 0.0, 1.0, 2.0]);
/// ```
///
/// # Errors
/// [`Error::ShapeMismatch`] unless all three shapes agree.
pub fn select<T, D, Sm, St, Sf>(
    mask: &ArrayBase<Sm, D>,
    if_true: &ArrayBase<St, D>,
    if_false: &ArrayBase<Sf, D>,
) -> Result<Array<T, D>>
where
    T: Clone,
    D: Dimension,
    Sm: Data<Elem = bool>,
    St: Data<Elem = T>,
    Sf: Data<Elem = T>,
{
    for other in [if_true.shape(), if_false.shape()] {
        if other != mask.shape() {
            return Err(Error::ShapeMismatch {
                context: "select",
                expected: mask.shape().to_vec(),
                found: other.to_vec(),
            });
        }
    }
    Ok(Zip::from(mask)
        .and(if_true)
        .and(if_false)
        .map_collect(|&m, t, f| if m { t.clone() } else { f.clone() }))
}

/// The index of the first element that beats every other in direction `wanted`.
fn extremum<'a, T, I>(values: I, wanted: Ordering, context: &'static str) -> Result<usize>
where
    T: PartialOrd + 'a,
    I: IntoIterator<Item = &'a T>,
{
    let mut best: Option<(usize, &T)> = None;
    for (i, x) in values.into_iter().enumerate() {
        // Only NaN is incomparable with itself.
        if x.partial_cmp(x).is_none() {
            return Err(Error::NonFinite { context });
        }
        match best {
            Some((_, b)) if x.partial_cmp(b) != Some(wanted) => {}
            _ => best = Some((i, x)),
        }
    }
    best.map(|(i, _)| i).ok_or(Error::Empty { context })
}

fn extremum_axis<S, D>(
    a: &ArrayBase<S, D>,
    axis: usize,
    wanted: Ordering,
    context: &'static str,
) -> Result<Array<usize, D::Smaller>>
where
    S: Data,
    S::Elem: PartialOrd,
    D: RemoveAxis,
{
    if axis >= a.ndim() {
        return Err(Error::AxisOutOfBounds {
            axis,
            ndim: a.ndim(),
        });
    }
    if a.len_of(Axis(axis)) == 0 {
        return Err(Error::Empty { context });
    }
    let picks = a
        .lanes(Axis(axis))
        .into_iter()
        .map(|lane| extremum(lane.iter(), wanted, context))
        .collect::<Result<Vec<usize>>>()?;
    // Lanes come in row-major order of the remaining axes, as from_shape_vec expects.
    Ok(
        Array::from_shape_vec(a.raw_dim().remove_axis(Axis(axis)), picks)
            .expect("one pick per lane"),
    )
}
