//! Cholesky factorisation of symmetric positive definite matrices, and what it solves.
//!
//! A = L Lᵀ with L lower triangular. The factorisation is *blocked*: the matrix is processed
//! in column panels of `BLOCK` columns; each panel's diagonal block is factored by the
//! textbook column algorithm, the rows below it are solved against that block, and the rest
//! of the matrix is updated with matrix products — which is where almost all the work goes,
//! and where ndarray's vectorised kernel runs near the machine's peak.
//!
//! A covariance matrix that is positive definite in exact arithmetic can fail to factor in
//! floating point (duplicate inputs, tiny noise). [`Cholesky::with_jitter`] then retries with
//! a growing multiple of the identity added to the diagonal and reports what it used.

use crate::{Error, Result};
use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2, Axis};
use std::sync::OnceLock;

/// Panel width of the blocked factorisation.
const BLOCK: usize = 64;

/// The jitter schedule of [`Cholesky::with_jitter`]: multiples of a scale (by default the mean
/// diagonal entry). It stops at 1e-6: a matrix that needs more is not a covariance matrix
/// spoiled by rounding, and altering it further would silently change the model.
pub const JITTERS: [f64; 4] = [0.0, 1e-10, 1e-8, 1e-6];

/// The Cholesky factor L of A + jitter·I.
#[derive(Debug, Clone)]
pub struct Cholesky {
    l: Array2<f64>,
    jitter: f64,
    /// The inverses of L's diagonal blocks, which every solve applies: computed at the first
    /// solve and kept, so that repeated solves (a posterior queried point by point) cost
    /// matrix products only.
    block_inverses: OnceLock<BlockInverses>,
}

impl PartialEq for Cholesky {
    /// Equal factors and jitters (the cached block inverses follow from the factor).
    fn eq(&self, other: &Self) -> bool {
        self.l == other.l && self.jitter == other.jitter
    }
}

impl Cholesky {
    /// Factors the symmetric positive definite `a` (only its lower triangle is read).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless square, [`Error::Empty`] for 0×0,
    /// [`Error::NonFinite`] for NaN or infinite entries, [`Error::InvalidInput`] if it is not
    /// positive definite (a pivot is not positive).
    pub fn new(a: ArrayView2<'_, f64>) -> Result<Self> {
        check_square(a)?;
        let mut l = a.to_owned();
        factor_in_place(l.view_mut())?;
        zero_upper(&mut l);
        Ok(Cholesky::from_parts(l, 0.0))
    }

    /// Factors A + εI for the first ε of [`JITTERS`] (times the mean diagonal) that works.
    ///
    /// # Errors
    /// As [`Cholesky::new`]; [`Error::InvalidInput`] naming the largest jitter tried if even
    /// that fails.
    pub fn with_jitter(a: ArrayView2<'_, f64>) -> Result<Self> {
        let scale = a.diag().mean().unwrap_or(1.0).abs();
        Cholesky::with_jitter_scaled(a, scale)
    }

    /// Factors A + εI for the first ε of [`JITTERS`] times `scale` that works. The scale sets
    /// what "small" means: for a posterior covariance, whose diagonal can be zero to rounding
    /// (at data observed without noise), it should be the prior variance, not the diagonal.
    ///
    /// # Errors
    /// As [`Cholesky::new`]; [`Error::InvalidInput`] for a scale that is not a positive
    /// number, or naming the largest jitter tried if even that fails.
    pub fn with_jitter_scaled(a: ArrayView2<'_, f64>, scale: f64) -> Result<Self> {
        check_square(a)?;
        if !(scale.is_finite() && scale >= 0.0) {
            return Err(Error::InvalidInput {
                context: "Cholesky::with_jitter_scaled",
                reason: format!(
                    "the jitter's scale must be a non-negative number, got {scale}"
                ),
            });
        }
        let scale = scale.max(f64::MIN_POSITIVE);
        for &j in &JITTERS {
            let mut l = a.to_owned();
            l.diag_mut().mapv_inplace(|d| d + j * scale);
            if factor_in_place(l.view_mut()).is_ok() {
                zero_upper(&mut l);
                return Ok(Cholesky::from_parts(l, j * scale));
            }
        }
        Err(Error::InvalidInput {
            context: "Cholesky::with_jitter",
            reason: format!(
                "not positive definite even with jitter {:e} (= {} × {scale:e})",
                JITTERS[JITTERS.len() - 1] * scale,
                JITTERS[JITTERS.len() - 1]
            ),
        })
    }

    fn from_parts(l: Array2<f64>, jitter: f64) -> Self {
        Cholesky { l, jitter, block_inverses: OnceLock::new() }
    }

    /// The inverses of the diagonal blocks of L that the substitutions apply.
    fn block_inverses(&self) -> &BlockInverses {
        self.block_inverses.get_or_init(|| BlockInverses::new(self.l.view()))
    }

    /// The lower-triangular factor L.
    pub fn factor(&self) -> &Array2<f64> {
        &self.l
    }

    /// The jitter ε added to the diagonal (0 if none was needed).
    pub fn jitter(&self) -> f64 {
        self.jitter
    }

    /// The order n of the matrix.
    pub fn dim(&self) -> usize {
        self.l.nrows()
    }

    /// log det A = 2 Σ log Lᵢᵢ.
    pub fn log_det(&self) -> f64 {
        2.0 * self.l.diag().iter().map(|d| d.ln()).sum::<f64>()
    }

    /// Solves L X = B (forward substitution) for each column of B.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if B has the wrong number of rows.
    pub fn solve_lower(&self, b: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.check_rows(b.nrows(), "solve_lower")?;
        let mut x = b.to_owned();
        forward_substitute(self.l.view(), &self.block_inverses().top, x.view_mut());
        Ok(x)
    }

    /// Solves Lᵀ X = B (back substitution) for each column of B.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if B has the wrong number of rows.
    pub fn solve_upper(&self, b: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.check_rows(b.nrows(), "solve_upper")?;
        let mut x = b.to_owned();
        back_substitute(self.l.view(), &self.block_inverses().bottom, x.view_mut());
        Ok(x)
    }

    /// Solves A X = B, that is L Lᵀ X = B.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if B has the wrong number of rows.
    pub fn solve(&self, b: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.check_rows(b.nrows(), "solve")?;
        let mut x = b.to_owned();
        let inverses = self.block_inverses();
        forward_substitute(self.l.view(), &inverses.top, x.view_mut());
        back_substitute(self.l.view(), &inverses.bottom, x.view_mut());
        Ok(x)
    }

    /// Solves A x = b for one right-hand side.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if b has the wrong length.
    pub fn solve_vec(&self, b: ArrayView1<'_, f64>) -> Result<Array1<f64>> {
        let x = self.solve(b.insert_axis(Axis(1)))?;
        Ok(x.column(0).to_owned())
    }

    /// A⁻¹ = L⁻ᵀ L⁻¹, from the factor: the triangular inverse L⁻¹ ([`factor_inverse`]),
    /// then the lower triangle of its Gram product, mirrored. Both steps are blocked so that
    /// nearly all of the n³ flops (a third for L⁻¹, a third for the product, a third were the
    /// factorisation) run in large matrix products, and both skip the zero triangles.
    ///
    /// [`factor_inverse`]: Cholesky::factor_inverse
    pub fn inverse(&self) -> Array2<f64> {
        let m = self.factor_inverse();
        let n = self.dim();
        let mut x = Array2::zeros((n, n));
        lower_gram_into(m.view(), x.view_mut());
        mirror_lower(x.view_mut());
        x
    }

    /// L⁻¹, lower triangular (zeros above the diagonal), by blocked inversion: the small
    /// diagonal blocks are inverted directly, and each block row of the rest is
    /// −L⁻¹ᵢᵢ (Lᵢ,₀..ᵢ L⁻¹₀..ᵢ,₀..ᵢ) with the product taken over the non-zero part only.
    pub fn factor_inverse(&self) -> Array2<f64> {
        let n = self.dim();
        let mut m = Array2::zeros((n, n));
        invert_lower_into(self.l.view(), m.view_mut());
        m
    }

    fn check_rows(&self, rows: usize, context: &'static str) -> Result<()> {
        if rows == self.dim() {
            Ok(())
        } else {
            Err(Error::ShapeMismatch {
                context,
                expected: vec![self.dim()],
                found: vec![rows],
            })
        }
    }
}

fn check_square(a: ArrayView2<'_, f64>) -> Result<()> {
    if a.nrows() != a.ncols() {
        return Err(Error::ShapeMismatch {
            context: "Cholesky: the matrix must be square",
            expected: vec![a.nrows(), a.nrows()],
            found: a.shape().to_vec(),
        });
    }
    if a.is_empty() {
        return Err(Error::Empty { context: "Cholesky" });
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "Cholesky" });
    }
    Ok(())
}

fn zero_upper(l: &mut Array2<f64>) {
    for (i, mut row) in l.rows_mut().into_iter().enumerate() {
        row.slice_mut(s![i + 1..]).fill(0.0);
    }
}

fn not_positive_definite(pivot: usize, value: f64) -> Error {
    Error::InvalidInput {
        context: "Cholesky",
        reason: format!("not positive definite: pivot {pivot} is {value:e}"),
    }
}

crate::special::multiversion! {
    /// Overwrites the upper triangle of the row-major n × n matrix `a` (the lower is not
    /// read) with U, A = UᵀU (so Uᵀ is the lower Cholesky factor), by the right-looking
    /// algorithm: row k of U is row k of what remains, divided by the root of its pivot,
    /// and every later row i then loses U_ki times row k — a contiguous update with no
    /// running sum, which vectorises fully. For the small matrices (n up to a few hundred)
    /// that a sampler factors tens of thousands of times, this is several times faster than
    /// [`factor_in_place`], whose matrix products cost more to set up than they save at that
    /// size and whose diagonal blocks sum serially. The rounding differs from
    /// [`factor_in_place`]'s (the sums are in another order).
    pub(crate) fn factor_upper_in_place(a: &mut [f64], n: usize) -> Result<()> {
        for k in 0..n {
            let (head, tail) = a.split_at_mut((k + 1) * n);
            let row = &mut head[k * n..];
            let pivot = row[k];
            if !(pivot > 0.0 && pivot.is_finite()) {
                return Err(not_positive_definite(k, pivot));
            }
            let d = pivot.sqrt();
            row[k] = d;
            for v in &mut row[k + 1..] {
                *v /= d;
            }
            let uk = &*row;
            for (target, i) in tail.chunks_exact_mut(n).zip(k + 1..) {
                let f = uk[i];
                for (t, &u) in target[i..].iter_mut().zip(&uk[i..]) {
                    *t -= f * u;
                }
            }
        }
        Ok(())
    }
}

/// Overwrites the lower triangle of `a` with its Cholesky factor (the upper triangle is
/// left as scratch).
pub(crate) fn factor_in_place(mut a: ArrayViewMut2<'_, f64>) -> Result<()> {
    let n = a.nrows();
    let mut k = 0;
    while k < n {
        let b = BLOCK.min(n - k);
        // 1. The diagonal block: the column algorithm.
        factor_unblocked(a.slice_mut(s![k..k + b, k..k + b]), k)?;
        if k + b < n {
            // 2. The panel below it: L21 = A21 L11⁻ᵀ, by multiplying with the inverse of
            //    the small triangular block.
            let l11_inv = lower_inverse(a.slice(s![k..k + b, k..k + b]));
            let panel = a.slice(s![k + b.., k..k + b]).dot(&l11_inv.t());
            a.slice_mut(s![k + b.., k..k + b]).assign(&panel);
            // 3. The trailing matrix: A22 ← A22 − L21 L21ᵀ, block column by block column,
            //    lower part only (the upper triangle is never read).
            let panel = a.slice(s![k + b.., k..k + b]).to_owned();
            let m = n - k - b;
            // Wide block columns: fewer, larger products run closer to the kernel's peak.
            let step = 4 * BLOCK;
            let mut j = 0;
            while j < m {
                let w = step.min(m - j);
                let update = panel
                    .slice(s![j.., ..])
                    .dot(&panel.slice(s![j..j + w, ..]).t());
                let mut target =
                    a.slice_mut(s![k + b + j.., k + b + j..k + b + j + w]);
                target -= &update;
                j += w;
            }
        }
        k += b;
    }
    Ok(())
}

/// The column-oriented Cholesky of a small block (`offset` places its pivots in errors).
/// It runs on a row-major copy of the block, written back at the end: indexing an array
/// view element by element cost more than the arithmetic.
fn factor_unblocked(mut a: ArrayViewMut2<'_, f64>, offset: usize) -> Result<()> {
    let n = a.nrows();
    let mut w: Vec<f64> = a.iter().copied().collect();
    let result = factor_rows(&mut w, n, offset);
    for (target, v) in a.iter_mut().zip(w) {
        *target = v;
    }
    result
}

/// The column algorithm on the n × n row-major block `w`.
fn factor_rows(w: &mut [f64], n: usize, offset: usize) -> Result<()> {
    for j in 0..n {
        let (row_j, below) = w[j * n..].split_at_mut(n);
        let mut d = row_j[j];
        for &v in &row_j[..j] {
            d -= v * v;
        }
        if !(d > 0.0 && d.is_finite()) {
            return Err(not_positive_definite(offset + j, d));
        }
        let d = d.sqrt();
        row_j[j] = d;
        for row_i in below.chunks_exact_mut(n) {
            let mut v = row_i[j];
            for (x, y) in row_i[..j].iter().zip(&row_j[..j]) {
                v -= x * y;
            }
            row_i[j] = v / d;
        }
    }
    Ok(())
}

/// The inverse of a small lower-triangular matrix, by row-oriented forward substitution:
/// row i of X is (eᵢ − Σₖ₍ₖ₌₀…ᵢ₋₁₎ Lᵢₖ Xₖ) / Lᵢᵢ. The rows are plain slices of one buffer,
/// not array views: at the sizes of the diagonal blocks, a view per row operation cost more
/// than the arithmetic.
fn lower_inverse(l: ArrayView2<'_, f64>) -> Array2<f64> {
    let n = l.nrows();
    let l: Vec<f64> = l.iter().copied().collect();
    let mut x = vec![0.0; n * n];
    for i in 0..n {
        x[i * n + i] = 1.0;
    }
    for i in 0..n {
        let (done, rest) = x.split_at_mut(i * n);
        let row = &mut rest[..n];
        for k in 0..i {
            let lik = l[i * n + k];
            if lik != 0.0 {
                for (r, xk) in row.iter_mut().zip(&done[k * n..(k + 1) * n]) {
                    *r += -lik * xk;
                }
            }
        }
        let d = l[i * n + i];
        for r in row.iter_mut() {
            *r /= d;
        }
    }
    Array2::from_shape_fn((n, n), |(i, j)| x[i * n + j])
}

/// The inverses of the diagonal blocks of a factor L: [`forward_substitute`] cuts L into
/// blocks of `BLOCK` rows from the top, [`back_substitute`] from the bottom (the two
/// partitions coincide when n is a multiple of `BLOCK` or at most `BLOCK`).
#[derive(Debug, Clone)]
struct BlockInverses {
    /// Blocks from the top: rows kB … kB + w.
    top: Vec<Array2<f64>>,
    /// Blocks from the bottom: rows n − kB − w … n − kB.
    bottom: Vec<Array2<f64>>,
}

impl BlockInverses {
    fn new(l: ArrayView2<'_, f64>) -> Self {
        let n = l.nrows();
        let inverse =
            |i: usize, end: usize| lower_inverse(l.slice(s![i..end, i..end]));
        let top: Vec<_> =
            (0..n).step_by(BLOCK).map(|i| inverse(i, (i + BLOCK).min(n))).collect();
        let bottom = if n.is_multiple_of(BLOCK) || n <= BLOCK {
            top.iter().rev().cloned().collect()
        } else {
            (0..n)
                .step_by(BLOCK)
                .map(|k| inverse((n - k).saturating_sub(BLOCK), n - k))
                .collect()
        };
        BlockInverses { top, bottom }
    }
}

/// Writes L⁻¹ into `m` (n × n, overwritten entirely: zeros above the diagonal), reading only
/// the lower triangle of `l`, which must have a non-zero diagonal.
pub(crate) fn invert_lower_into(
    l: ArrayView2<'_, f64>,
    mut m: ArrayViewMut2<'_, f64>,
) {
    let n = l.nrows();
    m.fill(0.0);
    let mut i = 0;
    while i < n {
        let w = BLOCK.min(n - i);
        m.slice_mut(s![i..i + w, i..i + w])
            .assign(&lower_inverse(l.slice(s![i..i + w, i..i + w])));
        i += w;
    }
    // Block row I (rows i..i+w): M[I, ..i] = −M[I, I] · (L[I, ..i] · M[..i, ..i]). The rows
    // above are final when row I is reached. M[..i, ..i] is lower triangular, so the product
    // is taken in wide column chunks, each over the rows at or below the chunk's start.
    const CHUNK: usize = 4 * BLOCK;
    let mut t = Array2::zeros((BLOCK, n));
    let mut i = BLOCK.min(n);
    while i < n {
        let w = BLOCK.min(n - i);
        let mut ti = t.slice_mut(s![..w, ..i]);
        let mut c = 0;
        while c < i {
            let e = (c + CHUNK).min(i);
            general_mat_mul(
                1.0,
                &l.slice(s![i..i + w, c..i]),
                &m.slice(s![c..i, c..e]),
                0.0,
                &mut ti.slice_mut(s![.., c..e]),
            );
            c = e;
        }
        let (_, mut below) = m.view_mut().split_at(Axis(0), i);
        let mii = below.slice(s![..w, i..i + w]).to_owned();
        general_mat_mul(-1.0, &mii, &ti, 0.0, &mut below.slice_mut(s![..w, ..i]));
        i += w;
    }
}

/// Writes the lower triangle of MᵀM into `out` for a lower-triangular `m` whose upper
/// triangle is zero (the diagonal blocks' upper parts are written too; the rest of the upper
/// triangle is left as it was). Block row I of the result is M[i.., I]ᵀ M[i.., ..i+w]: the
/// rows of M above i are zero in those columns.
pub(crate) fn lower_gram_into(
    m: ArrayView2<'_, f64>,
    mut out: ArrayViewMut2<'_, f64>,
) {
    let n = m.nrows();
    let mut i = 0;
    while i < n {
        let w = BLOCK.min(n - i);
        general_mat_mul(
            1.0,
            &m.slice(s![i.., i..i + w]).t(),
            &m.slice(s![i.., ..i + w]),
            0.0,
            &mut out.slice_mut(s![i..i + w, ..i + w]),
        );
        i += w;
    }
}

/// Copies the strict lower triangle onto the upper one.
pub(crate) fn mirror_lower(mut a: ArrayViewMut2<'_, f64>) {
    let n = a.nrows();
    for i in 0..n {
        for j in 0..i {
            a[[j, i]] = a[[i, j]];
        }
    }
}

/// L⁻¹ B, or L⁻ᵀ B if `transpose`, for any lower-triangular `l` with a non-zero diagonal
/// (only its lower triangle is read): the substitutions of [`Cholesky::solve_lower`] and
/// [`Cholesky::solve_upper`] for a factor that did not come from a factorisation (the autodiff
/// tape's triangular solve).
pub(crate) fn solve_lower_triangular(
    l: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
    transpose: bool,
) -> Array2<f64> {
    let inverses = BlockInverses::new(l);
    let mut x = b.to_owned();
    if transpose {
        back_substitute(l, &inverses.bottom, x.view_mut());
    } else {
        forward_substitute(l, &inverses.top, x.view_mut());
    }
    x
}

/// Solves L X = B in place (B ← L⁻¹ B), reading only the lower triangle of `l`. Blocked like
/// the factorisation: each block row first subtracts what the solved rows above contribute
/// (one matrix product), then applies the inverse of its small diagonal block.
fn forward_substitute(
    l: ArrayView2<'_, f64>,
    inverses: &[Array2<f64>],
    mut b: ArrayViewMut2<'_, f64>,
) {
    let n = l.nrows();
    let mut i = 0;
    while i < n {
        let w = BLOCK.min(n - i);
        if i > 0 {
            let known = l.slice(s![i..i + w, ..i]).dot(&b.slice(s![..i, ..]));
            let mut rows = b.slice_mut(s![i..i + w, ..]);
            rows -= &known;
        }
        let inv = &inverses[i / BLOCK];
        let solved = inv.dot(&b.slice(s![i..i + w, ..]));
        b.slice_mut(s![i..i + w, ..]).assign(&solved);
        i += w;
    }
}

/// Solves Lᵀ X = B in place (B ← L⁻ᵀ B), reading only the lower triangle of `l`: the same
/// blocks, from the bottom up.
fn back_substitute(
    l: ArrayView2<'_, f64>,
    inverses: &[Array2<f64>],
    mut b: ArrayViewMut2<'_, f64>,
) {
    let n = l.nrows();
    let mut end = n;
    while end > 0 {
        let w = BLOCK.min(end);
        let i = end - w;
        if end < n {
            let known = l.slice(s![end.., i..end]).t().dot(&b.slice(s![end.., ..]));
            let mut rows = b.slice_mut(s![i..end, ..]);
            rows -= &known;
        }
        let inv = &inverses[(n - end) / BLOCK];
        let solved = inv.t().dot(&b.slice(s![i..end, ..]));
        b.slice_mut(s![i..end, ..]).assign(&solved);
        end = i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// A well-conditioned SPD test matrix: a Gram matrix plus a multiple of the identity.
    fn spd(n: usize, seed: usize) -> Array2<f64> {
        let m = Array2::from_shape_fn((n, n), |(i, j)| {
            (((i * 31 + j * 17 + seed * 7) % 23) as f64 - 11.0) / 11.0
        });
        m.dot(&m.t()) + Array2::<f64>::eye(n) * (n as f64)
    }

    fn max_abs(a: &Array2<f64>) -> f64 {
        a.iter().fold(0.0_f64, |m, v| m.max(v.abs()))
    }

    #[test]
    fn factors_reproduce_the_matrix_across_block_sizes() {
        for n in [1, 2, 5, 63, 64, 65, 130, 200] {
            let a = spd(n, n);
            let c = Cholesky::new(a.view()).unwrap();
            let l = c.factor();
            assert!(l.indexed_iter().all(|((i, j), v)| j <= i || *v == 0.0));
            let residual = l.dot(&l.t()) - &a;
            assert!(max_abs(&residual) < 1e-12 * max_abs(&a), "n = {n}");
        }
    }

    #[test]
    fn solves_and_log_determinant() {
        let a = spd(90, 3);
        let c = Cholesky::new(a.view()).unwrap();
        let b = Array2::from_shape_fn((90, 3), |(i, j)| {
            (i as f64 - 2.0 * j as f64).sin()
        });
        let x = c.solve(b.view()).unwrap();
        assert!(max_abs(&(a.dot(&x) - &b)) < 1e-10);
        let lower = c.solve_lower(b.view()).unwrap();
        assert!(max_abs(&(c.factor().dot(&lower) - &b)) < 1e-12);
        let upper = c.solve_upper(b.view()).unwrap();
        assert!(max_abs(&(c.factor().t().dot(&upper) - &b)) < 1e-12);
        assert!(max_abs(&(a.dot(&c.inverse()) - Array2::<f64>::eye(90))) < 1e-10);
        // log det of diag(d) · (a unit lower triangular) product is Σ log d.
        let d = array![[4.0, 2.0], [2.0, 5.0]];
        let cd = Cholesky::new(d.view()).unwrap();
        assert!((cd.log_det() - 16.0_f64.ln()).abs() < 1e-14);
    }

    #[test]
    fn the_blocked_inverses_match_plain_substitution() {
        for n in [1, 3, 64, 65, 129, 300] {
            let a = spd(n, 2 * n + 1);
            let c = Cholesky::new(a.view()).unwrap();
            // The plain way: solve L X = I and Lᵀ Y = X column by column.
            let mut plain = Array2::eye(n);
            let inverses = BlockInverses::new(c.factor().view());
            forward_substitute(c.factor().view(), &inverses.top, plain.view_mut());
            let m = c.factor_inverse();
            assert!(m.indexed_iter().all(|((i, j), v)| j <= i || *v == 0.0));
            let scale = max_abs(&plain);
            assert!(max_abs(&(&m - &plain)) < 1e-13 * scale, "L⁻¹, n = {n}");
            back_substitute(c.factor().view(), &inverses.bottom, plain.view_mut());
            let inv = c.inverse();
            let scale = max_abs(&plain);
            assert!(max_abs(&(&inv - &plain)) < 1e-13 * scale, "A⁻¹, n = {n}");
            assert!(max_abs(&(&inv - &inv.t())) == 0.0, "symmetric, n = {n}");
        }
    }

    #[test]
    fn jitter_rescues_a_singular_covariance_and_says_how_much() {
        // Two identical inputs give two identical rows: singular, positive semidefinite.
        let k = array![[1.0, 1.0, 0.5], [1.0, 1.0, 0.5], [0.5, 0.5, 1.0]];
        assert!(Cholesky::new(k.view()).is_err());
        let c = Cholesky::with_jitter(k.view()).unwrap();
        assert!(c.jitter() > 0.0 && c.jitter() <= 1e-6);
        let negative = array![[1.0, 0.0], [0.0, -1.0]];
        let err = Cholesky::with_jitter(negative.view()).unwrap_err();
        assert!(err.to_string().contains("even with jitter"), "{err}");
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            Cholesky::new(Array2::zeros((2, 3)).view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            Cholesky::new(Array2::zeros((0, 0)).view()),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            Cholesky::new(array![[f64::NAN]].view()),
            Err(Error::NonFinite { .. })
        ));
        let c = Cholesky::new(array![[2.0]].view()).unwrap();
        assert!(matches!(
            c.solve(Array2::zeros((2, 1)).view()),
            Err(Error::ShapeMismatch { .. })
        ));
    }
}
