//! In-place operations: change the elements an array owns without allocating a new
//! one.

use ndarray::{array, Array2};
use rand::distr::Bernoulli;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

// ANCHOR: arithmetic
/// Each compound assignment applied to a fresh copy of D.
pub fn arithmetic() -> [Array2<f64>; 4] {
    let d = array![[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]];
    let (mut plus, mut minus, mut times, mut divided) =
        (d.clone(), d.clone(), d.clone(), d);
    plus += 2.0;
    minus -= 1.0;
    times *= 2.0;
    divided /= 2.0;
    [plus, minus, times, divided]
}
// ANCHOR_END: arithmetic

// ANCHOR: fill
/// Overwrite C with D's values, then with a constant, then with zeros.
pub fn overwrite() -> [Array2<f64>; 3] {
    let mut c = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let d = array![[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]];
    c.assign(&d); // shapes must agree (or D must broadcast to C's shape)
    let copied = c.clone();
    c.fill(10.0);
    let tens = c.clone();
    c.fill(0.0);
    [copied, tens, c]
}
// ANCHOR_END: fill

// ANCHOR: activations
/// The matrix the activations act on.
pub fn t() -> Array2<f64> {
    array![[-2.0, -0.5, 0.0], [0.5, 1.0, 2.0]]
}

/// ReLU, sigmoid, clamp to [0, 1] and absolute value, each in place on a copy of T.
pub fn activations() -> [Array2<f64>; 4] {
    let (mut relu, mut sigmoid, mut clamp, mut abs) = (t(), t(), t(), t());
    relu.mapv_inplace(|x| x.max(0.0));
    sigmoid.mapv_inplace(|x| 1.0 / (1.0 + (-x).exp()));
    clamp.mapv_inplace(|x| x.clamp(0.0, 1.0));
    abs.mapv_inplace(f64::abs);
    [relu, sigmoid, clamp, abs]
}
// ANCHOR_END: activations

// ANCHOR: random
/// Standard normal, uniform [0, 1) and Bernoulli(0.3), Bernoulli(0.7) fills of
/// copies of T.
pub fn random_fills(seed: u64) -> [Array2<f64>; 4] {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut normal, mut uniform, mut coin3, mut coin7) = (t(), t(), t(), t());
    normal.mapv_inplace(|_| rng.sample(StandardNormal));
    uniform.mapv_inplace(|_| rng.random::<f64>());
    let (p3, p7) = (
        Bernoulli::new(0.3).expect("0.3 is a probability"),
        Bernoulli::new(0.7).expect("so is 0.7"),
    );
    coin3.mapv_inplace(|_| f64::from(u8::from(rng.sample(p3))));
    coin7.mapv_inplace(|_| f64::from(u8::from(rng.sample(p7))));
    [normal, uniform, coin3, coin7]
}
// ANCHOR_END: random

pub fn main() {
    for (name, a) in ["+2", "-1", "×2", "÷2"].iter().zip(arithmetic()) {
        println!("D {name}:\n{a}");
    }
    for (name, a) in ["assign D", "fill 10", "fill 0"].iter().zip(overwrite()) {
        println!("C after {name}:\n{a}");
    }
    for (name, a) in ["relu", "sigmoid", "clamp", "abs"].iter().zip(activations()) {
        println!("{name}(T):\n{a:.4}");
    }
    for (name, a) in ["normal", "uniform", "Bernoulli(0.3)", "Bernoulli(0.7)"]
        .iter()
        .zip(random_fills(0))
    {
        println!("{name}, seed 0:\n{a:.4}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_matches_the_chapter() {
        let [plus, minus, times, divided] = arithmetic();
        assert_eq!(plus, array![[12.0, 22.0, 32.0], [42.0, 52.0, 62.0]]);
        assert_eq!(minus, array![[9.0, 19.0, 29.0], [39.0, 49.0, 59.0]]);
        assert_eq!(times, array![[20.0, 40.0, 60.0], [80.0, 100.0, 120.0]]);
        assert_eq!(divided, array![[5.0, 10.0, 15.0], [20.0, 25.0, 30.0]]);
    }

    #[test]
    fn overwrites_match_the_chapter() {
        let [copied, tens, zeros] = overwrite();
        assert_eq!(copied, array![[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]]);
        assert!(tens.iter().all(|&x| x == 10.0) && zeros.iter().all(|&x| x == 0.0));
    }

    #[test]
    fn activations_match_the_chapter() {
        let [relu, sigmoid, clamp, abs] = activations();
        assert_eq!(relu, array![[0.0, 0.0, 0.0], [0.5, 1.0, 2.0]]);
        let expected = array![[0.1192, 0.3775, 0.5000], [0.6225, 0.7311, 0.8808]];
        assert!(sigmoid.iter().zip(&expected).all(|(a, b)| (a - b).abs() < 5e-5));
        assert_eq!(clamp, array![[0.0, 0.0, 0.0], [0.5, 1.0, 1.0]]);
        assert_eq!(abs, array![[2.0, 0.5, 0.0], [0.5, 1.0, 2.0]]);
    }

    #[test]
    fn in_place_keeps_the_buffer() {
        let mut a = t();
        let before = a.as_ptr();
        a.mapv_inplace(|x| x * x);
        assert_eq!(a.as_ptr(), before);
    }

    #[test]
    fn random_fills_are_seeded_and_in_range() {
        let [normal, uniform, coin3, coin7] = random_fills(0);
        assert_eq!(normal, random_fills(0)[0]);
        assert_ne!(normal, random_fills(1)[0]);
        assert!(uniform.iter().all(|&x| (0.0..1.0).contains(&x)));
        assert!(coin3.iter().chain(&coin7).all(|&x| x == 0.0 || x == 1.0));
    }

    #[test]
    fn main_runs() {
        main();
    }
}
