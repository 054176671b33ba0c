//! Chapter 5, gradients of array-valued outputs: VJPs with an upstream array,
//! accumulation, the Jacobian and a JVP, the weighting experiment, figures and
//! exercise answers.

use crate::report::Report;
use crate::style::{cell_grids, CellGrid, Legend, LinePlot, Series};
use crate::Artifact;
use gradbo::autodiff::Tape;
use gradbo_listings::ch05::{jacobian, vjp, weighting};
use ndarray::{Array1, Array2, ArrayD, IxDyn};
use std::fmt::Write as _;

const OUTPUT: &str = "book/part1/outputs/ch05.txt";
const WEIGHTING_FIGURE: &str = "book/part1/figures/ch05-weighting.svg";
const JACOBIAN_FIGURE: &str = "book/part1/figures/ch05-jacobian.svg";

/// The first-row weights of the weighting experiment: linspace(0.5, 1, 21).
fn weights() -> Vec<f64> {
    (0..=20).map(|k| 0.5 + 0.025 * f64::from(k)).collect()
}

/// Everything chapter 5 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(OUTPUT, report()),
        Artifact::new(WEIGHTING_FIGURE, weighting_figure()),
        Artifact::new(JACOBIAN_FIGURE, jacobian_figure()),
    ]
}

fn report() -> String {
    let mut r = Report::new();
    r.section("inp", format!("inp =\n{}", vjp::identity_like()));
    let (out, [once, twice, again]) =
        vjp::backward_with_ones().expect("the example is well formed");
    r.section("out", format!("out = ((inp + 1)²)ᵀ =\n{out}"));
    r.section(
        "accumulate",
        format!("after backward_with(out, ones):\n{once}\nafter a second call:\n{twice}\nafter zero_grad and a third call:\n{again}"),
    );
    let x = vjp::identity_like().into_dyn();
    let j = jacobian::jacobian(jacobian::squared_transposed, &x)
        .expect("the map is well formed");
    let nonzero = j.iter().filter(|v| **v != 0.0).count();
    let v = ArrayD::ones(IxDyn(&[5, 4]));
    let vt_j = Array1::from_iter(v.iter().copied()).dot(&j);
    let same = vt_j.iter().zip(once.iter()).all(|(a, b)| (a - b).abs() < 1e-15);
    r.section(
        "jacobian",
        format!("J has shape {:?}: {} entries, {nonzero} of them non-zero\nvᵀJ with v = ones equals the VJP above: {same}", j.dim(), j.len()),
    );
    let mut table =
        String::from("    w     (0,0)    (0,1)    (1,0)    (1,1)   sum of all 20   closed form\n");
    for w in weights() {
        let g = weighting::sensitivity(&vjp::identity_like(), w)
            .expect("the example is well formed");
        let (_, sum) = weighting::closed_form(w);
        let _ = writeln!(
            table,
            "{w:.3}  {:7.3}  {:7.3}  {:7.3}  {:7.3}   {:13.3}   {sum:11.3}",
            g[[0, 0]],
            g[[0, 1]],
            g[[1, 0]],
            g[[1, 1]],
            g.sum()
        );
    }
    r.section("weighting", table);
    r.section("answers", answers());
    r.finish()
}

/// Exercise 2: J·u by two backward passes, against central differences of the map.
pub fn exercise_jvp() -> f64 {
    let x = ArrayD::from_shape_fn(IxDyn(&[4, 5]), |d| {
        0.1 * (d[0] as f64) - 0.2 * (d[1] as f64)
    });
    let u = ArrayD::from_shape_fn(IxDyn(&[4, 5]), |d| {
        ((d[0] * 5 + d[1]) % 3) as f64 - 1.0
    });
    let ju = jacobian::jvp(jacobian::squared_transposed, &x, &u)
        .expect("the map is well formed");
    let h = 1e-6;
    let eval = |x: &ArrayD<f64>| {
        let tape = Tape::new();
        tape.value(jacobian::squared_transposed(tape.constant(x.clone())))
            .expect("well formed")
    };
    let numeric = (eval(&(&x + &(&u * h))) - eval(&(&x - &(&u * h)))) / (2.0 * h);
    (&ju - &numeric).fold(0.0_f64, |m, d| m.max(d.abs()))
}

/// Exercise 3: the most sensitive input entries at w = 0.75 (largest gradient,
/// row-major).
pub fn exercise_most_sensitive() -> Vec<((usize, usize), f64)> {
    let g = weighting::sensitivity(&vjp::identity_like(), 0.75)
        .expect("the example is well formed");
    let mut entries: Vec<((usize, usize), f64)> =
        g.indexed_iter().map(|(d, &v)| ((d[0], d[1]), v)).collect();
    entries.sort_by(|a, b| b.1.total_cmp(&a.1));
    entries.truncate(3);
    entries
}

/// Exercise 4: the VJP is linear in v: grad(a v₁ + v₂) − (a grad(v₁) + grad(v₂)).
pub fn exercise_linearity() -> f64 {
    let inp = vjp::identity_like();
    let grad = |v: Array2<f64>| {
        let tape = Tape::new();
        let x = tape.param(inp.clone().into_dyn());
        tape.backward_with((x + 10.0).powf(3.0).t(), v.into_dyn())
            .expect("shapes agree");
        tape.grad(x).expect("x is a parameter")
    };
    let (v1, v2) = (weighting::upstream(0.6), weighting::upstream(0.9));
    let combined = grad(&v1 * 2.5 + &v2);
    let separate = grad(v1) * 2.5 + grad(v2);
    (&combined - &separate).fold(0.0_f64, |m, d| m.max(d.abs()))
}

fn answers() -> String {
    format!(
        "1. see the jacobian section: 400 entries, 20 non-zero, and vᵀJ = the VJP\n\
         2. largest gap between the two-pass JVP and central differences: {:.1e}\n\
         3. most sensitive entries at w = 0.75: {:?}\n   \
         (0, 0) is fed by the weight-w row with the diagonal factor 363; (1, 0), (2, 0) by the same\n   \
         row with the factor 300; the weight-(1 − w) rows give at most 363 (1 − w)/S\n\
         4. largest gap between grad(2.5 v₁ + v₂) and 2.5 grad(v₁) + grad(v₂): {:.1e}\n   \
         every backward rule is linear in the adjoint it receives, so the whole sweep is linear in v",
        exercise_jvp(),
        exercise_most_sensitive().iter().map(|(ij, v)| (*ij, (v * 1e4).round() / 1e4)).collect::<Vec<_>>(),
        exercise_linearity()
    )
}

fn weighting_figure() -> String {
    let ws = weights();
    let measured = |(i, j): (usize, usize)| -> Vec<(f64, f64)> {
        ws.iter()
            .map(|&w| {
                (
                    w,
                    weighting::sensitivity(&vjp::identity_like(), w)
                        .expect("well formed")[[i, j]],
                )
            })
            .collect()
    };
    let mut plot = LinePlot::new(
        "Effect of upstream weighting on gradient magnitudes",
        "weight w of the first output row",
        "entry of inp.grad",
    );
    plot.legend = Legend::UpperLeft;
    plot.series = vec![
        Series::line("(0,0): diagonal, weight w", measured((0, 0)), 0),
        Series::line("(1,0): off-diagonal, weight w", measured((1, 0)), 1),
        Series::line("(1,1): diagonal, weight 1 − w", measured((1, 1)), 2),
        Series::line("(0,1): off-diagonal, weight 1 − w", measured((0, 1)), 3),
    ];
    plot.render().expect("the weighting figure draws")
}

fn jacobian_figure() -> String {
    let x = vjp::identity_like().into_dyn();
    let j = jacobian::jacobian(jacobian::squared_transposed, &x)
        .expect("the map is well formed");
    let label = |v: f64| if v == 0.0 { String::new() } else { format!("{v}") };
    let panel = CellGrid {
        title: "rows: outputs out[a, b]; columns: inputs inp[i, j] (row-major)"
            .into(),
        labels: j
            .outer_iter()
            .map(|row| row.iter().map(|&v| label(v)).collect())
            .collect(),
        shade: j
            .outer_iter()
            .map(|row| row.iter().map(|&v| v / 4.0 * 0.8).collect())
            .collect(),
        colour: 0,
        axes: ("input index".into(), "output index".into()),
        font: 16,
    };
    cell_grids(
        "The Jacobian of ((inp + 1)²)ᵀ: 400 entries, 20 non-zero",
        (900, 900),
        &[vec![panel]],
    )
    .expect("the Jacobian figure draws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_answers() {
        assert!(exercise_jvp() < 1e-8);
        let top = exercise_most_sensitive();
        assert_eq!(top[0].0, (0, 0)); // the diagonal entry fed by the heavily weighted row
        assert!(exercise_linearity() < 1e-12);
    }
}
