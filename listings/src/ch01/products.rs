//! The matrix product and the element-wise (Hadamard) product are different
//! operations.

use ndarray::{arr0, array, Array0, Array2};

// ANCHOR: matmul
/// The matrix product of a 2×3 and a 3×2 matrix: inner dimensions must agree.
pub fn matmul() -> Array2<f64> {
    let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let b = array![[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]];
    a.dot(&b)
}

/// `dot` panics when the inner dimensions disagree; check them first where shapes
/// come from data.
pub fn try_dot(a: &Array2<f64>, b: &Array2<f64>) -> Option<Array2<f64>> {
    (a.ncols() == b.nrows()).then(|| a.dot(b))
}
// ANCHOR_END: matmul

// ANCHOR: hadamard
/// The element-wise product of two 2×3 matrices (shapes must match), and its sum.
pub fn hadamard() -> (Array2<f64>, f64) {
    let c = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let d = array![[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]];
    let cd = &c * &d;
    let total = cd.sum(); // a reduction over every element: a plain f64
    (cd, total)
}

/// A 0-dimensional array holds exactly one value; `into_scalar` takes it out.
pub fn zero_dimensional(total: f64) -> (Array0<f64>, f64) {
    let boxed = arr0(total);
    (boxed.clone(), boxed.into_scalar())
}
// ANCHOR_END: hadamard

pub fn main() {
    println!("A·B =\n{}", matmul());
    let (cd, total) = hadamard();
    println!("C⊙D =\n{cd}\nsum = {total}");
    let (boxed, value) = zero_dimensional(total);
    println!(
        "as a 0-d array: {boxed} with shape {:?}; as a scalar: {value:?}",
        boxed.shape()
    );
    let a = Array2::<f64>::ones((2, 3));
    println!("A·A with A 2×3: {:?}", try_dot(&a, &a).map(|p| p.dim()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_product_matches_the_chapter() {
        assert_eq!(matmul(), array![[58.0, 64.0], [139.0, 154.0]]);
    }

    #[test]
    fn hadamard_product_and_its_sum() {
        let (cd, total) = hadamard();
        assert_eq!(cd, array![[10.0, 40.0, 90.0], [160.0, 250.0, 360.0]]);
        assert_eq!(total, 910.0);
        let (boxed, value) = zero_dimensional(total);
        assert_eq!((boxed.ndim(), value), (0, 910.0));
    }

    #[test]
    fn mismatched_inner_dimensions_give_none() {
        let a = Array2::<f64>::ones((2, 3));
        assert_eq!(try_dot(&a, &a), None);
        assert_eq!(try_dot(&a, &a.t().to_owned()).map(|p| p.dim()), Some((2, 2)));
    }

    #[test]
    fn main_runs() {
        main();
    }
}
