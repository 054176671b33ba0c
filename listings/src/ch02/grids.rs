//! Evenly spaced grids, identity matrices and concatenation.

use ndarray::{concatenate, Array1, Array2, Axis, ShapeError};

// ANCHOR: grids
/// `linspace(0, 1, 5)`: five points from 0 to 1, both ends included.
pub fn grid() -> Array1<f64> {
    Array1::linspace(0.0, 1.0, 5)
}

/// The 4×4 identity matrix.
pub fn identity() -> Array2<f64> {
    Array2::eye(4)
}
// ANCHOR_END: grids

// ANCHOR: concatenate
/// A 4×4 block of ones and one of zeros, joined along axis 0 (stacked) and axis 1
/// (side by side). `concatenate` returns a `Result`: the other axes' lengths must
/// agree.
pub fn joined() -> Result<(Array2<f64>, Array2<f64>), ShapeError> {
    let ones = Array2::<f64>::ones((4, 4));
    let zeros = Array2::<f64>::zeros((4, 4));
    // (8, 4), ones on top; then (4, 8), ones on the left
    let tall = concatenate(Axis(0), &[ones.view(), zeros.view()])?;
    let wide = concatenate(Axis(1), &[ones.view(), zeros.view()])?;
    Ok((tall, wide))
}
// ANCHOR_END: concatenate

pub fn main() -> Result<(), ShapeError> {
    println!("linspace(0, 1, 5) = {}", grid());
    println!("eye(4) =\n{}", identity());
    let (tall, wide) = joined()?;
    println!("tall {:?}:\n{tall}\nwide {:?}:\n{wide}", tall.dim(), wide.dim());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, s};

    #[test]
    fn grid_and_identity_match_the_chapter() {
        assert_eq!(grid(), array![0.0, 0.25, 0.5, 0.75, 1.0]);
        let eye = identity();
        assert_eq!(eye.diag().sum(), 4.0);
        assert_eq!(eye.sum(), 4.0);
    }

    #[test]
    fn concatenation_shapes_and_placement() {
        let (tall, wide) = joined().unwrap();
        assert_eq!((tall.dim(), wide.dim()), ((8, 4), (4, 8)));
        assert!(tall.slice(s![..4, ..]).iter().all(|&x| x == 1.0));
        assert!(wide.slice(s![.., 4..]).iter().all(|&x| x == 0.0));
    }

    #[test]
    fn mismatched_blocks_are_an_error() {
        let a = Array2::<f64>::ones((4, 4));
        let b = Array2::<f64>::ones((3, 3));
        assert!(concatenate(Axis(0), &[a.view(), b.view()]).is_err());
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
