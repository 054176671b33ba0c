//! Reductions along axes, and the n − 1 in the sample standard deviation.

use ndarray::{array, Array1, Axis};

// ANCHOR: std
/// Sample standard deviations (ddof = 1) of A = [[1, 2, 3], [4, 5, 6]]: over all
/// entries, down each column (reducing axis 0) and along each row (reducing axis
/// 1).
pub fn sample_std() -> (f64, Array1<f64>, Array1<f64>) {
    let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let all = a.std(1.0);
    let per_column = a.std_axis(Axis(0), 1.0);
    let per_row = a.std_axis(Axis(1), 1.0);
    (all, per_column, per_row)
}
// ANCHOR_END: std

pub fn main() {
    let (all, cols, rows) = sample_std();
    println!("all {all:.4}, per column {cols:.4}, per row {rows:.4}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_deviations_match_the_chapter() {
        let (all, cols, rows) = sample_std();
        assert!((all - 3.5_f64.sqrt()).abs() < 1e-15); // 1.8708
        assert!(cols.iter().all(|c| (c - 4.5_f64.sqrt()).abs() < 1e-15)); // 2.1213
        assert_eq!(rows, array![1.0, 1.0]);
    }

    #[test]
    fn ddof_zero_divides_by_n() {
        let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
        assert!((a.std(0.0) - (35.0_f64 / 12.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn main_runs() {
        main();
    }
}
