//! Broadcasting: arithmetic between arrays of different shapes, by stretching axes
//! of length one.

use ndarray::{array, Array2, ArrayView2};

// ANCHOR: rule
/// The broadcast shape of two shapes, or `None` if they are incompatible. Align the
/// shapes at their last axes (padding the shorter with ones on the left); along
/// each axis the lengths must be equal, or one of them must be 1, which is then
/// stretched.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let padded = |s: &[usize], k: usize| {
        if k + s.len() < n {
            1
        } else {
            s[k + s.len() - n]
        }
    };
    (0..n)
        .map(|k| match (padded(a, k), padded(b, k)) {
            (x, y) if x == y || y == 1 => Some(x),
            (1, y) => Some(y),
            _ => None,
        })
        .collect()
}
// ANCHOR_END: rule

// ANCHOR: example
/// A column (3, 1) plus a row (1, 4) gives a (3, 4) table of all sums.
pub fn table() -> Array2<f64> {
    let col = array![[0.0], [10.0], [20.0]];
    let row = array![[0.0, 1.0, 2.0, 3.0]];
    &col + &row
}

/// The stretched column as ndarray sees it: a (3, 4) view whose stride along the
/// stretched axis is 0, so every column reads the same memory. Nothing is copied.
pub fn stretched_column(col: &Array2<f64>) -> Option<ArrayView2<'_, f64>> {
    col.broadcast((3, 4))
}
// ANCHOR_END: example

pub fn main() {
    println!("(3, 1) with (1, 4): {:?}", broadcast_shape(&[3, 1], &[1, 4]));
    println!("(2, 3) with (3,): {:?}", broadcast_shape(&[2, 3], &[3]));
    println!("(2, 3) with (2,): {:?}", broadcast_shape(&[2, 3], &[2]));
    println!("table =\n{}", table());
    let col = array![[0.0], [10.0], [20.0]];
    if let Some(view) = stretched_column(&col) {
        println!("stretched column, strides {:?}:\n{view}", view.strides());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{ArrayD, IxDyn};

    #[test]
    fn the_rule_matches_the_chapter() {
        assert_eq!(broadcast_shape(&[3, 1], &[1, 4]), Some(vec![3, 4]));
        assert_eq!(broadcast_shape(&[2, 3], &[3]), Some(vec![2, 3]));
        assert_eq!(broadcast_shape(&[2, 3], &[2]), None);
        assert_eq!(broadcast_shape(&[], &[5]), Some(vec![5]));
    }

    #[test]
    fn the_rule_agrees_with_ndarray_on_every_small_pair_of_shapes() {
        let shapes: Vec<Vec<usize>> = vec![
            vec![],
            vec![1],
            vec![3],
            vec![1, 1],
            vec![1, 3],
            vec![2, 1],
            vec![2, 3],
            vec![3, 3],
            vec![2, 1, 3],
            vec![1, 2, 1],
        ];
        for a in &shapes {
            for b in &shapes {
                let x = ArrayD::<f64>::zeros(IxDyn(a));
                let y = ArrayD::<f64>::zeros(IxDyn(b));
                // ndarray's own verdict: `&x + &y` broadcasts both sides, or
                // panics.
                let theirs =
                    std::panic::catch_unwind(|| (&x + &y).shape().to_vec()).ok();
                assert_eq!(broadcast_shape(a, b), theirs, "{a:?} with {b:?}");
            }
        }
    }

    #[test]
    fn the_table_holds_every_sum_and_the_stretch_copies_nothing() {
        let t = table();
        for ((i, j), &v) in t.indexed_iter() {
            assert_eq!(v, 10.0 * i as f64 + j as f64);
        }
        let col = array![[0.0], [10.0], [20.0]];
        let view = stretched_column(&col).unwrap();
        assert_eq!(view.strides(), &[1, 0]);
        assert_eq!(view.as_ptr(), col.as_ptr());
    }

    #[test]
    fn main_runs() {
        main();
    }
}
