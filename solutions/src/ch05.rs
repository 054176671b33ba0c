//! Chapter 5, gradients of array-valued outputs: VJPs with an upstream array,
//! accumulation, the Jacobian and a JVP, the weighting experiment, figures and
//! exercise answers.

use crate::figures::{cell_grids, CellGrid, Colour, Layer, Legend, LinePlot};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo::autodiff::Tape;
use gradbo_listings::ch05::{jacobian, vjp, weighting};
use ndarray::{Array1, Array2, ArrayD, IxDyn};
use std::fmt::Write as _;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part1", "ch05");

/// The first-row weights of the weighting experiment: linspace(0.5, 1, 21).
fn weights() -> Vec<f64> {
    (0..=20).map(|k| 0.5 + 0.025 * f64::from(k)).collect()
}

/// Everything chapter 5 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("weighting"), weighting_figure()),
        Artifact::new(CTX.figure("jacobian"), jacobian_figure()),
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
    r.section("cost", cost_section());
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

/// Exercise 3: the distinct values of the gradient at w = 0.75, largest first, each
/// with the entries that take it (row-major). Values that agree to 1e-12 are one
/// value.
pub fn exercise_distinct_values() -> Vec<(f64, Vec<(usize, usize)>)> {
    let g = weighting::sensitivity(&vjp::identity_like(), 0.75)
        .expect("the example is well formed");
    let mut groups: Vec<(f64, Vec<(usize, usize)>)> = Vec::new();
    for (d, &v) in g.indexed_iter() {
        match groups.iter_mut().find(|(u, _)| (u - v).abs() < 1e-12) {
            Some((_, entries)) => entries.push((d[0], d[1])),
            None => groups.push((v, vec![(d[0], d[1])])),
        }
    }
    groups.sort_by(|a, b| b.0.total_cmp(&a.0));
    groups
}

/// The problems of the side-by-side measurement and, for each, the cost of a gradient
/// in function evaluations, (forward + backward) / forward, for the tape and for
/// PyTorch: parsed from the measured table (columns problem, rust fwd, torch fwd,
/// rust f+b, torch f+b, ratio).
pub fn gradient_cost_ratios(table: &str) -> Vec<(String, f64, f64)> {
    table
        .lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let num = |k: usize| cols.get(k)?.parse::<f64>().ok();
            match (cols.len(), num(1), num(2), num(3), num(4)) {
                (6, Some(rf), Some(tf), Some(rb), Some(tb)) => {
                    Some((cols[0].to_owned(), rb / rf, tb / tf))
                }
                _ => None,
            }
        })
        .collect()
}

/// The measured table of the tape against PyTorch (kept as measured, not regenerated).
pub const MEASUREMENTS: &str = "book/appendix/measurements/autodiff-vs-pytorch.txt";

fn cost_section() -> String {
    let path = crate::repo_root().join(MEASUREMENTS);
    let table = std::fs::read_to_string(&path).unwrap_or_default();
    let mut out = String::from(
        "(forward + backward) / forward, from the measured table\nproblem            tape   PyTorch\n",
    );
    for (name, tape, torch) in gradient_cost_ratios(&table) {
        let _ = writeln!(out, "{name:<15} {tape:>7.2}   {torch:>7.2}");
    }
    out
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
    let w = 0.75;
    let sum = 4.0 * w + 16.0 * (1.0 - w);
    let forms = [
        (
            "363w/S",
            363.0 * w / sum,
            "the diagonal entry fed by the weight-w output row",
        ),
        ("300w/S", 300.0 * w / sum, "off the diagonal, fed by the weight-w row"),
        ("363(1 − w)/S", 363.0 * (1.0 - w) / sum, "the other diagonal entries"),
        ("300(1 − w)/S", 300.0 * (1.0 - w) / sum, "everything else"),
    ];
    let mut values = String::new();
    for ((value, entries), (form, closed, role)) in
        exercise_distinct_values().iter().zip(forms)
    {
        let _ = writeln!(
            values,
            "   {value:>7.4} = {form:<12} ({closed:.4}) × {:>2}: {role}",
            entries.len()
        );
    }
    format!(
        "1. see the jacobian section: 400 entries, 20 non-zero, and vᵀJ = the VJP\n\
         2. largest gap between the two-pass JVP and central differences: {:.1e}\n\
         3. at w = 0.75 (S = 4w + 16(1 − w) = {sum}) the 20 entries take four values, largest first:\n\
         {values}   \
         entry (i, j) is 3(inp_ij + 10)² v_ji: the factor is 363 where inp = 1 (the diagonal,\n   \
         i = j) and 300 elsewhere; the weight v_ji is w/S in column j = 0 (output row 0) and\n   \
         (1 − w)/S in the other four columns. Column 0 holds one diagonal entry and three others;\n   \
         columns 1–4 hold three diagonal entries and thirteen others\n\
         4. largest gap between grad(2.5 v₁ + v₂) and 2.5 grad(v₁) + grad(v₂): {:.1e}\n   \
         every backward rule is linear in the adjoint it receives, so the whole sweep is linear in v",
        exercise_jvp(),
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
    plot.layers = vec![
        Layer::line("(0,0): diagonal, weight w", measured((0, 0)), 0),
        Layer::line("(1,0): off-diagonal, weight w", measured((1, 0)), 1),
        Layer::line("(1,1): diagonal, weight 1 − w", measured((1, 1)), 2),
        Layer::line("(0,1): off-diagonal, weight 1 − w", measured((0, 1)), 3),
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
        colour: Colour::Palette(0),
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
        // Four distinct values, one answer: counts 1, 3, 3, 13, largest first.
        let groups = exercise_distinct_values();
        let counts: Vec<usize> = groups.iter().map(|g| g.1.len()).collect();
        assert_eq!(counts, [1, 3, 3, 13]);
        assert_eq!(groups[0].1, [(0, 0)]); // the diagonal entry of the weight-w row
        assert_eq!(groups[1].1, [(1, 0), (2, 0), (3, 0)]);
        assert_eq!(groups[2].1, [(1, 1), (2, 2), (3, 3)]);
        let (w, s) = (0.75, 7.0);
        for (g, want) in groups.iter().zip([
            363.0 * w,
            300.0 * w,
            363.0 * (1.0 - w),
            300.0 * (1.0 - w),
        ]) {
            assert!((g.0 - want / s).abs() < 1e-12);
        }
        assert!(exercise_linearity() < 1e-12);
    }

    #[test]
    fn gradient_costs_match_the_chapter() {
        // The chapter quotes these ratios from the measured table, rounded.
        let table = std::fs::read_to_string(crate::repo_root().join(MEASUREMENTS))
            .expect("the measured table is in the book");
        let ratios = gradient_cost_ratios(&table);
        let rounded: Vec<(&str, f64, f64)> = ratios
            .iter()
            .map(|(n, t, p)| {
                (n.as_str(), (t * 10.0).round() / 10.0, (p * 10.0).round() / 10.0)
            })
            .collect();
        assert_eq!(
            rounded,
            [
                ("mlp", 1.4, 2.9),
                ("quadratic_100", 2.6, 5.1),
                ("quadratic_1000", 2.0, 2.4)
            ]
        );
        // "PyTorch's forward pass takes 22 µs for what the tape does in 4".
        let row = table
            .lines()
            .find(|l| l.starts_with("quadratic_100 "))
            .expect("a quadratic_100 row");
        let cols: Vec<f64> =
            row.split_whitespace().skip(1).map(|c| c.parse().unwrap()).collect();
        assert_eq!((cols[0].round(), cols[1].round()), (4.0, 22.0));
    }
}
