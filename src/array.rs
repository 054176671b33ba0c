//! Array helpers that ndarray leaves out: positions of extrema and element-wise
//! selection.
//!
//! Extrema follow the course's convention (and NumPy's): on ties the **first**
//! index wins, and a flat index counts in logical row-major order whatever the
//! memory layout.

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

/// For every lane along `axis`, the index of its smallest element: the result has
/// that axis removed.
///
/// ```
/// use ndarray::array;
/// let m = array![[3.0, 8.0, 1.0], [5.0, 2.0, 9.0]];
/// assert_eq!(gradbo::array::argmin_axis(&m, 0).unwrap(), array![0, 1, 0]);
/// ```
///
/// # Errors [`Error::AxisOutOfBounds`], [`Error::Empty`] if the axis has length 0,
/// [`Error::NonFinite`] on NaN.
pub fn argmin_axis<S, D>(
    a: &ArrayBase<S, D>,
    axis: usize,
) -> Result<Array<usize, D::Smaller>>
where
    S: Data,
    S::Elem: PartialOrd,
    D: RemoveAxis,
{
    extremum_axis(a, axis, Ordering::Less, "argmin_axis")
}

/// For every lane along `axis`, the index of its largest element: the result has
/// that axis removed.
///
/// # Errors [`Error::AxisOutOfBounds`], [`Error::Empty`] if the axis has length 0,
/// [`Error::NonFinite`] on NaN.
pub fn argmax_axis<S, D>(
    a: &ArrayBase<S, D>,
    axis: usize,
) -> Result<Array<usize, D::Smaller>>
where
    S: Data,
    S::Elem: PartialOrd,
    D: RemoveAxis,
{
    extremum_axis(a, axis, Ordering::Greater, "argmax_axis")
}

/// Element-wise selection: `if_true` where `mask` holds, `if_false` elsewhere
/// (NumPy's `where`).
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
    Ok(Zip::from(mask).and(if_true).and(if_false).map_collect(|&m, t, f| {
        if m {
            t.clone()
        } else {
            f.clone()
        }
    }))
}

/// The shape two shapes broadcast to (NumPy's rule, which ndarray follows), or an
/// error.
///
/// Shapes are compared from their last axes; a missing axis counts as length 1, and
/// along each axis the lengths must agree or one of them must be 1.
///
/// ```
/// assert_eq!(gradbo::array::broadcast_shape(&[3, 1], &[4]), Ok(vec![3, 4]));
/// assert!(gradbo::array::broadcast_shape(&[2, 3], &[2]).is_err());
/// ```
///
/// # Errors [`Error::ShapeMismatch`] when some axis has two different lengths,
/// neither of them 1.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut shape = vec![0; n];
    for k in 1..=n {
        let x = if k <= a.len() { a[a.len() - k] } else { 1 };
        let y = if k <= b.len() { b[b.len() - k] } else { 1 };
        shape[n - k] = match (x, y) {
            _ if x == y => x,
            (1, _) => y,
            (_, 1) => x,
            _ => {
                return Err(Error::ShapeMismatch {
                    context: "broadcast",
                    expected: a.to_vec(),
                    found: b.to_vec(),
                })
            }
        };
    }
    Ok(shape)
}

/// The index of the first element that beats every other in direction `wanted`.
fn extremum<'a, T, I>(
    values: I,
    wanted: Ordering,
    context: &'static str,
) -> Result<usize>
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
        return Err(Error::AxisOutOfBounds { axis, ndim: a.ndim() });
    }
    if a.len_of(Axis(axis)) == 0 {
        return Err(Error::Empty { context });
    }
    let picks = a
        .lanes(Axis(axis))
        .into_iter()
        .map(|lane| extremum(lane.iter(), wanted, context))
        .collect::<Result<Vec<usize>>>()?;
    // Lanes come in row-major order of the remaining axes, as from_shape_vec
    // expects.
    Ok(Array::from_shape_vec(a.raw_dim().remove_axis(Axis(axis)), picks)
        .expect("one pick per lane"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array1, Array2, Array3, ShapeBuilder};

    #[test]
    fn ties_resolve_to_the_first_index() {
        let x = array![1.0, 3.0, 3.0, -2.0, -2.0];
        assert_eq!(argmax(&x), Ok(1));
        assert_eq!(argmin(&x), Ok(3));
    }

    #[test]
    fn flat_indices_are_row_major_whatever_the_layout() {
        let c = array![[3.0, 8.0, 1.0], [5.0, 2.0, 9.0]];
        let mut f = Array2::zeros((2, 3).f());
        f.assign(&c);
        assert_eq!((argmin(&f), argmax(&f)), (Ok(2), Ok(5)));
        // The transposed view is column-major over the same buffer: its logical
        // order differs.
        assert_eq!((argmin(&c.t()), argmax(&c.t())), (Ok(4), Ok(5)));
    }

    #[test]
    fn infinities_are_ordinary_values() {
        let x = array![0.0, f64::INFINITY, f64::NEG_INFINITY];
        assert_eq!((argmin(&x), argmax(&x)), (Ok(2), Ok(1)));
    }

    #[test]
    fn axis_extrema_on_three_dimensions() {
        let a = Array3::from_shape_fn((2, 3, 4), |(i, j, k)| {
            ((i * 7 + j * 5 + k * 3) % 11) as f64
        });
        let picks = argmax_axis(&a, 2).unwrap();
        assert_eq!(picks.shape(), &[2, 3]);
        for ((i, j), &k) in picks.indexed_iter() {
            let lane = a.slice(ndarray::s![i, j, ..]);
            assert_eq!(lane[k], lane.fold(f64::NEG_INFINITY, |m, &v| m.max(v)));
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        let empty = Array1::<f64>::zeros(0);
        assert_eq!(argmin(&empty), Err(Error::Empty { context: "argmin" }));
        assert_eq!(
            argmax(&array![1.0, f64::NAN]),
            Err(Error::NonFinite { context: "argmax" })
        );
        let m = array![[1.0, 2.0], [3.0, 4.0]];
        assert_eq!(
            argmin_axis(&m, 2),
            Err(Error::AxisOutOfBounds { axis: 2, ndim: 2 })
        );
        let no_cols = Array2::<f64>::zeros((3, 0));
        assert!(matches!(argmax_axis(&no_cols, 1), Err(Error::Empty { .. })));
        let mask = array![true, false];
        let err =
            select(&mask, &array![1.0, 2.0, 3.0], &array![0.0, 0.0]).unwrap_err();
        assert_eq!(
            err,
            Error::ShapeMismatch {
                context: "select",
                expected: vec![2],
                found: vec![3]
            }
        );
        assert!(err.to_string().contains("expected shape [2], found [3]"));
    }

    #[test]
    fn select_picks_element_by_element() {
        let mask = array![[true, false], [false, true]];
        let picked =
            select(&mask, &array![[1, 2], [3, 4]], &array![[-1, -2], [-3, -4]]);
        assert_eq!(picked, Ok(array![[1, -2], [-3, 4]]));
    }
}
