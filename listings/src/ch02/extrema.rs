//! Where the extremes are (argmin and argmax), and element-wise selection.

use gradbo::array::{argmax, argmax_axis, argmin, argmin_axis, select};
use ndarray::{array, Array1};

// ANCHOR: extrema
/// Positions of the smallest and largest entries: of a vector; of a matrix
/// flattened in row-major order; and per column (axis 0) and per row (axis 1). Ties
/// go to the first index.
pub fn extrema() -> gradbo::Result<String> {
    let x = array![2.5, -1.0, 3.2, 0.7, -4.1];
    let m = array![[3.0, 8.0, 1.0], [5.0, 2.0, 9.0]];
    Ok(format!(
        "x: argmin {}, argmax {}\nM flattened: argmin {}, argmax {}\n\
         M axis 0: argmin {}, argmax {}\nM axis 1: argmin {}, argmax {}",
        argmin(&x)?,
        argmax(&x)?,
        argmin(&m)?,
        argmax(&m)?,
        argmin_axis(&m, 0)?,
        argmax_axis(&m, 0)?,
        argmin_axis(&m, 1)?,
        argmax_axis(&m, 1)?,
    ))
}
// ANCHOR_END: extrema

// ANCHOR: select
/// Keep the positive entries and put 0 elsewhere: a closure when one array is
/// involved, and `select(mask, if_true, if_false)` (NumPy's `where`) when the
/// choice is between two arrays.
pub fn keep_positive() -> gradbo::Result<(Array1<f64>, Array1<f64>)> {
    let x = array![-2.0, -1.0, 0.0, 1.0, 2.0];
    let by_closure = x.mapv(|v| if v > 0.0 { v } else { 0.0 });
    let by_select = select(&x.mapv(|v| v > 0.0), &x, &Array1::zeros(x.len()))?;
    Ok((by_closure, by_select))
}
// ANCHOR_END: select

pub fn main() -> gradbo::Result<()> {
    println!("{}", extrema()?);
    let (a, b) = keep_positive()?;
    println!("kept: {a} and {b}");
    println!("argmin of an empty vector: {:?}", argmin(&Array1::<f64>::zeros(0)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extrema_match_the_chapter() {
        let m = array![[3.0, 8.0, 1.0], [5.0, 2.0, 9.0]];
        let x = array![2.5, -1.0, 3.2, 0.7, -4.1];
        assert_eq!((argmin(&x), argmax(&x)), (Ok(4), Ok(2)));
        assert_eq!((argmin(&m), argmax(&m)), (Ok(2), Ok(5)));
        assert_eq!(argmin_axis(&m, 0).unwrap(), array![0, 1, 0]);
        assert_eq!(argmax_axis(&m, 0).unwrap(), array![1, 0, 1]);
        assert_eq!(argmin_axis(&m, 1).unwrap(), array![2, 1]);
        assert_eq!(argmax_axis(&m, 1).unwrap(), array![1, 2]);
    }

    #[test]
    fn selection_matches_the_chapter() {
        let (a, b) = keep_positive().unwrap();
        assert_eq!(a, array![0.0, 0.0, 0.0, 1.0, 2.0]);
        assert_eq!(a, b);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
