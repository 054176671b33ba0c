//! Chapter 4, automatic differentiation and computation graphs: the scalar engine,
//! a graph on arrays, a define-by-run example, higher derivatives, the graph
//! diagram and exercise answers.

use crate::figures::{diagram, DiagramNode};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo::autodiff::scalar::Value;
use gradbo_listings::ch04::{dynamic, graph, higher, scalar};
use std::fmt::Write as _;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part1", "ch04");

/// Everything chapter 4 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("graph"), graph_figure()),
    ]
}

fn report() -> String {
    let mut r = Report::new();
    let (f, da, db, tree) = scalar::example(1.5, -0.7);
    let (ha, hb) = scalar::by_hand(1.5, -0.7);
    r.section(
        "scalar",
        format!("f = {f:.6}\nbackward: ∂f/∂a = {da:.12}, ∂f/∂b = {db:.12}\nby hand:  ∂f/∂a = {ha:.12}, ∂f/∂b = {hb:.12}\n{tree}"),
    );
    let [(s1, s2), (t1, t2)] =
        scalar::backward_twice(1.5, -0.7).expect("scalar roots");
    r.section(
        "twice",
        format!(
            "∂f/∂a after one backward, then after a second one:\n\
             scalar engine: {s1:.12}, {s2:.12}   (reset, then filled in)\n\
             array tape:    {t1:.12}, {t2:.12}   (added to the buffer)"
        ),
    );
    let (x, w) = (graph::normal(2, 3, 0), graph::normal(3, 2, 1));
    let e = graph::example(&x, &w).expect("the example is well formed");
    r.section("data", format!("X =\n{x:.4}\nW =\n{w:.4}"));
    r.section(
        "gradients",
        format!(
            "loss = {:.6}\n∂loss/∂X =\n{:.4}\n∂loss/∂W =\n{:.4}",
            e.loss, e.grad_x, e.grad_w
        ),
    );
    r.section("graph", e.graph);
    r.section("non_scalar", format!("tape.backward(z) → error: {}", e.non_scalar));
    let mut dynamic = String::new();
    for x in [1.5, 3.0] {
        let (y, dydx, nodes) = dynamic::power_until_ten(x).expect("scalar");
        let _ = writeln!(
            dynamic,
            "x = {x}: y = {y:.4}, dy/dx = {dydx:.4}, nodes recorded: {nodes}"
        );
    }
    r.section("dynamic", dynamic);
    let taped =
        higher::derivatives(|x| x.sigmoid().square(), 1.0, 4).expect("scalar");
    let exact = higher::sigmoid_squared_closed_form(1.0);
    let mut table = String::from("n   from the tape          closed form\n");
    for (k, (t, e)) in taped.iter().zip(exact).enumerate() {
        let _ = writeln!(table, "{}   {t:>20.17}   {e:>20.17}", k + 1);
    }
    r.section("higher", table);
    r.section("answers", answers());
    r.finish()
}

/// Exercise 1: sin as a new scalar operation (local derivative cos x), and d/dx
/// sin²x = sin 2x.
pub fn exercise_sin(x0: f64) -> (f64, f64) {
    fn sin(v: &Value) -> Value {
        Value::from_op(v.data().sin(), "sin", vec![(v.clone(), v.data().cos())])
    }
    let x = Value::new(x0);
    let s = sin(&x);
    (&s * &s).backward();
    (x.grad(), (2.0 * x0).sin())
}

/// Exercise 2: for X drawn with seed `seed` and W with `seed + 1`, the rows of
/// ∂loss/∂X are equal and hold W's row sums over 4; for the loss Σ Z², whose
/// gradient 2 Z Wᵀ depends on the row, they are not.
pub fn exercise_rows(seed: u64) -> (bool, bool) {
    use gradbo::autodiff::Tape;
    let (x, w) = (graph::normal(2, 3, seed), graph::normal(3, 2, seed + 1));
    let e = graph::example(&x, &w).expect("the example is well formed");
    let expected = w.sum_axis(ndarray::Axis(1)) / 4.0;
    let mean_rows_equal = e
        .grad_x
        .rows()
        .into_iter()
        .all(|row| (&row - &expected).iter().all(|d| d.abs() < 1e-15));
    let tape = Tape::new();
    let (xv, wv) = (tape.param(x.into_dyn()), tape.param(w.into_dyn()));
    tape.backward((xv.matmul(wv) + 2.0).square().sum()).expect("scalar loss");
    let g = tape.grad(xv).expect("X is a parameter");
    let squares_rows_equal =
        g.index_axis(ndarray::Axis(0), 0) == g.index_axis(ndarray::Axis(0), 1);
    (mean_rows_equal, squares_rows_equal)
}

/// Exercise 3: five derivatives of tanh at 0 (1, 0, −2, 0, 16).
pub fn exercise_tanh() -> Vec<f64> {
    higher::derivatives(|x| x.tanh(), 0.0, 5).expect("scalar")
}

fn answers() -> String {
    let (taped, exact) = exercise_sin(0.8);
    let (mean_rows, square_rows) = exercise_rows(7);
    format!(
        "1. d/dx sin²x at 0.8: backward {taped:.15}, sin 1.6 = {exact:.15}\n\
         2. X = normal(2, 3, 7), W = normal(3, 2, 8). Mean loss: rows equal, holding W's row sums / 4: {}\n   \
         Loss Σ Z²: rows equal: {} — its gradient 2(XW + 2)Wᵀ has row i built from row i of X\n\
         3. derivatives 1–5 of tanh at 0: {:?}",
        mean_rows,
        square_rows,
        exercise_tanh().iter().map(|d| (d * 1e12).round() / 1e12).collect::<Vec<_>>()
    )
}

fn graph_figure() -> String {
    let node =
        |title: &str, detail: &str, at: (f64, f64), colour: usize| DiagramNode {
            title: title.to_owned(),
            detail: detail.to_owned(),
            at,
            colour: colour.into(),
        };
    let nodes = [
        node("X", "parameter (2, 3)", (0.14, 0.86), 0),
        node("W", "parameter (3, 2)", (0.52, 0.86), 0),
        node("2", "constant ()", (0.84, 0.56), 6),
        node("matmul", "Y = XW (2, 2)", (0.33, 0.56), 2),
        node("add", "Z = Y + 2 (2, 2)", (0.6, 0.3), 2),
        node("mean", "loss ()", (0.6, 0.07), 3),
    ];
    let forward = [(0, 3), (1, 3), (3, 4), (2, 4), (4, 5)];
    let backward = [(5, 4), (4, 3), (3, 0), (3, 1)];
    diagram(
        "The graph of loss = mean(XW + 2)",
        (900, 660),
        &nodes,
        &forward,
        &backward,
        ("forward: values", "backward: adjoints, to parameters only"),
    )
    .expect("the graph figure draws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_answers() {
        let (taped, exact) = exercise_sin(0.8);
        assert!((taped - exact).abs() < 1e-15);
        assert_eq!(exercise_rows(7), (true, false));
        let expected = [1.0, 0.0, -2.0, 0.0, 16.0];
        for (d, e) in exercise_tanh().iter().zip(expected) {
            assert!((d - e).abs() < 1e-12, "{d} vs {e}");
        }
    }
}
