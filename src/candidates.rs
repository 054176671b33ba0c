//! Finite candidate libraries: choosing the next experiment from an enumerated set of
//! designs, never one that has been run.
//!
//! A [`Library`] holds the designs, one per row, and finds a design's row in constant time;
//! two equal rows are an [`Error`]: a library lists each experiment once, so that "already
//! evaluated" means one row. Choices are made from acquisition values, one per row:
//!
//! - [`best_unevaluated`]: the largest value among the rows not yet evaluated (BoTorch's
//!   `optimize_acqf_discrete`; [`crate::mixed::optimize_acqf_discrete`] uses it);
//! - [`choose_in_groups`]: a two-stage choice for libraries whose rows fall into groups —
//!   every synthesis of a material with the operating conditions it can be run under —
//!   which scores each group by the mean of its `k` best unevaluated values
//!   ([`group_scores`]), picks the best group, then its best unevaluated member.
//!
//! A library that is the Cartesian product of two sets ([`Library::product`]: every
//! synthesis with every operation) has a posterior that [`product_posterior`] computes
//! without ever forming the product's kernel rows: under a squared-exponential kernel,
//! k((a, b), (a′, b′)) = k_A(a, a′)·k_B(b, b′), so the covariances between the training
//! points and all n_A·n_B candidates are products of n_A and n_B columns.

use crate::gp::{FittedGp, Kernel, KernelKind, Prediction, MIN_VARIANCE};
use crate::{Error, Result};
use ndarray::{s, Array1, Array2, ArrayView1, ArrayView2};
use std::collections::HashMap;

/// A finite set of distinct designs, one per row.
#[derive(Debug, Clone)]
pub struct Library {
    designs: Array2<f64>,
    rows: HashMap<Vec<u64>, usize>,
}

/// The bits of a design's coordinates, with −0 read as +0, so that equal rows (by `==`)
/// have equal keys.
fn key(design: ArrayView1<'_, f64>) -> Vec<u64> {
    design.iter().map(|&v| (v + 0.0).to_bits()).collect()
}

impl Library {
    /// A library of the rows of `designs` (n × d).
    ///
    /// # Errors
    /// [`Error::Empty`] for no rows or no columns, [`Error::NonFinite`] for NaN or infinite
    /// coordinates, [`Error::InvalidInput`] if two rows are equal (the message names them).
    pub fn new(designs: Array2<f64>) -> Result<Self> {
        if designs.nrows() == 0 || designs.ncols() == 0 {
            return Err(Error::Empty { context: "Library: the designs" });
        }
        if designs.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Library: the designs" });
        }
        let mut rows = HashMap::with_capacity(designs.nrows());
        for (i, row) in designs.rows().into_iter().enumerate() {
            if let Some(first) = rows.insert(key(row), i) {
                return Err(Error::InvalidInput {
                    context: "Library",
                    reason: format!(
                        "rows {first} and {i} are the same design {row}: a library lists \
                         each design once"
                    ),
                });
            }
        }
        Ok(Library { designs, rows })
    }

    /// The Cartesian product of two sets of designs: row i·n_B + j is (aᵢ, bⱼ), the first
    /// set's coordinates then the second's, so the rows of one aᵢ are contiguous and form
    /// its group (see [`Library::product_groups`]).
    ///
    /// # Errors
    /// As for [`Library::new`], for either set or the product.
    pub fn product(
        first: ArrayView2<'_, f64>,
        second: ArrayView2<'_, f64>,
    ) -> Result<Self> {
        Library::new(first.to_owned())?;
        Library::new(second.to_owned())?;
        let (na, nb, da) = (first.nrows(), second.nrows(), first.ncols());
        let designs =
            Array2::from_shape_fn((na * nb, da + second.ncols()), |(k, c)| {
                if c < da {
                    first[[k / nb, c]]
                } else {
                    second[[k % nb, c - da]]
                }
            });
        Library::new(designs)
    }

    /// The group of each row of a product of `first_len` by `second_len` designs: row
    /// i·n_B + j belongs to group i.
    pub fn product_groups(first_len: usize, second_len: usize) -> Vec<usize> {
        (0..first_len * second_len).map(|k| k / second_len.max(1)).collect()
    }

    /// The number of designs.
    pub fn len(&self) -> usize {
        self.designs.nrows()
    }

    /// Whether the library is empty (never: [`Library::new`] refuses that).
    pub fn is_empty(&self) -> bool {
        self.designs.nrows() == 0
    }

    /// The number of coordinates of a design.
    pub fn dim(&self) -> usize {
        self.designs.ncols()
    }

    /// The designs, one per row.
    pub fn designs(&self) -> &Array2<f64> {
        &self.designs
    }

    /// The row of `design`, if the library holds it (coordinates compared with `==`).
    pub fn position(&self, design: ArrayView1<'_, f64>) -> Option<usize> {
        if design.len() != self.dim() {
            return None;
        }
        self.rows.get(&key(design)).copied()
    }

    /// Which rows are still open: `false` for each row equal to a row of `evaluated`.
    /// Evaluated designs that are not in the library close nothing.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `evaluated` has the library's width.
    pub fn unevaluated(&self, evaluated: ArrayView2<'_, f64>) -> Result<Vec<bool>> {
        if evaluated.ncols() != self.dim() {
            return Err(Error::ShapeMismatch {
                context: "Library::unevaluated: the evaluated designs",
                expected: vec![evaluated.nrows(), self.dim()],
                found: evaluated.shape().to_vec(),
            });
        }
        let mut open = vec![true; self.len()];
        for row in evaluated.rows() {
            if let Some(i) = self.position(row) {
                open[i] = false;
            }
        }
        Ok(open)
    }
}

/// Checks one value per row and that the open rows' values are numbers.
fn check_values(
    values: ArrayView1<'_, f64>,
    open: &[bool],
    context: &'static str,
) -> Result<()> {
    if values.len() != open.len() {
        return Err(Error::ShapeMismatch {
            context,
            expected: vec![open.len()],
            found: vec![values.len()],
        });
    }
    if values.iter().zip(open).any(|(v, &o)| o && v.is_nan()) {
        return Err(Error::NonFinite { context });
    }
    Ok(())
}

/// The open row with the largest value and that value (the first row on a tie). Values of
/// evaluated rows are ignored and may be anything, −∞ included.
///
/// # Errors
/// [`Error::ShapeMismatch`] unless there is one value per row, [`Error::NonFinite`] for a
/// NaN value on an open row, [`Error::Empty`] if every row has been evaluated.
pub fn best_unevaluated(
    values: ArrayView1<'_, f64>,
    open: &[bool],
) -> Result<(usize, f64)> {
    check_values(values, open, "best_unevaluated")?;
    let mut best: Option<(usize, f64)> = None;
    for (i, (&v, &o)) in values.iter().zip(open).enumerate() {
        if o && best.is_none_or(|(_, b)| v > b) {
            best = Some((i, v));
        }
    }
    best.ok_or(Error::Empty {
        context: "best_unevaluated: every design has been evaluated",
    })
}

/// The two-stage choice of [`choose_in_groups`].
#[derive(Debug, Clone, PartialEq)]
pub struct GroupChoice {
    /// The chosen group.
    pub group: usize,
    /// Its score: the mean of its `k` best open values.
    pub group_score: f64,
    /// The chosen row: the group's best open row.
    pub index: usize,
    /// That row's value.
    pub value: f64,
}

/// Each group's score, the mean of the `top_k` largest values among its open rows (of all
/// of them if it has fewer), or `None` for a group with no open row. `groups[i]` is row
/// i's group, 0, 1, …; there are max(groups) + 1 groups.
///
/// # Errors
/// [`Error::InvalidInput`] for `top_k` = 0; [`Error::ShapeMismatch`] unless `values`,
/// `open` and `groups` have one entry per row; [`Error::NonFinite`] for a NaN value on an
/// open row.
pub fn group_scores(
    values: ArrayView1<'_, f64>,
    open: &[bool],
    groups: &[usize],
    top_k: usize,
) -> Result<Vec<Option<f64>>> {
    if top_k == 0 {
        return Err(Error::InvalidInput {
            context: "group_scores",
            reason:
                "a group's score needs at least its best value: top_k must be ≥ 1"
                    .into(),
        });
    }
    check_values(values, open, "group_scores")?;
    if groups.len() != open.len() {
        return Err(Error::ShapeMismatch {
            context: "group_scores: one group per design",
            expected: vec![open.len()],
            found: vec![groups.len()],
        });
    }
    let n_groups = groups.iter().max().map_or(0, |g| g + 1);
    let mut members: Vec<Vec<f64>> = vec![Vec::new(); n_groups];
    for ((&v, &o), &g) in values.iter().zip(open).zip(groups) {
        if o {
            members[g].push(v);
        }
    }
    Ok(members
        .into_iter()
        .map(|mut m| {
            if m.is_empty() {
                return None;
            }
            m.sort_unstable_by(|a, b| b.total_cmp(a));
            let top = &m[..top_k.min(m.len())];
            Some(top.iter().sum::<f64>() / top.len() as f64)
        })
        .collect())
}

/// The two-stage choice: the group with the best [`group_scores`] (the first on a tie),
/// then that group's open row with the largest value (the first on a tie).
///
/// # Errors
/// As for [`group_scores`]; [`Error::Empty`] if every row has been evaluated.
pub fn choose_in_groups(
    values: ArrayView1<'_, f64>,
    open: &[bool],
    groups: &[usize],
    top_k: usize,
) -> Result<GroupChoice> {
    let scores = group_scores(values, open, groups, top_k)?;
    let mut best: Option<(usize, f64)> = None;
    for (g, s) in scores.iter().enumerate() {
        if let Some(s) = *s {
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((g, s));
            }
        }
    }
    let (group, group_score) = best.ok_or(Error::Empty {
        context: "choose_in_groups: every design has been evaluated",
    })?;
    let in_group: Vec<bool> =
        open.iter().zip(groups).map(|(&o, &g)| o && g == group).collect();
    let (index, value) = best_unevaluated(values, &in_group)?;
    Ok(GroupChoice { group, group_score, index, value })
}

/// The posterior of `model` at every pair of the product of `first` (n_A × d_A) and
/// `second` (n_B × d_B), in [`Library::product`]'s order (pair (i, j) at i·n_B + j), in
/// the data's units, for a model with the squared-exponential kernel on d_A + d_B inputs.
///
/// With K_A (n × n_A) and K_B (n × n_B) the kernels of the training inputs' two blocks of
/// columns with the candidates' (the output scale in K_A), α = K⁻¹(y − m) and
/// K⁻¹ = (K + σₙ²I)⁻¹ of the training data:
///
/// - μᵢⱼ = m + Σₜ αₜ K_A[t, i] K_B[t, j], one n_A × n × n_B matrix product;
/// - σ²ᵢⱼ = σ² − Σₛₜ K_A[s, i] K_A[t, i] K⁻¹ₛₜ · K_B[s, j] K_B[t, j], one matrix product
///   of an n_A × n(n+1)/2 matrix (the pairs s ≤ t, K⁻¹ being symmetric) with the
///   transpose of an n_B × n(n+1)/2 one,
///
/// against n_A·n_B triangular solves of size n by [`FittedGp::predict`]; both give the
/// same numbers to rounding (K⁻¹ is formed once from the model's factor; the noise floor
/// of a fitted model keeps it well conditioned).
///
/// # Errors
/// [`Error::InvalidInput`] unless the model's kernel is the squared-exponential one;
/// [`Error::ShapeMismatch`] unless d_A + d_B is the model's dimension; [`Error::Empty`] for
/// an empty set; [`Error::NonFinite`] for NaN or infinite coordinates or a posterior that
/// overflows in the data's units.
pub fn product_posterior(
    model: &FittedGp,
    first: ArrayView2<'_, f64>,
    second: ArrayView2<'_, f64>,
) -> Result<Prediction> {
    let gp = &model.gp;
    let h = gp.hyperparameters();
    if h.kernel.kind() != KernelKind::SquaredExponential {
        return Err(Error::InvalidInput {
            context: "product_posterior",
            reason: format!(
                "the kernel must factor over the two blocks of inputs, as the \
                 squared-exponential one does; got {:?}",
                h.kernel.kind()
            ),
        });
    }
    let (da, d) = (first.ncols(), h.kernel.dim());
    if da + second.ncols() != d || da == 0 || second.ncols() == 0 {
        return Err(Error::ShapeMismatch {
            context: "product_posterior: the two blocks of inputs",
            expected: vec![d],
            found: vec![da, second.ncols()],
        });
    }
    if first.nrows() == 0 || second.nrows() == 0 {
        return Err(Error::Empty { context: "product_posterior: the candidates" });
    }
    if first.iter().chain(second.iter()).any(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            context: "product_posterior: the candidates",
        });
    }
    // Normalise each block with its columns of the model's input transform.
    let (lo, range) = (model.normalize.lower(), model.normalize.range());
    let scale = |x: ArrayView2<'_, f64>, cols: std::ops::Range<usize>| {
        (&x - &lo.slice(s![cols.clone()])) / range.slice(s![cols])
    };
    let (a, b) = (scale(first, 0..da), scale(second, da..d));
    let x = gp.inputs();
    let ls = h.kernel.lengthscales();
    let s2 = h.kernel.outputscale();
    let kernel_a = Kernel::new(
        KernelKind::SquaredExponential,
        ls.slice(s![..da]).to_owned(),
        s2,
    )?;
    let kernel_b = Kernel::new(
        KernelKind::SquaredExponential,
        ls.slice(s![da..]).to_owned(),
        1.0,
    )?;
    let ka = kernel_a.matrix(x.slice(s![.., ..da]), a.view())?; // n × n_A
    let kb = kernel_b.matrix(x.slice(s![.., da..]), b.view())?; // n × n_B
    let n = x.nrows();
    // The mean: (K_A ∘ α)ᵀ K_B.
    let weighted = &ka * &gp.alpha().view().insert_axis(ndarray::Axis(1));
    let mean = weighted.t().dot(&kb) + h.mean;
    // The variance through K⁻¹.
    let kinv = gp.factor().solve(Array2::eye(n).view())?;
    let explained = product_quadratic_form(kinv.view(), ka.view(), kb.view())?;
    let st = model.standardize;
    let mean = mean.mapv(|m| m * st.std + st.mean);
    let variance =
        explained.mapv(|e| (s2 - e).max(MIN_VARIANCE) * (st.std * st.std));
    let flat = |m: Array2<f64>| -> Array1<f64> { m.into_iter().collect() };
    let prediction = Prediction { mean: flat(mean), variance: flat(variance) };
    if prediction.mean.iter().chain(&prediction.variance).any(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            context:
                "product_posterior: the posterior overflows in the data's units",
        });
    }
    Ok(prediction)
}

/// The quadratic forms (aᵢ ∘ bⱼ)ᵀ W (aᵢ ∘ bⱼ) = Σₛₜ a[s, i] a[t, i] W[s, t] b[s, j] b[t, j]
/// for every column aᵢ of `a` (n × n_A) and bⱼ of `b` (n × n_B), W (n × n) symmetric: the
/// explained variance of [`product_posterior`] (W = K⁻¹) and of any model whose covariance
/// with a pair is a product of one vector per factor. Computed as one product of an
/// n_A × n(n+1)/2 matrix with an n(n+1)/2 × n_B one, over the pairs s ≤ t (only W's upper
/// triangle is read).
///
/// # Errors
/// [`Error::ShapeMismatch`] unless W is n × n with n the rows of `a` and of `b`.
pub fn product_quadratic_form(
    w: ArrayView2<'_, f64>,
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>> {
    let n = w.nrows();
    if w.ncols() != n || a.nrows() != n || b.nrows() != n {
        return Err(Error::ShapeMismatch {
            context: "product_quadratic_form: W (n × n), a (n × n_A), b (n × n_B)",
            expected: vec![n, n, n],
            found: vec![w.ncols(), a.nrows(), b.nrows()],
        });
    }
    let p = n * (n + 1) / 2;
    // Row c = (s, t) of each: w·a[s, ·]∘a[t, ·] and b[s, ·]∘b[t, ·].
    let mut left = Array2::zeros((p, a.ncols()));
    let mut right = Array2::zeros((p, b.ncols()));
    let mut c = 0;
    for s_ in 0..n {
        for t in s_..n {
            let f = if s_ == t { w[[s_, t]] } else { 2.0 * w[[s_, t]] };
            ndarray::Zip::from(left.row_mut(c))
                .and(a.row(s_))
                .and(a.row(t))
                .for_each(|o, &u, &v| *o = f * u * v);
            ndarray::Zip::from(right.row_mut(c))
                .and(b.row(s_))
                .and(b.row(t))
                .for_each(|o, &u, &v| *o = u * v);
            c += 1;
        }
    }
    Ok(left.t().dot(&right))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{fit, FitOptions};
    use ndarray::array;

    #[test]
    fn a_library_refuses_duplicates_and_finds_rows() {
        let lib = Library::new(array![[0.0, 1.0], [0.5, 1.0], [1.0, 0.0]]).unwrap();
        assert_eq!((lib.len(), lib.dim()), (3, 2));
        assert_eq!(lib.position(array![0.5, 1.0].view()), Some(1));
        assert_eq!(lib.position(array![-0.0, 1.0].view()), Some(0), "−0 == 0");
        assert_eq!(lib.position(array![0.5, 0.5].view()), None);
        assert_eq!(lib.position(array![0.5].view()), None);
        let dup = Library::new(array![[0.0, 1.0], [0.5, 1.0], [0.0, 1.0]]);
        match dup {
            Err(Error::InvalidInput { reason, .. }) => {
                assert!(reason.contains("rows 0 and 2"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Library::new(array![[0.0, -0.0], [0.0, 0.0]]),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            Library::new(Array2::zeros((0, 2))),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            Library::new(array![[0.0, f64::NAN]]),
            Err(Error::NonFinite { .. })
        ));
        let open = lib.unevaluated(array![[1.0, 0.0], [9.0, 9.0]].view()).unwrap();
        assert_eq!(open, vec![true, true, false]);
        assert!(matches!(
            lib.unevaluated(array![[1.0]].view()),
            Err(Error::ShapeMismatch { .. })
        ));
    }

    #[test]
    fn a_product_library_puts_each_first_design_in_a_contiguous_group() {
        let lib = Library::product(
            array![[0.0], [1.0]].view(),
            array![[5.0], [6.0], [7.0]].view(),
        )
        .unwrap();
        assert_eq!(lib.designs().row(4), array![1.0, 6.0]);
        assert_eq!(Library::product_groups(2, 3), vec![0, 0, 0, 1, 1, 1]);
        assert!(matches!(
            Library::product(array![[0.0], [0.0]].view(), array![[5.0]].view()),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn the_best_open_row_skips_evaluated_ones() {
        let v = array![0.3, 0.9, f64::NEG_INFINITY, 0.9, 0.1];
        assert_eq!(best_unevaluated(v.view(), &[true; 5]).unwrap(), (1, 0.9));
        let open = [true, false, true, true, true];
        assert_eq!(best_unevaluated(v.view(), &open).unwrap(), (3, 0.9));
        // A NaN on a closed row is ignored; on an open one it is an error.
        let nan = array![0.3, f64::NAN, 0.2];
        assert_eq!(
            best_unevaluated(nan.view(), &[true, false, true]).unwrap(),
            (0, 0.3)
        );
        assert!(matches!(
            best_unevaluated(nan.view(), &[true; 3]),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            best_unevaluated(v.view(), &[false; 5]),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            best_unevaluated(v.view(), &[true; 4]),
            Err(Error::ShapeMismatch { .. })
        ));
    }

    #[test]
    fn groups_are_scored_by_the_mean_of_their_best_open_values() {
        // Group 0 has one outstanding member, group 1 several good ones.
        let v = array![5.0, 0.0, 0.0, 3.0, 3.0, 2.0, 1.0, 1.0];
        let groups = [0, 0, 0, 1, 1, 1, 2, 2];
        let open = [true; 8];
        let s = group_scores(v.view(), &open, &groups, 2).unwrap();
        assert_eq!(s, vec![Some(2.5), Some(3.0), Some(1.0)]);
        let c = choose_in_groups(v.view(), &open, &groups, 2).unwrap();
        assert_eq!(
            c,
            GroupChoice { group: 1, group_score: 3.0, index: 3, value: 3.0 }
        );
        // With k = 1 the two-stage choice is the flat one.
        let c = choose_in_groups(v.view(), &open, &groups, 1).unwrap();
        assert_eq!((c.group, c.index), (0, 0));
        // Evaluated members leave their group's score; a group with none open has none.
        let open = [true, true, true, false, true, true, false, false];
        let s = group_scores(v.view(), &open, &groups, 2).unwrap();
        assert_eq!(s, vec![Some(2.5), Some(2.5), None]);
        let c = choose_in_groups(v.view(), &open, &groups, 2).unwrap();
        assert_eq!(
            (c.group, c.index, c.value),
            (0, 0, 5.0),
            "the first group on a tie"
        );
        // Fewer open members than k: the mean of those there are.
        let s = group_scores(v.view(), &open, &groups, 5).unwrap();
        assert_eq!(s, vec![Some(5.0 / 3.0), Some(2.5), None]);
        assert!(matches!(
            group_scores(v.view(), &open, &groups, 0),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            group_scores(v.view(), &open, &groups[..7], 2),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            choose_in_groups(v.view(), &[false; 8], &groups, 2),
            Err(Error::Empty { .. })
        ));
    }

    #[test]
    fn the_product_quadratic_form_is_the_direct_sum() {
        let w = array![[2.0, 0.5, -0.3], [0.5, 1.0, 0.2], [-0.3, 0.2, 3.0]];
        let a = array![[1.0, 0.2], [0.5, -1.0], [0.3, 0.7]];
        let b = array![[0.4], [1.5], [-0.2]];
        let q = product_quadratic_form(w.view(), a.view(), b.view()).unwrap();
        for i in 0..2 {
            let x = &a.column(i) * &b.column(0);
            let direct = x.dot(&w.dot(&x));
            assert!(
                (q[[i, 0]] - direct).abs() < 1e-14,
                "{} vs {direct}",
                q[[i, 0]]
            );
        }
        assert!(matches!(
            product_quadratic_form(w.view(), a.slice(s![..2, ..]), b.view()),
            Err(Error::ShapeMismatch { .. })
        ));
    }

    #[test]
    fn the_product_posterior_is_the_models_posterior() {
        // A 3-D model (one synthesis column, two operation columns) on twelve points.
        let x = Array2::from_shape_fn((12, 3), |(i, j)| {
            ((i * 7 + j * 3) % 11) as f64 / 10.0 + 0.02 * j as f64
        });
        let y = Array1::from_shape_fn(12, |i| {
            (x[[i, 0]] * 3.0).sin() + x[[i, 1]] * x[[i, 2]]
        });
        let model = fit(x.view(), &y, &FitOptions::single_task(3)).unwrap();
        let first = array![[0.1], [0.45], [0.8], [1.2]];
        let second =
            Array2::from_shape_fn((5, 2), |(i, j)| 0.2 * i as f64 + 0.1 * j as f64);
        let fast = product_posterior(&model, first.view(), second.view()).unwrap();
        let lib = Library::product(first.view(), second.view()).unwrap();
        let slow = model.predict(lib.designs().view()).unwrap();
        for k in 0..20 {
            assert!((fast.mean[k] - slow.mean[k]).abs() < 1e-10, "{k}");
            assert!((fast.variance[k] - slow.variance[k]).abs() < 1e-10, "{k}");
        }
        // At a training point too, where most of the prior variance is explained.
        let at = product_posterior(
            &model,
            x.slice(s![0..1, ..1]),
            x.slice(s![0..1, 1..]),
        )
        .unwrap();
        let exact = model.predict(x.slice(s![0..1, ..])).unwrap();
        assert!((at.variance[0] - exact.variance[0]).abs() < 1e-10);
        assert!(
            at.variance[0]
                < 0.1 * slow.variance.iter().cloned().fold(0.0, f64::max)
        );
        assert!(matches!(
            product_posterior(&model, first.view(), first.view()),
            Err(Error::ShapeMismatch { .. })
        ));
        let matern = fit(x.view(), &y, &FitOptions::default()).unwrap();
        assert!(matches!(
            product_posterior(&matern, first.view(), second.view()),
            Err(Error::InvalidInput { .. })
        ));
        let bad = array![[f64::NAN]];
        assert!(matches!(
            product_posterior(&model, bad.view(), second.view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
