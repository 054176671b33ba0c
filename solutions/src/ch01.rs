//! Chapter 1, array fundamentals: worked outputs, the memory-layout figure and
//! exercise answers.

use crate::figures::{cell_grids, CellGrid, Colour};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo_listings::ch01::{
    creation, in_place, products, shapes, slicing, strides, views,
};
use ndarray::{s, Array2, Array3, ArrayView2};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part1", "ch01");

/// Everything chapter 1 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("memory-layout"), layout_figure()),
    ]
}

fn report() -> String {
    let mut r = Report::new();
    let buffer =
        creation::from_buffer().expect("the listing's buffer fills its shape");
    let (ones, zeros, uniform) = creation::like(&Array2::zeros((2, 3)), 42);
    r.section(
        "creation",
        format!(
            "literal (i32):\n{}\nfrom a buffer (f64):\n{buffer}\nones:\n{ones}\n\
             zeros:\n{zeros}\nuniform on [0, 1), seed 42:\n{uniform:.4}",
            creation::from_literal()
        ),
    );
    let [v, m, t] = shapes::shapes();
    let [t0, t1, t2, t3] = shapes::index_away(7);
    r.section(
        "shapes",
        format!("1-D {v:?}, 2-D {m:?}, 3-D {t:?}\nt {t0:?} → t[0] {t1:?} → t[0, 0] {t2:?} → t[0, 0, 0] {t3:?}"),
    );
    let [c, f, tr] = strides::strides_of_2x3x4();
    let a = strides::numbered_3x4();
    r.section(
        "strides",
        format!(
            "strides of (2, 3, 4): row-major {c:?}, column-major {f:?}, transposed {tr:?}\n\
             offsets of a (3×4, strides {:?}):\n{}\noffsets of a.t() (4×3, strides {:?}):\n{}\n\
             a.t() in standard layout: {}",
            a.strides(),
            strides::offsets(a.view()),
            a.t().strides(),
            strides::offsets(a.t()),
            a.t().is_standard_layout()
        ),
    );
    let (seen, zeroed) = slicing::slice_and_zero();
    r.section(
        "slicing",
        format!("{seen}\nafter zeroing the second column:\n{zeroed}"),
    );
    let (cd, total) = products::hadamard();
    let (boxed, value) = products::zero_dimensional(total);
    r.section(
        "products",
        format!(
            "A·B =\n{}\nC⊙D =\n{cd}\nsum = {total}\n0-d array {boxed} with shape {:?}; scalar {value:?}",
            products::matmul(),
            boxed.shape()
        ),
    );
    let mut arith = String::new();
    for (name, m) in
        ["D + 2", "D − 1", "D × 2", "D ÷ 2"].iter().zip(in_place::arithmetic())
    {
        arith.push_str(&format!("{name}:\n{m}\n"));
    }
    for (name, m) in
        ["C after assign(&D)", "C after fill(10.0)", "C after fill(0.0)"]
            .iter()
            .zip(in_place::overwrite())
    {
        arith.push_str(&format!("{name}:\n{m}\n"));
    }
    r.section("arithmetic", arith);
    let mut acts = String::new();
    for (name, m) in ["relu(T)", "sigmoid(T)", "clamp(T, 0, 1)", "abs(T)"]
        .iter()
        .zip(in_place::activations())
    {
        acts.push_str(&format!("{name}:\n{m:.4}\n"));
    }
    r.section("activations", acts);
    let mut rand = String::new();
    for (name, m) in ["normal", "uniform", "Bernoulli(0.3)", "Bernoulli(0.7)"]
        .iter()
        .zip(in_place::random_fills(0))
    {
        rand.push_str(&format!("{name}, seed 0:\n{m:.4}\n"));
    }
    r.section("random", rand);
    let vec = views::view_of_a_vec().expect("the listing's vector fills its shape");
    r.section("views", format!("the owner after writing through a view:\n{}\nthe Vec after writing through a view:\n{vec:?}", views::write_through_view()));
    r.section("answers", answers());
    r.finish()
}

/// Exercise 1: strides in both orders, of a transposed view and of a reversed
/// slice.
pub fn exercise_strides() -> [Vec<isize>; 4] {
    let [c, f, t] = strides::strides_of_2x3x4();
    let a = Array3::<f64>::zeros((2, 3, 4));
    let reversed = a.slice(s![.., .., ..;-1]).strides().to_vec();
    [c, f, t, reversed]
}

/// Exercise 1, the negative stride: where the reversed view starts in the buffer
/// (its base offset, in elements), and whether base + Σ iₖ sₖ finds every element.
///
/// With a negative stride the view's first element, index (0, 0, 0), is the
/// original's (0, 0, 3): the offset formula needs a base b = Σ over the axes with
/// sₖ < 0 of (nₖ − 1)|sₖ|, here 3·1 = 3.
pub fn exercise_negative_stride() -> (isize, bool) {
    // Each value is its own offset, so reading an element reads where it lives.
    let a =
        Array3::from_shape_fn((2, 3, 4), |(i, j, k)| (12 * i + 4 * j + k) as f64);
    let r = a.slice(s![.., .., ..;-1]);
    // Both pointers point into a's buffer: their distance is the view's base offset.
    let base = (r.as_ptr() as isize - a.as_ptr() as isize)
        / std::mem::size_of::<f64>() as isize;
    let predicted: isize = r
        .shape()
        .iter()
        .zip(r.strides())
        .filter(|(_, &s)| s < 0)
        .map(|(&n, &s)| (n as isize - 1) * -s)
        .sum();
    let all_found = r.indexed_iter().all(|((i, j, k), &v)| {
        base + strides::offset(&[i, j, k], r.strides()) == v as isize
    });
    (base, all_found && base == predicted)
}

/// Exercise 2: the sum of C⊙D is the Frobenius inner product, trace(Cᵀ D).
pub fn exercise_frobenius() -> (f64, f64) {
    let c = ndarray::array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let d = ndarray::array![[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]];
    let trace = c.t().dot(&d).diag().sum();
    ((&c * &d).sum(), trace)
}

/// Exercise 3: an in-place sigmoid keeps the buffer; `mapv` allocates a new one.
pub fn exercise_in_place() -> (bool, bool) {
    fn sigmoid_in_place(a: &mut Array2<f64>) {
        a.mapv_inplace(|x| 1.0 / (1.0 + (-x).exp()));
    }
    let mut t = in_place::t();
    let before = t.as_ptr();
    let fresh = t.mapv(|x| 1.0 / (1.0 + (-x).exp()));
    sigmoid_in_place(&mut t);
    (t.as_ptr() == before, fresh.as_ptr() != before && fresh == t)
}

/// Exercise 4: the aliasing example compiles once the shared view's last use comes
/// first.
pub fn exercise_aliasing() -> Array2<f64> {
    let mut a = Array2::<f64>::ones((2, 3));
    let reader = a.view();
    let seen = reader.to_owned(); // last use of the shared borrow
    a += 10.0; // now the mutable borrow is allowed
    &a - &seen // 10 everywhere: the change, measured against the copy
}

fn answers() -> String {
    let [c, f, t, rev] = exercise_strides();
    let (base, found) = exercise_negative_stride();
    let (sum, trace) = exercise_frobenius();
    let (same, new) = exercise_in_place();
    format!(
        "1. strides: row-major {c:?}, column-major {f:?}, transposed {t:?}, last axis reversed {rev:?}\n   \
         a negative stride walks the buffer backwards, so the view cannot start at offset 0:\n   \
         its element (0, 0, 0) is a's (0, 0, 3), at base offset {base}, and every element sits at\n   \
         {base} + 12i + 4j − k (base = Σ over negative strides of (nₖ − 1)|sₖ|): {found}\n\
         2. sum(C⊙D) = {sum}, trace(Cᵀ D) = {trace}\n\
         3. in place keeps the buffer: {same}; mapv gives a new buffer with equal values: {new}\n\
         4. after the fix, a − copy =\n{}",
        exercise_aliasing()
    )
}

fn offsets_panel(
    title: &str,
    view: ArrayView2<'_, f64>,
    axes: (&str, &str),
) -> CellGrid {
    let offsets = strides::offsets(view);
    let last = view.len().saturating_sub(1).max(1) as f64;
    CellGrid {
        title: title.to_owned(),
        labels: offsets
            .outer_iter()
            .map(|row| row.iter().map(|o| o.to_string()).collect())
            .collect(),
        shade: offsets
            .outer_iter()
            .map(|row| row.iter().map(|&o| 0.15 + 0.75 * o as f64 / last).collect())
            .collect(),
        colour: Colour::Palette(0),
        axes: (axes.0.to_owned(), axes.1.to_owned()),
        font: 22,
    }
}

fn layout_figure() -> String {
    let a = strides::numbered_3x4();
    let buffer = a.view().into_shape_with_order((1, 12)).expect("a is contiguous");
    let layout = vec![
        vec![offsets_panel(
            "the buffer: 12 values, one after another",
            buffer,
            ("offset", ""),
        )],
        vec![
            offsets_panel(
                "a: shape (3, 4), strides [4, 1]",
                a.view(),
                ("column j", "row i"),
            ),
            offsets_panel(
                "a.t(): shape (4, 3), strides [1, 4]",
                a.t(),
                ("column j", "row i"),
            ),
        ],
    ];
    cell_grids(
        "One buffer, two views: each cell shows its offset in memory",
        (900, 640),
        &layout,
    )
    .expect("the layout figure draws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_answers() {
        assert_eq!(
            exercise_strides(),
            [vec![12, 4, 1], vec![1, 2, 6], vec![1, 4, 12], vec![12, 4, -1]]
        );
        assert_eq!(exercise_negative_stride(), (3, true));
        assert_eq!(exercise_frobenius(), (910.0, 910.0));
        assert_eq!(exercise_in_place(), (true, true));
        assert!(exercise_aliasing().iter().all(|&x| x == 10.0));
    }
}
