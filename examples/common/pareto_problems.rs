//! The multi-objective problems that `examples/pareto_compare.rs` (beside BoTorch) and the
//! criterion bench `benches/pareto.rs` both time, in one place.

use gradbo::gp::{FitOptions, FittedGp, Gp, Hyperparameters, Kernel, KernelKind};
use gradbo::multi_objective::{ModelList, Qehvi, QehviOptions};
use gradbo::transforms::{Normalize, Standardize};
use ndarray::{Array1, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

/// The hypervolume cases: (objectives m, points n, seed).
pub const FRONTS: [(usize, usize, u64); 4] =
    [(2, 100, 1), (2, 1000, 2), (3, 100, 3), (3, 1000, 4)];

/// n points on the positive part of the unit sphere in m dimensions (directions |z|/‖z‖,
/// z standard normal): mutually non-dominated.
pub fn sphere_front(n: usize, m: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut front = Array2::zeros((n, m));
    for mut row in front.rows_mut() {
        row.mapv_inplace(|_| {
            let z: f64 = StandardNormal.sample(&mut rng);
            z.abs().max(1e-3)
        });
        let norm = row.dot(&row).sqrt();
        row /= norm;
    }
    front
}

/// A GP with fixed hyperparameters (Matérn 5/2, ℓ = 0.6 in every input, σ² = 1,
/// σₙ² = 1e-4, mean 0) on normalised inputs and standardised outputs: no fit.
fn model(x: &Array2<f64>, y: Array1<f64>) -> FittedGp {
    let normalize = Normalize::learn(x.view()).expect("finite");
    let standardize = Standardize::learn(y.view()).expect("finite");
    let kernel =
        Kernel::new(KernelKind::Matern52, Array1::from_elem(x.ncols(), 0.6), 1.0)
            .expect("valid");
    let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-4 };
    let xn = normalize.apply(x.view()).expect("finite");
    let gp =
        Gp::new(xn, standardize.apply(y.view()), hyper).expect("positive definite");
    FittedGp { gp, normalize, standardize, options: FitOptions::default() }
}

/// The qEHVI case: 40 seeded points in [0, 1]³ with f₁ = Σⱼ sin(3xⱼ) and
/// f₂ = Σⱼ cos(2xⱼ) + x₁x₂, a front of 20 points on a quarter ellipse between the reference
/// point and the data's maxima, and one candidate.
pub struct QehviProblem {
    /// The inputs, 40 × 3.
    pub x: Array2<f64>,
    /// The first objective at `x`.
    pub f1: Array1<f64>,
    /// The second objective at `x`.
    pub f2: Array1<f64>,
    /// The front whose non-dominated region qEHVI integrates over, 20 × 2.
    pub front: Array2<f64>,
    /// The reference point: 10 % of each objective's range below its minimum.
    pub reference: Array1<f64>,
    /// The candidate at which qEHVI is timed.
    pub candidate: Array1<f64>,
}

impl QehviProblem {
    /// The seeded problem.
    pub fn new() -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        let x = Array2::from_shape_simple_fn((40, 3), || rng.random::<f64>());
        let f1 =
            x.map_axis(Axis(1), |r| r.iter().map(|v| (3.0 * v).sin()).sum::<f64>());
        let f2 = x.map_axis(Axis(1), |r| {
            r.iter().map(|v| (2.0 * v).cos()).sum::<f64>() + r[0] * r[1]
        });
        let candidate = Array1::from_shape_simple_fn(3, || rng.random::<f64>());
        let low = [
            f1.fold(f64::INFINITY, |a, &b| a.min(b)),
            f2.fold(f64::INFINITY, |a, &b| a.min(b)),
        ];
        let high = [
            f1.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
            f2.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
        ];
        let reference =
            Array1::from_shape_fn(2, |k| low[k] - 0.1 * (high[k] - low[k]));
        let front = Array2::from_shape_fn((20, 2), |(i, k)| {
            let angle = std::f64::consts::FRAC_PI_2 * (i as f64 + 0.5) / 20.0;
            let t = if k == 0 { angle.cos() } else { angle.sin() };
            reference[k] + 0.9 * (high[k] - reference[k]) * t
        });
        QehviProblem { x, f1, f2, front, reference, candidate }
    }

    /// The two GPs, one per objective.
    pub fn models(&self) -> ModelList {
        ModelList::from_models(vec![
            model(&self.x, self.f1.clone()),
            model(&self.x, self.f2.clone()),
        ])
        .expect("two models")
    }

    /// qEHVI for one candidate with 128 quasi-random samples.
    pub fn acquisition(&self, models: &ModelList) -> Qehvi {
        let options = QehviOptions { samples: 128, seed: 0 };
        Qehvi::from_observations(
            models,
            self.front.view(),
            self.reference.view(),
            1,
            &options,
        )
        .expect("valid settings")
    }
}
