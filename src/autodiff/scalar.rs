//! A reverse-mode autodiff engine for single numbers, small enough to read in one
//! sitting.
//!
//! Each [`Value`] remembers the values it was computed from and the *local
//! derivative* of itself with respect to each of them, worked out when it was
//! computed. `backward` then visits the graph from the output down, in reverse
//! topological order, and applies the chain rule: every parent receives the child's
//! gradient times the local derivative. This file uses nothing but the standard
//! library.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::{Add, Div, Mul, Neg, Sub};
use std::rc::Rc;

// ANCHOR: value
/// A number in a computation graph. Cloning a `Value` clones a handle, not the
/// node.
#[derive(Clone)]
pub struct Value(Rc<Node>);

struct Node {
    data: f64,
    /// ∂output/∂self, filled in by `backward`.
    grad: Cell<f64>,
    /// The operation that made this value ("leaf" for an input).
    op: &'static str,
    /// The inputs of that operation, each with ∂self/∂input.
    parents: Vec<(Value, f64)>,
}

impl Value {
    /// An input: a leaf of the graph.
    pub fn new(data: f64) -> Value {
        Value::from_op(data, "leaf", Vec::new())
    }

    /// The result `data` of an operation called `op`, with each input and the local
    /// derivative ∂data/∂input: how every operation below is built, and how to add
    /// one of your own.
    pub fn from_op(
        data: f64,
        op: &'static str,
        parents: Vec<(Value, f64)>,
    ) -> Value {
        Value(Rc::new(Node { data, grad: Cell::new(0.0), op, parents }))
    }

    /// The number itself.
    pub fn data(&self) -> f64 {
        self.0.data
    }

    /// ∂output/∂self after [`backward`](Value::backward) on some output.
    pub fn grad(&self) -> f64 {
        self.0.grad.get()
    }
}
// ANCHOR_END: value

// ANCHOR: ops
impl Value {
    /// eˣ; its derivative is eˣ again.
    pub fn exp(&self) -> Value {
        let e = self.data().exp();
        Value::from_op(e, "exp", vec![(self.clone(), e)])
    }

    /// ln x; derivative 1/x.
    pub fn ln(&self) -> Value {
        Value::from_op(
            self.data().ln(),
            "ln",
            vec![(self.clone(), 1.0 / self.data())],
        )
    }

    /// xᵖ; derivative p·xᵖ⁻¹.
    pub fn powf(&self, p: f64) -> Value {
        let x = self.data();
        Value::from_op(x.powf(p), "powf", vec![(self.clone(), p * x.powf(p - 1.0))])
    }

    /// tanh x; derivative 1 − tanh² x.
    pub fn tanh(&self) -> Value {
        let t = self.data().tanh();
        Value::from_op(t, "tanh", vec![(self.clone(), 1.0 - t * t)])
    }

    /// σ(x) = 1/(1 + e⁻ˣ); derivative σ(x)(1 − σ(x)).
    pub fn sigmoid(&self) -> Value {
        let s = 1.0 / (1.0 + (-self.data()).exp());
        Value::from_op(s, "sigmoid", vec![(self.clone(), s * (1.0 - s))])
    }

    /// max(x, 0); derivative 1 for x > 0, else 0.
    pub fn relu(&self) -> Value {
        let x = self.data();
        let slope = if x > 0.0 { 1.0 } else { 0.0 };
        Value::from_op(x.max(0.0), "relu", vec![(self.clone(), slope)])
    }
}

impl Add for &Value {
    type Output = Value;
    fn add(self, other: &Value) -> Value {
        let parents = vec![(self.clone(), 1.0), (other.clone(), 1.0)];
        Value::from_op(self.data() + other.data(), "add", parents)
    }
}

impl Mul for &Value {
    type Output = Value;
    fn mul(self, other: &Value) -> Value {
        // ∂(ab)/∂a = b and ∂(ab)/∂b = a.
        let parents =
            vec![(self.clone(), other.data()), (other.clone(), self.data())];
        Value::from_op(self.data() * other.data(), "mul", parents)
    }
}

impl Neg for &Value {
    type Output = Value;
    fn neg(self) -> Value {
        Value::from_op(-self.data(), "neg", vec![(self.clone(), -1.0)])
    }
}

impl Sub for &Value {
    type Output = Value;
    fn sub(self, other: &Value) -> Value {
        self + &(-other)
    }
}

impl Div for &Value {
    type Output = Value;
    fn div(self, other: &Value) -> Value {
        self * &other.powf(-1.0)
    }
}
// ANCHOR_END: ops

// ANCHOR: backward
impl Value {
    /// Sets the gradient of every value this one was computed from to ∂self/∂value.
    pub fn backward(&self) {
        let order = self.topological_order();
        for v in &order {
            v.0.grad.set(0.0);
        }
        self.0.grad.set(1.0); // ∂self/∂self

        // Children come after their parents in `order`: walk it backwards, so that a
        // value's gradient is complete before it is passed on to the value's parents.
        for v in order.iter().rev() {
            for (parent, local) in &v.0.parents {
                parent.0.grad.set(parent.grad() + v.grad() * local);
            }
        }
    }

    /// Every value this one depends on, parents before children (a depth-first
    /// post-order).
    fn topological_order(&self) -> Vec<Value> {
        fn visit(
            v: &Value,
            seen: &mut HashSet<*const Node>,
            order: &mut Vec<Value>,
        ) {
            if seen.insert(Rc::as_ptr(&v.0)) {
                for (parent, _) in &v.0.parents {
                    visit(parent, seen, order);
                }
                order.push(v.clone());
            }
        }
        let mut order = Vec::new();
        visit(self, &mut HashSet::new(), &mut order);
        order
    }
}
// ANCHOR_END: backward

// ANCHOR: graph
impl Value {
    /// The graph below this value as an indented tree, one node a line.
    pub fn graph(&self) -> String {
        fn walk(v: &Value, depth: usize, out: &mut String) {
            let _ = writeln!(
                out,
                "{}{} = {:.4} (grad {:.4})",
                "  ".repeat(depth),
                v.0.op,
                v.data(),
                v.grad()
            );
            for (parent, _) in &v.0.parents {
                walk(parent, depth + 1, out);
            }
        }
        let mut out = String::new();
        walk(self, 0, &mut out);
        out
    }
}
// ANCHOR_END: graph

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::derivative;

    #[test]
    fn gradients_of_a_small_expression_match_the_hand_derivation() {
        // f(a, b) = (a·b + a)·tanh(b): ∂f/∂a = (b + 1)·tanh b, ∂f/∂b = a·tanh b +
        // (ab + a)(1 − tanh² b)
        let (a, b) = (Value::new(1.5), Value::new(-0.7));
        let f = &(&(&a * &b) + &a) * &b.tanh();
        f.backward();
        let (x, y) = (1.5_f64, -0.7_f64);
        assert!((a.grad() - (y + 1.0) * y.tanh()).abs() < 1e-15);
        let dfdb = x * y.tanh() + (x * y + x) * (1.0 - y.tanh().powi(2));
        assert!((b.grad() - dfdb).abs() < 1e-15);
    }

    #[test]
    fn a_value_used_twice_collects_both_contributions() {
        let x = Value::new(3.0);
        let y = &x * &x; // x²: gradient 2x, one x from each use
        y.backward();
        assert_eq!(x.grad(), 6.0);
    }

    #[test]
    fn every_operation_agrees_with_finite_differences() {
        type Case = (&'static str, fn(&Value) -> Value, fn(f64) -> f64);
        let ops: [Case; 6] = [
            ("exp", |v| v.exp(), f64::exp),
            ("ln", |v| v.ln(), f64::ln),
            ("powf", |v| v.powf(2.5), |x| x.powf(2.5)),
            ("tanh", |v| v.tanh(), f64::tanh),
            ("sigmoid", |v| v.sigmoid(), |x| 1.0 / (1.0 + (-x).exp())),
            (
                "div",
                |v| &Value::new(2.0) / &(v - &Value::new(0.3)),
                |x| 2.0 / (x - 0.3),
            ),
        ];
        for (name, op, f) in ops {
            for x0 in [0.4, 1.1, 2.7] {
                let x = Value::new(x0);
                op(&x).backward();
                let fd = derivative(f, x0, 1e-6);
                assert!(
                    (x.grad() - fd).abs() < 1e-6 * fd.abs().max(1.0),
                    "{name} at {x0}"
                );
            }
        }
    }

    #[test]
    fn backward_twice_gives_the_same_gradients() {
        let x = Value::new(0.5);
        let y = &x.exp() * &x;
        y.backward();
        let first = x.grad();
        y.backward();
        assert_eq!(x.grad(), first);
    }
}
