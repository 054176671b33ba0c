//! Rank and shape: what indexing with one, two and three indices leaves behind.

use ndarray::{array, s, Array3, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

// ANCHOR: shapes
/// The shapes of a 1-D, a 2-D and a 3-D array.
pub fn shapes() -> [Vec<usize>; 3] {
    let v = array![1.0, 2.0, 3.0];
    let m = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let t = Array3::<f64>::zeros((2, 3, 4));
    [v.shape().to_vec(), m.shape().to_vec(), t.shape().to_vec()]
}
// ANCHOR_END: shapes

// ANCHOR: indexing
/// Each index removes one axis: (2, 3, 4) → (3, 4) → (4,) → ().
pub fn index_away(seed: u64) -> [Vec<usize>; 4] {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t = Array3::from_shape_fn((2, 3, 4), |_| rng.random::<f64>());
    let matrix = t.index_axis(Axis(0), 0); // t[0]: the first 3×4 matrix
    let row = t.slice(s![0, 0, ..]); // t[0, 0]: its first row
    let scalar = t.slice(s![0, 0, 0]); // t[0, 0, 0] as a 0-d array view
    let value: f64 = t[[0, 0, 0]]; // ... and as a plain f64
    assert_eq!(scalar.into_scalar(), &value);
    [
        t.shape().to_vec(),
        matrix.shape().to_vec(),
        row.shape().to_vec(),
        scalar.shape().to_vec(),
    ]
}
// ANCHOR_END: indexing

pub fn main() {
    let [v, m, t] = shapes();
    println!("1-D {v:?}, 2-D {m:?}, 3-D {t:?}");
    for shape in index_away(7) {
        println!("{shape:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_the_chapter() {
        assert_eq!(shapes(), [vec![3], vec![2, 3], vec![2, 3, 4]]);
    }

    #[test]
    fn each_index_removes_an_axis() {
        assert_eq!(index_away(7), [vec![2, 3, 4], vec![3, 4], vec![4], vec![]]);
    }

    #[test]
    fn main_runs() {
        main();
    }
}
