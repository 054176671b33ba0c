//! The smallest learning problem: one linear layer, three logits, a cross-entropy
//! loss, and the loop that learns it.

use gradbo::autodiff::{Tape, Var};
use ndarray::{Array1, Array2, ArrayD, IxDyn};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

// ANCHOR: model
/// The parameters of z = xW + b, with x ∈ R⁵ and three outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub w: Array2<f64>,
    pub b: Array1<f64>,
}

impl Model {
    /// W (5×3) and b (3) with independent standard-normal entries.
    pub fn random(seed: u64) -> Model {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut normal = || rng.sample::<f64, _>(StandardNormal);
        let w = Array2::from_shape_simple_fn((5, 3), &mut normal);
        let b = Array1::from_shape_simple_fn(3, &mut normal);
        Model { w, b }
    }

    /// A random W, and the b that makes the first logits exactly `z0`: with x all
    /// ones, z = (column sums of W) + b.
    pub fn with_logits(z0: [f64; 3], seed: u64) -> Model {
        let Model { w, .. } = Model::random(seed);
        let b = Array1::from(z0.to_vec()) - w.sum_axis(ndarray::Axis(0));
        Model { w, b }
    }
}
// ANCHOR_END: model

// ANCHOR: forward
/// Records the forward pass on `tape`: the logits z = xW + b for the input
/// x = (1, 1, 1, 1, 1), and the binary cross-entropy of z against the targets
/// y = (0, 0, 0), averaged over the outputs.
pub fn forward<'t>(tape: &'t Tape, w: Var<'t>, b: Var<'t>) -> (Var<'t>, Var<'t>) {
    let x = tape.constant(ArrayD::ones(IxDyn(&[1, 5])));
    let y = tape.constant(ArrayD::zeros(IxDyn(&[1, 3])));
    let z = x.matmul(w) + b; // (1, 5)·(5, 3) + (3,) → (1, 3)
    let loss = z.bce_with_logits(y).mean();
    (z, loss)
}
// ANCHOR_END: forward

// ANCHOR: step
/// The loss and its gradients with respect to W and b, from one forward and
/// backward pass.
pub fn loss_and_gradients(
    model: &Model,
) -> gradbo::Result<(f64, Array2<f64>, Array1<f64>)> {
    let tape = Tape::new(); // a fresh record for every pass
    let w = tape.param(model.w.clone().into_dyn());
    let b = tape.param(model.b.clone().into_dyn());
    let (_, loss) = forward(&tape, w, b);
    tape.backward(loss)?;
    let shape_error = |_| gradbo::Error::Empty { context: "gradient" };
    let gw = tape
        .grad(w)
        .unwrap_or_default()
        .into_dimensionality()
        .map_err(shape_error)?;
    let gb = tape
        .grad(b)
        .unwrap_or_default()
        .into_dimensionality()
        .map_err(shape_error)?;
    Ok((tape.item(loss)?, gw, gb))
}

/// One step of gradient descent with learning rate `lr`. Returns the loss *before*
/// the update.
pub fn step(model: &mut Model, lr: f64) -> gradbo::Result<f64> {
    let (loss, gw, gb) = loss_and_gradients(model)?;
    // The update changes plain arrays, outside any tape: it is never part of a
    // graph.
    model.w.scaled_add(-lr, &gw);
    model.b.scaled_add(-lr, &gb);
    Ok(loss)
}
// ANCHOR_END: step

// ANCHOR: train
/// Steps with learning rate `lr` until the recorded loss is at most `threshold` or
/// `max_steps` steps have run. Each recorded loss is the loss *before* its step's
/// update.
pub fn train(
    model: &mut Model,
    lr: f64,
    threshold: f64,
    max_steps: usize,
) -> gradbo::Result<Vec<f64>> {
    let mut history = Vec::new();
    while history.len() < max_steps {
        let loss = step(model, lr)?;
        history.push(loss);
        if loss <= threshold {
            break;
        }
    }
    Ok(history)
}
// ANCHOR_END: train

// ANCHOR: logits
/// The logits z = xW + b of the model, computed directly: with x all ones, the
/// column sums of W plus b.
pub fn logits(model: &Model) -> Array1<f64> {
    model.w.sum_axis(ndarray::Axis(0)) + &model.b
}

/// What one step does to the logits, predicted without the model: each weight in
/// column j and the bias b_j move by −η σ(z_j)/3, and z_j is the sum of six of
/// them, so z_j ← z_j − 2η σ(z_j).
pub fn logit_map(z: &Array1<f64>, lr: f64) -> Array1<f64> {
    z.mapv(|zj| zj - 2.0 * lr / (1.0 + (-zj).exp()))
}
// ANCHOR_END: logits

// ANCHOR: inspect
/// What the tape recorded for the logits and for the loss, and what `detach`
/// leaves.
pub fn inspect(model: &Model) -> (String, String, String) {
    let tape = Tape::new();
    let w = tape.param(model.w.clone().into_dyn());
    let b = tape.param(model.b.clone().into_dyn());
    let (z, loss) = forward(&tape, w, b);
    let detached = tape.detach(z);
    (tape.graph(z), tape.graph(loss), tape.graph(detached))
}

/// Two backward passes over one recorded loss, without zeroing in between: the
/// second adds to the first. Returns ∂L/∂b after one pass, after two, and after
/// `zero_grad` and a third.
pub fn accumulation(model: &Model) -> gradbo::Result<[Array1<f64>; 3]> {
    let tape = Tape::new();
    let w = tape.param(model.w.clone().into_dyn());
    let b = tape.param(model.b.clone().into_dyn());
    let (_, loss) = forward(&tape, w, b);
    let grad_b = || -> gradbo::Result<Array1<f64>> {
        let g = tape.grad(b).unwrap_or_default();
        g.into_dimensionality()
            .map_err(|_| gradbo::Error::Empty { context: "gradient" })
    };
    tape.backward(loss)?;
    let once = grad_b()?;
    tape.backward(loss)?;
    let twice = grad_b()?;
    tape.zero_grad();
    tape.backward(loss)?;
    Ok([once, twice, grad_b()?])
}
// ANCHOR_END: inspect

pub fn main() -> gradbo::Result<()> {
    let mut model = Model::with_logits([1.3755, -0.6023, -4.8127], 0);
    let (loss, gw, gb) = loss_and_gradients(&model)?;
    println!("z = {:.4}, loss = {loss:.6}", logits(&model));
    println!("∂L/∂b = {gb:.6}\n∂L/∂W =\n{gw:.6}");
    step(&mut model, 0.1)?;
    println!("after one step: z = {:.4}", logits(&model));
    let history = train(&mut model, 0.1, 0.01, 1000)?;
    println!(
        "{} more steps to reach {:.6}",
        history.len(),
        history[history.len() - 1]
    );
    let (z_graph, loss_graph, _) = inspect(&model);
    println!("graph of z:\n{z_graph}graph of the loss:\n{loss_graph}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z0: [f64; 3] = [1.3755, -0.6023, -4.8127];

    fn sigmoid(z: f64) -> f64 {
        1.0 / (1.0 + (-z).exp())
    }

    #[test]
    fn loss_and_gradients_match_the_closed_forms() {
        let model = Model::with_logits(Z0, 0);
        let (loss, gw, gb) = loss_and_gradients(&model).unwrap();
        // L = (1/3) Σ ln(1 + e^{z_j}) and ∂L/∂b_j = σ(z_j)/3 when y = 0.
        let expected: f64 = Z0.iter().map(|z| z.exp().ln_1p()).sum::<f64>() / 3.0;
        assert!((loss - expected).abs() < 1e-12);
        assert!((loss - 0.681859).abs() < 1e-6);
        for (g, want) in gb.iter().zip([0.266089, 0.117939, 0.002687]) {
            assert!((g - want).abs() < 1e-6, "{g} vs {want}");
        }
        // x is all ones, so every row of ∂L/∂W is ∂L/∂b.
        for row in gw.rows() {
            assert_eq!(row, gb);
        }
        for (g, z) in gb.iter().zip(Z0) {
            assert!((g - sigmoid(z) / 3.0).abs() < 1e-15);
        }
    }

    #[test]
    fn cross_entropy_in_logits_equals_the_probability_form() {
        // softplus(z) − yz = −[y ln σ(z) + (1 − y) ln(1 − σ(z))] for moderate z, where the
        // probability form has not yet lost its digits to 1 − σ(z).
        let tape = Tape::new();
        let zs = [-4.8127, -0.6023, 0.0, 1.3755, 3.0];
        let z = tape.constant(ndarray::arr1(&zs).into_dyn());
        for y in [0.0, 1.0, 0.3] {
            let target = tape.constant(ArrayD::from_elem(IxDyn(&[zs.len()]), y));
            let logits_form = tape.value(z.bce_with_logits(target)).unwrap();
            for (l, &zj) in logits_form.iter().zip(&zs) {
                let p: f64 = sigmoid(zj);
                let probability_form = -(y * p.ln() + (1.0 - y) * (1.0 - p).ln());
                assert!((l - probability_form).abs() < 1e-12, "z = {zj}, y = {y}");
            }
        }
    }

    #[test]
    fn the_initial_logits_are_the_requested_ones_for_any_seed() {
        for seed in [0, 1, 2] {
            let z = logits(&Model::with_logits(Z0, seed));
            assert!(z.iter().zip(Z0).all(|(a, b)| (a - b).abs() < 1e-12));
        }
    }

    #[test]
    fn twenty_steps_follow_the_recomputed_trajectory() {
        let mut model = Model::with_logits(Z0, 0);
        step(&mut model, 0.1).unwrap();
        let expected = [
            0.631923, 0.585535, 0.542649, 0.503176, 0.466989, 0.433927, 0.403803,
            0.376413, 0.351543, 0.328978, 0.308507, 0.289929, 0.273054, 0.257709,
            0.243733, 0.230982, 0.219328, 0.208654, 0.198858, 0.189849,
        ];
        for want in expected {
            let loss = step(&mut model, 0.1).unwrap();
            assert!((loss - want).abs() < 1e-5, "{loss} vs {want}");
        }
    }

    #[test]
    fn the_logit_map_predicts_every_step() {
        let mut model = Model::with_logits(Z0, 3);
        for _ in 0..50 {
            let predicted = logit_map(&logits(&model), 0.7);
            step(&mut model, 0.7).unwrap();
            let gap = (&predicted - &logits(&model)).mapv(f64::abs);
            assert!(gap.iter().all(|g| *g < 1e-12));
        }
    }

    #[test]
    fn backward_accumulates_until_zeroed() {
        let [once, twice, again] =
            accumulation(&Model::with_logits(Z0, 0)).unwrap();
        assert_eq!(twice, &once * 2.0);
        assert_eq!(again, once);
    }

    #[test]
    fn the_graphs_name_the_operations() {
        let (z, loss, detached) = inspect(&Model::random(0));
        assert!(z.starts_with("#") && z.lines().next().unwrap().contains("add"));
        assert!(z.contains("matmul") && z.contains("leaf (parameter"));
        assert!(loss.lines().next().unwrap().contains("mean"));
        assert!(detached.contains("detach (constant: no gradient path)"));
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
