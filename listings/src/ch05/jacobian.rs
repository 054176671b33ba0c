//! The Jacobian, one row per backward pass; and a Jacobian–vector product from two
//! backward passes.

use gradbo::autodiff::{Tape, Var};
use ndarray::{Array1, Array2, ArrayD, IxDyn};

/// A differentiable map from an array to an array, as a function on tape values.
pub type Map = for<'t> fn(Var<'t>) -> Var<'t>;

// ANCHOR: jacobian
/// The full Jacobian J[k, i] = ∂out_k/∂x_i of `f` at `x`, both flattened in
/// row-major order. Row k is the vector–Jacobian product with v = e_k: one backward
/// pass per output.
pub fn jacobian(f: Map, x: &ArrayD<f64>) -> gradbo::Result<Array2<f64>> {
    let tape = Tape::new();
    let xv = tape.param(x.clone());
    let out = f(xv);
    let shape = out.shape();
    let outputs: usize = shape.iter().product();
    let mut j = Array2::zeros((outputs, x.len()));
    for k in 0..outputs {
        let mut e_k = ArrayD::zeros(IxDyn(&shape));
        e_k.as_slice_mut().unwrap_or(&mut [])[k] = 1.0;
        tape.zero_grad();
        tape.backward_with(out, e_k)?;
        let row = tape.grad(xv).unwrap_or_else(|| ArrayD::zeros(x.raw_dim()));
        j.row_mut(k).assign(&Array1::from_iter(row.iter().copied()));
    }
    Ok(j)
}
// ANCHOR_END: jacobian

// ANCHOR: jvp
/// The Jacobian–vector product J·u without forming J. The VJP g(v) = Jᵀv is linear
/// in v, so ∂⟨g(v), u⟩/∂v = J u: record the first backward pass (with `grad_graph`)
/// for a symbolic v, then differentiate it with respect to v.
pub fn jvp(
    f: Map,
    x: &ArrayD<f64>,
    u: &ArrayD<f64>,
) -> gradbo::Result<ArrayD<f64>> {
    let tape = Tape::new();
    let xv = tape.param(x.clone());
    let out = f(xv);
    // any value: g is linear in v
    let v = tape.param(ArrayD::zeros(IxDyn(&out.shape())));
    let jt_v = tape.grad_graph((out * v).sum(), &[xv])?[0]; // Jᵀ v, recorded
    tape.backward((jt_v * tape.constant(u.clone())).sum())?;
    Ok(tape.grad(v).unwrap_or_else(|| ArrayD::zeros(IxDyn(&out.shape()))))
}
// ANCHOR_END: jvp

/// out = ((inp + 1)²)ᵀ, the chapter's map.
pub fn squared_transposed(x: Var<'_>) -> Var<'_> {
    (x + 1.0).square().t()
}

pub fn main() -> gradbo::Result<()> {
    let x = identity_like_4x5();
    let j = jacobian(squared_transposed, &x)?;
    let nonzero = j.iter().filter(|v| **v != 0.0).count();
    println!("J is {:?} with {nonzero} non-zero entries", j.dim());
    Ok(())
}

/// The chapter's 4×5 identity-like input (repeated here so that the file stands
/// alone).
fn identity_like_4x5() -> ArrayD<f64> {
    ArrayD::from_shape_fn(IxDyn(&[4, 5]), |d| if d[0] == d[1] { 1.0 } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tanh_matmul(x: Var<'_>) -> Var<'_> {
        let w = x.tape().constant(
            ArrayD::from_shape_vec(
                IxDyn(&[3, 2]),
                vec![0.5, -1.0, 2.0, 0.3, -0.7, 1.1],
            )
            .unwrap(),
        );
        x.matmul(w).tanh()
    }

    #[test]
    fn the_jacobian_of_the_chapter_map_is_a_scaled_permutation() {
        let x = identity_like_4x5();
        let j = jacobian(squared_transposed, &x).unwrap();
        assert_eq!(j.dim(), (20, 20));
        // out[a, b] = (x[b, a] + 1)², so ∂out[a, b]/∂x[b, a] = 2(x[b, a] + 1).
        for ((k, i), &v) in j.indexed_iter() {
            let (a, b) = (k / 4, k % 4);
            let expected =
                if i == b * 5 + a { 2.0 * (x[[b, a]] + 1.0) } else { 0.0 };
            assert_eq!(v, expected);
        }
    }

    #[test]
    fn jvp_and_vjp_agree_with_the_full_jacobian() {
        let x = ArrayD::from_shape_vec(
            IxDyn(&[2, 3]),
            vec![0.1, -0.4, 0.9, 1.3, 0.2, -0.8],
        )
        .unwrap();
        let j = jacobian(tanh_matmul, &x).unwrap();
        let u = ArrayD::from_shape_vec(
            IxDyn(&[2, 3]),
            vec![1.0, 2.0, -1.0, 0.5, 0.0, 3.0],
        )
        .unwrap();
        let ju = jvp(tanh_matmul, &x, &u).unwrap();
        let expected = j.dot(&Array1::from_iter(u.iter().copied()));
        for (a, b) in ju.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
