//! Backward from an array-valued output: the upstream array v, and gradients that
//! accumulate.

use gradbo::autodiff::Tape;
use ndarray::{Array2, ArrayD, IxDyn};

// ANCHOR: identity_like
/// The 4×5 "identity-like" matrix: ones at (i, i) for i = 0..3, zeros elsewhere.
pub fn identity_like() -> Array2<f64> {
    Array2::from_shape_fn((4, 5), |(i, j)| if i == j { 1.0 } else { 0.0 })
}
// ANCHOR_END: identity_like

// ANCHOR: vjp
/// out = ((inp + 1)²)ᵀ, a 5×4 array, and the gradient on inp after backward with v
/// = ones: once, twice without resetting, and once more after `zero_grad`.
pub fn backward_with_ones() -> gradbo::Result<(ArrayD<f64>, [ArrayD<f64>; 3])> {
    let tape = Tape::new();
    let inp = tape.param(identity_like().into_dyn());
    let out = (inp + 1.0).square().t();
    let v = ArrayD::ones(IxDyn(&[5, 4])); // one weight per output element
    let grad = || tape.grad(inp).unwrap_or_default();
    tape.backward_with(out, v.clone())?;
    let once = grad();
    tape.backward_with(out, v.clone())?; // the record is still there: run it again
    let twice = grad();
    tape.zero_grad();
    tape.backward_with(out, v)?;
    Ok((tape.value(out)?, [once, twice, grad()]))
}
// ANCHOR_END: vjp

pub fn main() -> gradbo::Result<()> {
    let (out, [once, twice, again]) = backward_with_ones()?;
    println!("out =\n{out}\ngrad once =\n{once}\ntwice =\n{twice}\nafter zero_grad =\n{again}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradients_are_two_times_inp_plus_one() {
        let (out, [once, twice, again]) = backward_with_ones().unwrap();
        for ((i, j), &o) in out
            .clone()
            .into_dimensionality::<ndarray::Ix2>()
            .unwrap()
            .indexed_iter()
        {
            assert_eq!(o, if i == j { 4.0 } else { 1.0 });
        }
        let expected = (identity_like() + 1.0) * 2.0; // 4 on the diagonal, 2 elsewhere
        assert_eq!(once, expected.clone().into_dyn());
        assert_eq!(twice, (expected * 2.0).into_dyn());
        assert_eq!(again, once);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
