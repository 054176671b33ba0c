//! Chapter 2, common array operations: worked outputs, the precision and
//! broadcasting figures and exercise answers.

use crate::figures::{cell_grids, CellGrid, Layer, Legend, LinePlot};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo_listings::ch02::{
    axes, broadcasting, extrema, grids, precision, reductions,
};
use ndarray::{array, Array2, Array3, Axis};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part1", "ch02");

/// Everything chapter 2 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("precision"), precision_figure()),
        Artifact::new(CTX.figure("broadcasting"), broadcasting_figure()),
    ]
}

/// The numbers of terms at which the precision figure samples the running sums: 10
/// per decade.
fn sample_sizes() -> Vec<u32> {
    let mut ns: Vec<u32> =
        (0..=60).map(|k| 10f64.powf(f64::from(k) / 10.0).round() as u32).collect();
    ns.dedup();
    ns
}

/// How many decades the f32 error lies above the f64 error, log₁₀(e₃₂/e₆₄), at each
/// sample size of the precision figure where both errors are non-zero; and the
/// ratio of the unit roundoffs in decades, log₁₀(2²⁹).
pub fn decade_gaps() -> (Vec<f64>, f64) {
    let (u32_, u64_) = precision::unit_roundoffs();
    let gaps = sample_sizes()
        .into_iter()
        .map(precision::repeated_sum_errors)
        .filter(|&(e32, e64)| e32 > 0.0 && e64 > 0.0)
        .map(|(e32, e64)| (e32 / e64).log10())
        .collect();
    (gaps, (u32_ / u64_).log10())
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn report() -> String {
    let mut r = Report::new();
    let (u32_, u64_) = precision::unit_roundoffs();
    let mut prec = format!(
        "unit roundoff u: f32 {u32_:.3e}, f64 {u64_:.3e}\nrelative errors of the running sums:\n"
    );
    for n in [10, 1_000, 100_000, 1_000_000] {
        let (e32, e64) = precision::repeated_sum_errors(n);
        let bound32 = f64::from(n) * u32_;
        prec.push_str(&format!(
            "n = {n:>7}: f32 {e32:.2e} (n·u {bound32:.2e})   f64 {e64:.2e} (n·u {:.2e})\n",
            f64::from(n) * u64_
        ));
    }
    let (gaps, roundoffs) = decade_gaps();
    let (lo, hi) =
        gaps.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &g| {
            (l.min(g), h.max(g))
        });
    prec.push_str(&format!(
        "f32 error over f64 error, at the figure's {} sample sizes where both are non-zero:\n\
         median {:.1} decades ({lo:.1} to {hi:.1}); the unit roundoffs differ by log₁₀ 2²⁹ = {roundoffs:.2}\n",
        gaps.len(),
        median(&gaps)
    ));
    r.section("precision", prec);
    let s = axes::squeeze_example().expect("the listing's data fill its shape");
    let (row, col, last) = axes::row_and_column();
    r.section(
        "axes",
        format!("squeeze (1, 1, 4) → {:?}: {s}\ninsert_axis(Axis(0)) → {row:?}, Axis(1) → {col:?}, Axis(ndim) → {last:?}", s.shape()),
    );
    let (tall, wide) = grids::joined().expect("the listing's blocks agree");
    r.section(
        "grids",
        format!(
            "linspace(0, 1, 5) = {}\neye(4) =\n{}\nalong axis 0: {:?}; along axis 1: {:?}",
            grids::grid(),
            grids::identity(),
            tall.dim(),
            wide.dim()
        ),
    );
    let (all, cols, rows) = reductions::sample_std();
    r.section(
        "std",
        format!("all entries {all:.4}\nper column (axis 0) {cols:.4}\nper row (axis 1) {rows:.4}"),
    );
    r.section(
        "extrema",
        extrema::extrema().expect("the listing's data hold no NaN"),
    );
    let (kept, _) = extrema::keep_positive().expect("the listing's shapes agree");
    r.section(
        "select",
        format!("keep positive entries of [-2, -1, 0, 1, 2]: {kept}"),
    );
    let col = array![[0.0], [10.0], [20.0]];
    let view =
        broadcasting::stretched_column(&col).expect("(3, 1) stretches to (3, 4)");
    r.section(
        "broadcasting",
        format!(
            "(3, 1) with (1, 4) → {:?}\n(2, 3) with (3,) → {:?}\n(2, 3) with (2,) → {:?}\n\
             column + row =\n{}\nthe stretched column: strides {:?}",
            broadcasting::broadcast_shape(&[3, 1], &[1, 4]),
            broadcasting::broadcast_shape(&[2, 3], &[3]),
            broadcasting::broadcast_shape(&[2, 3], &[2]),
            broadcasting::table(),
            view.strides()
        ),
    );
    r.section("answers", answers());
    r.finish()
}

/// Exercise 1: the standard deviation by hand, for any `ddof`.
pub fn std_by_hand(values: &[f64], ddof: f64) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let squares: f64 = values.iter().map(|x| (x - mean).powi(2)).sum();
    (squares / (n - ddof)).sqrt()
}

/// Exercise 2: all pairwise squared distances between the rows of `x` (n×d) and `y`
/// (m×d), by broadcasting (n, 1, d) against (1, m, d) and summing the last axis.
pub fn pairwise_sq_dists(x: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
    let diff: Array3<f64> =
        &x.view().insert_axis(Axis(1)) - &y.view().insert_axis(Axis(0));
    diff.mapv(|v| v * v).sum_axis(Axis(2))
}

/// The same distances through the expansion |x|² + |y|² − 2 x·y, which needs only a
/// matrix product.
pub fn pairwise_sq_dists_expanded(x: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
    let xx = x.mapv(|v| v * v).sum_axis(Axis(1)).insert_axis(Axis(1));
    let yy = y.mapv(|v| v * v).sum_axis(Axis(1)).insert_axis(Axis(0));
    &xx + &yy - 2.0 * x.dot(&y.t())
}

/// Exercise 3: Kahan's compensated summation of 0.1 in f32, against the plain
/// running sum.
pub fn kahan_error(n: u32) -> f64 {
    let (mut sum, mut carry) = (0.0_f32, 0.0_f32);
    for _ in 0..n {
        let y = 0.1_f32 - carry; // the term, corrected by what the last addition lost
        let t = sum + y;
        carry = (t - sum) - y; // what this addition lost
        sum = t;
    }
    let exact = f64::from(n) / 10.0;
    (f64::from(sum) - exact).abs() / exact
}

/// Exercise 4: the last index of the largest entry.
pub fn argmax_last(x: &[f64]) -> Option<usize> {
    let best = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    x.iter().rposition(|&v| v == best)
}

fn answers() -> String {
    let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let x = array![[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]];
    let y = array![[1.0, 1.0], [3.0, 4.0]];
    let d = pairwise_sq_dists(&x, &y);
    let gap = (&d - &pairwise_sq_dists_expanded(&x, &y))
        .mapv(f64::abs)
        .fold(0.0_f64, |m, &v| m.max(v));
    let (naive, _) = precision::repeated_sum_errors(1_000_000);
    let ties = [1.0, 3.0, 3.0, 2.0];
    format!(
        "1. std by hand: ddof 1 → {:.4}, ddof 0 → {:.4} (√(35/12) = {:.4})\n\
         2. squared distances =\n{d}\n   largest gap to the expanded form: {gap:.1e}\n\
         3. n = 1e6 in f32: plain sum {naive:.2e}, Kahan {:.2e}\n\
         4. [1, 3, 3, 2]: argmax (first) {:?}, argmax_last {:?}",
        std_by_hand(&a, 1.0),
        std_by_hand(&a, 0.0),
        (35.0_f64 / 12.0).sqrt(),
        kahan_error(1_000_000),
        gradbo::array::argmax(&ndarray::aview1(&ties)).ok(),
        argmax_last(&ties),
    )
}

fn precision_figure() -> String {
    let (u32_, u64_) = precision::unit_roundoffs();
    let ns = sample_sizes();
    let errors: Vec<(f64, f64, f64)> = ns
        .iter()
        .map(|&n| {
            let (e32, e64) = precision::repeated_sum_errors(n);
            (f64::from(n), e32, e64)
        })
        .collect();
    // An error of exactly zero has no place on a log axis: those few points are
    // left out.
    let nonzero = |pick: fn(&(f64, f64, f64)) -> f64| -> Vec<(f64, f64)> {
        errors.iter().map(|e| (e.0, pick(e))).filter(|p| p.1 > 0.0).collect()
    };
    let bound =
        |u: f64| ns.iter().map(|&n| (f64::from(n), f64::from(n) * u)).collect();
    let mut plot = LinePlot::new(
        "Adding 0.1 n times: error grows with n",
        "number of terms n",
        "relative error",
    );
    plot.x_log = true;
    plot.y_log = true;
    plot.legend = Legend::MiddleRight;
    plot.layers = vec![
        Layer::line("f32 running sum", nonzero(|e| e.1), 1),
        Layer::dashed("f32 bound n·u", bound(u32_), 1),
        Layer::line("f64 running sum", nonzero(|e| e.2), 0),
        Layer::dashed("f64 bound n·u", bound(u64_), 0),
    ];
    plot.render().expect("the precision figure draws")
}

fn grid_panel(
    title: &str,
    values: &Array2<f64>,
    real: impl Fn(usize, usize) -> bool,
    colour: usize,
) -> CellGrid {
    let (rows, cols) = values.dim();
    CellGrid {
        title: title.to_owned(),
        labels: (0..rows)
            .map(|i| (0..cols).map(|j| format!("{}", values[[i, j]])).collect())
            .collect(),
        shade: (0..rows)
            .map(|i| {
                (0..cols).map(|j| if real(i, j) { 0.55 } else { 0.12 }).collect()
            })
            .collect(),
        colour: colour.into(),
        axes: ("column j".to_owned(), "row i".to_owned()),
        font: 22,
    }
}

fn broadcasting_figure() -> String {
    let col = array![[0.0], [10.0], [20.0]];
    let row = array![[0.0, 1.0, 2.0, 3.0]];
    let col_view =
        col.broadcast((3, 4)).expect("(3, 1) stretches to (3, 4)").to_owned();
    let row_view =
        row.broadcast((3, 4)).expect("(1, 4) stretches to (3, 4)").to_owned();
    let layout = vec![
        vec![
            grid_panel(
                "col (3, 1), stretched: strides [1, 0]",
                &col_view,
                |_, j| j == 0,
                0,
            ),
            grid_panel(
                "row (1, 4), stretched: strides [0, 1]",
                &row_view,
                |i, _| i == 0,
                1,
            ),
        ],
        vec![grid_panel(
            "col + row: shape (3, 4)",
            &broadcasting::table(),
            |_, _| true,
            2,
        )],
    ];
    cell_grids(
        "Broadcasting (3, 1) with (1, 4): pale cells are never stored",
        (900, 700),
        &layout,
    )
    .expect("the broadcasting figure draws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_answers() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert!((std_by_hand(&a, 1.0) - 3.5_f64.sqrt()).abs() < 1e-15);
        assert!((std_by_hand(&a, 0.0) - (35.0_f64 / 12.0).sqrt()).abs() < 1e-15);
        let x = array![[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]];
        let y = array![[1.0, 1.0], [3.0, 4.0]];
        assert_eq!(
            pairwise_sq_dists(&x, &y),
            array![[2.0, 25.0], [1.0, 20.0], [2.0, 13.0]]
        );
        let gap = &pairwise_sq_dists(&x, &y) - &pairwise_sq_dists_expanded(&x, &y);
        assert!(gap.iter().all(|g| g.abs() < 1e-12));
        let (naive, _) = precision::repeated_sum_errors(1_000_000);
        assert!(kahan_error(1_000_000) < naive / 1000.0);
        assert_eq!(kahan_error(1_000_000), 0.0); // "lands on 100 000 exactly"
        assert_eq!(argmax_last(&[1.0, 3.0, 3.0, 2.0]), Some(2));
    }

    #[test]
    fn the_f32_curve_lies_about_nine_decades_above_the_f64_curve() {
        // The chapter says "about nine decades"; the roundoffs alone give 8.73.
        let (gaps, roundoffs) = decade_gaps();
        assert!((roundoffs - 29.0 * 2f64.log10()).abs() < 1e-12);
        let m = median(&gaps);
        assert!((8.5..9.5).contains(&m), "median gap {m}");
    }
}
