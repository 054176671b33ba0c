//! Owned arrays and views: two handles on one buffer, with the borrow checker
//! keeping order.

use ndarray::{Array2, ArrayViewMut2, ShapeError};

// ANCHOR: views
/// A mutable view writes through to the array that owns the buffer.
pub fn write_through_view() -> Array2<f64> {
    let mut a = Array2::<f64>::ones((2, 3));
    let mut v = a.view_mut(); // borrows a's buffer mutably: no copy
    v += 10.0; // changes the elements a owns
    a // v's borrow has ended, so a can be used again: it reads 11 everywhere
}

/// Another library's buffer (here a `Vec<f64>`) seen as a 2×3 array without
/// copying: a change made through the view is a change to the vector.
pub fn view_of_a_vec() -> Result<Vec<f64>, ShapeError> {
    let mut data: Vec<f64> = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let mut m = ArrayViewMut2::from_shape((2, 3), &mut data)?;
    m += 10.0;
    Ok(data) // [11, 12, 13, 14, 15, 16]: the element type is still f64
}
// ANCHOR_END: views

pub fn main() -> Result<(), ShapeError> {
    println!("{}", write_through_view());
    println!("{:?}", view_of_a_vec()?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_handles_read_the_change() {
        assert!(write_through_view().iter().all(|&x| x == 11.0));
        assert_eq!(
            view_of_a_vec().unwrap(),
            vec![11.0, 12.0, 13.0, 14.0, 15.0, 16.0]
        );
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
