//! Creating arrays: from literals, from buffers, "like" another array, and with
//! seeded random fills.

use ndarray::{array, Array, Array2, ShapeError};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

// ANCHOR: literal
/// From a nested literal. The element type is inferred: integer literals give
/// `i32`.
pub fn from_literal() -> Array2<i32> {
    array![[1, 2], [3, 4]]
}

/// From a flat buffer and a shape, which is how data arrive from files and other
/// libraries. The element type travels with the buffer: `f64` in, `f64` out.
pub fn from_buffer() -> Result<Array2<f64>, ShapeError> {
    let data: Vec<f64> = vec![1.0, 2.0, 3.0, 4.0];
    Array2::from_shape_vec((2, 2), data)
}
// ANCHOR_END: literal

// ANCHOR: like
/// Ones, zeros and uniform random numbers with the shape of `a`. `raw_dim` carries
/// the shape with its number of dimensions in the type, so the results are `Array2`
/// too.
pub fn like(a: &Array2<f64>, seed: u64) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let ones = Array::ones(a.raw_dim());
    let zeros = Array::zeros(a.raw_dim());
    let uniform = Array::from_shape_fn(a.raw_dim(), |_| rng.random::<f64>());
    (ones, zeros, uniform)
}
// ANCHOR_END: like

// ANCHOR: main
pub fn main() -> Result<(), ShapeError> {
    println!("literal (i32):\n{}", from_literal());
    println!("from a buffer (f64):\n{}", from_buffer()?);
    let (ones, zeros, uniform) = like(&Array2::zeros((2, 3)), 42);
    println!(
        "ones:\n{ones}\nzeros:\n{zeros}\nuniform on [0, 1), seed 42:\n{uniform:.4}"
    );
    Ok(())
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_buffer_hold_the_same_values() {
        let lit = from_literal();
        let buf = from_buffer().unwrap();
        assert_eq!(lit.mapv(f64::from), buf);
    }

    #[test]
    fn like_keeps_the_shape_and_the_seed_fixes_the_draw() {
        let a = Array2::zeros((2, 3));
        let (ones, zeros, u1) = like(&a, 42);
        let (_, _, u2) = like(&a, 42);
        assert_eq!(ones.shape(), &[2, 3]);
        assert!(ones.iter().all(|&x| x == 1.0) && zeros.iter().all(|&x| x == 0.0));
        assert_eq!(u1, u2);
        assert!(u1.iter().all(|&x| (0.0..1.0).contains(&x)));
    }

    #[test]
    fn a_wrong_shape_is_an_error_not_a_panic() {
        assert!(Array2::<f64>::from_shape_vec((2, 3), vec![1.0; 4]).is_err());
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
