//! The scalar engine at work: a small expression, its graph, and its gradients.

use gradbo::autodiff::scalar::Value;

// ANCHOR: example
/// f(a, b) = (a·b + a)·tanh(b), its value and ∂f/∂a, ∂f/∂b by backpropagation, and
/// the graph.
pub fn example(a0: f64, b0: f64) -> (f64, f64, f64, String) {
    let (a, b) = (Value::new(a0), Value::new(b0));
    let f = &(&(&a * &b) + &a) * &b.tanh();
    f.backward();
    (f.data(), a.grad(), b.grad(), f.graph())
}

/// The same two derivatives, worked out by hand.
pub fn by_hand(a: f64, b: f64) -> (f64, f64) {
    let t = b.tanh();
    let dfda = (b + 1.0) * t;
    let dfdb = a * t + (a * b + a) * (1.0 - t * t);
    (dfda, dfdb)
}
// ANCHOR_END: example

// ANCHOR: twice
/// ∂f/∂a after one and after two calls of `backward`, on the scalar engine and on the
/// array tape, for f(a, b) = (a·b + a)·tanh(b). The scalar engine resets every gradient
/// before it fills them in; the tape adds into buffers that persist until `zero_grad`.
pub fn backward_twice(a0: f64, b0: f64) -> gradbo::Result<[(f64, f64); 2]> {
    let (a, b) = (Value::new(a0), Value::new(b0));
    let f = &(&(&a * &b) + &a) * &b.tanh();
    f.backward();
    let scalar_once = a.grad();
    f.backward();
    let scalar = (scalar_once, a.grad());

    let tape = gradbo::autodiff::Tape::new();
    let (a, b) = (tape.scalar_param(a0), tape.scalar_param(b0));
    let f = (a * b + a) * b.tanh();
    let grad = || tape.grad(a).map_or(0.0, |g| g.sum());
    tape.backward(f)?;
    let tape_once = grad();
    tape.backward(f)?;
    Ok([scalar, (tape_once, grad())])
}
// ANCHOR_END: twice

pub fn main() {
    let (f, da, db, graph) = example(1.5, -0.7);
    println!("f = {f:.6}, ∂f/∂a = {da:.6}, ∂f/∂b = {db:.6}");
    println!("by hand: {:?}", by_hand(1.5, -0.7));
    print!("{graph}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backpropagation_agrees_with_the_hand_derivation() {
        for (a, b) in [(1.5, -0.7), (-2.0, 0.3), (0.1, 2.5)] {
            let (_, da, db, _) = example(a, b);
            let (ha, hb) = by_hand(a, b);
            assert!((da - ha).abs() < 1e-14 && (db - hb).abs() < 1e-14);
        }
    }

    #[test]
    fn the_scalar_engine_resets_and_the_tape_accumulates() {
        let [(s1, s2), (t1, t2)] = backward_twice(1.5, -0.7).unwrap();
        let (exact, _) = by_hand(1.5, -0.7);
        assert_eq!(s1, s2);
        assert!((s1 - exact).abs() < 1e-14 && (t1 - exact).abs() < 1e-14);
        assert_eq!(t2, 2.0 * t1);
    }

    #[test]
    fn the_graph_starts_at_the_output() {
        let (_, _, _, graph) = example(1.5, -0.7);
        assert!(graph.starts_with("mul"));
        assert_eq!(
            graph.lines().filter(|l| l.trim_start().starts_with("leaf")).count(),
            4
        );
    }

    #[test]
    fn main_runs() {
        main();
    }
}
