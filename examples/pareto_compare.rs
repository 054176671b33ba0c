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

#[path = "common/pareto_problems.rs"]
mod pareto_problems;

use common::{exact, exact_list, Timing};
use gradbo::acquisition::AcquisitionFunction;
use gradbo::multi_objective::{expected_hypervolume_improvement, hypervolume};
use ndarray::{Array1, Axis};
use pareto_problems::{sphere_front, QehviProblem, FRONTS};
use std::hint::black_box;
use std::path::Path;

fn hypervolumes(dir: &Path) {
    for (m, n, seed) in FRONTS {
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
    let problem = QehviProblem::new();
    let QehviProblem { x, f1, f2, front, reference, candidate } = &problem;
    let rows = x.rows().into_iter().zip(f1.iter().zip(f2)).map(|(r, (a, b))| {
        format!("{},{},{}", exact_list(r, ","), exact(*a), exact(*b))
    });
    common::write_csv(&dir.join("train.csv"), "x1,x2,x3,f1,f2", rows);
    let rows = front.rows().into_iter().map(|r| exact_list(r, ","));
    common::write_csv(&dir.join("pareto_front.csv"), "y1,y2", rows);
    common::write_csv(
        &dir.join("reference.csv"),
        "y1,y2",
        [exact_list(reference, ",")],
    );
    common::write_csv(
        &dir.join("candidate.csv"),
        "x1,x2,x3",
        [exact_list(candidate, ",")],
    );

    let models = problem.models();
    let acqf = problem.acquisition(&models);
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
