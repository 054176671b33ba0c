//! The Rust side of the multi-objective comparison with BoTorch
//! (`benches/python/pareto_compare.sh` runs both sides and writes the table).
//!
//! ```sh
//! cargo run --release --example pareto_compare -- DIR
//! ```
//!
//! Writes the data to `DIR` as CSV so that the Python side works on exactly the same
//! numbers, then times on one thread and prints one line for each:
//!
//! - the exact hypervolume of four seeded random non-dominated fronts, points on the positive
//!   part of the unit sphere (directions |z|/‖z‖, z standard normal), of n = 100 and 1000
//!   points in m = 2 and 3 objectives, with respect to the origin;
//! - qEHVI's value and gradient for one candidate (q = 1) under two independent GPs
//!   (40 seeded points in [0, 1]³, f₁ = Σⱼ sin(3xⱼ), f₂ = Σⱼ cos(2xⱼ) + x₁x₂; each a
//!   Matérn 5/2 GP with fixed hyperparameters, ℓ = 0.6 in every input, σ² = 1,
//!   σₙ² = 1e-4, m = 0, on normalised inputs and standardised outputs), with 128
//!   quasi-random samples, over the region not dominated by a front of 20 points on a
//!   quarter ellipse between the reference point and the data's maxima; and, untimed, the
//!   exact EHVI of the same candidate in closed form.

mod common;

use common::{exact, exact_list, Timing};
use gradbo::acquisition::AcquisitionFunction;
use gradbo::gp::{FitOptions, FittedGp, Gp, Hyperparameters, Kernel, KernelKind};
use gradbo::multi_objective::{
    expected_hypervolume_improvement, hypervolume, ModelList, Qehvi, QehviOptions,
};
use gradbo::transforms::{Normalize, Standardize};
use ndarray::{Array1, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use std::hint::black_box;
use std::path::Path;

/// n points on the positive part of the unit sphere in m dimensions: mutually
/// non-dominated.
fn sphere_front(n: usize, m: usize, seed: u64) -> Array2<f64> {
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

fn hypervolumes(dir: &Path) {
    for (m, n, seed) in [(2, 100, 1), (2, 1000, 2), (3, 100, 3), (3, 1000, 4)] {
        let front = sphere_front(n, m, seed);
        let header: Vec<String> = (1..=m).map(|k| format!("y{k}")).collect();
        let rows = front.rows().into_iter().map(|r| exact_list(r, ","));
        common::write_csv(
            &dir.join(format!("front_m{m}_n{n}.csv")),
            &header.join(","),
            rows,
        );
        let reference = Array1::zeros(m);
        let value = hypervolume(front.view(), reference.view()).expect("a front");
        let repeats = if n >= 1000 { 21 } else { 101 };
        let timing = Timing::of(3, repeats, || {
            black_box(
                hypervolume(front.view(), reference.view()).expect("a front"),
            );
        });
        println!(
            "hypervolume_m{m}_n{n} value={} {}",
            exact(value),
            us_fields(&timing)
        );
    }
}

fn qehvi(dir: &Path) {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let mut uniform = || -> f64 { rand::RngExt::random::<f64>(&mut rng) };
    let x = Array2::from_shape_simple_fn((40, 3), &mut uniform);
    let f1 =
        x.map_axis(Axis(1), |r| r.iter().map(|v| (3.0 * v).sin()).sum::<f64>());
    let f2 = x.map_axis(Axis(1), |r| {
        r.iter().map(|v| (2.0 * v).cos()).sum::<f64>() + r[0] * r[1]
    });
    let candidate = Array1::from_shape_simple_fn(3, &mut uniform);
    let low = [
        f1.fold(f64::INFINITY, |a, &b| a.min(b)),
        f2.fold(f64::INFINITY, |a, &b| a.min(b)),
    ];
    let high = [
        f1.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
        f2.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
    ];
    let reference = Array1::from_shape_fn(2, |k| low[k] - 0.1 * (high[k] - low[k]));
    let front = Array2::from_shape_fn((20, 2), |(i, k)| {
        let angle = std::f64::consts::FRAC_PI_2 * (i as f64 + 0.5) / 20.0;
        let t = if k == 0 { angle.cos() } else { angle.sin() };
        reference[k] + 0.9 * (high[k] - reference[k]) * t
    });
    let rows = x.rows().into_iter().zip(f1.iter().zip(&f2)).map(|(r, (a, b))| {
        format!("{},{},{}", exact_list(r, ","), exact(*a), exact(*b))
    });
    common::write_csv(&dir.join("train.csv"), "x1,x2,x3,f1,f2", rows);
    let rows = front.rows().into_iter().map(|r| exact_list(r, ","));
    common::write_csv(&dir.join("pareto_front.csv"), "y1,y2", rows);
    common::write_csv(
        &dir.join("reference.csv"),
        "y1,y2",
        [exact_list(&reference, ",")],
    );
    common::write_csv(
        &dir.join("candidate.csv"),
        "x1,x2,x3",
        [exact_list(&candidate, ",")],
    );

    let models = ModelList::from_models(vec![model(&x, f1), model(&x, f2)])
        .expect("two models");
    let options = QehviOptions { samples: 128, seed: 0 };
    let acqf = Qehvi::from_observations(
        &models,
        front.view(),
        reference.view(),
        1,
        &options,
    )
    .expect("valid settings");
    let (value, _) = acqf.value_and_gradient(candidate.view()).expect("a value");
    // The exact EHVI of the same candidate under the same posteriors, for scale.
    let at = candidate.view().insert_axis(Axis(0));
    let p = models.predict(at).expect("a prediction");
    let sd = p.variance.row(0).mapv(f64::sqrt);
    let closed =
        expected_hypervolume_improvement(acqf.boxes(), p.mean.row(0), sd.view())
            .expect("a value");
    println!("ehvi_closed_form value={}", exact(closed));
    let timing = Timing::of(50, 1001, || {
        black_box(acqf.value_and_gradient(candidate.view()).expect("a value"));
    });
    println!(
        "qehvi_gradient m=2 q=1 n=40 d=3 front=20 samples=128 value={} {}",
        exact(value),
        us_fields(&timing)
    );
}

/// `min_us=… median_us=…`, two decimals: the form the Python side reads.
fn us_fields(t: &Timing) -> String {
    format!("min_us={:.2} median_us={:.2}", t.min * 1e6, t.median_us())
}

fn main() {
    let args = common::args(1, "pareto_compare DIR");
    let dir = Path::new(&args[0]);
    std::fs::create_dir_all(dir).expect("the data directory can be created");
    hypervolumes(dir);
    qehvi(dir);
}
