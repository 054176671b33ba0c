//! Inserting and removing axes of length one: row vectors, column vectors, and
//! back.

use ndarray::{array, Array1, ArrayD, Axis, ShapeError};

// ANCHOR: squeeze
/// Removes every axis of length one, as NumPy's `squeeze` does.
pub fn squeeze<A>(mut a: ArrayD<A>) -> ArrayD<A> {
    while let Some(k) = a.shape().iter().position(|&n| n == 1) {
        a = a.remove_axis(Axis(k)); // safe: that axis holds exactly one slice
    }
    a
}

/// (1, 1, 4) → (4,).
pub fn squeeze_example() -> Result<ArrayD<f64>, ShapeError> {
    let a = ArrayD::from_shape_vec(vec![1, 1, 4], vec![1.0, 2.0, 3.0, 4.0])?;
    Ok(squeeze(a))
}
// ANCHOR_END: squeeze

// ANCHOR: unsqueeze
/// A length-4 vector as a row (1, 4) and as a column (4, 1). ndarray has no
/// negative axes: "the last position" is `Axis(v.ndim())`.
pub fn row_and_column() -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let v: Array1<f64> = array![1.0, 2.0, 3.0, 4.0];
    let row = v.view().insert_axis(Axis(0));
    let col = v.view().insert_axis(Axis(1));
    let last = v.view().insert_axis(Axis(v.ndim()));
    (row.shape().to_vec(), col.shape().to_vec(), last.shape().to_vec())
}
// ANCHOR_END: unsqueeze

pub fn main() -> Result<(), ShapeError> {
    let s = squeeze_example()?;
    println!("squeezed {s} with shape {:?}", s.shape());
    let (row, col, last) = row_and_column();
    println!("row {row:?}, column {col:?}, at the last position {last:?}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_the_chapter() {
        let s = squeeze_example().unwrap();
        assert_eq!(s.shape(), &[4]);
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(row_and_column(), (vec![1, 4], vec![4, 1], vec![4, 1]));
    }

    #[test]
    fn squeeze_keeps_axes_longer_than_one() {
        let a = ArrayD::<f64>::zeros(vec![1, 3, 1, 2]);
        assert_eq!(squeeze(a).shape(), &[3, 2]);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
