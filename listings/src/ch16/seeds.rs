//! One run is an anecdote: the 2-D loop over many seeds, beside random search and a Sobol
//! design of the same budget, judged by the regret of the best point evaluated so far.

use super::two_d::TwoD;
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{TestProblem, TwoBasins};
use ndarray::{concatenate, Array2, ArrayView2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

// ANCHOR: methods
/// How the points after the design are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The chapter's loop: LogEI, 15 restarts, 60 raw samples.
    Bayesian,
    /// Independent uniform points of the box.
    Random,
    /// The first points of a scrambled Sobol sequence in the box.
    Sobol,
}

/// The regret F(best point so far) − F* after the design and after each of `budget`
/// further evaluations (`budget` + 1 values). The seed sets the design's noise and the
/// method's randomness; the design's points are the same for every seed. Regret is
/// measured on noise-free F.
pub fn regret_curve(
    method: Method,
    budget: usize,
    seed: u64,
) -> gradbo::Result<Vec<f64>> {
    let problem = TwoD::new(seed)?;
    let added = match method {
        Method::Bayesian => {
            // Step `budget` only proposes; its candidate is never evaluated.
            let history = problem.run(budget, seed)?;
            let x = &history[budget].x;
            x.slice(ndarray::s![problem.x.nrows().., ..]).to_owned()
        }
        Method::Random => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let u =
                Array2::from_shape_simple_fn((budget, 2), || rng.random::<f64>());
            problem.bounds.from_unit(u.view())?
        }
        Method::Sobol => draw_sobol_samples(&problem.bounds, budget, seed)?,
    };
    let all =
        concatenate(Axis(0), &[problem.x.view(), added.view()]).map_err(|e| {
            gradbo::Error::InvalidInput {
                context: "regret_curve",
                reason: e.to_string(),
            }
        })?;
    best_so_far_regret(&problem.f, all.view(), problem.x.nrows())
}

/// The regret of the best of the first `design` points, then of the first `design` + k
/// points for k = 1, 2, ….
pub fn best_so_far_regret(
    f: &TwoBasins,
    x: ArrayView2<'_, f64>,
    design: usize,
) -> gradbo::Result<Vec<f64>> {
    let values = f.values(x)?;
    let mut best = values.iter().take(design).fold(f64::INFINITY, |m, v| m.min(*v));
    let mut curve = vec![best - f.optimal_value()];
    for v in values.iter().skip(design) {
        best = best.min(*v);
        curve.push(best - f.optimal_value());
    }
    Ok(curve)
}
// ANCHOR_END: methods

// ANCHOR: quantile
/// The q-quantile of `values` by linear interpolation between order statistics: position
/// q(n − 1) in the sorted values.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (pos - lo as f64) * (v[hi] - v[lo])
}
// ANCHOR_END: quantile

pub fn main() -> gradbo::Result<()> {
    for method in [Method::Bayesian, Method::Random, Method::Sobol] {
        let finals: Vec<f64> = (0..3)
            .map(|seed| regret_curve(method, 8, seed).map(|c| c[8]))
            .collect::<gradbo::Result<_>>()?;
        println!("{method:?}: regret after 8 evaluations, seeds 0–2: {finals:.4?}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_curve_starts_at_the_design_and_never_rises() {
        for method in [Method::Bayesian, Method::Random, Method::Sobol] {
            for seed in 0..2 {
                let c = regret_curve(method, 6, seed).unwrap();
                assert_eq!(c.len(), 7);
                // The design's best noise-free value is F(−0.5, −0.8) = −0.26073.
                assert!((c[0] - (-0.26073 + 0.84255)).abs() < 1e-5, "{c:?}");
                assert!(c.windows(2).all(|w| w[1] <= w[0]));
                assert!(c.iter().all(|&r| r >= 0.0));
            }
        }
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.25), 1.75);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
