//! Stationary covariance functions with one lengthscale per input dimension (ARD) and an
//! output scale: k(x, x') = σ² κ(r), with r² = Σ_d (x_d − x'_d)² / ℓ_d².

use crate::special::{exp_clamped, multiversion};
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2};

/// The shape κ(r) of a kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelKind {
    /// exp(−r²/2): infinitely smooth sample paths.
    SquaredExponential,
    /// exp(−r): continuous, nowhere differentiable paths (the Ornstein–Uhlenbeck kernel).
    Matern12,
    /// (1 + √3 r) exp(−√3 r): once differentiable paths.
    Matern32,
    /// (1 + √5 r + 5r²/3) exp(−√5 r): twice differentiable paths.
    Matern52,
}

impl KernelKind {
    /// κ(r).
    pub fn shape(self, r: f64) -> f64 {
        match self {
            KernelKind::SquaredExponential => (-0.5 * r * r).exp(),
            KernelKind::Matern12 => (-r).exp(),
            KernelKind::Matern32 => {
                let a = 3f64.sqrt() * r;
                (1.0 + a) * (-a).exp()
            }
            KernelKind::Matern52 => {
                let a = 5f64.sqrt() * r;
                (1.0 + a + a * a / 3.0) * (-a).exp()
            }
        }
    }

    /// −κ'(r)/r, the factor that turns ∂r²/∂θ into ∂κ/∂θ (finite at r = 0 except for
    /// Matérn ½, whose κ is not differentiable there; 0 is returned at r = 0, where the
    /// factor multiplies a zero distance anyway).
    pub fn slope_over_r(self, r: f64) -> f64 {
        match self {
            KernelKind::SquaredExponential => (-0.5 * r * r).exp(),
            KernelKind::Matern12 => {
                if r > 0.0 {
                    (-r).exp() / r
                } else {
                    0.0
                }
            }
            KernelKind::Matern32 => 3.0 * (-(3f64.sqrt()) * r).exp(),
            KernelKind::Matern52 => {
                let a = 5f64.sqrt() * r;
                5.0 / 3.0 * (1.0 + a) * (-a).exp()
            }
        }
    }
}

/// κ and −κ'(r)/r of each shape as functions of r², branch-free (selects only) so that loops
/// over them vectorise; exponentials by [`exp_clamped`], within 2 ulp of the C library's.
mod fast {
    use super::exp_clamped;

    const SQRT3: f64 = 1.732_050_807_568_877_2;
    const SQRT5: f64 = 2.236_067_977_499_79;

    #[inline(always)]
    pub fn se(r2: f64) -> (f64, f64) {
        let e = exp_clamped(-0.5 * r2);
        (e, e)
    }

    #[inline(always)]
    pub fn m12(r2: f64) -> (f64, f64) {
        let a = r2.sqrt();
        let e = exp_clamped(-a);
        (e, if a > 0.0 { e / a } else { 0.0 })
    }

    #[inline(always)]
    pub fn m32(r2: f64) -> (f64, f64) {
        let a = SQRT3 * r2.sqrt();
        let e = exp_clamped(-a);
        ((1.0 + a) * e, 3.0 * e)
    }

    #[inline(always)]
    pub fn m52(r2: f64) -> (f64, f64) {
        let a = SQRT5 * r2.sqrt();
        let e = exp_clamped(-a);
        ((1.0 + a + a * a * (1.0 / 3.0)) * e, (5.0 / 3.0) * (1.0 + a) * e)
    }
}

/// Fills `values[j] = σ² κ(r_j)` and, if `slopes` is not empty, `slopes[j] = σ² (−κ'/r)(r_j)`
/// for the squared distances `r2`, with `shape` one of the functions of [`fast`].
#[inline(always)]
fn shape_row(
    shape: impl Fn(f64) -> (f64, f64),
    s2: f64,
    r2: &[f64],
    values: &mut [f64],
    slopes: &mut [f64],
) {
    if slopes.is_empty() {
        for (v, &r) in values.iter_mut().zip(r2) {
            *v = s2 * shape(r).0;
        }
    } else {
        for ((v, s), &r) in values.iter_mut().zip(slopes.iter_mut()).zip(r2) {
            let (k, g) = shape(r);
            *v = s2 * k;
            *s = s2 * g;
        }
    }
}

/// Squared distances from the point `i` of columns `a` to the first `r2.len()` points of
/// columns `b` (scaled coordinates, one slice per dimension), summed dimension by dimension.
#[inline(always)]
fn distances_row(a: &[Vec<f64>], i: usize, b: &[Vec<f64>], r2: &mut [f64]) {
    r2.fill(0.0);
    for (ca, cb) in a.iter().zip(b) {
        let p = ca[i];
        for (r, &q) in r2.iter_mut().zip(cb) {
            *r += (p - q) * (p - q);
        }
    }
}

/// The rows of kernel values (and slopes), for each row i of `a` against the points of `b`,
/// `lower` meaning only j ≤ i; `values` and `slopes` are row-major with `stride` columns.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn fill_rows(
    shape: impl Fn(f64) -> (f64, f64) + Copy,
    s2: f64,
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    lower: bool,
    stride: usize,
    values: &mut [f64],
    slopes: &mut [f64],
) {
    let nb = b.first().map_or(0, Vec::len);
    let mut r2 = vec![0.0; nb];
    let with_slopes = !slopes.is_empty();
    for i in 0..a.first().map_or(0, Vec::len) {
        let m = if lower { (i + 1).min(nb) } else { nb };
        distances_row(a, i, b, &mut r2[..m]);
        let row = i * stride..i * stride + m;
        let slope_row =
            if with_slopes { &mut slopes[row.clone()] } else { &mut [][..] };
        shape_row(shape, s2, &r2[..m], &mut values[row], slope_row);
    }
}

/// A kernel: its shape, its lengthscales ℓ_d and its output scale σ².
#[derive(Debug, Clone, PartialEq)]
pub struct Kernel {
    kind: KernelKind,
    lengthscales: Array1<f64>,
    outputscale: f64,
}

fn positive(
    values: impl IntoIterator<Item = f64>,
    context: &'static str,
) -> Result<()> {
    for v in values {
        if !v.is_finite() {
            return Err(Error::NonFinite { context });
        }
        if v <= 0.0 {
            return Err(Error::InvalidInput {
                context,
                reason: format!("must be positive, got {v}"),
            });
        }
    }
    Ok(())
}

impl Kernel {
    /// A kernel of `kind` with the given lengthscales (one per input dimension) and output
    /// scale σ².
    ///
    /// # Errors
    /// [`Error::Empty`] for no lengthscale, [`Error::NonFinite`] or [`Error::InvalidInput`]
    /// for a lengthscale or output scale that is not a positive number.
    pub fn new(
        kind: KernelKind,
        lengthscales: Array1<f64>,
        outputscale: f64,
    ) -> Result<Self> {
        if lengthscales.is_empty() {
            return Err(Error::Empty { context: "Kernel: lengthscales" });
        }
        positive(lengthscales.iter().copied(), "Kernel: lengthscale")?;
        positive([outputscale], "Kernel: output scale")?;
        Ok(Kernel { kind, lengthscales, outputscale })
    }

    /// The shape.
    pub fn kind(&self) -> KernelKind {
        self.kind
    }

    /// The lengthscales ℓ_d.
    pub fn lengthscales(&self) -> &Array1<f64> {
        &self.lengthscales
    }

    /// The output scale σ².
    pub fn outputscale(&self) -> f64 {
        self.outputscale
    }

    /// The input dimension d.
    pub fn dim(&self) -> usize {
        self.lengthscales.len()
    }

    fn check_inputs(
        &self,
        x: ArrayView2<'_, f64>,
        context: &'static str,
    ) -> Result<()> {
        crate::error::check_points(x, self.dim(), context)?;
        Ok(())
    }

    /// The squared scaled distances r²ᵢⱼ = Σ_d ((aᵢ_d − bⱼ_d)/ℓ_d)² between the rows of `a` and
    /// of `b`, summed directly: no cancellation, so identical points are exactly 0 apart.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if the inputs do not have d columns, [`Error::NonFinite`] for
    /// NaN or infinite inputs.
    pub fn scaled_sq_distances(
        &self,
        a: ArrayView2<'_, f64>,
        b: ArrayView2<'_, f64>,
    ) -> Result<Array2<f64>> {
        self.check_inputs(a, "Kernel: first inputs")?;
        self.check_inputs(b, "Kernel: second inputs")?;
        let sa = (&a / &self.lengthscales).as_standard_layout().into_owned();
        let sb = (&b / &self.lengthscales).as_standard_layout().into_owned();
        let d = self.dim();
        let (rows_a, rows_b) =
            (sa.as_slice().unwrap_or(&[]), sb.as_slice().unwrap_or(&[]));
        let mut out = Array2::zeros((a.nrows(), b.nrows()));
        // Contiguous rows of d scaled coordinates, walked as slices: no per-pair views.
        for (row, p) in out.rows_mut().into_iter().zip(rows_a.chunks_exact(d)) {
            for (o, q) in row.into_iter().zip(rows_b.chunks_exact(d)) {
                *o = p.iter().zip(q).map(|(u, v)| (u - v) * (u - v)).sum();
            }
        }
        Ok(out)
    }

    /// The covariance matrix K[i, j] = k(aᵢ, bⱼ).
    ///
    /// The distances are summed as in [`scaled_sq_distances`](Kernel::scaled_sq_distances),
    /// and the shapes are evaluated with a vectorised exponential (within 2 ulp of the C
    /// library's), row by row.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if the inputs do not have d columns, [`Error::NonFinite`] for
    /// NaN or infinite inputs.
    pub fn matrix(
        &self,
        a: ArrayView2<'_, f64>,
        b: ArrayView2<'_, f64>,
    ) -> Result<Array2<f64>> {
        self.check_inputs(a, "Kernel: first inputs")?;
        self.check_inputs(b, "Kernel: second inputs")?;
        let (ca, cb) = (self.scaled_columns(a), self.scaled_columns(b));
        let mut out = vec![0.0; a.nrows() * b.nrows()];
        self.fill(&ca, &cb, false, b.nrows(), &mut out, &mut []);
        Ok(Array2::from_shape_vec((a.nrows(), b.nrows()), out)
            .unwrap_or_else(|_| unreachable!("na × nb values")))
    }

    /// The scaled coordinates xᵢ_d/ℓ_d, one vector per dimension d.
    pub(crate) fn scaled_columns(&self, x: ArrayView2<'_, f64>) -> Vec<Vec<f64>> {
        x.columns()
            .into_iter()
            .zip(&self.lengthscales)
            .map(|(c, l)| c.iter().map(|v| v / l).collect())
            .collect()
    }

    /// Fills `values` (row-major, `stride` columns) with k(aᵢ, bⱼ), and `slopes`, unless
    /// empty, with σ²(−κ'/r)(r_ij), for the points given by their scaled coordinates
    /// ([`scaled_columns`](Kernel::scaled_columns)); with `lower`, only j ≤ i.
    pub(crate) fn fill(
        &self,
        a: &[Vec<f64>],
        b: &[Vec<f64>],
        lower: bool,
        stride: usize,
        values: &mut [f64],
        slopes: &mut [f64],
    ) {
        fill_any(self.kind, self.outputscale, a, b, lower, stride, values, slopes);
    }

    /// The diagonal k(x, x) = σ² for `n` points.
    pub fn diagonal(&self, n: usize) -> Array1<f64> {
        Array1::from_elem(n, self.outputscale)
    }
}

multiversion! {
    /// [`fill_rows`] for the shape of `kind`.
    #[allow(clippy::too_many_arguments)]
    fn fill_any(
        kind: KernelKind,
        s2: f64,
        a: &[Vec<f64>],
        b: &[Vec<f64>],
        lower: bool,
        stride: usize,
        values: &mut [f64],
        slopes: &mut [f64],
    ) {
        match kind {
            KernelKind::SquaredExponential => {
                fill_rows(fast::se, s2, a, b, lower, stride, values, slopes)
            }
            KernelKind::Matern12 => {
                fill_rows(fast::m12, s2, a, b, lower, stride, values, slopes)
            }
            KernelKind::Matern32 => {
                fill_rows(fast::m32, s2, a, b, lower, stride, values, slopes)
            }
            KernelKind::Matern52 => {
                fill_rows(fast::m52, s2, a, b, lower, stride, values, slopes)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::derivative;
    use ndarray::array;

    #[test]
    fn shapes_at_zero_and_known_values() {
        for kind in [
            KernelKind::SquaredExponential,
            KernelKind::Matern12,
            KernelKind::Matern32,
            KernelKind::Matern52,
        ] {
            assert_eq!(kind.shape(0.0), 1.0);
            // −κ'(r)/r against a central difference of κ.
            for r in [0.3, 1.0, 2.5] {
                let fd = -derivative(|r| kind.shape(r), r, 1e-6) / r;
                assert!(
                    (kind.slope_over_r(r) - fd).abs() < 1e-7,
                    "{kind:?} at {r}"
                );
            }
        }
        // The course's check value: k(0, 1) with ℓ = 0.8, σ² = 1.
        let k =
            Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0).unwrap();
        let m = k.matrix(array![[0.0]].view(), array![[1.0]].view()).unwrap();
        assert!((m[[0, 0]] - 0.457833).abs() < 1e-6);
    }

    #[test]
    fn the_vectorised_matrix_agrees_with_the_scalar_shapes() {
        let a = Array2::from_shape_fn((37, 3), |(i, j)| {
            ((i * 7 + j * 5) % 13) as f64 * 0.7
        });
        let b = Array2::from_shape_fn((29, 3), |(i, j)| {
            ((i * 3 + j * 11) % 17) as f64 * 0.4
        });
        for kind in [
            KernelKind::SquaredExponential,
            KernelKind::Matern12,
            KernelKind::Matern32,
            KernelKind::Matern52,
        ] {
            let k = Kernel::new(kind, array![0.9, 0.05, 2.0], 1.7).unwrap();
            let m = k.matrix(a.view(), b.view()).unwrap();
            let r2 = k.scaled_sq_distances(a.view(), b.view()).unwrap();
            for (v, r) in m.iter().zip(&r2) {
                let want = 1.7 * kind.shape(r.sqrt());
                // A few ulp from the exponential and the polynomial factor, plus the
                // reference's own error from squaring √r² (relative r²·ε); far apart, both
                // are below 1e-300.
                assert!(
                    (v - want).abs() <= 1e-15 * (1.0 + r) * want + 1e-300,
                    "{kind:?} at r² = {r}: {v} vs {want}"
                );
            }
            // The lower triangle with slopes, against the scalar functions.
            let ca = k.scaled_columns(a.view());
            let n = a.nrows();
            let (mut values, mut slopes) = (vec![0.0; n * n], vec![0.0; n * n]);
            k.fill(&ca, &ca, true, n, &mut values, &mut slopes);
            let r2 = k.scaled_sq_distances(a.view(), a.view()).unwrap();
            for i in 0..n {
                for j in 0..=i {
                    let r = r2[[i, j]].sqrt();
                    let tol = 1e-15 * (1.0 + r2[[i, j]]);
                    let want = 1.7 * kind.slope_over_r(r);
                    let got = slopes[i * n + j];
                    assert!((got - want).abs() <= tol * want + 1e-300, "{kind:?}");
                    let want = 1.7 * kind.shape(r);
                    assert!(
                        (values[i * n + j] - want).abs() <= tol * want + 1e-300
                    );
                }
            }
        }
    }

    #[test]
    fn ard_distances_scale_each_dimension() {
        let k = Kernel::new(KernelKind::Matern52, array![2.0, 0.5], 1.5).unwrap();
        let a = array![[0.0, 0.0], [1.0, 1.0]];
        let b = array![[2.0, 0.5]];
        let d = k.scaled_sq_distances(a.view(), b.view()).unwrap();
        assert!((d[[0, 0]] - (1.0 + 1.0)).abs() < 1e-14);
        assert!((d[[1, 0]] - (0.25 + 1.0)).abs() < 1e-14);
        let m = k.matrix(a.view(), a.view()).unwrap();
        assert!(
            (m[[0, 0]] - 1.5).abs() < 1e-14
                && (m[[0, 1]] - m[[1, 0]]).abs() < 1e-15
        );
    }

    #[test]
    fn bad_hyperparameters_and_inputs_are_errors() {
        let kind = KernelKind::SquaredExponential;
        assert!(Kernel::new(kind, array![1.0, -1.0], 1.0).is_err());
        assert!(Kernel::new(kind, array![1.0], 0.0).is_err());
        assert!(Kernel::new(kind, array![f64::NAN], 1.0).is_err());
        assert!(Kernel::new(kind, Array1::zeros(0), 1.0).is_err());
        let k = Kernel::new(kind, array![1.0], 1.0).unwrap();
        assert!(matches!(
            k.matrix(array![[0.0, 1.0]].view(), array![[0.0]].view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            k.matrix(array![[f64::INFINITY]].view(), array![[0.0]].view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
