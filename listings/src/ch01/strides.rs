//! Memory layout: one flat buffer, and strides that say how far to jump along each
//! axis.

use ndarray::{Array, Array2, Array3, ArrayView2, ShapeBuilder};

// ANCHOR: strides
/// The strides, in elements, of a (2, 3, 4) array stored row-major (ndarray's
/// default, C order) and column-major (Fortran order), and of the transposed view
/// of the row-major one.
pub fn strides_of_2x3x4() -> [Vec<isize>; 3] {
    let c = Array3::<f64>::zeros((2, 3, 4));
    let f = Array3::<f64>::zeros((2, 3, 4).f());
    let t = c.t(); // a view: same buffer, axes reversed
    [c.strides().to_vec(), f.strides().to_vec(), t.strides().to_vec()]
}

/// Where element `index` lives in the buffer: the sum of index × stride over the
/// axes.
pub fn offset(index: &[usize], strides: &[isize]) -> isize {
    index.iter().zip(strides).map(|(&i, &s)| i as isize * s).sum()
}
// ANCHOR_END: strides

// ANCHOR: layout
/// A 3×4 array whose value at each position is that position's offset in its own
/// buffer.
pub fn numbered_3x4() -> Array2<f64> {
    Array::from_shape_vec((3, 4), (0..12).map(f64::from).collect())
        .expect("12 values fill 3×4")
}

/// The buffer offset of every element of a 2-D view, computed from its strides
/// alone.
pub fn offsets(view: ArrayView2<'_, f64>) -> Array2<isize> {
    let strides = view.strides().to_vec();
    Array2::from_shape_fn(view.raw_dim(), |(i, j)| offset(&[i, j], &strides))
}
// ANCHOR_END: layout

pub fn main() {
    let [c, f, t] = strides_of_2x3x4();
    println!("row-major {c:?}, column-major {f:?}, transposed view {t:?}");
    let a = numbered_3x4();
    println!("a (3×4), strides {:?}:\n{}", a.strides(), offsets(a.view()));
    println!("a.t() (4×3), strides {:?}:\n{}", a.t().strides(), offsets(a.t()));
    println!("a.t() is in standard layout: {}", a.t().is_standard_layout());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides_match_the_row_and_column_major_formulas() {
        assert_eq!(
            strides_of_2x3x4(),
            [vec![12, 4, 1], vec![1, 2, 6], vec![1, 4, 12]]
        );
    }

    #[test]
    fn the_offset_formula_finds_every_element_of_a_view() {
        let a = numbered_3x4();
        for view in [a.view(), a.t()] {
            // The values were laid down in buffer order, so each equals its own
            // offset.
            assert_eq!(offsets(view), view.mapv(|x| x as isize));
        }
        assert!(a.is_standard_layout() && !a.t().is_standard_layout());
    }

    #[test]
    fn main_runs() {
        main();
    }
}
