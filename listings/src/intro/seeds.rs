//! Seeds and determinism: the same seed gives the same numbers, on every run and
//! every machine.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

// ANCHOR: seeds
/// Three uniform draws from a generator seeded with `seed`.
pub fn draws(seed: u64) -> [f64; 3] {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    [rng.random(), rng.random(), rng.random()]
}

pub fn main() {
    println!("seed 42: {:?}", draws(42));
    println!("seed 42: {:?}", draws(42)); // the same three numbers again
    println!("seed 43: {:?}", draws(43)); // different numbers
}
// ANCHOR_END: seeds

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_fixes_the_draws() {
        assert_eq!(draws(42), draws(42));
        assert_ne!(draws(42), draws(43));
        assert!(draws(7).iter().all(|x| (0.0..1.0).contains(x)));
    }

    #[test]
    fn main_runs() {
        main();
    }
}
