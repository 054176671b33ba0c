//! The Rust side of the comparison of [`minimise_bounded`] with SciPy's L-BFGS-B
//! (`benches/python/bounded_compare.sh` runs this, then SciPy on its output in
//! `benches/python/bounded.py`, and writes the table).
//!
//! ```sh
//! cargo run --release --example bounded_compare
//! ```
//!
//! Runs [`minimise_bounded`] with SciPy's default settings (m = 10, pgtol = 10⁻⁵,
//! ftol = 10⁷·ε, 15 000 iterations and evaluations) on bounded test problems with optima
//! inside the box, on its faces and in its corners, from fixed and seeded starts, and prints
//! one line per run: problem, box, start, the final f and x, evaluations, iterations and the
//! termination. Numbers are printed to 17 significant digits, so the Python side starts from
//! exactly the same points. The problems are defined by name on both sides:
//!
//! - `quad-inside`, `quad-outside`, `quad-corner`: ½xᵀAx − bᵀx with
//!   A = [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]] and b = Ax* for x* = (0.2, −0.3, 0.5),
//!   (2, −0.5, 0.3) and (5, −5, 5), in [−1, 1]³;
//! - `quad-ill-inside`, `quad-ill-outside`: the same with A = H diag(1, 10, 10², 10⁴) H,
//!   H = I − 2vvᵀ/vᵀv, v = (1, 2, 3, 4) (κ = 10⁴), x* = (0.5, −0.2, 0.3, 0.7) and
//!   (0.5, −2, 0.3, 1.5), in [−1, 1]⁴;
//! - `rosenbrock-2`, `rosenbrock-10`: the chained Rosenbrock function in [−2, 2]ᵈ (minimum
//!   0 at (1, …, 1)) and in [−2, 0.5]ᵈ (the minimum cut off);
//! - `branin`: on [−5, 10] × [0, 15], three global minima f* = 0.397887;
//! - `hartmann6`: on [0, 1]⁶, six local minima, global f* = −3.32237;
//! - `styblinski-tang-5`: ½Σ(xᵢ⁴ − 16xᵢ² + 5xᵢ) on [−2, 5]⁵, which cuts off the global
//!   minimum at xᵢ = −2.9035: local minima at combinations of the bound −2 and 2.7468.

mod common;

use gradbo::optim::bounded::{minimise_bounded, BoundedOptions};
use gradbo::optim::functions::hartmann6_value_and_gradient;
use gradbo::{Bounds, Result};
use ndarray::{array, Array1, Array2, ArrayView1};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::f64::consts::PI;

type Eval = Result<(f64, Array1<f64>)>;

fn a3() -> Array2<f64> {
    array![[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]]
}

fn ill_conditioned() -> Array2<f64> {
    let v = array![1.0, 2.0, 3.0, 4.0];
    let outer = Array2::from_shape_fn((4, 4), |(i, j)| v[i] * v[j]);
    let h = Array2::<f64>::eye(4) - outer * (2.0 / v.dot(&v));
    h.dot(&Array2::from_diag(&array![1.0, 10.0, 100.0, 1e4])).dot(&h)
}

/// ½xᵀAx − bᵀx with b = Ax*.
fn quadratic(
    a: Array2<f64>,
    x_star: Array1<f64>,
) -> impl Fn(ArrayView1<'_, f64>) -> Eval {
    let b = a.dot(&x_star);
    move |x| {
        let ax = a.dot(&x);
        Ok((0.5 * x.dot(&ax) - b.dot(&x), ax - &b))
    }
}

fn rosenbrock(x: ArrayView1<'_, f64>) -> Eval {
    let mut value = 0.0;
    let mut g = Array1::zeros(x.len());
    for i in 0..x.len() - 1 {
        let (a, b) = (x[i], x[i + 1]);
        value += 100.0 * (b - a * a).powi(2) + (1.0 - a).powi(2);
        g[i] += -400.0 * a * (b - a * a) - 2.0 * (1.0 - a);
        g[i + 1] += 200.0 * (b - a * a);
    }
    Ok((value, g))
}

fn branin(x: ArrayView1<'_, f64>) -> Eval {
    let (b, c, t) = (5.1 / (4.0 * PI * PI), 5.0 / PI, 1.0 / (8.0 * PI));
    let inner = x[1] - b * x[0] * x[0] + c * x[0] - 6.0;
    let value = inner * inner + 10.0 * (1.0 - t) * x[0].cos() + 10.0;
    let g = array![
        2.0 * inner * (c - 2.0 * b * x[0]) - 10.0 * (1.0 - t) * x[0].sin(),
        2.0 * inner
    ];
    Ok((value, g))
}

fn hartmann6(x: ArrayView1<'_, f64>) -> Eval {
    let (value, g) = hartmann6_value_and_gradient(&std::array::from_fn(|j| x[j]));
    Ok((value, Array1::from(g.to_vec())))
}

fn styblinski_tang(x: ArrayView1<'_, f64>) -> Eval {
    let value =
        0.5 * x.iter().map(|v| v.powi(4) - 16.0 * v * v + 5.0 * v).sum::<f64>();
    Ok((value, x.mapv(|v| 0.5 * (4.0 * v.powi(3) - 32.0 * v + 5.0))))
}

/// `n` seeded uniform points of the box.
fn random_starts(bounds: &Bounds, n: usize, seed: u64) -> Vec<Array1<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            Array1::from_shape_fn(bounds.dim(), |i| {
                let (l, u) = (bounds.lower()[i], bounds.upper()[i]);
                l + rng.random::<f64>() * (u - l)
            })
        })
        .collect()
}

fn join(v: &Array1<f64>) -> String {
    common::exact_list(v, ",")
}

fn run(
    name: &str,
    f: impl Fn(ArrayView1<'_, f64>) -> Eval,
    bounds: &Bounds,
    starts: &[Array1<f64>],
) {
    let options = BoundedOptions {
        max_iters: 15_000,
        max_evals: 15_000,
        ..BoundedOptions::default()
    };
    for start in starts {
        let r = minimise_bounded(&f, start.view(), bounds, &options)
            .expect("a valid problem");
        println!(
            "{name};{};{};{};{};{};{};{};{:?}",
            join(bounds.lower()),
            join(bounds.upper()),
            join(start),
            common::exact(r.value),
            join(&r.x),
            r.evaluations,
            r.iterations,
            r.termination
        );
    }
}

fn main() -> Result<()> {
    common::args(0, "bounded_compare");
    let cube3 = Bounds::cube(3, -1.0, 1.0)?;
    let quad_starts = [array![0.9, 0.9, -0.9], array![-0.5, 0.25, 0.75]];
    run(
        "quad-inside",
        quadratic(a3(), array![0.2, -0.3, 0.5]),
        &cube3,
        &quad_starts,
    );
    run(
        "quad-outside",
        quadratic(a3(), array![2.0, -0.5, 0.3]),
        &cube3,
        &quad_starts,
    );
    run(
        "quad-corner",
        quadratic(a3(), array![5.0, -5.0, 5.0]),
        &cube3,
        &quad_starts,
    );
    let cube4 = Bounds::cube(4, -1.0, 1.0)?;
    let ill_starts = [array![-1.0, 1.0, -1.0, 1.0], array![0.0, 0.0, 0.0, 0.0]];
    let ill = |x_star| quadratic(ill_conditioned(), x_star);
    run("quad-ill-inside", ill(array![0.5, -0.2, 0.3, 0.7]), &cube4, &ill_starts);
    run("quad-ill-outside", ill(array![0.5, -2.0, 0.3, 1.5]), &cube4, &ill_starts);
    for d in [2, 10] {
        let classic =
            Array1::from_shape_fn(d, |i| if i % 2 == 0 { -1.2 } else { 1.0 });
        for (hi, seed) in [(2.0, 1), (0.5, 2)] {
            let bounds = Bounds::cube(d, -2.0, hi)?;
            let mut starts = vec![classic.clone()];
            starts.extend(random_starts(&bounds, 2, seed));
            run(&format!("rosenbrock-{d}"), rosenbrock, &bounds, &starts);
        }
    }
    let branin_box = Bounds::new(array![-5.0, 0.0], array![10.0, 15.0])?;
    let mut starts: Vec<Array1<f64>> = [[-5.0, 0.0], [10.0, 15.0], [2.5, 7.5]]
        .iter()
        .map(|s| array![s[0], s[1]])
        .collect();
    starts.extend(random_starts(&branin_box, 3, 3));
    run("branin", branin, &branin_box, &starts);
    let unit6 = Bounds::unit(6)?;
    run("hartmann6", hartmann6, &unit6, &random_starts(&unit6, 6, 4));
    let st_box = Bounds::cube(5, -2.0, 5.0)?;
    run(
        "styblinski-tang-5",
        styblinski_tang,
        &st_box,
        &random_starts(&st_box, 5, 5),
    );
    Ok(())
}
