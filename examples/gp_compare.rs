//! The Rust side of the GP comparison with scikit-learn and BoTorch
//! (`benches/python/gp_compare.sh` runs both sides alternately and writes the table).
//!
//! ```sh
//! cargo run --release --example gp_compare -- DIR [--fits-only]
//! ```
//!
//! Writes the data sets to `DIR` as CSV (so that the Python side fits exactly the same
//! numbers): Hartmann-6 plus N(0, 0.01²) noise at seeded uniform inputs in [0, 1]⁶, n = 50,
//! 200, 500 and 1000 training points and 1000 test points (noise-free values for the test
//! RMSE). Then fits a Matérn-5/2 ARD GP to each training set twice, by maximum likelihood
//! (`fit` lines) and by maximum a posteriori with BoTorch's priors and noise floor
//! ([`Priors::botorch`], `fit_map` lines), and prints one line per fit: the fit time, the log
//! marginal likelihood per point, the test RMSE and the fitted hyperparameters in
//! standardised units. Finally (unless a second argument `--fits-only` is given) it times
//! the posterior mean and variance at the 1000 test points, and the Cholesky factorisation at
//! n = 1000 and 2000, on fixed hyperparameters that the Python side uses too.

mod common;

use common::{exact, exact_list, Timing};
use gradbo::gp::{
    fit, FitOptions, FittedGp, Gp, Hyperparameters, Kernel, KernelKind, Priors,
};
use gradbo::linalg::Cholesky;
use gradbo::optim::functions::hartmann6_value_and_gradient;
use ndarray::{concatenate, Array1, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use std::hint::black_box;
use std::time::Instant;

/// `n` seeded uniform points in [0, 1]⁶, their noisy and their noise-free Hartmann-6 values.
fn data(n: usize, seed: u64) -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Array2::from_shape_simple_fn((n, 6), || rng.random::<f64>());
    let f: Array1<f64> = x
        .rows()
        .into_iter()
        .map(|r| hartmann6_value_and_gradient(&std::array::from_fn(|j| r[j])).0)
        .collect();
    let y = f.mapv(|v| v + 0.01 * rng.sample::<f64, _>(StandardNormal));
    (x, y, f)
}

/// The inputs, the noisy and the noise-free values as CSV, every number exact.
fn write_csv(
    path: &std::path::Path,
    x: &Array2<f64>,
    y: &Array1<f64>,
    f: &Array1<f64>,
) {
    let rows = x.rows().into_iter().zip(y).zip(f).map(|((r, &yi), &fi)| {
        format!("{},{},{}", exact_list(r, ","), exact(yi), exact(fi))
    });
    common::write_csv(path, "x1,x2,x3,x4,x5,x6,y,f", rows);
}

/// The fixed kernel of the prediction and Cholesky timings: Matérn 5/2, ℓ = 0.4, σ² = 1.
fn fixed_kernel() -> Kernel {
    Kernel::new(KernelKind::Matern52, Array1::from_elem(6, 0.4), 1.0)
        .expect("valid")
}

/// Prints one fit's line: time, LML per point, test RMSE and hyperparameters.
fn report(
    label: &str,
    n: usize,
    seconds: f64,
    fitted: &FittedGp,
    xt: &Array2<f64>,
    ft: &Array1<f64>,
) {
    let p = fitted.predict(xt.view()).expect("valid test inputs");
    let rmse = ((&p.mean - ft).mapv(|e| e * e).sum() / ft.len() as f64).sqrt();
    let h = fitted.gp.hyperparameters();
    let ls: Vec<String> =
        h.kernel.lengthscales().iter().map(|l| format!("{l:.10e}")).collect();
    println!(
        "{label} n={n} seconds={seconds:.6} lml_per_point={:.8} rmse={rmse:.8e} \
         mean={:.10e} outputscale={:.10e} noise={:.10e} lengthscales={}",
        fitted.lml_per_point(),
        h.mean,
        h.kernel.outputscale(),
        h.noise,
        ls.join(",")
    );
}

fn main() {
    let args = common::args(1, "gp_compare DIR [--fits-only]");
    let dir = std::path::Path::new(&args[0]);
    std::fs::create_dir_all(dir).expect("the data directory can be created");
    let (xt, yt, ft) = data(1000, 7);
    write_csv(&dir.join("test.csv"), &xt, &yt, &ft);
    let options = FitOptions::default();
    // Maximum a posteriori with BoTorch's priors and noise floor.
    let map_options =
        FitOptions { priors: Priors::botorch(), ..FitOptions::default() };
    let mut x1000 = None;
    for n in [50, 200, 500, 1000] {
        let (x, y, f) = data(n, 1000 + n as u64);
        write_csv(&dir.join(format!("train_{n}.csv")), &x, &y, &f);
        for (label, options) in [("fit", &options), ("fit_map", &map_options)] {
            let start = Instant::now();
            let fitted = fit(x.view(), &y, options).expect("the fit succeeds");
            let seconds = start.elapsed().as_secs_f64();
            report(label, n, seconds, &fitted, &xt, &ft);
        }
        if n == 1000 {
            x1000 = Some((x, y));
        }
    }
    if args.get(1).map(String::as_str) == Some("--fits-only") {
        return;
    }
    let (x, y) = x1000.expect("n = 1000 was fitted");
    let hyper = Hyperparameters { kernel: fixed_kernel(), mean: 0.0, noise: 1e-4 };
    let gp = Gp::new(x.clone(), y, hyper).expect("positive definite");
    let timing = Timing::of(1, 20, || {
        black_box(gp.predict(xt.view()).expect("valid"));
    });
    println!("predict n=1000 m=1000 {}", timing.ms_fields());
    let kernel = fixed_kernel();
    let both =
        concatenate(Axis(0), &[x.view(), xt.view()]).expect("6 columns each");
    for (n, reps) in [(1000, 20), (2000, 8)] {
        let points = both.slice(ndarray::s![..n, ..]);
        let mut k = kernel.matrix(points, points).expect("valid");
        k.diag_mut().mapv_inplace(|v| v + 1e-4);
        let timing = Timing::of(1, reps, || {
            black_box(Cholesky::new(k.view()).expect("positive definite"));
        });
        println!("cholesky n={n} {}", timing.ms_fields());
    }
}
