//! Slicing: rows, columns and single entries are views into the same buffer.

use ndarray::{s, Array2};

// ANCHOR: slicing
/// Reads a row, two columns and one entry of a 4×4 array of ones, then zeroes its
/// second column through a mutable view. Returns what the shared views saw (with the
/// strides of the row and the column) and the array after the write.
pub fn slice_and_zero() -> (String, Array2<f64>) {
    let mut a = Array2::<f64>::ones((4, 4));
    let first_row = a.row(0); // shape (4,), stride 1: contiguous
    let first_col = a.column(0); // shape (4,), stride 4: every fourth element
    let last_col = a.slice(s![.., -1]); // negative indices count from the end
    let entry: f64 = a[[0, 0]];
    let seen = format!(
        "row {first_row}, column {first_col}, last column {last_col}, entry {entry}\n\
         strides: row {:?}, column {:?}",
        first_row.strides(),
        first_col.strides()
    );
    a.column_mut(1).fill(0.0); // the views above have ended: now we may write
    (seen, a)
}
// ANCHOR_END: slicing

pub fn main() {
    let (seen, a) = slice_and_zero();
    println!("{seen}\nafter zeroing the second column:\n{a}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_second_column_is_zero() {
        let (_, a) = slice_and_zero();
        for ((_, j), &x) in a.indexed_iter() {
            assert_eq!(x, if j == 1 { 0.0 } else { 1.0 });
        }
    }

    #[test]
    fn a_row_is_contiguous_and_a_column_jumps_a_row() {
        let (seen, _) = slice_and_zero();
        assert!(seen.ends_with("strides: row [1], column [4]"), "{seen}");
    }

    #[test]
    fn main_runs() {
        main();
    }
}
