//! Thompson-sampling candidates inside a trust region: scrambled Sobol points of the
//! region, each coordinate taken from them with probability min(1, 20/d) and from the
//! centre otherwise (TuRBO's perturbation of the incumbent, as in BoTorch's tutorial).

use crate::sampling::sobol_points;
use crate::{Bounds, Error, Result};
use ndarray::{Array2, ArrayView1};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// min(5000, max(2000, 200·d)): how many candidates BoTorch's TuRBO-1 tutorial draws in d
/// dimensions.
pub fn default_candidates(dim: usize) -> usize {
    (200 * dim).clamp(2000, 5000)
}

/// min(1, 20/d): the probability that a candidate's coordinate is perturbed away from the
/// centre. In high dimensions a candidate then moves about 20 coordinates at a time, and
/// stays close to the incumbent along the rest.
pub fn perturbation_probability(dim: usize) -> f64 {
    (20.0 / dim.max(1) as f64).min(1.0)
}

/// Which coordinates of each of `n` candidates are perturbed (row-major, n × d): each with
/// probability `p`, and one chosen uniformly at random in a row where none was, so that no
/// candidate is the centre itself.
fn perturbation_mask(
    n: usize,
    dim: usize,
    p: f64,
    rng: &mut ChaCha8Rng,
) -> Vec<bool> {
    let mut mask: Vec<bool> =
        (0..n * dim).map(|_| rng.random::<f64>() < p).collect();
    for row in mask.chunks_exact_mut(dim) {
        if !row.iter().any(|&m| m) {
            row[rng.random_range(0..dim)] = true;
        }
    }
    mask
}

/// `n` candidates inside `region` around `centre`: the first n points of a scrambled Sobol
/// sequence (seed `seed`) mapped into the region, with each coordinate kept from them with
/// probability [`perturbation_probability`] and set to the centre's otherwise (at least one
/// per row is kept); the mask is drawn from a generator seeded by `seed` too. Every
/// candidate lies in the region, since the centre does. (BoTorch's tutorial draws the one
/// forced coordinate from the first d − 1 only; here all d are equally likely.)
///
/// # Errors
/// [`Error::InvalidInput`] for n = 0 or a centre outside the region,
/// [`Error::ShapeMismatch`] for a centre of another dimension, [`Error::NonFinite`] for a
/// non-finite centre; as for [`sobol_points`].
pub fn region_candidates(
    centre: ArrayView1<'_, f64>,
    region: &Bounds,
    n: usize,
    seed: u64,
) -> Result<Array2<f64>> {
    let context = "region_candidates";
    let dim = region.dim();
    if n == 0 {
        return Err(Error::InvalidInput {
            context,
            reason: "at least one candidate is needed".into(),
        });
    }
    crate::error::check_points(centre.insert_axis(ndarray::Axis(0)), dim, context)?;
    if !region.contains(centre) {
        return Err(Error::InvalidInput {
            context,
            reason: format!("the centre {centre} lies outside the region"),
        });
    }
    let perturbed = region.from_unit(sobol_points(n, dim, seed)?.view())?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ MASK_STREAM);
    let mask = perturbation_mask(n, dim, perturbation_probability(dim), &mut rng);
    let mut x = perturbed;
    for (mut row, keep) in x.rows_mut().into_iter().zip(mask.chunks_exact(dim)) {
        for ((v, &k), &c) in row.iter_mut().zip(keep).zip(&centre) {
            if !k {
                *v = c;
            }
        }
    }
    Ok(x)
}

/// Separates the mask's random stream from the Sobol scramble's of the same seed.
const MASK_STREAM: u64 = 0x9e37_79b9_7f4a_7c15;

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_counts_and_probabilities_are_the_tutorial_s() {
        assert_eq!(default_candidates(2), 2000);
        assert_eq!(default_candidates(10), 2000);
        assert_eq!(default_candidates(20), 4000);
        assert_eq!(default_candidates(30), 5000);
        assert_eq!(default_candidates(300), 5000);
        assert_eq!(perturbation_probability(5), 1.0);
        assert_eq!(perturbation_probability(20), 1.0);
        assert_eq!(perturbation_probability(40), 0.5);
        assert_eq!(perturbation_probability(100), 0.2);
    }

    #[test]
    fn the_mask_perturbs_each_coordinate_at_the_stated_rate() {
        // d = 100, p = 0.2: 200 000 Bernoulli draws; the forced coordinate in rows with
        // none (probability 0.8¹⁰⁰ ≈ 2e-10) does not show.
        let (n, dim) = (2000, 100);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mask =
            perturbation_mask(n, dim, perturbation_probability(dim), &mut rng);
        let rate = mask.iter().filter(|&&m| m).count() as f64 / (n * dim) as f64;
        let se = (0.2 * 0.8 / (n * dim) as f64).sqrt();
        assert!((rate - 0.2).abs() < 4.0 * se, "rate {rate}, se {se}");
        // Each coordinate on its own too.
        for j in [0, 37, 99] {
            let col =
                (0..n).filter(|&i| mask[i * dim + j]).count() as f64 / n as f64;
            assert!(
                (col - 0.2).abs() < 4.0 * (0.16 / n as f64).sqrt(),
                "{j}: {col}"
            );
        }
        // With p = 0.01 in d = 4, 96% of rows draw no coordinate: each then gets exactly
        // one, every coordinate (the last included) with probability ¼.
        let (n, dim) = (4000, 4);
        let mask = perturbation_mask(n, dim, 0.01, &mut rng);
        assert!(mask.chunks_exact(dim).all(|r| r.iter().any(|&m| m)));
        let ones = mask
            .chunks_exact(dim)
            .filter(|r| r.iter().filter(|&&m| m).count() == 1);
        assert!(ones.count() > n * 95 / 100);
        for j in 0..dim {
            let share =
                (0..n).filter(|&i| mask[i * dim + j]).count() as f64 / n as f64;
            // 0.01 + 0.99⁴/4 = 0.2501 expected, standard error ≈ 0.007.
            assert!((share - 0.2501).abs() < 0.03, "{j}: {share}");
        }
    }

    #[test]
    fn every_candidate_lies_in_the_region_and_moves_from_the_centre() {
        let dim = 50;
        let region = Bounds::new(
            ndarray::Array1::from_elem(dim, 0.2),
            ndarray::Array1::from_elem(dim, 0.45),
        )
        .unwrap();
        let centre = ndarray::Array1::from_elem(dim, 0.3);
        let x = region_candidates(centre.view(), &region, 3000, 11).unwrap();
        assert_eq!(x.dim(), (3000, dim));
        assert!(x.rows().into_iter().all(|r| region.contains(r)));
        // Perturbed coordinates differ from the centre (Sobol points hit 0.3 with
        // probability 0); their share is 20/50 = 0.4.
        let moved = x.iter().filter(|&&v| v != 0.3).count() as f64 / x.len() as f64;
        let se = (0.4 * 0.6 / x.len() as f64).sqrt();
        assert!((moved - 0.4).abs() < 4.0 * se, "{moved}");
        assert!(x.rows().into_iter().all(|r| r.iter().any(|&v| v != 0.3)));
        // d ≤ 20: every coordinate is perturbed, and the candidates are the Sobol points.
        let region = Bounds::new(array![0.1, 0.5], array![0.3, 0.9]).unwrap();
        let x = region_candidates(array![0.2, 0.6].view(), &region, 64, 5).unwrap();
        let sobol =
            region.from_unit(sobol_points(64, 2, 5).unwrap().view()).unwrap();
        assert_eq!(x, sobol);
        // Deterministic for a seed, different for another.
        assert_eq!(
            x,
            region_candidates(array![0.2, 0.6].view(), &region, 64, 5).unwrap()
        );
        assert_ne!(
            x,
            region_candidates(array![0.2, 0.6].view(), &region, 64, 6).unwrap()
        );
    }

    #[test]
    fn bad_candidate_requests_are_refused() {
        let region = Bounds::new(array![0.1, 0.5], array![0.3, 0.9]).unwrap();
        let c = array![0.2, 0.6];
        assert!(region_candidates(c.view(), &region, 0, 0).is_err());
        assert!(region_candidates(array![0.2].view(), &region, 8, 0).is_err());
        assert!(region_candidates(array![0.5, 0.6].view(), &region, 8, 0).is_err());
        assert!(
            region_candidates(array![f64::NAN, 0.6].view(), &region, 8, 0).is_err()
        );
    }
}
