//! Extending the tape: a new differentiable operation, with a backward rule derived by hand.

use gradbo::autodiff::{Function, Tape, Var};
use gradbo::Result;
use ndarray::ArrayD;

// ANCHOR: custom
/// ‖x‖ = √(Σ xᵢ²), the Euclidean norm, as one operation. Its gradient x/‖x‖ is derived by
/// hand, and the backward rule uses it directly instead of differentiating a square, a sum
/// and a square root one after the other.
pub struct Norm;

impl Function for Norm {
    fn name(&self) -> &'static str {
        "norm"
    }
    fn forward(&self, inputs: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let norm = inputs[0].iter().map(|v| v * v).sum::<f64>().sqrt();
        Ok(ArrayD::from_elem(ndarray::IxDyn(&[]), norm))
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        inputs: &[Var<'t>],
        out: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![Some(g * inputs[0] / out)] // ḡ · x / ‖x‖, broadcasting the scalars
    }
}

/// ∇‖x‖ at x through the new operation.
pub fn norm_gradient(x: &ArrayD<f64>) -> Result<ArrayD<f64>> {
    let tape = Tape::new();
    let xv = tape.param(x.clone());
    tape.backward(tape.custom(Norm, &[xv]))?;
    Ok(tape.grad(xv).unwrap_or_else(|| ArrayD::zeros(x.raw_dim())))
}
// ANCHOR_END: custom

pub fn main() -> Result<()> {
    let x = ndarray::arr1(&[3.0, 4.0]).into_dyn();
    println!("∇‖x‖ at (3, 4) = {}", norm_gradient(&x)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hand_derived_rule_agrees_with_the_composed_operations() {
        let x = ndarray::arr1(&[0.3, -1.2, 2.5, 0.7]).into_dyn();
        let tape = Tape::new();
        let xv = tape.param(x.clone());
        tape.backward(xv.square().sum().sqrt()).unwrap();
        let composed = tape.grad(xv).unwrap();
        let custom = norm_gradient(&x).unwrap();
        assert!((&composed - &custom).iter().all(|d| d.abs() < 1e-15));
        assert_eq!(
            norm_gradient(&ndarray::arr1(&[3.0, 4.0]).into_dyn()).unwrap(),
            ndarray::arr1(&[0.6, 0.8]).into_dyn()
        );
    }

    #[test]
    fn the_custom_rule_can_be_differentiated_again() {
        // ∂²‖x‖/∂x² in direction e₁ at (3, 4): (‖x‖² − x₁²)/‖x‖³ = 16/125.
        let tape = Tape::new();
        let x = tape.param(ndarray::arr1(&[3.0, 4.0]).into_dyn());
        let g = tape.grad_graph(tape.custom(Norm, &[x]), &[x]).unwrap()[0];
        tape.backward(g.slice(0, 0, 1).sum()).unwrap();
        let h = tape.grad(x).unwrap();
        assert!((h[0] - 16.0 / 125.0).abs() < 1e-15);
        assert!((h[1] + 12.0 / 125.0).abs() < 1e-15);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
