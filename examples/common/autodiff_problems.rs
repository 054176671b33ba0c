//! The autodiff problems that the criterion benchmark `benches/autodiff.rs` times and that
//! `examples/autodiff_compare.rs` times against PyTorch (whose side,
//! `benches/python/autodiff.py`, builds the same data).
use gradbo::autodiff::{Tape, Var};
use ndarray::{ArrayD, IxDyn};
use std::rc::Rc;

/// A deterministic array with entries spread over [−1, 1].
pub fn filled(shape: &[usize], salt: usize) -> ArrayD<f64> {
    let n: usize = shape.iter().product();
    let values =
        (0..n).map(|i| (((i * 7919 + salt * 104729) % 2003) as f64 / 1001.5) - 1.0);
    ArrayD::from_shape_vec(IxDyn(shape), values.collect()).expect("n values")
}

/// f(x) = xᵀ A x with x an n×1 column and A a constant n×n matrix.
pub fn quadratic<'t>(
    tape: &'t Tape,
    a: &Rc<ArrayD<f64>>,
    x: &ArrayD<f64>,
) -> Var<'t> {
    let (a, x) = (tape.constant(a.clone()), tape.param(x.clone()));
    x.t().matmul(a.matmul(x)).sum()
}

/// One layer's weights and biases, shared with every tape that uses them.
type Layer = (Rc<ArrayD<f64>>, Rc<ArrayD<f64>>);

/// The parameters of a 2-64-64-1 multilayer perceptron.
pub struct Mlp {
    layers: Vec<Layer>,
}

impl Mlp {
    pub fn new() -> Self {
        let sizes = [2, 64, 64, 1];
        let layers = sizes
            .windows(2)
            .enumerate()
            .map(|(k, w)| {
                let scale = 1.0 / (w[0] as f64).sqrt();
                let weights = filled(&[w[0], w[1]], k) * scale;
                (Rc::new(weights), Rc::new(filled(&[w[1]], k + 10) * 0.1))
            })
            .collect();
        Mlp { layers }
    }

    /// Mean squared error of the network on a batch: tanh hidden layers, a linear
    /// output.
    pub fn loss<'t>(
        &self,
        tape: &'t Tape,
        x: &Rc<ArrayD<f64>>,
        y: &Rc<ArrayD<f64>>,
    ) -> Var<'t> {
        let mut h = tape.constant(x.clone());
        let last = self.layers.len() - 1;
        for (k, (w, b)) in self.layers.iter().enumerate() {
            let z = h.matmul(tape.param(w.clone())) + tape.param(b.clone());
            h = if k < last { z.tanh() } else { z };
        }
        (h - tape.constant(y.clone())).square().mean()
    }
}
