//! A graph on arrays: Y = XW, Z = Y + 2, loss = mean(Z), and what backward leaves
//! behind.

use gradbo::autodiff::Tape;
use ndarray::{Array2, ArrayD, Ix2};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

/// A seeded matrix of standard-normal entries.
pub fn normal(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_simple_fn((rows, cols), || rng.sample(StandardNormal))
}

/// What the example computes and records.
pub struct Example {
    pub loss: f64,
    pub grad_x: Array2<f64>,
    pub grad_w: Array2<f64>,
    pub graph: String,
    /// What `backward` says when asked to start from the (2, 2) array Z.
    pub non_scalar: String,
}

// ANCHOR: graph
/// Records loss = mean(XW + 2) for a 2×3 X and a 3×2 W, backpropagates, and prints
/// the graph.
pub fn example(x: &Array2<f64>, w: &Array2<f64>) -> gradbo::Result<Example> {
    let tape = Tape::new();
    let xv = tape.param(x.clone().into_dyn());
    let wv = tape.param(w.clone().into_dyn());
    let z = xv.matmul(wv) + 2.0; // the 2 becomes a constant leaf
    let loss = z.mean();
    let before = tape.grad(xv); // None: no backward pass has run yet
    assert!(before.is_none());
    tape.backward(loss)?;
    let non_scalar = match tape.backward(z) {
        // Z has four elements: which one should be differentiated?
        Err(e) => e.to_string(),
        Ok(()) => String::from("no error"),
    };
    let matrix = |g: Option<ArrayD<f64>>| {
        g.unwrap_or_default()
            .into_dimensionality::<Ix2>()
            .map_err(|_| gradbo::Error::Empty { context: "gradient" })
    };
    Ok(Example {
        loss: tape.item(loss)?,
        grad_x: matrix(tape.grad(xv))?,
        grad_w: matrix(tape.grad(wv))?,
        graph: tape.graph(loss),
        non_scalar,
    })
}
// ANCHOR_END: graph

// ANCHOR: closed_form
/// The gradients in closed form. loss = (1/4) Σ_ik Σ_j X_ij W_jk + 2, so
/// ∂loss/∂X_ij = (1/4) Σ_k W_jk (the same for every row i) and
/// ∂loss/∂W_jk = (1/4) Σ_i X_ij (the same for every column k).
pub fn closed_form(x: &Array2<f64>, w: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
    let row_sums_w = w.sum_axis(ndarray::Axis(1)) / 4.0; // one value per j
    let col_sums_x = x.sum_axis(ndarray::Axis(0)) / 4.0; // one value per j
    let grad_x = Array2::from_shape_fn(x.raw_dim(), |(_, j)| row_sums_w[j]);
    let grad_w = Array2::from_shape_fn(w.raw_dim(), |(j, _)| col_sums_x[j]);
    (grad_x, grad_w)
}
// ANCHOR_END: closed_form

pub fn main() -> gradbo::Result<()> {
    let (x, w) = (normal(2, 3, 0), normal(3, 2, 1));
    let e = example(&x, &w)?;
    println!(
        "loss = {}\n∂loss/∂X =\n{:.4}\n∂loss/∂W =\n{:.4}",
        e.loss, e.grad_x, e.grad_w
    );
    print!("{}", e.graph);
    println!("backward from Z: {}", e.non_scalar);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradients_match_the_closed_form_for_any_data() {
        for seed in 0..5 {
            let (x, w) = (normal(2, 3, seed), normal(3, 2, seed + 100));
            let e = example(&x, &w).unwrap();
            let (gx, gw) = closed_form(&x, &w);
            assert!((&e.grad_x - &gx).iter().all(|d| d.abs() < 1e-15));
            assert!((&e.grad_w - &gw).iter().all(|d| d.abs() < 1e-15));
            assert_eq!(e.grad_x.row(0), e.grad_x.row(1));
            assert_eq!(e.grad_w.column(0), e.grad_w.column(1));
        }
    }

    #[test]
    fn the_graph_is_a_chain_from_mean_to_the_leaves() {
        let e = example(&normal(2, 3, 0), &normal(3, 2, 1)).unwrap();
        let ops: Vec<&str> =
            e.graph.lines().map(|l| l.split_whitespace().nth(1).unwrap()).collect();
        assert_eq!(ops, ["mean", "add", "matmul", "leaf", "leaf", "constant"]);
        assert!(e.non_scalar.contains("needs a single value, found shape [2, 2]"));
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
