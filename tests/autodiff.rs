//! The array tape against finite differences, closed forms and its error cases.

use gradbo::autodiff::{Tape, Var};
use gradbo::numeric::central_difference;
use gradbo::Error;
use ndarray::{arr0, arr1, arr2, Array1, ArrayD, IxDyn};
use proptest::prelude::*;

/// Central differences of a scalar function of several arrays, with respect to
/// input `k` (its elements in standard order, differenced as one vector).
fn numerical_gradient(
    f: &dyn Fn(&[ArrayD<f64>]) -> f64,
    inputs: &[ArrayD<f64>],
    k: usize,
) -> ArrayD<f64> {
    let shape = inputs[k].raw_dim();
    let flat: Array1<f64> = inputs[k].iter().copied().collect();
    let mut probe = inputs.to_vec();
    let grad = central_difference(
        |v| {
            probe[k] = ArrayD::from_shape_vec(shape.clone(), v.to_vec())
                .expect("same length");
            f(&probe)
        },
        &flat,
        1e-6,
    );
    grad.into_shape_with_order(shape).expect("same length")
}

/// A scalar-valued op under test: the array op, then a weighted sum with fixed
/// weights, so that every output element matters with a different weight.
type Op = for<'t> fn(&[Var<'t>]) -> Var<'t>;

/// Checks the tape's gradient of Σ w ⊙ op(inputs) against central differences.
fn check(name: &str, op: Op, inputs: Vec<ArrayD<f64>>) {
    let inputs = inputs.as_slice();
    let weights = {
        let tape = Tape::new();
        let vars: Vec<Var<'_>> =
            inputs.iter().map(|a| tape.constant(a.clone())).collect();
        let shape = tape.shape(op(&vars));
        let n = shape.iter().product::<usize>();
        ArrayD::from_shape_vec(
            IxDyn(&shape),
            (0..n).map(|i| 0.5 + 0.37 * ((i * 7) % 5) as f64).collect(),
        )
        .unwrap()
    };
    let value = |xs: &[ArrayD<f64>]| -> f64 {
        let tape = Tape::new();
        let vars: Vec<Var<'_>> =
            xs.iter().map(|a| tape.constant(a.clone())).collect();
        let out = op(&vars) * tape.constant(weights.clone());
        tape.item(out.sum()).unwrap()
    };
    let tape = Tape::new();
    let vars: Vec<Var<'_>> = inputs.iter().map(|a| tape.param(a.clone())).collect();
    let loss = (op(&vars) * tape.constant(weights.clone())).sum();
    tape.backward(loss).unwrap();
    for (k, v) in vars.iter().enumerate() {
        let analytic =
            tape.grad(*v).unwrap_or_else(|| ArrayD::zeros(inputs[k].raw_dim()));
        let numeric = numerical_gradient(&value, inputs, k);
        for (a, n) in analytic.iter().zip(&numeric) {
            let scale = n.abs().max(1.0);
            assert!(
                (a - n).abs() < 1e-5 * scale,
                "{name}, input {k}: tape {a} vs numeric {n}\n{analytic}\n{numeric}"
            );
        }
    }
}

fn array(shape: &[usize], values: &[f64]) -> ArrayD<f64> {
    let n = shape.iter().product::<usize>();
    ArrayD::from_shape_vec(
        IxDyn(shape),
        values.iter().copied().cycle().take(n).collect(),
    )
    .unwrap()
}

/// Pairs of shapes that broadcast, including equal shapes, scalars and stretched
/// axes.
fn broadcast_pairs() -> Vec<(Vec<usize>, Vec<usize>)> {
    vec![
        (vec![3], vec![3]),
        (vec![2, 3], vec![2, 3]),
        (vec![2, 3], vec![3]),
        (vec![2, 1], vec![1, 4]),
        (vec![4, 1, 3], vec![2, 1]),
        (vec![], vec![2, 2]),
        (vec![3, 2], vec![]),
    ]
}

fn values(len: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-2.0..2.0_f64, len)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn binary_ops_match_finite_differences(pair in 0..7usize, a in values(24), b in values(24)) {
        let (sa, sb) = broadcast_pairs()[pair].clone();
        let x = array(&sa, &a);
        // Keep divisors away from zero so the quotient is well conditioned.
        let y = array(&sb, &b).mapv(|v| if v.abs() < 0.5 { v.signum() * 0.5 + v } else { v });
        check("add", |v| v[0] + v[1], vec![x.clone(), y.clone()]);
        check("sub", |v| v[0] - v[1], vec![x.clone(), y.clone()]);
        check("mul", |v| v[0] * v[1], vec![x.clone(), y.clone()]);
        check("div", |v| v[0] / v[1], vec![x, y]);
    }

    #[test]
    fn unary_ops_match_finite_differences(shape in 0..4usize, a in values(24)) {
        let shape = [vec![], vec![5], vec![2, 3], vec![2, 2, 3]][shape].clone();
        let x = array(&shape, &a);
        let positive = x.mapv(|v| v.abs() + 0.3);
        let away_from_kink = x.mapv(|v| if v.abs() < 0.1 { v + 0.3 } else { v });
        check("neg", |v| -v[0], vec![x.clone()]);
        check("exp", |v| v[0].exp(), vec![x.clone()]);
        check("ln", |v| v[0].ln(), vec![positive.clone()]);
        check("sqrt", |v| v[0].sqrt(), vec![positive.clone()]);
        check("powf", |v| v[0].powf(1.7), vec![positive]);
        check("sigmoid", |v| v[0].sigmoid(), vec![x.clone()]);
        check("tanh", |v| v[0].tanh(), vec![x.clone()]);
        check("relu", |v| v[0].relu(), vec![away_from_kink]);
        check("softplus", |v| v[0].softplus(), vec![x.clone()]);
        check("square", |v| v[0].square(), vec![x.clone()]);
        check("sum", |v| v[0].sum(), vec![x.clone()]);
        check("mean", |v| v[0].mean(), vec![x]);
    }

    #[test]
    fn shape_ops_match_finite_differences(a in values(24), b in values(24)) {
        let x = array(&[2, 3, 4], &a);
        let m = array(&[3, 4], &b);
        check("sum_axis 0", |v| v[0].sum_axis(0), vec![x.clone()]);
        check("sum_axis 2", |v| v[0].sum_axis(2), vec![x.clone()]);
        check("mean_axis 1", |v| v[0].mean_axis(1), vec![x.clone()]);
        check("reshape", |v| v[0].reshape(&[6, 4]), vec![x.clone()]);
        check("transpose", |v| v[0].t(), vec![x.clone()]);
        check("slice", |v| v[0].slice(2, 1, 3), vec![x.clone()]);
        check("broadcast_to", |v| v[0].broadcast_to(&[2, 3, 4]), vec![m.clone()]);
        check("sum_to", |v| v[0].sum_to(&[3, 1]), vec![m.clone()]);
        check("concat", |v| v[0].tape().concat(&[v[0], v[1] * 2.0], 0), vec![m.clone(), m.clone()]);
        let (p, q) = (array(&[2, 3], &a), array(&[3, 4], &b));
        check("matmul", |v| v[0].matmul(v[1]), vec![p, q]);
        check("matrix-vector", |v| v[0].matmul(v[1]), vec![array(&[4, 3], &a), array(&[3, 1], &b)]);
        check("Aᵀ-vector", |v| v[0].gemm(v[1], true, false), vec![array(&[3, 4], &a), array(&[3, 1], &b)]);
        check("long inner dimension", |v| v[0].matmul(v[1]), vec![array(&[2, 6], &a), array(&[6, 3], &b)]);
        let (p, q) = (array(&[3, 2], &a), array(&[3, 4], &b));
        check("gemm Aᵀ B", |v| v[0].gemm(v[1], true, false), vec![p.clone(), q]);
        let q = array(&[4, 3], &b);
        check("gemm Aᵀ Bᵀ", |v| v[0].gemm(v[1], true, true), vec![p, q.clone()]);
        check("gemm A Bᵀ", |v| v[0].gemm(v[1], false, true), vec![array(&[2, 3], &a), q]);
        let (z, y) = (array(&[4], &a), array(&[4], &b).mapv(|t| (t + 2.0) / 4.0));
        check("bce_with_logits", |v| v[0].bce_with_logits(v[1]), vec![z, y]);
    }

    #[test]
    fn the_vjp_is_linear_in_the_upstream_array(v1 in values(6), v2 in values(6), c in -3.0..3.0_f64) {
        let grad_for = |v: &ArrayD<f64>| {
            let tape = Tape::new();
            let x = tape.param(arr2(&[[0.3, -1.2], [0.8, 0.1], [2.0, -0.4]]).into_dyn());
            let y = (x.tanh() * x).t(); // a (2, 3) output
            tape.backward_with(y, v.clone()).unwrap();
            tape.grad(x).unwrap()
        };
        let (a, b) = (array(&[2, 3], &v1), array(&[2, 3], &v2));
        let combined = grad_for(&(&a * c + &b));
        let separate = grad_for(&a) * c + grad_for(&b);
        for (l, r) in combined.iter().zip(&separate) {
            prop_assert!((l - r).abs() < 1e-12);
        }
    }
}

#[test]
fn derivatives_one_to_four_of_sigmoid_squared_at_one() {
    let tape = Tape::new();
    let x = tape.scalar_param(1.0);
    let mut d = x.sigmoid().square();
    let mut derivatives = Vec::new();
    for _ in 0..4 {
        d = tape.grad_graph(d, &[x]).unwrap()[0];
        derivatives.push(tape.item(d).unwrap());
    }
    let expected = [
        0.28746968091443026,
        -0.05553216715671277,
        -0.15883244188262885,
        0.17454883749094627,
    ];
    for (got, want) in derivatives.iter().zip(expected) {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
}

#[test]
fn a_hessian_vector_product_through_grad_graph() {
    // f(x) = Σ x_i³ has Hessian diag(6 x): the gradient of ⟨∇f, v⟩ is 6 x ⊙ v.
    let tape = Tape::new();
    let x = tape.param(arr1(&[1.0, -2.0, 0.5]).into_dyn());
    let v = tape.constant(arr1(&[1.0, 1.0, 2.0]).into_dyn());
    let g = tape.grad_graph(x.powf(3.0).sum(), &[x]).unwrap()[0];
    tape.backward((g * v).sum()).unwrap();
    assert_eq!(tape.grad(x).unwrap(), arr1(&[6.0, -12.0, 6.0]).into_dyn());
}

#[test]
fn upstream_weights_accumulate_until_zeroed() {
    // inp is 4×5 with ones on the diagonal; out = ((inp + 1)²)ᵀ; v = ones gives
    // 2(inp + 1).
    let mut inp = ArrayD::zeros(IxDyn(&[4, 5]));
    for i in 0..4 {
        inp[[i, i]] = 1.0;
    }
    let tape = Tape::new();
    let x = tape.param(inp.clone());
    let out = (x + 1.0).square().t();
    let ones = ArrayD::ones(IxDyn(&[5, 4]));
    let once = (&inp + 1.0) * 2.0;
    tape.backward_with(out, ones.clone()).unwrap();
    assert_eq!(tape.grad(x).unwrap(), once);
    tape.backward_with(out, ones.clone()).unwrap();
    assert_eq!(tape.grad(x).unwrap(), &once * 2.0);
    tape.zero_grad();
    assert!(tape.grad(x).is_none());
    tape.backward_with(out, ones).unwrap();
    assert_eq!(tape.grad(x).unwrap(), once);
}

#[test]
fn backward_leaves_no_scratch_nodes_behind() {
    let tape = Tape::new();
    let x = tape.param(arr1(&[1.0, 2.0]).into_dyn());
    let y = (x * x).sum();
    let before = tape.len();
    tape.backward(y).unwrap();
    assert_eq!(tape.len(), before);
}

#[test]
fn detach_and_no_grad_stop_the_gradient() {
    let tape = Tape::new();
    let x = tape.scalar_param(3.0);
    let y = x * tape.detach(x); // d/dx of x·c with c = 3 held constant
    tape.backward(y).unwrap();
    assert_eq!(tape.grad(x).unwrap(), arr0(3.0).into_dyn());
    let z = tape.no_grad(|| x * x);
    tape.zero_grad();
    tape.backward(z).unwrap();
    assert!(tape.grad(x).is_none(), "nothing recorded, so nothing flows back");
}

#[test]
fn the_graph_of_a_mean_of_an_affine_map_prints_as_a_chain() {
    let tape = Tape::new();
    let x = tape.param(ArrayD::ones(IxDyn(&[2, 3])));
    let w = tape.param(ArrayD::ones(IxDyn(&[3, 2])));
    let loss = (x.matmul(w) + 2.0).mean();
    let graph = tape.graph(loss);
    let names: Vec<&str> =
        graph.lines().map(|l| l.split_whitespace().nth(1).unwrap()).collect();
    assert_eq!(names, ["mean", "add", "matmul", "leaf", "leaf", "constant"]);
    assert!(graph.contains("constant (no gradient path) []"));
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let tape = Tape::new();
    let a = tape.param(ArrayD::ones(IxDyn(&[2, 3])));
    let b = tape.param(ArrayD::ones(IxDyn(&[2])));
    let bad = (a + b).exp(); // (2, 3) + (2,) does not broadcast; the error travels on
    assert!(matches!(tape.value(bad), Err(Error::ShapeMismatch { .. })));
    assert!(matches!(tape.backward(bad.sum()), Err(Error::ShapeMismatch { .. })));
    assert!(matches!(tape.value(a.matmul(a)), Err(Error::ShapeMismatch { .. })));
    assert!(matches!(tape.backward(a), Err(Error::NotScalar { .. })));
    let wrong = ArrayD::ones(IxDyn(&[3, 2]));
    assert!(matches!(
        tape.backward_with(a * 2.0, wrong),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(tape.item(a), Err(Error::NotScalar { .. })));
    assert!(matches!(
        tape.value(a.slice(1, 2, 5)),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        tape.value(a.sum_axis(2)),
        Err(Error::AxisOutOfBounds { axis: 2, ndim: 2 })
    ));
    let other = Tape::new();
    let c = other.param(ArrayD::ones(IxDyn(&[2, 3])));
    assert!(matches!(tape.value(a + c), Err(Error::InvalidInput { .. })));
}

#[test]
fn stable_primitives_survive_extreme_logits() {
    let tape = Tape::new();
    let z = tape.param(arr1(&[-800.0, 0.0, 800.0]).into_dyn());
    let y = tape.constant(arr1(&[0.0, 1.0, 1.0]).into_dyn());
    let loss = z.bce_with_logits(y);
    let values = tape.value(loss).unwrap();
    assert_eq!(values, arr1(&[0.0, 2f64.ln(), 0.0]).into_dyn());
    tape.backward(loss.sum()).unwrap();
    assert_eq!(tape.grad(z).unwrap(), arr1(&[0.0, -0.5, 0.0]).into_dyn());
}

#[test]
fn higher_derivatives_of_tanh_use_the_fused_backward_rule() {
    // t = tanh x: t' = 1 − t², t'' = −2 t t', t''' = (6t² − 2) t'.
    let x0 = 0.7_f64;
    let t = x0.tanh();
    let d1 = 1.0 - t * t;
    let expected = [d1, -2.0 * t * d1, (6.0 * t * t - 2.0) * d1];
    let tape = Tape::new();
    let x = tape.scalar_param(x0);
    let mut d = x.tanh();
    for want in expected {
        d = tape.grad_graph(d, &[x]).unwrap()[0];
        let got = tape.item(d).unwrap();
        assert!((got - want).abs() < 1e-14, "{got} vs {want}");
    }
}
